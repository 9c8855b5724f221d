"""Audit evidence as WARC: record what the network said (``--warc``), check again from it (``--replay``).

Both sides are ``httpx`` transports, the seam ``Client(config, transport=…)`` already has, so the
HTTP policy (redirects, retries, byte caps, decoding, deadlines) runs unchanged on top of them:

* ``RecordingTransport`` wraps the real transport. For every request it writes a WARC ``request``
  record and, when an answer came, a ``response`` record holding the status line, the headers
  and the body bytes *exactly as the client read them*: still content-encoded, and only the
  prefix the client wanted (the client stops reading after the ``</html>`` or the byte cap).
  A cut body carries ``WARC-Truncated: length`` (the reader stopped), ``time`` (the deadline
  struck) or ``disconnect`` (the server dropped the connection). A request that got no answer at
  all (refused, DNS, TLS, timeout) is a ``request`` record with a ``WARC-Linkcheck-Error``
  field naming the failure. ``Transfer-Encoding`` is left out of the stored headers because the
  stored body is already de-chunked. Credentials in request headers are stored redacted.
  After the run, one ``metadata`` record per link holds its verdict as JSON.
* ``ReplayTransport`` answers each request from those records, in recorded order per URL (so
  retries replay as they happened), one hop at a time (each redirect hop was its own request),
  and re-raises recorded failures as the same ``httpx`` exception, so every verdict comes out
  the same offline. The one-per-site soft-404 probe asks for a random path; replay answers it
  with the probe recorded for that origin. A request the archive never saw is a
  ``network_error`` naming the archive, never a silent pass.
"""

from __future__ import annotations

import asyncio
import io
import json
import socket
import ssl
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import httpx
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from . import __version__
from .client import PROBE_PREFIX
from .config import Config
from .errors import InputError, UsageError
from .models import Report, Result
from .transport import RefusedAddress, make_transport

__all__ = [
    "ERROR_FIELD",
    "Exchange",
    "RecordingTransport",
    "ReplayTransport",
    "WarcRecorder",
    "evidence_transport",
    "finish_recording",
    "read_exchanges",
    "recording_transport",
    "verdict_payload",
]

ERROR_FIELD = "WARC-Linkcheck-Error"
"""WARC extension field: why a request got no (complete) answer, as ``ExceptionName: message``."""
_REDACTED_HEADERS = frozenset({b"authorization", b"cookie", b"proxy-authorization"})
_DROPPED_RESPONSE_HEADERS = frozenset({"transfer-encoding"})
_TIMEOUTS = (TimeoutError, asyncio.CancelledError, httpx.TimeoutException)


# --------------------------------------------------------------------------------------------
# Writing


