"""Where each character of a PDF page is drawn, to find the text under a link annotation.

A link annotation is only a rectangle and a URI; its text is whatever the page draws inside the
rectangle. pypdf's plain text extraction hands out whole lines with the position of their first
character, which is not enough to tell where a word in the middle of a line stands. Its layout
extraction reads every text-showing operator (each string of a ``TJ`` array apart, with the
text matrix, ``Tc``, ``Tw``, ``Tz``, ``Ts`` and the CTM applied) and knows where each string
starts and ends; the characters of one string are placed between the two by their font widths.

That reader is internal to pypdf, so everything here is guarded: when it is missing or fails,
``glyph_runs`` returns None and the caller falls back to an estimate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LIGATURES", "Glyph", "glyph_runs", "label_in"]

LIGATURES = str.maketrans(
    {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st"}
)
"""Ligature glyphs written out: ``http://www.eﬀect.org`` is typed ``effect``."""
_WORD_GAP_EMS = 0.15
"""A gap between two strings wider than this (in ems of the font) is a space between words."""
_RECT_SLACK_X = 1.0
_RECT_SLACK_Y = 2.0


@dataclass(frozen=True, slots=True)
class Glyph:
    """One character drawn on the page: its centre on the baseline, in page space."""

    char: str
    x: float
    y: float


Break = None
"""Between two glyphs that are not in one word: a space, a gap, another line."""


def _strings(page: Any) -> list[Any]:
    """pypdf's text state of every string the page shows, in content-stream order."""
    from pypdf._text_extraction._layout_mode._fixed_width_page import (  # noqa: PLC0415
        recurse_to_target_op,
        set_font_operation,
    )
    from pypdf._text_extraction._layout_mode._text_state_manager import TextStateManager  # noqa: PLC0415
    from pypdf.generic import ContentStream, NameObject  # noqa: PLC0415

    contents = page.get("/Contents")
    if contents is None:
        return []
    fonts = page._layout_mode_fonts()
    stream = contents.get_object()
    if not isinstance(stream, ContentStream):
        stream = ContentStream(stream, page.pdf, "bytes")
        # The page's text extraction that follows takes a parsed stream as it is: parsing the
        # content stream is most of the cost of reading a page, so it is done once.
        page[NameObject("/Contents")] = stream
    operations = iter(stream.operations)
    state = TextStateManager()
    strings: list[Any] = []
    for operands, operator in operations:
        if operator in (b"BT", b"q"):
            strings.extend(
                recurse_to_target_op(operations, state, b"ET" if operator == b"BT" else b"Q", fonts, False)[1]
            )
        elif operator == b"Tf":
            set_font_operation(state, fonts, operands)
        else:
            state.set_state_param(operator, operands)
    return strings


def _widths(string: Any) -> list[float]:
    """Advance of each character of one string, in thousandths of an em (0 when unknown)."""
    text: str = string.text
    raw: str = getattr(string, "_raw_chars", "") or ""
    font = string.font
    widths = []
    for key in raw if len(raw) == len(text) else text:
        try:
            width = float(font.get_text_width(key))
        except Exception:  # noqa: BLE001 - a font without usable widths
            width = 0.0
        widths.append(max(width, 0.0))
    return widths


def _advance(string: Any, widths: Sequence[float], count: int) -> float:
    """Page-space advance of the first ``count`` characters (PDF 9.4.4, horizontal text)."""
    spaces = sum(1 for char in string.text[:count] if char == " ")
    text_space = sum(widths[:count]) / 1000 * float(string.font_size) + count * float(string.Tc)
    text_space += spaces * float(string.Tw)
    return text_space * float(string.Tz) / 100 * float(string.transform[0])


def glyph_runs(page: Any) -> list[Glyph | None] | None:
    """Every character the page draws with its position, ``None`` between words; None when the
    positions cannot be had (the caller then estimates)."""
    try:
        strings = _strings(page)
    except Exception:  # noqa: BLE001 - pypdf's internals changed, or the stream is damaged
        return None
    glyphs: list[Glyph | None] = []
    last_y: float | None = None
    last_end = 0.0
    for string in strings:
        text = string.text
        if not text or getattr(string, "rotated", False):
            continue
        start, end, y = float(string.tx), float(string.displaced_tx), float(string.transform[5])
        em = abs(float(string.font_size) * float(string.transform[0])) or 1.0
        if last_y is None or abs(y - last_y) > em / 2 or not -em < start - last_end < _WORD_GAP_EMS * em:
            glyphs.append(Break)
        widths = _widths(string)
        previous = start
        for index, char in enumerate(text):
            if any(widths):
                following = start + _advance(string, widths, index + 1)
            else:  # no metrics: the characters spread evenly over the string
                following = start + (end - start) * (index + 1) / len(text)
            glyphs.append(Break if char.isspace() else Glyph(char, (previous + following) / 2, y))
            previous = following
        last_y, last_end = y, max(end, previous)
    return glyphs


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
        taken.append("".join(glyph.char for glyph in word[first:last]))
    return " ".join(taken)
