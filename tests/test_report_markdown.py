"""The Markdown report: rendered the way GitHub would, hostile text must stay text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from linkcheck.models import Report, Verdict
from linkcheck.report import render_markdown
from linkcheck.report.markdown import escape_markdown

try:
    from tests.test_report_sample import HOSTILE_TITLE, SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import HOSTILE_TITLE, SECRET, make_report  # type: ignore[no-redef]

GOLDEN = Path(__file__).parent / "golden" / "report.md"


def _to_html(markdown: str) -> BeautifulSoup:
    """Render as a permissive GFM host would: raw HTML allowed, tables on."""
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    return BeautifulSoup(html, "html.parser")


def _rows(soup: BeautifulSoup, index: int) -> list[list[str]]:
    table = soup.find_all("table")[index]
    return [[cell.get_text() for cell in row.find_all("td")] for row in table.find("tbody").find_all("tr")]


def test_matches_golden_file() -> None:
    text = render_markdown(make_report())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_summary_line_counts_non_zero_verdicts() -> None:
    text = render_markdown(make_report())
    assert "6 of 11 links failed" in text
    assert "2 ok" in text and "1 broken" in text
    report = make_report()
    passing = Report(report.sources, report.results[:2], report.started_at, report.finished_at, "0.1.0")
    text = render_markdown(passing)
    assert "All 2 links passed" in text and "broken" not in text
    assert "### Failures" not in text


def test_failures_come_first_then_the_rest_folded() -> None:
    soup = _to_html(render_markdown(make_report()))
    failures, others = _rows(soup, 0), _rows(soup, 1)
    failing = [r for r in make_report().results if r.verdict.is_failure]
    assert len(failures) == len(failing) == 6
    assert len(others) == 5
    assert [row[0] for row in failures][:2] == ["Broken", "Soft 404"]
    assert {row[0] for row in others} == {"Blocked", "Redirected", "OK", "Excluded"}
    details = soup.find("details")
    assert details is not None and details.find("table") is not None
    assert "Other links (5)" in details.find("summary").get_text()


def test_rows_carry_url_status_place_title_and_error() -> None:
    failures = _rows(_to_html(render_markdown(make_report())), 0)
    broken = failures[0]
    assert broken[1] == "https://example.org/missing"
    assert broken[2] == "404"
    assert "docs/summit.md:9:1" in broken[3] and "docs/press release.html:22:14" in broken[3]
    assert broken[5] == "HTTP 404 Not Found"
    soft = failures[1]
    assert soft[2] == "302 → 200"
    mismatch = next(row for row in failures if row[0] == "Title mismatch")
    assert "Leaders agree on climate plan" in mismatch[4] and "(score 12.2)" in mismatch[4]


def test_hostile_title_renders_as_plain_text() -> None:
    soup = _to_html(render_markdown(make_report()))
    assert soup.find("script") is None
    assert soup.find("img") is None
    for anchor in soup.find_all("a"):
        assert anchor["href"].startswith(("http://", "https://")), anchor
    expected = HOSTILE_TITLE.replace("\n", " ")
    mismatch = next(row for row in _rows(soup, 0) if row[0] == "Title mismatch")
    assert expected in mismatch[4]
    assert len(mismatch) == 6  # the | in the title did not split the row


def test_non_http_url_is_text_not_a_link() -> None:
    soup = _to_html(render_markdown(make_report()))
    invalid = next(row for row in _rows(soup, 0) if row[0] == "Invalid")
    assert invalid[1] == "javascript:alert(1)"
    assert not any("javascript" in a["href"] for a in soup.find_all("a"))


def test_every_table_row_has_its_columns() -> None:
    soup = _to_html(render_markdown(make_report()))
    assert all(len(row) == 6 for row in _rows(soup, 0))
    assert all(len(row) == 5 for row in _rows(soup, 1))


def test_credentials_are_redacted() -> None:
    text = render_markdown(make_report())
    assert SECRET not in text
    assert "***@intranet.example.com" in _to_html(text).get_text()


def test_incomplete_run_is_marked() -> None:
    assert "Incomplete run" in render_markdown(make_report(complete=False))
    assert "Incomplete run" not in render_markdown(make_report())


def test_long_reports_are_cut_to_the_budget_with_a_note() -> None:
    report = make_report()
    text = render_markdown(report, max_chars=1500)
    assert len(text) <= 1500
    assert "more not shown here" in text


@pytest.mark.parametrize(
    ("raw", "visible"),
    [
        pytest.param("<script>alert(1)</script>", "<script>alert(1)</script>", id="script"),
        pytest.param("[x](javascript:alert(1))", "[x](javascript:alert(1))", id="link"),
        pytest.param("![i](https://evil.example/p.png)", "![i](https://evil.example/p.png)", id="image"),
        pytest.param("a | b", "a | b", id="pipe"),
        pytest.param("line\nbreak", "line break", id="newline"),
        pytest.param("*x* _y_ `z` ~~s~~ # h", "*x* _y_ `z` ~~s~~ # h", id="emphasis"),
        pytest.param("&amp; &lt;", "&amp; &lt;", id="entities"),
        pytest.param("back\\slash\\", "back\\slash\\", id="backslash"),
    ],
)
def test_escape_markdown_keeps_text_literal(raw: str, visible: str) -> None:
    soup = _to_html(f"| a |\n|---|\n| {escape_markdown(raw)} |\n")
    cells = soup.find_all("td")
    assert len(cells) == 1
    assert cells[0].get_text() == visible
    assert cells[0].find(True) is None  # no element at all inside the cell


def test_every_verdict_has_a_label() -> None:
    text = render_markdown(make_report())
    for label in ("Broken", "Soft 404", "Title mismatch", "Timeout", "Network error", "Invalid", "Blocked"):
        assert label in text
    assert {r.verdict for r in make_report().results} == set(Verdict)
