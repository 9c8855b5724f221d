"""The JSON report (CONTRACT.md, "JSON report"): the complete, machine-readable record of a run.

It is also the format other formats can be re-rendered from (``load.load_report``), so it keeps
every fact a formatter needs, and nothing that is not plain JSON.
"""

from __future__ import annotations

import json
import math
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from ..models import Occurrence, Report, Result, TitleCheck
from ._common import TOOL_NAME, VERDICT_ORDER, error_text, redact, redact_optional

__all__ = ["SCHEMA", "occurrence_json", "render_json", "report_to_dict", "stream_json"]

SCHEMA = "linkcheck-report/1"
"""Value of the ``schema`` key; bumped only for an incompatible change."""


def render_json(report: Report) -> str:
    """The JSON report as text: two-space indents, one link a line, UTF-8 kept readable."""
    return "".join(stream_json(report))


def stream_json(report: Report, *, lines: LinkLines | None = None) -> Iterator[str]:
    """The JSON report in pieces, one link a piece: what ``write_reports`` writes to disk.

    Each link is encoded compactly on its own line: ``json.dumps(indent=…)`` falls back to the
    pure-Python encoder and built ~50 MB of string pieces for 10,000 links, while one line per
    link keeps the C encoder, a readable file and line-per-link diffs between runs. Pieces,
    because the whole text (and a dict per link) of 100,000 links took ~450 MB at once.
    ``lines``: links already encoded while the run went on (see ``LinkLines``).
    """
    head = json.dumps(_head(report), indent=2, ensure_ascii=False, allow_nan=False)
    if not report.results:
        yield head[:-2] + ',\n  "links": []\n}\n'
        return
    separator = head[:-2] + ',\n  "links": [\n    '
    if lines is not None and not report.positions:
        for result in report.results:
            yield separator + lines.line(result)
            separator = ",\n    "
    else:
        for link in _links(report):
            yield separator + _encode(link)
            separator = ",\n    "
    yield "\n  ]\n}\n"


_encode = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, check_circular=False, separators=(", ", ": ")
).encode
"""One link's line (no circular-reference bookkeeping: every link is a fresh tree of dicts and lists)."""


class LinkLines:
    """Links of a run encoded as their JSON report lines while the run goes on.

    ``add`` each result as it comes (``on_result``); ``stream`` then writes the JSON report with
    those lines instead of encoding every link after the last answer, when a run that waits on
    the network has had idle CPU all along (10,000 links: ≈ 0.3 s less at the end). The lines wait
    in an unnamed temporary file, not in memory (100,000 links: ≈ 50 MB of text). A result not
    added, or another object than the one added, is encoded when the report is written.
    """

    def __init__(self) -> None:
        self._spool: IO[bytes] | None = None
        self._lines: dict[int, tuple[Result, int, int]] = {}
        """id of a result → (the result, kept so that its id stays its own; offset; length)."""
        self._end = 0

    def add(self, result: Result) -> None:
        if self._spool is None:
            self._spool = tempfile.TemporaryFile()
        data = _encode(_link(result)).encode("utf-8", "surrogatepass")
        self._spool.write(data)
        self._lines[id(result)] = (result, self._end, len(data))
        self._end += len(data)

    def line(self, result: Result) -> str:
        found = self._lines.get(id(result))
        if found is None or found[0] is not result or self._spool is None:
            return _encode(_link(result))
        self._spool.seek(found[1])
        return self._spool.read(found[2]).decode("utf-8", "surrogatepass")

    def stream(self, report: Report) -> Iterator[str]:
        if self._spool is not None:
            self._spool.flush()
        return stream_json(report, lines=self)

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None
        self._lines.clear()


def report_to_dict(report: Report) -> dict[str, Any]:
    """The JSON report as plain Python values, key order as in the contract."""
    document = _head(report)
    document["links"] = list(_links(report))
    return document


def _head(report: Report) -> dict[str, Any]:
    """Everything of the JSON report but its links."""
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "tool": {"name": TOOL_NAME, "version": report.tool_version},
        "started_at": report.started_at,
        "finished_at": report.finished_at,
        "complete": report.is_complete,
    }
    if report.shard is not None:
        document["shard"] = report.shard
    if report.plan is not None:
        document["plan"] = report.plan
    if report.missing_shards:
        document["missing_shards"] = list(report.missing_shards)
    document["sources"] = list(report.sources)
    document["summary"] = report.summary()
    document["fail_on"] = [verdict.value for verdict in VERDICT_ORDER if verdict in report.failing]
    return document


def _links(report: Report) -> Iterator[dict[str, Any]]:
    """One dict per link, made as it is written; a shard's links say where they stand in the whole
    plan (``plan_index``: merge restores the order)."""
    if not report.positions:
        for result in report.results:
            yield _link(result)
        return
    for result, position in zip(report.results, report.positions, strict=True):
        link = _link(result)
        link["plan_index"] = position
        yield link


def _link(result: Result) -> dict[str, Any]:
    return {
        "url": redact(result.target.url),
        "checked_url": redact(result.target.checked_url),
        "final_url": redact_optional(result.final_url),
        "verdict": result.verdict.value,
        "status": result.status,
        "redirects": [{"url": redact(hop.url), "status": hop.status} for hop in result.redirects],
        "title": _title(result.title),
        "error": error_text(result),
        "elapsed_ms": result.elapsed_ms,
        "occurrences": [_occurrence(occurrence) for occurrence in result.target.occurrences],
        "details": list(result.details),
        "extra": _json_safe_dict(result.extra),
    }


def _title(title: TitleCheck | None) -> dict[str, Any] | None:
    if title is None:
        return None
    return {
        "expected": title.expected,
        "found": title.found,
        "score": _finite(title.score),
        "match": title.match,
        "signal": title.signal,
        "detail": title.detail,
    }


def occurrence_json(occurrence: Occurrence) -> dict[str, Any]:
    """An occurrence as JSON; ``note`` only where the URL was not written in one piece, so every
    other occurrence keeps the contract's four keys (an image link's ``alt`` shows in its title's
    ``not_citation:image`` instead)."""
    value: dict[str, Any] = {
        "source": occurrence.source,
        "line": occurrence.line,
        "column": occurrence.column,
        "text": occurrence.text,
    }
    if occurrence.note is not None:
        value["note"] = occurrence.note
    return value


_occurrence = occurrence_json


def _finite(value: float | None) -> float | None:
    """NaN and infinities are not JSON; a score that is not a number is no score."""
    if value is None or not math.isfinite(value):
        return None
    return value


_DROP = object()
"""Marker for a value that has no JSON form and is left out."""


def _json_safe_dict(mapping: dict[str, object]) -> dict[str, Any]:
    """Keep only what JSON can say: ``extra`` is free-form evidence, a report must still load."""
    safe: dict[str, Any] = {}
    for key, value in mapping.items():
        converted = _json_safe(value)
        if isinstance(key, str) and converted is not _DROP:
            safe[key] = converted
    return safe


def _json_safe(value: object) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else _DROP
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        items = [_json_safe(item) for item in value]
        return [item for item in items if item is not _DROP]
    if isinstance(value, dict):
        return _json_safe_dict(value)
    return _DROP
