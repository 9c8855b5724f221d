"""Issue 13, item 4: ``--fail-on`` and ``--titles warn`` shape every report, not only the exit
status. Driven through the CLI against a local server: what fails the run is an error in every
format and annotation, what is only reported is a warning, and the two always agree with the
exit status."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli

from .conftest import html_page


@pytest.fixture
def docs(tmp_path: Path, httpserver: HTTPServer) -> tuple[Path, Path]:
    """One broken link, one soft 404, one wrong page (against a manifest), one fine page."""
    httpserver.expect_request("/ok").respond_with_data(html_page("Fine page"), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    httpserver.expect_request("/soft").respond_with_data(html_page("Page not found"), content_type="text/html")
    httpserver.expect_request("/wrong").respond_with_data(
        html_page("Weather forecast for Berlin on Tuesday"), content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(
        f"[Fine page]({httpserver.url_for('/ok')})\n"
        f"[Gone]({httpserver.url_for('/gone')})\n"
        f"[Annual report on fisheries]({httpserver.url_for('/soft')})\n"
        f"[the statement]({httpserver.url_for('/wrong')})\n",
        encoding="utf-8",
    )
    manifest = tmp_path / "expected.toml"
    manifest.write_text(f'[[source]]\nurl = "{httpserver.url_for("/wrong")}"\n'
                        'title = "Joint Statement of the EU-Japan Summit 2022"\n', encoding="utf-8")
    return doc, manifest


def _check(tmp_path: Path, doc: Path, manifest: Path, *extra: str) -> tuple[int, str, str, Path]:
    out = tmp_path / "out"
    summary = tmp_path / "step-summary.md"
    summary.write_text("", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["check", str(doc), "--expect", str(manifest), "-o", str(out), "--no-progress", "--retries", "0",
         "--timeout", "5", *[a for f in ("json", "markdown", "html", "junit", "sarif") for a in ("-f", f)], *extra],
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(tmp_path)},
    )
    return result.exit_code, result.stdout, result.stderr, out


def _sarif_levels(out: Path) -> dict[str, set[str]]:
    log = json.loads((out / "linkcheck.sarif").read_text(encoding="utf-8"))
    levels: dict[str, set[str]] = {}
    for result in log["runs"][0]["results"]:
        levels.setdefault(result["properties"]["verdict"], set()).add(result["level"])
    return levels


def _junit(out: Path) -> tuple[dict[str, str], dict[str, str]]:
    root = ET.fromstring((out / "linkcheck.junit.xml").read_text(encoding="utf-8"))
    kinds = {}
    for case in root.iter("testcase"):
        child = next(iter(case), None)
        kinds[case.get("name", "").rsplit("/", 1)[-1]] = child.tag if child is not None else "passed"
    return dict(root.attrib), kinds


def test_default_run_counts_every_failing_verdict(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    code, stdout, _, out = _check(tmp_path, *docs)
    assert code == 1
    assert "**3 of 4 links failed**" in (out / "linkcheck.md").read_text(encoding="utf-8")
    assert _sarif_levels(out) == {"broken": {"error"}, "soft_404": {"error"}, "title_mismatch": {"error"}}
    assert [line.split(" ", 1)[0] for line in stdout.splitlines() if line.startswith("::")] == ["::error"] * 3


def test_fail_on_broken_makes_the_rest_warnings_everywhere(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    code, stdout, _, out = _check(tmp_path, *docs, "--fail-on", "broken")
    assert code == 1
    markdown = (out / "linkcheck.md").read_text(encoding="utf-8")
    assert "**1 of 4 links failed**" in markdown
    assert "### Failures (1)" in markdown
    assert "### Reported only, not failing this run (2)" in markdown
    assert "Fails the run: `broken`" in markdown
    assert (tmp_path / "step-summary.md").read_text(encoding="utf-8").count("**1 of 4 links failed**") == 1
    html = (out / "linkcheck.html").read_text(encoding="utf-8")
    assert "1 of 4 links failed" in html and "2 reported only, not failing this run" in html
    assert _sarif_levels(out) == {"broken": {"error"}, "soft_404": {"warning"}, "title_mismatch": {"warning"}}
    totals, cases = _junit(out)
    assert totals["failures"] == "1"
    assert cases == {"ok": "passed", "gone": "failure", "soft": "skipped", "wrong": "skipped"}
    annotations = [line for line in stdout.splitlines() if line.startswith("::")]
    assert [a.split(" ", 1)[0] for a in annotations] == ["::error", "::warning", "::warning"]
    assert "title=linkcheck%3A broken::" in annotations[0]
    assert all("reported only" in a for a in annotations[1:])
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    assert report["fail_on"] == ["broken"]


def test_fail_on_a_verdict_that_is_absent_passes_and_says_so(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    code, stdout, _, out = _check(tmp_path, *docs, "--fail-on", "timeout")
    assert code == 0
    assert "✅ **All 4 links passed**" in (out / "linkcheck.md").read_text(encoding="utf-8")
    assert "::error" not in stdout
    assert set().union(*_sarif_levels(out).values()) == {"warning"}
    # the JSON report keeps the run's rule, so a later `linkcheck report` re-renders the same view
    rerendered = tmp_path / "again"
    result = CliRunner().invoke(cli, ["report", str(out / "linkcheck.json"), "-o", str(rerendered), "-f", "md"])
    assert result.exit_code == 0, result.output
    assert "All 4 links passed" in (rerendered / "linkcheck.md").read_text(encoding="utf-8")


def test_titles_warn_makes_title_findings_warnings(tmp_path: Path, docs: tuple[Path, Path]) -> None:
    code, stdout, _, out = _check(tmp_path, *docs, "--titles", "warn", "--fail-on", "broken,soft_404,title_mismatch")
    assert code == 1  # broken and soft_404 still fail
    assert _sarif_levels(out)["title_mismatch"] == {"warning"}
    assert "**2 of 4 links failed**" in (out / "linkcheck.md").read_text(encoding="utf-8")
    warning = next(line for line in stdout.splitlines() if line.startswith("::warning"))
    assert "title_mismatch" in warning


@pytest.mark.parametrize("value", ["", " , "])
def test_empty_fail_on_is_a_usage_error(tmp_path: Path, docs: tuple[Path, Path], value: str) -> None:
    code, _, stderr, out = _check(tmp_path, *docs, "--fail-on", value)
    assert code == 2
    assert stderr.startswith("linkcheck: error: --fail-on: give at least one verdict")
    assert len(stderr.splitlines()) == 1
    assert not out.exists()
