"""A fast, stateless HTTP/1.1 test server for the link-checker benchmark.

Why not http.server or pytest-httpserver: both are thread-per-request and top
out at a few thousand requests per second, so they, not the checker, would be
the bottleneck. This one is asyncio raw streams with a minimal keep-alive
parser (and uvloop when the bench venv has it).

One process listens on the same port on several loopback addresses
(127.0.0.2 .. 127.0.0.(1+HOSTS)): to a link checker those are distinct hosts,
so per-host limits apply per address. 127.0.0.1 on the same port is the
control host (``/__stats``, ``/__reset``, ``/__quit``), never counted.

Every answer is decided by the path alone, so one server serves every
scenario and documents can be generated without asking it anything::

    /s/<delay_ms>/<body_kb>/p/<i>          page i
    /s/<delay_ms>/<body_kb>/p/<i>/final    where redirected pages land

    i % 10 == 3  -> 404 Not Found
    i % 10 == 7  -> 301 to .../p/<i>/final, which answers 200
    otherwise    -> 200 with <title>Page <i> – Bench</title>

``delay_ms`` is a non-blocking sleep before every answer (404, 301 and 200 alike);
``body_kb`` pads 200 pages to about that many KiB. Every answer carries a
``LinkChecker`` header, which LinkChecker reads as the server's consent to be
checked faster than its default 10 requests per second per host.

The server counts requests, connections and in-flight requests per host (and
the highest in-flight seen), and stops by itself after ``--max-seconds`` or
when its standard input closes (its parent died).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import time
from dataclasses import dataclass, field

__all__ = [
    "DEFAULT_HOSTS",
    "DEFAULT_MAX_SECONDS",
    "HostStats",
    "expected_status",
    "host_address",
    "page_path",
    "page_title",
    "main",
]

DEFAULT_HOSTS = 20
DEFAULT_MAX_SECONDS = 1800.0
_CONTROL_ADDRESS = "127.0.0.1"
_MAX_HEADER_BYTES = 16 * 1024


def host_address(index: int) -> str:
    """The loopback address of benchmark host ``index`` (0-based): 127.0.0.2, .3 …"""
    return f"127.0.0.{2 + index}"


def page_path(i: int, delay_ms: int = 0, body_kb: int = 0) -> str:
    """The path of page ``i`` served after ``delay_ms`` with a ``body_kb`` KiB body."""
    return f"/s/{delay_ms}/{body_kb}/p/{i}"


def page_title(i: int) -> str:
    """The title page ``i`` carries, which the generated documents also use as link text."""
    return f"Page {i} – Bench"


def expected_status(i: int) -> int:
    """What requesting page ``i`` answers first: 404, 301 or 200."""
    rest = i % 10
    if rest == 3:
        return 404
    if rest == 7:
        return 301
    return 200


@dataclass
class HostStats:
    """Counters for one host; in_flight rises when a request is parsed, falls when answered."""

    requests: int = 0
    connections: int = 0
    open_connections: int = 0
    max_open_connections: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    first_at: float = 0.0
    last_at: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    methods: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "requests": self.requests,
            "connections": self.connections,
            "max_open_connections": self.max_open_connections,
            "max_in_flight": self.max_in_flight,
            "first_at": self.first_at,
            "last_at": self.last_at,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "methods": dict(sorted(self.methods.items())),
        }


_REASONS = {200: "OK", 301: "Moved Permanently", 404: "Not Found", 400: "Bad Request"}


class _Server:
    """Holds the per-host counters and answers requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.stats: dict[str, HostStats] = {}
        self.total = HostStats()
        self.stopped = asyncio.Event()
        self._bodies: dict[tuple[int, int], bytes] = {}

    def reset(self) -> None:
        """Zero the counters between runs; connections still open stay counted as open."""
        self.stats = {a: HostStats(open_connections=s.open_connections) for a, s in self.stats.items()}
        self.total = HostStats()

    def _host(self, address: str) -> HostStats:
        stats = self.stats.get(address)
        if stats is None:
            stats = self.stats[address] = HostStats()
        return stats

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        address = writer.get_extra_info("sockname")[0]
        is_control = address == _CONTROL_ADDRESS
        if not is_control:
            stats = self._host(address)
            stats.connections += 1
            stats.open_connections += 1
            stats.max_open_connections = max(stats.max_open_connections, stats.open_connections)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
                    return
                method, path, keep_alive, length = _parse_head(head)
                if length:
                    await reader.readexactly(length)
                if is_control:
                    writer.write(self._control(path))
                    await writer.drain()
                    return
                await self._answer(address, method, path, keep_alive, writer)
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            if not is_control:
                self._host(address).open_connections -= 1
            writer.close()

    async def _answer(
        self, address: str, method: str, path: str, keep_alive: bool, writer: asyncio.StreamWriter
    ) -> None:
        both = (self._host(address), self.total)
        now = time.monotonic()
        for stats in both:
            stats.requests += 1
            stats.methods[method] = stats.methods.get(method, 0) + 1
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
            stats.first_at = stats.first_at or now
        status = 0
        try:
            delay_ms, status, location, body = self._route(address, path)
            if delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            writer.write(_response(status, body, keep_alive, location, method == "HEAD"))
            await writer.drain()
        finally:
            now = time.monotonic()
            for stats in both:
                stats.statuses[status] = stats.statuses.get(status, 0) + 1
                stats.in_flight -= 1
                stats.last_at = now

    def _route(self, address: str, path: str) -> tuple[int, int, str, bytes]:
        """(delay_ms, status, location, body) for a benchmark path; 400 for anything else."""
        parts = path.split("?", 1)[0].split("/")
        # ['', 's', delay, kb, 'p', i] or [..., 'final']
        try:
            delay_ms, body_kb, i = int(parts[2]), int(parts[3]), int(parts[5])
        except (IndexError, ValueError):
            return 0, 400, "", b"bad path\n"
        is_final = len(parts) > 6 and parts[6] == "final"
        status = 200 if is_final else expected_status(i)
        if status == 404:
            return delay_ms, 404, "", b"<!doctype html><title>Not Found</title><h1>404</h1>\n"
        if status == 301:
            location = f"http://{address}:{self.port}{page_path(i, delay_ms, body_kb)}/final"
            return delay_ms, 301, location, b""
        return delay_ms, 200, "", self._body(i, body_kb)

    def _body(self, i: int, body_kb: int) -> bytes:
        head = f"<!doctype html><html><head><title>{page_title(i)}</title></head><body><h1>Page {i}</h1>"
        pad = b""
        if body_kb:
            key = (body_kb, 0)
            pad = self._bodies.get(key, b"")
            if not pad:
                line = b"<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n"
                pad = self._bodies[key] = line * (body_kb * 1024 // len(line) + 1)
        return head.encode() + pad + b"</body></html>\n"

    def _control(self, path: str) -> bytes:
        if path.startswith("/__reset"):
            self.reset()
            body = b'{"reset": true}'
        elif path.startswith("/__quit"):
            self.stopped.set()
            body = b'{"quit": true}'
        else:
            hosts = {h: s.as_dict() for h, s in sorted(self.stats.items())}
            body = json.dumps({"total": self.total.as_dict(), "hosts": hosts}).encode()
        return _response(200, body, False, "", False, "application/json")


def _parse_head(head: bytes) -> tuple[str, str, bool, int]:
    """(method, path, keep_alive, content_length) from a request head; lenient on purpose."""
    lines = head.split(b"\r\n")
    request_line = lines[0].decode("latin-1").split(" ")
    method = request_line[0] if request_line else "GET"
    path = request_line[1] if len(request_line) > 1 else "/"
    version = request_line[2] if len(request_line) > 2 else "HTTP/1.0"
    keep_alive = version == "HTTP/1.1"
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"connection":
            token = value.strip().lower()
            keep_alive = token != b"close" and (keep_alive or token == b"keep-alive")
        elif name == b"content-length":
            length = int(value.strip() or 0)
    return method, path, keep_alive, length


def _response(
    status: int,
    body: bytes,
    keep_alive: bool,
    location: str,
    is_head: bool,
    content_type: str = "text/html; charset=utf-8",
) -> bytes:
    head = [
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
        "LinkChecker: bench",
        "Connection: keep-alive" if keep_alive else "Connection: close",
    ]
    if location:
        head.append(f"Location: {location}")
    data = ("\r\n".join(head) + "\r\n\r\n").encode()
    return data if is_head else data + body


def _pick_port(hosts: int, wanted: int) -> tuple[int, list[socket.socket]]:
    """Bind one port on the control address and every host address, retrying on clashes."""
    addresses = [_CONTROL_ADDRESS] + [host_address(n) for n in range(hosts)]
    for _ in range(50):
        sockets: list[socket.socket] = []
        port = wanted
        try:
            for address in addresses:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                sockets.append(sock)
                sock.bind((address, port))
                port = sock.getsockname()[1]
                sock.listen(1024)
            return port, sockets
        except OSError:
            for sock in sockets:
                sock.close()
            if wanted:
                raise
    raise OSError("no port free on every benchmark address")


async def _serve(args: argparse.Namespace) -> None:
    port, sockets = _pick_port(args.hosts, args.port)
    server = _Server(port)
    servers = [await asyncio.start_server(server.handle, sock=s, limit=_MAX_HEADER_BYTES) for s in sockets]
    print(json.dumps({"port": port, "hosts": [host_address(n) for n in range(args.hosts)]}), flush=True)
    loop = asyncio.get_running_loop()
    if args.watch_stdin:
        loop.add_reader(sys.stdin.fileno(), _stop_on_eof, server.stopped)
    try:
        await asyncio.wait_for(server.stopped.wait(), timeout=args.max_seconds)
    except TimeoutError:
        pass
    for s in servers:
        s.close()


def _stop_on_eof(stopped: asyncio.Event) -> None:
    if not os.read(sys.stdin.fileno(), 4096):
        asyncio.get_running_loop().remove_reader(sys.stdin.fileno())
        stopped.set()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=DEFAULT_HOSTS, help="number of host addresses")
    parser.add_argument("--port", type=int, default=0, help="port (0: pick a free one)")
    parser.add_argument("--max-seconds", type=float, default=DEFAULT_MAX_SECONDS, help="stop after this")
    parser.add_argument("--watch-stdin", action="store_true", help="stop when standard input closes")
    parser.add_argument("--no-uvloop", action="store_true", help="plain asyncio event loop")
    args = parser.parse_args(argv)
    if not args.no_uvloop:
        try:
            import uvloop  # only in the bench venv, never a project dependency
        except ImportError:
            pass
        else:
            uvloop.run(_serve(args))
            return
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
