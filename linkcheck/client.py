"""The HTTP policy in one place: limits, redirects, retries, deadline, byte caps, TLS, addresses.

``Client.fetch(url)`` turns whatever the network does into a ``Fetch`` value: it never raises for
a refused connection, a slow server, a malformed answer or a decompression bomb. Foreign
exceptions are translated once, at its boundary, to an ``ErrorKind`` and a short human message
(``failures.classify``).

Policy choices, and why:

* Always ``GET``, never ``HEAD``: many servers answer ``HEAD`` wrongly (405, 404, 403, or a
  different redirect than ``GET``), and titles, fragments and soft-404 signals need the body
  anyway. Only a prefix of the body is read, so ``GET`` costs little more.
* Redirects are followed by our own loop (httpx's ``follow_redirects`` stays off) so every hop is
  recorded, loops and non-http(s) targets are named, and credentials never cross to another
  origin (``redirects``).
* One deadline (``config.timeout``) covers each request from connect to the last byte read:
  httpx's own timeouts are per operation, so a server dripping one byte a second would never
  trip them.
* Bodies are decoded as they are read, with an output cap on every decompressor, because a 1 MB
  gzip or brotli body can expand to gigabytes within one network read (``answer``).
* Transient failures are retried with back-off, and a host answering 429 gets a smaller share
  until it recovers (``backoff``).
* Connections go through a network backend that applies ``--resolve`` (connect to another
  address, keep Host, SNI and certificate checks on the URL's host) and refuses private,
  loopback or link-local addresses when the run asks for it, on every hop.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Self

import httpx

from .answer import DEFAULT_MAX_HEAD as DEFAULT_MAX_HEAD
from .answer import DRAIN_LIMIT as DRAIN_LIMIT
from .answer import DEFAULT_MAX_PDF, DEFAULT_MAX_PREFIX, HTML_TYPES, Answer, drain, read_body
from .backoff import (
    DEFAULT_BACKOFF_BASE,
    DEFAULT_BACKOFF_CAP,
    TRANSIENT_STATUSES,
    HostSlot,
    parse_retry_after,
    retry_delay,
)
from .config import Config
from .errors import InputError
from .failures import Failure, classify, timeout_message
from .models import ErrorKind, Fetch, Redirect
from .redirects import (
    REDIRECT_STATUSES,
    Chain,
    default_port,
    for_other_origin,
    headers_for_host,
    origin,
    to_url,
    with_fragment,
)
from .transport import RefusedAddress, make_transport
from .urls import redact

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

DEFAULT_MAX_DOCUMENT = 20 * 2**20
"""Most bytes of a SOURCE document fetched by URL."""
DEFAULT_ACCEPT_HEADER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
DEFAULT_ACCEPT_ENCODING = "gzip, deflate, br"
PROBE_PREFIX = "/linkcheck-probe-"


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
        self._hosts: dict[str, HostSlot] = {}
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
        shown = redact(url)
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
        origin = f"{parsed.scheme}://{parsed.host}:{parsed.port or default_port(parsed.scheme)}"
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
        state = Chain(url=url, started=started)
        request_headers = {**dict(self._config.headers), **dict(headers or {})}
        user_header_names = {name.lower() for name, _ in self._config.headers}
        try:
            current = to_url(url)
        except Failure as failure:
            return state.failed(url, failure.kind, failure.message)
        if current.scheme not in ("http", "https"):
            return state.failed(url, ErrorKind.INVALID_URL, f"unsupported scheme {current.scheme!r}")
        fragment = current.fragment
        if fragment or "#" in url:  # copying a URL costs a parse: only when there is a fragment to drop
            current = current.copy_with(fragment=None)
        visits: dict[str, int] = {str(current): 1}
        while True:
            hop_headers = {**request_headers, **headers_for_host(self._config, current)} if self._config.host_headers else request_headers
            answer = await self._request_with_retries(current, hop_headers, max_body, force_cap)
            state.attempts += answer.attempts - 1
            shown = with_fragment(current, fragment)
            if answer.error_kind is not None:
                return state.failed(shown, answer.error_kind, answer.error, answer)
            assert answer.status is not None
            location = answer.header("location")
            if answer.status not in REDIRECT_STATUSES or not location:
                return state.finished(shown, answer)
            state.redirects.append(Redirect(url=redact(shown), status=answer.status))
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
                return state.failed(shown, ErrorKind.REDIRECT_LOOP, f"redirect loop at {redact(key)}", answer)
            if origin(target) != origin(current):
                request_headers, target = for_other_origin(request_headers, user_header_names, target)
            current = target.copy_with(fragment=None)

    # -- retries -------------------------------------------------------------------------------

    async def _request_with_retries(
        self, url: httpx.URL, headers: Mapping[str, str], max_body: int | None, force_cap: int | None
    ) -> Answer:
        host = self._host(url)
        cap = self._config.max_retry_after
        waited = 0.0
        attempt = 0
        while True:
            answer = await self._request_once(url, headers, max_body, force_cap, host)
            attempt += 1
            answer.attempts = attempt
            transient = answer.is_transient or answer.status in TRANSIENT_STATUSES
            advised = parse_retry_after(answer.header("retry-after")) if answer.status in TRANSIENT_STATUSES else None
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

    def _retry_delay(self, answer: Answer, attempt: int) -> float:
        return retry_delay(answer.header("retry-after"), attempt, self._config.max_retry_after)

    def _host(self, url: httpx.URL) -> HostSlot:
        key = url.host.lower()
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = HostSlot(limit=max(1, self._config.per_host))
        return slot

    # -- one request ---------------------------------------------------------------------------

    async def _request_once(
        self,
        url: httpx.URL,
        headers: Mapping[str, str],
        max_body: int | None,
        force_cap: int | None,
        host: HostSlot,
    ) -> Answer:
        """One GET under the limits and one deadline; a failure is an ``Answer`` with ``error_kind``."""
        assert self._http is not None, "use Client as an async context manager"
        answer = Answer()
        async with host, self._global:
            try:
                async with asyncio.timeout(self._config.timeout):
                    await self._exchange(url, headers, max_body, force_cap, answer)
            except (TimeoutError, httpx.TimeoutException) as exc:
                if answer.status is not None and answer.has_enough:
                    return answer
                answer.fail(ErrorKind.TIMEOUT, timeout_message(exc, answer, self._config.timeout))
            except Exception as exc:  # noqa: BLE001 - the boundary: everything becomes a value
                kind, message = classify(exc)
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
        answer: Answer,
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
        self, response: httpx.Response, max_body: int | None, force_cap: int | None, answer: Answer
    ) -> None:
        """Read a capped, decoded body prefix into ``answer`` as it arrives (the head first)."""
        answer.status = response.status_code
        answer.headers = tuple((k.decode("latin-1").lower(), v.decode("utf-8", "replace"))
                               for k, v in response.headers.raw)
        chunks = response.aiter_raw()
        if response.status_code in REDIRECT_STATUSES and answer.header("location"):
            await drain(response, chunks)
            return
        await read_body(response, chunks, answer, max_body=max_body, force_cap=force_cap,
                        usual_cap=self._config.max_body)
