"""The fair worker pool that decides which check starts next."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from linkcheck.schedule import FairQueue, host_key, run_fair, start_workers


def _run(jobs: list[str], *, workers: int, per_key: int, delay: float = 0.01) -> tuple[list[int], dict[str, int], int]:
    """Run jobs named "host:n"; return start order, the most running per host and overall."""
    started: list[int] = []
    running: dict[str, int] = {}
    peak: dict[str, int] = {}
    overall = [0, 0]

    async def work(index: int, job: str, release: object) -> None:
        host = job.split(":")[0]
        started.append(index)
        running[host] = running.get(host, 0) + 1
        overall[0] += 1
        peak[host] = max(peak.get(host, 0), running[host])
        overall[1] = max(overall[1], overall[0])
        await asyncio.sleep(delay)
        running[host] -= 1
        overall[0] -= 1

    async def main() -> None:
        tasks = run_fair(jobs, work, key=lambda j: j.split(":")[0], workers=workers, per_key=per_key)
        await asyncio.gather(*tasks)

    asyncio.run(main())
    return started, peak, overall[1]


def test_every_job_runs_once_within_both_limits() -> None:
    jobs = [f"slow:{i}" for i in range(30)] + [f"h{i % 5}:{i}" for i in range(30)]
    started, peak, overall = _run(jobs, workers=6, per_key=2)
    assert sorted(started) == list(range(60))
    assert max(peak.values()) == 2
    assert overall == 6


def test_hosts_take_turns_so_a_long_run_of_one_host_does_not_starve_the_others() -> None:
    jobs = [f"a:{i}" for i in range(20)] + ["b:0", "c:0"]
    started, _, _ = _run(jobs, workers=3, per_key=10)
    assert set(started[:3]) == {0, 20, 21}  # one of each host first, not three of "a"


def test_jobs_of_one_host_keep_their_order() -> None:
    jobs = [f"a:{i}" for i in range(10)]
    started, _, _ = _run(jobs, workers=1, per_key=1)
    assert started == list(range(10))


def test_a_failing_job_surfaces_and_the_others_still_run() -> None:
    done: list[int] = []

    async def work(index: int, job: str, release: object) -> None:
        if index == 2:
            raise RuntimeError("boom")
        done.append(index)

    async def main() -> list[BaseException | None]:
        tasks = run_fair([f"h:{i}" for i in range(6)], work, key=lambda j: "h", workers=2, per_key=2)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        return [r if isinstance(r, BaseException) else None for r in results]

    errors = asyncio.run(main())
    assert sorted(done) == [0, 1, 3, 4, 5]
    assert [str(e) for e in errors if e is not None] == ["boom"]


def test_empty_queue_takes_nothing() -> None:
    queue: FairQueue[str] = FairQueue([], key=str, per_key=1)
    assert queue.is_empty and queue.take() is None


@pytest.mark.parametrize(
    ("url", "key"),
    [("https://Example.org/a", "example.org"), ("mailto:x@y", ""), ("http://[::1", "")],
)
def test_host_key(url: str, key: str) -> None:
    assert host_key(url) == key


def test_a_job_that_releases_its_share_early_lets_the_next_job_of_its_host_start() -> None:
    """The host's share bounds jobs before their release (the request), not their whole run."""
    before_release = [0, 0]  # now, peak
    overlapping = [0, 0]

    async def work(index: int, job: str, release: Callable[[], None]) -> None:
        before_release[0] += 1
        before_release[1] = max(before_release[1], before_release[0])
        await asyncio.sleep(0.01)  # the request
        before_release[0] -= 1
        release()
        release()  # a second call gives nothing back twice
        overlapping[0] += 1
        overlapping[1] = max(overlapping[1], overlapping[0])
        await asyncio.sleep(0.02)  # parsing and judging, outside the share
        overlapping[0] -= 1

    async def main() -> None:
        await asyncio.gather(*run_fair([f"h:{i}" for i in range(12)], work, key=lambda j: "h", workers=6, per_key=2))

    asyncio.run(main())
    assert before_release[1] == 2  # never more than the share in the request phase
    assert overlapping[1] > 2  # but later jobs started while earlier ones were still judging


def test_an_open_queue_runs_jobs_added_later_and_ends_once_closed() -> None:
    started: list[tuple[int, str]] = []

    async def work(index: int, job: str, release: object) -> None:
        started.append((index, job))
        await asyncio.sleep(0.001)

    async def main() -> None:
        queue: FairQueue[str] = FairQueue((), key=lambda j: j.split(":")[0], per_key=1, is_open=True)
        tasks = start_workers(queue, work, 3)
        for n in range(6):
            queue.add(f"h{n % 2}:{n}")
            await asyncio.sleep(0.002 if n == 2 else 0)
        await asyncio.sleep(0.01)
        assert not any(task.done() for task in tasks), "idle workers wait for more jobs while the queue is open"
        queue.close()
        await asyncio.wait_for(asyncio.gather(*tasks), 5)

    asyncio.run(main())
    assert sorted(started) == [(n, f"h{n % 2}:{n}") for n in range(6)]
