"""The only module that composes the stages: load → extract → collect → check → Report.

Everything that touches the world (stdin, clock, cache, the HTTP transport) comes in as a
parameter, so tests drive a whole run against real local servers without monkeypatching.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from types import FrameType
from typing import TYPE_CHECKING, Any, BinaryIO

from . import __version__
from .cache import Cache
from .collect import Grouped, collect, group_links
from .config import DEFAULT_MAX_CACHE_AGE, Config
from .errors import InputError
from .extract import extract
from .load import iter_documents
from .models import Document, Expectation, Link, Report, Result, Target
from .walk import WalkRules

if TYPE_CHECKING:
    import httpx

    from .archive import ArchiveOptions
    from .client import Client
    from .schedule import Release
    from .shard import Shard

__all__ = ["Interrupted", "Plan", "check_targets", "extract_links", "now_iso", "plan", "raise_on_signals",
           "read_and_extract", "run", "run_async"]

OnResult = Callable[[Result], None]

WARM_UP_MODULES = ("linkcheck.page", "linkcheck.judge")
"""Imported while the first requests are on the wire rather than before they leave (see
``check.py``); a caller adds the modules of its own later stages (reports, summary)."""


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Plan:
    """What a run will check: the documents read and the unique targets found in them."""

    documents: tuple[Document, ...]
    targets: tuple[Target, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(d.source for d in self.documents)


def extract_links(documents: Iterable[Document]) -> list[Link]:
    links: list[Link] = []
    for document in documents:
        links.extend(extract(document))
    return links


def plan(
    documents: Iterable[Document],
    config: Config,
    expectations: Mapping[str, Expectation] | None = None,
) -> Plan:
    """Extract every document (as ``documents`` yields them) and collect the unique targets.

    The plan keeps each document's name, kind and path, not its text: the text goes as soon as
    its links are out."""
    read, links = read_and_extract(documents)
    targets = collect(links, config, expectations)
    return Plan(documents=read, targets=tuple(targets))


def read_and_extract(documents: Iterable[Document]) -> tuple[tuple[Document, ...], list[Link]]:
    """(each document without its text, every link), extracting each document as it comes."""
    read: list[Document] = []
    links: list[Link] = []
    for document in documents:
        links.extend(extract(document))
        read.append(replace(document, text="", data=b"") if document.text or document.data else document)
    return tuple(read), links


@dataclass
class _Interrupt:
    """Records the signal that stopped a run, so the CLI can exit 130 (SIGINT) or 143 (SIGTERM)."""

    signum: int | None = None
    tasks: list[asyncio.Task[object]] = field(default_factory=list)

    def trigger(self, signum: int) -> None:
        if self.signum is None:
            self.signum = signum
        for task in self.tasks:
            task.cancel()


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived outside the checks (while reading documents): nothing to report.

    A ``KeyboardInterrupt`` so that no ``except Exception`` boundary swallows it and click turns
    it into ``Abort``; ``signum`` lets the CLI exit 130 or 143.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_SignalHandler = Callable[[int, FrameType | None], Any] | int | None


@contextlib.contextmanager
def raise_on_signals() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise ``Interrupted`` (``check_targets`` overrides this).

    Why: asyncio's own Ctrl-C handling only cancels the main task, which cannot stop a blocking
    read (standard input, a large file), and an unhandled SIGTERM kills the process without a
    word or exit code 143. Outside the main thread this does nothing.
    """

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous: dict[signal.Signals, _SignalHandler] = {}
    for stop in _STOP_SIGNALS:
        try:
            previous[stop] = signal.signal(stop, handler)
        except (ValueError, OSError):  # not the main thread of the main interpreter
            pass
    try:
        yield
    finally:
        for stop, old in previous.items():
            signal.signal(stop, old)


class RunState:
    """Mutable facts about a run in progress (read by the CLI after ``run`` returns)."""

    def __init__(self) -> None:
        self.interrupted_by: int | None = None


