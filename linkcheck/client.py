"""The HTTP policy in one place: limits, redirects, retries, deadline, byte caps, TLS, addresses.

``Client.fetch(url)`` turns whatever the network does into a ``Fetch`` value: it never raises for
a refused connection, a slow server, a malformed answer or a decompression bomb. Foreign
exceptions are translated once, here, to an ``ErrorKind`` and a short human message.

Policy choices, and why:

* Always ``GET``, never ``HEAD``: many servers answer ``HEAD`` wrongly (405, 404, 403, or a
  different redirect than ``GET``), and titles, fragments and soft-404 signals need the body
  anyway. Only a prefix of the body is read, so ``GET`` costs little more.
* Redirects are followed by our own loop (httpx's ``follow_redirects`` stays off) so every hop is
  recorded, loops and non-http(s) targets are named, and credentials never cross to another
  origin.
* One deadline (``config.timeout``) covers each request from connect to the last byte read:
  httpx's own timeouts are per operation, so a server dripping one byte a second would never
  trip them.
* Bodies are decoded here, with an output cap on every decompressor, because a 1 MB gzip or
  brotli body can expand to gigabytes within one network read.
* Connections go through a network backend that applies ``--resolve`` (connect to another
  address, keep Host, SNI and certificate checks on the URL's host) and refuses private,
  loopback or link-local addresses when the run asks for it, on every hop.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import secrets
import socket
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterable, Mapping
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Self

import httpx

from .config import Config
from .decoding import decoder_for
from .errors import InputError
from .models import ErrorKind, Fetch, HeaderLookup, Redirect
from .transport import RefusedAddress, make_transport
from .urls import invalid_reason, redact, scheme_of

__all__ = [
    "DEFAULT_BACKOFF_BASE",
    "DEFAULT_BACKOFF_CAP",
    "DEFAULT_MAX_DOCUMENT",
    "DEFAULT_MAX_PDF",
    "DEFAULT_MAX_PREFIX",
    "HTML_TYPES",
    "PROBE_PREFIX",
    "REDIRECT_STATUSES",
    "TRANSIENT_STATUSES",
    "Client",
    "RefusedAddress",
    "make_transport",
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
DEFAULT_MAX_DOCUMENT = 20 * 2**20
"""Most bytes of a SOURCE document fetched by URL."""
DEFAULT_BACKOFF_BASE = 0.25
"""First retry waits about this long (seconds); each later one twice as long, with jitter."""
DEFAULT_BACKOFF_CAP = 8.0
DEFAULT_ACCEPT_HEADER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DEFAULT_ACCEPT_ENCODING = "gzip, deflate, br"

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"application/xml", "text/xml", "text/plain", ""})
_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})
_END_OF_HTML = b"</html"
_END_OF_HEAD = (b"</head", b"<body")
_ENOUGH_HTML = (b"</title", b"</head")
_TRANSIENT_NETWORK = ("connection reset", "connection closed")
PROBE_PREFIX = "/linkcheck-probe-"


# --------------------------------------------------------------------------------------------
# Client


class Client:
    """One shared HTTP client for a run: connection pool, limits and the per-host probe cache.

    Use as ``async with Client(config) as client:``. ``transport`` replaces the network (tests of
    request building only); by default the transport applies ``--resolve``, ``--ca-bundle`` and
    address refusal.
    """

    def __init__(self, config: Config, *, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._config = config
        self._transport = transport
        self._http: httpx.AsyncBaseTransport | None = None
        self._cookies = httpx.Cookies()
        self._headers = httpx.Headers(
            {
                "Accept": DEFAULT_ACCEPT_HEADER,
                "Accept-Encoding": DEFAULT_ACCEPT_ENCODING,
                "Connection": "keep-alive",
                "User-Agent": config.user_agent,
                "Accept-Language": "en;q=0.9, *;q=0.5",
            }
        )
        self._extensions = {"timeout": httpx.Timeout(config.timeout).as_dict()}
        self._global = asyncio.Semaphore(max(1, config.concurrency))
        self._hosts: dict[str, _HostSlot] = {}
        self._probes: dict[str, Fetch] = {}
        self._shared: dict[str, int] = {}
        """Page URL (no fragment) → checks of it still to come, for pages linked more than once."""
        self._shared_fetches: dict[str, asyncio.Future[Fetch]] = {}
        self._probe_locks: dict[str, asyncio.Lock] = {}

    async def __aenter__(self) -> Self:
        # The transport is driven directly rather than through ``httpx.AsyncClient``: our redirect
        # loop, deadline and headers replace the client's, whose per-request machinery (auth and
        # redirect generators, event hooks, URL merging, cookie bookkeeping on every answer) cost
        # a fifth of the time of a request. Cookies are kept in an ``httpx.Cookies`` jar as the
        # client would (per domain, so they never cross to another site).
        transport = self._transport or make_transport(self._config)
        await transport.__aenter__()
        self._http = transport
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- public --------------------------------------------------------------------------------

    async def fetch(
        self, url: str, *, headers: Mapping[str, str] | None = None, max_body: int | None = None
    ) -> Fetch:
        """GET ``url`` following redirects; every failure comes back as a ``Fetch`` with ``error_kind``."""
        if self._shared and headers is None and max_body is None:
            page = url.partition("#")[0]
            if page in self._shared:
                return await self._fetch_shared(url, page)
        return await self._fetch(url, headers=headers, max_body=max_body, force_cap=None)

    def expect_shared_pages(self, urls: Iterable[str]) -> None:
        """Announce the URLs a run will fetch: a page among them under several ``#fragments`` (or
        with and without one) is then fetched once and its answer given to each of them. The
        answer is kept only until its last announced user has it."""
        counts = Counter(url.partition("#")[0] for url in urls)
        self._shared = {page: count for page, count in counts.items() if count > 1}

    def forget_shared_page(self, url: str) -> None:
        """One announced user of ``url``'s page will not fetch it after all (a target found
        invalid or excluded after its URL was announced): its answer is not kept for it."""
        page = url.partition("#")[0]
        count = self._shared.get(page)
        if count is None:
            return
        if count <= 1:
            del self._shared[page]
            self._shared_fetches.pop(page, None)
        else:
            self._shared[page] = count - 1

    async def _fetch_shared(self, url: str, page: str) -> Fetch:
        future = self._shared_fetches.get(page)
        if future is None:
            future = asyncio.ensure_future(self._fetch(page, headers=None, max_body=None, force_cap=None))
            self._shared_fetches[page] = future
        try:
            fetch = await asyncio.shield(future)  # one user cancelled must not cancel the others'
        finally:
            self._shared[page] -= 1
            if self._shared[page] <= 0:
                del self._shared[page]
                self._shared_fetches.pop(page, None)
        _, sep, fragment = url.partition("#")
        final_url = fetch.final_url
        if sep and "#" not in final_url:  # a fragment from a redirect's Location wins, as in _fetch
            final_url = f"{final_url}#{fragment}"
        return replace(fetch, url=url, final_url=final_url)

    async def fetch_document(self, url: str, *, max_bytes: int = DEFAULT_MAX_DOCUMENT) -> tuple[bytes, str, str]:
        """Fetch a SOURCE document: ``(body, content-type header, final URL)``.

        Unlike a checked link, a source that cannot be read in full stops the run, so every
        failure raises ``InputError`` with a one-line reason.
        """
        fetch = await self._fetch(url, headers=None, max_body=None, force_cap=max_bytes + 1)
        shown = _redact(url)
        if fetch.error_kind is not None:
            raise InputError(f"cannot fetch {shown}: {fetch.error}")
        assert fetch.status is not None
        if not 200 <= fetch.status <= 299:
            raise InputError(f"cannot fetch {shown}: HTTP {fetch.status}")
        if len(fetch.body) > max_bytes or not fetch.is_body_complete:
            raise InputError(f"cannot fetch {shown}: document larger than {max_bytes} bytes")
        return fetch.body, fetch.header("content-type") or "", fetch.final_url

    async def fetch_probe(self, url: str) -> Fetch:
        """Fetch a made-up path on ``url``'s origin, once per origin for the whole run.

        Concurrent checks of one site share one probe (a lock per origin), so a soft-404 site
        costs one extra request, not one per link.
        """
        parsed = httpx.URL(url)
        origin = f"{parsed.scheme}://{parsed.host}:{parsed.port or _default_port(parsed.scheme)}"
        lock = self._probe_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            cached = self._probes.get(origin)
            if cached is None:
                probe_url = str(parsed.copy_with(path=PROBE_PREFIX + secrets.token_hex(8), query=None, fragment=None))
                cached = await self.fetch(probe_url)
                self._probes[origin] = cached
            return cached

    # -- redirects -----------------------------------------------------------------------------

    async def _fetch(
        self, url: str, *, headers: Mapping[str, str] | None, max_body: int | None, force_cap: int | None
    ) -> Fetch:
        started = time.monotonic()
        state = _Chain(url=url, started=started)
        request_headers = {**dict(self._config.headers), **dict(headers or {})}
        user_header_names = {name.lower() for name, _ in self._config.headers}
        try:
            current = _to_url(url)
        except _Failure as failure:
            return state.failed(url, failure.kind, failure.message)
        if current.scheme not in ("http", "https"):
            return state.failed(url, ErrorKind.INVALID_URL, f"unsupported scheme {current.scheme!r}")
        fragment = current.fragment
        if fragment or "#" in url:  # copying a URL costs a parse: only when there is a fragment to drop
            current = current.copy_with(fragment=None)
        visits: dict[str, int] = {str(current): 1}
        while True:
            hop_headers = {**request_headers, **self._headers_for_host(current)} if self._config.host_headers else request_headers
            answer = await self._request_with_retries(current, hop_headers, max_body, force_cap)
            state.attempts += answer.attempts - 1
            shown = _with_fragment(current, fragment)
            if answer.error_kind is not None:
                return state.failed(shown, answer.error_kind, answer.error, answer)
            assert answer.status is not None
            location = answer.header("location")
            if answer.status not in REDIRECT_STATUSES or not location:
                return state.finished(shown, answer)
            state.redirects.append(Redirect(url=_redact(shown), status=answer.status))
            if len(state.redirects) > self._config.max_redirects:
                message = f"more than {self._config.max_redirects} redirects"
                return state.failed(shown, ErrorKind.TOO_MANY_REDIRECTS, message, answer)
            try:
                target = current.join(location.strip())
            except (httpx.InvalidURL, ValueError, UnicodeError):
                return state.failed(shown, ErrorKind.BAD_REDIRECT, f"unparseable Location {location!r}", answer)
            if target.scheme not in ("http", "https"):
                message = f"redirect to unsupported scheme {target.scheme or location!r}"
                return state.failed(shown, ErrorKind.BAD_REDIRECT, message, answer)
            if target.fragment:
                fragment = target.fragment
            key = str(target.copy_with(fragment=None))
            visits[key] = visits.get(key, 0) + 1
            if visits[key] > 2:  # a third visit: a loop, even allowing one Set-Cookie bounce
                return state.failed(shown, ErrorKind.REDIRECT_LOOP, f"redirect loop at {_redact(key)}", answer)
            if _origin(target) != _origin(current):
                request_headers = {
                    name: value
                    for name, value in request_headers.items()
                    if name.lower() not in _SENSITIVE_HEADERS and name.lower() not in user_header_names
                }
                target = target.copy_with(username=None, password=None)
            current = target.copy_with(fragment=None)

    def _headers_for_host(self, url: httpx.URL) -> dict[str, str]:
        """``--host-header`` values for this URL's host (and port, when one was named): re-chosen on
        every hop, so one host's credentials never follow a redirect to another."""
        host = url.host.lower().rstrip(".")
        wire = url.raw_host.decode("ascii", "replace").lower().rstrip(".")
        port = url.port or _default_port(url.scheme)
        return {
            name: value
            for pattern, wanted_port, name, value in self._config.host_headers
            if pattern in (host, wire) and wanted_port in (None, port)
        }

    # -- retries -------------------------------------------------------------------------------

    async def _request_with_retries(
        self, url: httpx.URL, headers: Mapping[str, str], max_body: int | None, force_cap: int | None
    ) -> _Answer:
        host = self._host(url)
        cap = self._config.max_retry_after
        waited = 0.0
        attempt = 0
        while True:
            answer = await self._request_once(url, headers, max_body, force_cap, host)
            attempt += 1
            answer.attempts = attempt
            transient = answer.is_transient or answer.status in TRANSIENT_STATUSES
            advised = _parse_retry_after(answer.header("retry-after")) if answer.status in TRANSIENT_STATUSES else None
            if advised is not None and advised > cap:
                # Waiting less than asked would only be refused again, and waiting as long would
                # hold the run (and the host's other links) hostage: stop now, and leave the host's
                # other links free to ask for themselves.
                host.penalise(0.0)
                answer.fail(ErrorKind.RETRY_LATER, f"HTTP {answer.status}: asks to retry after {advised:.0f} s"
                                                   f" (more than the {cap:g} s cap)")
                return answer
            if answer.status == 429:
                host.penalise(self._retry_delay(answer, attempt))
            elif answer.status is not None and answer.status < 400:
                host.recover(self._config.per_host)
            if not transient or attempt > self._config.retries:
                return answer
            delay = self._retry_delay(answer, attempt)
            if advised is not None:
                if waited + delay > cap:  # all Retry-After waits of one request fit in the cap
                    return answer
                waited += delay
            await asyncio.sleep(delay)

    def _retry_delay(self, answer: _Answer, attempt: int) -> float:
        """``Retry-After`` when the server gave one (capped), else exponential backoff with jitter."""
        advised = _parse_retry_after(answer.header("retry-after"))
        if advised is not None:
            return min(advised, self._config.max_retry_after)
        backoff: float = min(DEFAULT_BACKOFF_CAP, DEFAULT_BACKOFF_BASE * 2.0 ** (attempt - 1))
        return backoff * (0.5 + random.random() / 2)

    def _host(self, url: httpx.URL) -> _HostSlot:
        key = url.host.lower()
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = _HostSlot(limit=max(1, self._config.per_host))
        return slot

    # -- one request ---------------------------------------------------------------------------

    async def _request_once(
        self,
        url: httpx.URL,
        headers: Mapping[str, str],
        max_body: int | None,
        force_cap: int | None,
        host: _HostSlot,
    ) -> _Answer:
        """One GET under the limits and one deadline; a failure is an ``_Answer`` with ``error_kind``."""
        assert self._http is not None, "use Client as an async context manager"
        answer = _Answer()
        async with host, self._global:
            try:
                async with asyncio.timeout(self._config.timeout):
                    await self._exchange(url, headers, max_body, force_cap, answer)
            except (TimeoutError, httpx.TimeoutException) as exc:
                if answer.status is not None and answer.has_enough:
                    return answer
                answer.fail(ErrorKind.TIMEOUT, _timeout_message(exc, answer, self._config.timeout))
            except Exception as exc:  # noqa: BLE001 - the boundary: everything becomes a value
                kind, message = _classify(exc)
                if answer.status is not None and answer.has_enough and kind is ErrorKind.NETWORK:
                    return answer
                answer.fail(kind, message)
        return answer

    async def _exchange(
        self,
        url: httpx.URL,
        headers: Mapping[str, str],
        max_body: int | None,
        force_cap: int | None,
        answer: _Answer,
    ) -> None:
        """Send the request and read a capped, decoded body prefix into ``answer`` as it arrives."""
        assert self._http is not None
        merged = self._headers.copy()
        merged.update(headers)
        request = httpx.Request("GET", url, headers=merged, extensions=self._extensions)
        if url.username or url.password:  # credentials in the URL go as Basic auth, as httpx's client does
            next(httpx.BasicAuth(url.username, url.password).sync_auth_flow(request))
        if self._cookies.jar:
            self._cookies.set_cookie_header(request)
        response = await self._http.handle_async_request(request)
        response.request = request
        try:
            if "set-cookie" in response.headers:
                self._cookies.extract_cookies(response)
            await self._read(response, max_body, force_cap, answer)
        finally:
            await response.aclose()

    async def _read(
        self, response: httpx.Response, max_body: int | None, force_cap: int | None, answer: _Answer
    ) -> None:
        """Read a capped, decoded body prefix into ``answer`` as it arrives (the head first)."""
        answer.status = response.status_code
        answer.headers = tuple((k.decode("latin-1").lower(), v.decode("utf-8", "replace"))
                               for k, v in response.headers.raw)
        chunks = response.aiter_raw()
        if response.status_code in REDIRECT_STATUSES and answer.header("location"):
            await _drain(response, chunks)
            return
        content_type = answer.content_type
        answer.is_html = content_type in HTML_TYPES or content_type in _TEXT_TYPES
        cap = force_cap if force_cap is not None else _cap_for(content_type, max_body or self._config.max_body)
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
                await _drain(response, chunks)
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


