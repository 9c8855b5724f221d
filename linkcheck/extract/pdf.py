"""Links of a PDF: link annotations (``/A /URI``) and URLs written in the page text.

A PDF has no lines in the sense of a text file, so an occurrence's line is its page number
(1-based) and its column is 1. The text of an annotation is the page text drawn inside its
rectangle: each character's position is taken from the content stream (``pdftext.py``), and a
word belongs to the link when most of its characters stand inside the rectangle, so the text is
neither cut short nor takes in the words beside it.
"""

from __future__ import annotations

import io
import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from ..errors import InputError
from ..models import Document, Link, Occurrence
from .hrefs import clean_url
from .pdftext import LIGATURES, glyph_runs, label_in
from .text import find_links

__all__ = ["extract_pdf"]

logging.getLogger("pypdf").addHandler(logging.NullHandler())

_RECT_SLACK = 2.0
"""Points of tolerance around an annotation rectangle when looking for the text under it."""
_EM_PER_CHARACTER = 0.5
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class _Annotation:
    uri: str
    rect: tuple[float, float, float, float]
    """(left, bottom, right, top), normalised."""

    def covers(self, x: float, y: float) -> bool:
        left, bottom, right, top = self.rect
        return (
            left - _RECT_SLACK <= x <= right + _RECT_SLACK and bottom - _RECT_SLACK <= y <= top + _RECT_SLACK
        )


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")
    return str(value)


def _annotations(page: Any) -> list[_Annotation]:
    found: list[_Annotation] = []
    for reference in page.get("/Annots") or []:
        annotation = reference.get_object()
        if annotation.get("/Subtype") != "/Link":
            continue
        action = annotation.get("/A")
        action = action.get_object() if action is not None else None
        if not action or action.get("/S") != "/URI" or action.get("/URI") is None:
            continue
        uri = clean_url(_as_text(action.get_object()["/URI"]))
        try:
            x1, y1, x2, y2 = (float(v) for v in annotation.get("/Rect") or (0, 0, 0, 0))
        except (TypeError, ValueError):
            x1 = y1 = x2 = y2 = 0.0
        if uri:
            found.append(_Annotation(uri, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))))
    return found


def _words_at(
    text: str, cm: Sequence[float], tm: Sequence[float], font_size: float
) -> Iterator[tuple[str, float, float]]:
    """Words of one drawn string with the estimated page position of each word's centre.

    The fallback when the text positions cannot be had from the content stream (see
    ``_glyph_runs``): half an em per character.
    """
    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    size = (font_size or 1.0) * math.hypot(tm[0], tm[1]) * math.hypot(cm[0], cm[1])
    advance = size * _EM_PER_CHARACTER
    for word in _WORD.finditer(text):
        centre = (word.start() + word.end()) / 2
        yield word.group(), x + centre * advance, y


def _estimated_labels(page: Any, annotations: Sequence[_Annotation]) -> tuple[str, list[str]]:
    """The page text, and for each annotation the words drawn inside its rectangle (estimated)."""
    under: list[list[str]] = [[] for _ in annotations]

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], _font: Any, font_size: float) -> None:
        for word, x, y in _words_at(text, cm, tm, font_size):
            for index, annotation in enumerate(annotations):
                if annotation.covers(x, y):
                    under[index].append(word)

    text = page.extract_text(visitor_text=visit)
    return str(text or ""), [" ".join(words) for words in under]


def _page_text(page: Any, annotations: Sequence[_Annotation]) -> tuple[str, list[str]]:
    """The page text, and for each annotation the text drawn inside its rectangle.

    Ligatures (``ﬀ``, ``ﬁ`` …) are written out: a URL is typed with two letters, not one glyph.
    """
    try:
        if not annotations:
            return str(page.extract_text() or "").translate(LIGATURES), []
        runs = glyph_runs(page)
        if runs is None:
            text, labels = _estimated_labels(page, annotations)
        else:
            text = str(page.extract_text() or "")
            labels = [label_in(runs, annotation.rect) for annotation in annotations]
    except Exception:  # noqa: BLE001 - a page whose text cannot be decoded still has its annotations
        return "", ["" for _ in annotations]
    return text.translate(LIGATURES), [label.translate(LIGATURES) for label in labels]


def _page_links(page: Any, number: int, source: str) -> Iterator[Link]:
    annotations = _annotations(page)
    text, labels = _page_text(page, annotations)
    seen: set[str] = set()
    for annotation, label in zip(annotations, labels):
        seen.add(annotation.uri)
        yield Link(annotation.uri, Occurrence(source, number, 1, label or None))
    for _, url, link_text, note in find_links(text):
        if url not in seen:
            yield Link(url, Occurrence(source, number, 1, link_text, note))


def _open(document: Document) -> PdfReader:
    reader = PdfReader(io.BytesIO(document.data), strict=False)
    if reader.is_encrypted:
        try:
            readable = bool(reader.decrypt(""))
        except Exception:  # noqa: BLE001 - e.g. an AES cipher without the optional crypto package
            readable = False
        if not readable:
            raise InputError(f"{document.source}: the PDF is encrypted (password protected)")
    return reader


def extract_pdf(document: Document) -> list[Link]:
    """Every link occurrence of a PDF; a PDF that cannot be read is an ``InputError``."""
    try:
        reader = _open(document)
        pages = enumerate(reader.pages, 1)
        return [link for number, page in pages for link in _page_links(page, number, document.source)]
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files; the user needs one line
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{document.source}: cannot read PDF: {reason}") from None
