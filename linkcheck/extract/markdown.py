"""Links of a Markdown document, read by a compiled CommonMark parser with source positions (comrak).

comrak (GitHub-flavoured CommonMark: tables, strikethrough, footnotes) decides what is a link:
``[text](url)``, ``<autolinks>``, reference links (``[text][x]`` with ``[x]: url``), images,
raw HTML (``<a href>``, ``<img src>`` …, read by the same rules as HTML documents) and bare URLs
in prose, while URLs inside code spans and code blocks are left alone. A reference definition
that no link uses is not a link (nothing in the rendered document points there), as in lychee.

Positions come from the parser's source map (``data-sourcepos`` of every element it renders,
in characters), not from a text search: a link written in the text is reported where its URL
stands; a reference link where it starts (its ``[``), since its URL stands elsewhere. Only two
things have no source position of their own and are found by a forward search inside the
element that holds them: a bare URL in prose, and a raw HTML tag.

The parser is asked to hand every link destination to a callback before it renders it; the
callback keeps the URL exactly as written (entities and escapes decoded, no punycode, no
percent-encoding) and gives the renderer its index instead, so the rendered ``href`` says which
URL it is.
"""

from __future__ import annotations

import html as entities
import re
from bisect import bisect_right
from itertools import accumulate
from collections.abc import Callable, Iterator

import comrak

from ..models import Document, Link, Occurrence
from .hrefs import collapse_whitespace, resolve_href
from .html import LINK_ATTRIBUTES, HtmlLinks, link_attribute, url_offset
from .htmlscan import _TOKEN, AltText, Tag, _token_at, link_text
from .text import find_links

__all__ = ["extract_markdown"]

_TEXT_BLOCKS = frozenset(("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd"))
"""Rendered elements whose text is Markdown prose (bare URLs in it are links)."""
_INLINE = frozenset(("a", "img", "code", "em", "strong", "del", "sup", "sub", "span", "br", "u", "mark", "input"))
"""Rendered inline elements: text after one is still in the block around it."""
_RENDERED_LINK = re.compile(r'<a data-sourcepos="(\d+):(\d+)-(\d+):(\d+)" href="(\d+)"[^>]*>(.*?)</a>', re.DOTALL)
_RENDERED_IMAGE = re.compile(r'<img data-sourcepos="(\d+):(\d+)-(\d+):(\d+)" src="(\d+)" alt="([^"]*)"')
_RAW_LINK_TAG = re.compile(
    r"<(?i:" + "|".join(LINK_ATTRIBUTES) + r")(?=[\t\n\f\r />])(?! data-sourcepos=)(?! href=\"#fn)"
)
"""A link tag the renderer did not make: raw HTML written in the Markdown."""
_RAW_WANTED = frozenset(LINK_ATTRIBUTES)
_ANCHOR_END = re.compile(r"</?a[\t\n\f\r />]", re.IGNORECASE)
_SCHEME_NEEDLES = ("://", "mailto:", "tel:", "]({", "](${")
"""What a bare URL in prose has: ``://`` or one of the common schemes without it. A bare
``javascript:``, ``data:`` … in Markdown prose is not looked for (written as links, they are).
The last two: ``[text]({{ site.baseurl }}/x)``, which CommonMark leaves as text (a placeholder
has spaces) and which is reported as a template placeholder."""
_SOURCEPOS = re.compile(r"(\d+):(\d+)-(\d+):(\d+)")
_SOURCEPOS_ATTRIBUTE = ' data-sourcepos="'
_DESTINATION_START = re.compile(r"\]\([ \t\n]*<?")
_RAW_DESTINATION = re.compile(r"[^\s>)]*")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"<[^>]*>")
_REGIONS: dict[str, tuple[str, str]] = {
    "code": ("<code", "</code>"),
    "link": ("<a ", "</a>"),
    "comment": ("<!--", "-->"),
    "script": ("<script", "</script>"),
    "style": ("<style", "</style>"),
}
"""Parts of the rendered text whose URLs are not prose: code, link text, comments, scripts."""


