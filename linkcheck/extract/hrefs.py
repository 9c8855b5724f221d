"""Attribute values to URLs, shared by the HTML and Markdown extractors (no bs4 needed)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

__all__ = ["collapse_whitespace", "resolve_href"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SPACE_IN_URL = re.compile(r"[\t\n\r]")


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def resolve_href(href: str, base: str | None) -> str | None:
    """The absolute URL an attribute value points at, or None when it cannot be known.

    Browsers strip surrounding whitespace and drop tabs and newlines inside a URL; so does this.
    Without a base, only absolute URLs (and ``//host`` ones, taken as https) are links.
    """
    value = _SPACE_IN_URL.sub("", href.strip())
    if not value:
        return None
    if _SCHEME.match(value):
        return value
    if base:
        try:
            return urljoin(base, value)
        except ValueError:
            return None
    if value.startswith("//"):
        return "https:" + value
    return None
