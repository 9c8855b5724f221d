"""Result cache (SQLite) so CI reruns skip links checked recently.

What is stored per normalised URL is the *evidence* (the answer's status, headers that matter,
redirect chain, and the page facts read from it), not only the verdict: a cached link is judged
again on every run, so a changed expected title, threshold or ``--as-of`` never reuses a stale
comparison (the page's publication date is kept with its other facts, so ``--as-of`` needs no
place in the key).
Only definitive answers are stored; ``timeout``, ``network_error`` and ``blocked`` are always
checked again. Entries older than ``max_age`` are revalidated with a conditional request
(``If-None-Match`` / ``If-Modified-Since``): a 304 keeps the evidence.

Two runs may share the file (WAL mode, busy timeout); a corrupt file is replaced with a warning.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .drift import fingerprint
from .models import Fetch, Page, Redirect, Result, Verdict

__all__ = ["CACHEABLE", "SCHEMA_VERSION", "Cache", "CacheEntry"]

SCHEMA_VERSION = 1
CACHEABLE = frozenset({Verdict.OK, Verdict.REDIRECTED, Verdict.BROKEN, Verdict.SOFT_404, Verdict.TITLE_MISMATCH})
_KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-language", "server", "cf-mitigated")


@dataclass(frozen=True)
class CacheEntry:
    key: str
    checked_at: float
    verdict: Verdict
    fetch: Fetch
    """The answer without its body."""
    page: Page
    error: str | None
    details: tuple[str, ...]
    fingerprint: str | None = None
    """SimHash of the page's visible text at that audit (``drift.fingerprint``), for drift checks."""

    def is_fresh(self, now: float, max_age: float) -> bool:
        return now - self.checked_at <= max_age

    @property
    def conditional_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        etag = self.fetch.header("etag")
        modified = self.fetch.header("last-modified")
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        return headers


def _fetch_to_json(fetch: Fetch) -> dict[str, Any]:
    return {
        "url": fetch.url,
        "final_url": fetch.final_url,
        "status": fetch.status,
        "headers": [[k, v] for k, v in fetch.headers if k in _KEPT_HEADERS],
        "redirects": [[r.url, r.status] for r in fetch.redirects],
        "elapsed_ms": fetch.elapsed_ms,
    }


def _fetch_from_json(data: dict[str, Any]) -> Fetch:
    return Fetch(
        url=data["url"],
        final_url=data["final_url"],
        status=data["status"],
        headers=tuple((k, v) for k, v in data["headers"]),
        redirects=tuple(Redirect(u, s) for u, s in data["redirects"]),
        elapsed_ms=data.get("elapsed_ms", 0),
    )


def _page_to_json(page: Page) -> dict[str, Any]:
    return {
        "is_html": page.is_html,
        "is_pdf": page.is_pdf,
        "title": page.title,
        "candidates": [list(c) for c in page.candidates],
        "publisher": page.publisher,
        "h1": page.h1,
        "anchors": sorted(page.anchors),
        "text": page.text,
        "language": page.language,
        "charset": page.charset,
        "charset_note": page.charset_note,
        "published": page.published,
        "description": page.description,
    }


def _page_from_json(data: dict[str, Any]) -> Page:
    return Page(
        is_html=data["is_html"],
        is_pdf=data["is_pdf"],
        title=data["title"],
        candidates=tuple((s, t) for s, t in data["candidates"]),
        publisher=data["publisher"],
        h1=data["h1"],
        anchors=frozenset(data["anchors"]),
        text=data["text"],
        language=data["language"],
        charset=data["charset"],
        charset_note=data.get("charset_note"),
        published=data.get("published"),  # entries written before it was kept have none
        description=data.get("description"),
    )


class Cache:
    """A SQLite file of evidence keyed by normalised URL; the clock is injected for tests."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock
        self.warnings: list[str] = []
        """Problems the run should tell the user about (a corrupt file replaced …)."""
        self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError as exc:
            self.warnings.append(f"cache {self.path} was unusable ({exc}); started a new one")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=30000")
            db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, checked_at REAL NOT NULL,"
                " verdict TEXT NOT NULL, evidence TEXT NOT NULL, schema INTEGER NOT NULL)"
            )
            db.execute("SELECT key, checked_at, verdict, evidence, schema FROM results LIMIT 1").fetchall()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get(self, key: str) -> CacheEntry | None:
        try:
            row = self._db.execute(
                "SELECT checked_at, verdict, evidence FROM results WHERE key = ? AND schema = ?",
                (key, SCHEMA_VERSION),
            ).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None:
            return None
        try:
            evidence = json.loads(row[2])
            return CacheEntry(
                key=key,
                checked_at=float(row[0]),
                verdict=Verdict(row[1]),
                fetch=_fetch_from_json(evidence["fetch"]),
                page=_page_from_json(evidence["page"]),
                error=evidence.get("error"),
                details=tuple(evidence.get("details", ())),
                fingerprint=evidence.get("fingerprint"),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, result: Result, fetch: Fetch | None, page: Page | None) -> None:
        """Store the evidence behind a definitive result; other verdicts are not cached."""
        if result.verdict not in CACHEABLE or fetch is None or page is None or fetch.status is None:
            return
        evidence = {
            "fetch": _fetch_to_json(fetch),
            "page": _page_to_json(page),
            "error": result.error,
            "details": [d for d in result.details if d not in ("cached", "revalidated")],
            "fingerprint": fingerprint(page),
        }
        self._write(result.target.key, result.verdict, evidence)

    def touch(self, entry: CacheEntry) -> None:
        """Mark an entry as checked now (after a 304)."""
        try:
            self._db.execute("UPDATE results SET checked_at = ? WHERE key = ?", (self.clock(), entry.key))
        except sqlite3.DatabaseError:
            pass

    def _write(self, key: str, verdict: Verdict, evidence: dict[str, Any]) -> None:
        for attempt in range(5):
            try:
                self._db.execute(
                    "INSERT OR REPLACE INTO results (key, checked_at, verdict, evidence, schema) VALUES (?,?,?,?,?)",
                    (key, self.clock(), verdict.value, json.dumps(evidence, ensure_ascii=False), SCHEMA_VERSION),
                )
                return
            except sqlite3.OperationalError:
                time.sleep(0.05 * (attempt + 1))
            except sqlite3.DatabaseError:
                return

    def close(self) -> None:
        self._db.close()
