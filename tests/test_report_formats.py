"""What every format owes: a registry with fixed names, purity, redaction, any text survives."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from linkcheck.models import Occurrence, Report, Result, Target, TitleCheck, Verdict
from linkcheck.report import (
    FORMATS,
    render_csv,
    render_html,
    render_json,
    render_junit,
    render_markdown,
    render_sarif,
)
from linkcheck.report.csv_report import neutralise_formula

try:
    from tests.test_report_sample import SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import SECRET, make_report  # type: ignore[no-redef]


def test_registry_names_and_file_names() -> None:
    assert {name: fmt.filename for name, fmt in FORMATS.items()} == {
        "json": "linkcheck.json",
        "markdown": "linkcheck.md",
        "html": "linkcheck.html",
        "junit": "linkcheck.junit.xml",
        "sarif": "linkcheck.sarif",
        "csv": "linkcheck.csv",
    }
    assert [fmt.render for fmt in FORMATS.values()] == [
        render_json,
        render_markdown,
        render_html,
        render_junit,
        render_sarif,
        render_csv,
    ]


@pytest.mark.parametrize("name", list(FORMATS))
def test_pure_and_redacted(name: str) -> None:
    render = FORMATS[name].render
    text = render(make_report())
    assert text == render(make_report())
    assert SECRET not in text
    assert "***@intranet.example.com" in text


@pytest.mark.parametrize("name", list(FORMATS))
def test_empty_report(name: str) -> None:
    report = Report(("empty.md",), (), "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:01+00:00", "0.1.0")
    assert FORMATS[name].render(report)


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


def _one(title: str, link_text: str, source: str) -> Report:
    target = Target(
        "k", "https://example.org/a", "https://example.org/a", (Occurrence(source or "x", 2, 3, link_text),)
    )
    result = Result(
        target,
        Verdict.TITLE_MISMATCH,
        status=200,
        error=title,
        title=TitleCheck("expected", title, 10.0, False),
    )
    return Report((source or "x",), (result,), "t0", "t1", "0.1.0")


@settings(max_examples=60, deadline=None)
@given(title=_TEXT, link_text=_TEXT, source=_TEXT)
def test_any_text_keeps_every_format_well_formed(title: str, link_text: str, source: str) -> None:
    report = _one(title, link_text, source)
    assert json.loads(render_json(report))["links"][0]["title"]["found"] == title
    assert json.loads(render_sarif(report))["runs"][0]["results"]
    ET.fromstring(render_junit(report))
    rows = list(csv.DictReader(io.StringIO(render_csv(report), newline="")))
    assert len(rows) == 1 and rows[0]["found_title"] == neutralise_formula(title)
    md = BeautifulSoup(
        MarkdownIt("commonmark", {"html": True}).enable("table").render(render_markdown(report)),
        "html.parser",
    )
    assert [len(tr.find_all("td")) for tr in md.find("table").find("tbody").find_all("tr")] == [6]
    assert md.find("script") is None and md.find("img") is None
    page = BeautifulSoup(render_html(report), "html.parser")
    assert len(page.select("#links tbody tr")) == 1
    assert len(page.find_all("script")) == 1
