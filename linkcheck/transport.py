"""The network layer under the client: ``--resolve``, ``--ca-bundle``, address refusal, pooling.

It plugs into httpx's transport API (``httpx.AsyncHTTPTransport``), so ``client.py`` stays a
plain httpx user and tests or the WARC replayer can inject any other transport.

* ``--resolve`` connects to another address (and port) while Host, SNI and certificate checks
  keep the URL's host.
* Private, loopback and link-local addresses are refused, when the run asks for it, on the
  address actually connected to: after DNS, after ``--resolve`` and on every redirect hop.
* Connections are pooled per host (httpcore's pool re-checked every connection on every request,
  which dominated fast runs; see ``bench/RESULTS.md``).
"""

from __future__ import annotations

import asyncio
import ipaddress
import select
import socket
import ssl
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Self

import httpcore
import httpx

from .config import Config
from .errors import InputError
from .http1 import H1Connection
from .proxy import Proxies, ProxyURL, parse_proxies
from .urls import host_to_ascii

__all__ = ["POOL_SPARE", "RefusedAddress", "make_transport"]

POOL_SPARE = 64
"""Idle connections kept beyond ``--concurrency`` (one per recently visited host)."""


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80



_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


class RefusedAddress(Exception):
    """The host is, or resolves to, an address the run refuses to connect to."""


@dataclass(frozen=True)
class _AddressPolicy:
    refuse_private: bool = False
    refuse_loopback: bool = False
    refuse_link_local: bool = False

    @property
    def is_active(self) -> bool:
        return self.refuse_private or self.refuse_loopback or self.refuse_link_local

    def reason(self, address: str) -> str | None:
        """Why ``address`` is refused, or None when it may be used."""
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return None
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        # 0.0.0.0 (and 0/8, ::) is not "loopback" to ipaddress, but connecting to it reaches this host.
        if ip.is_loopback or ip.is_unspecified or ip in _THIS_NETWORK:
            return "loopback" if self.refuse_loopback else None
        if ip.is_link_local:
            return "link-local" if self.refuse_link_local else None
        if ip.is_private:
            return "private" if self.refuse_private else None
        return None


def _split_address(value: str, port: int) -> tuple[str, int]:
    """``ADDR``, ``ADDR:PORT``, ``[v6]``, ``[v6]:PORT`` or a bare IPv6 → (address, port)."""
    value = value.strip()
    if value.startswith("["):
        address, _, rest = value[1:].partition("]")
        return address, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else port
    if value.count(":") == 1:
        address, _, port_s = value.partition(":")
        return address, int(port_s) if port_s.isdigit() else port
    return value, port


