"""The CSV report: one row per occurrence, the JSON report's facts, no formula injection."""

from __future__ import annotations

import csv
import io
import json

import pytest

from linkcheck.report import render_csv, render_json
from linkcheck.report.csv_report import COLUMNS, neutralise_formula

try:
    from tests.test_report_sample import HOSTILE_TITLE, SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import HOSTILE_TITLE, SECRET, make_report  # type: ignore[no-redef]


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(render_csv(make_report()), newline="")))


def test_header_is_the_documented_columns() -> None:
    first = render_csv(make_report()).split("\r\n", 1)[0]
    assert first.split(",") == list(COLUMNS)
    assert COLUMNS == (
        "url",
        "checked_url",
        "final_url",
        "verdict",
        "status",
        "source",
        "line",
        "column",
        "link_text",
        "expected_title",
        "found_title",
        "score",
        "title_match",
        "error",
        "elapsed_ms",
        "title_detail",
        "note",
    )


def test_one_row_per_occurrence_with_the_json_facts() -> None:
    links = json.loads(render_json(make_report()))["links"]
    expected = [
        (
            link["url"],
            link["verdict"],
            str(link["status"] or ""),
            o["source"],
            str(o["line"]),
            str(o["column"]),
            str(link["elapsed_ms"]),
        )
        for link in links
        for o in link["occurrences"]
    ]
    found = [
        (
            row["url"].lstrip("'"),
            row["verdict"],
            row["status"],
            row["source"],
            row["line"],
            row["column"],
            row["elapsed_ms"],
        )
        for row in _rows()
    ]
    assert found == expected


def test_titles_and_errors() -> None:
    rows = _rows()
    mismatch = next(row for row in rows if row["verdict"] == "title_mismatch")
    assert mismatch["expected_title"] == "Leaders agree on climate plan"
    assert mismatch["found_title"] == HOSTILE_TITLE  # newlines survive inside a quoted cell
    assert mismatch["score"] == "12.25"
    assert mismatch["title_match"] == "false"
    ok = next(row for row in rows if row["verdict"] == "ok")
    assert ok["title_match"] == "true"
    broken = next(row for row in rows if row["verdict"] == "broken")
    assert broken["error"] == "HTTP 404 Not Found"
    assert broken["title_match"] == "" and broken["score"] == ""


def test_formula_cells_are_neutralised() -> None:
    invalid = next(row for row in _rows() if row["verdict"] == "invalid")
    assert invalid["link_text"] == '\'=HYPERLINK("x")'
    for row in _rows():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        pytest.param("=1+1", "'=1+1", id="equals"),
        pytest.param("+1", "'+1", id="plus"),
        pytest.param("-1", "'-1", id="minus"),
        pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
        pytest.param("\tx", "'\tx", id="tab"),
        pytest.param("a=b", "a=b", id="inside"),
        pytest.param("", "", id="empty"),
    ],
)
def test_neutralise_formula(cell: str, safe: str) -> None:
    assert neutralise_formula(cell) == safe


def test_credentials_are_redacted() -> None:
    text = render_csv(make_report())
    assert SECRET not in text
    assert "https://***@intranet.example.com/private" in text
