"""`--warc` keeps an audit's evidence; `--replay` checks again from it with the network gone."""

from __future__ import annotations

import asyncio
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer
from warcio.archiveiterator import ArchiveIterator

from linkcheck.cli import cli
from linkcheck.client import Client
from linkcheck.config import Config
from linkcheck.warc import (
    RecordingTransport,
    ReplayTransport,
    WarcRecorder,
    read_exchanges,
    recording_transport,
)

from .conftest import html_page
from .servers import ScriptedServer, closed_port, headers_then_stall, html, redirect

COMPARED = ("url", "verdict", "status", "final_url", "redirects", "title", "error", "details")


@pytest.fixture
def site() -> Iterator[HTTPServer]:
    """A server of our own, so the test can stop it before replaying."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        if server.is_running():
            server.stop()


def _serve(server: HTTPServer) -> None:
    page = "text/html; charset=utf-8"
    server.expect_request("/report").respond_with_data(html_page("Widget safety report"), content_type=page)
    server.expect_request("/gone").respond_with_data(html_page("Not here"), status=404, content_type=page)
    server.expect_request("/moved").respond_with_data("", status=301, headers={"Location": "/step"})
    server.expect_request("/step").respond_with_data("", status=302, headers={"Location": "/report"})
    server.expect_request("/other").respond_with_data(html_page("Gadget recall notice"), content_type=page)
    server.expect_request("/zipped").respond_with_data(
        gzip.compress(html_page("Compressed report on widgets")), content_type=page,
        headers={"Content-Encoding": "gzip"})
    server.expect_request("/image.png").respond_with_data(b"\x89PNG" + bytes(200_000), content_type="image/png")
    # A catch-all: the deep link and the made-up probe path get the same page (a soft 404).
    server.expect_request("/deep/article").respond_with_data(html_page("Home"), content_type=page)
    server.expect_request(re.compile(r"^/linkcheck-probe-.*")).respond_with_data(html_page("Home"), content_type=page)


def _document(tmp_path: Path, server: HTTPServer) -> Path:
    refused = f"http://127.0.0.1:{closed_port()}/nothing"
    lines = [
        f"[Widget safety report]({server.url_for('/report')})",
        f"[Gone page]({server.url_for('/gone')})",
        f"[Widget safety report]({server.url_for('/moved')})",
        f"[Widget safety report]({server.url_for('/other')})",
        f"[Compressed report on widgets]({server.url_for('/zipped')})",
        f"A picture: {server.url_for('/image.png')}",
        f"[An article]({server.url_for('/deep/article')})",
        f"Refused: {refused}",
    ]
    doc = tmp_path / "doc.md"
    doc.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return doc


def _run(runner: CliRunner, out: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = runner.invoke(cli, ["check", *args, "-o", str(out), "--no-cache", "-f", "json",
                                 "--timeout", "3", "--retries", "0"])
    assert result.exit_code in (0, 1), result.output
    links = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"]
    return result.exit_code, [{key: link[key] for key in COMPARED} for link in links]


def _records(path: Path) -> list[tuple[str, str, dict[str, str], bytes]]:
    with path.open("rb") as handle:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), dict(r.rec_headers.headers),
                 r.raw_stream.read()) for r in ArchiveIterator(handle)]


def test_replay_gives_the_same_verdicts_offline(runner: CliRunner, site: HTTPServer, tmp_path: Path) -> None:
    _serve(site)
    doc = _document(tmp_path, site)
    archive = tmp_path / "audit.warc.gz"
    live_code, live = _run(runner, tmp_path / "live", str(doc), "--warc", str(archive))
    verdicts = {link["url"].rsplit("/", 1)[-1]: link["verdict"] for link in live}
    assert verdicts == {"report": "ok", "gone": "broken", "moved": "redirected", "other": "title_mismatch",
                        "zipped": "ok", "image.png": "ok", "article": "soft_404", "nothing": "network_error"}

    site.stop()
    replay_code, replayed = _run(runner, tmp_path / "replay", str(doc), "--replay", str(archive))
    assert replayed == live
    assert replay_code == live_code == 1


def test_warc_holds_requests_responses_as_read_and_verdicts(
    runner: CliRunner, site: HTTPServer, tmp_path: Path
) -> None:
    _serve(site)
    doc = _document(tmp_path, site)
    archive = tmp_path / "audit.warc.gz"
    _run(runner, tmp_path / "live", str(doc), "--warc", str(archive))
    records = _records(archive)
    kinds = [kind for kind, *_ in records]
    assert kinds[0] == "warcinfo"
    # Every hop of the redirect chain is its own exchange.
    for path in ("/moved", "/step", "/report"):
        assert ("request", site.url_for(path)) in [(k, u) for k, u, *_ in records]
        assert ("response", site.url_for(path)) in [(k, u) for k, u, *_ in records]
    # The body as read: still gzip-encoded on the wire, and only the prefix read of a large file.
    zipped = next(body for kind, uri, _, body in records if kind == "response" and uri.endswith("/zipped"))
    assert b"Compressed report on widgets" in gzip.decompress(zipped)
    image = next((headers, body) for kind, uri, headers, body in records
                 if kind == "response" and uri.endswith("/image.png"))
    assert image[0]["WARC-Truncated"] == "length"
    assert len(image[1]) < 200_000
    # A request that got no answer says why.
    refused = next(headers for kind, uri, headers, _ in records if kind == "request" and uri.endswith("/nothing"))
    assert "ConnectError" in refused["WARC-Linkcheck-Error"]
    # One verdict per link, as metadata.
    verdicts = {uri: json.loads(body)["verdict"] for kind, uri, _, body in records if kind == "metadata"}
    assert verdicts[site.url_for("/gone")] == "broken"
    assert verdicts[site.url_for("/other")] == "title_mismatch"
    assert len(verdicts) == 8


def test_replay_of_an_unrecorded_url_is_a_network_error(
    runner: CliRunner, site: HTTPServer, tmp_path: Path
) -> None:
    _serve(site)
    doc = _document(tmp_path, site)
    archive = tmp_path / "audit.warc.gz"
    _run(runner, tmp_path / "live", str(doc), "--warc", str(archive))
    other = tmp_path / "other.md"
    other.write_text("[New](https://new.example/page)\n", encoding="utf-8")
    _, links = _run(runner, tmp_path / "replay", str(other), "--replay", str(archive))
    assert links[0]["verdict"] == "network_error"
    assert "not in the replayed WARC archive" in links[0]["error"]


def test_warc_and_replay_together_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("x\n", encoding="utf-8")
    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path), "--no-cache",
                                 "--warc", str(tmp_path / "b.warc.gz"), "--replay", str(archive)])
    assert result.exit_code == 2
    assert "--warc and --replay" in result.output


def test_replay_of_a_damaged_file_is_an_input_error(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("x\n", encoding="utf-8")
    archive = tmp_path / "a.warc.gz"
    archive.write_bytes(b"\x1f\x8b not really gzip")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path), "--no-cache", "--replay", str(archive)])
    assert result.exit_code == 2
    assert "not a readable WARC file" in result.output


def test_a_deadline_replays_as_a_deadline(tmp_path: Path) -> None:
    """A server that sends headers and then stalls: recorded as cut by time, replayed as a timeout."""
    config = Config(timeout=0.5, retries=0)
    archive = tmp_path / "slow.warc.gz"

    async def scenario() -> tuple[str | None, str | None]:
        routes = {"/stall": headers_then_stall(prefix=b"<html><body>no title yet"),
                  "/r": redirect("/fine"), "/fine": html("Fine page")}
        async with ScriptedServer(routes) as server:
            stall, chain = server.url("/stall"), server.url("/r")
            recorder = WarcRecorder(archive)
            async with Client(config, transport=recording_transport(config, recorder)) as client:
                live = await client.fetch(stall)
                chained = await client.fetch(chain)
            recorder.close()
        assert chained.status == 200 and [h.status for h in chained.redirects] == [302]
        async with Client(config, transport=ReplayTransport.from_file(archive)) as client:
            replayed = await client.fetch(stall)
            rechained = await client.fetch(chain)
        assert rechained.final_url == chained.final_url and rechained.redirects == chained.redirects
        return (live.error_kind.value if live.error_kind else None,
                replayed.error_kind.value if replayed.error_kind else None)

    live_kind, replay_kind = asyncio.run(scenario())
    assert live_kind == replay_kind == "timeout"
    stalled = [e for e in read_exchanges(archive) if e.url.endswith("/stall")]
    assert stalled[0].truncated == "time"


def test_recording_transport_reopens_after_close(tmp_path: Path) -> None:
    """One transport serves the documents' client and the links' client of a run in turn."""
    config = Config(timeout=2, retries=0)
    recorder = WarcRecorder(tmp_path / "a.warc")
    transport = recording_transport(config, recorder)
    assert isinstance(transport, RecordingTransport)

    async def scenario() -> list[int | None]:
        async with ScriptedServer({"/": html("Hello page")}) as server:
            statuses = []
            for _ in range(2):
                async with Client(config, transport=transport) as client:
                    statuses.append((await client.fetch(server.url("/"))).status)
            return statuses

    assert asyncio.run(scenario()) == [200, 200]
    recorder.close()
    assert [e.status for e in read_exchanges(tmp_path / "a.warc")] == [200, 200]
