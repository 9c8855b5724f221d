"""Plain, typed data that flows one way through linkcheck.

    source → Document → [Link] → [Target] → Fetch → [Result] → Report → str

Every type here is a frozen dataclass with no I/O, so each stage is a function from one type to
the next and every stage can be tested on values alone.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

__all__ = [
    "VERDICT_ORDER",
    "Document",
    "DocumentKind",
    "ErrorKind",
    "Expectation",
    "Fetch",
    "HeaderLookup",
    "Link",
    "Occurrence",
    "Page",
    "Redirect",
    "Report",
    "Result",
    "Target",
    "TitleCheck",
    "Verdict",
]

DocumentKind = Literal["text", "markdown", "html", "pdf"]


@dataclass(frozen=True)
class Document:
    """One input document, read and decoded."""

    source: str
    """How the document is named in reports: the path as given, the URL, or ``-`` for stdin."""
    kind: DocumentKind
    text: str = ""
    """Decoded text (empty for PDFs, whose bytes are in ``data``)."""
    data: bytes = b""
    """Raw bytes, kept only for binary kinds (PDF)."""
    base_url: str | None = None
    """URL the document was fetched from, against which relative links resolve."""
    path: Path | None = None
    """Set (with ``text`` empty) for a very large plain-text file that extraction streams from disk."""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """Where a URL stands in a document."""

    source: str
    line: int
    """1-based line (for PDFs: the page number)."""
    column: int
    """1-based column, counted in characters (for PDFs: 1)."""
    text: str | None = None
    """Link text (``[text](url)``, ``<a>text</a>``); None for a bare URL."""
    note: str | None = None
    """How the URL was read when it is not written in one piece, e.g. ``joined from 2 lines
    inside <>`` for a URL wrapped over lines inside angle brackets; None otherwise."""
    alt: bool = False
    """True when the link holds only images and ``text`` is their alt text (a badge, a logo,
    ``[![CI](badge.svg)](…/actions)``): what the image shows, not a citation of the page."""


@dataclass(frozen=True, slots=True)
class Link:
    """One URL occurrence as extracted, before de-duplication."""

    url: str
    """The URL as written (relative links of a fetched document resolved against its URL; those
    of a local file kept as written, see ``local.py``)."""
    occurrence: Occurrence


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the page behind a URL must be about (from a manifest or the link text)."""

    title: str | None = None
    publisher: str | None = None
    match: Literal["fuzzy", "exact", "contains"] = "fuzzy"
    final_url: str | None = None
    archived: str | None = None
    origin: Literal["manifest", "link_text", "image_alt"] = "link_text"
    """Where ``title`` comes from: a manifest, the link text, or the alt text of an image that
    is all the link holds (never compared: a badge says what it shows)."""


@dataclass(frozen=True, slots=True)
class Target:
    """One unique URL to check, with every place it occurs."""

    key: str
    """Normalised URL used for de-duplication (scheme/host case, default port, empty path)."""
    url: str
    """URL as first written in a source."""
    checked_url: str
    """URL after ``--remap``: what is requested."""
    occurrences: tuple[Occurrence, ...]
    expected: Expectation | None = None
    skip: Literal["excluded", "invalid", "local"] | None = None
    """Set when the URL is not requested at all; ``skip_reason`` says why. ``local``: a local
    file, checked offline (``key`` is ``file:`` and its path, ``checked_url`` that path)."""
    skip_reason: str | None = None

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        try:
            return (urlsplit(self.checked_url).hostname or "").lower()
        except ValueError:
            return ""


@dataclass(frozen=True, slots=True)
class Redirect:
    """One hop of a redirect chain: the URL that answered and the status it answered with."""

    url: str
    status: int


class ErrorKind(str, enum.Enum):
    """Why a fetch produced no usable final answer."""

    TIMEOUT = "timeout"
    NETWORK = "network"
    """DNS failure, refused or reset connection."""
    TLS = "tls"
    PROTOCOL = "protocol"
    """Malformed status line or headers, oversized header, broken framing."""
    REDIRECT_LOOP = "redirect_loop"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    BAD_REDIRECT = "bad_redirect"
    """Redirect to an unsupported scheme or an unparseable Location."""
    REFUSED_ADDRESS = "refused_address"
    """Target resolved to a private/loopback/link-local address that the run refuses."""
    INVALID_URL = "invalid_url"
    RETRY_LATER = "retry_later"
    """429/503 with a ``Retry-After`` beyond the run's cap: asked again later, nothing can be said now."""


