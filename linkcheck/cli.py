"""The command line: click options → Config → run → exit code. With ``cli_settings`` (settings
files as option defaults), the only module importing click.

Every error a user can cause ends as one line on stderr (``linkcheck: error: …``) and exit 2.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from . import __version__
from .config import (
    DEFAULT_CONCURRENCY,
    DEFAULT_FORMATS,
    DEFAULT_OUTPUT,
    DEFAULT_PER_HOST,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_TITLE_THRESHOLD,
    DEFAULT_USER_AGENT,
    Config,
    parse_duration,
)
from .cli_settings import load_config_defaults, settings_host_headers
from .errors import LinkcheckError, UsageError
from .models import Report, Result, Verdict

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])

FORMAT_NAMES = ("json", "markdown", "md", "html", "junit", "xml", "sarif", "csv")
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_SIGNAL: dict[int, int] = {int(signal.SIGINT): 130, int(signal.SIGTERM): 143}


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    from .progress import sanitize

    click.echo(f"linkcheck: error: {sanitize(message.splitlines()[0] if message else 'failed')}", err=True)
    sys.exit(code)


class _Group(click.Group):
    """Turns every usage or run error into one line on stderr, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # `linkcheck extract … | head -1`: the reader has all it wants
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout at exit
            sys.exit(EXIT_OK)

    def main(  # type: ignore[override]
        self, args: Sequence[str] | None = None, prog_name: str | None = None, **extra: Any
    ) -> Any:
        extra.pop("standalone_mode", None)
        try:
            rv = super().main(args, prog_name or "linkcheck", standalone_mode=False, **extra)
        except click.UsageError as exc:
            hint = f" (see 'linkcheck {exc.ctx.info_name} --help')" if exc.ctx and exc.ctx.parent else ""
            _fail(exc.format_message() + hint)
        except click.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except click.Abort as exc:  # Ctrl-C, or a signal raised as run.Interrupted (SIGTERM → 143)
            click.echo("linkcheck: interrupted", err=True)
            sys.exit(EXIT_SIGNAL.get(getattr(exc.__cause__, "signum", signal.SIGINT), 130))
        except LinkcheckError as exc:
            _fail(str(exc), exc.exit_code)
        sys.exit(rv if isinstance(rv, int) else EXIT_OK)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="linkcheck")
def cli() -> None:
    """Check the links and citations in documents.

    \b
    Example:
        linkcheck check seeds/eu-japan-summit-2022.txt
        linkcheck extract README.md --format json
    """


