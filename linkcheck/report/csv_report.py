"""The CSV report: one row per occurrence, for spreadsheets and quick ``grep``/``awk`` work.

Cells that a spreadsheet would run as a formula (starting with ``= + - @``, tab or carriage
return) get a leading ``'``: a page title is not allowed to become ``=HYPERLINK(…)``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..models import Occurrence, Report, Result
from ._common import error_text, redact, redact_optional

__all__ = ["COLUMNS", "neutralise_formula", "render_csv", "stream_csv"]

COLUMNS: tuple[str, ...] = (
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

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(cell: str) -> str:
    """Prefix ``'`` to a cell a spreadsheet would evaluate (OWASP "CSV injection")."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def render_csv(report: Report) -> str:
    """The report as RFC 4180 CSV with a header row (CRLF line ends, UTF-8 without BOM)."""
    return "".join(stream_csv(report))


def stream_csv(report: Report) -> Iterator[str]:
    """The CSV report in pieces, the rows of one link a piece (written as they come)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for result in report.results:
        for occurrence in result.target.occurrences:
            writer.writerow([neutralise_formula(cell) for cell in _row(result, occurrence)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _row(result: Result, occurrence: Occurrence) -> list[str]:
    title = result.title
    match = "" if title is None or title.match is None else str(title.match).lower()
    return [
        redact(result.target.url),
        redact(result.target.checked_url),
        redact_optional(result.final_url) or "",
        result.verdict.value,
        "" if result.status is None else str(result.status),
        occurrence.source,
        str(occurrence.line),
        str(occurrence.column),
        occurrence.text or "",
        (title.expected if title else None) or "",
        (title.found if title else None) or "",
        "" if title is None or title.score is None else str(title.score),
        match,
        error_text(result) or "",
        str(result.elapsed_ms),
        (title.detail if title else None) or "",
        occurrence.note or "",
    ]