class _Backend(httpcore.AsyncNetworkBackend):
    """Connects where ``--resolve`` says and only to addresses the policy allows.

    TLS (SNI and certificate check) is started by httpcore on the returned stream with the URL's
    host, so redirecting the TCP connection never weakens verification.
    """

    def __init__(self, resolve: Mapping[tuple[str, int], str], policy: _AddressPolicy) -> None:
        # httpcore asks for the wire (punycode) name, so ``--resolve bücher.example:…`` is keyed that way.
        self._resolve = {(_ascii_host(host), port): address for (host, port), address in resolve.items()}
        self._policy = policy

    def address_of(self, host: str, port: int) -> tuple[str, int]:
        """Where ``--resolve`` sends ``host:port`` (itself when not mapped)."""
        mapped = self._resolve.get((host.lower(), port))
        return _split_address(mapped, port) if mapped else (host, port)

    def is_mapped(self, host: str, port: int) -> bool:
        return (host.lower(), port) in self._resolve

    def _allowed(self, host: str, candidates: list[str]) -> list[str]:
        allowed = [ip for ip in candidates if self._policy.reason(ip) is None]
        if not allowed:
            reason = self._policy.reason(candidates[0])
            shown = candidates[0] if candidates[0] == host.strip("[]") else f"{host} → {candidates[0]}"
            raise RefusedAddress(f"refused: {reason} address ({shown})")
        return allowed

    async def refuse_through_proxy(self, host: str, port: int) -> None:
        """Address refusal for a target reached through a proxy: the target's addresses count, not
        the proxy's. A name this machine cannot resolve is left to the proxy (it may know it)."""
        if not self._policy.is_active:
            return
        address, port = self.address_of(host, port)
        try:
            candidates = await _lookup(address, port)
        except httpcore.ConnectError:
            return
        self._allowed(host, candidates)

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        address, port = self.address_of(host, port)
        candidates = await _lookup(address, port)
        allowed = self._allowed(host, candidates)
        last: Exception | None = None
        for ip in allowed:
            try:
                return await _Stream.connect(
                    ip, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:  # pragma: no cover - never used: no --unix-socket option
        raise httpcore.ConnectError("unix sockets are not supported")

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class _Stream(httpcore.AsyncNetworkStream):
    """httpcore's network stream directly on asyncio streams.

    httpcore's own backend goes through anyio, which wraps every read and write in a cancel
    scope and rebuilds a dict of socket attributes on every idle check; at thousands of
    requests a second that layer cost as much as parsing HTTP. Errors are mapped to httpcore's
    exception types exactly as its anyio backend does, keeping the causes (refused, TLS).
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    @classmethod
    async def connect(
        cls,
        host: str,
        port: int,
        *,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[Any] | None,
    ) -> _Stream:
        local = (local_address, 0) if local_address else None
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(host, port, local_addr=local)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock = writer.get_extra_info("socket")
        for option in socket_options or ():  # pragma: no cover - httpx passes none
            sock.setsockopt(*option)
        return cls(reader, writer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except (OSError, RuntimeError) as exc:  # RuntimeError: write on a closing transport
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        transport = self._writer.transport
        if transport.is_closing():
            return
        transport.close()
        await asyncio.sleep(0)  # let a TLS close_notify go out, as httpcore's anyio backend does
        transport.abort()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                await self._writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError as exc:
            await self.aclose()
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except (OSError, ssl.SSLError) as exc:
            await self.aclose()
            raise httpcore.ConnectError(str(exc)) from exc
        except BaseException:
            await self.aclose()
            raise
        return self

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object":
            return self._writer.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info == "socket":
            return self._writer.get_extra_info("socket")
        if info == "is_readable":
            return self._reader.at_eof() or _is_readable(self._writer.get_extra_info("socket"))
        return None


def _is_readable(sock: Any) -> bool:
    """Would ``recv`` return at once? On an idle keep-alive connection that means the server closed it."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


def _ascii_host(host: str) -> str:
    try:
        return host_to_ascii(host).lower()
    except UnicodeError:  # no IDNA form: can never match a request, keep it as given
        return host.lower()


async def _lookup(host: str, port: int) -> list[str]:
    """Every address of ``host`` (IP literals pass through), as httpcore would connect."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return [host]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"DNS lookup failed for {host}") from exc
    addresses: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise httpcore.ConnectError(f"DNS lookup failed for {host}")
    return addresses


_OriginKey = tuple[bytes, bytes, int]


class _Pool:
    """A connection pool keyed by origin: O(1) per request, where httpcore's is O(connections²).

    httpcore's ``AsyncConnectionPool`` re-examines every pooled connection (and asks each socket
    whether it is readable) on every request and every response close; with idle connections
    to a few dozen hosts that bookkeeping cost more than the HTTP itself. Limits on requests in
    flight are the client's (global and per-host semaphores), so this pool only keeps idle
    connections: the most recently used one per origin is reused, the least recently used ones
    beyond ``max_idle`` are closed. Connections are ``http1.H1Connection`` (HTTP/1.1 parsed by llhttp)
