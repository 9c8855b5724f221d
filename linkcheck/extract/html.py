"""Links of an HTML document: ``a[href]`` and ``area[href]`` (the citations), ``img``/``iframe[src]``.

Relative links resolve against ``<base href>`` or the URL the document was fetched from. A local
HTML file with neither has no URL to resolve against: its relative links point at other local
files, which are out of scope, so they are skipped rather than reported as invalid.

Positions come from the parser (``sourceline``/``sourcepos``); the column is moved to the
attribute value when it can be found as written on that line, so it points at the URL itself.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from dataclasses import replace

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag
from bs4.exceptions import ParserRejectedMarkup

from ..models import Document, Link, Occurrence
from .hrefs import collapse_whitespace, resolve_href
from .text import extract_text

__all__ = ["collapse_whitespace", "extract_html", "extract_html_fragment", "resolve_href"]

_BAD_DECLARATION = re.compile(r"<!(?!--|\[CDATA\[|(?i:doctype))")
_LINK_ATTRIBUTES: tuple[tuple[str, str, bool], ...] = (
    ("a", "href", True),
    ("area", "href", True),
    ("img", "src", False),
    ("iframe", "src", False),
)
"""(tag, attribute, has link text): what counts as a link in HTML."""


def _parse(markup: str) -> BeautifulSoup:
    with warnings.catch_warnings():
        # A fragment that looks like a file name or URL makes bs4 warn; the input is never a path.
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "html.parser")


def _parse_leniently(markup: str) -> BeautifulSoup | None:
    """html.parser gives up on some malformed declarations (``<![0``); neutralise them and retry."""
    try:
        return _parse(markup)
    except ParserRejectedMarkup:
        pass
    try:
        return _parse(_BAD_DECLARATION.sub("&lt;!", markup))
    except ParserRejectedMarkup:
        return None


def _base_of(soup: BeautifulSoup, base_url: str | None) -> str | None:
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        href = base.get("href")
        if isinstance(href, str):
            resolved = resolve_href(href, base_url)
            if resolved:
                return resolved
    return base_url


def _text_of(tag: Tag, has_text: bool) -> str | None:
    if not has_text:
        return None
    text = tag.get("alt") if tag.name == "area" else tag.get_text()
    if not isinstance(text, str):
        return None
    return collapse_whitespace(text) or None


def _column(lines: list[str], line: int, tag_column: int, raw: str) -> int:
    """1-based column of the attribute value in the source, else of the tag."""
    if 0 < line <= len(lines):
        found = lines[line - 1].find(raw, tag_column)
        if found != -1:
            return found + 1
    return tag_column + 1


def _links(
    soup: BeautifulSoup, markup: str, source: str, first_line: int, base: str | None
) -> Iterator[Link]:
    lines = markup.split("\n")
    for tag in soup.find_all([name for name, _, _ in _LINK_ATTRIBUTES]):
        if not isinstance(tag, Tag):
            continue
        for name, attribute, has_text in _LINK_ATTRIBUTES:
            value = tag.get(attribute) if tag.name == name else None
            if not isinstance(value, str):
                continue
            url = resolve_href(value, base)
            if url is None:
                continue
            line = tag.sourceline or 1
            column = _column(lines, line, tag.sourcepos or 0, value.strip())
            yield Link(url, Occurrence(source, line + first_line - 1, column, _text_of(tag, has_text)))


def extract_html_fragment(
    markup: str, source: str, *, first_line: int = 1, base_url: str | None = None
) -> list[Link]:
    """Links of a piece of HTML that starts on ``first_line`` of a larger document (Markdown).

    Markup the parser rejects even after repair is scanned as plain text, so its URLs are still
    found (without link text).
    """
    soup = _parse_leniently(markup)
    if soup is None:
        return [
            Link(link.url, replace(link.occurrence, line=link.occurrence.line + first_line - 1))
            for link in extract_text(Document(source, "text", markup))
        ]
    return list(_links(soup, markup, source, first_line, _base_of(soup, base_url)))


def extract_html(document: Document) -> list[Link]:
    """Every link occurrence of an HTML document, in document order."""
    return extract_html_fragment(document.text, document.source, base_url=document.base_url)
