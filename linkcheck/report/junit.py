"""The JUnit XML report, for CI systems that show test results (Jenkins, GitLab, Azure, …).

One ``<testsuite>`` per source document and one ``<testcase>`` per occurrence of a link in it,
so a failure points at the document (classname) and the URL (name). Failing verdicts are
``<failure type="broken">`` (those of the run's ``--fail-on``); ``blocked`` and ``excluded`` say
nothing about the link, and a problem this run only reports is not a failure: they are ``<skipped>``. The shape follows the Jenkins JUnit schema (``tests/schemas/junit.xsd``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..models import Occurrence, Report, Result, Verdict
from ._common import (
    TOOL_NAME,
    VERDICT_LABELS,
    error_text,
    failure_facts,
    format_score,
    location,
    one_line,
    redact,
)

__all__ = ["render_junit"]

_SKIPPED = frozenset({Verdict.BLOCKED, Verdict.EXCLUDED})
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 cannot carry at all, not even escaped."""


@dataclass(frozen=True)
class _Case:
    result: Result
    occurrence: Occurrence
    seconds: float
    """The link's time on its first occurrence only, so that suite times add up honestly."""


def render_junit(report: Report) -> str:
    """The report as JUnit XML text with an XML declaration and a final newline."""
    suites = _group(report)
    root = ET.Element("testsuites")
    root.set("name", TOOL_NAME)
    cases = [case for group in suites.values() for case in group]
    failing = report.failing
    _set_counts(root, cases, failing)
    for source, group in suites.items():
        root.append(_suite(source, group, report.started_at, failing))
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _group(report: Report) -> dict[str, list[_Case]]:
    """Cases by source: the report's sources in their order first, then any others by name."""
    groups: dict[str, list[_Case]] = {}
    for result in report.results:
        for index, occurrence in enumerate(result.target.occurrences):
            seconds = result.elapsed_ms / 1000 if index == 0 else 0.0
            groups.setdefault(occurrence.source, []).append(_Case(result, occurrence, seconds))
    order = {source: index for index, source in enumerate(report.sources)}
    names = sorted(groups, key=lambda source: (order.get(source, len(order)), source))
    return {
        name: sorted(groups[name], key=lambda case: (case.occurrence.line, case.occurrence.column))
        for name in names
    }


def _is_skipped(verdict: Verdict, failing: frozenset[Verdict]) -> bool:
    """``blocked``, ``excluded``, and a verdict that fails by default but not this run (``--fail-on``)."""
    return verdict not in failing and (verdict in _SKIPPED or verdict.is_failure)


def _set_counts(
    element: ET.Element, cases: list[_Case], failing: frozenset[Verdict], *, with_skipped: bool = False
) -> None:
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(1 for case in cases if case.result.verdict in failing)))
    element.set("errors", "0")
    if with_skipped:
        element.set("skipped", str(sum(1 for case in cases if _is_skipped(case.result.verdict, failing))))
    element.set("time", _seconds(sum(case.seconds for case in cases)))


def _suite(source: str, cases: list[_Case], timestamp: str, failing: frozenset[Verdict]) -> ET.Element:
    suite = ET.Element("testsuite")
    suite.set("name", _clean(source))
    _set_counts(suite, cases, failing, with_skipped=True)
    suite.set("timestamp", _clean(timestamp))
    for case in cases:
        suite.append(_testcase(source, case, failing))
    return suite


def _testcase(source: str, case: _Case, failing: frozenset[Verdict]) -> ET.Element:
    result = case.result
    element = ET.Element("testcase")
    element.set("name", _clean(redact(result.target.url)))
    element.set("classname", _clean(source))
    element.set("time", _seconds(case.seconds))
    if result.verdict in failing:
        failure = ET.SubElement(element, "failure")
        failure.set("message", _clean(_message(result)))
        failure.set("type", result.verdict.value)
        failure.text = _clean(_details(result, case.occurrence))
    elif result.verdict.is_failure:  # reported only: not in this run's --fail-on
        skipped = ET.SubElement(element, "skipped")
        skipped.set("message", _clean(f"reported only, not failing this run: {_message(result)}"))
    elif result.verdict in _SKIPPED:
        skipped = ET.SubElement(element, "skipped")
        skipped.set("message", _clean(_message(result)))
    elif result.title is not None and result.title.detail:
        out = ET.SubElement(element, "system-out")
        out.text = _clean(f"title: {result.title.detail}")
    return element


def _message(result: Result) -> str:
    """One line: verdict, status, error, title; CI lists show it next to the test name."""
    facts = failure_facts(result)
    label = VERDICT_LABELS[result.verdict]
    return one_line(f"{label}: {'; '.join(facts)}" if facts else label)


def _details(result: Result, occurrence: Occurrence) -> str:
    lines = [f"{location(occurrence)}: {redact(result.target.url)}"]
    if occurrence.text:
        lines.append(f"link text: {one_line(occurrence.text)}")
    if occurrence.note:
        lines.append(f"note: {occurrence.note}")
    if result.target.checked_url != result.target.url:
        lines.append(f"checked as: {redact(result.target.checked_url)}")
    for hop in result.redirects:
        lines.append(f"redirect: {hop.status} {redact(hop.url)}")
    if result.final_url is not None and result.final_url != result.target.checked_url:
        lines.append(f"final URL: {redact(result.final_url)}")
    if result.status is not None:
        lines.append(f"status: {result.status}")
    if result.title is not None:
        title = result.title
        lines.append(f"expected title: {one_line(title.expected or '')}")
        lines.append(f"found title: {one_line(title.found or '')}")
        if title.score is not None:
            lines.append(f"score: {format_score(title.score)}")
        if title.detail:
            lines.append(f"title detail: {title.detail}")
    error = error_text(result)
    if error:
        lines.append(f"error: {error}")
    if result.details:
        lines.append("details: " + ", ".join(result.details))
    return "\n".join(lines)


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def _clean(text: str) -> str:
    """Drop what XML 1.0 cannot hold (NUL, most control characters, lone surrogates)."""
    return _NOT_XML.sub("", text)
