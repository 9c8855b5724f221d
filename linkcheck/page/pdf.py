"""The title of a PDF, from its bytes (possibly only a prefix of them).

Signals, best first:

* ``pdf:title`` — the document information ``/Title``;
* ``pdf:xmp`` — the XMP ``dc:title`` (x-default language first);
* ``pdf:text`` — the largest text on the first page (a cover page's title is set biggest).

Metadata titles are often junk left by the authoring tool ("Microsoft Word - draft3.docx",
"untitled", "Slide 1", a file name or path); those are skipped so the next signal can speak.
A PDF cut by the byte cap usually lacks its cross-reference table; pypdf rebuilds what it can and
anything it cannot read yields None. Nothing here raises, and pypdf's complaints about broken files
are kept out of the user's terminal (they are expected, not news).

A large PDF often keeps its ``/Info`` dictionary and trailer at its END (written last, or appended
by an incremental save), beyond the prefix read. ``pdf_title_from_parts`` reads the metadata from
that prefix plus a separately fetched tail, placed at their true offsets in a sparse file view, so
pypdf follows the real cross-reference table; the unread middle reads as zeros and is never held
in memory.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, cast

from ..models import Fetch, Page

if TYPE_CHECKING:
    from pypdf import PdfReader

__all__ = ["DEFAULT_MAX_SPARSE_READ", "is_junk_title", "parse_pdf", "pdf_title", "pdf_title_from_parts"]

DEFAULT_MAX_SPARSE_READ = 4 * 1024 * 1024
"""Largest single read pypdf may make of a sparse view (a "read everything" to rebuild a broken
cross-reference table is refused: it would materialise the unread middle)."""

_MAX_TITLE = 300
_MAX_FRAGMENTS = 2000
_JUNK_PREFIX = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel)|powerpoint|word|adobe indesign|libreoffice)\s*[-:]\s*", re.IGNORECASE
)
_FILE_NAME = re.compile(
    r"(?:^[a-z]:\\|^/|\\|\.(?:docx?|pptx?|xlsx?|pdf|odt|rtf|indd|tex|dvi|ps|eps|qxd|pages|txt|html?)$)", re.IGNORECASE
)
_JUNK = re.compile(
    r"^(?:untitled(?:[\s-]*\d+)?|no title|title|document\d*|doc\d*|slide \d+|presentation\d*|"
    r"powerpoint presentation|layout \d+|page \d+|draft|print|null|none|unknown|\W*|[\d\s._-]+)$",
    re.IGNORECASE,
)


def is_junk_title(title: str | None) -> bool:
    """A metadata title that names a tool, a file or nothing rather than the document."""
    if not title:
        return True
    text = " ".join(title.split())
    stripped = _JUNK_PREFIX.sub("", text)
    # "Microsoft Word - X": junk unless X reads like a real title
    if stripped != text and (_FILE_NAME.search(stripped) or len(stripped.split()) < 3):
        return True
    return (
        len(stripped) < 3
        or bool(_JUNK.match(stripped))
        or bool(_FILE_NAME.search(stripped))
        or ("_" in stripped and " " not in stripped)
    )


def _clean(title: str) -> str:
    text = " ".join(str(title).replace("\x00", "").split())
    return _JUNK_PREFIX.sub("", text)[:_MAX_TITLE]


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence pypdf's warnings about damaged files for the duration of one read."""
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(previous)


def pdf_title(data: bytes) -> tuple[str, str] | None:
    """(signal, title) of a PDF, or None when the bytes yield no usable title. Never raises."""
    if not data or b"%PDF" not in data[:1024]:
        return None
    try:
        with _quiet():
            return _read_title(data)
    except Exception:  # noqa: BLE001 - a damaged or hostile PDF is simply untitled
        return None
    except RecursionError:
        return None


def pdf_title_from_parts(prefix: bytes, tail: bytes, total_length: int) -> tuple[str, str] | None:
    """(signal, title) from a PDF's metadata, given its first bytes and its last bytes.

    ``tail`` holds the last ``len(tail)`` bytes of a file of ``total_length`` bytes. Only the
    metadata signals (``pdf:title``, ``pdf:xmp``) are read: the first page's text lies in the
    unread middle. None when the parts do not overlap sensibly or yield nothing. Never raises.
    """
    if not prefix or not tail or b"%PDF" not in prefix[:1024]:
        return None
    if total_length < len(tail) or total_length < len(prefix):
        return None
    try:
        with _quiet():
            return _read_metadata_title(_SparseFile(prefix, tail, total_length))
    except Exception:  # noqa: BLE001 - a damaged or hostile PDF is simply untitled
        return None
    except RecursionError:
        return None


def _read_metadata_title(stream: _SparseFile) -> tuple[str, str] | None:
    from pypdf import PdfReader

    reader = PdfReader(cast(IO[bytes], stream), strict=False)  # a RawIOBase is a binary IO at run time
    return _title_signals(reader, with_text=False)


