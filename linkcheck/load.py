"""Sources → Documents: files, directories, URLs and standard input, read and decoded.

Everything that can go wrong with an input is decided here and raised as an ``InputError`` with
a one-line message, so the stages after this one only ever see decoded documents. Decoding never
fails: a BOM wins, then UTF-8, then a charset guess, and as a last resort UTF-8 with replacement
characters (a stray byte must not hide the links around it).
"""

from __future__ import annotations

import codecs
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import urlsplit

from .errors import InputError, NoDocuments, SourceNotFound
from .models import Document, DocumentKind
from .urls import redact
from .walk import WalkRules, expand_glob, is_glob, walk

__all__ = [
    "DEFAULT_MAX_FETCH_BYTES",
    "DEFAULT_STREAM_THRESHOLD",
    "DOCUMENT_SUFFIXES",
    "FetchUrl",
    "decode",
    "is_document_name",
    "kind_of_path",
    "iter_documents",
    "read_document",
    "read_documents",
]

FetchUrl = Callable[[str], tuple[bytes, str, str]]
"""``fetch_url(url) -> (body, content_type, final_url)``: injected so that load does no network I/O."""

DEFAULT_MAX_FETCH_BYTES = 20 * 1024 * 1024
"""Largest document accepted from a URL: a citation list is never this big, a runaway stream is."""
DEFAULT_STREAM_THRESHOLD = 8 * 1024 * 1024
"""Plain-text files larger than this are streamed by the extractor instead of read into memory."""
DOCUMENT_SUFFIXES: dict[str, DocumentKind] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
"""Suffixes a directory walk picks up, and the kind each is read as."""

_SNIFF_BYTES = 8192
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_CONTENT_TYPES: dict[str, DocumentKind] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
}
_WINDOWS_LATIN = frozenset({"iso8859-1", "ascii"})
"""Labels that browsers (and so authors' tools) actually read as windows-1252."""


def kind_of_path(path: str) -> DocumentKind:
    """The kind a file is read as, from its suffix; anything unknown is plain text."""
    return DOCUMENT_SUFFIXES.get(PurePosixPath(path.lower()).suffix, "text")


def _bom(data: bytes) -> tuple[str, int] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    return None


def _codec(label: str | None, *, is_html: bool) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if is_html and name in _WINDOWS_LATIN:
        return "cp1252"
    return name


def _guess(data: bytes) -> str | None:
    """charset-normalizer's pick; on a tie, windows-1252, the most common legacy encoding."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data[: 1024 * 1024])
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        if (match.chaos, match.coherence) == (best.chaos, best.coherence) and match.encoding == "cp1252":
            return "cp1252"
    return str(best.encoding)


def decode(data: bytes, *, declared: str | None = None, is_html: bool = False) -> str:
    """Bytes → text, never raising.

    Order: BOM, the charset declared by the server, ``<meta charset>`` (HTML), UTF-8, a guess by
    charset-normalizer, and finally UTF-8 with replacement characters.
    """
    bom = _bom(data)
    if bom is not None:
        return data[bom[1] :].decode(bom[0], errors="replace")
    labels = [declared]
    if is_html:
        meta = _META_CHARSET.search(data[:4096])
        labels.append(meta.group(1).decode("ascii", "replace") if meta else None)
    labels.append("utf-8")
    for label in labels:
        encoding = _codec(label, is_html=is_html)
        if encoding is None:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    if _UTF8_SEQUENCE.search(data):
        # Valid multi-byte UTF-8 next to invalid bytes: a UTF-8 file with damage, not a legacy
        # encoding; a guess would turn every correct character into mojibake.
        return data.decode("utf-8", errors="replace")
    guessed = _guess(data)
    if guessed is not None:
        try:
            return data.decode(guessed)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace")


def _is_binary(data: bytes) -> bool:
    """NUL bytes near the start mean a binary file (UTF-16/32 text has a BOM and is not one)."""
    return b"\0" in data[:_SNIFF_BYTES] and _bom(data) is None


def _sniff(data: bytes) -> DocumentKind:
    head = data[:1024].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
    if head.startswith(b"%pdf"):
        return "pdf"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def _document(
    source: str, kind: DocumentKind, data: bytes, *, declared: str | None = None, base_url: str | None = None
) -> Document:
    if kind == "pdf":
        return Document(source, "pdf", data=data, base_url=base_url)
    text = decode(data, declared=declared, is_html=kind == "html")
    return Document(source, kind, text=text, base_url=base_url)


def _read_bytes(path: Path, source: str) -> bytes:
    try:
        return path.read_bytes()
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None


def _size(path: Path, source: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None


def _read_head(path: Path, source: str) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SNIFF_BYTES)
    except PermissionError:
        raise InputError(f"{source}: permission denied") from None
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None


def _read_file(path: Path, source: str, *, in_walk: bool = False) -> Document | None:
    """One file as a Document; None for a binary file met in a directory walk (skipped)."""
    kind = kind_of_path(source)
    if kind == "text" and _size(path, source) > DEFAULT_STREAM_THRESHOLD:
        head = _read_head(path, source)
        if _is_binary(head):
            return _reject_binary(source, in_walk)
        return Document(source, "text", path=path)
    data = _read_bytes(path, source)
    if kind != "pdf" and _is_binary(data):
        return _reject_binary(source, in_walk)
    return _document(source, kind, data)


def _reject_binary(source: str, in_walk: bool) -> Document | None:
    """A binary file given by name is an error; one met in a directory walk is skipped."""
    if not in_walk:
        raise InputError(f"{source}: is a binary file")
    return None


def is_document_name(name: str) -> bool:
    """Does a directory walk read a file of this name (a document suffix)?"""
    return PurePosixPath(name.lower()).suffix in DOCUMENT_SUFFIXES


def _read_directory(source: str, rules: WalkRules) -> Iterator[Document]:
    """The documents of a walk, read one at a time as they are asked for."""
    suffixes = ", ".join(DOCUMENT_SUFFIXES)
    yield from _read_paths(walk(source, rules, is_document_name),
                           f"{source}: no documents found (looked for {suffixes})")


def _read_glob(pattern: str, rules: WalkRules) -> Iterator[Document]:
    """Every file a glob matches, whatever its suffix (the pattern chose them); binaries skipped."""
    yield from _read_paths(expand_glob(pattern, rules), f"{pattern}: no documents match this pattern")


def _read_paths(paths: Iterable[str], nothing: str) -> Iterator[Document]:
    """The documents among ``paths`` (binaries skipped); ``NoDocuments(nothing)`` when there is none."""
    found = False
    for path in paths:
        document = _read_file(Path(path), path, in_walk=True)
        if document is not None:
            found = True
            yield document
    if not found:
        raise NoDocuments(nothing)


def _kind_of_fetched(data: bytes, content_type: str, final_url: str) -> DocumentKind:
    """Content type first; a generic one (text/plain, octet-stream) defers to the URL's suffix."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _CONTENT_TYPES:
        return _CONTENT_TYPES[media]
    suffix = PurePosixPath(urlsplit(final_url).path.lower()).suffix
    if suffix in DOCUMENT_SUFFIXES:
        return DOCUMENT_SUFFIXES[suffix]
    return _sniff(data)