async def _drain(response: httpx.Response, chunks: AsyncIterator[bytes]) -> None:
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


# --------------------------------------------------------------------------------------------
# Per-fetch state


@dataclass
class _Answer(HeaderLookup):
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


@dataclass
class _Chain:
    """The redirect chain of one fetch, turned into the final ``Fetch``."""

    url: str
    started: float
    redirects: list[Redirect] = field(default_factory=list)
    attempts: int = 1

    def _elapsed(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    def failed(self, final_url: str, kind: ErrorKind, message: str | None, answer: _Answer | None = None) -> Fetch:
        return Fetch(
            url=self.url,
            final_url=final_url,
            status=answer.status if answer is not None else None,
            headers=answer.headers if answer is not None else (),
            redirects=tuple(self.redirects),
            error_kind=kind,
            error=_redact(message or kind.value),
            elapsed_ms=self._elapsed(),
            attempts=self.attempts,
        )

    def finished(self, final_url: str, answer: _Answer) -> Fetch:
        return Fetch(
            url=self.url,
            final_url=final_url,
            status=answer.status,
            headers=answer.headers,
            body=bytes(answer.body),
            is_body_complete=answer.is_complete,
            redirects=tuple(self.redirects),
            elapsed_ms=self._elapsed(),
            attempts=self.attempts,
        )


class _Failure(Exception):
    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


# --------------------------------------------------------------------------------------------
# Per-host limits and 429 back-off


class _HostSlot:
    """A per-host limit that shrinks when the host answers 429 and waits out its ``Retry-After``.

    Only the host that asks for less gets less: other hosts keep their own slots.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0
        self.not_before = 0.0
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
        wait = self.not_before - time.monotonic()
        if wait > 0:
            try:
                await asyncio.sleep(wait)
            except BaseException:
                await self._release()
                raise

    async def __aexit__(self, *exc_info: object) -> None:
        await self._release()

    async def _release(self) -> None:
        async with self._changed:
            self.in_flight -= 1
            self._wake()

    def _wake(self) -> None:
        """Wake only as many waiters as there are free places: waking all of them on every
        release costs O(waiters) per request, which dominated CPU at 10,000 links."""
        self._changed.notify(max(1, self.limit - self.in_flight))

    def penalise(self, delay: float) -> None:
        """Halve the host's limit and hold its next requests back by ``delay`` seconds."""
        self.limit = max(1, self.limit // 2)
        self.not_before = max(self.not_before, time.monotonic() + delay)

    def recover(self, ceiling: int) -> None:
        if self.limit < ceiling:
            self.limit += 1


# --------------------------------------------------------------------------------------------
# Body caps


def _cap_for(content_type: str, max_body: int) -> int:
    """How many decoded bytes of an answer of this type are worth reading."""
    if content_type in HTML_TYPES or content_type in _TEXT_TYPES or content_type.endswith("+xml"):
        return max_body
    if content_type == "application/pdf":
        return max(DEFAULT_MAX_PDF, max_body)
    return DEFAULT_MAX_PREFIX


# --------------------------------------------------------------------------------------------
# Exceptions → ErrorKind


def _classify(exc: BaseException) -> tuple[ErrorKind, str]:
    """Map a foreign exception to the most specific ``ErrorKind`` and a short message."""
    if isinstance(exc, _Failure):
        return exc.kind, exc.message
    if isinstance(exc, RefusedAddress):
        return ErrorKind.REFUSED_ADDRESS, str(exc)
    if isinstance(exc, (httpx.InvalidURL, httpx.UnsupportedProtocol)):
        return ErrorKind.INVALID_URL, f"invalid URL: {_first_line(exc)}"
    if isinstance(exc, zlib.error) or type(exc).__name__ == "error" and "brotli" in type(exc).__module__:
        return ErrorKind.PROTOCOL, "malformed response: body could not be decompressed"
    if isinstance(exc, httpx.DecodingError):
        return ErrorKind.PROTOCOL, "malformed response: body could not be decoded"
    tls = _tls_cause(exc)
    if tls is not None:
        return ErrorKind.TLS, tls
    if isinstance(exc, httpx.RemoteProtocolError):
        text = _first_line(exc)
        if _looks_like_reset(text):
            return ErrorKind.NETWORK, f"connection closed by server ({text})"
        return ErrorKind.PROTOCOL, f"malformed response: {text}"
    if isinstance(exc, httpx.ProxyError):
        return ErrorKind.NETWORK, f"proxy error: {_first_line(exc)}"
    if isinstance(exc, httpx.LocalProtocolError):
        return ErrorKind.PROTOCOL, f"request could not be sent: {_first_line(exc)}"
    if isinstance(exc, httpx.ConnectError):
        return ErrorKind.NETWORK, _connect_message(exc)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.NetworkError)):
        return ErrorKind.NETWORK, f"connection reset ({_first_line(exc) or type(exc).__name__})"
    if isinstance(exc, OSError):
        return ErrorKind.NETWORK, f"network error: {exc.strerror or exc}"
    return ErrorKind.NETWORK, f"unexpected error: {type(exc).__name__}: {_first_line(exc)}"


