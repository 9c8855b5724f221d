"""The JSON report: the contract's schema, byte-exact output, and the way back (load_report)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from linkcheck.errors import InputError
from linkcheck.models import Verdict
from linkcheck.report import FORMATS, load_report, render_json

try:
    from tests.test_report_sample import SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import SECRET, make_report  # type: ignore[no-redef]

GOLDEN = Path(__file__).parent / "golden" / "report.json"


def test_matches_golden_file() -> None:
    text = render_json(make_report())
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_top_level_follows_the_contract() -> None:
    data = json.loads(render_json(make_report()))
    assert data["schema"] == "linkcheck-report/1"
    assert data["tool"] == {"name": "linkcheck", "version": "0.1.0"}
    assert data["started_at"] == "2024-05-12T09:30:00+00:00"
    assert data["finished_at"] == "2024-05-12T09:30:21+00:00"
    assert data["complete"] is True
    assert data["sources"] == ["docs/summit.md", "docs/press release.html", "notes.txt"]


def test_summary_counts_every_verdict_including_zeros() -> None:
    report = make_report()
    only_ok = type(report)(report.sources, report.results[:1], report.started_at, report.finished_at, "0.1.0")
    summary = json.loads(render_json(only_ok))["summary"]
    assert summary == {"total": 1, **{v.value: 0 for v in Verdict}, "ok": 1}
    full = json.loads(render_json(report))["summary"]
    assert full["total"] == len(report.results) == sum(full[v.value] for v in Verdict)
    assert full["ok"] == 2


def test_link_entries_carry_every_fact() -> None:
    links = json.loads(render_json(make_report()))["links"]
    redirected = next(link for link in links if link["verdict"] == "redirected")
    assert redirected == {
        "url": "http://example.org/old",
        "checked_url": "http://example.org/old",
        "final_url": "https://example.org/new",
        "verdict": "redirected",
        "status": 200,
        "redirects": [
            {"url": "http://example.org/old", "status": 301},
            {"url": "https://example.org/old", "status": 308},
        ],
        "title": None,
        "error": None,
        "elapsed_ms": 120,
        "occurrences": [{"source": "docs/summit.md", "line": 7, "column": 12, "text": "old page"}],
        "details": ["permanent_redirect"],
        "extra": {},
    }
    mismatch = next(link for link in links if link["verdict"] == "title_mismatch")
    assert mismatch["title"]["score"] == 12.25
    assert mismatch["title"]["match"] is False
    assert mismatch["title"]["signal"] == "og:title"
    assert set(mismatch["title"]) == {"expected", "found", "score", "match", "signal", "detail"}


def test_skip_reason_is_the_error_of_a_link_never_requested() -> None:
    links = json.loads(render_json(make_report()))["links"]
    excluded = next(link for link in links if link["verdict"] == "excluded")
    assert excluded["error"] == "scheme mailto is not checked"
    assert excluded["status"] is None and excluded["final_url"] is None


def test_credentials_are_redacted_everywhere() -> None:
    text = render_json(make_report())
    assert SECRET not in text
    links = json.loads(text)["links"]
    secret = next(link for link in links if link["verdict"] == "network_error")
    assert secret["url"] == "https://***@intranet.example.com/private"
    assert "***@" in secret["error"]


def test_extra_keeps_only_json_values() -> None:
    links = json.loads(render_json(make_report()))["links"]
    unicode_link = next(link for link in links if "bücher" in link["url"])
    assert unicode_link["extra"] == {
        "archive": "https://web.archive.org/web/2022/https://bücher.example/über",
        "old_titles": ["A", "B"],
    }


def test_unicode_is_written_as_is() -> None:
    assert "https://bücher.example/über?q=straße" in render_json(make_report())


def test_incomplete_run_is_marked() -> None:
    assert json.loads(render_json(make_report(complete=False)))["complete"] is False


def test_round_trip_is_exact() -> None:
    text = render_json(make_report())
    assert render_json(load_report(text)) == text


@pytest.mark.parametrize("name", sorted(set(FORMATS) - {"json"}))
def test_every_format_renders_the_same_from_a_loaded_report(name: str) -> None:
    report = make_report()
    loaded = load_report(render_json(report))
    assert FORMATS[name].render(loaded) == FORMATS[name].render(report)


def test_incomplete_flag_survives_the_round_trip() -> None:
    assert load_report(render_json(make_report(complete=False))).is_complete is False


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("{not json", "not a JSON report", id="not-json"),
        pytest.param('{"schema": "other/1"}', "schema is 'other/1'", id="other-schema"),
        pytest.param("[]", "top level is not an object", id="list"),
        pytest.param('{"schema": "linkcheck-report/1", "sources": []}', "missing key", id="missing-key"),
        pytest.param(
            '{"schema": "linkcheck-report/1", "tool": {"version": "1"}, "started_at": "a", "finished_at": "b",'
            ' "sources": [], "links": [{"url": "x", "checked_url": "x", "verdict": "nope", "occurrences": []}]}',
            "nope",
            id="bad-verdict",
        ),
    ],
)
def test_load_rejects_what_is_not_a_report(text: str, reason: str) -> None:
    with pytest.raises(InputError) as info:
        load_report(text)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_lines_encoded_during_the_run_write_the_same_report() -> None:
    """The CLI encodes each link's line as its result comes (LinkLines); the file is the same as
    one encoded at the end, also for results never added and for a copy of an added one."""
    from dataclasses import replace

    from linkcheck.report.json_report import LinkLines

    report = make_report()
    lines = LinkLines()
    for result in report.results[::2]:
        lines.add(result)
    assert "".join(lines.stream(report)) == render_json(report)
    added = report.results[0]
    copy = replace(added, details=(*added.details, "changed after"))
    changed = replace(report, results=(copy, *report.results[1:]))
    assert "".join(lines.stream(changed)) == render_json(changed)
    assert "changed after" in "".join(lines.stream(changed))
    lines.close()
