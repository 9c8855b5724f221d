"""One target's whole check: fetch → read the page → probe when suspicious → verdict.

The only place that joins the network (``client``) with the pure stages (``page``, ``judge``);
the cross-link memory it needs (one probe per site) lives on the client. Cached evidence (see
``cache.py``) is judged again here, never trusted as a stale verdict.

Page reading and judging (``page``, ``judge``, ``drift`` and the title comparison behind them,
about 40 ms of imports) are imported where first used, after the first request has gone out:
``run.check_targets`` warms them up while the network works, so a run's first requests do not
wait for them.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from .client import Client
from .config import Config
from .models import Fetch, Page, Result, Target, Verdict

if TYPE_CHECKING:
    from .cache import CacheEntry

__all__ = ["DEFAULT_MAX_RANGED_PDF", "DEFAULT_PDF_TAIL", "Checked", "check_target", "inspect_target", "judge_cached"]

DEFAULT_PDF_TAIL = 256 * 1024
"""Bytes of a PDF's end asked for with ``Range: bytes=-N`` when its prefix held no title: the
trailer, the last cross-reference section and (usually) the ``/Info`` dictionary live there."""
DEFAULT_MAX_RANGED_PDF = 64 * 1024 * 1024
"""Largest declared PDF length worth a tail request (bigger files are rarely cited by title)."""

_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Checked:
    """A result with the evidence behind it (for the cache); evidence None when nothing new came."""

    result: Result
    fetch: Fetch | None = None
    page: Page | None = None
    is_revalidated: bool = False
    """True when a conditional request answered 304: the cached evidence still holds."""


async def check_target(client: Client, target: Target, config: Config) -> Result:
    """The verdict on one unique URL; skipped targets (``target.skip``) cost no request."""
    return (await inspect_target(client, target, config)).result


async def inspect_target(
    client: Client,
    target: Target,
    config: Config,
    *,
    revalidate: CacheEntry | None = None,
    on_answer: Callable[[], None] | None = None,
) -> Checked:
    """Check one target; with ``revalidate``, ask conditionally and reuse its evidence on 304.

    ``on_answer`` is called once the answer is read, before the page is parsed and judged: the
    scheduler then starts the host's next check while this one is still CPU work."""
    if target.skip == "local":
        from .local import check_local

        return Checked(check_local(target, config))
    if target.skip is not None:
        from . import judge

        unsent = Fetch(url=target.checked_url, final_url=target.checked_url)
        return Checked(judge.judge(target, unsent, Page(), config))
    headers = revalidate.conditional_headers if revalidate is not None else None
    fetch = await client.fetch(target.checked_url, headers=headers or None)
    if on_answer is not None:
        on_answer()
    if revalidate is not None and headers and fetch.status == 304:
        result = judge_cached(target, revalidate, config)
        return Checked(replace(result, details=(*result.details, "revalidated")), is_revalidated=True)
    # The request's slot (and, through ``on_answer``, the scheduler's share of the host) is free
    # now and another check is waiting for it: let that request go out before the CPU work of
    # reading and judging this page, which otherwise delays every next request by a page's worth
    # of parsing (about 12 % of the wall time at 16 × 20 ms).
    await asyncio.sleep(0)
    from . import drift, judge

    page = _read_page(fetch)
    if _wants_pdf_tail(fetch, page):
        page = await _title_from_tail(client, fetch, page)
    probe: Fetch | None = None
    probe_page: Page | None = None
    if judge.needs_probe(target, fetch, page, config):
        probe = await client.fetch_probe(fetch.final_url)
        probe_page = _read_page(probe)
    result = drift.check_final_url(judge.judge(target, fetch, page, config, probe=probe, probe_page=probe_page))
    if page.charset_note is not None:  # evidence: the title was read in another charset than declared
        result = replace(result, details=(*result.details, page.charset_note))
    return Checked(result, fetch, page)


def judge_cached(target: Target, entry: CacheEntry, config: Config) -> Result:
    """Judge cached evidence again with today's expectations and settings.

    The title comparison is redone, so a changed expected title or threshold is honoured. A
    soft 404 found through the site probe (which the evidence does not hold) stays a soft 404.
    """
    from . import drift, judge

    result = judge.judge(target, entry.fetch, entry.page, config)
    if entry.verdict is Verdict.SOFT_404 and not result.is_failure:
        result = replace(result, verdict=Verdict.SOFT_404, error=entry.error)
    return drift.check_final_url(replace(result, elapsed_ms=0))


def _read_page(fetch: Fetch) -> Page:
    """Parse only answers that came: an error or an empty body has nothing to read."""
    if fetch.error_kind is not None or fetch.status is None:
        return Page()
    from .page import parse_page

    return parse_page(fetch)


def _wants_pdf_tail(fetch: Fetch, page: Page) -> bool:
    """An untitled PDF read only in part, whose server takes byte ranges of an identity body of
    a declared, bounded length: its metadata may sit in the unread end."""
    if not page.is_pdf or page.title is not None or fetch.is_body_complete or fetch.status != 200:
        return False
    if (fetch.header("accept-ranges") or "").strip().lower() != "bytes":
        return False
    if (fetch.header("content-encoding") or "identity").strip().lower() != "identity":
        return False  # the length and ranges would count encoded bytes, not the PDF's
    length = (fetch.header("content-length") or "").strip()
    return length.isdigit() and len(fetch.body) < int(length) <= DEFAULT_MAX_RANGED_PDF


async def _title_from_tail(client: Client, fetch: Fetch, page: Page) -> Page:
    """Ask for the PDF's last ``DEFAULT_PDF_TAIL`` bytes (one request) and read the metadata title
    from prefix + tail; ``page`` unchanged when the server does not answer with that range."""
    total = int(fetch.header("content-length") or "0")
    tail = await client.fetch(
        fetch.final_url, headers={"Range": f"bytes=-{DEFAULT_PDF_TAIL}"}, max_body=DEFAULT_PDF_TAIL
    )
    if not _is_tail_of(tail, total):
        return page
    from .page.pdf import pdf_title_from_parts

    found = pdf_title_from_parts(fetch.body, tail.body, total)
    if found is None:
        return page
    signal, title = found
    return replace(page, title=title, candidates=((signal, title),))


def _is_tail_of(tail: Fetch, total: int) -> bool:
    """True when ``tail`` is a whole 206 answer holding the last bytes of a ``total``-byte file."""
    if tail.error_kind is not None or tail.status != 206 or not tail.is_body_complete:
        return False
    if (tail.header("content-encoding") or "identity").strip().lower() != "identity":
        return False
    match = _CONTENT_RANGE.match(tail.header("content-range") or "")
    if match is None:
        return False
    first, last, length = (int(group) for group in match.groups())
    return length == total and last == total - 1 and len(tail.body) == last - first + 1 <= DEFAULT_PDF_TAIL
