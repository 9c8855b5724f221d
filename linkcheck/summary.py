"""The summary a person reads on stderr after a check: counts, then the links that need a look,
grouped by verdict.

Colour only on a terminal and never when ``NO_COLOR`` is set (https://no-color.org), so piped
output and CI logs stay plain. Every piece of text that came from a page or a document (URLs,
titles, errors, file names) goes through ``progress.sanitize`` first: a hostile page must not be
able to move the cursor or rewrite the terminal of the person reading the summary.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.text import Text

from .models import VERDICT_ORDER, Report, Result, Verdict
from .progress import sanitize

__all__ = [
    "DEFAULT_MAX_PER_GROUP",
    "VERDICT_STYLES",
    "describe",
    "group_results",
    "print_summary",
    "wants_color",
]

DEFAULT_MAX_PER_GROUP = 50
"""Most links listed under one verdict; the reports hold the rest."""

VERDICT_STYLES: dict[Verdict, str] = {
    Verdict.OK: "green",
    Verdict.REDIRECTED: "cyan",
    Verdict.BROKEN: "bold red",
    Verdict.SOFT_404: "bold red",
    Verdict.TITLE_MISMATCH: "bold magenta",
    Verdict.TIMEOUT: "yellow",
    Verdict.NETWORK_ERROR: "red",
    Verdict.BLOCKED: "yellow",
    Verdict.INVALID: "red",
    Verdict.EXCLUDED: "dim",
}

_LISTED_ORDER: tuple[Verdict, ...] = tuple(v for v in VERDICT_ORDER if v not in (Verdict.OK, Verdict.EXCLUDED))
"""Verdicts whose links are listed one by one; ``ok`` and ``excluded`` are only counted."""


def wants_color(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Colour only for a terminal, and never when ``NO_COLOR`` holds a value."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty is not None and isatty())


def group_results(
    report: Report, fail_on: frozenset[Verdict] | None = None
) -> list[tuple[Verdict, tuple[Result, ...]]]:
    """Listed verdicts with their links: the run's failing verdicts first, then the rest."""
    failing = fail_on if fail_on is not None else frozenset(v for v in Verdict if v.is_failure)
    order = [v for v in _LISTED_ORDER if v in failing]
    order += [v for v in _LISTED_ORDER if v not in failing]
    order += [v for v in failing if v not in order]
    groups = []
    for verdict in order:
        results = tuple(r for r in report.results if r.verdict is verdict)
        if results:
            groups.append((verdict, results))
    return groups


def describe(result: Result) -> str:
    """What went wrong (or what changed) for one link, in a few words."""
    title = result.title
    if result.verdict is Verdict.TITLE_MISMATCH and title is not None:
        score = f", score {title.score:g}" if title.score is not None else ""
        return f"title “{title.found or ''}” ≠ expected “{title.expected or ''}”{score}"
    if result.verdict is Verdict.REDIRECTED and result.final_url:
        statuses = ",".join(str(hop.status) for hop in result.redirects)
        return f"→ {result.final_url}" + (f" ({statuses})" if statuses else "")
    if result.error:
        return result.error
    if result.status is not None:
        return f"HTTP {result.status}"
    return ""


def _where(result: Result) -> str:
    occurrences = result.target.occurrences
    if not occurrences:
        return ""
    first = occurrences[0]
    more = f" (+{len(occurrences) - 1})" if len(occurrences) > 1 else ""
    return f"{first.source}:{first.line}:{first.column}{more}"


def _counts_line(report: Report) -> Text:
    summary = report.summary()
    line = Text(f"linkcheck: {summary['total']} {'link' if summary['total'] == 1 else 'links'}")
    parts = [(verdict, summary[verdict.value]) for verdict in Verdict if summary[verdict.value]]
    line.append(": " if parts else ": none")
    for index, (verdict, count) in enumerate(parts):
        if index:
            line.append(", ")
        line.append(f"{count} {verdict.value}", style=VERDICT_STYLES[verdict])
    if report.missing_shards:
        line.append(f" (incomplete: shard {', '.join(report.missing_shards)} missing)", style="yellow")
    elif not report.is_complete:
        line.append(" (interrupted: incomplete)", style="yellow")
    return line


def _result_line(result: Result) -> Text:
    line = Text("  ")
    where = _where(result)
    if where:
        line.append(sanitize(where), style="dim")
        line.append("  ")
    line.append(sanitize(result.url))
    detail = describe(result)
    if detail:
        line.append("  ")
        line.append(sanitize(detail), style="italic")
    return line


def print_summary(
    report: Report,
    paths: Sequence[Path] = (),
    *,
    stream: IO[str],
    fail_on: frozenset[Verdict] | None = None,
    color: bool | None = None,
    max_per_group: int = DEFAULT_MAX_PER_GROUP,
) -> None:
    """Write the summary to ``stream``; ``color=None`` decides with ``wants_color``."""
    use_color = wants_color(stream) if color is None else color
    console = Console(
        file=stream,
        force_terminal=use_color,
        no_color=not use_color,
        color_system="standard" if use_color else None,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=True,
    )
    console.print(_counts_line(report))
    failing = fail_on if fail_on is not None else frozenset(v for v in Verdict if v.is_failure)
    for verdict, results in group_results(report, fail_on):
        header = Text(f"{verdict.value} ({len(results)})", style=VERDICT_STYLES[verdict])
        if verdict in failing:
            header.append(" fails the run", style="dim")
        console.print(header)
        for result in results[:max_per_group]:
            console.print(_result_line(result))
        if len(results) > max_per_group:
            console.print(Text(f"  … and {len(results) - max_per_group} more in the reports", style="dim"))
    for path in paths:
        console.print(Text(f"linkcheck: wrote {sanitize(str(path))}"))
