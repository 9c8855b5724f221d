"""Shard reports of one plan → the one report a single run would have given (pure).

``check --shard K/N`` writes a report holding only its shard's targets, the plan's fingerprint
and each result's position in the whole plan (``shard.py``). ``merge_reports`` puts the shards
back together in plan order, so verdicts, summary, occurrences and sources are those of the
unsharded run, and refuses anything that would make that a lie: a report that is not a shard,
shards of different plans or shard counts, the same shard twice, a target in two shards, and
(unless ``allow_partial``) missing shards.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import UsageError
from .models import Report, Result
from .shard import Shard, parse_shard

__all__ = ["MergeError", "merge_reports"]


class MergeError(UsageError):
    """Shard reports that cannot be merged into one honest report."""


def merge_reports(
    reports: Sequence[Report], *, labels: Sequence[str] | None = None, allow_partial: bool = False
) -> Report:
    """Merge the reports of the shards of one plan; ``labels`` name them in errors (file names).

    Raises ``MergeError`` (one line) for anything that cannot be merged, and for missing shards
    unless ``allow_partial`` — then the report is marked incomplete and names them in
    ``missing_shards``.
    """
    if not reports:
        raise MergeError("merge: give the JSON reports of the shards to merge")
    names = list(labels) if labels is not None else [f"report {i + 1}" for i in range(len(reports))]
    shards = [_shard_of(report, name) for report, name in zip(reports, names, strict=True)]
    first = reports[0]
    count = shards[0].count
    seen: dict[int, str] = {}
    for report, shard, name in zip(reports, shards, names, strict=True):
        if report.plan != first.plan:
            raise MergeError(
                f"merge: {names[0]} and {name} are shards of different plans ({first.plan} and {report.plan})"
            )
        if shard.count != count:
            raise MergeError(f"merge: {names[0]} is shard {shards[0]} but {name} is shard {shard}: different shard counts")
        if report.fail_on != first.fail_on:
            raise MergeError(f"merge: {names[0]} and {name} were checked with different --fail-on or --titles")
        if shard.index in seen:
            raise MergeError(f"merge: shard {shard} given twice ({seen[shard.index]} and {name})")
        seen[shard.index] = name
    placed: dict[int, tuple[Result, str]] = {}
    owner: dict[str, str] = {}
    for report, name in zip(reports, names, strict=True):
        for result, position in zip(report.results, report.positions, strict=True):
            key = result.target.key
            if key in owner or position in placed:
                other = owner.get(key) or placed[position][1]
                raise MergeError(f"merge: overlapping targets: {result.target.url} is in both {other} and {name}")
            owner[key] = name
            placed[position] = (result, name)
    missing = tuple(Shard(i, count) for i in range(1, count + 1) if i not in seen)
    if missing and not allow_partial:
        listed = ", ".join(str(s) for s in missing)
        raise MergeError(f"merge: missing shard{'s' if len(missing) > 1 else ''} {listed}"
                         " (give every shard's report, or --allow-partial)")
    return Report(
        sources=_sources(reports),
        results=tuple(placed[position][0] for position in sorted(placed)),
        started_at=min(r.started_at for r in reports),
        finished_at=max(r.finished_at for r in reports),
        tool_version=first.tool_version,
        is_complete=not missing and all(r.is_complete for r in reports),
        plan=first.plan,
        missing_shards=tuple(str(s) for s in missing),
        fail_on=first.fail_on,
    )


def _shard_of(report: Report, name: str) -> Shard:
    if report.shard is None or report.plan is None:
        raise MergeError(f"merge: {name} is not the report of a shard (made by 'linkcheck check --shard K/N')")
    if len(report.positions) != len(report.results):
        raise MergeError(f"merge: {name}: every link of a shard report needs its plan_index")
    try:
        return parse_shard(report.shard, option=f"merge: {name}: shard")
    except UsageError as exc:
        raise MergeError(str(exc)) from None


def _sources(reports: Sequence[Report]) -> tuple[str, ...]:
    """The sources of the run: every shard read the same documents, so normally the first's."""
    sources: dict[str, None] = {}
    for report in reports:
        sources.update(dict.fromkeys(report.sources))
    return tuple(sources)
