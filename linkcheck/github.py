"""GitHub Actions output: workflow annotations on stdout and the Markdown report in the job summary.

Only when ``GITHUB_ACTIONS=true``. Annotations put a failing link at the line of the document in
a pull request's diff view; the job summary shows the Markdown report on the run's page.

Workflow commands are parsed from the job's stdout, so every value a document or a page gave us
is escaped per GitHub's rules (``%``, CR and LF in the message; also ``:`` and ``,`` in
properties) after control characters are stripped: a hostile page title cannot end the command
early and issue one of its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import IO

from .models import Occurrence, Report, Result, Verdict
from .progress import sanitize
from .summary import describe

__all__ = [
    "DEFAULT_MAX_ANNOTATIONS",
    "emit_github",
    "escape_data",
    "escape_property",
    "is_github_actions",
    "workflow_commands",
    "write_step_summary",
]

DEFAULT_MAX_ANNOTATIONS = 200
"""Most annotations written for one run; GitHub shows only the first few per step anyway."""


def is_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    env = os.environ if environ is None else environ
    return env.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command."""
    return sanitize_keep_lines(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=…,title=…``): data escapes plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sanitize_keep_lines(text: str) -> str:
    """Strip terminal controls but keep line breaks, which the escaping turns into ``%0A``."""
    return "\n".join(sanitize(line) for line in text.replace("\r\n", "\n").split("\n"))


def _file_property(source: str, workspace: str | None, cwd: Path | None = None) -> str | None:
    """A path GitHub can place in the repository: relative to the workspace (the repository root),
    ``/`` separated, also when linkcheck ran in a subfolder of it (a relative source counts from
    ``cwd``)."""
    if source == "-" or "://" in source:
        return None
    path = Path(source)
    if workspace and (path.is_absolute() or cwd is not None):
        try:
            path = (path if path.is_absolute() else Path(cwd or ".") / path).resolve().relative_to(
                Path(workspace).resolve())
        except ValueError:
            if path.is_absolute():
                return path.as_posix()
            path = Path(source)
    elif path.is_absolute():
        return path.as_posix()
    return PurePosixPath(*path.parts).as_posix() if path.parts else None


def _command(
    level: str, result: Result, occurrence: Occurrence | None, workspace: str | None, cwd: Path | None
) -> str:
    properties: list[tuple[str, str]] = []
    file = _file_property(occurrence.source, workspace, cwd) if occurrence is not None else None
    if occurrence is not None and file is not None:
        properties.append(("file", file))
        if not file.lower().endswith(".pdf"):
            properties += [("line", str(occurrence.line)), ("col", str(occurrence.column))]
    reported_only = " (reported only, not failing this run)" if level == "warning" and result.is_failure else ""
    properties.append(("title", f"linkcheck: {result.verdict.value}{reported_only}"))
    detail = describe(result)
    message = f"{result.url}  {detail}".rstrip() if detail else result.url
    props = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{level} {props}::{escape_data(message)}"


def workflow_commands(
    report: Report,
    fail_on: frozenset[Verdict] | None = None,
    *,
    workspace: str | None = None,
    cwd: Path | None = None,
    limit: int = DEFAULT_MAX_ANNOTATIONS,
) -> list[str]:
    """One workflow command per occurrence, at the level every report gives it (``Report.level``):
    ``::error`` for the verdicts that fail the run, ``::warning`` for problems it only reports
    and ``blocked``, ``::notice`` for ``redirected`` (the citation should be updated)."""
    if fail_on is not None:
        report = replace(report, fail_on=fail_on)
    commands: list[str] = []
    for level, result, occurrence in _annotated(report):
        if len(commands) >= limit:
            break
        commands.append(_command(level, result, occurrence, workspace, cwd))
    return commands


def _annotated(report: Report) -> Iterator[tuple[str, Result, Occurrence | None]]:
    """Errors first, so a cut at ``limit`` drops notices before failures."""
    for wanted in ("error", "warning", "notice"):
        for result in report.results:
            if report.level(result.verdict) != wanted:
                continue
            for occurrence in result.target.occurrences or (None,):
                yield wanted, result, occurrence


def write_step_summary(report: Report, path: Path) -> None:
    """Append the Markdown report to the job summary file (several steps may share it)."""
    from .report import render_markdown

    with path.open("a", encoding="utf-8") as handle:
        handle.write(render_markdown(report).rstrip("\n") + "\n\n")


def emit_github(
    report: Report,
    *,
    fail_on: frozenset[Verdict] | None = None,
    stdout: IO[str],
    environ: Mapping[str, str] | None = None,
) -> bool:
    """Annotations to ``stdout`` and the job summary, when running on GitHub Actions.

    Returns whether anything was emitted. A job summary that cannot be written is skipped: it is
    a courtesy, and the reports on disk hold the same facts.
    """
    env = os.environ if environ is None else environ
    if not is_github_actions(env):
        return False
    if fail_on is not None:
        report = replace(report, fail_on=fail_on)
    for command in workflow_commands(report, workspace=env.get("GITHUB_WORKSPACE"), cwd=Path.cwd()):
        stdout.write(command + "\n")
    stdout.flush()
    summary = env.get("GITHUB_STEP_SUMMARY")
    if summary:
        try:
            write_step_summary(report, Path(summary))
        except OSError:
            pass
    return True
