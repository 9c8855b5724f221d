"""What one request produced, read with byte caps: status, headers, a decoded body prefix, or a failure.

Bodies are decoded here, with an output cap on every decompressor, because a 1 MB gzip or brotli
body can expand to gigabytes within one network read. How much is worth reading depends on the
type: an HTML page up to ``config.max_body`` (more while its ``<head>`` is still open), a PDF up
to ``DEFAULT_MAX_PDF``, anything else only a short prefix.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx

from .decoding import decoder_for
from .models import ErrorKind, HeaderLookup

__all__ = [
    "DEFAULT_MAX_HEAD",
    "DEFAULT_MAX_PDF",
    "DEFAULT_MAX_PREFIX",
    "DRAIN_LIMIT",
    "HTML_TYPES",
    "Answer",
    "cap_for",
    "drain",
    "read_body",
]

DRAIN_LIMIT = 64 * 1024
"""Most bytes read past what a check needs, so that the connection can be reused."""
DEFAULT_MAX_PDF = 1024 * 1024
"""Most decoded bytes read from a PDF answer: enough for the header, XMP and early metadata."""
DEFAULT_MAX_PREFIX = 8 * 1024
"""Most bytes read from any other non-HTML answer (images, video, JSON): the status says enough."""
DEFAULT_MAX_HEAD = 2 * 2**20
"""Most decoded bytes read from an HTML answer whose ``<head>`` is still open at the usual cap
(``config.max_body``): real pages put megabytes of inline script before their ``<title>``.
Reading stops at ``</head>`` or ``<body>`` past the usual cap, so only such pages cost more."""
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"application/xml", "text/xml", "text/plain", ""})
_END_OF_HTML = b"</html"
_END_OF_HEAD = (b"</head", b"<body")
_ENOUGH_HTML = (b"</title", b"</head")
_TRANSIENT_NETWORK = ("connection reset", "connection closed")


@dataclass
class Answer(HeaderLookup):
    """What one request produced so far; filled while reading so a deadline keeps the prefix."""

    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytearray = field(default_factory=bytearray)
    is_complete: bool = False
    is_html: bool = False
    saw_end_of_html: bool = False
    saw_end_of_head: bool = False
    """``</head`` or ``<body`` read: past the usual cap there is nothing more worth reading."""
    saw_head: bool = False

    @property
    def is_head_open(self) -> bool:
        """A ``<head>`` has begun and not ended: its ``<title>`` may still come (see DEFAULT_MAX_HEAD)."""
        return self.saw_head and not self.saw_end_of_head
    error_kind: ErrorKind | None = None
    error: str | None = None
    attempts: int = 1
    _tail: bytes = b""

    @property
    def has_enough(self) -> bool:
        """Is the prefix read so far enough to judge the page (title read, or not HTML at all)?"""
        if not self.is_html:
            return True
        lowered = bytes(self.body).lower()
        return any(marker in lowered for marker in _ENOUGH_HTML)

    def add(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.body += chunk
        window = (self._tail + chunk).lower()
        if _END_OF_HTML in window:
            self.saw_end_of_html = True
        if not self.saw_end_of_head and any(marker in window for marker in _END_OF_HEAD):
            self.saw_end_of_head = True
        if not self.saw_head and b"<head" in window:
            self.saw_head = True
        self._tail = window[-len(_END_OF_HTML):]

    def fail(self, kind: ErrorKind, message: str) -> None:
        self.error_kind = kind
        self.error = message

    @property
    def is_transient(self) -> bool:
        """Worth another attempt: a timeout or a dropped connection, not a refusal or a DNS failure."""
        if self.error_kind is ErrorKind.TIMEOUT:
            return True
        return self.error_kind is ErrorKind.NETWORK and (self.error or "").startswith(_TRANSIENT_NETWORK)


def cap_for(content_type: str, max_body: int) -> int:
    """How many decoded bytes of an answer of this type are worth reading."""
    if content_type in HTML_TYPES or content_type in _TEXT_TYPES or content_type.endswith("+xml"):
        return max_body
    if content_type == "application/pdf":
        return max(DEFAULT_MAX_PDF, max_body)
    return DEFAULT_MAX_PREFIX


async def read_body(
    response: httpx.Response,
    chunks: AsyncIterator[bytes],
    answer: Answer,
    *,
    max_body: int | None,
    force_cap: int | None,
    usual_cap: int,
) -> None:
    """Read a capped, decoded body prefix into ``answer`` as it arrives (its head already read).

    ``force_cap`` is the one cap whatever the type; else the type's cap (``cap_for``) on
    ``max_body`` or ``usual_cap``, and ``DEFAULT_MAX_HEAD`` while an HTML ``<head>`` is still open
    when neither was asked for.
    """
    content_type = answer.content_type
    answer.is_html = content_type in HTML_TYPES or content_type in _TEXT_TYPES
    cap = force_cap if force_cap is not None else cap_for(content_type, max_body or usual_cap)
    head_cap = cap
    if answer.is_html and force_cap is None and max_body is None:
        head_cap = max(cap, DEFAULT_MAX_HEAD)
    decoder = decoder_for(response.headers.get("content-encoding", ""))
    async for raw in chunks:
        # Decoded up to the larger cap (a decoder drops what it is not asked for), then cut back
        # to the usual one unless a head is still open.
        was_open, start = not answer.saw_end_of_head, len(answer.body)
        answer.add(decoder.decode(raw, head_cap - len(answer.body)))
        limit = head_cap if answer.is_head_open else cap
        if was_open and answer.saw_end_of_head:  # the head closed in this chunk: keep it whole
            limit = max(cap, _end_of_head(answer.body, start))
        if len(answer.body) > limit:
            del answer.body[limit:]
            return
        if answer.is_html and answer.saw_end_of_html:
            answer.is_complete = True  # the document is whole; trailing bytes are noise
            await drain(response, chunks)
            return
        if len(answer.body) >= limit:
            return
    limit = head_cap if answer.is_head_open else cap
    answer.add(decoder.flush(max(0, limit - len(answer.body))))
    answer.is_complete = True


def _end_of_head(body: bytearray, start: int) -> int:
    """Index just past the ``</head>`` (or before the ``<body``) that begins at or after ``start``."""
    window = bytes(body[max(0, start - len(_END_OF_HTML)):]).lower()
    offset = max(0, start - len(_END_OF_HTML))
    found = [i for i in (window.find(marker) for marker in _END_OF_HEAD) if i != -1]
    return offset + min(found) + len(_END_OF_HEAD[0]) + 1 if found else len(body)


async def drain(response: httpx.Response, chunks: AsyncIterator[bytes]) -> None:
    """Read the small rest of an answer so its connection goes back to the pool.

    Only when the server declared a length of at most ``DRAIN_LIMIT``: an unknown or large rest
    is cheaper to drop with its connection than to read (and may be endless).
    """
    declared = response.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > DRAIN_LIMIT:
        return
    read = 0
    async for raw in chunks:
        read += len(raw)
        if read > DRAIN_LIMIT:
            return
