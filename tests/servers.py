"""Real, scriptable HTTP servers on 127.0.0.1 for client tests, including hostile ones.

``ScriptedServer`` is an asyncio-streams server whose answer is chosen per path by a handler
(plain coroutine functions, built with the factories below). It records every request, counts
how many are in flight at once, and stops every connection when the ``async with`` block ends,
so no test leaves a server or a socket behind. TLS comes from ``trustme``.

Tests run their scenario with ``asyncio.run`` (no async plugin needed)::

    async def scenario() -> None:
        async with ScriptedServer({"/": html("Hello")}) as server:
            ...
    asyncio.run(scenario())
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import socket
import ssl
import struct
import zlib
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from typing import Self

import trustme

from linkcheck.models import Expectation, Target

__all__ = [
    "Handler",
    "Request",
    "ScriptedServer",
    "brotli_bomb",
    "closed_port",
    "deflate_body",
    "deflate_bomb",
    "delayed",
    "drip",
    "endless",
    "gzip_bomb",
    "headers_then_stall",
    "html",
    "http_date",
    "never_answer",
    "raw",
    "redirect",
    "reset",
    "respond",
    "sequence",
    "target_for",
    "tls_server_context",
    "write_ca",
]

MAX_SERVE_SECONDS = 20.0
"""Upper bound on how long any hostile handler keeps a connection busy."""


@dataclass(frozen=True)
class Request:
    """One request as the server saw it."""

    method: str
    target: str
    headers: dict[str, str]
    """Header names lower-cased (last value wins)."""
    at: float = 0.0
    """Event-loop time the request arrived."""

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]


Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[None]]
RawHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@dataclass
class ScriptedServer:
    """An HTTP/1.1 server (one request per connection) whose answers are scripted per path."""

    routes: dict[str, Handler] = field(default_factory=dict)
    default: Handler | None = None
    tls: ssl.SSLContext | None = None
    on_connect: RawHandler | None = None
    """Bypass HTTP parsing entirely (garbage speakers)."""
    requests: list[Request] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._on_connection, "127.0.0.1", 0, ssl=self.tls)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def origin(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    async def _on_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            if self.on_connect is not None:
                await self.on_connect(reader, writer)
            else:
                await self._serve_one(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ssl.SSLError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        request = Request(method=method, target=target, headers=headers, at=asyncio.get_running_loop().time())
        self.requests.append(request)
        handler = self.routes.get(request.path) or self.default or respond(404, b"no such path")
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            await handler(request, writer)
            await writer.drain()
        finally:
            self.in_flight -= 1


# --------------------------------------------------------------------------------------------
# Handler factories


def _head(status: int, headers: Mapping[str, str] | list[tuple[str, str]], reason: str | None = None) -> bytes:
    pairs = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    lines = [f"HTTP/1.1 {status} {reason or 'Status'}"] + [f"{k}: {v}" for k, v in pairs]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def respond(
    status: int = 200,
    body: bytes = b"",
    *,
    content_type: str = "text/html; charset=utf-8",
    headers: Mapping[str, str] | None = None,
) -> Handler:
    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        fields = {"Content-Type": content_type, "Content-Length": str(len(body)), "Connection": "close"}
        fields.update(headers or {})
        writer.write(_head(status, fields) + body)

    return handler


def html(title: str, *, status: int = 200, h1: str | None = None, body: str = "", ids: tuple[str, ...] = (),
         headers: Mapping[str, str] | None = None) -> Handler:
    anchors = "".join(f'<p id="{i}">section {i}</p>' for i in ids)
    heading = f"<h1>{h1}</h1>" if h1 else ""
    page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body>{heading}{anchors}<p>{body or 'Some ordinary content of this page.'}</p></body></html>")
    return respond(status, page.encode("utf-8"), headers=headers)


def redirect(location: str, status: int = 302) -> Handler:
    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        head = _head(status, {"Content-Length": "0", "Connection": "close"}).rstrip(b"\r\n")
        writer.write(head + b"\r\nLocation: " + location.encode("utf-8") + b"\r\n\r\n")

    return handler


def sequence(*handlers: Handler) -> Handler:
    """Answer the n-th request with the n-th handler; the last one repeats."""
    calls = 0

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        nonlocal calls
        chosen = handlers[min(calls, len(handlers) - 1)]
        calls += 1
        await chosen(request, writer)

    return handler


def delayed(seconds: float, inner: Handler) -> Handler:
    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        await inner(request, writer)

    return handler


def endless(content_type: str = "text/html", *, prefix: bytes = b"<html><head><title>Endless</title></head>",
            chunk: bytes = b"<p>" + b"x" * 16_000 + b"</p>") -> Handler:
    """Headers, then body chunks until the client hangs up (or MAX_SERVE_SECONDS)."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Content-Type": content_type, "Connection": "close"}) + prefix)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + MAX_SERVE_SECONDS
        while loop.time() < deadline and not writer.is_closing():
            writer.write(chunk)
            await writer.drain()

    return handler


