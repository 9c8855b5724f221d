"""Precision and recall of ``title_mismatch`` on a hand-labelled set of (expected title, page) pairs.

``tests/data/titles.jsonl`` holds realistic citations: press releases, statements, factsheets, PDF
titles, news, soft-404 pages, mis-linked documents from the same site, site-name suffixes,
reordered titles, abbreviations, other-language pages. Each page is rendered to a small HTML head
(or a PDF title) and goes through the real ``parse_page`` → ``compare_title`` path.

Labels: ``match`` (the page is the cited source), ``mismatch`` (it is not: another document, an
error page, a home page), ``unverifiable`` (the title cannot decide: another language, a generic
link text). The positive class is *mismatch*, i.e. ``TitleCheck.match is False``.

Run ``python tests/test_title_dataset.py`` for the threshold sweep.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from linkcheck.citation import compare_title
from linkcheck.config import DEFAULT_TITLE_THRESHOLD
from linkcheck.models import Expectation, Fetch, Page, TitleCheck
from linkcheck.page import parse_page

DATA = Path(__file__).parent / "data" / "titles.jsonl"
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    expected: Expectation
    url: str
    page: dict[str, Any]
    label: str


def load_cases() -> list[Case]:
    cases = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        expected = Expectation(title=row["expected"], publisher=row.get("publisher"))
        cases.append(Case(row["id"], row["kind"], expected, row["url"], row["page"], row["label"]))
    return cases


def render(page: dict[str, Any]) -> bytes:
    """A small, realistic HTML head for the page facts of a case."""
    esc = html.escape
    head = ['<meta charset="utf-8">']
    if "title" in page:
        head.append(f"<title>{esc(page['title'], quote=False)}</title>")
    if "og" in page:
        head.append(f'<meta property="og:title" content="{esc(page["og"])}">')
    if "site" in page:
        head.append(f'<meta property="og:site_name" content="{esc(page["site"])}">')
    body = f"<h1>{esc(page['h1'], quote=False)}</h1>" if "h1" in page else "<p>…</p>"
    lang = f' lang="{esc(page["lang"])}"' if "lang" in page else ""
    return f"<!DOCTYPE html><html{lang}><head>{''.join(head)}</head><body>{body}</body></html>".encode()


def page_of(case: Case) -> Page:
    if "pdf" in case.page:  # PDF titles themselves are read by pdfinfo (tested in test_pdfinfo.py)
        signal = case.page.get("pdf_signal", "pdf:title")
        return Page(is_pdf=True, title=case.page["pdf"], candidates=((signal, case.page["pdf"]),))
    fetch = Fetch(
        url=case.url,
        final_url=case.url,
        status=200,
        headers=(("content-type", "text/html; charset=utf-8"),),
        body=render(case.page),
        is_body_complete=True,
    )
    return parse_page(fetch)


def check(case: Case, threshold: float) -> TitleCheck | None:
    return compare_title(case.expected, page_of(case), threshold=threshold, final_url=case.url)


def figures(cases: list[Case], threshold: float) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for case in cases:
        if case.label == "unverifiable":
            continue
        result = check(case, threshold)
        predicted = result is not None and result.match is False
        actual = case.label == "mismatch"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        tn += not predicted and not actual
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {"threshold": threshold, "precision": precision, "recall": recall, "tp": tp, "fp": fp, "fn": fn, "tn": tn}


CASES = load_cases()


def test_data_set_is_large_and_varied() -> None:
    labels = [c.label for c in CASES]
    assert len(CASES) >= 80
    assert labels.count("match") >= 30 and labels.count("mismatch") >= 30
    assert len({c.id for c in CASES}) == len(CASES)
    assert {"wrong-page", "soft-404", "pdf", "abbreviation", "reordered", "site-suffix", "language"} <= {
        c.kind for c in CASES
    }


def test_precision_and_recall_at_default_threshold(record_property: Any) -> None:
    result = figures(CASES, DEFAULT_TITLE_THRESHOLD)
    record_property("title_mismatch_figures", json.dumps(result))
    print(f"\ntitle_mismatch at threshold {DEFAULT_TITLE_THRESHOLD}: {result}")
    assert result["precision"] >= MIN_PRECISION, result
    assert result["recall"] >= MIN_RECALL, result


@pytest.mark.parametrize("case", [c for c in CASES if c.label == "unverifiable"], ids=lambda c: c.id)
def test_unverifiable_cases_are_never_a_verdict(case: Case) -> None:
    result = check(case, DEFAULT_TITLE_THRESHOLD)
    assert result is not None and result.match is None, result


def sweep() -> list[dict[str, float]]:
    return [figures(CASES, t) for t in (40.0, 45.0, 47.5, 50.0, 52.0, 52.5, 55.0, 60.0, 65.0, 70.0, 75.0, 80.0, 90.0)]


if __name__ == "__main__":  # pragma: no cover - a tool for choosing DEFAULT_TITLE_THRESHOLD
    for row in sweep():
        print("threshold {threshold:5.1f}  precision {precision:.3f}  recall {recall:.3f}  "
              "tp {tp} fp {fp} fn {fn} tn {tn}".format(**row))
    if "-v" in sys.argv:
        for case in CASES:
            r = check(case, DEFAULT_TITLE_THRESHOLD)
            print(f"{case.label:12} {r.match if r else None!s:5} {r.score if r else None!s:6} "
                  f"{(r.detail if r else '') or '':20} {case.id}")
