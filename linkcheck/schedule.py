"""Run many jobs with a fixed set of workers, fairly across hosts.

``check_targets`` used to start one task per link up front; each then waited on the client's
per-host and global limits. At 10,000 links that is 10,000 suspended coroutine chains (tens of
megabytes) and a wake-up storm on every freed slot. Here a fixed number of workers take the
next job from per-key queues in round-robin order, skipping a key that already has its share
running, so a slow host never holds the workers that fast hosts could use. The client's own
limits still apply to every request (redirects to other hosts, probes, 429 back-off); this only
decides which check starts next.

A job gives its key's share back as soon as it calls ``release`` (the third argument of
``work``): a check does so once its answer is read, so the host's next request leaves while
this one's page is still being parsed and judged. A job that never calls it gives the share
back when it ends.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar
from urllib.parse import urlsplit

__all__ = ["DEFAULT_WORKERS_PER_SLOT", "FairQueue", "Release", "host_key", "run_fair", "start_workers"]

T = TypeVar("T")

DEFAULT_WORKERS_PER_SLOT = 2
"""Workers per request slot: a spare check is ready to send the moment a slot frees, and a check
waiting on a redirect's host or a site probe does not leave a slot unused."""


class FairQueue(Generic[T]):
    """Jobs grouped by key; ``take`` serves keys in turn and at most ``per_key`` running per key."""

    def __init__(self, jobs: Sequence[T], key: Callable[[T], str], per_key: int, *, is_open: bool = False) -> None:
        """``is_open``: more jobs will come through ``add`` until ``close``; workers wait for them."""
        self._per_key = max(1, per_key)
        self._key = key
        self._pending: dict[str, deque[tuple[int, T]]] = {}
        for index, job in enumerate(jobs):
            self._pending.setdefault(key(job), deque()).append((index, job))
        self._ring: deque[str] = deque(self._pending)
        self._added = len(jobs)
        self._is_open = is_open
        self._running: dict[str, int] = {}
        self._waiters: deque[asyncio.Future[None]] = deque()

    @property
    def is_empty(self) -> bool:
        """No job left to start and none to come (some may still be running)."""
        return not self._ring and not self._is_open

    def add(self, job: T) -> None:
        """One more job (numbered after those before it); wakes one idle worker."""
        name = self._key(job)
        queue = self._pending.get(name)
        if queue is None:
            queue = self._pending[name] = deque()
            self._ring.append(name)
        queue.append((self._added, job))
        self._added += 1
        self._wake_one()

    def close(self) -> None:
        """No more jobs will be added: idle workers may end once nothing is pending."""
        self._is_open = False
        self.wake_all()

    def take(self) -> tuple[str, int, T] | None:
        """The next job of the next key with room, or None when every pending key is at its share."""
        for _ in range(len(self._ring)):
            name = self._ring[0]
            self._ring.rotate(-1)
            if self._running.get(name, 0) >= self._per_key:
                continue
            queue = self._pending[name]
            index, job = queue.popleft()
            if not queue:
                del self._pending[name]
                self._ring.remove(name)
            self._running[name] = self._running.get(name, 0) + 1
            return name, index, job
        return None

    def done(self, name: str) -> None:
        """A job of ``name`` finished: its key has room again, so wake one idle worker."""
        self._running[name] -= 1
        self._wake_one()

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    async def wait(self) -> None:
        """Until some running job finishes or a job is added."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        await waiter

    def wake_all(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)


Release = Callable[[], None]
"""Gives a running job's share of its key back early; calling it again does nothing."""
Work = Callable[[int, T, Release], Awaitable[None]]


class _Share:
    """One running job's place in its key's share, given back once (early, or when the job ends)."""

    __slots__ = ("_name", "_queue")

    def __init__(self, queue: FairQueue[T], name: str) -> None:
        self._queue: FairQueue[T] | None = queue
        self._name = name

    def __call__(self) -> None:
        if self._queue is not None:
            queue, self._queue = self._queue, None
            queue.done(self._name)


async def _worker(queue: FairQueue[T], work: Work[T]) -> None:
    while not queue.is_empty:
        taken = queue.take()
        if taken is None:
            await queue.wait()
            continue
        name, index, job = taken
        share = _Share(queue, name)
        try:
            await work(index, job, share)
        finally:
            share()
    queue.wake_all()  # idle workers waiting for room must see that nothing is left


def run_fair(
    jobs: Sequence[T],
    work: Work[T],
    *,
    key: Callable[[T], str],
    workers: int,
    per_key: int,
) -> list[asyncio.Task[None]]:
    """Start ``workers`` tasks that run ``work(index, job, release)`` for every job; await them (gather).

    Returned as tasks so the caller can cancel them (SIGINT) and collect their exceptions.
    """
    return start_workers(FairQueue(jobs, key, per_key), work, min(workers, len(jobs)))


def start_workers(queue: FairQueue[T], work: Work[T], workers: int) -> list[asyncio.Task[None]]:
    """``workers`` tasks (at least one) running ``work`` on the jobs of ``queue``, also on jobs
    added later while it is open (``run_fair`` with the jobs to come)."""
    return [asyncio.ensure_future(_worker(queue, work)) for _ in range(max(1, workers))]


def host_key(url: str) -> str:
    """The host a URL's first request goes to (lowercase); "" when there is none to tell."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