def _options(rewrite: Callable[[str], str]) -> tuple[object, object, object]:
    extension = comrak.ExtensionOptions()
    extension.table = True
    extension.strikethrough = True
    extension.footnotes = True
    extension.link_url_rewriter = rewrite
    extension.image_url_rewriter = rewrite
    parse = comrak.ParseOptions()
    parse.sourcepos_chars = True
    render = comrak.RenderOptions()
    render.sourcepos = True
    render.unsafe_ = True  # raw HTML and javascript:/data: links are kept, to be reported
    return extension, parse, render


def _decode_destination(raw: str) -> str:
    return _ESCAPED.sub(r"\1", entities.unescape(raw))


def _label(rendered: str) -> str | None:
    """Link text as a reader sees it, from the rendered content of a link (an ``AltText`` when
    the link holds only images: ``[![CI](badge.svg)](…)``)."""
    if "<" in rendered:
        return link_text(rendered, 0, len(rendered))
    if "&" in rendered:
        rendered = entities.unescape(rendered)
    return collapse_whitespace(rendered) or None


class _Document:
    """The Markdown source and its rendering, with the mapping between the two."""

    def __init__(self, text: str, rendered: str, urls: list[str], base_url: str | None) -> None:
        self.text = text
        self.rendered = rendered
        self.urls = urls
        self.base_url = base_url
        self.starts = list(accumulate((len(line) + 1 for line in text.split("\n")[:-1]), initial=0))
        """Offset where each line starts."""
        self._regions: dict[str, tuple[list[int], list[int]]] = {}

    def offset(self, line: int, column: int) -> int:
        index = min(max(line, 1), len(self.starts)) - 1
        return min(self.starts[index] + column - 1, len(self.text))

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        """Source offsets of the first and one past the last character of a matched sourcepos."""
        first_line, first_column, last_line, last_column = map(int, match.groups()[:4])
        return self.offset(first_line, first_column), self.offset(last_line, last_column) + 1

    def url(self, index: str) -> tuple[str, str] | None:
        """(as written, resolved) for the renderer's URL number ``index``."""
        number = int(index)
        written = self.urls[number] if number < len(self.urls) else None
        url = resolve_href(written, self.base_url) if written is not None else None
        return (written, url) if written is not None and url is not None else None

    def destination(self, start: int, end: int, written: str) -> int:
        """Offset of the URL of a link or image spanning ``text[start:end]``.

        comrak ends the span of a link whose destination is on the next line at the ``(``
        (``[text](`` ⏎ ``url)``); the destination is then looked for after it.
        """
        text = self.text
        if text.startswith("<", start):  # autolink
            return start + 1
        last = text[end - 1 : end]
        if last == "]":  # reference link or image: where it starts
            return start
        if last != ")":
            end = min(len(text), end + len(written) + 256)
        candidates = [match.end() for match in _DESTINATION_START.finditer(text, start, end)]
        for offset in reversed(candidates):
            if text.startswith(written, offset):
                return offset
        for offset in reversed(candidates):
            raw = _RAW_DESTINATION.match(text, offset, end)
            if raw is not None and _decode_destination(raw.group()) == written:
                return offset
        return candidates[-1] if candidates else start

    # --- where rendered text stands in the source ----------------------------------------------

    def inside(self, region: str, at: int) -> bool:
        """Whether rendered offset ``at`` is inside a ``region`` (code, link text, comment …)."""
        if region not in self._regions:
            opener, closer = _REGIONS[region]
            rendered = self.rendered
            opens = [m.start() for m in re.finditer(re.escape(opener), rendered)]
            closes = [m.start() for m in re.finditer(re.escape(closer), rendered)] if opens else []
            self._regions[region] = (opens, closes)
        opens, closes = self._regions[region]
        if not opens:
            return False
        last_open = bisect_right(opens, at) - 1
        if last_open < 0:
            return False
        last_close = bisect_right(closes, at) - 1
        return last_close < 0 or closes[last_close] < opens[last_open]

    def context(self, at: int) -> tuple[int, int, int, bool]:
        """For rendered offset ``at``: where to start looking for its text in the source (past the
        last rendered element before it, or at the start of the one around it), where to stop (the
        end of its block), the rendered offset of that element, and whether the block is prose."""
        rendered = self.rendered
        position = at
        cursor: int | None = None
        anchor = -1
        while True:
            found = rendered.rfind(_SOURCEPOS_ATTRIBUTE, 0, position)
            if found == -1:
                return cursor or 0, len(self.text), anchor, False
            opening = rendered.rfind("<", 0, found)
            name = rendered[opening + 1 : found]
            value = _SOURCEPOS.match(rendered, found + len(_SOURCEPOS_ATTRIBUTE))
            start, end = self.span(value) if value else (0, 0)
            is_open = rendered.find(f"</{name}>", found, at) == -1 and name != "img"
            if cursor is None:
                cursor, anchor = (start if is_open else end), found
            if name not in _INLINE:
                return cursor, end, anchor, is_open and name in _TEXT_BLOCKS
            position = opening


