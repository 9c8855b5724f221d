"""Small facts every formatter shares: verdict order, redaction, locations, one-line text.

Kept private to ``report/`` so that each formatter stays a short, pure function of a ``Report``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import VERDICT_ORDER, Occurrence, Report, Result, Verdict
from ..urls import is_http, redact
from ..wording import format_score, plural, score_text

__all__ = [
    "TOOL_NAME",
    "VERDICT_LABELS",
    "VERDICT_ORDER",
    "ArchiveLink",
    "archive_link",
    "error_text",
    "failure_facts",
    "format_score",
    "headline",
    "location",
    "one_line",
    "ordered_results",
    "plural",
    "redact",
    "redact_optional",
    "score_text",
    "summary_line",
]

TOOL_NAME = "linkcheck"


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.OK: "OK",
    Verdict.REDIRECTED: "Redirected",
    Verdict.BROKEN: "Broken",
    Verdict.SOFT_404: "Soft 404",
    Verdict.TITLE_MISMATCH: "Title mismatch",
    Verdict.TIMEOUT: "Timeout",
    Verdict.NETWORK_ERROR: "Network error",
    Verdict.BLOCKED: "Blocked",
    Verdict.INVALID: "Invalid",
    Verdict.EXCLUDED: "Excluded",
}

_WHITESPACE = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def redact_optional(text: str | None) -> str | None:
    """``redact`` that lets ``None`` through, for optional fields."""
    return None if text is None else redact(text)


def one_line(text: str) -> str:
    """Collapse whitespace and drop control characters: a cell must never break its row."""
    return _WHITESPACE.sub(" ", _CONTROL.sub("", text)).strip()


def location(occurrence: Occurrence) -> str:
    """``file:line:col``, the form editors and CI logs turn into a jump target."""
    return f"{occurrence.source}:{occurrence.line}:{occurrence.column}"


def ordered_results(results: Iterable[Result]) -> list[Result]:
    """Worst verdict first; within a verdict, the order of the report (stable sort)."""
    rank = {verdict: index for index, verdict in enumerate(VERDICT_ORDER)}
    return sorted(results, key=lambda result: rank[result.verdict])


def error_text(result: Result) -> str | None:
    """The error to show: the run's own, else why the URL was never requested."""
    text = result.error if result.error is not None else result.target.skip_reason
    return redact_optional(text)


def failure_facts(result: Result, *, title_first: bool = False) -> list[str]:
    """The facts a one-line failure message shows: status, error, contradicting titles.

    ``title_first`` orders the titles as "expected …, found …" (for a reviewer reading an
    annotation) rather than "found …, expected …" (for a test report).
    """
    facts: list[str] = []
    if result.status is not None:
        facts.append(f"HTTP {result.status}")
    error = error_text(result)
    if error:
        facts.append(error)
    title = result.title
    if title is not None and title.match is False:
        score = score_text(title.score)
        if title_first:
            facts.append(f"expected title “{title.expected}”, found “{title.found}”{score}")
        else:
            facts.append(f"found title “{title.found}”, expected “{title.expected}”{score}")
    return facts


@dataclass(frozen=True)
class ArchiveLink:
    """A ``--suggest-archive`` suggestion as the human formats show it."""

    url: str | None
    """Redacted http(s) URL of the capture; None when no capture exists."""
    date: str
    is_title_different: bool


def archive_link(result: Result) -> ArchiveLink | None:
    """The suggestion in ``extra["archive"]``, or None when there is nothing to show."""
    suggestion = result.extra.get("archive")
    if not isinstance(suggestion, dict):
        return None
    url = suggestion.get("version_url")
    if isinstance(url, str) and is_http(url):
        date = str(suggestion.get("version_date") or "capture")
        return ArchiveLink(redact(url), date, suggestion.get("match") is False)
    return ArchiveLink(None, "", False) if suggestion.get("none") else None


def headline(failures: int, total: int) -> str:
    """The verdict on the whole run: ``2 of 9 links failed``, ``All 9 links passed``."""
    if total == 0:
        return "No links found"
    if failures:
        return f"{failures} of {plural(total, 'link')} failed"
    return "The only link passed" if total == 1 else f"All {total} links passed"


def summary_line(report: Report, separator: str = ", ") -> str:
    """``3 broken, 1 timeout, 10 ok`` — every non-zero verdict, worst first."""
    counts = report.summary()
    parts = [f"{counts[v.value]} {v.value}" for v in VERDICT_ORDER if counts[v.value]]
    return separator.join(parts) if parts else "no links"