class WarcRecorder:
    """An open ``.warc.gz`` (or ``.warc``) file that request, response and verdict records go to.

    Writes are synchronous and whole, so records from concurrent checks never interleave.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file: BinaryIO = path.open("wb")
        except OSError as exc:
            raise UsageError(f"--warc: cannot write {path}: {exc.strerror or exc}") from None
        self._writer = WARCWriter(self._file, gzip=path.name.endswith(".gz"))
        info = {"software": f"linkcheck/{__version__}", "format": "WARC File Format 1.0",
                "description": "linkcheck audit: requests, responses as read, verdicts"}
        self._writer.write_record(self._writer.create_warcinfo_record(path.name, info))

    def record(
        self,
        request: httpx.Request,
        *,
        response: httpx.Response | None = None,
        body: bytes = b"",
        truncated: str | None = None,
        error: BaseException | None = None,
    ) -> None:
        """One exchange: the request, then the response as read (when one came)."""
        uri = str(request.url)
        request_record = self._writer.create_warc_record(
            uri,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=_request_head(request),
            warc_headers_dict={ERROR_FIELD: _describe(error)} if response is None and error is not None else None,
        )
        self._writer.write_record(request_record)
        if response is None:
            return
        fields = {"WARC-Concurrent-To": request_record.rec_headers.get_header("WARC-Record-ID")}
        if truncated is not None:
            fields["WARC-Truncated"] = truncated
        if error is not None:
            fields[ERROR_FIELD] = _describe(error)
        self._writer.write_record(
            self._writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), length=len(body), http_headers=_response_head(response),
                warc_headers_dict=fields,
            )
        )

    def record_verdicts(self, results: Iterable[Result]) -> None:
        """One ``metadata`` record per link: the verdict the evidence above led to."""
        for result in results:
            payload = json.dumps(verdict_payload(result), ensure_ascii=False, sort_keys=True).encode("utf-8")
            self._writer.write_record(
                self._writer.create_warc_record(
                    result.target.checked_url, "metadata", payload=io.BytesIO(payload), length=len(payload),
                    warc_content_type="application/json",
                )
            )

    def close(self) -> None:
        self._file.close()


def verdict_payload(result: Result) -> dict[str, Any]:
    """The facts of a verdict, as stored in its WARC metadata record."""
    title = result.title
    return {
        "url": result.target.url,
        "checked_url": result.target.checked_url,
        "verdict": result.verdict.value,
        "status": result.status,
        "final_url": result.final_url,
        "redirects": [[hop.url, hop.status] for hop in result.redirects],
        "title": None if title is None else {"expected": title.expected, "found": title.found,
                                             "score": title.score, "match": title.match},
        "error": result.error,
        "details": list(result.details),
    }


_CAUSES: dict[str, type[BaseException]] = {
    "ConnectionRefusedError": ConnectionRefusedError,
    "ConnectionResetError": ConnectionResetError,
    "gaierror": socket.gaierror,
    "SSLCertVerificationError": ssl.SSLCertVerificationError,
    "SSLError": ssl.SSLError,
}
"""Root causes the client reads to name a failure (refused, DNS, TLS): kept so replay names it alike."""
_CAUSE_MARK = " | cause "


def _one_line(text: object) -> str:
    return " ".join(str(text).split())[:300]


def _describe(error: BaseException | None) -> str:
    """``Name: message``, plus `` | cause Name: message`` for the root cause the client looks at."""
    if error is None:
        return ""
    text = f"{type(error).__name__}: {_one_line(error)}"
    seen: set[int] = set()
    cause = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        name = type(cause).__name__
        if name in _CAUSES:
            detail = getattr(cause, "verify_message", None) or getattr(cause, "reason", None) or cause
            return f"{text}{_CAUSE_MARK}{name}: {_one_line(detail)}"
        cause = cause.__cause__ or cause.__context__
    return text


def _cause(described: str) -> BaseException | None:
    _, mark, rest = described.partition(_CAUSE_MARK)
    name, _, message = rest.partition(": ")
    kind = _CAUSES.get(name) if mark else None
    if kind is None:
        return None
    cause = kind(message)
    if isinstance(cause, ssl.SSLCertVerificationError):
        cause.verify_message = message
    elif isinstance(cause, ssl.SSLError):
        cause.reason = message
    return cause


def _request_head(request: httpx.Request) -> StatusAndHeaders:
    target = request.url.raw_path.decode("ascii", "replace")
    headers = [
        (name.decode("latin-1"), "[redacted]" if name.lower() in _REDACTED_HEADERS else value.decode("latin-1"))
        for name, value in request.headers.raw
    ]
    return StatusAndHeaders(f"{request.method} {target} HTTP/1.1", headers, is_http_request=True)


def _response_head(response: httpx.Response) -> StatusAndHeaders:
    reason = response.extensions.get("reason_phrase", b"")
    reason_text = reason.decode("latin-1") if isinstance(reason, bytes) else str(reason or "")
    version = response.extensions.get("http_version", b"HTTP/1.1")
    protocol = version.decode("ascii") if isinstance(version, bytes) else str(version)
    headers = [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, value in response.headers.raw
        if name.decode("latin-1").lower() not in _DROPPED_RESPONSE_HEADERS
    ]
    return StatusAndHeaders(f"{response.status_code} {reason_text or 'Status'}", headers, protocol=protocol)


class _RecordingStream(httpx.AsyncByteStream):
    """Passes the body through and keeps every byte the client actually read."""

    def __init__(self, inner: httpx.AsyncByteStream, on_close: Callable[[bytes, str | None, BaseException | None], None]):
        self._inner = inner
        self._on_close = on_close
        self._chunks: list[bytes] = []
        self._is_complete = False
        self._error: BaseException | None = None
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                self._chunks.append(chunk)
                yield chunk
            self._is_complete = True
        except BaseException as exc:
            self._error = exc
            raise

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            self._finish()

    def _finish(self) -> None:
        if self._closed:
            return
        self._closed = True
        truncated = None
        if self._error is not None:
            truncated = "time" if isinstance(self._error, _TIMEOUTS) else "disconnect"
        elif not self._is_complete:
            truncated = "length"
        self._on_close(b"".join(self._chunks), truncated, self._error)


class RecordingTransport(httpx.AsyncBaseTransport):
    """Records every exchange through ``make_inner()``'s transport into ``recorder``.

    The inner transport is made on first use and closed with this one, and made again if a later
    client uses this transport after that (a run opens one client for documents, one for links).
    """

    def __init__(self, make_inner: Callable[[], httpx.AsyncBaseTransport], recorder: WarcRecorder) -> None:
        self._make_inner = make_inner
        self._inner: httpx.AsyncBaseTransport | None = None
        self.recorder = recorder

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._inner is None:
            self._inner = self._make_inner()
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException as exc:
            self.recorder.record(request, error=exc)
            raise
        stream = response.stream
        assert isinstance(stream, httpx.AsyncByteStream)

        def on_close(body: bytes, truncated: str | None, error: BaseException | None) -> None:
            if truncated == "length" and not body and response.headers.get("content-length", "").strip() == "0":
                truncated = None
            self.recorder.record(request, response=response, body=body, truncated=truncated, error=error)

        response.stream = _RecordingStream(stream, on_close)
        return response

    async def aclose(self) -> None:
        inner, self._inner = self._inner, None
        if inner is not None:
            await inner.aclose()


def recording_transport(config: Config, recorder: WarcRecorder) -> RecordingTransport:
    """A recorder around the client's own network transport (``--resolve``, TLS, address policy)."""
    return RecordingTransport(lambda: make_transport(config), recorder)