class HeaderLookup:
    """Header access for anything holding ``headers`` as (lower-cased name, value) pairs:
    a ``Fetch`` and the client's answer still being read."""

    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        """The first value of a header (name matched case-insensitively), or None."""
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    @property
    def content_type(self) -> str:
        """Media type without parameters, lower-cased ('' when absent)."""
        value = self.header("content-type") or ""
        return value.split(";", 1)[0].strip().lower()


@dataclass(frozen=True)
class Fetch(HeaderLookup):
    """What the network said about one URL: facts only, no verdict."""

    url: str
    """URL requested first."""
    final_url: str
    """URL of the last answer (after redirects)."""
    status: int | None = None
    """Status of the last answer; None when no answer came."""
    headers: tuple[tuple[str, str], ...] = ()
    """Headers of the last answer, names lower-cased, in order."""
    body: bytes = b""
    """Decoded (decompressed) body prefix, at most the byte cap: enough for titles/fragments."""
    is_body_complete: bool = False
    """True when ``body`` holds the whole body, not just a prefix."""
    redirects: tuple[Redirect, ...] = ()
    error_kind: ErrorKind | None = None
    error: str | None = None
    """Human-readable error text (credentials redacted)."""
    elapsed_ms: int = 0
    attempts: int = 1


@dataclass(frozen=True)
class Page:
    """What linkcheck read of a page body (HTML head, PDF metadata): facts, no verdict."""

    is_html: bool = False
    is_pdf: bool = False
    title: str | None = None
    """The page's own ``<title>`` (or PDF title), whitespace collapsed."""
    candidates: tuple[tuple[str, str], ...] = ()
    """(signal, text) title candidates in priority order: ('title', …), ('og:title', …), ('h1', …)."""
    publisher: str | None = None
    """Site or publisher name: og:site_name, citation_publisher, JSON-LD publisher.name."""
    h1: str | None = None
    anchors: frozenset[str] = frozenset()
    """Every element ``id`` and ``<a name>`` seen in the bytes read (for #fragment checks)."""
    text: str = ""
    """Visible text of the part read, whitespace collapsed, at most a few KB (soft-404 markers)."""
    language: str | None = None
    """``<html lang>`` or Content-Language, lower-cased primary tag ('en', 'ja')."""
    charset: str | None = None
    """Charset used to decode the body."""
    charset_note: str | None = None
    description: str | None = None
    """``<meta name="description">``, else ``og:description``/``twitter:description``: what the
    page says it is about, more words than its title (evidence for a reworded citation)."""
    published: str | None = None
    """Publication date (``YYYY-MM-DD``) from ``article:published_time``, ``citation_publication_date``,
    ``citation_date``, ``datePublished`` or ``dc.date`` metadata."""
    """Set when the declared charset was overruled, e.g. ``charset_corrected:iso-8859-1->utf-8``."""


@dataclass(frozen=True, slots=True)
class TitleCheck:
    """The comparison of the page's title with the expected source."""

    expected: str | None
    found: str | None
    score: float | None
    match: bool | None
    """None when nothing could be compared (no expected or no found title)."""
    signal: str | None = None
    """Which page signal gave ``found``: 'title', 'og:title', 'h1', 'pdf:title' …"""
    detail: str | None = None
    """e.g. 'title_unverifiable' (other language), 'generic_title'."""


class Verdict(str, enum.Enum):
    """The one fate of a unique URL (CONTRACT.md, Verdicts)."""

    OK = "ok"
    REDIRECTED = "redirected"
    BROKEN = "broken"
    SOFT_404 = "soft_404"
    TITLE_MISMATCH = "title_mismatch"
    TIMEOUT = "timeout"
    NETWORK_ERROR = "network_error"
    BLOCKED = "blocked"
    INVALID = "invalid"
    EXCLUDED = "excluded"

    @property
    def is_failure(self) -> bool:
        """Does this verdict fail the run by default?"""
        return self in _FAILING

    def __str__(self) -> str:
        return self.value


