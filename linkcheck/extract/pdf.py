"""Links of a PDF: link annotations (``/A /URI``) and URLs written in the page text.

A PDF has no lines in the sense of a text file, so an occurrence's line is its page number
(1-based) and its column is 1. Pages are read with PDFium (``pdfpages.py``). The text of an
annotation is the page text drawn inside its rectangle: a word belongs to the link when most of
its characters stand inside the rectangle, so the text is neither cut short nor takes in the
words beside it (``pdftext.label_in``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..errors import InputError
from ..models import Document, Link, Occurrence
from .hrefs import clean_url
from .pdfpages import LOCK, EncryptedError, PdfPage, read_pages
from .pdftext import label_in, written_out
from .text import find_links

__all__ = ["extract_pdf"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""What PDFium gives for the glyphs of a font it cannot map to Unicode (a subset TrueType font
without ``/ToUnicode``): not text, so not part of any URL either."""


def _as_text(value: bytes) -> str:
    """A ``/URI`` as text: the bytes stored, which a producer may have written as a UTF-16 text
    string (with its byte order mark)."""
    if value[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return value[2:].decode("utf-16-be" if value[:1] == b"\xfe" else "utf-16-le", "replace")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _page_links(page: PdfPage, source: str) -> Iterator[Link]:
    seen: set[str] = set()
    for link in page.links:
        uri = clean_url(_as_text(link.uri))
        if uri:
            seen.add(uri)
            label = written_out(label_in(page.glyphs, link.rect))
            yield Link(uri, Occurrence(source, page.number, 1, _CONTROL.sub("", label) or None))
    text = written_out(page.text)
    if not page.decoded:
        text = _CONTROL.sub(" ", text)
    for _, url, link_text, note in find_links(text):
        if url not in seen:
            yield Link(url, Occurrence(source, page.number, 1, link_text, note))


def extract_pdf(document: Document) -> list[Link]:
    """Every link occurrence of a PDF; a PDF that cannot be read is an ``InputError``."""
    try:
        with LOCK:
            return [link for page in read_pages(document.data) for link in _page_links(page, document.source)]
    except EncryptedError:
        raise InputError(f"{document.source}: the PDF is encrypted (password protected)") from None
    except Exception as exc:  # noqa: BLE001 - damaged files raise many kinds; the user needs one line
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{document.source}: cannot read PDF: {reason}") from None