# --------------------------------------------------------------------------------------------
# Reading and replaying


@dataclass(frozen=True)
class Exchange:
    """One recorded request and what came back."""

    method: str
    url: str
    status: int | None = None
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    truncated: str | None = None
    error: str | None = None
    """``ExceptionName: message`` when the exchange failed (no answer, or the body was cut)."""


def read_exchanges(path: Path) -> list[Exchange]:
    """Every request/response pair of a WARC file, in recorded order."""
    try:
        with path.open("rb") as handle:
            return _read(handle)
    except OSError as exc:
        raise InputError(f"--replay: cannot read {path}: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - warcio raises assorted errors on a damaged file
        raise InputError(f"--replay: {path} is not a readable WARC file ({type(exc).__name__}: {exc})") from None


def _read(handle: BinaryIO) -> list[Exchange]:
    order: list[str] = []
    requests: dict[str, Exchange] = {}
    for record in ArchiveIterator(handle):
        headers = record.rec_headers
        if record.rec_type == "request":
            record_id = headers.get_header("WARC-Record-ID")
            method = (record.http_headers.protocol if record.http_headers else "GET") or "GET"
            requests[record_id] = Exchange(method=method.upper(), url=headers.get_header("WARC-Target-URI"),
                                           error=headers.get_header(ERROR_FIELD) or None)
            order.append(record_id)
        elif record.rec_type == "response":
            request_id = headers.get_header("WARC-Concurrent-To")
            request = requests.get(request_id)
            if request is None:
                continue
            http = record.http_headers
            code, _, reason = http.statusline.partition(" ")
            requests[request_id] = Exchange(
                method=request.method,
                url=request.url,
                status=int(code),
                reason=reason,
                http_version=http.protocol or "HTTP/1.1",
                headers=tuple((k, v) for k, v in http.headers),
                body=record.raw_stream.read(),
                truncated=headers.get_header("WARC-Truncated"),
                error=headers.get_header(ERROR_FIELD) or None,
            )
    return [requests[record_id] for record_id in order]


class _ReplayStream(httpx.AsyncByteStream):
    def __init__(self, body: bytes, failure: BaseException | None) -> None:
        self._body = body
        self._failure = failure

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self._body:
            yield self._body
        if self._failure is not None:
            raise self._failure


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers requests from recorded exchanges instead of the network."""

    def __init__(self, exchanges: Iterable[Exchange]) -> None:
        self._queues: dict[tuple[str, str], deque[Exchange]] = defaultdict(deque)
        self._last: dict[tuple[str, str], Exchange] = {}
        for exchange in exchanges:
            self._queues[(exchange.method, _key(exchange.url))].append(exchange)

    @classmethod
    def from_file(cls, path: Path) -> ReplayTransport:
        return cls(read_exchanges(path))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        exchange = self._next(request.method, _key(str(request.url)))
        if exchange is None:
            raise httpx.ConnectError(f"not in the replayed WARC archive: {request.url}", request=request)
        if exchange.status is None:
            raise _failure(exchange.error, request)
        failure = None
        if exchange.truncated in ("time", "disconnect"):
            failure = _failure(exchange.error, request, timeout=exchange.truncated == "time")
        return httpx.Response(
            exchange.status,
            headers=list(exchange.headers),
            stream=_ReplayStream(exchange.body, failure),
            extensions={"http_version": exchange.http_version.encode("ascii"),
                        "reason_phrase": exchange.reason.encode("latin-1")},
            request=request,
        )

    def _next(self, method: str, key: str) -> Exchange | None:
        """The next recorded answer for this URL; the last one again once they run out."""
        slot = (method, key)
        queue = self._queues.get(slot)
        if queue:
            self._last[slot] = queue.popleft()
        return self._last.get(slot)


def _key(url: str) -> str:
    """Match key: the URL itself, or ``origin/linkcheck-probe-*`` for the random probe path."""
    parsed = httpx.URL(url)
    if parsed.path.startswith(PROBE_PREFIX):
        return str(parsed.copy_with(path=PROBE_PREFIX + "*", query=None))
    return url


def _failure(described: str | None, request: httpx.Request, *, timeout: bool = False) -> BaseException:
    """The recorded failure as the exception the live transport raised (or its nearest kind)."""
    head = (described or "").partition(_CAUSE_MARK)[0]
    name, _, message = head.partition(": ")
    if timeout or name in ("TimeoutError", "CancelledError"):
        return httpx.ReadTimeout(message or "timed out", request=request)
    if name == "RefusedAddress":
        return RefusedAddress(message)
    kind = getattr(httpx, name, None)
    error: BaseException
    if isinstance(kind, type) and issubclass(kind, httpx.TransportError):
        error = kind(message, request=request)
    else:
        error = httpx.ConnectError(message or "recorded failure", request=request)
    error.__cause__ = _cause(described or "")
    return error


def evidence_transport(
    config: Config, *, warc: Path | None = None, replay: Path | None = None
) -> tuple[httpx.AsyncBaseTransport | None, WarcRecorder | None]:
    """The transport for ``--warc`` (record) or ``--replay`` (answer from a WARC); both is an error."""
    if warc is not None and replay is not None:
        raise UsageError("--warc and --replay cannot be used together")
    if replay is not None:
        return ReplayTransport.from_file(replay), None
    if warc is not None:
        recorder = WarcRecorder(warc)
        return recording_transport(config, recorder), recorder
    return None, None


def finish_recording(recorder: WarcRecorder | None, report: Report) -> None:
    """Append the verdicts to the evidence (no-op without ``--warc``)."""
    if recorder is not None:
        recorder.record_verdicts(report.results)
