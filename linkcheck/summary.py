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
from .wording import format_elapsed, plural, score_text

__all__ = [
    "DEFAULT_MAX_PER_GROUP",
    "DETAILS",
    "cached_count",
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

DETAILS = ("quiet", "normal", "verbose")
"""How much the summary says: ``quiet`` only the links that fail the run, ``normal`` the counts
and every link that needs a look, ``verbose`` every link, ``ok`` and ``excluded`` included."""

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
    report: Report, fail_on: frozenset[Verdict] | None = None, detail: str = "normal"
) -> list[tuple[Verdict, tuple[Result, ...]]]:
    """Listed verdicts with their links: the run's failing verdicts first, then the rest
    (``quiet``: the failing ones only; ``verbose``: ``ok`` and ``excluded`` last)."""
    failing = fail_on if fail_on is not None else frozenset(v for v in Verdict if v.is_failure)
    order = [v for v in _LISTED_ORDER if v in failing]
    order += [v for v in VERDICT_ORDER if v in failing and v not in order]
    if detail != "quiet":
        order += [v for v in _LISTED_ORDER if v not in order]
    if detail == "verbose":
        order += [v for v in VERDICT_ORDER if v not in order]
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
        return f"expected title “{title.expected or ''}”, found “{title.found or ''}”{score_text(title.score)}"
    if result.verdict is Verdict.REDIRECTED and result.final_url:
        statuses = ", ".join(str(hop.status) for hop in result.redirects)
        return f"moved to {result.final_url}" + (f" (HTTP {statuses})" if statuses else "")
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
    more = f" and {plural(len(occurrences) - 1, 'more place')}" if len(occurrences) > 1 else ""
    return f"{first.source}:{first.line}:{first.column}{more}"


def _counts_line(report: Report) -> Text:
    summary = report.summary()
    line = Text(f"linkcheck: {plural(summary['total'], 'link')}")
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
    detail: str = "normal",
    elapsed: float | None = None,
    cached: int | None = None,
) -> None:
    """Write the summary to ``stream``; ``color=None`` decides with ``wants_color``.

    ``detail`` is one of ``DETAILS``; ``verbose`` lists every link without a cut. ``elapsed``
    (seconds) and ``cached`` (results taken from the cache; None: no cache was used) make the
    closing timing line; ``quiet`` prints neither counts nor timing nor the files written.
    """
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
    quiet = detail == "quiet"
    if not quiet:
        console.print(_counts_line(report))
    if detail == "verbose":
        max_per_group = len(report.results)
    failing = fail_on if fail_on is not None else frozenset(v for v in Verdict if v.is_failure)
    for verdict, results in group_results(report, fail_on, detail):
        header = Text(f"{verdict.value} ({len(results)})", style=VERDICT_STYLES[verdict])
        if verdict in failing:
            header.append(" fails the run", style="dim")
        console.print(header)
        for result in results[:max_per_group]:
            console.print(_result_line(result))
        if len(results) > max_per_group:
            console.print(Text(f"  … and {len(results) - max_per_group} more in the reports", style="dim"))
    if quiet:
        return
    if elapsed is not None:
        console.print(Text(_timing_line(report, elapsed, cached), style="dim"))
    for path in paths:
        console.print(Text(f"linkcheck: wrote {sanitize(str(path))}"))


def _timing_line(report: Report, elapsed: float, cached: int | None) -> str:
    """``linkcheck: done in 3.2 s; 9 of 16 results from the cache``."""
    line = f"linkcheck: done in {format_elapsed(elapsed)}"
    if cached is not None:
        line += f"; {cached} of {plural(len(report.results), 'result')} from the cache"
    return line


def cached_count(report: Report) -> int:
    """Results judged from cached evidence (fresh, or revalidated with a 304)."""
    return sum(1 for r in report.results if "cached" in r.details or "revalidated" in r.details)
