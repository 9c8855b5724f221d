"""The JUnit XML report: valid for Jenkins/GitLab, one case per occurrence, failures typed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from linkcheck.models import Occurrence, Report, Result, Target, Verdict
from linkcheck.report import render_json, render_junit

try:
    from tests.test_report_sample import HOSTILE_TITLE, SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import HOSTILE_TITLE, SECRET, make_report  # type: ignore[no-redef]

SCHEMA = Path(__file__).parent / "schemas" / "junit.xsd"


@pytest.fixture(scope="module")
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _validate(xsd: etree.XMLSchema, text: str) -> None:
    document = etree.fromstring(text.encode("utf-8"))
    assert xsd.validate(document), xsd.error_log


def test_valid_against_the_jenkins_schema(xsd: etree.XMLSchema) -> None:
    _validate(xsd, render_junit(make_report()))


def test_schema_rejects_what_it_should(xsd: etree.XMLSchema) -> None:
    """The schema is not a rubber stamp: a case without a name or a stray element fails."""
    assert not xsd.validate(
        etree.fromstring(b'<testsuites><testsuite name="a" tests="1"><testcase/></testsuite></testsuites>')
    )
    assert not xsd.validate(etree.fromstring(b'<testsuites><testsuite name="a"/></testsuites>'))
    assert not xsd.validate(etree.fromstring(b'<testsuites skipped="1"/>'))


def test_one_suite_per_source_one_case_per_occurrence() -> None:
    report = make_report()
    links = json.loads(render_json(report))["links"]
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == list(report.sources)
    expected: dict[str, list[tuple[str, str]]] = {}
    for link in links:
        for occurrence in link["occurrences"]:
            expected.setdefault(occurrence["source"], []).append((link["url"], link["verdict"]))
    for source, suite in suites.items():
        cases = suite.findall("testcase")
        assert sorted(case.get("name") for case in cases) == sorted(url for url, _ in expected[source])
        assert all(case.get("classname") == source for case in cases)
        assert int(suite.get("tests")) == len(cases)
        failing = [v for _, v in expected[source] if Verdict(v).is_failure]
        skipped = [v for _, v in expected[source] if v in {"blocked", "excluded"}]
        assert int(suite.get("failures")) == len(failing) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped")) == len(skipped) == len(suite.findall("testcase/skipped"))
        assert suite.get("errors") == "0"
        assert float(suite.get("time")) == pytest.approx(sum(float(c.get("time")) for c in cases))
    assert int(root.get("tests")) == sum(len(link["occurrences"]) for link in links)
    assert int(root.get("failures")) == sum(int(s.get("failures")) for s in suites.values())


def test_failure_says_verdict_status_place_and_titles() -> None:
    root = ET.fromstring(render_junit(make_report()))
    failures = {f.get("type"): f for f in root.iter("failure")}
    assert set(failures) == {"broken", "soft_404", "title_mismatch", "timeout", "network_error", "invalid"}
    broken = failures["broken"]
    assert broken.get("message") == "Broken: HTTP 404; HTTP 404 Not Found"
    for case in root.iter("testcase"):
        failure = case.find("failure")
        if failure is not None:  # each failure body starts at its own occurrence
            assert (failure.text or "").startswith(case.get("classname") + ":")
    broken_bodies = sorted(f.text or "" for f in root.iter("failure") if f.get("type") == "broken")
    assert broken_bodies[0].startswith("docs/press release.html:22:14: https://example.org/missing")
    assert broken_bodies[1].startswith("docs/summit.md:9:1: https://example.org/missing")
    mismatch = failures["title_mismatch"]
    assert HOSTILE_TITLE.replace("\n", " ") in mismatch.get("message")
    assert "expected title: Leaders agree on climate plan" in (mismatch.text or "")
    skipped = {s.get("message") for s in root.iter("skipped")}
    assert skipped == {
        "Blocked: HTTP 999; bot protection (status 999)",
        "Excluded: scheme mailto is not checked",
    }


def test_time_is_counted_once_per_link() -> None:
    root = ET.fromstring(render_junit(make_report()))
    times = [
        float(case.get("time"))
        for case in root.iter("testcase")
        if case.get("name") == "https://example.org/missing"
    ]
    assert sorted(times) == [0.0, 0.033]


def test_credentials_are_redacted() -> None:
    text = render_junit(make_report())
    assert SECRET not in text
    assert 'name="https://***@intranet.example.com/private"' in text


def test_characters_xml_cannot_hold_are_dropped(xsd: etree.XMLSchema) -> None:
    target = Target(
        "k",
        "https://example.org/\x00x",
        "https://example.org/\x00x",
        (Occurrence("a\x01.md", 1, 1, "t\x0bext"),),
    )
    report = Report(
        ("a.md",), (Result(target, Verdict.BROKEN, error="bad\x1bbyte", status=500),), "t0", "t1", "0"
    )
    text = render_junit(report)
    _validate(xsd, text)
    assert "\x00" not in text and "\x1b" not in text


def test_no_links_is_still_a_valid_document(xsd: etree.XMLSchema) -> None:
    text = render_junit(Report(("a.md",), (), "t0", "t1", "0"))
    _validate(xsd, text)
    assert ET.fromstring(text).get("tests") == "0"
