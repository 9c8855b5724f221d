"""One HTTP/1.1 client connection, parsed by llhttp (``httptools``) instead of h11.

It takes the place of ``httpcore.AsyncHTTP11Connection`` under the transport's own pool
(``transport._Pool``) and keeps its interface and its exceptions (``httpcore.RemoteProtocolError``,
``ReadError`` …, with the same messages where a verdict depends on them), so httpx above it and
the client's error mapping see no difference. Why: h11 and httpcore's connection state machine
were the largest single cost of a request (about a fifth of the CPU of a run at 0 ms latency);
llhttp is C, and this class does only what a checker needs: one request at a time, GET-like
requests, keep-alive when the server allows it.

Hostile answers, and what happens to each (see ``tests/test_http1.py`` and ``test_hostile.py``):

* A response head (status line and headers) larger than ``MAX_HEAD`` bytes, or one that never
  ends, is refused (``RemoteProtocolError``, "malformed"); at most ``MAX_HEAD`` plus one read is
  ever buffered for it, as h11's ``max_incomplete_event_size`` did in httpcore.
* A malformed status line, header line or chunk framing is ``RemoteProtocolError`` with llhttp's
  reason; the connection is closed.
* A connection closed before the answer's first byte says "Server disconnected without sending
  a response." (httpcore's words: the pool resends such a request once on a fresh connection);
  closed inside the head, "peer unexpectedly closed connection"; inside a body of declared
  length or a chunked body, "peer closed connection without sending complete message body".
* Bytes after the end of the answer (a second answer nobody asked for, or garbage) close the
  connection instead of being read as the next request's answer.
* Bodies are passed on as they arrive, undecoded: decoding and its caps are the client's.
"""

from __future__ import annotations

import enum
import re
import time
from collections.abc import AsyncIterator

import httpcore
import httptools

__all__ = ["MAX_HEAD", "READ_SIZE", "H1Connection"]

MAX_HEAD = 100 * 1024
"""Largest response head (status line and headers) accepted, in bytes: httpcore's limit for h11."""
READ_SIZE = 64 * 1024
"""Bytes asked of the network per read (httpcore's ``READ_NUM_BYTES``)."""

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BAD_VALUE = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")


_AS_LENIENT_AS_H11 = {
    "lenient_headers": True,  # control characters in a value, obsolete line folding
    "lenient_optional_cr_before_lf": True,  # bare LF line ends (old CGI scripts)
    "lenient_spaces_after_chunk_size": True,
    "lenient_chunked_length": True,  # Content-Length beside chunked: chunked wins (never reused)
}
"""What h11 accepted and llhttp refuses by default: a link checker reads what real servers send
(the status is what matters); an answer framed two ways is read once and its connection closed."""


class _State(enum.Enum):
    NEW = 0
    ACTIVE = 1
    IDLE = 2
    CLOSED = 3


