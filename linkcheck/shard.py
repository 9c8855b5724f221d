"""Host-partitioned shards of one plan (``check --shard K/N``), pure.

Why by host: a run's limit is per-host politeness (``--per-host``, 429 back-off), not CPU. When
every link of a host is checked by the same shard, each host's limits hold with no coordination
between shards, whatever engine runs them (a CI matrix, an Indexed Job, a Slurm array).

The rules, fixed because shards run on other machines and other Pythons:

* K counts from 1: ``1/4`` … ``4/4`` (a Kubernetes ``JOB_COMPLETION_INDEX`` is 0-based: add 1).
* A target's host is the host of the URL that is requested (after ``--remap``), lower-cased,
  without port or trailing dot, IDNA-encoded: ``https://Example.org:8443/a`` and
  ``http://example.org/b`` are in the same shard (one machine, one politeness budget).
* Its shard is ``sha256(host) mod N + 1`` (the first 8 bytes, big-endian) — never Python's
  ``hash()``, which is salted per process.
* A target without a host (``mailto:``, invalid URLs, local files) needs no politeness: it goes
  by the sha256 of its normalised URL instead, so such targets spread over the shards too.
* The plan's fingerprint is the sha256 of every target's normalised URL, sorted and joined by
  newlines: shards of one plan share it, whatever shard they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import UsageError
from .models import Target

__all__ = ["Shard", "parse_shard", "plan_fingerprint", "plan_fingerprint_of_keys", "select_shard", "shard_host", "shard_of"]


@dataclass(frozen=True, slots=True)
class Shard:
    """Shard ``index`` of ``count`` (1 ≤ index ≤ count)."""

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


MAX_SHARDS = 100_000


def parse_shard(text: str, *, option: str = "--shard") -> Shard:
    """``"2/4"`` → ``Shard(2, 4)``; anything else is a one-line ``UsageError`` naming ``option``."""
    value = str(text).strip()
    index_s, sep, count_s = value.partition("/")
    index_s, count_s = index_s.strip(), count_s.strip()
    if not (sep and index_s.isdigit() and count_s.isdigit()):
        raise UsageError(f"{option}: {text!r} is not K/N (e.g. 1/4: shard 1 of 4)")
    index, count = int(index_s), int(count_s)
    if not 1 <= count <= MAX_SHARDS:
        raise UsageError(f"{option}: {text!r}: N must be 1..{MAX_SHARDS}")
    if not 1 <= index <= count:
        raise UsageError(f"{option}: {text!r}: K must be 1..{count} (shards count from 1)")
    return Shard(index, count)


def shard_host(target: Target) -> str:
    """The host a target's shard is chosen by ("" when it has none)."""
    try:
        host = (urlsplit(target.checked_url).hostname or "").rstrip(".").lower()
    except ValueError:
        return ""
    if host and not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    return host


def shard_of(target: Target, count: int) -> int:
    """The 1-based shard of ``target`` among ``count``: stable on every machine and Python."""
    host = shard_host(target)
    name = host if host else "\0" + target.key
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % count + 1


def select_shard(targets: Sequence[Target], shard: Shard) -> list[tuple[int, Target]]:
    """(position in the whole plan, target) of the targets in ``shard``, in plan order."""
    return [(i, t) for i, t in enumerate(targets) if shard_of(t, shard.count) == shard.index]


def plan_fingerprint(targets: Iterable[Target]) -> str:
    """``sha256:<hex>`` of the sorted normalised URLs of every target of the plan."""
    return plan_fingerprint_of_keys(t.key for t in targets)


def plan_fingerprint_of_keys(keys: Iterable[str]) -> str:
    """``plan_fingerprint`` from the targets' keys alone (known before the targets are made)."""
    digest = hashlib.sha256()
    for key in sorted(set(keys)):
        digest.update(key.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()