class _SparseFile(io.RawIOBase):
    """A read-only file of ``total`` bytes: ``prefix`` at its start, ``tail`` at its end, zeros
    between. Refuses reads larger than ``DEFAULT_MAX_SPARSE_READ`` (see there)."""

    def __init__(self, prefix: bytes, tail: bytes, total: int) -> None:
        super().__init__()
        self._prefix = prefix
        self._tail = tail
        self._tail_start = total - len(tail)
        self._total = total
        self._position = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._total}[whence]
        self._position = max(0, base + offset)
        return self._position

    def read(self, size: int | None = -1) -> bytes:
        start = self._position
        if size is None or size < 0:
            size = self._total - start
        if size > DEFAULT_MAX_SPARSE_READ:
            raise OSError("refusing to read the unread middle of a PDF")
        end = min(self._total, start + size)
        out = bytearray(max(0, end - start))
        self._copy(out, start, end, self._prefix, 0)
        self._copy(out, start, end, self._tail, self._tail_start)
        self._position = max(start, end)
        return bytes(out)

    @staticmethod
    def _copy(out: bytearray, start: int, end: int, part: bytes, part_start: int) -> None:
        """Copy the overlap of [start, end) with ``part`` (placed at ``part_start``) into ``out``."""
        low = max(start, part_start)
        high = min(end, part_start + len(part))
        if low < high:
            out[low - start : high - start] = part[low - part_start : high - part_start]


def _read_title(data: bytes) -> tuple[str, str] | None:
    try:
        found = _read_title_of(data)
    except Exception:  # noqa: BLE001 - a prefix without its trailer: patch one in below
        found = None
    if found is None and b"trailer" not in data[-4096:]:
        patched = _with_trailer(data)
        if patched is not None:
            return _read_title_of(patched)
    return found


_OBJ_HEAD = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+obj\b")


def _object_number_before(data: bytes, position: int) -> bytes | None:
    """Number of the object whose header stands just before ``position`` (within 300 bytes)."""
    heads = list(_OBJ_HEAD.finditer(data, max(0, position - 300), position))
    return heads[-1].group(1) if heads else None


def _with_trailer(data: bytes) -> bytes | None:
    """A PDF cut by the byte cap has lost its xref table and trailer (they come last). Point a
    made-up trailer at the catalog (and the info dictionary) so pypdf rebuilds the rest."""
    catalog = data.find(b"/Catalog")
    root = _object_number_before(data, catalog) if catalog != -1 else None
    if root is None:
        return None
    trailer = b"\ntrailer\n<< /Root " + root + b" 0 R"
    keys = [i for i in (data.find(b"/Producer"), data.find(b"/Creator"), data.find(b"/Title")) if i != -1]
    info = _object_number_before(data, min(keys)) if keys else None
    if info is not None:
        trailer += b" /Info " + info + b" 0 R"
    return data + trailer + b" >>\nstartxref\n0\n%%EOF\n"


def _read_title_of(data: bytes) -> tuple[str, str] | None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    return _title_signals(reader, with_text=True)


def _title_signals(reader: PdfReader, *, with_text: bool) -> tuple[str, str] | None:
    """The first title among /Info /Title, XMP dc:title and (``with_text``) the largest text of
    page 1 — the last needs the page's content, which a sparse view of the file does not hold."""
    found = _metadata_title(reader)
    if found:
        return "pdf:title", found
    found = _xmp_title(reader)
    if found:
        return "pdf:xmp", found
    found = _largest_text(reader) if with_text else None
    return ("pdf:text", found) if found else None


def _metadata_title(reader: Any) -> str | None:
    try:
        meta = reader.metadata
        title = meta.title if meta is not None else None
    except Exception:  # noqa: BLE001
        return None
    if not isinstance(title, str) or is_junk_title(title):
        return None
    return _clean(title) or None


def _xmp_title(reader: Any) -> str | None:
    try:
        xmp = reader.xmp_metadata
        titles = xmp.dc_title if xmp is not None else None
    except Exception:  # noqa: BLE001
        return None
    if not titles or not isinstance(titles, dict):
        return None
    ordered = [titles.get("x-default"), *titles.values()]
    for title in ordered:
        if isinstance(title, str) and not is_junk_title(title):
            return _clean(title) or None
    return None


def _largest_text(reader: Any) -> str | None:
    """The text set in the biggest effective font size on page 1 (font size × text/CTM scale)."""
    try:
        page = reader.pages[0]
    except Exception:  # noqa: BLE001
        return None
    sized: list[tuple[float, str]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if len(sized) < _MAX_FRAGMENTS and text and text.strip():
            sized.append((round(float(size) * _scale(cm, tm), 1), text))

    page.extract_text(visitor_text=visit)
    by_size: dict[float, list[str]] = {}
    for size, text in sized:
        by_size.setdefault(size, []).append(text)
    for size in sorted(by_size, reverse=True)[:5]:
        title = _clean(" ".join(by_size[size]))
        if sum(c.isalpha() for c in title) >= 3:
            return title
    return None


def _scale(cm: Any, tm: Any) -> float:
    """Length of the text's "up" vector after text matrix × CTM (both [a b c d e f]): the factor
    by which a glyph of size 1 is drawn."""
    try:
        c = float(tm[2]) * float(cm[0]) + float(tm[3]) * float(cm[2])
        d = float(tm[2]) * float(cm[1]) + float(tm[3]) * float(cm[3])
        scale = (c * c + d * d) ** 0.5
    except (TypeError, ValueError, IndexError):
        return 1.0
    return scale or 1.0


def parse_pdf(fetch: Fetch) -> Page:
    found = pdf_title(fetch.body)
    if found is None:
        return Page(is_pdf=True)
    signal, title = found
    return Page(is_pdf=True, title=title, candidates=((signal, title),))
