"""Retries and back-off: which answers are worth another attempt, how long to wait, and the
per-host limit that shrinks when a host answers 429 (``HostSlot``).
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time

__all__ = [
    "DEFAULT_BACKOFF_BASE",
    "DEFAULT_BACKOFF_CAP",
    "TRANSIENT_STATUSES",
    "HostSlot",
    "parse_retry_after",
    "retry_delay",
]

DEFAULT_BACKOFF_BASE = 0.25
"""First retry waits about this long (seconds); each later one twice as long, with jitter."""
DEFAULT_BACKOFF_CAP = 8.0

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})


class HostSlot:
    """A per-host limit that shrinks when the host answers 429 and waits out its ``Retry-After``.

    Only the host that asks for less gets less: other hosts keep their own slots.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0
        self.not_before = 0.0
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> None:
        async with self._changed:
            await self._changed.wait_for(lambda: self.in_flight < self.limit)
            self.in_flight += 1
        wait = self.not_before - time.monotonic()
        if wait > 0:
            try:
                await asyncio.sleep(wait)
            except BaseException:
                await self._release()
                raise

    async def __aexit__(self, *exc_info: object) -> None:
        await self._release()

    async def _release(self) -> None:
        async with self._changed:
            self.in_flight -= 1
            self._wake()

    def _wake(self) -> None:
        """Wake only as many waiters as there are free places: waking all of them on every
        release costs O(waiters) per request, which dominated CPU at 10,000 links."""
        self._changed.notify(max(1, self.limit - self.in_flight))

    def penalise(self, delay: float) -> None:
        """Halve the host's limit and hold its next requests back by ``delay`` seconds."""
        self.limit = max(1, self.limit // 2)
        self.not_before = max(self.not_before, time.monotonic() + delay)

    def recover(self, ceiling: int) -> None:
        if self.limit < ceiling:
            self.limit += 1


def retry_delay(retry_after: str | None, attempt: int, max_retry_after: float) -> float:
    """``Retry-After`` when the server gave one (capped), else exponential backoff with jitter."""
    advised = parse_retry_after(retry_after)
    if advised is not None:
        return min(advised, max_retry_after)
    backoff: float = min(DEFAULT_BACKOFF_CAP, DEFAULT_BACKOFF_BASE * 2.0 ** (attempt - 1))
    return backoff * (0.5 + random.random() / 2)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP-date; None when absent/garbled."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())
