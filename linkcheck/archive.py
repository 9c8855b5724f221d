"""Archived versions for links that no longer show what was cited (``--suggest-archive``).

For each ``broken``, ``soft_404`` or ``title_mismatch`` link, ask a Wayback CDX server for the
captures of the URL around the document's date (``--as-of``, else the source file's modification
time), keep those answered with status 200, and try them closest first. When the citation has an
expected title, a capture is fetched (raw ``id_`` mode, so the archive adds no banner) and must
match it, the same comparison as for the live page; the first that does is suggested. The
suggestion goes into ``Result.extra["archive"]`` in the shape of a Robust Link
(``version_url``, ``version_date``), or ``{"none": true}`` when no capture exists.

Why CDX and not the simpler availability API (``/wayback/available``): the availability API
answers from a sampled index and is documented to return "no snapshot" for URLs that do have
captures, and it gives one capture with no status filter. The CDX API lists every capture with
its status code and digest, so "no capture exists" is a statement we can make.

Captures are served from the endpoint's own origin: ``<origin>/web/<timestamp>/<url>`` (the
suggestion) and ``<origin>/web/<timestamp>id_/<url>`` (the bytes as archived).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

from .citation import compare_title
from .client import Client
from .config import Config
from .errors import InputError, UsageError
from .models import Document, Expectation, Result, Target, Verdict
from .page import parse_page

__all__ = [
    "DEFAULT_ARCHIVE_ENDPOINT",
    "DEFAULT_CDX_LIMIT",
    "DEFAULT_MAX_TRIES",
    "DEFAULT_WINDOW_DAYS",
    "SUGGESTED_FOR",
    "ArchiveOptions",
    "Capture",
    "archive_options",
    "capture_urls",
    "cdx_query_url",
    "document_dates",
    "parse_as_of",
    "parse_cdx",
    "rank_captures",
    "suggest_archives",
]

DEFAULT_ARCHIVE_ENDPOINT = "https://web.archive.org/cdx/search/cdx"
DEFAULT_WINDOW_DAYS = 730
"""Captures up to this many days before or after the document's date are considered."""
DEFAULT_CDX_LIMIT = 200
"""Most CDX rows asked for one URL (rows of identical content are collapsed locally)."""
DEFAULT_MAX_TRIES = 3
"""Most captures fetched per link to find one whose title matches."""
DEFAULT_MAX_CDX_BYTES = 2 * 2**20
SUGGESTED_FOR = frozenset({Verdict.BROKEN, Verdict.SOFT_404, Verdict.TITLE_MISMATCH})
_CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")


@dataclass(frozen=True)
class ArchiveOptions:
    """How to look for archived versions."""

    endpoint: str = DEFAULT_ARCHIVE_ENDPOINT
    as_of: datetime | None = None
    """The document's date; None means each source file's modification time."""
    window_days: int = DEFAULT_WINDOW_DAYS
    max_tries: int = DEFAULT_MAX_TRIES


@dataclass(frozen=True)
class Capture:
    """One CDX row."""

    timestamp: str
    """14 digits, ``YYYYMMDDhhmmss`` (UTC)."""
    original: str
    status: str
    digest: str = ""

    @property
    def when(self) -> datetime:
        return _parse_timestamp(self.timestamp)


def parse_as_of(text: str) -> datetime:
    """``2022-05-12``, ``2022-05-12T10:00:00Z`` or ``20220512`` → an aware UTC datetime."""
    value = text.strip()
    try:
        if value.isdigit() and 4 <= len(value) <= 14:
            return _parse_timestamp(value)
        parsed = datetime.fromisoformat(value)  # Python 3.11 reads a trailing "Z" too
    except ValueError:
        raise UsageError(f"--as-of: {text!r} is not a date like 2022-05-12") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_timestamp(value: str) -> datetime:
    """A Wayback timestamp of 4 to 14 digits (missing parts are the start of the period)."""
    padded = (value + "0101000000"[len(value) - 4:]) if len(value) < 14 else value[:14]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def _is_timestamp(value: str) -> bool:
    try:
        _parse_timestamp(value)
    except ValueError:
        return False
    return True


def _timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def cdx_query_url(endpoint: str, url: str, as_of: datetime, *, window_days: int = DEFAULT_WINDOW_DAYS,
                  limit: int = DEFAULT_CDX_LIMIT) -> str:
    """The CDX query for captures of ``url`` answered 200 within the window around ``as_of``."""
    window = timedelta(days=window_days)
    params = {
        "url": url.split("#", 1)[0],
        "output": "json",
        "from": _timestamp(as_of - window),
        "to": _timestamp(as_of + window),
        "filter": "statuscode:200",
        "limit": str(limit),
    }
    return f"{endpoint}?{urlencode(params)}"


def parse_cdx(body: bytes) -> list[Capture]:
    """Rows of a CDX ``output=json`` answer (a header row, then one row per capture).

    An empty body or ``[]`` means no capture. Anything else that is not that shape raises
    ``ValueError``.
    """
    text = body.decode("utf-8", "replace").strip()
    if not text:
        return []
    rows = json.loads(text)
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ValueError("CDX answer is not a list of rows")
    if not rows:
        return []
    header = [str(name) for name in rows[0]]
    try:
        at = {name: header.index(name) for name in ("timestamp", "original", "statuscode")}
    except ValueError:
        raise ValueError(f"CDX header lacks timestamp/original/statuscode: {header}") from None
    digest_at = header.index("digest") if "digest" in header else None
    captures = []
    for row in rows[1:]:
        if len(row) < len(header):
            continue
        captures.append(Capture(timestamp=str(row[at["timestamp"]]), original=str(row[at["original"]]),
                                status=str(row[at["statuscode"]]),
                                digest=str(row[digest_at]) if digest_at is not None else ""))
    return captures


