"""The client's own connection pool and cookie jar, against a real keep-alive server on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Self, TypeVar

from linkcheck.client import Client
from linkcheck.config import Config

T = TypeVar("T")
FAST = Config(timeout=2.0, retries=0)


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


@dataclass
class KeepAliveServer:
    """HTTP/1.1 with keep-alive: many requests per connection; counts connections, records heads.

    ``/set`` sets a cookie and redirects to ``/page``; ``/r/…`` redirects to ``/page``; every
    other path is a small page. Every answer has a Content-Length, so a client can reuse the
    connection.
    """

    connections: int = 0
    heads: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self.connections += 1
        try:
            for _ in range(1000):  # bounded: a test never sends that many on one connection
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)}
                self.heads.append((path, headers))
                writer.write(_answer(path))
                await writer.drain()
        finally:
            self._tasks.discard(task)
            writer.close()


def _answer(path: str) -> bytes:
    if path == "/set":
        extra, status, body = "Set-Cookie: sid=abc; Path=/\r\nLocation: /page\r\n", "302 Found", b"moved"
    elif path.startswith("/r/"):
        extra, status, body = "Location: /page\r\n", "301 Moved Permanently", b"moved"
    else:
        extra, status = "Content-Type: text/html\r\n", "200 OK"
        body = f"<html><head><title>Page {path}</title></head><body></body></html>".encode()
    return f"HTTP/1.1 {status}\r\n{extra}Content-Length: {len(body)}\r\n\r\n".encode() + body


def test_many_requests_to_one_host_share_few_connections() -> None:
    async def main() -> tuple[int, int, list[int | None]]:
        async with KeepAliveServer() as server, Client(Config(timeout=2.0, retries=0, concurrency=4)) as client:
            urls = [f"http://127.0.0.1:{server.port}/p/{i}" for i in range(40)]
            urls += [f"http://127.0.0.1:{server.port}/r/{i}" for i in range(10)]
            fetches = await asyncio.gather(*(client.fetch(url) for url in urls))
            return server.connections, len(server.heads), [f.status for f in fetches]

    connections, requests, statuses = run(main())
    assert statuses == [200] * 50
    assert requests == 60  # 40 pages, 10 redirects and their 10 targets
    assert connections <= 4  # never more than the concurrency, each reused


def test_a_cookie_set_by_a_site_goes_back_to_it_and_nowhere_else() -> None:
    async def main() -> KeepAliveServer:
        async with KeepAliveServer() as server:
            port = server.port
            config = Config(timeout=2.0, retries=0, resolve={("other.test", port): "127.0.0.1"})
            async with Client(config) as client:
                first = await client.fetch(f"http://127.0.0.1:{port}/set")
                assert first.status == 200 and first.final_url.endswith("/page")
                other = await client.fetch(f"http://other.test:{port}/elsewhere")
                assert other.status == 200
            return server

    server = run(main())
    cookies = {path: headers.get("cookie") for path, headers in server.heads}
    assert cookies["/set"] is None
    assert cookies["/page"] == "sid=abc"  # the redirect bounce carries the cookie just set
    assert cookies["/elsewhere"] is None  # another host never sees it


def test_a_closed_keep_alive_connection_is_replaced_not_reported() -> None:
    async def main() -> tuple[int | None, int | None, int]:
        async with KeepAliveServer() as server, Client(FAST) as client:
            url = f"http://127.0.0.1:{server.port}/a"
            first = await client.fetch(url)
            for task in list(server._tasks):  # the server drops its idle connection
                task.cancel()
            await asyncio.sleep(0.05)
            second = await client.fetch(url)
            return first.status, second.status, server.connections

    first, second, connections = run(main())
    assert (first, second) == (200, 200)
    assert connections == 2
