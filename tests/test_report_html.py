"""The HTML report: one offline file whose table says what the JSON report says, safely."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from bs4 import BeautifulSoup

from linkcheck.models import Report
from linkcheck.report import render_html, render_json

try:
    from tests.test_report_sample import HOSTILE_TEXT, HOSTILE_TITLE, SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import HOSTILE_TEXT, HOSTILE_TITLE, SECRET, make_report  # type: ignore[no-redef]


def _soup(report: Report | None = None) -> BeautifulSoup:
    return BeautifulSoup(render_html(report or make_report()), "html.parser")


def _cells(row: object) -> dict[str, object]:
    return {cell["data-label"]: cell for cell in row.find_all("td", recursive=False)}  # type: ignore[attr-defined]


def test_table_rows_match_the_json_report() -> None:
    report = make_report()
    links = json.loads(render_json(report))["links"]
    rows = _soup(report).select("#links tbody tr")
    assert len(rows) == len(links)
    by_url = {link["url"]: link for link in links}
    for row in rows:
        cells = _cells(row)
        url = cells["URL"].find(["a", "span"]).get_text()
        link = by_url.pop(url)
        assert row["data-verdict"] == link["verdict"]
        assert cells["Status"].get_text() == ("" if link["status"] is None else str(link["status"]))
        places = [li.find(class_="loc").get_text() for li in cells["Where"].find_all("li")]
        assert places == [f"{o['source']}:{o['line']}:{o['column']}" for o in link["occurrences"]]
        assert cells["Time"]["data-key"] == (str(link["elapsed_ms"]) if link["elapsed_ms"] else "")
        if 0 < link["elapsed_ms"] < 1000:
            assert cells["Time"].get_text() == f"{link['elapsed_ms']} ms"
        elif link["elapsed_ms"] >= 1000:
            assert cells["Time"].get_text() == f"{link['elapsed_ms'] / 1000:.1f} s"
    assert by_url == {}


def test_failures_are_listed_first() -> None:
    verdicts = [row["data-verdict"] for row in _soup().select("#links tbody tr")]
    assert verdicts[0] == "broken"
    first_passing = next(
        i for i, v in enumerate(verdicts) if v in {"blocked", "redirected", "ok", "excluded"}
    )
    assert all(v in {"blocked", "redirected", "ok", "excluded"} for v in verdicts[first_passing:])


def test_summary_chips_count_each_verdict_and_filter_it() -> None:
    summary = json.loads(render_json(make_report()))["summary"]
    chips = _soup().select("#verdicts label.chip")
    counts = {chip.find("input")["value"]: int(chip.find(class_="n").get_text()) for chip in chips}
    assert counts == {verdict: n for verdict, n in summary.items() if verdict != "total" and n}
    failing = {chip.find("input")["value"] for chip in chips if chip.find("input")["data-failing"] == "1"}
    assert failing == {"broken", "soft_404", "title_mismatch", "timeout", "network_error", "invalid"}


def test_redirect_chain_title_and_error_are_shown() -> None:
    rows = {row["data-verdict"]: _cells(row) for row in _soup().select("#links tbody tr")}
    chain = [li.get_text() for li in rows["redirected"]["URL"].select("ol.chain li")]
    assert chain == [
        "301 http://example.org/old",
        "308 https://example.org/old",
        "200 https://example.org/new",
    ]
    title = rows["title_mismatch"]["Title"].get_text(" ")
    assert "Leaders agree on climate plan" in title and "12.2" in title and "og:title" in title
    assert rows["broken"]["Error"].get_text() == "HTTP 404 Not Found"
    assert "permanent_redirect" in rows["redirected"]["Error"].get_text()


def test_hostile_text_stays_text() -> None:
    html = render_html(make_report())
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.find_all("script")) == 1  # only our own
    assert soup.find("img") is None
    assert "<script>alert" not in html
    text = soup.get_text()
    assert HOSTILE_TITLE.replace("\n", " ") in text
    assert HOSTILE_TEXT in text
    for anchor in soup.find_all("a"):
        assert anchor["href"].startswith(("http://", "https://"))
        assert "noopener" in anchor["rel"]
    invalid = soup.select_one('tr[data-verdict="invalid"] td[data-label="URL"]')
    assert invalid.find("a") is None and invalid.get_text() == "javascript:alert(1)"


def test_credentials_are_redacted() -> None:
    html = render_html(make_report())
    assert SECRET not in html
    assert "https://***@intranet.example.com/private" in html


def test_self_contained_with_a_policy_that_allows_only_its_own_blocks() -> None:
    soup = _soup()
    assert soup.find("link") is None
    assert not soup.find_all(src=True)
    assert soup.find("meta", attrs={"name": "viewport"})["content"].startswith("width=device-width")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "default-src 'none'" in policy

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert re.search(r"style-src ([^;]+)", policy).group(1) == digest(soup.find("style").string)
    assert re.search(r"script-src ([^;]+)", policy).group(1) == digest(soup.find("script").string)


def test_incomplete_run_is_marked() -> None:
    assert _soup(make_report(complete=False)).find(class_="warning") is not None
    assert _soup().find(class_="warning") is None


def test_empty_report_says_so() -> None:
    report = make_report()
    empty = Report(report.sources, (), report.started_at, report.finished_at, "0.1.0")
    soup = _soup(empty)
    assert soup.find("table") is None
    assert "No links were found." in soup.get_text()
    assert "No links found" in soup.get_text()


def test_rendering_is_pure() -> None:
    assert render_html(make_report()) == render_html(make_report())
