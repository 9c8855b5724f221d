"""Every kind of SOURCE through the real CLI against a real local server: a fetched HTML page
(relative links resolved against its URL), a directory of Markdown and HTML, and stdin."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli

from .conftest import html_page


def _serve_pages(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/docs/a").respond_with_data(
        html_page("Annual report 2024"), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/docs/b").respond_with_data(
        html_page("Budget overview", body='<h2 id="totals">Totals</h2>'), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/gone").respond_with_data("nope", status=404)


def _report(out: Path) -> dict:
    return json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))


def test_fetched_html_source_resolves_relative_links(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve_pages(httpserver)
    httpserver.expect_request("/docs/index.html").respond_with_data(
        '<html><head><title>Index</title></head><body>'
        '<a href="a">Annual report 2024</a> <a href="/docs/b#totals">Budget overview</a>'
        '<a href="../gone">Old page</a> <a href="mailto:press@example.org">Press</a></body></html>',
        content_type="text/html; charset=utf-8",
    )
    source = httpserver.url_for("/docs/index.html")
    result = runner.invoke(cli, ["check", source, "-o", str(tmp_path), "--no-cache", "--no-progress", "--retries", "0"])
    report = _report(tmp_path)
    verdicts = {link["url"]: link["verdict"] for link in report["links"]}
    assert verdicts == {
        httpserver.url_for("/docs/a"): "ok",
        httpserver.url_for("/docs/b#totals"): "ok",
        httpserver.url_for("/gone"): "broken",
        "mailto:press@example.org": "excluded",
    }
    assert report["sources"] == [source]
    assert result.exit_code == 1


def test_directory_of_documents(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve_pages(httpserver)
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "notes.md").write_text(
        f"# Notes\n\nSee the [Annual report 2024]({httpserver.url_for('/docs/a')}).\n\n"
        f"`{httpserver.url_for('/gone')}` is code, not a link.\n\n[budget]: {httpserver.url_for('/docs/b')}\n"
        "Read the [budget][budget].\n",
        encoding="utf-8",
    )
    (docs / "sub" / "page.html").write_text(
        f'<p><a href="{httpserver.url_for("/docs/b")}">Budget overview</a></p>', encoding="utf-8"
    )
    (docs / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["check", str(docs), "-o", str(out), "--no-cache", "--no-progress"])
    assert result.exit_code == 0, result.output
    report = _report(out)
    assert sorted(report["sources"]) == sorted([str(docs / "notes.md"), str(docs / "sub" / "page.html")])
    by_url = {link["url"]: link for link in report["links"]}
    assert set(by_url) == {httpserver.url_for("/docs/a"), httpserver.url_for("/docs/b")}
    budget = by_url[httpserver.url_for("/docs/b")]
    assert {o["source"] for o in budget["occurrences"]} == {str(docs / "notes.md"), str(docs / "sub" / "page.html")}
    assert all(link["verdict"] == "ok" for link in report["links"])


def test_stdin_source(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    _serve_pages(httpserver)
    text = f"Budget: [Budget overview]({httpserver.url_for('/docs/b')})\n"
    result = runner.invoke(cli, ["check", "-", "-o", str(tmp_path), "--no-cache", "--no-progress"], input=text)
    assert result.exit_code == 0, result.output
    report = _report(tmp_path)
    assert report["sources"] == ["-"]
    link = report["links"][0]
    assert link["occurrences"][0] == {"source": "-", "line": 1, "column": 27, "text": "Budget overview"}
    assert link["title"]["match"] is True