def _looks_like_reset(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in ("disconnected", "peer closed", "incomplete", "connection closed"))


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _tls_cause(exc: BaseException) -> str | None:
    """A short TLS message when ``exc`` comes from the TLS layer, else None."""
    chain = list(_causes(exc))
    for cause in chain:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"TLS certificate verify failed: {cause.verify_message or 'untrusted certificate'}"
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake failed: {getattr(cause, 'reason', None) or _first_line(cause)}"
    for cause in chain:
        text = _first_line(cause)
        if "CERTIFICATE_VERIFY_FAILED" in text:
            _, _, detail = text.partition("certificate verify failed:")
            detail = detail.split("(_ssl.c", 1)[0].strip()
            return f"TLS certificate verify failed: {detail or 'untrusted certificate'}"
        if "SSL" in text or "TLS" in text:
            return f"TLS handshake failed: {text}"
    return None


def _connect_message(exc: BaseException) -> str:
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return "DNS lookup failed"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
    text = _first_line(exc)
    lowered = text.lower()
    if "refused" in lowered or "errno 111" in lowered:
        return "connection refused"
    if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered:
        return "DNS lookup failed"
    return f"could not connect ({text})" if text else "could not connect"


def _timeout_message(exc: BaseException, answer: _Answer, timeout: float) -> str:
    if answer.status is None:
        return f"no answer within {timeout:g} s"
    return f"answer not complete within {timeout:g} s (status {answer.status})"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else ""


