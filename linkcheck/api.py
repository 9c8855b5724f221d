"""The library the command line wraps: ``check``, ``check_async``, ``extract``, ``render``, ``merge``.

Options are keyword arguments named like ``linkcheck check``'s long options, ``-`` as ``_``
(``per_host=2``, ``resolve=["example.org:443:127.0.0.1"]``, ``titles="warn"``); repeatable
options take a list (or one string). They go through the same validation as the command line
(``options.py``), so a bad value raises ``LinkcheckError`` with the same one-line message the
CLI prints. A link's fate is never an exception: it is a ``Verdict`` in the ``Report``.

Importing ``linkcheck`` stays cheap: everything heavy is imported inside the functions.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import LinkcheckError, UsageError
from .models import Link, Report, Result

if TYPE_CHECKING:
    from .config import Config

__all__ = ["check", "check_async", "extract", "merge", "render"]

Sources = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]
"""One source or several: paths (files, folders), ``http(s)://`` URLs, ``-`` for standard input."""


def check(sources: Sources, *, on_result: Callable[[Result], None] | None = None, **options: Any) -> Report:
    """Extract, check and judge every link of ``sources``; the ``Report`` of the run.

    Options as ``linkcheck check``'s (``concurrency=``, ``per_host=``, ``timeout=``, ``retries=``,
    ``accept=``, ``exclude=``, ``include=``, ``remap=``, ``resolve=``, ``ca_bundle=``, ``expect=``,
    ``titles=``, ``title_threshold=``, ``fail_on=``, ``shard=``, ``cache=``, ``header=``,
    ``host_header=``, ``proxy=`` …); with ``output=`` (and ``format=``, default json and markdown)
    the reports are also written there, atomically. ``on_result`` is called with each result as it
    is made. Runs its own event loop: inside a running loop, ``await check_async(...)`` instead.
    Raises ``LinkcheckError`` when the run cannot happen (bad option, unreadable source).
    """
    import asyncio

    _refuse_running_loop("check", "await linkcheck.check_async(...)")
    return asyncio.run(check_async(sources, on_result=on_result, **options))


async def check_async(
    sources: Sources, *, on_result: Callable[[Result], None] | None = None, **options: Any
) -> Report:
    """``check`` for callers that already run an event loop: the checks run in that loop.

    The loop's signal handling is left alone (no SIGINT/SIGTERM handlers are installed).
    """
    from .options import validate_options
    from .run import run_async

    names = _sources(sources)
    opts = validate_options(options)
    config = _config(opts)
    prepared = _prepare(opts)
    cache = prepared.pop("cache")
    output, formats = prepared.pop("output"), prepared.pop("formats")
    fail_on = prepared.pop("fail_on")
    try:
        report = await run_async(names, config, stdin=_stdin(names), on_result=on_result, cache=cache,
                                 signals=False, **prepared)
    finally:
        if cache is not None:
            cache.close()
    if fail_on is not None:
        from dataclasses import replace

        report = replace(report, fail_on=fail_on)
    if output is not None:
        from .report import write_reports

        write_reports(report, output, formats)
    return report


def extract(sources: Sources, **options: Any) -> list[Link]:
    """Every link occurrence in ``sources``, in document order (no link is checked).

    Each ``Link`` has ``.url`` (as written, relative links resolved) and ``.occurrence`` (source,
    line, column, link text); ``dict.fromkeys(link.url for link in links)`` gives the unique URLs.
    Sources given as URLs are fetched: the network options ``timeout=``, ``resolve=``,
    ``ca_bundle=``, ``user_agent=``, ``header=``, ``host_header=`` and ``proxy=`` apply.
    """
    import asyncio

    from .options import NETWORK_OPTIONS, validate_options
    from .run import extract_links, load_documents

    _refuse_running_loop("extract", "call it in a thread: await asyncio.to_thread(linkcheck.extract, ...)")
    names = _sources(sources)
    config = _config(validate_options(options, NETWORK_OPTIONS))
    documents = asyncio.run(load_documents(names, stdin=_stdin(names), config=config))
    return extract_links(documents)