def _rendered_links(document: _Document) -> Iterator[tuple[int, str, str | None]]:
    rendered = document.rendered
    for match in _RENDERED_LINK.finditer(rendered):
        found = document.url(match.group(5))
        if found is None:
            continue
        written, url = found
        start, end = document.span(match)
        is_autolink = document.text.startswith("<", start)  # its text is the URL itself
        yield document.destination(start, end, written), url, None if is_autolink else _label(match.group(6))
    if "<img " in rendered:
        for match in _RENDERED_IMAGE.finditer(rendered):
            found = document.url(match.group(5))
            if found is not None:
                written, url = found
                start, end = document.span(match)
                alt = collapse_whitespace(entities.unescape(match.group(6))) or None
                yield document.destination(start, end, written), url, alt


class _Cursor:
    """Forward search in the source, restarted at each rendered element the walk passes."""

    def __init__(self, document: _Document) -> None:
        self.document = document
        self.position = 0
        self.anchor = -2

    def start(self, at: int) -> tuple[int, bool]:
        """Prepare a search for the text at rendered offset ``at``: (limit, is prose)."""
        cursor, limit, anchor, is_prose = self.document.context(at)
        if anchor != self.anchor:
            self.anchor, self.position = anchor, cursor
        return limit, is_prose

    def find(self, needle: str, limit: int | None = None) -> int:
        text = self.document.text
        found = text.find(needle, self.position) if limit is None else text.find(needle, self.position, limit)
        if found != -1:
            self.position = found + len(needle)
        return found


def _raw_links(document: _Document) -> list[tuple[int, str, str | None]]:
    """Links written as raw HTML in the Markdown, read by the HTML rules."""
    rendered = document.rendered
    collector = HtmlLinks(document.base_url)
    cursor = _Cursor(document)
    for candidate in _RAW_LINK_TAG.finditer(rendered):
        at = candidate.start()
        if document.inside("comment", at) or document.inside("script", at) or document.inside("style", at):
            continue
        match = _TOKEN.match(rendered, at)
        tag = _token_at(rendered, match, _RAW_WANTED)[0] if match else None
        if not isinstance(tag, Tag):
            continue
        attribute = link_attribute(tag)
        if attribute is None:
            continue
        cursor.start(at)
        written = rendered[at : tag.end]
        found = cursor.find(written)
        if found != -1:
            offset = found + url_offset(attribute) - at
        else:  # a tag over several lines inside a container: its lines lost their "> " prefix
            found = cursor.find(written.split("\n", 1)[0])
            value = attribute.raw.strip()
            inner = cursor.find(value) if value else -1
            offset = inner if inner != -1 else max(found, cursor.position)
        collector.start(tag, offset)
        if collector.anchor is not None:  # its text runs to </a> or to the next <a>
            close = _ANCHOR_END.search(rendered, tag.end)
            collector.end_anchor(rendered, close.start() if close else len(rendered))
    return collector.found