# --------------------------------------------------------------------------------------------
# URLs and headers


def _to_url(url: str) -> httpx.URL:
    scheme = scheme_of(url)
    if scheme is None:
        raise _Failure(ErrorKind.INVALID_URL, "invalid URL: no scheme")
    if scheme in ("http", "https"):
        reason = invalid_reason(url)
        if reason is not None:
            raise _Failure(ErrorKind.INVALID_URL, f"invalid URL: {reason}")
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise _Failure(ErrorKind.INVALID_URL, f"invalid URL: {exc}") from exc
    if parsed.scheme in ("http", "https") and not parsed.host:
        raise _Failure(ErrorKind.INVALID_URL, "invalid URL: no host")
    return parsed


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def _origin(url: httpx.URL) -> tuple[str, str, int]:
    return url.scheme, url.host.lower(), url.port or _default_port(url.scheme)


def _with_fragment(url: httpx.URL, fragment: str) -> str:
    return _display(url.copy_with(fragment=fragment or None) if fragment else url)


def _display(url: httpx.URL) -> str:
    """``str(url)``, but an IDNA host in Unicode: punycode is for the wire, reports are for people."""
    text = str(url)
    wire_host = url.raw_host.decode("ascii", "replace")
    if not wire_host or url.host == wire_host:
        return text
    scheme, sep, rest = text.partition("://")
    authority, slash, tail = rest.partition("/")
    userinfo, at, hostport = authority.rpartition("@")
    return f"{scheme}{sep}{userinfo}{at}{hostport.replace(wire_host, url.host, 1)}{slash}{tail}"


def _redact(text: str) -> str:
    return redact(text)


def _parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP-date; None when absent/garbled."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
