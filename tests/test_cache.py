from __future__ import annotations

import sqlite3
from pathlib import Path

from linkcheck.cache import Cache
from linkcheck.models import Fetch, Occurrence, Page, Redirect, Result, Target, TitleCheck, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _target(url: str = "https://example.org/a") -> Target:
    return Target(key=url, url=url, checked_url=url, occurrences=(Occurrence("doc.md", 1, 1, "A"),))


def _evidence() -> tuple[Fetch, Page]:
    fetch = Fetch(
        url="https://example.org/a",
        final_url="https://example.org/b",
        status=200,
        headers=(("content-type", "text/html"), ("etag", '"v1"'), ("set-cookie", "secret")),
        body=b"<title>A page</title>",
        redirects=(Redirect("https://example.org/a", 301),),
    )
    page = Page(is_html=True, title="A page", candidates=(("title", "A page"),), anchors=frozenset({"top"}))
    return fetch, page


def test_definitive_result_round_trips_without_body_or_cookies(tmp_path: Path) -> None:
    clock = Clock()
    cache = Cache(tmp_path / "c.sqlite", clock=clock)
    fetch, page = _evidence()
    result = Result(target=_target(), verdict=Verdict.REDIRECTED, status=200,
                    title=TitleCheck("A", "A page", 90.0, True))
    cache.put(result, fetch, page)
    entry = cache.get("https://example.org/a")
    assert entry is not None
    assert entry.verdict is Verdict.REDIRECTED
    assert entry.fetch.redirects == (Redirect("https://example.org/a", 301),)
    assert entry.fetch.body == b""
    assert entry.fetch.header("set-cookie") is None
    assert entry.page == page
    assert entry.conditional_headers == {"If-None-Match": '"v1"'}
    assert entry.is_fresh(clock.now + 10, max_age=60)
    assert not entry.is_fresh(clock.now + 61, max_age=60)


def test_transient_verdicts_are_never_cached(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c.sqlite")
    fetch, page = _evidence()
    for verdict in (Verdict.TIMEOUT, Verdict.NETWORK_ERROR, Verdict.BLOCKED):
        cache.put(Result(target=_target(), verdict=verdict), fetch, page)
    assert cache.get("https://example.org/a") is None


def test_corrupt_file_is_replaced_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = Cache(path)
    assert cache.warnings and "unusable" in cache.warnings[0]
    fetch, page = _evidence()
    cache.put(Result(target=_target(), verdict=Verdict.OK), fetch, page)
    assert cache.get("https://example.org/a") is not None


def test_two_connections_share_the_file(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite"
    first, second = Cache(path), Cache(path)
    fetch, page = _evidence()
    first.put(Result(target=_target(), verdict=Verdict.OK), fetch, page)
    second.put(Result(target=_target("https://example.org/z"), verdict=Verdict.BROKEN), fetch, page)
    assert second.get("https://example.org/a") is not None
    assert first.get("https://example.org/z") is not None
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
