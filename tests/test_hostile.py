"""Misbehaving servers: every check ends quickly, with bounded memory and the right verdict."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import pytest
import trustme

from linkcheck.check import check_target
from linkcheck.client import DEFAULT_MAX_PREFIX, Client
from linkcheck.config import Config
from linkcheck.models import ErrorKind, Fetch, Result, Verdict
from tests.servers import (
    Handler,
    ScriptedServer,
    brotli_bomb,
    closed_port,
    deflate_bomb,
    drip,
    endless,
    gzip_bomb,
    headers_then_stall,
    html,
    never_answer,
    raw,
    redirect,
    reset,
    respond,
    sequence,
    target_for,
    tls_server_context,
    write_ca,
)

T = TypeVar("T")
CAP = 64 * 1024
FAST = Config(timeout=1.0, retries=0, max_body=CAP)


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def _check(handler: Handler, config: Config, path: str) -> tuple[Fetch, Result, float]:
    async with ScriptedServer({path: handler}) as server, Client(config) as client:
        started = time.monotonic()
        fetch = await client.fetch(server.url(path))
        result = await check_target(client, target_for(server.url(path)), config)
        return fetch, result, time.monotonic() - started


def check(handler: Handler, config: Config = FAST, path: str = "/") -> tuple[Fetch, Result, float]:
    """Fetch (for the raw facts) and check (for the verdict) the same hostile path; elapsed is for both."""
    return run(_check(handler, config, path))


# -- bodies that never end or explode -----------------------------------------------------------


def test_endless_html_body_is_cut_at_the_cap() -> None:
    fetch, result, elapsed = check(endless("text/html"))
    assert fetch.status == 200
    assert len(fetch.body) <= CAP
    assert not fetch.is_body_complete
    assert result.verdict is Verdict.OK
    assert elapsed < 2.0


def test_endless_binary_body_reads_only_a_prefix() -> None:
    fetch, result, elapsed = check(endless("video/mp4", prefix=b"\x00\x00\x00\x18ftypmp42"))
    assert len(fetch.body) <= DEFAULT_MAX_PREFIX
    assert result.verdict is Verdict.OK
    assert elapsed < 2.0


@pytest.mark.parametrize("bomb", [gzip_bomb, brotli_bomb, deflate_bomb], ids=["gzip", "brotli", "deflate"])
def test_decompression_bomb_is_decoded_only_up_to_the_cap(bomb: Callable[[], Handler]) -> None:
    tracemalloc.start()
    try:
        fetch, result, elapsed = check(bomb(), Config(timeout=5.0, retries=0, max_body=CAP))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fetch.error_kind is None
    assert fetch.status == 200
    assert len(fetch.body) == CAP
    assert set(fetch.body) == {0}
    assert result.verdict is Verdict.OK
    assert peak < 16 * 2**20  # 1 GiB inflated would be far above; a 64 KiB network read alone can yield 64 MiB
    # Two requests (fetch, then check), each within the 5 s deadline (else the verdict would be a
    # timeout), under tracemalloc, which slows Python several times over on a busy machine.
    assert elapsed < 2 * 5.0


def test_corrupt_gzip_body_is_a_malformed_answer() -> None:
    fetch, result, _ = check(respond(200, b"this is not gzip at all" * 10, headers={"Content-Encoding": "gzip"}))
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert result.verdict is Verdict.NETWORK_ERROR
    assert "malformed" in (result.error or "")


# -- slow and silent servers --------------------------------------------------------------------


def test_drip_feed_is_cut_at_the_deadline() -> None:
    config = Config(timeout=1.5, retries=0)
    started = time.monotonic()
    result = run(_verdict(drip(1.0), config))
    assert result.verdict is Verdict.TIMEOUT
    assert time.monotonic() - started < 2.5


def test_server_that_accepts_and_never_answers_times_out() -> None:
    started = time.monotonic()
    result = run(_verdict(never_answer(), FAST))
    assert result.verdict is Verdict.TIMEOUT
    assert result.status is None
    assert time.monotonic() - started < 2.0


def test_headers_then_stall_before_the_title_is_a_timeout() -> None:
    result = run(_verdict(headers_then_stall("text/html", b"<html><head>"), FAST))
    assert result.verdict is Verdict.TIMEOUT
    assert "status 200" in (result.error or "")


def test_headers_then_stall_after_the_title_keeps_what_was_read() -> None:
    prefix = b"<html><head><title>Enough Read</title></head><body><h1>Enough</h1>"
    result = run(_verdict(headers_then_stall("text/html", prefix), FAST))
    assert result.verdict is Verdict.OK
    assert result.title is not None and result.title.found == "Enough Read"


def test_non_html_stall_after_headers_is_alive() -> None:
    result = run(_verdict(headers_then_stall("application/pdf", b"%PDF-1.7\n"), FAST))
    assert result.verdict is Verdict.OK
    assert result.status == 200


def test_timeout_is_retried_then_reported() -> None:
    async def scenario() -> tuple[ScriptedServer, Result]:
        async with ScriptedServer({"/": never_answer()}) as server:
            config = Config(timeout=0.3, retries=1)
            async with Client(config) as client:
                return server, await check_target(client, target_for(server.url("/")), config)

    server, result = run(scenario())
    assert result.verdict is Verdict.TIMEOUT
    assert len(server.requests) == 2


async def _verdict(handler: Handler, config: Config, path: str = "/") -> Result:
    async with ScriptedServer({path: handler}) as server, Client(config) as client:
        return await check_target(client, target_for(server.url(path)), config)


# -- connections that fail ----------------------------------------------------------------------


def test_reset_connection_is_a_network_error() -> None:
    result = run(_verdict(reset(), FAST))
    assert result.verdict is Verdict.NETWORK_ERROR


def test_port_where_nothing_listens_is_a_network_error() -> None:
    async def scenario() -> Result:
        async with Client(FAST) as client:
            return await check_target(client, target_for(f"http://127.0.0.1:{closed_port()}/"), FAST)

    result = run(scenario())
    assert result.verdict is Verdict.NETWORK_ERROR
    assert "refused" in (result.error or "")


def test_tls_to_a_server_speaking_garbage_is_a_network_error() -> None:
    async def garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(b"HTTP/1.1 400 Bad Request\r\nthis is not TLS at all\r\n\r\n")
        await writer.drain()

    async def scenario() -> Result:
        async with ScriptedServer(on_connect=garbage) as server, Client(FAST) as client:
            return await check_target(client, target_for(f"https://127.0.0.1:{server.port}/"), FAST)

    result = run(scenario())
    assert result.verdict is Verdict.NETWORK_ERROR
    assert "TLS" in (result.error or "")


@pytest.mark.parametrize("expired", [False, True], ids=["untrusted", "expired"])
def test_bad_certificates_are_network_errors_with_tls_text(tmp_path: Path, expired: bool) -> None:
    ca = trustme.CA()
    bundle = write_ca(ca, tmp_path / "ca.pem") if expired else None

    async def scenario() -> Result:
        context = tls_server_context(ca, "secure.example.eu", expired=expired)
        async with ScriptedServer({"/": html("Secret")}, tls=context) as server:
            config = Config(timeout=1.0, retries=0, ca_bundle=bundle,
                            resolve={("secure.example.eu", 443): f"127.0.0.1:{server.port}"})
            async with Client(config) as client:
                return await check_target(client, target_for("https://secure.example.eu/"), config)

    result = run(scenario())
    assert result.verdict is Verdict.NETWORK_ERROR
    assert "TLS certificate" in (result.error or "")
    assert ("expired" in (result.error or "")) is expired


def test_valid_certificate_through_ca_bundle_and_resolve_is_ok(tmp_path: Path) -> None:
    ca = trustme.CA()

    async def scenario() -> Result:
        context = tls_server_context(ca, "www.example.eu")
        async with ScriptedServer({"/": html("EU Portal")}, tls=context) as server:
            config = Config(timeout=1.0, retries=0, ca_bundle=write_ca(ca, tmp_path / "ca.pem"),
                            resolve={("www.example.eu", 443): f"127.0.0.1:{server.port}"})
            async with Client(config) as client:
                return await check_target(client, target_for("https://www.example.eu/", title="EU Portal"), config)

    result = run(scenario())
    assert result.verdict is Verdict.OK, result.error
    assert result.title is not None and result.title.match is True


# -- malformed answers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"HTTQ/1.1 two hundred OK\r\n\r\n", id="bad-status-line"),
        pytest.param(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n", id="huge-header"),
        pytest.param(b"HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", id="bad-header-line"),
    ],
)
def test_malformed_answers_are_network_errors_saying_malformed(data: bytes) -> None:
    fetch, result, elapsed = check(raw(data))
    assert fetch.error_kind is ErrorKind.PROTOCOL
    assert result.verdict is Verdict.NETWORK_ERROR
    assert "malformed" in (result.error or "")
    assert elapsed < 2.0


# -- redirects ----------------------------------------------------------------------------------


def test_redirect_loop_is_broken() -> None:
    async def scenario() -> Result:
        routes = {"/a": redirect("/b", 301), "/b": redirect("/a", 301)}
        async with ScriptedServer(routes) as server, Client(FAST) as client:
            return await check_target(client, target_for(server.url("/a")), FAST)

    result = run(scenario())
    assert result.verdict is Verdict.BROKEN
    assert "loop" in (result.error or "")


def test_twenty_five_hop_chain_is_broken() -> None:
    routes: dict[str, Handler] = {f"/{i}": redirect(f"/{i + 1}", 302) for i in range(25)}
    routes["/25"] = html("End")

    async def scenario() -> tuple[ScriptedServer, Result]:
        async with ScriptedServer(routes) as server, Client(FAST) as client:
            return server, await check_target(client, target_for(server.url("/0")), FAST)

    server, result = run(scenario())
    assert result.verdict is Verdict.BROKEN
    assert "more than 10 redirects" in (result.error or "")
    assert len(server.requests) == 11


def test_redirect_to_ftp_is_broken() -> None:
    result = run(_verdict(redirect("ftp://ftp.example.org/pub/file.txt", 301), FAST))
    assert result.verdict is Verdict.BROKEN
    assert "ftp" in (result.error or "")


# -- rate limits and bot walls ------------------------------------------------------------------


def test_host_that_always_answers_429_is_blocked_and_others_are_unaffected() -> None:
    async def scenario() -> tuple[Result, Result, float, ScriptedServer]:
        limited = respond(429, b"slow down", headers={"Retry-After": "1"})
        async with ScriptedServer({"/": limited}) as busy, ScriptedServer(default=html("Calm")) as calm:
            config = Config(timeout=1.0, retries=2, per_host=2,
                            resolve={("busy.test", busy.port): "127.0.0.1", ("calm.test", calm.port): "127.0.0.1"})
            async with Client(config) as client:
                started = time.monotonic()
                busy_task = asyncio.ensure_future(
                    check_target(client, target_for(f"http://busy.test:{busy.port}/"), config))
                await asyncio.sleep(0.1)  # the busy host has been told to back off by now
                calm_results = await asyncio.gather(
                    *(check_target(client, target_for(f"http://calm.test:{calm.port}/{i}"), config) for i in range(4)))
                calm_elapsed = time.monotonic() - started
                busy_result = await busy_task
            return busy_result, calm_results[0], calm_elapsed, busy

    busy_result, calm_result, calm_elapsed, busy = run(scenario())
    assert busy_result.verdict is Verdict.BLOCKED
    assert busy_result.status == 429
    assert len(busy.requests) == 3
    assert calm_result.verdict is Verdict.OK
    assert calm_elapsed < 0.9


def test_retry_after_beyond_the_cap_blocks_every_link_of_the_host_at_once() -> None:
    """``Retry-After: 3600`` on two links of one host took 121 s (the 30 s cap slept before every
    retry, and the host was held meanwhile); now each link asks once and is ``blocked``."""

    async def scenario() -> tuple[list[Result], float, ScriptedServer]:
        async with ScriptedServer(default=respond(429, b"come back in an hour", headers={"Retry-After": "3600"})) as busy:
            config = Config(timeout=2.0, retries=2, per_host=1)
            async with Client(config) as client:
                started = time.monotonic()
                results = await asyncio.gather(
                    *(check_target(client, target_for(busy.url(f"/{i}")), config) for i in range(2)))
                return list(results), time.monotonic() - started, busy

    results, elapsed, busy = run(scenario())
    assert elapsed < 1.5
    assert len(busy.requests) == 2
    for result in results:
        assert result.verdict is Verdict.BLOCKED
        assert result.status == 429
        assert "asks to retry after 3600 s" in (result.error or "")


def test_a_429_holds_back_the_next_request_to_that_host_only() -> None:
    async def scenario() -> tuple[ScriptedServer, ScriptedServer]:
        routes = {"/first": respond(429, b"slow down", headers={"Retry-After": "1"}), "/second": html("Two")}
        async with ScriptedServer(routes) as busy, ScriptedServer(default=html("Calm")) as calm:
            config = Config(timeout=2.0, retries=0,
                            resolve={("busy.test", busy.port): "127.0.0.1", ("calm.test", calm.port): "127.0.0.1"})
            async with Client(config) as client:
                first = await client.fetch(f"http://busy.test:{busy.port}/first")
                assert first.status == 429
                await asyncio.gather(client.fetch(f"http://busy.test:{busy.port}/second"),
                                     client.fetch(f"http://calm.test:{calm.port}/other"))
            return busy, calm

    busy, calm = run(scenario())
    first, second = busy.requests_to("/first")[0], busy.requests_to("/second")[0]
    assert second.at - first.at >= 0.9
    assert calm.requests[0].at - first.at < 0.5


def test_refused_connection_is_not_retried() -> None:
    async def scenario() -> tuple[Fetch, float]:
        async with Client(Config(timeout=1.0, retries=3)) as client:
            started = time.monotonic()
            fetch = await client.fetch(f"http://127.0.0.1:{closed_port()}/")
            return fetch, time.monotonic() - started

    fetch, elapsed = run(scenario())
    assert fetch.error_kind is ErrorKind.NETWORK
    assert fetch.attempts == 1
    assert elapsed < 0.2


def test_reset_is_retried() -> None:
    async def scenario() -> tuple[Fetch, ScriptedServer]:
        config = Config(timeout=1.0, retries=1)
        async with ScriptedServer({"/": sequence(reset(), html("Back"))}) as server, Client(config) as client:
            return await client.fetch(server.url("/")), server

    fetch, server = run(scenario())
    assert fetch.status == 200
    assert fetch.attempts == 2
    assert len(server.requests) == 2


def test_cloudflare_challenge_is_blocked() -> None:
    page = html("Just a moment...", status=403, body="Checking your browser before accessing the site.",
                headers={"cf-mitigated": "challenge", "Server": "cloudflare"})
    result = run(_verdict(page, FAST))
    assert result.verdict is Verdict.BLOCKED
    assert "cloudflare" in (result.error or "")


def test_linkedin_999_is_blocked() -> None:
    result = run(_verdict(respond(999, b"", content_type="text/plain"), FAST))
    assert result.verdict is Verdict.BLOCKED
    assert result.status == 999


def test_bare_403_is_broken() -> None:
    result = run(_verdict(html("Forbidden", status=403), FAST))
    assert result.verdict is Verdict.BROKEN
    assert result.status == 403


def test_405_to_get_is_broken_with_its_status() -> None:
    result = run(_verdict(respond(405, b"method not allowed", headers={"Allow": "POST"}), FAST))
    assert result.verdict is Verdict.BROKEN
    assert result.error == "HTTP 405"


# -- stale keep-alive connections ---------------------------------------------------------------


def _second_request_reset(counts: dict[str, int], *, close_quietly: bool = False):  # type: ignore[no-untyped-def]
    """A server (or the balancer in front of it) that answers the first request of each connection
    with keep-alive, then drops the connection when a second request arrives on it (TCP RST, or a
    plain close without a byte of answer)."""

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        counts["answered"] = counts.get("answered", 0) + 1
        body = b"<html><head><title>Kept alive</title></head><body>hi</body></html>"
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
                     b"Connection: keep-alive\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        counts["dropped"] = counts.get("dropped", 0) + 1
        if not close_quietly:
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()

    return serve


@pytest.mark.parametrize("close_quietly", [False, True], ids=["reset", "closed"])
def test_request_dropped_on_a_reused_connection_is_sent_again_on_a_fresh_one(close_quietly: bool) -> None:
    """One link in six ended ``network_error "connection reset"`` in every run: all attempts went
    out on reused connections. A request that got no byte of answer on a kept-alive connection is
    resent at once on a new one, and that is not a retry (``--retries 0`` here)."""
    counts: dict[str, int] = {}

    async def scenario() -> list[Result]:
        async with ScriptedServer(on_connect=_second_request_reset(counts, close_quietly=close_quietly)) as server:
            config = Config(timeout=2.0, retries=0, per_host=1)
            async with Client(config) as client:
                results = []
                for i in range(6):  # one after another: every request after the first finds an idle connection
                    results.append(await check_target(client, target_for(server.url(f"/{i}")), config))
                return results

    results = run(scenario())
    assert [r.verdict for r in results] == [Verdict.OK] * 6, [r.error for r in results]
    assert counts["answered"] == 6
    assert counts["dropped"] == 5


def test_a_fresh_connection_that_is_reset_is_not_resent_for_free() -> None:
    """The free resend is for reused connections only: a reset on a new connection is a real failure."""
    async def scenario() -> tuple[Result, ScriptedServer]:
        async with ScriptedServer({"/": reset()}) as server:
            async with Client(FAST) as client:
                return await check_target(client, target_for(server.url("/")), FAST), server

    result, server = run(scenario())
    assert result.verdict is Verdict.NETWORK_ERROR
    assert len(server.requests) == 1


# -- titles behind megabytes of inline script ---------------------------------------------------


def test_title_after_600_kb_of_inline_script_is_read() -> None:
    """Real pages carry MBs of inline script in their head; the usual 512 KB cap cut the title off."""
    script = b"<script>" + b"window.__DATA__.push({a: 1, b: 'x'});\n" * 16_000 + b"</script>"
    assert len(script) > 600_000
    body = (b"<!doctype html><html><head><meta charset='utf-8'>" + script +
            b"<title>EU-Japan Summit 2022 Joint Statement</title></head><body><p>Text</p></body></html>")
    config = Config(timeout=3.0, retries=0)

    async def scenario() -> Result:
        async with ScriptedServer({"/": respond(200, body)}) as server, Client(config) as client:
            target = target_for(server.url("/"), title="EU-Japan Summit 2022 Joint Statement")
            return await check_target(client, target, config)

    result = run(scenario())
    assert result.verdict is Verdict.OK, result.error
    assert result.title is not None and result.title.found == "EU-Japan Summit 2022 Joint Statement"


def test_an_open_head_is_read_to_the_head_cap_only() -> None:
    """A head that never closes (endless inline script): reading stops at DEFAULT_MAX_HEAD, memory bounded."""
    from linkcheck.client import DEFAULT_MAX_HEAD

    handler = endless(prefix=b"<html><head><script>", chunk=b"var x = 1;" * 1600)
    tracemalloc.start()
    try:
        fetch, result, elapsed = check(handler, Config(timeout=3.0, retries=0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(fetch.body) == DEFAULT_MAX_HEAD
    assert not fetch.is_body_complete
    assert result.verdict is Verdict.OK
    assert elapsed < 3.0
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MiB"
