"""The Markdown report: short enough for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Failures come first in a table; everything else is folded into ``<details>``. Every word in it
that a page or a document supplied (URLs, titles, link texts, errors) is hostile until escaped:
a title like ``](javascript:alert(1))`` or ``<script>`` must render as the text it is.
"""

from __future__ import annotations

import html
import re

from ..models import VERDICT_ORDER, Report, Result, Verdict
from ..urls import is_http
from ._common import (
    VERDICT_LABELS,
    archive_link,
    error_text,
    headline,
    location,
    one_line,
    ordered_results,
    plural,
    redact,
    score_text,
    summary_line,
)

__all__ = ["DEFAULT_MAX_CHARS", "DEFAULT_MAX_PLACES", "escape_markdown", "render_markdown"]

DEFAULT_MAX_CHARS = 60_000
"""Budget for the whole text: GitHub cuts comments at 65,536 characters."""
DEFAULT_MAX_PLACES = 3
"""Occurrences listed per link before ``+N more``."""

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]()#!|~])")
_AUTOLINK = re.compile(r"(?<=[A-Za-z0-9]):(?=//)")
_DESTINATION_UNSAFE = re.compile(r"[\s<>\x00-\x1f\x7f]")

_DEFAULT_FAILING = frozenset(v for v in Verdict if v.is_failure)
_FAILURE_HEADER = ("Verdict", "URL", "Status", "Where", "Title: expected → found", "Error")
_OTHER_HEADER = ("Verdict", "URL", "Status", "Where", "Note")


def escape_markdown(text: str) -> str:
    """Make any text inert in Markdown and in the HTML it becomes, on one line.

    Markdown punctuation is backslash-escaped (and the ``:`` of ``://``, so that no text turns
    into an autolink),
    ``& < >`` become entities (GitHub passes some raw HTML through), and newlines become spaces
    so that a table row stays one row.
    """
    escaped = _AUTOLINK.sub(r"\\:", _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line(text)))
    return html.escape(escaped, quote=False)