VERDICT_ORDER: tuple[Verdict, ...] = (
    Verdict.BROKEN,
    Verdict.SOFT_404,
    Verdict.TITLE_MISMATCH,
    Verdict.TIMEOUT,
    Verdict.NETWORK_ERROR,
    Verdict.INVALID,
    Verdict.BLOCKED,
    Verdict.REDIRECTED,
    Verdict.OK,
    Verdict.EXCLUDED,
)
"""Worst first: the order in which people want to read verdicts (reports, summaries)."""

_FAILING = frozenset(
    {
        Verdict.BROKEN,
        Verdict.SOFT_404,
        Verdict.TITLE_MISMATCH,
        Verdict.TIMEOUT,
        Verdict.NETWORK_ERROR,
        Verdict.INVALID,
    }
)


@dataclass(frozen=True, slots=True)
class Result:
    """The verdict on one unique URL, with the evidence behind it."""

    target: Target
    verdict: Verdict
    final_url: str | None = None
    status: int | None = None
    redirects: tuple[Redirect, ...] = ()
    title: TitleCheck | None = None
    error: str | None = None
    elapsed_ms: int = 0
    details: tuple[str, ...] = ()
    """Extra machine-readable facts: 'fragment_missing', 'content_changed', 'cached' …"""
    extra: dict[str, object] = field(default_factory=dict, hash=False, compare=False)
    """Free-form evidence for reports (archive suggestion, old title …)."""

    @property
    def url(self) -> str:
        return self.target.url

    @property
    def is_failure(self) -> bool:
        return self.verdict.is_failure


@dataclass(frozen=True)
class Report:
    """Everything a formatter needs; formatters are pure functions of it."""

    sources: tuple[str, ...]
    results: tuple[Result, ...]
    started_at: str
    """ISO-8601 timestamp."""
    finished_at: str
    tool_version: str
    is_complete: bool = True
    """False when the run was interrupted (only finished results are in ``results``), or when a
    merge was allowed to leave shards out (``missing_shards``)."""
    shard: str | None = None
    """``"K/N"`` for the report of one shard (``check --shard``); None for a whole run."""
    plan: str | None = None
    """Fingerprint of the whole plan (``sha256:…`` of every target's normalised URL): shards of one
    plan share it, and a merge refuses shards whose plans differ."""
    positions: tuple[int, ...] = ()
    """For a shard: each result's position in the whole plan (parallel to ``results``), so a merge
    restores the order of the single run. Empty for a whole run."""
    missing_shards: tuple[str, ...] = ()
    """Shards (``"K/N"``) a partial merge (``merge --allow-partial``) had no report of."""
    fail_on: frozenset[Verdict] | None = None
    """Verdicts that fail this run (``--fail-on``, less ``title_mismatch`` under ``--titles warn``);
    None: the verdicts that fail by default. Every format marks these as errors and the other
    problems as reported only, so reports and exit status always agree."""

    @property
    def failing(self) -> frozenset[Verdict]:
        """The verdicts that fail this run."""
        return self.fail_on if self.fail_on is not None else _FAILING

    def summary(self) -> dict[str, int]:
        """A count for every verdict (zero included) and ``total``."""
        counts = {"total": len(self.results)}
        counts.update({v.value: 0 for v in Verdict})
        for result in self.results:
            counts[result.verdict.value] += 1
        return counts

    def failures(self, fail_on: frozenset[Verdict] | None = None) -> tuple[Result, ...]:
        failing = fail_on if fail_on is not None else self.failing
        return tuple(r for r in self.results if r.verdict in failing)

    def is_success(self, fail_on: frozenset[Verdict] | None = None) -> bool:
        return not self.failures(fail_on)

    def level(self, verdict: Verdict) -> str | None:
        """How every format marks a verdict in this run: ``error`` (fails the run), ``warning``
        (a problem reported only: failing by default but not under this run's ``--fail-on``, or
        ``blocked``), ``notice`` (``redirected``: the citation should be updated) or None."""
        if verdict in self.failing:
            return "error"
        if verdict in _FAILING or verdict is Verdict.BLOCKED:
            return "warning"
        if verdict is Verdict.REDIRECTED:
            return "notice"
        return None