def _read_url(url: str, fetch_url: FetchUrl | None) -> Document:
    shown = redact(url)
    if fetch_url is None:
        raise InputError(f"{shown}: fetching documents from URLs is not available here")
    try:
        body, content_type, final_url = fetch_url(url)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - the fetcher's own errors: DNS, TLS, HTTP status …
        raise InputError(f"{shown}: cannot fetch: {redact(str(exc)) or type(exc).__name__}") from None
    if len(body) > DEFAULT_MAX_FETCH_BYTES:
        limit = DEFAULT_MAX_FETCH_BYTES // (1024 * 1024)
        raise InputError(f"{shown}: document larger than {limit} MB")
    kind = _kind_of_fetched(body, content_type, final_url or url)
    match = _HTTP_CHARSET.search(content_type)
    declared = match.group(1) if match else None
    return _document(url, kind, body, declared=declared, base_url=final_url or url)


def _read_stdin(stdin: BinaryIO | None) -> Document:
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = stream.read()
    except OSError as exc:
        raise InputError(f"-: cannot read standard input: {exc}") from None
    return _document("-", _sniff(data), data)


def _is_url(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def read_document(
    source: str,
    *,
    stdin: BinaryIO | None = None,
    fetch_url: FetchUrl | None = None,
    walk_rules: WalkRules | None = None,
) -> list[Document]:
    """The documents one SOURCE stands for (several for a directory or a glob)."""
    return list(_documents_of(source, stdin=stdin, fetch_url=fetch_url, walk_rules=walk_rules))


def _is_dir(source: str) -> bool:
    """Whether a file SOURCE is a folder; ``SourceNotFound``/``InputError`` when it cannot be read."""
    path = Path(source)
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    if not exists:
        raise SourceNotFound(f"{source}: no such file or directory")
    return is_dir


def _documents_of(
    source: str,
    *,
    stdin: BinaryIO | None,
    fetch_url: FetchUrl | None,
    walk_rules: WalkRules | None,
) -> Iterator[Document]:
    if source == "-":
        yield _read_stdin(stdin)
        return
    if _is_url(source):
        yield _read_url(source, fetch_url)
        return
    rules = walk_rules if walk_rules is not None else WalkRules()
    if is_glob(source):
        yield from _read_glob(source, rules)
    elif _is_dir(source):
        yield from _read_directory(source, rules)
    else:
        document = _read_file(Path(source), source)
        assert document is not None  # only walks skip files
        yield document


def read_documents(
    sources: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    fetch_url: FetchUrl | None = None,
    walk_rules: WalkRules | None = None,
) -> list[Document]:
    """Every document of every SOURCE, in the order given.

    SOURCE is a file (kind from its suffix, plain text when unknown), a directory (walked for
    document suffixes, see ``walk.py``), a glob (``docs/**/*.md``), an ``http(s)://`` URL
    (fetched with ``fetch_url``) or ``-`` (stdin).
    Raises ``InputError`` (or its ``SourceNotFound``/``NoDocuments``) with a one-line message.
    """
    return list(iter_documents(sources, stdin=stdin, fetch_url=fetch_url, walk_rules=walk_rules))


def iter_documents(
    sources: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    fetch_url: FetchUrl | None = None,
    walk_rules: WalkRules | None = None,
) -> Iterator[Document]:
    """``read_documents`` one document at a time, so that a caller can extract each and let its
    text go before the next is read (a 15 MB folder of Markdown is never all in memory at once).

    Every file or folder SOURCE is looked up before the first document is given: a missing one is
    ``SourceNotFound`` at once, not after the others were read.
    """
    for source in sources:
        if source != "-" and not _is_url(source) and not is_glob(source):
            _is_dir(source)
    for source in sources:
        yield from _documents_of(source, stdin=stdin, fetch_url=fetch_url, walk_rules=walk_rules)
