"""Links of an HTML document: the citations (``a``, ``area``) and every other URL a page points at.

What counts as a link is the table ``LINK_ATTRIBUTES``: ``a[href]`` and ``area[href]`` with their
text, ``img``, ``iframe`` and ``source[src]``, ``blockquote[cite]`` and ``q[cite]``, and
``link[href]`` when its ``rel`` says ``alternate`` (another form of the same document, such as
the DOI of an RFC). The text of ``<a>`` is what a reader sees: its text, with the ``alt`` of an
image inside it (``<a><img alt="Build status"></a>``).

Relative links resolve against ``<base href>`` or the URL the document was fetched from. A local
HTML file with neither has no URL to resolve against: its relative links point at other local
files, which are out of scope, so they are skipped rather than reported as invalid.

Positions are exact: the tokenizer (``htmlscan``) gives the offset of each attribute value, so
the column is that of the URL itself, wherever the attribute stands (another line than ``<a``)
and however it is written (``&amp;``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..models import Document, Link, Occurrence
from .hrefs import collapse_whitespace, resolve_href
from .htmlscan import AltText, Attribute, Tag, link_text, scan_tags

__all__ = [
    "LINK_ATTRIBUTES",
    "HtmlLinks",
    "collapse_whitespace",
    "extract_html",
    "link_attribute",
    "url_offset",
    "resolve_href",
]

LINK_ATTRIBUTES: dict[str, str] = {
    "a": "href",
    "area": "href",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "blockquote": "cite",
    "q": "cite",
    "link": "href",
}
"""Element → the attribute holding its URL."""
_WANTED = frozenset(LINK_ATTRIBUTES) | {"base"}


def link_attribute(tag: Tag) -> Attribute | None:
    """The attribute of a start tag that holds a link, if the tag is a link."""
    if tag.attributes is None:
        return None
    name = LINK_ATTRIBUTES.get(tag.name)
    attribute = tag.attributes.get(name) if name else None
    if attribute is None:
        return None
    if tag.name == "link":
        rel = tag.attributes.get("rel")
        if rel is None or "alternate" not in rel.value.lower().split():
            return None
    return attribute


def url_offset(attribute: Attribute) -> int:
    """Offset of the URL's first character: the value's, past the spaces a browser strips."""
    return attribute.offset + len(attribute.raw) - len(attribute.raw.lstrip(" \t\n\f\r"))


class HtmlLinks:
    """Collects ``(offset, url, text)`` from a stream of tags, holding an ``<a>`` open for its text.

    Used over a whole HTML document, and over the raw HTML inside Markdown (where the offsets are
    mapped back to the Markdown source by the caller).
    """

    def __init__(self, base: str | None) -> None:
        self.base = base
        self.found: list[tuple[int, str, str | None]] = []
        self.anchor: tuple[int, str, int] | None = None
        """The open ``<a>``: offset of its URL, the URL, and where its content starts."""

    def start(self, tag: Tag, offset: int) -> None:
        """A start tag; ``offset`` is where its URL value stands (in the caller's coordinates)."""
        attribute = link_attribute(tag)
        if attribute is None:
            return
        url = resolve_href(attribute.value, self.base)
        if url is None:
            return
        if tag.name == "a":
            self.anchor = (offset, url, tag.end)
        elif tag.name == "area":
            alt = tag.attributes.get("alt") if tag.attributes else None
            self.found.append((offset, url, (collapse_whitespace(alt.value) or None) if alt else None))
        else:
            self.found.append((offset, url, None))

    def end_anchor(self, markup: str, end: int) -> None:
        """The open ``<a>`` ends at ``end`` of ``markup``; its text is what it held there (an
        ``AltText`` when that is only images)."""
        if self.anchor is not None:
            offset, url, start = self.anchor
            self.found.append((offset, url, link_text(markup, start, end)))
            self.anchor = None


def _base(tag: Tag, base_url: str | None) -> str | None:
    href = tag.attributes.get("href") if tag.attributes else None
    return (resolve_href(href.value, base_url) or base_url) if href else base_url


def html_links(markup: str, base_url: str | None) -> list[tuple[int, str, str | None]]:
    """``(offset of the URL, url, link text)`` for every link of an HTML document, in order."""
    tags = list(scan_tags(markup, _WANTED))
    base = next((_base(tag, base_url) for tag in tags if tag.name == "base" and not tag.is_end), base_url)
    collector = HtmlLinks(base)
    for tag in tags:
        if tag.name == "a" and collector.anchor is not None:  # </a>, or an <a> closing the open one
            collector.end_anchor(markup, tag.offset)
        if not tag.is_end:
            attribute = link_attribute(tag)
            collector.start(tag, url_offset(attribute) if attribute else tag.offset)
    if collector.anchor is not None:
        collector.end_anchor(markup, len(markup))
    collector.found.sort(key=lambda item: item[0])
    return collector.found


def positions(text: str, offsets: list[int]) -> Iterator[tuple[int, int]]:
    """1-based (line, column) of increasing offsets, counting lines without rescanning."""
    line, line_start, previous = 1, 0, 0
    for offset in offsets:
        newlines = text.count("\n", previous, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", previous, offset) + 1
        previous = offset
        yield line, offset - line_start + 1


def extract_html(document: Document) -> list[Link]:
    """Every link occurrence of an HTML document, in document order."""
    found = html_links(document.text, document.base_url)
    places = positions(document.text, [offset for offset, _, _ in found])
    return [
        Link(url, Occurrence(document.source, line, column, text, alt=isinstance(text, AltText)))
        for (_, url, text), (line, column) in zip(found, places, strict=True)
    ]
