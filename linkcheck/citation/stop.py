"""Titles and link texts that name no document: "Home", "Page not found | Site", "click here"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..page.text import clean
from .lexicon import STOPWORDS
from .normalise import normalise_title, words_of

__all__ = ["informative", "is_stop_text", "is_stop_title", "segments"]

_STOP_TITLES = frozenset(
    normalise_title(t)
    for t in (
        "home", "home page", "homepage", "start", "startseite", "accueil", "welcome", "index", "main page",
        "untitled", "untitled document", "untitled page", "no title", "new page", "document", "page",
        "press release", "press releases", "news release", "news releases", "statement", "statements",
        "press statement", "news", "latest news", "news and events", "news & media", "media", "newsroom",
        "press", "press room", "press corner", "publications", "publication", "report", "the report",
        "article", "blog", "events", "library", "documents", "downloads", "download", "search",
        "search results", "login", "log in", "sign in", "error", "oops", "just a moment", "just a moment...",
        "attention required", "attention required! | cloudflare", "access denied", "forbidden",
        "403 forbidden", "403", "404", "404 not found", "not found", "page not found", "file not found",
        "error 404", "404 error", "404 page not found", "error 404 page not found", "page not available",
        "page no longer available", "this page does not exist", "sorry", "we're sorry", "500",
        "500 internal server error", "internal server error", "service unavailable", "503 service unavailable",
        "bad gateway", "502 bad gateway", "redirecting", "loading", "please wait", "one moment please",
        "are you a robot", "security check", "captcha", "request rejected", "website", "web site",
        "seite nicht gefunden", "page introuvable", "pagina no encontrada",
        # generic link texts: say nothing about what a page must be
        "here", "click here", "this link", "link", "this page", "read more", "more", "more information",
        "learn more", "see here", "source", "pdf", "full text", "this", "website", "official website",
        "webpage", "online", "available here", "details", "info", "information",
    )
)
_STOP_PATTERN = re.compile(
    r"^(?:http )?(?:error )?[45]\d\d(?: error)?(?: (?:page )?(?:not found|forbidden|gone|internal server error|"
    r"service unavailable|bad gateway|bad request|unauthorized|too many requests|error|page|file not found))?$"
    r"|^welcome to .{0,60}$|^index of .*$"
)
_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|/|:)\s+|\s*\|\s*")


def segments(title: str) -> list[str]:
    return [s for s in (clean(p) for p in _SEPARATORS.split(title)) if s]


def is_stop_text(text: str) -> bool:
    norm = normalise_title(text)
    return not norm or norm in _STOP_TITLES or bool(_STOP_PATTERN.match(norm))


def informative(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in STOPWORDS]


def is_stop_title(text: str | None) -> bool:
    """Is this a title that names no document: "Home", "Page not found | Site", "Just a moment..."?

    True for a generic title as a whole, and for a generic first or last part next to a short
    site name ("Page not found - Consilium", "Home | Ministry of Foreign Affairs of Japan").
    """
    if text is None or not text.strip():
        return True
    if is_stop_text(text):
        return True
    parts = segments(text)
    if len(parts) < 2:
        return False
    for edge, others in ((parts[0], parts[1:]), (parts[-1], parts[:-1])):
        if is_stop_text(edge) and all(
            is_stop_text(p) or len(informative(words_of(p))) <= 4 for p in others
        ):
            return True
    return False