async def load_documents(
    sources: Sequence[str],
    *,
    stdin: BinaryIO | None,
    config: Config,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Iterator[Document]:
    """Read every SOURCE; URL sources are fetched first with the run's own HTTP client policy.

    The HTTP client (httpx and all) is imported only when a SOURCE is a URL: ``extract`` on
    files starts without it."""
    fetched: dict[str, tuple[bytes, str, str] | InputError] = {}
    url_sources = [s for s in sources if s.lower().startswith(("http://", "https://"))]
    if url_sources:
        from .client import Client

        async with Client(config, transport=transport) as client:
            for url in url_sources:
                try:
                    fetched[url] = await client.fetch_document(url)
                except InputError as exc:
                    fetched[url] = exc

    def fetch_url(url: str) -> tuple[bytes, str, str]:
        value = fetched[url]
        if isinstance(value, InputError):
            raise value
        return value

    return iter_documents(sources, stdin=stdin, fetch_url=fetch_url, walk_rules=walk_rules(config))


def walk_rules(config: Config) -> WalkRules:
    """What directory walks and glob SOURCEs leave out, from the run's settings."""
    skip = (str(config.report_dir),) if config.report_dir is not None else ()
    return WalkRules(hidden=config.hidden, exclude_paths=config.exclude_paths, skip_dirs=skip)


async def check_targets(
    targets: Sequence[Target] | Grouped,
    config: Config,
    *,
    on_plan: Callable[[Sequence[Target]], None] | None = None,
    on_result: OnResult | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    state: RunState | None = None,
    cache: Cache | None = None,
    max_cache_age: float = DEFAULT_MAX_CACHE_AGE,
    warm_up: Sequence[str] = (),
    signals: bool = True,
) -> list[Result]:
    """Check every target concurrently (limits live in the client); results in target order.

    ``targets`` may be the first pass of ``collect`` (``Grouped``): the targets are then made
    while the first checks are already on the wire (``_feed``), and ``on_plan`` gets them all once
    they are made, before any ``on_result`` (results that come earlier wait for it).

    On SIGINT/SIGTERM the in-flight checks are cancelled and the finished results returned;
    ``state.interrupted_by`` records the signal. The modules of ``WARM_UP_MODULES`` and
    ``warm_up`` are imported once the first requests are out (see ``_warm_up``).
    """
    from .client import Client
    from .schedule import DEFAULT_WORKERS_PER_SLOT, FairQueue, host_key, start_workers

    results: dict[int, Result] = {}
    interrupt = _Interrupt()
    loop = asyncio.get_running_loop()
    installed: dict[signal.Signals, _SignalHandler] = {}
    for signum in _STOP_SIGNALS if signals else ():
        try:
            previous = signal.getsignal(signum)
            loop.add_signal_handler(signum, interrupt.trigger, signum)
            installed[signum] = previous
        except (NotImplementedError, RuntimeError, ValueError):
            pass
    streamed = isinstance(targets, Grouped)
    held: list[Result] | None = [] if streamed and on_result is not None else None
    """Results that came before ``on_plan`` was called: reported right after it."""
    try:
        async with Client(config, transport=transport) as client:
            # One page linked with several #fragments is fetched once; each URL is still judged alone.
            if isinstance(targets, Grouped):
                client.expect_shared_pages(targets.requested_urls())
            else:
                client.expect_shared_pages(t.checked_url for t in targets if t.skip is None)

            async def one(index: int, target: Target, release: Release) -> None:
                result = await _check_through_cache(client, target, config, cache, max_cache_age, release)
                results[index] = result
                if held is not None:
                    held.append(result)
                elif on_result is not None:
                    on_result(result)

            def planned(made: Sequence[Target]) -> None:
                nonlocal held
                if on_plan is not None:
                    on_plan(made)
                waiting, held = held or [], None
                for result in waiting:
                    on_result(result)  # type: ignore[misc] # held is only a list when there is one

            key = lambda t: host_key(t.checked_url)  # noqa: E731
            queue: FairQueue[Target] = FairQueue(() if streamed else targets, key, max(1, config.per_host),  # type: ignore[arg-type]
                                                 is_open=streamed)
            workers = DEFAULT_WORKERS_PER_SLOT * max(1, config.concurrency)
            interrupt.tasks = start_workers(queue, one, min(workers, len(targets)))  # type: ignore[assignment]
            feed = None
            if isinstance(targets, Grouped):
                feed = asyncio.ensure_future(_feed(targets, queue, client, planned))
                interrupt.tasks.append(feed)
            elif on_plan is not None:
                on_plan(targets)
            if len(targets):
                interrupt.tasks.append(asyncio.ensure_future(_warm_up((*WARM_UP_MODULES, *warm_up), after=feed)))
            await asyncio.gather(*interrupt.tasks, return_exceptions=True)
            for task in interrupt.tasks:
                if not task.cancelled() and task.exception() is not None:
                    raise task.exception()  # type: ignore[misc]
    finally:
        for handled, previous in installed.items():
            loop.remove_signal_handler(handled)
            if previous is not None:  # remove_signal_handler resets to the default: put back the outer one
                signal.signal(handled, previous)
    if state is not None:
        state.interrupted_by = interrupt.signum
    return [results[i] for i in sorted(results)]


_FIRST_FEED = 16
"""Targets made before the workers get their first jobs: the first requests leave after these."""
_FEED = 64
"""Targets made between two turns of the loop after that (≈ 2 ms of work: requests keep leaving)."""


async def _feed(
    grouped: Grouped, queue: FairQueue[Target], client: Client, planned: Callable[[Sequence[Target]], None]
) -> None:
    """Make the targets of ``grouped`` and give each to the workers at once, letting the loop run
    between batches; then close the queue and hand the whole plan to ``planned``.

    A target that turns out not to be requested (invalid, excluded) gives back the share of its
    page that ``check_targets`` announced for it, so a page's answer is kept exactly as long as
    when every target was made first."""
    made: list[Target] = []
    batch = _FIRST_FEED
    try:
        for target in grouped.targets():
            made.append(target)
            queue.add(target)
            if target.skip is not None and target.skip != "local":
                client.forget_shared_page(target.checked_url)
            if len(made) >= batch:
                batch += _FEED
                await asyncio.sleep(0)
    finally:
        queue.close()
        planned(made)  # interrupted (SIGINT) while making them: the targets made so far


async def _warm_up(modules: Sequence[str], *, after: asyncio.Future[None] | None = None) -> None:
    """Import ``modules`` one at a time, once the workers have sent their first requests (and,
    with ``after``, once the targets are all made: an import holds the loop for tens of
    milliseconds, and the first requests must not wait behind it while they connect).

    In a run that waits on the network the CPU is idle then, so imports that would otherwise
    delay the first request (page reading, judging) or the end (reports, summary) cost no time;
    in a CPU-bound run they cost what they always did. Each import holds the loop a few tens of
    milliseconds at most, and the loop is let go between two.
    """
    if after is not None:
        await asyncio.wait([after])
    await asyncio.sleep(_WARM_UP_DELAY)
    if "linkcheck.judge" in modules:  # titles will be compared: their word table is read meanwhile
        from .citation.frequency import preload

        preload()
    for name in modules:
        if name not in sys.modules:
            importlib.import_module(name)
            await asyncio.sleep(0)


_WARM_UP_DELAY = 0.002
"""Seconds the warm-up waits first: the workers connect and write their requests meanwhile."""


async def _check_through_cache(
    client: Client,
    target: Target,
    config: Config,
    cache: Cache | None,
    max_cache_age: float,
    release: Release | None = None,
) -> Result:
    """One target, through the cache when there is one.

    Fresh evidence is judged again without a request (detail ``cached``); stale evidence is
    revalidated with a conditional request (304: detail ``revalidated``); new evidence is stored
    and compared with the last audit's (``content_changed``). ``release`` gives the host's
    scheduler share back once the answer is read (see ``check.inspect_target``).
    """
    if target.skip == "local":  # a local file: checked offline, never cached, never requested
        from .local import check_local

        return check_local(target, config)
    from .check import inspect_target, judge_cached
    from .drift import since_last_audit

    entry = cache.get(target.key) if cache is not None and target.skip is None else None
    if cache is not None and entry is not None and entry.is_fresh(cache.clock(), max_cache_age):
        result = judge_cached(target, entry, config)
        return replace(result, details=(*result.details, "cached"))
    checked = await inspect_target(client, target, config, revalidate=entry, on_answer=release)
    if checked.is_revalidated and cache is not None and entry is not None:
        cache.touch(entry)
        return checked.result
    result = since_last_audit(checked.result, entry, checked.page)
    if cache is not None:
        cache.put(result, checked.fetch, checked.page)
    return result


def run(sources: Sequence[str], config: Config, **options: Any) -> Report:
    """Run the whole pipeline in a new event loop and return the Report (incomplete when
    interrupted: SIGINT and SIGTERM stop the checks and keep the results so far).

    Takes the keyword options of ``run_async``."""
    with raise_on_signals():
        return asyncio.run(run_async(sources, config, **options))


async def run_async(
    sources: Sequence[str],
    config: Config,
    *,
    expectations: Mapping[str, Expectation] | None = None,
    stdin: BinaryIO | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_result: OnResult | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    state: RunState | None = None,
    cache: Cache | None = None,
    max_cache_age: float = DEFAULT_MAX_CACHE_AGE,
    archive: ArchiveOptions | None = None,
    warm_up: Sequence[str] = (),
    shard: Shard | None = None,
    signals: bool = True,
) -> Report:
    """The whole pipeline in the running event loop (``run`` makes one; a library caller that
    already runs a loop awaits this).

    ``warm_up``: modules the caller needs after the run, imported while the checks wait on the
    network (see ``check_targets``). ``shard``: check only the targets of that shard of the plan
    (``shard.py``); the report records the shard, the plan's fingerprint and each result's
    position in the whole plan, for ``merge``. ``signals=False`` leaves the loop's SIGINT and
    SIGTERM handling alone (a library inside someone else's program)."""
    from .shard import plan_fingerprint, plan_fingerprint_of_keys, select_shard

    started = now_iso()
    state = state if state is not None else RunState()
    documents = await load_documents(sources, stdin=stdin, config=config, transport=transport)
    positions: dict[str, int] = {}
    if shard is None:
        # The targets are made while the first checks run (see ``check_targets``): the first
        # request leaves after the links are grouped, not after every target is made.
        read, links = read_and_extract(documents)
        the_plan = Plan(documents=read, targets=())
        grouped = group_links(links, config, expectations)
        fingerprint = plan_fingerprint_of_keys(grouped.keys)
        to_check: Sequence[Target] | Grouped = grouped
    else:
        the_plan = plan(documents, config, expectations)
        fingerprint = plan_fingerprint(the_plan.targets)
        chosen = select_shard(the_plan.targets, shard)
        positions.update((t.key, i) for i, t in chosen)
        the_plan = replace(the_plan, targets=tuple(t for _, t in chosen))
        to_check = the_plan.targets

    def planned(targets: Sequence[Target]) -> None:
        nonlocal the_plan
        the_plan = replace(the_plan, targets=tuple(targets))
        if on_plan is not None:
            on_plan(the_plan)

    results = await check_targets(
        to_check, config, on_plan=planned, on_result=on_result, transport=transport, state=state,
        cache=cache, max_cache_age=max_cache_age, warm_up=warm_up, signals=signals,
    )
    if archive is not None and state.interrupted_by is None:
        from .archive import suggest_archives

        results = await suggest_archives(results, config, archive, the_plan.documents, transport=transport)
    return Report(
        sources=the_plan.sources,
        results=tuple(results),
        started_at=started,
        finished_at=now_iso(),
        tool_version=__version__,
        is_complete=state.interrupted_by is None,
        shard=str(shard) if shard is not None else None,
        plan=fingerprint,
        positions=tuple(positions[r.target.key] for r in results) if shard is not None else (),
    )
