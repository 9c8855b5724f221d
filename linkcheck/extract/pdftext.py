"""The text under a link annotation, from where each character of the page is drawn.

A link annotation is only a rectangle and a URI; its text is whatever the page draws inside the
rectangle. ``pdfpages.py`` hands out each character with the centre of its box (PDFium places
them by the font's widths with the text matrix, ``Tc``, ``Tw``, ``Tz`` and ``TJ`` kerns applied);
``label_in`` takes the words standing mostly inside a rectangle.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["LIGATURES", "Break", "Glyph", "label_in", "written_out"]

LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)
"""Ligature glyphs written out: ``http://www.eﬀect.org`` is typed ``effect``."""
_LIGATURE = re.compile("[\ufb00-\ufb06]")


def written_out(text: str) -> str:
    """``text`` with its ligatures written out (``str.translate`` is slow on a page of text, so
    only a text that holds one is translated)."""
    return text.translate(LIGATURES) if _LIGATURE.search(text) else text


_CLOSING = {"<": ">", "(": ")", "[": "]", "{": "}", "\u201c": "\u201d", "\u2018": "\u2019", '"': '"'}
_RECT_SLACK_X = 1.0
_RECT_SLACK_Y = 2.0


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character drawn on the page: the centre of its box, in page space."""

    char: str
    x: float
    y: float


Break = None
"""Between two glyphs that are not in one word: a space, a gap, another line."""


def _words(glyphs: Iterable[Glyph | None]) -> list[list[Glyph]]:
    words: list[list[Glyph]] = []
    current: list[Glyph] = []
    for glyph in glyphs:
        if glyph is None:
            if current:
                words.append(current)
            current = []
        else:
            current.append(glyph)
    if current:
        words.append(current)
    return words


def _without_lone_closing(word: Sequence[Glyph], first: int, last: int) -> int:
    """The end of ``word[first:last]`` without a closing bracket whose opening one was left
    outside the rectangle: a rectangle drawn one character to the right of
    ``<http://free-culture.org/get-it>`` (Free Culture's page footers) holds the URL, not
    ``http://free-culture.org/get-it>``; a pair inside (``Free_Culture_(book)``) is kept."""
    opening = word[first - 1].char if first > 0 else ""
    closing = _CLOSING.get(opening)
    if not closing or last - first < 2 or word[last - 1].char != closing:
        return last
    kept = "".join(glyph.char for glyph in word[first:last])
    if opening == closing:
        unbalanced = kept.count(closing) % 2 == 1
    else:
        unbalanced = kept.count(closing) > kept.count(opening)
    return last - 1 if unbalanced else last


def label_in(glyphs: Sequence[Glyph | None], rect: tuple[float, float, float, float]) -> str:
    """The words drawn inside ``rect`` (left, bottom, right, top): a word whose characters stand
    mostly inside is taken whole (the widths are close, not exact), one that stands mostly
    outside is left out, and punctuation outside the rectangle is not taken with a word."""
    left, bottom, right, top = rect

    def is_inside(glyph: Glyph) -> bool:
        return (
            left - _RECT_SLACK_X <= glyph.x <= right + _RECT_SLACK_X
            and bottom - _RECT_SLACK_Y <= glyph.y <= top + _RECT_SLACK_Y
        )

    taken: list[str] = []
    for word in _words(glyphs):
        inside = [is_inside(glyph) for glyph in word]
        if 2 * sum(inside) <= len(word):
            continue
        first, last = 0, len(word)
        while first < last and not inside[first] and not word[first].char.isalnum():
            first += 1
        while last > first and not inside[last - 1] and not word[last - 1].char.isalnum():
            last -= 1
        last = _without_lone_closing(word, first, last)
        taken.append("".join(glyph.char for glyph in word[first:last]))
    return " ".join(taken)
