"""The HTTP client against real servers on 127.0.0.1: bodies, redirects, retries, limits, TLS."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Awaitable, Mapping
from pathlib import Path
from typing import TypeVar

import pytest
import trustme

from linkcheck.client import DEFAULT_MAX_PDF, DEFAULT_MAX_PREFIX, Client
from linkcheck.config import Config
from linkcheck.errors import InputError
from linkcheck.models import ErrorKind, Fetch, Redirect
from tests.servers import (
    Handler,
    ScriptedServer,
    deflate_body,
    delayed,
    html,
    http_date,
    redirect,
    respond,
    sequence,
    tls_server_context,
    write_ca,
)

T = TypeVar("T")
FAST = Config(timeout=2.0, retries=0)


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def fetch_one(
    routes: Mapping[str, Handler], path: str, config: Config = FAST, *,
    headers: Mapping[str, str] | None = None, max_body: int | None = None,
) -> Fetch:
    async with ScriptedServer(dict(routes)) as server, Client(config) as client:
        return await client.fetch(server.url(path), headers=headers, max_body=max_body)


# -- bodies and headers ------------------------------------------------------------------------


def test_html_answer_comes_back_with_status_headers_and_whole_body() -> None:
    fetch = run(fetch_one({"/a": html("Hello there", ids=("x",))}, "/a"))
    assert fetch.error_kind is None
    assert fetch.status == 200
    assert fetch.content_type == "text/html"
    assert fetch.header("content-type") == "text/html; charset=utf-8"
    assert b"<title>Hello there</title>" in fetch.body
    assert fetch.is_body_complete
    assert fetch.redirects == ()


def test_body_bytes_are_passed_through_undecoded_from_their_charset() -> None:
    latin = "<html><head><title>Café</title></head></html>".encode("latin-1")
    fetch = run(fetch_one({"/": respond(200, latin, content_type="text/html; charset=iso-8859-1")}, "/"))
    assert fetch.body == latin
    assert fetch.header("content-type") == "text/html; charset=iso-8859-1"


@pytest.mark.parametrize("encoding", ["gzip", "deflate-zlib", "deflate-raw"])
def test_compressed_bodies_are_decoded(encoding: str) -> None:
    page = b"<html><head><title>Packed</title></head><body>" + b"word " * 5000 + b"</body></html>"
    if encoding == "gzip":
        handler = respond(200, gzip.compress(page), headers={"Content-Encoding": "gzip"})
    else:
        handler = deflate_body(page, raw_deflate=encoding == "deflate-raw")
    fetch = run(fetch_one({"/": handler}, "/"))
    assert fetch.error_kind is None
    assert fetch.body == page
    assert fetch.is_body_complete


def test_html_is_read_up_to_max_body_only() -> None:
    page = b"<html><head><title>Big</title></head><body>" + b"y" * 300_000
    fetch = run(fetch_one({"/": respond(200, page)}, "/", Config(timeout=2.0, retries=0, max_body=10_000)))
    assert fetch.status == 200
    assert len(fetch.body) == 10_000
    assert not fetch.is_body_complete


def test_per_call_max_body_overrides_config() -> None:
    page = b"<html><head><title>Big</title></head><body>" + b"y" * 50_000
    fetch = run(fetch_one({"/": respond(200, page)}, "/", max_body=1000))
    assert len(fetch.body) == 1000


@pytest.mark.parametrize(
    ("content_type", "cap"),
    [("application/pdf", DEFAULT_MAX_PDF), ("image/png", DEFAULT_MAX_PREFIX),
     ("application/json", DEFAULT_MAX_PREFIX), ("video/mp4", DEFAULT_MAX_PREFIX)],
)
def test_non_html_answers_are_read_only_as_a_prefix(content_type: str, cap: int) -> None:
    body = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)
    fetch = run(fetch_one({"/f": respond(200, body, content_type=content_type)}, "/f"))
    assert fetch.status == 200
    assert len(fetch.body) == cap
    assert fetch.body == body[:cap]
    assert not fetch.is_body_complete


def test_request_carries_user_agent_and_custom_headers() -> None:
    async def scenario() -> ScriptedServer:
        config = Config(timeout=2.0, retries=0, user_agent="probe/1.0", headers=(("X-Token", "t1"),))
        async with ScriptedServer({"/": html("x")}) as server:
            async with Client(config) as client:
                await client.fetch(server.url("/"), headers={"X-Extra": "e"})
            return server

    server = run(scenario())
    seen = server.requests[0].headers
    assert seen["user-agent"] == "probe/1.0"
    assert seen["x-token"] == "t1"
    assert seen["x-extra"] == "e"
    assert server.requests[0].method == "GET"


# -- redirects ----------------------------------------------------------------------------------


def test_redirect_chain_is_recorded_hop_by_hop() -> None:
    routes = {"/a": redirect("/b", 301), "/b": redirect("/c", 302), "/c": html("Final")}
    fetch = run(fetch_one(routes, "/a"))
    assert fetch.status == 200
    assert fetch.final_url.endswith("/c")
    assert [(r.url.rsplit("/", 1)[1], r.status) for r in fetch.redirects] == [("a", 301), ("b", 302)]


def test_relative_and_dot_segment_locations_are_resolved() -> None:
    routes = {"/x/y/start": redirect("../z/end?q=1", 307), "/x/z/end": html("End")}
    fetch = run(fetch_one(routes, "/x/y/start"))
    assert fetch.status == 200
    assert fetch.final_url.endswith("/x/z/end?q=1")


def test_protocol_relative_location_keeps_the_scheme() -> None:
    async def scenario() -> Fetch:
        async with ScriptedServer() as server:
            server.routes["/a"] = redirect(f"//127.0.0.1:{server.port}/b", 302)
            server.routes["/b"] = html("B")
            async with Client(FAST) as client:
                return await client.fetch(server.url("/a"))

    fetch = run(scenario())
    assert fetch.status == 200
    assert fetch.final_url.startswith("http://127.0.0.1:") and fetch.final_url.endswith("/b")


def test_location_with_spaces_and_non_ascii_is_percent_encoded() -> None:
    async def scenario() -> tuple[Fetch, ScriptedServer]:
        async with ScriptedServer() as server:
            server.routes["/a"] = redirect("/dir name/café", 302)
            server.default = html("Encoded")
            async with Client(FAST) as client:
                return await client.fetch(server.url("/a")), server

    fetch, server = run(scenario())
    assert fetch.status == 200
    assert server.requests[-1].target == "/dir%20name/caf%C3%A9"


def test_redirect_to_ftp_is_a_bad_redirect() -> None:
    fetch = run(fetch_one({"/a": redirect("ftp://files.example.org/x", 302)}, "/a"))
    assert fetch.error_kind is ErrorKind.BAD_REDIRECT
    assert "ftp" in (fetch.error or "")
    assert fetch.redirects[0].status == 302


def test_redirect_loop_is_detected() -> None:
    fetch = run(fetch_one({"/a": redirect("/b"), "/b": redirect("/a")}, "/a"))
    assert fetch.error_kind is ErrorKind.REDIRECT_LOOP
    assert len(fetch.redirects) <= 5


def test_more_than_max_redirects_stops_at_the_limit() -> None:
    routes: dict[str, Handler] = {f"/{i}": redirect(f"/{i + 1}", 302) for i in range(25)}
    routes["/25"] = html("End")
    fetch = run(fetch_one(routes, "/0"))
    assert fetch.error_kind is ErrorKind.TOO_MANY_REDIRECTS
    assert len(fetch.redirects) == 11


def test_ten_redirects_are_still_followed() -> None:
    routes: dict[str, Handler] = {f"/{i}": redirect(f"/{i + 1}", 302) for i in range(10)}
    routes["/10"] = html("End")
    fetch = run(fetch_one(routes, "/0"))
    assert fetch.status == 200
    assert len(fetch.redirects) == 10


def test_fragment_survives_redirects() -> None:
    fetch = run(fetch_one({"/a": redirect("/b", 301), "/b": html("B")}, "/a#part"))
    assert fetch.final_url.endswith("/b#part")


def test_credentials_do_not_cross_to_another_host() -> None:
    async def scenario() -> tuple[ScriptedServer, ScriptedServer, Fetch]:
        config = Config(timeout=2.0, retries=0, headers=(("X-Api-Key", "secret"),))
        async with ScriptedServer() as first, ScriptedServer({"/landing": html("Elsewhere")}) as second:
            first.routes["/same"] = redirect("/other", 302)
            first.routes["/other"] = redirect(second.url("/landing"), 302)
            async with Client(config) as client:
                url = first.url("/same")
                fetch = await client.fetch(url, headers={"Authorization": "Bearer tok", "Cookie": "sid=1"})
            return first, second, fetch

    first, second, fetch = run(scenario())
    assert fetch.status == 200
    same_host = first.requests_to("/other")[0].headers
    assert same_host["authorization"] == "Bearer tok"
    assert same_host["cookie"] == "sid=1"
    assert same_host["x-api-key"] == "secret"
    crossed = second.requests_to("/landing")[0].headers
    assert "authorization" not in crossed
    assert "cookie" not in crossed
    assert "x-api-key" not in crossed


def test_url_credentials_are_sent_but_never_shown_nor_carried_away() -> None:
    async def scenario() -> tuple[ScriptedServer, ScriptedServer, Fetch]:
        async with ScriptedServer() as first, ScriptedServer({"/c": html("C")}) as second:
            first.routes["/a"] = redirect("/b", 301)
            first.routes["/b"] = redirect(second.url("/c"), 302)
            async with Client(FAST) as client:
                return first, second, await client.fetch(f"http://alice:hunter2@127.0.0.1:{first.port}/a")

    first, second, fetch = run(scenario())
    assert fetch.status == 200
    assert first.requests_to("/a")[0].headers["authorization"].startswith("Basic ")
    assert first.requests_to("/b")[0].headers["authorization"].startswith("Basic ")
    assert "authorization" not in second.requests_to("/c")[0].headers
    assert all("hunter2" not in hop.url for hop in fetch.redirects)


# -- retries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("retry_after", ["0", "date"])
def test_transient_status_with_retry_after_is_retried(status: int, retry_after: str) -> None:
    value = http_date(1) if retry_after == "date" else retry_after
    handler = sequence(respond(status, b"busy", headers={"Retry-After": value}), html("Finally"))
    started = time.monotonic()
    fetch = run(fetch_one({"/": handler}, "/", Config(timeout=2.0, retries=2)))
    assert fetch.status == 200
    assert fetch.attempts == 2
    assert time.monotonic() - started < 3.5


def test_without_retries_the_transient_status_is_final() -> None:
    handler = sequence(respond(503, b"busy", headers={"Retry-After": "0"}), html("Finally"))
    fetch = run(fetch_one({"/": handler}, "/", Config(timeout=2.0, retries=0)))
    assert fetch.status == 503
    assert fetch.attempts == 1


@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.parametrize("retry_after", ["3600", "date"])
def test_retry_after_beyond_the_cap_stops_at_once(status: int, retry_after: str) -> None:
    """Waiting the cap and asking again would only be refused again: one request, then give up."""
    value = http_date(3600) if retry_after == "date" else retry_after
    handler = sequence(respond(status, b"busy", headers={"Retry-After": value}), html("Finally"))
    started = time.monotonic()
    fetch, server = run(_fetch_with_server({"/": handler}, "/", Config(timeout=2.0, retries=2, max_retry_after=30)))
    assert time.monotonic() - started < 1.5
    assert len(server.requests) == 1 and fetch.attempts == 1
    assert fetch.status == status
    assert fetch.error_kind is ErrorKind.RETRY_LATER
    assert fetch.error is not None and "asks to retry after 3600 s" in fetch.error.replace("3599 s", "3600 s")


def test_retry_after_waits_of_one_request_add_up_to_at_most_the_cap() -> None:
    handler = sequence(*[respond(503, b"busy", headers={"Retry-After": "1"})] * 3, html("Finally"))
    started = time.monotonic()
    fetch, server = run(_fetch_with_server({"/": handler}, "/", Config(timeout=2.0, retries=3, max_retry_after=1.5)))
    elapsed = time.monotonic() - started
    assert len(server.requests) == 2, "a second 1 s wait would pass the 1.5 s cap"
    assert fetch.status == 503 and fetch.error_kind is None
    assert 0.9 < elapsed < 1.5


async def _fetch_with_server(routes: Mapping[str, Handler], path: str, config: Config) -> tuple[Fetch, ScriptedServer]:
    async with ScriptedServer(dict(routes)) as server, Client(config) as client:
        return await client.fetch(server.url(path)), server


def test_not_found_is_not_retried() -> None:
    async def scenario() -> ScriptedServer:
        async with ScriptedServer({"/": respond(404, b"nope")}) as server:
            async with Client(Config(timeout=2.0, retries=3)) as client:
                await client.fetch(server.url("/"))
            return server

    assert len(run(scenario()).requests) == 1


# -- limits -------------------------------------------------------------------------------------


def test_per_host_limit_is_never_exceeded() -> None:
    async def scenario() -> ScriptedServer:
        async with ScriptedServer(default=delayed(0.1, html("slow"))) as server:
            async with Client(Config(timeout=5.0, retries=0, per_host=2, concurrency=50)) as client:
                await asyncio.gather(*(client.fetch(server.url(f"/{i}")) for i in range(10)))
            return server

    server = run(scenario())
    assert len(server.requests) == 10
    assert server.max_in_flight == 2


def test_global_limit_spans_hosts() -> None:
    async def scenario() -> ScriptedServer:
        async with ScriptedServer(default=delayed(0.1, html("slow"))) as server:
            names = [f"h{i}.test" for i in range(4)]
            config = Config(timeout=5.0, retries=0, per_host=4, concurrency=3,
                            resolve={(name, server.port): "127.0.0.1" for name in names})
            async with Client(config) as client:
                urls = [f"http://{name}:{server.port}/{i}" for name in names for i in range(3)]
                fetches = await asyncio.gather(*(client.fetch(url) for url in urls))
            assert all(f.status == 200 for f in fetches)
            return server

    server = run(scenario())
    assert server.max_in_flight == 3


# -- resolve, TLS, address refusal --------------------------------------------------------------


def test_resolve_connects_elsewhere_but_keeps_the_host_header() -> None:
    async def scenario() -> tuple[ScriptedServer, Fetch]:
        async with ScriptedServer({"/": html("Mapped")}) as server:
            config = Config(timeout=2.0, retries=0, resolve={("docs.example.org", 80): f"127.0.0.1:{server.port}"})
            async with Client(config) as client:
                return server, await client.fetch("http://docs.example.org/")

    server, fetch = run(scenario())
    assert fetch.status == 200
    assert server.requests[0].headers["host"] == "docs.example.org"


def test_tls_with_extra_ca_bundle_and_resolve_is_verified_ok(tmp_path: Path) -> None:
    ca = trustme.CA()

    async def scenario() -> tuple[ScriptedServer, Fetch]:
        async with ScriptedServer({"/news": html("Secure")}, tls=tls_server_context(ca, "www.example.eu")) as server:
            config = Config(timeout=2.0, retries=0, ca_bundle=write_ca(ca, tmp_path / "ca.pem"),
                            resolve={("www.example.eu", 443): f"127.0.0.1:{server.port}"})
            async with Client(config) as client:
                return server, await client.fetch("https://www.example.eu/news")

    server, fetch = run(scenario())
    assert fetch.error_kind is None, fetch.error
    assert fetch.status == 200
    assert fetch.final_url == "https://www.example.eu/news"
    assert server.requests[0].headers["host"] == "www.example.eu"


def test_certificate_for_another_name_fails_even_when_trusted(tmp_path: Path) -> None:
    ca = trustme.CA()

    async def scenario() -> Fetch:
        async with ScriptedServer({"/": html("x")}, tls=tls_server_context(ca, "other.example.eu")) as server:
            config = Config(timeout=2.0, retries=0, ca_bundle=write_ca(ca, tmp_path / "ca.pem"),
                            resolve={("www.example.eu", 443): f"127.0.0.1:{server.port}"})
            async with Client(config) as client:
                return await client.fetch("https://www.example.eu/")

    fetch = run(scenario())
    assert fetch.error_kind is ErrorKind.TLS
    assert "certificate" in (fetch.error or "").lower()


def test_loopback_is_refused_when_the_run_says_so() -> None:
    async def scenario() -> tuple[ScriptedServer, Fetch]:
        config = Config(timeout=2.0, retries=0, exclude_loopback=True)
        async with ScriptedServer({"/": html("x")}) as server, Client(config) as client:
            return server, await client.fetch(server.url("/"))

    server, fetch = run(scenario())
    assert fetch.error_kind is ErrorKind.REFUSED_ADDRESS
    assert "loopback" in (fetch.error or "")
    assert server.requests == []


def test_refusal_applies_to_names_resolved_through_resolve() -> None:
    async def scenario() -> Fetch:
        async with ScriptedServer({"/": html("x")}) as server:
            config = Config(timeout=2.0, retries=0, exclude_loopback=True,
                            resolve={("public.example", server.port): "127.0.0.1"})
            async with Client(config) as client:
                return await client.fetch(f"http://public.example:{server.port}/")

    assert run(scenario()).error_kind is ErrorKind.REFUSED_ADDRESS


def test_private_refusal_does_not_cover_loopback() -> None:
    fetch = run(fetch_one({"/": html("x")}, "/", Config(timeout=2.0, retries=0, exclude_private=True)))
    assert fetch.status == 200


# -- invalid URLs, source documents, probes -----------------------------------------------------


@pytest.mark.parametrize("url", ["http://", "ftp://example.org/x", "http://exa mple.org/", "not a url"])
def test_invalid_urls_are_values_not_exceptions(url: str) -> None:
    async def scenario() -> Fetch:
        async with Client(FAST) as client:
            return await client.fetch(url)

    fetch = run(scenario())
    assert fetch.error_kind is ErrorKind.INVALID_URL
    assert fetch.status is None


def test_fetch_document_returns_body_type_and_final_url() -> None:
    async def scenario() -> tuple[bytes, str, str]:
        routes = {"/doc": redirect("/doc.md", 302), "/doc.md": respond(200, b"# Notes\n", content_type="text/markdown")}
        async with ScriptedServer(routes) as server, Client(FAST) as client:
            return await client.fetch_document(server.url("/doc"))

    body, content_type, final_url = run(scenario())
    assert body == b"# Notes\n"
    assert content_type == "text/markdown"
    assert final_url.endswith("/doc.md")


@pytest.mark.parametrize(
    ("handler", "message"),
    [(respond(404, b"gone"), "HTTP 404"), (respond(200, b"x" * 5000, content_type="text/plain"), "larger than")],
)
def test_fetch_document_failures_raise_input_error(handler: Handler, message: str) -> None:
    async def scenario() -> None:
        async with ScriptedServer({"/": handler}) as server, Client(FAST) as client:
            await client.fetch_document(server.url("/"), max_bytes=1000)

    with pytest.raises(InputError, match=message):
        run(scenario())


def test_probe_is_fetched_once_per_origin() -> None:
    async def scenario() -> tuple[ScriptedServer, list[Fetch]]:
        async with ScriptedServer(default=delayed(0.05, html("Welcome"))) as server, Client(FAST) as client:
            probes = await asyncio.gather(*(client.fetch_probe(server.url(f"/p{i}")) for i in range(5)))
            return server, list(probes)

    server, probes = run(scenario())
    assert len(server.requests) == 1
    assert server.requests[0].path.startswith("/linkcheck-probe-")
    assert all(p is probes[0] for p in probes)


def test_redirect_hop_is_a_redirect_record() -> None:
    fetch = run(fetch_one({"/a": redirect("/b", 308), "/b": html("B")}, "/a"))
    assert isinstance(fetch.redirects[0], Redirect)
    assert fetch.redirects[0].status == 308