def rank_captures(captures: Iterable[Capture], as_of: datetime) -> list[Capture]:
    """Status-200 captures, closest to ``as_of`` first; of identical content, only the closest.

    The status is checked again here: a server that ignores ``filter=`` must not make an error
    page a suggestion.
    """
    valid = [c for c in captures if c.status == "200" and _is_timestamp(c.timestamp)]
    valid.sort(key=lambda c: (abs((c.when - as_of).total_seconds()), c.timestamp))
    seen: set[str] = set()
    ranked = []
    for capture in valid:
        if capture.digest and capture.digest in seen:
            continue
        seen.add(capture.digest)
        ranked.append(capture)
    return ranked


def capture_urls(endpoint: str, capture: Capture) -> tuple[str, str]:
    """(the capture as a reader sees it, the capture's raw bytes) on the endpoint's origin."""
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    return (f"{origin}/web/{capture.timestamp}/{capture.original}",
            f"{origin}/web/{capture.timestamp}id_/{capture.original}")


def document_dates(documents: Sequence[Document]) -> dict[str, datetime]:
    """Each local source's modification time (URL and stdin sources have none)."""
    dates: dict[str, datetime] = {}
    for document in documents:
        path = document.path or Path(document.source)
        try:
            if document.source != "-" and path.is_file():
                dates[document.source] = datetime.fromtimestamp(os.stat(path).st_mtime, tz=UTC)
        except (OSError, ValueError):
            continue
    return dates


def _as_of_for(target: Target, options: ArchiveOptions, dates: Mapping[str, datetime]) -> datetime:
    if options.as_of is not None:
        return options.as_of
    for occurrence in target.occurrences:
        if occurrence.source in dates:
            return dates[occurrence.source]
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _pinned(archived: str) -> dict[str, object]:
    """A manifest's own ``archived`` snapshot: suggested as is, its date read from the URL."""
    suggestion: dict[str, object] = {"version_url": archived, "pinned": True}
    for part in urlsplit(archived).path.split("/"):
        digits = part[:14] if part[:14].isdigit() else ""
        if len(digits) == 14:
            suggestion["version_date"] = _iso(_parse_timestamp(digits))
            break
    return suggestion


async def _suggest(client: Client, target: Target, as_of: datetime, options: ArchiveOptions,
                   config: Config) -> dict[str, object]:
    expected: Expectation | None = target.expected
    if expected is not None and expected.archived:
        return _pinned(expected.archived)
    query = cdx_query_url(options.endpoint, target.checked_url, as_of, window_days=options.window_days)
    try:
        body, _, _ = await client.fetch_document(query, max_bytes=DEFAULT_MAX_CDX_BYTES)
        captures = rank_captures(parse_cdx(body), as_of)
    except InputError as exc:
        return {"error": f"archive query failed: {exc}"}
    except ValueError as exc:
        return {"error": f"archive answered something that is not CDX JSON: {exc}"}
    if not captures:
        return {"none": True, "as_of": _iso(as_of)}
    wants_title = expected is not None and bool(expected.title)
    fallback: dict[str, object] | None = None
    for capture in captures[: max(1, options.max_tries) if wants_title else 1]:
        version_url, raw_url = capture_urls(options.endpoint, capture)
        suggestion: dict[str, object] = {"version_url": version_url, "version_date": _iso(capture.when),
                                         "title": None, "match": None}
        if not wants_title:
            return suggestion
        fetch = await client.fetch(raw_url)
        if fetch.error_kind is not None or fetch.status != 200:
            continue
        check = compare_title(expected, parse_page(fetch), threshold=config.title_threshold,
                                     final_url=capture.original)
        suggestion["title"] = check.found if check is not None else None
        suggestion["match"] = check.match if check is not None else None
        if check is not None and check.match is not False:
            return suggestion
        fallback = fallback or suggestion
    return fallback or {"none": True, "as_of": _iso(as_of), "reason": "no capture could be read"}


async def suggest_archives(
    results: Sequence[Result],
    config: Config,
    options: ArchiveOptions,
    documents: Sequence[Document] = (),
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Result]:
    """``results`` with an ``extra["archive"]`` suggestion on every link that needs one."""
    wanted = [r for r in results if r.verdict in SUGGESTED_FOR]
    if not wanted:
        return list(results)
    dates = document_dates(documents)
    # The archive is another party: the user's --header values are for the cited hosts only.
    async with Client(replace(config, headers=()), transport=transport) as client:
        suggestions = await asyncio.gather(
            *(_suggest(client, r.target, _as_of_for(r.target, options, dates), options, config) for r in wanted)
        )
    found = {id(r): s for r, s in zip(wanted, suggestions, strict=True)}
    return [replace(r, extra={**r.extra, "archive": found[id(r)]}) if id(r) in found else r for r in results]


def archive_options(enabled: bool, endpoint: str, as_of: str | None) -> ArchiveOptions | None:
    """``--suggest-archive``/``--archive-endpoint``/``--as-of`` → options, or None when off."""
    if not enabled:
        if as_of:
            parse_as_of(as_of)  # still a usage error when malformed
        return None
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--archive-endpoint: {endpoint!r} is not an http(s) URL")
    return ArchiveOptions(endpoint=endpoint, as_of=parse_as_of(as_of) if as_of else None)