def _network_options(fn: F) -> F:
    """Options shared by every command that may fetch (document URLs, checks)."""
    options = [
        click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT, show_default=True,
                     metavar="SECONDS", help="Limit for one request, connect to last byte read."),
        click.option("--resolve", "resolve", multiple=True, metavar="HOST:PORT:ADDRESS[:PORT]",
                     help="Connect to ADDRESS for HOST:PORT, keep Host and SNI (like curl). Repeatable."),
        click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                     help="Extra trusted CA certificates (PEM)."),
        click.option("--user-agent", default=DEFAULT_USER_AGENT, show_default=False, metavar="TEXT",
                     help="User-Agent header (default: linkcheck/VERSION)."),
        click.option("--header", "headers", multiple=True, metavar="'Name: value'",
                     help="Extra request header for every link's host (dropped on a redirect to another"
                          " origin). Repeatable."),
        click.option("--proxy", metavar="URL",
                     help="HTTP proxy for every request (CONNECT for https) [default: HTTPS_PROXY, HTTP_PROXY,"
                          " ALL_PROXY; NO_PROXY honoured]."),
        click.option("--host-header", "host_headers", multiple=True, metavar="'HOST=Name: value'",
                     help="Request header sent to HOST (or HOST:PORT) only, never to another host, also"
                          " not on redirect. Repeatable; also [hosts.\"HOST\"] headers = {...} in settings."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _scheduling_options(fn: F) -> F:
    """Options of every command that checks links: limits, retries and which URLs."""
    options = [
        click.option("--concurrency", type=click.IntRange(min=1), default=DEFAULT_CONCURRENCY, show_default=True,
                     help="Most requests in flight at once."),
        click.option("--per-host", type=click.IntRange(min=1), default=DEFAULT_PER_HOST, show_default=True,
                     help="Most requests in flight to one host."),
        click.option("--retries", type=click.IntRange(min=0, max=10), default=DEFAULT_RETRIES, show_default=True,
                     help="Retries of a transient failure (timeout, reset, 429, 502, 503, 504)."),
        click.option("--exclude", multiple=True, metavar="REGEX", help="Skip URLs matching REGEX. Repeatable."),
        click.option("--include", multiple=True, metavar="REGEX", help="Check only URLs matching REGEX. Repeatable."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _source_options(fn: F) -> F:
    """Options of every command that reads SOURCEs: what a walk reads, how local links resolve."""
    options = [
        click.option("--hidden", is_flag=True, help="Walk hidden folders (.github/ …) too."),
        click.option("--exclude-path", "exclude_paths", multiple=True, metavar="GLOB",
                     help="Leave files and folders matching GLOB out of walks and glob SOURCEs"
                          " (node_modules, docs/archive/**). Repeatable."),
        click.option("--local/--no-local", default=True, show_default=True,
                     help="Check local links (relative paths, #fragments) offline; --no-local: excluded."),
        click.option("--root-dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Folder that site-absolute paths (/docs/x.md) start from"
                          " [default: top of the git work tree, else the current folder]."),
        click.option("--base-url", metavar="URL",
                     help="Check site-absolute paths (and relative links of standard input) as URLs"
                          " against URL instead."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _report_options(fn: F) -> F:
    options = [
        click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_OUTPUT,
                     show_default=True, help="Folder the reports are written to (created if missing)."),
        click.option("-f", "--format", "formats", multiple=True, type=click.Choice(FORMAT_NAMES, case_sensitive=False),
                     help="Report format, repeatable: json, markdown, html, junit, sarif, csv. [default: json, markdown]"),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _detail_options(fn: F) -> F:
    """``-v/--verbose`` and ``-q/--quiet``: how much the terminal summary says."""
    options = [
        click.option("-v", "--verbose", is_flag=True, help="List every link in the summary, ok and excluded too."),
        click.option("-q", "--quiet", is_flag=True,
                     help="List only the links that fail the run: no counts, timing or file names."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def _detail(opts: dict[str, Any]) -> str:
    """The summary's detail level from ``--verbose``/``--quiet`` (both: a usage error)."""
    verbose, quiet = opts.pop("verbose", False), opts.pop("quiet", False)
    if verbose and quiet:  # the command line wins over a settings file; both on one of them: an error
        ctx = click.get_current_context()
        given = {name for name in ("verbose", "quiet")
                 if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE}
        if len(given) != 1:
            raise UsageError("--verbose and --quiet: choose one")
        verbose, quiet = "verbose" in given, "quiet" in given
    return "verbose" if verbose else "quiet" if quiet else "normal"


def _parse_verdicts(text: str) -> frozenset[Verdict]:
    from .options import parse_verdicts

    return parse_verdicts(text)


def _build_config(**opts: Any) -> Config:
    """The one validation path of the command line and the library (``options.build_config``)."""
    from .options import build_config

    return build_config(opts, warn=lambda message: click.echo(f"linkcheck: warning: {message}", err=True),
                        extra_host_headers=settings_host_headers())


def _stdin_if_needed(sources: Sequence[str]) -> Any:
    return sys.stdin.buffer if "-" in sources else None


def _formats(formats: Sequence[str]) -> list[str]:
    aliases = {"md": "markdown", "xml": "junit"}
    chosen = [aliases.get(f.lower(), f.lower()) for f in formats] or list(DEFAULT_FORMATS)
    return list(dict.fromkeys(chosen))


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@_report_options
@click.option("--reports/--no-reports", default=True, show_default=True,
              help="Write report files (--no-reports: only the summary on stderr; pre-commit).")
@_source_options
@click.option("--expect", "expect_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Expected-sources manifest (TOML).")
@_scheduling_options
@click.option("--accept", default="200..299", show_default=True, metavar="CODES",
              help="Status codes that count as alive, e.g. 200..299,403.")
@click.option("--remap", multiple=True, metavar="'REGEX REPLACEMENT'", help="Rewrite a URL before it is checked. Repeatable.")
@click.option("--title-threshold", type=click.FloatRange(0, 100), default=DEFAULT_TITLE_THRESHOLD,
              show_default=True, help="Lowest similarity score (0..100) that counts as a title match.")
@click.option("--titles", type=click.Choice(["fail", "warn", "off"]), default="fail", show_default=True,
              help="Title findings fail the run, are only reported (warn), or are not made (off).")
@click.option("--fail-on", metavar="VERDICT[,…]", help="Verdicts that make exit 1 (default: the failing ones).")
@click.option("--shard", envvar="LINKCHECK_SHARD", metavar="K/N",
              help="Check only the targets whose host falls in shard K of N (K from 1; stable across machines);"
                   " merge the JSON reports with 'linkcheck merge'. [env: LINKCHECK_SHARD]")
@click.option("--changed-since", metavar="GIT_REF",
              help="Check only the documents among SOURCE changed since GIT_REF (and not yet committed).")
@click.option("--check-fragments/--no-check-fragments", default=True, show_default=True,
              help="Check that #fragment anchors exist in HTML pages.")
@click.option("--exclude-private", is_flag=True, help="Refuse targets on private addresses (10/8, 192.168/16 …).")
@click.option("--exclude-loopback", is_flag=True, help="Refuse targets on loopback addresses (127/8, ::1).")
@click.option("--exclude-link-local", is_flag=True, help="Refuse link-local targets (169.254/16, fe80::/10).")
@click.option("--exclude-all-private", is_flag=True, help="All three above: for untrusted input.")
@click.option("--cache", "cache_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Result cache (SQLite), e.g. .linkcheck-cache.sqlite [default: no cache].")
@click.option("--no-cache", is_flag=True, help="Neither read nor write a cache (overrides --cache and config).")
@click.option("--max-cache-age", default="1d", show_default=True, metavar="DURATION",
              help="Reuse cached results younger than this (e.g. 12h, 1d).")
@click.option("--suggest-archive", is_flag=True,
              help="Find an archived capture for broken, soft_404 and title_mismatch links.")
@click.option("--archive-endpoint", default="https://web.archive.org/cdx/search/cdx", show_default=True,
              metavar="URL", help="Wayback CDX API endpoint for --suggest-archive.")
@click.option("--as-of", metavar="DATE", help="The document's date for --suggest-archive [default: file date].")
@click.option("--warc", "warc_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Record every request and response read into this WARC file (.warc.gz).")
@click.option("--replay", "replay_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check from a WARC file recorded with --warc instead of the network.")
@_network_options
@click.option("--progress/--no-progress", default=None,
              help="Progress display on stderr [default: on a terminal, unless --quiet].")
@_detail_options
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), is_eager=True,
              expose_value=False, callback=load_config_defaults,
              help="Settings file [default: nearest linkcheck.toml or pyproject.toml [tool.linkcheck]].")
def check(sources: tuple[str, ...], **opts: Any) -> int:
    """Extract the links of SOURCE documents, check them, compare titles and write reports.

    SOURCE is a file (.txt, .md, .html, .pdf; others read as text), a directory, an http(s) URL,
    or - for standard input.

    \b
    Exit status: 0 all good, 1 a failing verdict, 2 bad usage or unreadable input,
    130 interrupted (Ctrl-C), 143 terminated (SIGTERM); reports hold what was checked.
    Example:
        linkcheck check seeds/eu-japan-summit-2022.txt --expect seeds/eu-japan-summit-2022.expected.toml
    """
    from .progress import Progress
    from .run import RunState, run

    started = time.monotonic()
    _tune_gc()
    detail = _detail(opts)

    config = _build_config(**opts)
    if opts.get("changed_since"):
        from .changed import filter_changed
        from .run import walk_rules

        sources = tuple(filter_changed(sources, opts["changed_since"], rules=walk_rules(config)))
        if not sources:
            click.echo(f"linkcheck: no documents changed since {opts['changed_since']}", err=True)
    shard = _shard(opts.get("shard"))
    formats = _formats(opts["formats"])
    from .options import effective_fail_on

    fail_on = effective_fail_on(opts.get("fail_on"), config.titles)
    expectations = None
    if opts.get("expect_file"):  # tomllib and the manifest code only when there is a manifest
        from .manifest import load_manifest

        expectations = load_manifest(opts["expect_file"])
    max_cache_age = parse_duration(opts["max_cache_age"])
    archive = None
    if opts["suggest_archive"] or opts.get("as_of"):  # imported only when asked for: start-up time
        from .archive import archive_options

        archive = archive_options(opts["suggest_archive"], opts["archive_endpoint"], opts.get("as_of"))
    transport = recorder = None
    if opts.get("warc_file") or opts.get("replay_file"):
        from .warc import evidence_transport

        transport, recorder = evidence_transport(config, warc=opts.get("warc_file"), replay=opts.get("replay_file"))
    cache = None
    if opts["cache_file"] and not opts["no_cache"] and transport is None:  # WARC runs: evidence, never cache
        from .cache import Cache

        cache = Cache(opts["cache_file"])
        for warning in cache.warnings:
            click.echo(f"linkcheck: warning: {warning}", err=True)
    show = opts["progress"] if opts["progress"] is not None else (sys.stderr.isatty() and detail != "quiet")
    progress = Progress(sys.stderr, enabled=show)
    state = RunState()
    # The JSON report's lines are encoded as the results come, while the run waits on the network.
    lines = _LinkLines() if opts.get("reports", True) and "json" in formats and shard is None else None

    def on_result(result: Result) -> None:
        progress.update(result)
        if lines is not None:
            lines.add(result)

    try:
        report = run(
            sources,
            config,
            expectations=expectations,
            stdin=_stdin_if_needed(sources),
            on_plan=lambda p: progress.start(len(p.targets)),
            on_result=on_result,
            state=state,
            cache=cache,
            max_cache_age=max_cache_age,
            transport=transport,
            archive=archive,
            warm_up=_AFTER_THE_RUN,
            shard=shard,
        )
        if recorder is not None:
            from .warc import finish_recording

            finish_recording(recorder, report)
    finally:
        progress.finish()
        if recorder is not None:
            recorder.close()
        if cache is not None:
            cache.close()
    from dataclasses import replace

    from .report import write_reports

    if fail_on is not None:  # every report says what fails this run, as the exit status does
        report = replace(report, fail_on=fail_on)
    registry = lines.registry() if lines is not None else None
    try:
        paths = write_reports(report, opts["output"], formats, registry=registry) if opts.get("reports", True) else []
    finally:
        if lines is not None:
            lines.close()
    from .summary import cached_count

    _print_summary(report, paths, fail_on, github=shard is None,  # a shard's findings are the merge's to annotate
                   detail=detail, elapsed=time.monotonic() - started,
                   cached=cached_count(report) if cache is not None else None)
    if state.interrupted_by is not None:
        click.echo("linkcheck: interrupted; the reports hold the links checked so far", err=True)
        return EXIT_SIGNAL.get(state.interrupted_by, 130)
    return EXIT_OK if report.is_success(fail_on) else EXIT_FAILED


def _shard(value: str | None) -> Any:
    """``--shard K/N`` or ``LINKCHECK_SHARD``, validated; the error names where the value came from."""
    if value is None or not str(value).strip():
        return None
    from .shard import parse_shard

    ctx = click.get_current_context()
    from_env = ctx.get_parameter_source("shard") is click.core.ParameterSource.ENVIRONMENT
    return parse_shard(value, option="LINKCHECK_SHARD" if from_env else "--shard")


class _LinkLines:
    """``report.json_report.LinkLines``, made on the first result (its imports stay off the path
    of the first request)."""

    def __init__(self) -> None:
        self._lines: Any = None

    def add(self, result: Result) -> None:
        if self._lines is None:
            from .report.json_report import LinkLines

            self._lines = LinkLines()
        self._lines.add(result)

    def registry(self) -> Any:
        """The report formats, the JSON one writing the lines encoded so far."""
        from dataclasses import replace

        from .report import FORMATS

        if self._lines is None:
            return None
        return {**FORMATS, "json": replace(FORMATS["json"], stream=self._lines.stream)}

    def close(self) -> None:
        if self._lines is not None:
            self._lines.close()


DEFAULT_GC_THRESHOLD = 10_000
"""Allocations between two young-generation collections during ``check`` (Python's default: 700)."""


def _tune_gc() -> None:
    """Fewer garbage collections for a run that allocates many short-lived objects.

    A check makes and drops tens of objects per link (requests, answers, tokens, candidates),
    and with Python's default thresholds the cyclic collector ran 300 times on 2,000 links and
    860 times on 10,000, re-examining every long-lived object at each full pass: 10 % of the
    CPU time of a run. The modules imported so far are frozen out of those passes and the young
    generation is collected every 10,000 allocations instead of 700; reference counting still
    frees almost everything at once, so peak memory did not move (measured at 10,000 links).
    Only the command does this: the library leaves the host process's collector alone.

    At exit everything is frozen too (the first exit handler to run, so every other one still
    runs): the interpreter's last full collection would otherwise walk every object of the run
    (pages, results, the word table) only to free memory the process hands back anyway, 40–60 ms
    of every run's end (one-host-ph16: teardown median 76 → 27 ms, 6 runs each, load 4–6).
    """
    import atexit

    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(DEFAULT_GC_THRESHOLD, second, third)
    atexit.register(gc.freeze)


_AFTER_THE_RUN = ("linkcheck.report", "linkcheck.summary", "linkcheck.github")
"""What ``check`` imports after the run: warmed up while the checks wait on the network."""


def _print_summary(report: Report, paths: Sequence[Path], fail_on: frozenset[Verdict] | None = None,
                   *, github: bool = True, detail: str = "normal", elapsed: float | None = None,
                   cached: int | None = None) -> None:
    """Tell the person (stderr) and, on GitHub Actions, the workflow (annotations, job summary)."""
    from .github import emit_github
    from .summary import print_summary

    print_summary(report, paths, stream=sys.stderr, fail_on=fail_on, detail=detail, elapsed=elapsed, cached=cached)
    if github:
        emit_github(report, fail_on=fail_on, stdout=sys.stdout)


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="One URL a line, or JSON with every occurrence.")
@_source_options
@_network_options
def extract(sources: tuple[str, ...], fmt: str, **opts: Any) -> int:
    """List the links found in SOURCE documents (the links are not checked).

    \b
    Example:
        linkcheck extract seeds/eu-japan-summit-2022.txt
    """
    import asyncio

    from .run import load_documents, plan, raise_on_signals

    config = _build_config(**opts)
    with raise_on_signals():  # documents are read as they are extracted
        documents = asyncio.run(load_documents(sources, stdin=_stdin_if_needed(sources), config=config))
        groups = [(t.url, t.occurrences) for t in plan(documents, config).targets]
    if fmt == "json":
        from .report.json_report import occurrence_json

        payload = {
            "links": [
                {
                    "url": url,
                    "occurrences": [occurrence_json(o) for o in occurrences],
                }
                for url, occurrences in groups
            ]
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif groups:  # one write: click.echo per line cost 16 µs a URL
        click.echo("\n".join(url for url, _ in groups))
    return EXIT_OK


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Manifest file to write [default: standard output].")
@click.option("--from-report", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Fill titles with those found in a JSON report (baseline for drift checks).")
@_source_options
@_network_options
def expect(sources: tuple[str, ...], output: Path | None, from_report: Path | None, **opts: Any) -> int:
    """Write an expected-sources manifest (TOML) from the links in SOURCE documents.

    \b
    Example:
        linkcheck expect seeds/eu-japan-summit-2022.txt -o seeds/expected.toml
    """
    import asyncio

    from .expect import build_manifest
    from .run import load_documents, plan, raise_on_signals

    config = _build_config(**opts)
    with raise_on_signals():  # documents are read as they are extracted
        documents = asyncio.run(load_documents(sources, stdin=_stdin_if_needed(sources), config=config))
        the_plan = plan(documents, config)
    report = None
    if from_report is not None:
        from .report import load_report

        try:
            report = load_report(from_report.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, LinkcheckError) as exc:
            raise UsageError(f"--from-report: {from_report}: {exc}") from None
    text = build_manifest(the_plan.targets, report)
    if output is None:
        click.echo(text, nl=False)
    else:
        from .report.write import write_atomic

        write_atomic(output, text)
        click.echo(f"linkcheck: wrote {output}", err=True)
    if report is not None:
        from collections import Counter

        from .expect import failing_in_baseline

        left_out = Counter(result.verdict.value for result in failing_in_baseline(the_plan.targets, report))
        if left_out:
            counts = ", ".join(f"{count} {verdict}" for verdict, count in sorted(left_out.items()))
            total = sum(left_out.values())
            click.echo(f"linkcheck: left out {total} {'link' if total == 1 else 'links'} that failed in "
                       f"{from_report} ({counts}); listed as comments at the end of the manifest", err=True)
    return EXIT_OK


@cli.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--redirects", is_flag=True, help="Rewrite permanently redirected URLs (301/308) to their new address.")
@click.option("--write", "do_write", is_flag=True, help="Apply the changes (default: only show the diff).")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 when a rewrite is pending (for pre-commit and CI).")
@click.option("--from-report", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Take the redirects from a JSON report instead of checking the links now.")
@_scheduling_options
@_source_options
@_network_options
def fix(sources: tuple[str, ...], redirects: bool, do_write: bool, check_only: bool, from_report: Path | None,
        **opts: Any) -> int:
    """Update citations in text and Markdown SOURCE documents: show a diff, --write to apply.

    \b
    Example:
        linkcheck fix docs/ --redirects
        linkcheck fix docs/ --redirects --from-report reports/linkcheck.json --write
        linkcheck fix docs/ --redirects --check     # exit 1 when a rewrite is pending

    Exit status: 0 (with --check: nothing to rewrite), 1 with --check when a rewrite is pending,
    2 bad usage.
    """
    from .fix import apply_fixes, moved_but_not_rewritten, plan_fixes, redirect_edits
    from .progress import sanitize

    if not redirects:
        raise UsageError("fix: say what to fix (--redirects)")
    if check_only and do_write:
        raise UsageError("fix: --check writes nothing; give --check or --write, not both")
    if from_report is not None:
        from .report import load_report

        report = load_report(from_report.read_text(encoding="utf-8"))
    else:
        from .run import run

        report = run(sources, _build_config(**opts), stdin=None)
    local = [Path(s) for s in sources if s != "-" and not s.lower().startswith(("http://", "https://"))]
    fixes, skipped = plan_fixes(redirect_edits(report), allowed=local)
    for item in skipped:
        edit = item.edit
        click.echo(sanitize(f"linkcheck: skipped {edit.source}:{edit.line}:{edit.column} {edit.old}: {item.reason}"),
                   err=True)
    for result in moved_but_not_rewritten(report):
        click.echo(sanitize(f"linkcheck: not rewritten {result.target.url}: moved permanently to {result.final_url}, "
                            f"but the verdict there is {result.verdict.value} (look at the new page first)"), err=True)
    for file_fix in fixes:
        click.echo(file_fix.printable_diff, nl=False)
    if do_write:
        for path in apply_fixes(fixes):
            click.echo(f"linkcheck: rewrote {path}", err=True)
    count = sum(len(f.applied) for f in fixes)
    verb = "rewrote" if do_write else "would rewrite (use --write)"
    click.echo(f"linkcheck: {verb} {count} URL(s) in {len(fixes)} document(s)", err=True)
    return EXIT_FAILED if check_only and count else EXIT_OK


@cli.command("report")
@click.argument("report_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_report_options
def report_cmd(report_file: Path, output: Path, formats: tuple[str, ...]) -> int:
    """Re-render a JSON report in other formats.

    \b
    Example:
        linkcheck report reports/linkcheck.json -f html -f sarif
    """
    from .report import load_report, write_reports

    try:
        report = load_report(report_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{report_file}: not a linkcheck JSON report ({exc})") from None
    for path in write_reports(report, output, _formats(formats)):
        click.echo(f"linkcheck: wrote {path}", err=True)
    return EXIT_OK


@cli.command("merge")
@click.argument("report_files", nargs=-1, required=True, metavar="REPORT.json...",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_report_options
@click.option("--fail-on", metavar="VERDICT[,…]",
              help="Verdicts that make exit 1 [default: those the shards were checked with (--fail-on, --titles)].")
@click.option("--allow-partial", is_flag=True,
              help="Merge even when shards are missing (named on stderr; the report is marked incomplete).")
@_detail_options
def merge_cmd(report_files: tuple[Path, ...], output: Path, formats: tuple[str, ...], fail_on: str | None,
              allow_partial: bool, **opts: Any) -> int:
    """Merge the JSON reports of the shards of one plan into the report one run would give.

    Refuses (exit 2) two reports of one shard, shards of different plans, overlapping targets
    and, unless --allow-partial, missing shards. Exit status as 'check' would give.

    \b
    Example:
        linkcheck check docs/ --shard 1/2 -o shard-1 -f json
        linkcheck check docs/ --shard 2/2 -o shard-2 -f json
        linkcheck merge shard-1/linkcheck.json shard-2/linkcheck.json -o reports -f markdown -f sarif
    """
    from .merge import merge_reports
    from .report import load_report, write_reports

    detail = _detail(opts)
    reports = []
    for path in report_files:
        try:
            reports.append(load_report(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, LinkcheckError) as exc:
            raise UsageError(f"{path}: {exc}") from None
    report = merge_reports(reports, labels=[str(p) for p in report_files], allow_partial=allow_partial)
    if report.missing_shards:
        click.echo(f"linkcheck: warning: shards missing from the merge: {', '.join(report.missing_shards)};"
                   " the report is marked incomplete", err=True)
    if fail_on is not None:
        from dataclasses import replace

        report = replace(report, fail_on=_parse_verdicts(fail_on))
    paths = write_reports(report, output, _formats(formats))
    _print_summary(report, paths, report.fail_on, detail=detail)
    return EXIT_OK if report.is_success(report.fail_on) else EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(argv, prog_name="linkcheck")