def render(report: Report, format: str = "json") -> str:
    """The report as text in one format: ``json``, ``markdown`` (``md``), ``html``, ``junit``
    (``xml``), ``sarif`` or ``csv`` — exactly the file ``check`` would write. Pure."""
    from .report import resolve_format

    if not isinstance(format, str):
        raise UsageError(f"--format: {format!r} is not a format name")
    return resolve_format(format).render(report)


def merge(reports: Iterable[Report | str | os.PathLike[str]], *, allow_partial: bool = False) -> Report:
    """The report one unsharded run would give, from the reports of the shards of one plan.

    ``reports``: ``Report`` objects (``check(..., shard="2/4")``) or paths of their JSON files.
    Raises ``LinkcheckError`` (one line) for the same shard twice, shards of different plans,
    overlapping targets, and missing shards unless ``allow_partial`` (then the report is marked
    incomplete and names them in ``missing_shards``).
    """
    from .merge import merge_reports
    from .report import load_report

    loaded: list[Report] = []
    labels: list[str] = []
    for item in reports:
        if isinstance(item, Report):
            loaded.append(item)
            labels.append(f"shard {item.shard}" if item.shard else f"report {len(loaded)}")
            continue
        path = Path(item)
        try:
            loaded.append(load_report(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, LinkcheckError) as exc:
            raise UsageError(f"{path}: {exc}") from None
        labels.append(str(path))
    return merge_reports(loaded, labels=labels, allow_partial=allow_partial)


def _refuse_running_loop(name: str, instead: str) -> None:
    """``asyncio.run`` cannot start inside a running loop: say what to do instead, in one line."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise UsageError(f"linkcheck.{name}: an event loop is already running here; {instead}")


def _sources(sources: Sources) -> list[str]:
    if isinstance(sources, str | os.PathLike):
        return [os.fspath(sources)]
    names = [os.fspath(s) if isinstance(s, str | os.PathLike) else s for s in sources]
    if not names or not all(isinstance(n, str) for n in names):
        raise UsageError("give at least one SOURCE (a path, an http(s) URL, or - for standard input)")
    return names


def _stdin(names: list[str]) -> Any:
    return sys.stdin.buffer if "-" in names else None


def _config(opts: Mapping[str, Any]) -> Config:
    """Library names → the click names ``build_config`` reads (``header`` → ``headers`` …)."""
    import warnings

    from .options import build_config

    renamed = {{"header": "headers", "host_header": "host_headers"}.get(k, k): v for k, v in opts.items()}
    return build_config(renamed, warn=lambda message: warnings.warn(message, UserWarning, stacklevel=4))


def _prepare(opts: Mapping[str, Any]) -> dict[str, Any]:
    """What ``run_async`` takes besides the Config, each checked before anything is fetched."""
    from .config import DEFAULT_FORMATS, parse_duration
    from .options import effective_fail_on

    prepared: dict[str, Any] = {
        "fail_on": effective_fail_on(opts.get("fail_on"), opts.get("titles")),
        "max_cache_age": parse_duration(opts.get("max_cache_age", "1d")),
        "output": opts.get("output"),
        "formats": [],
        "cache": None,
    }
    if prepared["output"] is not None or "format" in opts:
        from .report import resolve_formats

        prepared["formats"] = [f.name for f in resolve_formats(opts.get("format") or DEFAULT_FORMATS)]
    if "expect" in opts:
        from .manifest import load_manifest

        prepared["expectations"] = load_manifest(opts["expect"])
    if "shard" in opts:
        from .shard import parse_shard

        prepared["shard"] = parse_shard(opts["shard"])
    if opts.get("suggest_archive") or opts.get("as_of"):
        from .archive import archive_options

        prepared["archive"] = archive_options(bool(opts.get("suggest_archive")),
                                              opts.get("archive_endpoint", "https://web.archive.org/cdx/search/cdx"),
                                              opts.get("as_of"))
    if "cache" in opts and not opts.get("no_cache"):
        from .cache import Cache

        prepared["cache"] = Cache(opts["cache"])
    return prepared
