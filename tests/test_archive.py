"""`--suggest-archive` against a local asyncio server that speaks the Wayback CDX protocol."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.archive import (
    Capture,
    capture_urls,
    cdx_query_url,
    parse_as_of,
    parse_cdx,
    rank_captures,
)
from linkcheck.cli import cli
from linkcheck.errors import UsageError

from .conftest import html_page
from .servers import Request, ScriptedServer, respond

HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


class CdxArchive:
    """Captures per URL: (timestamp, status, title). Answers CDX queries and serves ``id_`` captures."""

    def __init__(self, captures: dict[str, list[tuple[str, str, str]]]) -> None:
        self.captures = captures
        self.queries: list[dict[str, list[str]]] = []
        self.origin = ""

    async def handle(self, request: Request, writer: asyncio.StreamWriter) -> None:
        if request.path == "/cdx/search/cdx":
            await self._cdx(request, writer)
        else:
            await self._capture(request, writer)

    async def _cdx(self, request: Request, writer: asyncio.StreamWriter) -> None:
        query = parse_qs(urlsplit(request.target).query)
        self.queries.append(query)
        url = query["url"][0]
        low, high = query.get("from", ["0"])[0], query.get("to", ["99999999999999"])[0]
        status_filter = query.get("filter", [""])[0].removeprefix("statuscode:")
        limit = int(query.get("limit", ["10000"])[0])
        rows = [
            ["key", ts, url, "text/html", status, f"digest-{ts}", "1000"]
            for ts, status, _ in self.captures.get(url, [])
            if low <= ts <= high and (not status_filter or status == status_filter)
        ][:limit]
        body = json.dumps([HEADER, *rows] if rows else []).encode()
        await respond(200, body, content_type="application/json")(request, writer)

    async def _capture(self, request: Request, writer: asyncio.StreamWriter) -> None:
        # /web/<timestamp>id_/<original url>
        _, _, rest = request.target.partition("/web/")
        stamp, _, original = rest.partition("/")
        for ts, _, title in self.captures.get(original, []):
            if stamp == f"{ts}id_":
                await respond(200, html_page(title))(request, writer)
                return
        await respond(404, b"not archived")(request, writer)


@pytest.fixture
def archive_server() -> Iterator[tuple[CdxArchive, ScriptedServer]]:
    """A ScriptedServer on its own event loop in a thread, so CLI runs in the test can query it."""
    archive = CdxArchive({})
    loop = asyncio.new_event_loop()
    started = threading.Event()
    stop: asyncio.Future[None] | None = None
    holder: dict[str, ScriptedServer] = {}

    async def serve() -> None:
        nonlocal stop
        stop = loop.create_future()
        async with ScriptedServer(default=archive.handle) as server:
            holder["server"] = server
            archive.origin = server.origin
            started.set()
            await asyncio.wait_for(stop, timeout=60)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    assert started.wait(10)
    try:
        yield archive, holder["server"]
    finally:
        assert stop is not None
        loop.call_soon_threadsafe(stop.set_result, None)
        thread.join(10)
        loop.close()


def _run(runner: CliRunner, tmp_path: Path, doc: Path, endpoint: str, *extra: str) -> tuple[int, dict[str, Any]]:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["check", str(doc), "-o", str(out), "--no-cache", "--timeout", "5",
                                 "-f", "json", "-f", "markdown", "-f", "html", "--suggest-archive",
                                 "--archive-endpoint", endpoint, *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))


def _link(report: dict[str, Any], path: str) -> dict[str, Any]:
    return next(link for link in report["links"] if link["url"].endswith(path))


def test_suggestions_for_broken_and_drifted_links(
    runner: CliRunner, httpserver: HTTPServer, archive_server: tuple[CdxArchive, ScriptedServer], tmp_path: Path
) -> None:
    archive, _ = archive_server
    gone, changed, never, fine = (httpserver.url_for(p) for p in ("/gone", "/changed", "/never", "/fine"))
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    httpserver.expect_request("/never").respond_with_data("gone", status=410)
    httpserver.expect_request("/changed").respond_with_data(html_page("Gadget recall notice"), content_type="text/html")
    httpserver.expect_request("/fine").respond_with_data(html_page("Fine widget page"), content_type="text/html")
    archive.captures = {
        gone: [("20210101000000", "200", "EU-Japan joint statement"),
               ("20220510120000", "200", "EU-Japan joint statement"),
               ("20220513000000", "301", "redirect"),
               ("20240101000000", "200", "EU-Japan joint statement")],
        changed: [("20220511000000", "200", "Gadget recall notice"),
                  ("20220301000000", "200", "Widget safety report 2022")],
        fine: [("20220512000000", "200", "Fine widget page")],
    }
    doc = tmp_path / "doc.md"
    doc.write_text(f"[EU-Japan joint statement]({gone})\n\n[Widget safety report 2022]({changed})\n\n"
                   f"[Old page]({never})\n\n[Fine widget page]({fine})\n", encoding="utf-8")
    code, report = _run(runner, tmp_path, doc, f"{archive.origin}/cdx/search/cdx", "--as-of", "2022-05-12")
    assert code == 1

    # The closest capture answered 200 (the 301 two days later is not one), with a matching title.
    assert _link(report, "/gone")["extra"]["archive"] == {
        "version_url": f"{archive.origin}/web/20220510120000/{gone}",
        "version_date": "2022-05-10T12:00:00Z",
        "title": "EU-Japan joint statement",
        "match": True,
    }
    # Content drift: the closest capture already shows the new page; the older one is the cited source.
    suggestion = _link(report, "/changed")["extra"]["archive"]
    assert _link(report, "/changed")["verdict"] == "title_mismatch"
    assert suggestion["version_url"].endswith(f"/web/20220301000000/{changed}")
    assert suggestion["match"] is True
    # No capture at all says so; a fine link is not looked up.
    assert _link(report, "/never")["extra"]["archive"] == {"none": True, "as_of": "2022-05-12T00:00:00Z"}
    assert "archive" not in _link(report, "/fine")["extra"]
    assert all(q["url"][0] != fine for q in archive.queries)
    # The protocol as sent: JSON output, status 200 only, a window around the date.
    query = next(q for q in archive.queries if q["url"][0] == gone)
    assert query["output"] == ["json"] and query["filter"] == ["statuscode:200"]
    assert query["from"][0] < "20220512" < query["to"][0]

    markdown = (tmp_path / "out" / "linkcheck.md").read_text(encoding="utf-8")
    assert "archived: [2022-05-10T12:00:00Z]" in markdown
    assert "no archived capture" in markdown
    page = (tmp_path / "out" / "linkcheck.html").read_text(encoding="utf-8")
    assert f'href="{archive.origin}/web/20220510120000/{gone}"' in page


def test_document_date_defaults_to_the_file_mtime(
    runner: CliRunner, httpserver: HTTPServer, archive_server: tuple[CdxArchive, ScriptedServer], tmp_path: Path
) -> None:
    import os

    archive, _ = archive_server
    gone = httpserver.url_for("/gone")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    archive.captures = {gone: [("20150601000000", "200", "x"), ("20200601000000", "200", "x")]}
    doc = tmp_path / "doc.txt"
    doc.write_text(f"{gone}\n", encoding="utf-8")
    when = datetime(2020, 5, 1, tzinfo=UTC).timestamp()
    os.utime(doc, (when, when))
    _, report = _run(runner, tmp_path, doc, f"{archive.origin}/cdx/search/cdx")
    suggestion = _link(report, "/gone")["extra"]["archive"]
    assert suggestion["version_date"] == "2020-06-01T00:00:00Z"
    assert suggestion["match"] is None, "a bare URL has no title to compare"


def test_an_unreachable_archive_is_reported_not_fatal(
    runner: CliRunner, httpserver: HTTPServer, tmp_path: Path
) -> None:
    from .servers import closed_port

    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    doc = tmp_path / "doc.txt"
    doc.write_text(f"{httpserver.url_for('/gone')}\n", encoding="utf-8")
    code, report = _run(runner, tmp_path, doc, f"http://127.0.0.1:{closed_port()}/cdx", "--retries", "0")
    assert code == 1
    assert "archive query failed" in _link(report, "/gone")["extra"]["archive"]["error"]


def test_parse_cdx_rows_and_empty_answers() -> None:
    body = json.dumps([HEADER, ["k", "20220510120000", "https://a.example/", "text/html", "200", "D1", "9"]])
    assert parse_cdx(body.encode()) == [Capture("20220510120000", "https://a.example/", "200", "D1")]
    assert parse_cdx(b"") == [] and parse_cdx(b"[]") == []
    with pytest.raises(ValueError):
        parse_cdx(b'{"not": "rows"}')


def test_rank_captures_filters_status_and_collapses_digests() -> None:
    as_of = parse_as_of("2022-05-12")
    captures = [Capture("20220513000000", "u", "302", "A"), Capture("20220501000000", "u", "200", "B"),
                Capture("20220511000000", "u", "200", "B"), Capture("20230101000000", "u", "200", "C")]
    assert [c.timestamp for c in rank_captures(captures, as_of)] == ["20220511000000", "20230101000000"]


def test_query_and_capture_urls() -> None:
    query = cdx_query_url("https://web.archive.org/cdx/search/cdx", "https://a.example/x?y=1#frag",
                          parse_as_of("2022-05-12"), window_days=10, limit=5)
    params = parse_qs(urlsplit(query).query)
    assert params == {"url": ["https://a.example/x?y=1"], "output": ["json"], "from": ["20220502000000"],
                      "to": ["20220522000000"], "filter": ["statuscode:200"], "limit": ["5"]}
    shown, raw = capture_urls("https://web.archive.org/cdx/search/cdx", Capture("20220510", "https://a.example/", "200"))
    assert shown == "https://web.archive.org/web/20220510/https://a.example/"
    assert raw == "https://web.archive.org/web/20220510id_/https://a.example/"


@pytest.mark.parametrize("text", ["2022-05-12", "20220512", "2022-05-12T00:00:00Z"])
def test_parse_as_of(text: str) -> None:
    assert parse_as_of(text) == datetime(2022, 5, 12, tzinfo=UTC)


def test_bad_as_of_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        parse_as_of("last spring")
    doc = tmp_path / "doc.txt"
    doc.write_text("x\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path), "--no-cache", "--suggest-archive",
                                 "--as-of", "last spring"])
    assert result.exit_code == 2 and "--as-of" in result.output
