"""The SARIF 2.1.0 report, for code-scanning views (GitHub, GitLab, VS Code SARIF viewer).

One result per failing *occurrence*, located at its file, line and column, so the annotation
lands on the line that cites the dead link. A result's level follows the run: ``error`` for the
verdicts that fail it (``--fail-on``), ``warning`` for problems it only reports and for ``blocked``
links (nothing is known about them, but someone may want to look). Rules are fixed (one per verdict) so that their
indexes never change between runs.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from ..models import Occurrence, Report, Result, Verdict
from ..urls import scheme_of
from ._common import TOOL_NAME, VERDICT_ORDER, failure_facts, one_line, redact

__all__ = ["INFORMATION_URI", "SARIF_SCHEMA", "SARIF_VERSION", "render_sarif", "rule_id"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/linkcheck-citations/"

_DRIVE = re.compile(r"[A-Za-z]:/")
_REPORTED: tuple[Verdict, ...] = tuple(v for v in VERDICT_ORDER if v.is_failure or v is Verdict.BLOCKED)

_DESCRIPTIONS: dict[Verdict, tuple[str, str]] = {
    Verdict.BROKEN: (
        "BrokenLink",
        "The link is broken: an error status, a redirect loop or a missing #fragment.",
    ),
    Verdict.SOFT_404: (
        "Soft404",
        "The page answers 2xx but is really a 'not found' page or the site's home page.",
    ),
    Verdict.TITLE_MISMATCH: ("TitleMismatch", "The page reached is not the source the document cites."),
    Verdict.TIMEOUT: ("LinkTimeout", "The server gave no complete answer within the time limit."),
    Verdict.NETWORK_ERROR: ("NetworkError", "DNS failure, refused or reset connection, or TLS failure."),
    Verdict.INVALID: ("InvalidUrl", "The URL is malformed or uses a scheme that cannot be checked."),
    Verdict.BLOCKED: (
        "BlockedCheck",
        "The server refuses automated checks, so the link could not be verified.",
    ),
}


def rule_id(verdict: Verdict) -> str:
    """``linkcheck/broken``: stable ids that code-scanning tools group alerts by."""
    return f"{TOOL_NAME}/{verdict.value}"


def render_sarif(report: Report) -> str:
    """The report as a SARIF 2.1.0 log (JSON text with a final newline)."""
    rules = _rules(report)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": _driver(report, rules)},
                "invocations": [
                    {
                        "executionSuccessful": report.is_complete,
                        "startTimeUtc": report.started_at,
                        "endTimeUtc": report.finished_at,
                    }
                ],
                "results": [
                    _result(result, occurrence, report, rules)
                    for result in report.results
                    if result.verdict in rules
                    for occurrence in result.target.occurrences
                ],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rules(report: Report) -> tuple[Verdict, ...]:
    """The fixed rules, then any other verdict this run's ``--fail-on`` makes failing (appended,
    so the fixed rules keep their indexes)."""
    return _REPORTED + tuple(v for v in VERDICT_ORDER if v in report.failing and v not in _REPORTED)


def _driver(report: Report, rules: tuple[Verdict, ...]) -> dict[str, Any]:
    return {
        "name": TOOL_NAME,
        "version": report.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": [_rule(verdict) for verdict in rules],
    }


def _rule(verdict: Verdict) -> dict[str, Any]:
    name, description = _DESCRIPTIONS.get(verdict, (verdict.value.capitalize(), f"Verdict {verdict.value}."))
    return {
        "id": rule_id(verdict),
        "name": name,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": _level(verdict)},
        "properties": {"tags": ["links", "citations"]},
    }


def _level(verdict: Verdict) -> str:
    return "error" if verdict.is_failure else "warning"


_SARIF_LEVELS = {"error": "error", "warning": "warning", "notice": "note"}


def _result(result: Result, occurrence: Occurrence, report: Report, rules: tuple[Verdict, ...]) -> dict[str, Any]:
    url = redact(result.target.url)
    return {
        "ruleId": rule_id(result.verdict),
        "ruleIndex": rules.index(result.verdict),
        "level": _SARIF_LEVELS[report.level(result.verdict) or "notice"],
        "message": {"text": _message(result)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _artifact_uri(occurrence.source)},
                    "region": {
                        "startLine": max(occurrence.line, 1),
                        "startColumn": max(occurrence.column, 1),
                    },
                }
            }
        ],
        "partialFingerprints": {"linkcheckUrl/v1": url},
        "properties": {"url": url, "verdict": result.verdict.value, "status": result.status},
    }


def _message(result: Result) -> str:
    """What a reviewer reads on the annotation: verdict, URL, status, error, titles."""
    parts = [f"{result.verdict.value.replace('_', ' ').capitalize()} link: {redact(result.target.url)}"]
    parts += failure_facts(result, title_first=True)
    if result.final_url is not None and result.redirects:
        parts.append(f"redirected to {redact(result.final_url)}")
    head, facts = parts[0], parts[1:]
    return one_line(f"{head} — {'; '.join(facts)}" if facts else head)


def _artifact_uri(source: str) -> str:
    """A URI reference for a source: URLs as they are, paths with ``/`` and percent-encoding."""
    if scheme_of(source) in {"http", "https", "file"}:
        return redact(source)
    path = source.replace("\\", "/")
    if _DRIVE.match(path):
        return "file:///" + quote(path, safe="/:")
    return quote(path, safe="/!$&'()*+,;=@-._~")