def drip(interval: float = 1.0, *, body: bytes = b"<html><head><title>Slow</title></head></html>") -> Handler:
    """Headers at once, then one body byte every ``interval`` seconds."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Content-Type": "text/html", "Content-Length": str(len(body))}))
        for index in range(len(body)):
            await writer.drain()
            await asyncio.sleep(interval)
            writer.write(body[index:index + 1])

    return handler


def never_answer() -> Handler:
    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(MAX_SERVE_SECONDS)

    return handler


def headers_then_stall(content_type: str = "text/html", prefix: bytes = b"") -> Handler:
    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Content-Type": content_type, "Content-Length": "100000"}) + prefix)
        await writer.drain()
        await asyncio.sleep(MAX_SERVE_SECONDS)

    return handler


def reset() -> Handler:
    """Abort the connection with a TCP RST once the request is read."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()

    return handler


def raw(data: bytes) -> Handler:
    """Write exactly these bytes (malformed status lines, oversized headers …) and close."""

    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(data)

    return handler


def _zeros(total: int, block: int = 1 << 20) -> Iterator[bytes]:
    zero = bytes(block)
    for _ in range(total // block):
        yield zero


def _compressed_stream(encoding: str, total: int) -> Iterator[bytes]:
    """``total`` zero bytes compressed on the fly, one piece per MiB of input (often empty)."""
    if encoding == "br":
        import brotli

        compressor = brotli.Compressor(quality=4)
        for index, block in enumerate(_zeros(total)):
            # Flush now and then: brotli would otherwise hold the whole bomb (~2 KB) to the end.
            yield compressor.process(block) + (compressor.flush() if index % 16 == 15 else b"")
        yield compressor.finish()
        return
    wbits = 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS
    zcomp = zlib.compressobj(9, zlib.DEFLATED, wbits)
    for block in _zeros(total):
        yield zcomp.compress(block)
    yield zcomp.flush()


def _bomb(encoding: str, total: int, content_type: str) -> Handler:
    async def handler(request: Request, writer: asyncio.StreamWriter) -> None:
        writer.write(_head(200, {"Content-Type": content_type, "Content-Encoding": encoding,
                                 "Connection": "close"}))
        await writer.drain()
        batch = bytearray()
        blocks = 0
        for piece in _compressed_stream(encoding, total):
            batch += piece
            blocks += 1
            await asyncio.sleep(0)  # one event loop for server and client in tests: let the client run
            # Send in network-read-sized pieces (each inflates to tens of MiB), or every 64 MiB inflated.
            if len(batch) < 64 * 1024 and blocks % 64:
                continue
            if writer.is_closing():
                return
            writer.write(bytes(batch))
            batch.clear()
            await writer.drain()
        writer.write(bytes(batch))

    return handler


def gzip_bomb(total: int = 1 << 30, content_type: str = "text/html") -> Handler:
    """1 GiB of zeros, gzip-compressed while sent (about 1 MB on the wire)."""
    return _bomb("gzip", total, content_type)


def brotli_bomb(total: int = 1 << 30, content_type: str = "text/html") -> Handler:
    return _bomb("br", total, content_type)


def deflate_bomb(total: int = 1 << 30, content_type: str = "text/html") -> Handler:
    return _bomb("deflate", total, content_type)


def deflate_body(body: bytes, *, raw_deflate: bool = False, content_type: str = "text/html") -> Handler:
    """``Content-Encoding: deflate`` as zlib stream (RFC) or raw deflate (what some servers send)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)
    data = compressor.compress(body) + compressor.flush()
    return respond(200, data, content_type=content_type, headers={"Content-Encoding": "deflate"})


# --------------------------------------------------------------------------------------------
# TLS, dates, ports


def tls_server_context(ca: trustme.CA, *hosts: str, expired: bool = False) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    if expired:
        now = datetime.datetime.now(datetime.UTC)
        cert = ca.issue_cert(*hosts, not_before=now - datetime.timedelta(days=30),
                             not_after=now - datetime.timedelta(days=1))
    else:
        cert = ca.issue_cert(*hosts)
    cert.configure_cert(context)
    return context


def write_ca(ca: trustme.CA, path: Path) -> Path:
    ca.cert_pem.write_to_path(str(path))
    return path


def http_date(seconds_from_now: float) -> str:
    import time

    return formatdate(time.time() + seconds_from_now, usegmt=True)


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def target_for(url: str, *, title: str | None = None) -> Target:
    """A Target as collect.py would make it (expected title from the link text when given)."""
    expected = Expectation(title=title) if title is not None else None
    return Target(key=url, url=url, checked_url=url, occurrences=(), expected=expected)
