"""The pages of a PDF read with PDFium (``pypdfium2``): text, URI links and where each character stands.

PDFium parses content streams and decodes fonts in C++, some 20 to 50 times faster than pypdf
(bench/RESULTS.md, "PDF extraction"). Everything PDFium hands out is taken as it is, except:

* a hyphen PDFium took for a word broken at the end of a line comes back as U+FFFE with the
  line break removed; the hyphen and the line break are put back, as the page shows them (a URL
  broken there is then found up to the hyphen, as before);
* a page whose text holds C0 control characters has a font PDFium cannot map to Unicode (a
  simple font with no ``/ToUnicode`` and glyph names it does not know); ``PdfPage.decoded`` is
  False and the caller reads that page another way.

PDFium is not thread-safe: ``LOCK`` is held while a document is read.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from .pdftext import Break, Glyph

__all__ = ["LOCK", "EncryptedError", "PdfPage", "UriLink", "read_pages"]

LOCK = threading.Lock()
_UNDECODED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_HYPHEN_AT_LINE_END = "\ufffe"
"""How PDFium's page text marks a hyphen it took for a word broken at a line end (the line break
after it is removed). ``FPDFText_GetUnicode`` gives 2 for that character, and ``_glyphs`` 0xFFFE
as well; the bounded text calls give U+0002, which a font without a Unicode map also yields for
ordinary characters, so the page text is read with ``get_text_range``."""
_HYPHEN_CODES = (0x02, 0xFFFE)


class EncryptedError(Exception):
    """The PDF needs a password."""


@dataclass(frozen=True, slots=True)
class UriLink:
    uri: bytes
    """The ``/URI`` string as stored (PDF strings are bytes; 7-bit ASCII by the standard)."""
    rect: tuple[float, float, float, float]
    """(left, bottom, right, top) in page space."""


@dataclass(slots=True)
class PdfPage:
    number: int
    text: str
    links: list[UriLink]
    glyphs: list[Glyph | None]
    """Every character with its position (``Break`` between words); only on pages with links."""
    decoded: bool


def _uri_links(document: pdfium.PdfDocument, page: pdfium.PdfPage) -> list[UriLink]:
    links: list[UriLink] = []
    position = ctypes.c_int(0)
    link = raw.FPDF_LINK()
    while raw.FPDFLink_Enumerate(page, ctypes.byref(position), ctypes.byref(link)):
        action = raw.FPDFLink_GetAction(link)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
            continue
        size = raw.FPDFAction_GetURIPath(document, action, None, 0)
        if size <= 0:
            continue
        buffer = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(document, action, buffer, size)
        rect = raw.FS_RECTF()
        if not raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            rect = raw.FS_RECTF(0, 0, 0, 0)
        left, right = sorted((rect.left, rect.right))
        bottom, top = sorted((rect.bottom, rect.top))
        links.append(UriLink(buffer.raw[: size - 1], (left, bottom, right, top)))
    return links


_BLOCK = 64
"""Characters looked at together: only blocks drawn near a link, and their neighbours (a word
that runs on past the rectangle), have each character's box read (a call into PDFium apiece)."""
_NEAR = 4.0
"""Points around a link rectangle within which a block counts as near it."""


def _near_blocks(textpage: pdfium.PdfTextPage, count: int, rects: list[tuple[float, float, float, float]]) -> list[int]:
    near: set[int] = set()
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    pointers = [ctypes.byref(value) for value in (left, top, right, bottom)]
    areas = [(x1 - _NEAR, y1 - _NEAR, x2 + _NEAR, y2 + _NEAR) for x1, y1, x2, y2 in rects]
    count_rects, get_rect = raw.FPDFText_CountRects, raw.FPDFText_GetRect
    for block, start in enumerate(range(0, count, _BLOCK)):
        for part in range(count_rects(textpage, start, _BLOCK)):
            get_rect(textpage, part, *pointers)
            x1, x2, y1, y2 = left.value, right.value, bottom.value, top.value
            if x1 > x2:
                x1, x2 = x2, x1
            if y1 > y2:
                y1, y2 = y2, y1
            if any(x1 <= a_right and x2 >= a_left and y1 <= a_top and y2 >= a_bottom
                   for a_left, a_bottom, a_right, a_top in areas):
                near.update((block - 1, block, block + 1))
                break
    return sorted(block for block in near if 0 <= block * _BLOCK < count)


def _glyphs(textpage: pdfium.PdfTextPage, rects: list[tuple[float, float, float, float]]) -> list[Glyph | None]:
    """The characters drawn near ``rects``, each at the centre of its box; whitespace (drawn, or
    made up by PDFium between words and lines) and a stretch not looked at are breaks."""
    count = textpage.count_chars()
    glyphs: list[Glyph | None] = []
    box = raw.FS_RECTF()
    box_pointer = ctypes.pointer(box)
    char_box = raw.FPDFText_GetLooseCharBox
    unicode = raw.FPDFText_GetUnicode
    previous_end = 0
    for block in _near_blocks(textpage, count, rects):
        start = block * _BLOCK
        if start != previous_end:
            glyphs.append(Break)
        for index in range(start, min(count, start + _BLOCK)):
            code = unicode(textpage, index)
            char = chr(code) if 0 < code < 0x110000 else " "
            if char.isspace() or not char_box(textpage, index, box_pointer):
                glyphs.append(Break)
                continue
            hyphen = code in _HYPHEN_CODES
            glyphs.append(Glyph("-" if hyphen else char, (box.left + box.right) / 2, (box.top + box.bottom) / 2))
            if hyphen:
                glyphs.append(Break)
        previous_end = start + _BLOCK
    return glyphs


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if raw.FPDF_GetLastError() == raw.FPDF_ERR_PASSWORD or "password" in str(error).lower():
            raise EncryptedError() from None
        raise


def read_pages(data: bytes) -> Iterator[PdfPage]:
    """Pages in order (1-based numbers); hold ``LOCK`` while iterating. Raises
    ``EncryptedError``, or ``pypdfium2.PdfiumError`` for a file PDFium cannot read."""
    document = _open(data)
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                links = _uri_links(document, page)
                glyphs = _glyphs(textpage, [link.rect for link in links]) if links else []
            finally:
                textpage.close()
                page.close()
            text = text.replace(_HYPHEN_AT_LINE_END, "-\r\n")
            yield PdfPage(index + 1, text, links, glyphs, _UNDECODED.search(text) is None)
    finally:
        document.close()