over our backend.
    """

    def __init__(
        self, *, ssl_context: Callable[[], ssl.SSLContext], max_idle: int, keepalive_expiry: float | None,
        network_backend: _Backend, proxies: Proxies | None = None,
    ) -> None:
        self._proxies = proxies
        self._make_ssl_context = ssl_context
        self._ssl_context: ssl.SSLContext | None = None
        self._max_idle = max(0, max_idle)
        self._keepalive_expiry = keepalive_expiry
        self._backend = network_backend
        self._idle: dict[_OriginKey, list[H1Connection]] = {}
        self._idle_count = 0
        self._active: set[H1Connection] = set()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def handle_async_request(self, request: httpcore.Request) -> httpcore.Response:
        url = request.url
        key: _OriginKey = (url.scheme, url.host, url.port or _default_port(url.scheme.decode("ascii")))
        proxy = None
        if self._proxies is not None:
            proxy = self._proxies.for_url(url.scheme.decode("ascii"), url.host.decode("ascii"))
        if proxy is not None:
            await self._backend.refuse_through_proxy(url.host.decode("ascii"), key[2])
            if url.scheme == b"http" and not self._backend.is_mapped(url.host.decode("ascii"), key[2]):
                request = _forwarded(request, proxy)
                key = (b"proxy", proxy.host.encode("ascii", "replace"), proxy.port)
        fresh = False
        while True:
            connection, reused = await self._checkout(key, request, fresh=fresh, proxy=proxy)
            self._active.add(connection)
            try:
                response = await connection.handle_async_request(request)
            except httpcore.ConnectionNotAvailable:  # pragma: no cover - a reused connection went stale
                self._active.discard(connection)
                continue
            except (httpcore.ReadError, httpcore.WriteError, httpcore.RemoteProtocolError) as exc:
                self._active.discard(connection)
                await connection.aclose()
                if reused and not fresh and _is_stale_connection(exc):
                    # A kept-alive connection the server (or a load balancer) dropped while idle:
                    # the request never reached anyone, so send it again at once on a new
                    # connection, as browsers and curl do. It is not a retry of the request.
                    fresh = True
                    continue
                raise
            except BaseException:
                self._active.discard(connection)
                raise
            return httpcore.Response(
                status=response.status,
                headers=response.headers,
                content=_PooledStream(response.stream, self, key, connection),
                extensions=response.extensions,
            )

    async def _checkout(
        self, key: _OriginKey, request: httpcore.Request, *, fresh: bool = False, proxy: ProxyURL | None = None
    ) -> tuple[H1Connection, bool]:
        """The most recently idle connection to ``origin`` that still works, else a new one
        (always a new one when ``fresh``); the flag says whether the connection was reused."""
        idle = None if fresh else self._idle.get(key)
        while idle:
            connection = idle.pop()
            self._idle_count -= 1
            if not idle:
                del self._idle[key]
            if connection.is_available() and not connection.has_expired():
                return connection, True
            await connection.aclose()
        stream = await self._connect(request, proxy)
        return H1Connection(request.url.origin, stream, self._keepalive_expiry), False

    async def _connect(self, request: httpcore.Request, proxy: ProxyURL | None = None) -> httpcore.AsyncNetworkStream:
        """TCP through our backend, then TLS with the URL's host as SNI, as httpcore's connection does.

        Connecting here rather than through ``httpcore.AsyncHTTPConnection`` saves that wrapper's
        lock, which under asyncio yields to the event loop on every request.
        """
        origin = request.url.origin
        timeout = request.extensions.get("timeout", {}).get("connect")
        host = origin.host.decode("ascii")
        if proxy is None:
            stream = await self._backend.connect_tcp(host, origin.port, timeout=timeout)
        elif request.url.target.startswith(b"http://"):  # forwarded: the connection is to the proxy
            return await _connect_proxy(proxy, timeout)
        else:  # a tunnel to the target (to its --resolve address, if mapped)
            stream = await _connect_proxy(proxy, timeout)
            await _open_tunnel(stream, proxy, *self._backend.address_of(host, origin.port), timeout)
        if origin.scheme == b"https":
            server_hostname = request.extensions.get("sni_hostname") or host
            stream = await stream.start_tls(self._tls_context(), server_hostname=server_hostname, timeout=timeout)
        return stream

    def _tls_context(self) -> ssl.SSLContext:
        """Made on the first https connection: loading the CA stores takes ~70 ms, which a run
        of http links only (or of no links) need not pay."""
        if self._ssl_context is None:
            self._ssl_context = self._make_ssl_context()
            self._ssl_context.set_alpn_protocols(["http/1.1"])
        return self._ssl_context

    async def _checkin(self, key: _OriginKey, connection: H1Connection) -> None:
        """Keep a connection whose answer was read in full; close the oldest idle one beyond the cap."""
        self._active.discard(connection)
        if not connection.is_idle():
            if not connection.is_closed():
                await connection.aclose()
            return
        self._idle.setdefault(key, []).append(connection)
        self._idle_count += 1
        if self._idle_count > self._max_idle:
            await self._evict_oldest()

    async def _evict_oldest(self) -> None:
        # dicts keep insertion order and a host's list is re-created when it empties, so the
        # first key is the least recently emptied-and-refilled origin: close its oldest connection.
        key = next(iter(self._idle))
        idle = self._idle[key]
        connection = idle.pop(0)
        self._idle_count -= 1
        if not idle:
            del self._idle[key]
        await connection.aclose()

    async def aclose(self) -> None:
        connections = [c for idle in self._idle.values() for c in idle] + list(self._active)
        self._idle.clear()
        self._idle_count = 0
        self._active.clear()
        for connection in connections:
            await connection.aclose()


def _forwarded(request: httpcore.Request, proxy: ProxyURL) -> httpcore.Request:
    """The request as a forward proxy takes it: to the proxy, with the absolute URL as target."""
    headers = list(request.headers)
    if proxy.authorization:
        headers.append((b"Proxy-Authorization", proxy.authorization.encode("ascii")))
    url = httpcore.URL(scheme=b"http", host=proxy.host.encode("ascii", "replace"), port=proxy.port,
                       target=bytes(request.url))
    return httpcore.Request(request.method, url, headers=headers, content=request.stream,
                            extensions=request.extensions)


async def _connect_proxy(proxy: ProxyURL, timeout: float | None) -> httpcore.AsyncNetworkStream:
    """A TCP connection to the proxy itself: no ``--resolve`` and no address refusal (a proxy on
    localhost or the office network is the point; refusal judges the target)."""
    try:
        last: Exception | None = None
        for address in await _lookup(proxy.host, proxy.port):
            try:
                return await _Stream.connect(address, proxy.port, timeout=timeout, local_address=None,
                                             socket_options=None)
            except httpcore.ConnectError as exc:
                last = exc
        assert last is not None
        raise last
    except httpcore.ConnectError as exc:
        raise httpcore.ProxyError(f"cannot connect to proxy {proxy} ({_reason(exc)})") from exc


def _reason(exc: BaseException) -> str:
    if isinstance(exc.__cause__, ConnectionRefusedError):
        return "connection refused"
    text = str(exc)
    return text.splitlines()[0][:120] if text else type(exc).__name__


_MAX_CONNECT_ANSWER = 16 * 1024


async def _open_tunnel(
    stream: httpcore.AsyncNetworkStream, proxy: ProxyURL, host: str, port: int, timeout: float | None
) -> None:
    """``CONNECT host:port`` through the proxy; returns when the tunnel stands (a 2xx answer)."""
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {authority} HTTP/1.1", f"Host: {authority}"]
    if proxy.authorization:
        lines.append(f"Proxy-Authorization: {proxy.authorization}")
    await stream.write(("\r\n".join(lines) + "\r\n\r\n").encode("ascii", "replace"), timeout)
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = await stream.read(4096, timeout)
        if not chunk or len(head) > _MAX_CONNECT_ANSWER:
            await stream.aclose()
            raise httpcore.ProxyError(f"proxy {proxy} closed the connection during CONNECT {authority}")
        head += chunk
    status_line = head.split(b"\r\n", 1)[0].decode("latin-1")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[1].isdigit() or not 200 <= int(parts[1]) <= 299:
        await stream.aclose()
        raise httpcore.ProxyError(f"proxy {proxy} refused CONNECT {authority}: {status_line[:100]}")


def _is_stale_connection(exc: Exception) -> bool:
    """Did the request fail before any byte of an answer came (reset, closed, write refused)?

    httpcore raises ``RemoteProtocolError`` also for a malformed answer; only its "disconnected
    without sending a response" means that nothing came.
    """
    if isinstance(exc, httpcore.RemoteProtocolError):
        return "without sending" in str(exc)
    return True


class _PooledStream:
    """A response body that gives its connection back to the pool once closed."""

    def __init__(
        self, stream: Any, pool: _Pool, key: _OriginKey, connection: H1Connection
    ) -> None:
        self._stream = stream
        self._pool = pool
        self._key = key
        self._connection = connection
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for part in self._stream:
                yield part
        except BaseException:
            await self.aclose()
            raise

    async def aclose(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if hasattr(self._stream, "aclose"):
                await self._stream.aclose()
        finally:
            await self._pool._checkin(self._key, self._connection)


class _Transport(httpx.AsyncHTTPTransport):
    """httpx's transport with our network backend plugged into its connection pool."""

    def __init__(self, config: Config, ssl_context: Callable[[], ssl.SSLContext]) -> None:
        # In-flight requests are limited by the client's own semaphores; the pool is larger so
        # that idle connections to many hosts visited in turn are kept rather than churned.
        pool_size = max(1, config.concurrency) + POOL_SPARE
        limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size)
        # httpx's own pool is replaced just below, so it gets a bare (verifying, CA-less) context
        # instead of one that loads the CA stores for nothing.
        unused = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        super().__init__(verify=unused, limits=limits, http2=False, trust_env=False)
        policy = _AddressPolicy(
            refuse_private=config.exclude_private,
            refuse_loopback=config.exclude_loopback,
            refuse_link_local=config.exclude_link_local,
        )
        self._pool = _Pool(  # type: ignore[assignment]
            ssl_context=ssl_context,
            max_idle=pool_size,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(config.resolve, policy),
            proxies=_proxies(config),
        )


def _ssl_context(config: Config) -> ssl.SSLContext:
    """System store, plus certifi, plus ``--ca-bundle``: an extra CA never replaces the usual ones."""
    context = ssl.create_default_context()
    try:
        import certifi

        context.load_verify_locations(cafile=certifi.where())
    except (ImportError, OSError):  # pragma: no cover - certifi comes with httpx
        pass
    if config.ca_bundle is not None:
        try:
            context.load_verify_locations(cafile=str(config.ca_bundle))
        except (OSError, ssl.SSLError) as exc:
            raise InputError(f"--ca-bundle: cannot read {config.ca_bundle}: {exc}") from exc
    return context


def _proxies(config: Config) -> Proxies | None:
    proxies = parse_proxies(config.proxy, dict(config.proxy_env))
    return proxies if proxies.http is not None or proxies.https is not None else None


def make_transport(config: Config) -> httpx.AsyncBaseTransport:
    if config.ca_bundle is not None:  # read now: an unreadable --ca-bundle stops the run at once
        context = _ssl_context(config)
        return _Transport(config, lambda: context)
    return _Transport(config, lambda: _ssl_context(config))
