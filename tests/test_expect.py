"""`linkcheck expect` → `check --expect`: a manifest from documents, a baseline from a report,
and content drift detected against that baseline, all against real local servers."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.drift import check_final_url
from linkcheck.expect import build_manifest
from linkcheck.models import Expectation, Occurrence, Result, Target, Verdict

from .conftest import html_page

OLD_TITLE = "Annual report on widget safety 2022"
NEW_TITLE = "Gadget recall notice for kitchen appliances"


def _document(tmp_path: Path, server: HTTPServer) -> Path:
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"See [the widget safety report]({server.url_for('/report')}) and {server.url_for('/bare')}.\n",
        encoding="utf-8",
    )
    return doc


def _serve(server: HTTPServer, title: str) -> None:
    server.clear()
    server.expect_request("/report").respond_with_data(html_page(title), content_type="text/html; charset=utf-8")
    server.expect_request("/bare").respond_with_data(html_page("A bare page"), content_type="text/html")


def _check(runner: CliRunner, *args: str) -> tuple[int, dict[str, Any]]:
    out = Path(args[args.index("-o") + 1])
    result = runner.invoke(cli, ["check", *args, "--no-cache", "--timeout", "5", "-f", "json", "-f", "markdown"])
    return result.exit_code, json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))


def _link(report: dict[str, Any], path: str) -> dict[str, Any]:
    return next(link for link in report["links"] if link["url"].endswith(path))


def test_expect_writes_link_text_as_title(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    doc = _document(tmp_path, httpserver)
    manifest = tmp_path / "m.toml"
    result = runner.invoke(cli, ["expect", str(doc), "-o", str(manifest)])
    assert result.exit_code == 0, result.output
    sources = tomllib.loads(manifest.read_text(encoding="utf-8"))["source"]
    assert sources[0] == {"url": httpserver.url_for("/report"), "title": "the widget safety report"}
    assert "title" not in sources[1] and "bare URL" in sources[1]["note"]


def test_round_trip_detects_a_changed_title(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    doc = _document(tmp_path, httpserver)
    _serve(httpserver, OLD_TITLE)
    code, _ = _check(runner, str(doc), "-o", str(tmp_path / "r1"))
    assert code == 0

    manifest = tmp_path / "baseline.toml"
    result = runner.invoke(cli, ["expect", str(doc), "--from-report", str(tmp_path / "r1" / "linkcheck.json"),
                                 "-o", str(manifest)])
    assert result.exit_code == 0, result.output
    entry = tomllib.loads(manifest.read_text(encoding="utf-8"))["source"][0]
    assert entry["title"] == OLD_TITLE
    assert entry["note"] == "link text: the widget safety report"
    assert entry["final_url"] == httpserver.url_for("/report")

    # Same page, same title: the baseline holds.
    code, report = _check(runner, str(doc), "--expect", str(manifest), "-o", str(tmp_path / "r2"))
    assert code == 0
    assert _link(report, "/report")["verdict"] == "ok"

    # The page now shows something else: drift is a title_mismatch with old and new title.
    _serve(httpserver, NEW_TITLE)
    code, report = _check(runner, str(doc), "--expect", str(manifest), "-o", str(tmp_path / "r3"))
    assert code == 1
    link = _link(report, "/report")
    assert link["verdict"] == "title_mismatch"
    assert link["title"]["expected"] == OLD_TITLE
    assert link["title"]["found"] == NEW_TITLE
    markdown = (tmp_path / "r3" / "linkcheck.md").read_text(encoding="utf-8")
    assert "Annual report on widget safety 2022" in markdown and "Gadget recall notice" in markdown


def test_pinned_final_url_that_moved_is_a_detail(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=302, headers={"Location": "/elsewhere"})
    httpserver.expect_request("/elsewhere").respond_with_data(html_page(OLD_TITLE), content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"[report]({httpserver.url_for('/old')})\n", encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        f'[[source]]\nurl = "{httpserver.url_for("/old")}"\ntitle = "{OLD_TITLE}"\n'
        f'final_url = "{httpserver.url_for("/old")}"\n', encoding="utf-8")
    code, report = _check(runner, str(doc), "--expect", str(manifest), "-o", str(tmp_path / "r"))
    link = _link(report, "/old")
    assert code == 0, "a moved page whose title still matches does not fail the run"
    assert link["verdict"] == "ok"
    assert "final_url_changed" in link["details"]
    assert link["extra"]["final_url"] == {"expected": httpserver.url_for("/old"),
                                          "found": httpserver.url_for("/elsewhere")}


def test_unknown_manifest_key_names_its_line(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("nothing\n", encoding="utf-8")
    manifest = tmp_path / "m.toml"
    manifest.write_text('[[source]]\nurl = "https://a.example/"\ntitel = "x"\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "--expect", str(manifest), "-o", str(tmp_path), "--no-cache"])
    assert result.exit_code == 2
    assert "line 3: unknown key 'titel'" in result.output


def _target(url: str, *, text: str | None = None, final_url: str | None = None) -> Target:
    occurrence = Occurrence(source="doc.md", line=1, column=1, text=text)
    expected = Expectation(title=text, final_url=final_url) if text or final_url else None
    return Target(key=url, url=url, checked_url=url, occurrences=(occurrence,), expected=expected)


def test_baseline_matches_urls_by_normalised_form() -> None:
    from linkcheck.models import Report, TitleCheck

    base = Result(target=_target("HTTPS://Example.org"), verdict=Verdict.OK, final_url="https://example.org/",
                  status=200, title=TitleCheck(expected=None, found="Example Domain", score=None, match=None))
    report = Report(sources=("doc.md",), results=(base,), started_at="t", finished_at="t", tool_version="0")
    text = build_manifest([_target("https://example.org/", text="example")], report)
    entry = tomllib.loads(text)["source"][0]
    assert entry["title"] == "Example Domain"
    assert entry["note"] == "link text: example"


@pytest.mark.parametrize(
    "pinned, found, changed",
    [
        pytest.param("https://a.example/x", "https://a.example/x", False, id="same"),
        pytest.param("https://A.example:443/x", "https://a.example/x#part", False, id="normalised-same"),
        pytest.param("https://a.example/x", "https://a.example/y", True, id="moved"),
    ],
)
def test_check_final_url(pinned: str, found: str, changed: bool) -> None:
    result = Result(target=_target("https://a.example/x", final_url=pinned), verdict=Verdict.OK,
                    final_url=found, status=200)
    assert ("final_url_changed" in check_final_url(result).details) is changed


def test_from_report_must_be_a_report(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text("[a](https://a.example/)\n", encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    result = runner.invoke(cli, ["expect", str(doc), "--from-report", str(bad), "-o", str(tmp_path / "m.toml")])
    assert result.exit_code == 2
    assert "--from-report" in result.output and "not a linkcheck report" in result.output
    assert not (tmp_path / "m.toml").exists()


def test_from_report_leaves_failing_links_out_of_the_baseline(runner: CliRunner, httpserver: HTTPServer,
                                                              tmp_path: Path) -> None:
    """A soft 404 and a wrong page must not become expected titles (issue 13.5)."""
    httpserver.expect_request("/report").respond_with_data(html_page(OLD_TITLE), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data(html_page("Page not found"), content_type="text/html")
    httpserver.expect_request("/wrong").respond_with_data(html_page(NEW_TITLE), content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"[{OLD_TITLE}]({httpserver.url_for('/report')}), "
        f"[Statistical yearbook of the federal office 2021]({httpserver.url_for('/gone')}) and "
        f"[Annual survey of regional bus timetables 2020]({httpserver.url_for('/wrong')}).\n",
        encoding="utf-8",
    )
    code, report = _check(runner, str(doc), "-o", str(tmp_path / "r1"))
    assert code == 1
    verdicts = {link["url"].rsplit("/", 1)[-1]: link["verdict"] for link in report["links"]}
    assert verdicts == {"report": "ok", "gone": "soft_404", "wrong": "title_mismatch"}

    manifest = tmp_path / "baseline.toml"
    result = runner.invoke(cli, ["expect", str(doc), "--from-report", str(tmp_path / "r1" / "linkcheck.json"),
                                 "-o", str(manifest)])
    assert result.exit_code == 0, result.output
    assert "left out 2 links" in result.stderr and "1 soft_404, 1 title_mismatch" in result.stderr
    text = manifest.read_text(encoding="utf-8")
    sources = tomllib.loads(text)["source"]
    assert [entry["url"] for entry in sources] == [httpserver.url_for("/report")]
    assert f"# soft_404: {httpserver.url_for('/gone')}" in text
    assert f"# title_mismatch: {httpserver.url_for('/wrong')}" in text

    # the baseline does not turn the failures green
    code, report = _check(runner, str(doc), "--expect", str(manifest), "-o", str(tmp_path / "r2"))
    assert code == 1
    assert {link["url"].rsplit("/", 1)[-1]: link["verdict"] for link in report["links"]} == verdicts