class _Answer:
    """llhttp's callbacks for one answer (and the informational ones before it)."""

    __slots__ = (
        "body", "body_bytes", "fed", "has_length", "head_size", "headers", "is_chunked", "is_complete",
        "is_head_done", "is_retried", "is_reusable", "parser", "reason", "seen", "status",
    )

    def __init__(self) -> None:
        self.is_retried = False
        self.seen: list[bytes] = []
        """What was fed while the head was still open (at most ``MAX_HEAD`` and one read)."""
        self._start()

    def _start(self) -> None:
        self.parser = httptools.HttpResponseParser(self)
        self.parser.set_dangerous_leniencies(**_AS_LENIENT_AS_H11)
        self.status = 0
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.head_size = 0
        self.fed = 0
        self.is_head_done = False
        self.is_complete = False
        self.is_reusable = True
        self.has_length = False
        self.is_chunked = False
        self.body: list[bytes] = []
        self.body_bytes = 0

    # -- llhttp callbacks ---------------------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.is_complete:  # a second answer in the same bytes: nobody asked for it
            self.is_reusable = False

    def on_status(self, reason: bytes) -> None:
        if not self.is_complete:
            self.reason += reason
            self.head_size += len(reason)

    def on_header(self, name: bytes, value: bytes) -> None:
        if not self.is_complete:
            self.headers.append((name, value))
            self.head_size += len(name) + len(value) + 4

    def on_headers_complete(self) -> None:
        if self.is_complete:
            return
        status = self.parser.get_status_code()
        if 100 <= status < 200 and status != 101:  # informational: the real answer follows
            self.reason, self.headers = b"", []
            return
        if status < 100 or status == 101:  # nobody asked to switch protocols
            raise _Refused(f"status {status} to a plain request")
        self.status = status
        self.is_head_done = True
        for name, value in self.headers:
            lowered = name.lower()
            if lowered == b"content-length":
                self.has_length = True
            elif lowered == b"transfer-encoding" and b"chunked" in value.lower():
                self.is_chunked = True
        if self.has_length and self.is_chunked:
            self.is_reusable = False

    def on_body(self, body: bytes) -> None:
        if not self.is_complete:
            self.body.append(body)
            self.body_bytes += len(body)

    def on_message_complete(self) -> None:
        if self.is_head_done and not self.is_complete:
            self.is_complete = True
            # Asked now: once the message is over, llhttp has reset and always says no.
            self.is_reusable = self.is_reusable and self.parser.should_keep_alive()

    # -- feeding ------------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        self.fed += len(data)
        if not self.is_head_done:
            self.seen.append(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # 101 or an Upgrade answer: what follows is another protocol, never a reusable connection.
            self.is_reusable = False
            if self.is_head_done:
                self.is_complete = True
        except httptools.HttpParserCallbackError as exc:
            refused = exc.__context__ if isinstance(exc.__context__, _Refused) else exc
            raise httpcore.RemoteProtocolError(_reason(refused)) from exc
        except httptools.HttpParserError as exc:
            if self.is_complete:  # garbage after a whole answer: keep the answer, drop the connection
                self.is_reusable = False
                return
            merged = None if self.is_head_done or self.is_retried else _merge_lengths(b"".join(self.seen))
            if merged is None:
                raise httpcore.RemoteProtocolError(_reason(exc)) from exc
            self.is_retried = True  # once: the same bytes with one Content-Length line
            self._start()
            self.feed(merged)
            return
        if self.is_head_done:
            self.seen = []
        if self.head_size > MAX_HEAD or (not self.is_head_done and self.fed > MAX_HEAD):
            raise httpcore.RemoteProtocolError(f"answer head larger than {MAX_HEAD} bytes")

    @property
    def ends_at_close(self) -> bool:
        """The body has no declared length and is not chunked: it ends when the server closes."""
        return not self.has_length and not self.is_chunked and self.status not in (204, 304)

    def eof_message(self) -> str:
        if self.is_chunked:
            return "peer closed connection without sending complete message body (incomplete chunked read)"
        expected = next((v for n, v in self.headers if n.lower() == b"content-length"), b"?")
        return (f"peer closed connection without sending complete message body "
                f"(received {self.body_bytes} bytes, expected {expected.decode('latin-1')})")


_LENGTH_LINE = re.compile(rb"(?im)^content-length[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?\n")


def _merge_lengths(data: bytes) -> bytes | None:
    """The head with its Content-Length lines merged into one, when they all say the same length
    (``Content-Length: 56, 56`` or the header twice, which h11 took and llhttp refuses); None
    when there is nothing to merge or the lengths differ (then the answer is malformed)."""
    end = data.find(b"\r\n\r\n")
    end = end + 4 if end != -1 else data.find(b"\n\n") + 2
    if end < 2:
        return None
    head, rest = data[:end], data[end:]
    lines = list(_LENGTH_LINE.finditer(head))
    values = {v.strip() for m in lines for v in m.group(1).split(b",")}
    if len(values) != 1 or not next(iter(values)).isdigit() or (len(lines) < 2 and b"," not in lines[0].group(1)):
        return None
    merged = _LENGTH_LINE.sub(b"", head)
    first = head.find(b"\n") + 1  # after the status line
    return merged[:first] + b"Content-Length: " + values.pop() + b"\r\n" + merged[first:] + rest


class _Refused(Exception):
    """Raised inside a callback: llhttp stops and ``feed`` reports it as a malformed answer."""


def _reason(exc: BaseException) -> str:
    """llhttp's reason, as the rest of a "malformed response: …" message."""
    text = (str(exc).strip() or type(exc).__name__).splitlines()[0][:160]
    return text[:1].lower() + text[1:]


class H1Connection:
    """An HTTP/1.1 connection over one network stream: httpcore's connection interface.

    The pool gives a connection to one request at a time; a second request while one is active
    is ``httpcore.ConnectionNotAvailable``, as in httpcore.
    """

    def __init__(self, origin: httpcore.Origin, stream: httpcore.AsyncNetworkStream,
                 keepalive_expiry: float | None = None) -> None:
        self._origin = origin
        self._stream = stream
        self._keepalive_expiry = keepalive_expiry
        self._expire_at: float | None = None
        self._state = _State.NEW

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        if self._state not in (_State.NEW, _State.IDLE):
            raise httpcore.ConnectionNotAvailable()
        self._state = _State.ACTIVE
        self._expire_at = None
        timeouts = request.extensions.get("timeout", {})
        answer = _Answer()
        try:
            head = _request_head(request)
            try:
                await self._stream.write(head, timeouts.get("write"))
                async for chunk in request.stream:  # type: ignore[union-attr]
                    await self._stream.write(chunk, timeouts.get("write"))
            except httpcore.WriteError:
                # As httpcore: a server may close early and still answer (a 413, a redirect).
                pass
            await self._read_head(answer, timeouts.get("read"))
        except BaseException:
            await self.aclose()
            raise
        return httpcore.Response(
            status=answer.status,
            headers=answer.headers,
            content=_Body(self, answer, timeouts.get("read")),
            extensions={
                "http_version": b"HTTP/%s" % answer.parser.get_http_version().encode("ascii"),
                "reason_phrase": answer.reason,
                "network_stream": self._stream,
            },
        )

    async def _read_head(self, answer: _Answer, timeout: float | None) -> None:
        while not answer.is_head_done:
            data = await self._stream.read(READ_SIZE, timeout)
            if not data:
                if answer.fed == 0:
                    raise httpcore.RemoteProtocolError("Server disconnected without sending a response.")
                raise httpcore.RemoteProtocolError("peer unexpectedly closed connection")
            answer.feed(data)

    async def _body(self, answer: _Answer, timeout: float | None) -> AsyncIterator[bytes]:
        while True:
            if answer.body:
                chunks, answer.body = answer.body, []
                for chunk in chunks:
                    yield chunk
            if answer.is_complete:
                return
            data = await self._stream.read(READ_SIZE, timeout)
            if not data:
                if answer.ends_at_close:
                    answer.is_complete = True
                    answer.is_reusable = False
                    continue
                raise httpcore.RemoteProtocolError(answer.eof_message())
            answer.feed(data)

    async def _answer_closed(self, answer: _Answer) -> None:
        if answer.is_complete and answer.is_reusable and not answer.ends_at_close and self._state is _State.ACTIVE:
            self._state = _State.IDLE
            if self._keepalive_expiry is not None:
                self._expire_at = time.monotonic() + self._keepalive_expiry
        else:
            await self.aclose()

    # -- the pool's view (httpcore's AsyncConnectionInterface) ----------------------------------

    async def aclose(self) -> None:
        self._state = _State.CLOSED
        await self._stream.aclose()

    def can_handle_request(self, origin: httpcore.Origin) -> bool:
        return origin == self._origin

    def is_available(self) -> bool:
        return self._state is _State.IDLE

    def has_expired(self) -> bool:
        if self._expire_at is not None and time.monotonic() > self._expire_at:
            return True
        # An idle connection whose socket is readable: the server closed it (or sent garbage).
        return self._state is _State.IDLE and bool(self._stream.get_extra_info("is_readable"))

    def is_idle(self) -> bool:
        return self._state is _State.IDLE

    def is_closed(self) -> bool:
        return self._state is _State.CLOSED

    def __repr__(self) -> str:
        return f"<H1Connection [{self._origin}, {self._state.name}]>"


class _Body:
    """The answer's body as httpcore hands it on: iterate once, then close (which decides reuse)."""

    def __init__(self, connection: H1Connection, answer: _Answer, timeout: float | None) -> None:
        self._connection = connection
        self._answer = answer
        self._timeout = timeout
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._connection._body(self._answer, self._timeout):
                yield chunk
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            await self._connection._answer_closed(self._answer)


def _request_head(request: httpcore.Request) -> bytes:
    """``METHOD target HTTP/1.1``, then the headers (Host first, as h11 writes them), validated
    as h11 does: a header that would break the framing is never sent."""
    host: list[bytes] = []
    rest: list[bytes] = []
    for name, value in request.headers:
        if not _TOKEN.fullmatch(name):
            raise httpcore.LocalProtocolError(f"Illegal header name {name!r}")
        value = value.strip(b" \t")
        if _BAD_VALUE.search(value):
            raise httpcore.LocalProtocolError(f"Illegal header value {value!r}")
        (host if name.lower() == b"host" else rest).append(b"%s: %s\r\n" % (name, value))
    if not host:
        raise httpcore.LocalProtocolError("Missing mandatory Host: header")
    target = request.url.target
    if not target or b" " in target or b"\r" in target or b"\n" in target:
        raise httpcore.LocalProtocolError(f"Illegal target {target!r}")
    return b"".join((request.method, b" ", target, b" HTTP/1.1\r\n", *host, *rest, b"\r\n"))