def render_markdown(report: Report, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The report as GitHub-flavoured Markdown; rows past ``max_chars`` are counted, not shown."""
    ordered = ordered_results(report.results)
    failures = [r for r in ordered if r.verdict in report.failing]
    warnings = [r for r in ordered if r.verdict.is_failure and r.verdict not in report.failing]
    others = [r for r in ordered if not r.verdict.is_failure and r.verdict not in report.failing]
    head = _head(report, len(failures))
    budget = max_chars - len(head) - 400  # room for headings, summaries and the cut notes
    parts = [head]
    if failures:
        table, budget = _table(_FAILURE_HEADER, [_failure_row(r) for r in failures], budget)
        parts.append(f"### Failures ({len(failures)})\n\n{table}")
    if warnings:  # failing by default, but not under this run's --fail-on / --titles warn
        table, budget = _table(_FAILURE_HEADER, [_failure_row(r) for r in warnings], budget)
        parts.append(f"### Reported only, not failing this run ({len(warnings)})\n\n{table}")
    if others:
        table, budget = _table(_OTHER_HEADER, [_other_row(r) for r in others], budget)
        summary = f"Other links ({len(others)}): {_counts(others)}"
        parts.append(f"<details>\n<summary>{html.escape(summary)}</summary>\n\n{table}\n</details>\n")
    return "\n".join(parts)


def _head(report: Report, failure_count: int) -> str:
    total = len(report.results)
    if failure_count:
        verdict = f"❌ **{headline(failure_count, total)}**"
    else:
        verdict = f"✅ **{headline(failure_count, total)}**"
    lines = [
        "## linkcheck report",
        "",
        f"{verdict}: {summary_line(report)}",
        "",
    ]
    if report.fail_on is not None and report.fail_on != _DEFAULT_FAILING:
        failing = ", ".join(f"`{v.value}`" for v in VERDICT_ORDER if v in report.fail_on) or "nothing"
        lines += [f"Fails the run: {failing} (`--fail-on`, `--titles`).", ""]
    if report.missing_shards:
        lines += [
            "> [!WARNING]",
            f"> **Incomplete merge**: no report of shard {', '.join(report.missing_shards)}; their links are not listed.",
            "",
        ]
    elif not report.is_complete:
        lines += [
            "> [!WARNING]",
            "> **Incomplete run**: it was interrupted; only the links checked before that are listed.",
            "",
        ]
    sources = ", ".join(escape_markdown(source) for source in report.sources) or "none"
    meta = (
        f"<sub>Sources: {sources} · started {escape_markdown(report.started_at)} · "
        f"finished {escape_markdown(report.finished_at)} · linkcheck {escape_markdown(report.tool_version)}"
        + (f" · shard {escape_markdown(report.shard)} (merge with `linkcheck merge`)" if report.shard else "")
        + "</sub>"
    )
    lines += [meta, ""]
    return "\n".join(lines)


def _counts(results: list[Result]) -> str:
    counts: dict[str, int] = {}
    for result in results:
        counts[result.verdict.value] = counts.get(result.verdict.value, 0) + 1
    return ", ".join(f"{count} {verdict}" for verdict, count in counts.items())


def _table(header: tuple[str, ...], rows: list[str], budget: int) -> tuple[str, int]:
    """Header and as many rows as fit the budget; a note counts the rows left out."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    shown = 0
    for row in rows:
        if len(row) + 1 > budget:
            break
        lines.append(row)
        budget -= len(row) + 1
        shown += 1
    if shown < len(rows):
        lines.append("")
        lines.append(f"*{len(rows) - shown} more not shown here: see the JSON or HTML report.*")
    return "\n".join(lines) + "\n", budget


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |"


def _failure_row(result: Result) -> str:
    return _row(
        [
            f"**{VERDICT_LABELS[result.verdict]}**",
            _url(result),
            _status(result),
            _places(result),
            _title(result),
            escape_markdown(error_text(result) or "") + _archive(result),
        ]
    )


def _archive(result: Result) -> str:
    """The ``--suggest-archive`` suggestion (``extra["archive"]``), on its own line of the cell."""
    link = archive_link(result)
    if link is None:
        return ""
    if link.url is None:
        return "<br>no archived capture"
    note = " (title differs)" if link.is_title_different else ""
    return f"<br>archived: [{escape_markdown(link.date)}](<{_destination(link.url)}>){note}"


def _other_row(result: Result) -> str:
    note = error_text(result) or ""
    title = result.title
    if title is not None and title.match is None and title.detail:
        note = f"title not compared: {title.detail}" + (f"; {note}" if note else "")
    if result.final_url and result.redirects:
        note = f"now at {redact(result.final_url)}" + (f"; {note}" if note else "")
    return _row(
        [
            VERDICT_LABELS[result.verdict],
            _url(result),
            _status(result),
            _places(result),
            escape_markdown(note),
        ]
    )


def _url(result: Result) -> str:
    """The URL as text, clickable only when it is http(s)."""
    url = redact(result.target.url)
    text = escape_markdown(url)
    if not is_http(url):
        return text
    return f"[{text}](<{_destination(url)}>)"


def _destination(url: str) -> str:
    """A link destination that cannot end early or smuggle an entity, in ``<…>`` form."""
    url = url.replace("\\", "\\\\").replace("&", "\\&").replace("|", "\\|")
    return _DESTINATION_UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url)


def _status(result: Result) -> str:
    if result.status is None:
        return "–"
    hops = " → ".join(str(hop.status) for hop in result.redirects)
    return f"{hops} → {result.status}" if hops else str(result.status)


def _places(result: Result) -> str:
    occurrences = result.target.occurrences
    shown = [escape_markdown(location(o)) for o in occurrences[:DEFAULT_MAX_PLACES]]
    if len(occurrences) > DEFAULT_MAX_PLACES:
        shown.append(f"and {plural(len(occurrences) - DEFAULT_MAX_PLACES, 'more place')}")
    return "<br>".join(shown)


def _title(result: Result) -> str:
    title = result.title
    if title is None or (title.expected is None and title.found is None):
        return ""
    expected = f"“{escape_markdown(title.expected)}”" if title.expected is not None else "–"
    found = f"“{escape_markdown(title.found)}”" if title.found is not None else "–"
    score = score_text(title.score)
    detail = f" *{escape_markdown(title.detail)}*" if title.detail else ""
    return f"{expected} → {found}{score}{detail}"
