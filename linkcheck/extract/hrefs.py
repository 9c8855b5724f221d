"""Attribute values to URLs, shared by the HTML and Markdown extractors (no bs4 needed)."""

from __future__ import annotations

import re
from urllib.parse import urljoin

__all__ = ["clean_url", "collapse_whitespace", "resolve_href"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_SPACE_IN_URL = re.compile(r"[\t\n\r]")
_EDGE_CONTROLS = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f" + "".join(
    chr(c) for c in range(0x10, 0x21)
)
_INNER_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def clean_url(value: str) -> str:
    """A URL as a browser would read it: no control character survives into a report.

    As the WHATWG URL parser does, leading and trailing C0 controls and spaces are dropped (PDF
    annotations often end in a NUL), tabs and newlines inside are removed, and any other control
    character left inside is percent-encoded.
    """
    value = _SPACE_IN_URL.sub("", value.strip(_EDGE_CONTROLS))
    return _INNER_CONTROL.sub(lambda m: f"%{ord(m.group()):02X}", value)


def collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def resolve_href(href: str, base: str | None) -> str | None:
    """The absolute URL an attribute value points at, or None when it cannot be known.

    Browsers strip surrounding whitespace and drop tabs and newlines inside a URL; so does this.
    Without a base (a local file, standard input), ``//host`` is taken as https and a relative
    reference (``docs/guide.md#install``, ``#usage``) is kept as written: ``local.py`` resolves it.
    """
    value = clean_url(href)
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
    return value
