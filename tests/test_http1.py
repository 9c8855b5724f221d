"""The HTTP/1.1 connection (llhttp) against servers that frame their answers badly.

Each case is what a user sees through the client: a status and body, or an error kind with a
message that says what went wrong. Every case gives the same status or error kind as under h11
(the parser this connection replaced), except three where h11 was wrong or stricter than real
servers need: bytes after an answer are no longer taken as the next request's answer, a head is
capped at ``MAX_HEAD`` however it arrives (h11 let up to 164 KB through when it came in one
go), and an answer framed both by length and chunked is read as chunked (h11 did the same) but
its connection is then dropped. llhttp also reads a few framings h11 refused (a
``Transfer-Encoding`` other than chunked, a header line that starts with a space): those answers
now get the server's status instead of ``network_error``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import pytest

from linkcheck.client import Client
from linkcheck.config import Config
from linkcheck.http1 import MAX_HEAD
from linkcheck.models import ErrorKind, Fetch
from tests.servers import RawHandler, ScriptedServer, raw

T = TypeVar("T")
FAST = Config(timeout=2.0, retries=0)
PAGE = b"<html><head><title>Framed</title></head><body>ok</body></html>"


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


def fetch_raw(data: bytes, config: Config = FAST) -> Fetch:
    async def scenario() -> Fetch:
        async with ScriptedServer({"/": raw(data)}) as server, Client(config) as client:
            return await client.fetch(server.url("/"))

    return run(scenario())


def _answer(body: bytes, *headers: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


# -- heads --------------------------------------------------------------------------------------


def test_a_large_head_under_the_cap_is_read() -> None:
    headers = [b"X-Pad-%d: %s" % (i, b"a" * 1000) for i in range(80)]  # about 80 KB of headers
    fetch = fetch_raw(_answer(PAGE, b"Content-Length: %d" % len(PAGE), *headers))
    assert fetch.error_kind is None, fetch.error
    assert fetch.status == 200 and fetch.body == PAGE


def test_a_head_of_many_small_headers_over_the_cap_is_malformed() -> None:
    headers = [b"X-Pad-%d: %s" % (i, b"a" * 100) for i in range(MAX_HEAD // 100 + 10)]
    fetch = fetch_raw(_answer(PAGE, *headers))
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "malformed" in (fetch.error or "") and "head larger than" in (fetch.error or "")


def test_a_head_that_never_ends_is_cut_at_the_cap() -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nX-Endless: ")
        for _ in range(1000):  # 64 MB if read to the end
            writer.write(b"a" * 65536)
            await writer.drain()

    async def scenario() -> Fetch:
        async with ScriptedServer(on_connect=serve) as server, Client(FAST) as client:
            return await client.fetch(server.url("/"))

    fetch = run(scenario())
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "head larger than" in (fetch.error or "")


@pytest.mark.parametrize(
    "status_line",
    [
        pytest.param(b"HTTP/1.1 2000 OK", id="four-digit-status"),
        pytest.param(b"HTTP/1.1 OK 200", id="words-first"),
        pytest.param(b"HTTP/x.y 200 OK", id="bad-version"),
        pytest.param(b"SSH-2.0-OpenSSH_9.6", id="another-protocol"),
    ],
)
def test_malformed_status_lines_are_malformed_answers(status_line: bytes) -> None:
    fetch = fetch_raw(status_line + b"\r\nContent-Length: 2\r\n\r\nhi")
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "malformed" in (fetch.error or "")


def test_a_status_line_without_a_reason_phrase_is_fine() -> None:
    fetch = fetch_raw(b"HTTP/1.1 404\r\nContent-Length: 2\r\n\r\nno")
    assert fetch.error_kind is None, fetch.error
    assert fetch.status == 404


def test_a_header_name_with_a_space_in_it_is_malformed() -> None:
    fetch = fetch_raw(b"HTTP/1.1 200 OK\r\nX Name: 1\r\nContent-Length: 2\r\n\r\nhi")
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "malformed" in (fetch.error or "")


def test_informational_answers_before_the_real_one_are_skipped() -> None:
    fetch = fetch_raw(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                      + _answer(PAGE, b"Content-Length: %d" % len(PAGE)))
    assert fetch.error_kind is None, fetch.error
    assert fetch.status == 200 and fetch.body == PAGE
    assert fetch.header("link") is None  # the hint's headers are not the answer's


# -- bodies -------------------------------------------------------------------------------------


def test_a_chunked_body_with_extensions_and_trailers_is_read_whole() -> None:
    chunked = b"a;name=value\r\n" + PAGE[:10] + b"\r\n" + b"%x\r\n" % (len(PAGE) - 10) + PAGE[10:] + b"\r\n0\r\nX-Trailer: 1\r\n\r\n"
    fetch = fetch_raw(_answer(chunked, b"Transfer-Encoding: chunked"))
    assert fetch.error_kind is None, fetch.error
    assert fetch.body == PAGE and fetch.is_body_complete


def test_a_bad_chunk_size_is_malformed() -> None:
    fetch = fetch_raw(_answer(b"zz\r\nhello\r\n0\r\n\r\n", b"Transfer-Encoding: chunked"))
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "malformed" in (fetch.error or "")


def test_a_chunked_body_cut_by_the_server_is_a_closed_connection() -> None:
    fetch = fetch_raw(_answer(b"400\r\n<html><body>only part", b"Transfer-Encoding: chunked"))
    assert fetch.error_kind is ErrorKind.NETWORK
    assert "connection closed by server" in (fetch.error or "")
    assert "incomplete chunked read" in (fetch.error or "")


def test_a_body_shorter_than_its_content_length_is_a_closed_connection() -> None:
    fetch = fetch_raw(_answer(b"<html><body>short", b"Content-Length: 5000"))
    assert fetch.error_kind is ErrorKind.NETWORK
    assert "received 17 bytes, expected 5000" in (fetch.error or "")


def test_a_body_without_length_ends_when_the_server_closes() -> None:
    fetch = fetch_raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE[:-7])  # no </html>
    assert fetch.error_kind is None, fetch.error
    assert fetch.body == PAGE[:-7] and fetch.is_body_complete


# -- connections --------------------------------------------------------------------------------


def _keep_alive_server(connections: list[int], after_answer: bytes = b"", answer: bytes | None = None) -> RawHandler:
    """Answers every request on a connection with ``answer`` (default: PAGE, keep-alive), then
    writes ``after_answer``."""
    if answer is None:
        answer = _answer(PAGE, b"Content-Length: %d" % len(PAGE))

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while True:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                return
            writer.write(answer + after_answer)
            await writer.drain()

    return serve


def _fetch_three(serve: RawHandler) -> list[Fetch]:
    async def scenario() -> list[Fetch]:
        async with ScriptedServer(on_connect=serve) as server, Client(FAST) as client:
            return [await client.fetch(server.url(f"/{i}")) for i in range(3)]

    return run(scenario())


def test_a_keep_alive_connection_is_reused() -> None:
    connections: list[int] = []
    fetches = _fetch_three(_keep_alive_server(connections))
    assert [f.status for f in fetches] == [200, 200, 200]
    assert len(connections) == 1


def test_bytes_after_the_answer_are_never_read_as_the_next_answer() -> None:
    """A server that sends a second, unasked answer after each one: the next request must not get it."""
    connections: list[int] = []
    unasked = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    fetches = _fetch_three(_keep_alive_server(connections, after_answer=unasked))
    assert [f.status for f in fetches] == [200, 200, 200]
    assert len(connections) == 3  # each connection was dropped after its answer


def test_an_answer_that_says_close_is_not_reused() -> None:
    connections: list[int] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await reader.readuntil(b"\r\n\r\n")
        writer.write(_answer(PAGE, b"Content-Length: %d" % len(PAGE), b"Connection: close"))
        await writer.drain()
        await asyncio.sleep(0.5)  # the socket stays open: only the header says not to reuse it

    fetches = _fetch_three(serve)
    assert [f.status for f in fetches] == [200, 200, 200]
    assert len(connections) == 3


def test_a_header_value_that_would_split_the_request_is_never_sent() -> None:
    async def scenario() -> tuple[Fetch, int]:
        async with ScriptedServer({"/": raw(_answer(PAGE))}) as server, Client(FAST) as client:
            fetch = await client.fetch(server.url("/"), headers={"X-Note": "a\r\nX-Injected: 1"})
            return fetch, len(server.requests)

    fetch, seen = run(scenario())
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "request could not be sent" in (fetch.error or "")
    assert seen == 0


# -- what real servers send and h11 read: still read ---------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: %d\n\n" % len(PAGE) + PAGE, id="bare-lf"),
        pytest.param(_answer(PAGE, b"X-Folded: a", b"  b", b"Content-Length: %d" % len(PAGE)), id="obsolete-fold"),
        pytest.param(_answer(PAGE, b"X-Odd: a\x01b", b"Content-Length: %d" % len(PAGE)), id="control-char-in-value"),
        pytest.param(_answer(PAGE, b"Content-Length: %d" % len(PAGE), b"Content-Length: %d" % len(PAGE)), id="length-twice"),
        pytest.param(_answer(PAGE, b"Content-Length: %d, %d" % (len(PAGE), len(PAGE))), id="length-list"),
    ],
)
def test_lenient_framing_that_real_servers_send_is_read(data: bytes) -> None:
    fetch = fetch_raw(data)
    assert fetch.error_kind is None, fetch.error
    assert fetch.status == 200 and fetch.body == PAGE


def test_two_different_lengths_are_malformed() -> None:
    fetch = fetch_raw(_answer(PAGE, b"Content-Length: 5", b"Content-Length: %d" % len(PAGE)))
    assert fetch.error_kind is ErrorKind.PROTOCOL


def test_an_answer_framed_both_ways_is_read_as_chunked_and_its_connection_dropped() -> None:
    connections: list[int] = []
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(PAGE), PAGE)
    serve = _keep_alive_server(connections, answer=_answer(chunked, b"Content-Length: 3", b"Transfer-Encoding: chunked"))
    fetches = _fetch_three(serve)
    assert [(f.status, f.body) for f in fetches] == [(200, PAGE)] * 3
    assert len(connections) == 3


@pytest.mark.parametrize("status", [b"099", b"101"])
def test_a_status_below_100_or_a_protocol_switch_nobody_asked_for_is_malformed(status: bytes) -> None:
    fetch = fetch_raw(b"HTTP/1.1 " + status + b" Odd\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n")
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert "malformed" in (fetch.error or "")