def _prose_nodes(rendered: str) -> Iterator[int]:
    """Offsets in ``rendered`` worth a look for a bare URL, in order. ``str.find`` is much faster
    on rendered HTML than the URL pattern, whose first character (``:``) is everywhere in it."""
    hits: list[int] = []
    for needle in _SCHEME_NEEDLES:
        position = rendered.find(needle)
        while position != -1:
            hits.append(position)
            position = rendered.find(needle, position + 1)
    hits.sort()
    return iter(hits)


def _prose_links(document: _Document) -> Iterator[tuple[int, str, str | None, str | None]]:
    """Bare URLs in the rendered text of paragraphs, list items, headings and table cells."""
    rendered = document.rendered
    cursor = _Cursor(document)
    done = -1
    for hit in _prose_nodes(rendered):
        if hit < done:
            continue
        node_start = rendered.rfind(">", 0, hit) + 1
        if rendered.rfind("<", 0, hit) >= node_start:
            continue  # inside a tag: an attribute value
        node_end = rendered.find("<", hit)
        node_end = len(rendered) if node_end == -1 else node_end
        done = node_end
        if any(document.inside(region, hit) for region in _REGIONS):
            continue
        node = rendered[node_start:node_end]
        decoded = entities.unescape(node) if "&" in node else node
        found = list(find_links(decoded))
        if not found:
            continue
        limit, is_prose = cursor.start(hit)
        if not is_prose:
            continue
        for _, url, label, note in found:
            offset = -1
            for length in dict.fromkeys((len(url), len(url) // 2, 8)):
                offset = cursor.find(url[:length], limit)
                if offset != -1:
                    break
            yield (offset if offset != -1 else cursor.position), url, label, note


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_WRAPPED_DESTINATION = re.compile(
    r"\]\(([ \t]*)\n(?=[ \t]*(?:<?[A-Za-z][A-Za-z0-9+.\-]*:|<?\.{0,2}/|<?#[^\s#]|<?[\w\-.~%]+[/.#?)]))"
)
"""A line ending between ``](`` and a destination on the next line (``[text](`` ⏎ ``url)``)."""


def _unwrap_destinations(text: str) -> str:
    """The text with each line ending before a wrapped link destination made a space.

    comrak's inline source positions lose a line there: every position after such a link in the
    same paragraph is a line too early (and its column clamped). CommonMark allows spaces or one
    line ending in that place, so the parse is the same; the text keeps its length, so offsets
    are the same; and the next line starts like a URL, so it starts no block.
    """
    if "](" not in text:
        return text
    # the pattern starts with its literal "](", which re looks for at C speed
    return _WRAPPED_DESTINATION.sub(lambda match: "](" + match.group(1) + " ", text)


def extract_markdown(document: Document) -> list[Link]:
    """Every link occurrence of a Markdown document, in source order."""
    text = _normalise_newlines(document.text)
    urls: list[str] = []

    def keep(url: str) -> str:
        urls.append(url)
        return str(len(urls) - 1)

    extension, parse, render = _options(keep)
    parsed = _unwrap_destinations(text)
    rendered = comrak.render_markdown(
        parsed, extension_options=extension, parse_options=parse, render_options=render
    )
    mapped = _Document(parsed, rendered, urls, document.base_url)
    found: list[tuple[int, str, str | None, str | None]] = [
        *((offset, url, label, None) for offset, url, label in (*_rendered_links(mapped), *_raw_links(mapped))),
        *_prose_links(mapped),
    ]
    found.sort(key=lambda item: item[0])
    links: list[Link] = []
    line, line_start, previous = 1, 0, 0
    for offset, url, label, note in found:
        newlines = text.count("\n", previous, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", previous, offset) + 1
        previous = offset
        links.append(Link(url, Occurrence(document.source, line, offset - line_start + 1, label, note,
                                          alt=isinstance(label, AltText))))
    return links
