"""Content drift: has the page behind a URL moved since it was cited or last audited?

Three signals, all pure functions of values:

* ``final_url_changed``: a manifest pinned where the link must end (``final_url``) and it now
  ends elsewhere. This is a *detail*, not a failing verdict on its own: sites move pages
  (``/news/x`` → ``/en/news/x``) far more often than they replace them, and the title check
  already fails the run when the content behind the new URL is not the cited source. The report
  shows the pinned and the found URL in ``extra["final_url"]``.
* ``content_changed``: the title, or a SimHash fingerprint of the page's visible text, differs
  from the one stored for the URL at the last audit (see ``cache.py``). Also a detail, not a
  failure: pages are edited legitimately; the report shows the old and new title in
  ``extra["content_changed"]`` so a reviewer can decide.
* SimHash (Charikar 2002): each word 3-shingle of the text votes on 64 bits through a stable
  hash; near-identical texts get fingerprints a few bits apart, unrelated texts about 32 apart.
  ``DEFAULT_DRIFT_BITS`` is the bound: more differing bits than that means the text moved.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .models import Page, Result
from .urls import normalise

if TYPE_CHECKING:
    from .cache import CacheEntry

__all__ = [
    "DEFAULT_DRIFT_BITS",
    "SIMHASH_BITS",
    "check_final_url",
    "fingerprint",
    "flag_content_changed",
    "hamming",
    "is_moved",
    "simhash",
    "since_last_audit",
]

SIMHASH_BITS = 64
DEFAULT_DRIFT_BITS = 12
"""Most differing bits (of 64) still called "the same text".

Measured on 600-word texts (about what ``Page.text`` holds): one word edited moves 0–5 bits,
one sentence (20 words) replaced 7–10, an unrelated text 25–38. Twelve keeps routine edits
quiet and still catches a replaced page (``tests/test_drift.py`` pins these bands).
"""
_SHINGLE = 3
_WORD = re.compile(r"\w+")


def _features(text: str) -> Counter[str]:
    """Word 3-shingles (case- and accent-folded), so word order matters but spacing does not."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = _WORD.findall(folded)
    if len(words) < _SHINGLE:
        return Counter([" ".join(words)] if words else [])
    return Counter(" ".join(words[i:i + _SHINGLE]) for i in range(len(words) - _SHINGLE + 1))


def _hash64(feature: str) -> int:
    """A stable 64-bit hash (Python's ``hash`` is salted per process, so useless for a cache)."""
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str) -> int:
    """The 64-bit SimHash of ``text``; 0 for a text without words."""
    votes = [0] * SIMHASH_BITS
    for feature, weight in _features(text).items():
        value = _hash64(feature)
        for bit in range(SIMHASH_BITS):
            votes[bit] += weight if value >> bit & 1 else -weight
    return sum(1 << bit for bit, vote in enumerate(votes) if vote > 0)


def hamming(a: int, b: int) -> int:
    """Number of differing bits."""
    return (a ^ b).bit_count()


def fingerprint(page: Page) -> str | None:
    """The page's text fingerprint as 16 hex digits (JSON-safe), or None when it has no text."""
    if not page.text.strip():
        return None
    return f"{simhash(page.text):016x}"


def is_moved(old: str | None, new: str | None, *, bound: int = DEFAULT_DRIFT_BITS) -> bool:
    """Do two stored fingerprints differ by more than ``bound`` bits? Unknown is never "moved"."""
    if old is None or new is None:
        return False
    try:
        return hamming(int(old, 16), int(new, 16)) > bound
    except ValueError:
        return False


def _fold(title: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", title or "").casefold().split())


def _same_title(old: str | None, new: str | None) -> bool:
    return _fold(old) == _fold(new)


def flag_content_changed(
    result: Result,
    *,
    old_title: str | None,
    old_fingerprint: str | None,
    page: Page,
    checked_at: str | None = None,
    bound: int = DEFAULT_DRIFT_BITS,
) -> Result:
    """Add ``content_changed`` when the title or the text moved since the last audit.

    Only pages read both times are compared: an answer without a body (an error, a redirect
    cut short) says nothing about drift.
    """
    if page.title is None and not page.text:
        return result
    new_fingerprint = fingerprint(page)
    title_moved = old_title is not None and page.title is not None and not _same_title(old_title, page.title)
    distance = None
    if old_fingerprint is not None and new_fingerprint is not None:
        distance = hamming(int(old_fingerprint, 16), int(new_fingerprint, 16))
    if not title_moved and not (distance is not None and distance > bound):
        return result
    evidence: dict[str, object] = {"old_title": old_title, "new_title": page.title, "distance": distance,
                                   "bound": bound}
    if checked_at is not None:
        evidence["since"] = checked_at
    return replace(result, details=(*result.details, "content_changed"),
                   extra={**result.extra, "content_changed": evidence})


def _comparable(url: str) -> str:
    return normalise(url.split("#", 1)[0])


def check_final_url(result: Result) -> Result:
    """Add ``final_url_changed`` when a manifest pinned ``final_url`` and the link ends elsewhere."""
    expected = result.target.expected
    if expected is None or not expected.final_url or result.final_url is None or result.status is None:
        return result
    if _comparable(expected.final_url) == _comparable(result.final_url):
        return result
    return replace(
        result,
        details=(*result.details, "final_url_changed"),
        extra={**result.extra, "final_url": {"expected": expected.final_url, "found": result.final_url}},
    )


def since_last_audit(result: Result, entry: CacheEntry | None, page: Page | None) -> Result:
    """``flag_content_changed`` against the evidence the cache kept from the last audit."""
    if entry is None or page is None:
        return result
    since = datetime.fromtimestamp(entry.checked_at, tz=UTC).isoformat(timespec="seconds")
    return flag_content_changed(result, old_title=entry.page.title, old_fingerprint=entry.fingerprint, page=page,
                                checked_at=since)
