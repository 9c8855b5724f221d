"""Links of a Markdown document, read by a real CommonMark parser (markdown-it-py).

A parser, not a regex, decides what is a link: ``[text](url)``, ``<autolinks>``, reference links
(``[text][x]`` with ``[x]: url``), images, raw HTML ``<a href>`` and bare URLs in prose, while
URLs inside code spans and code blocks are left alone. The parser gives line ranges; the column is
found by looking the URL up in the source lines of that block.
"""

from __future__ import annotations

import html
import importlib.util
import re
from collections.abc import Iterator, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..models import Document, Link, Occurrence
from .hrefs import collapse_whitespace, resolve_href
from .text import find_urls

__all__ = ["extract_markdown"]

_INLINE_TAG = re.compile(r"<(a|area|img|iframe)\b([^>]*)>", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def _keep_as_written(url: str) -> str:
    return url


def _accept_any(url: str) -> bool:
    return True


def _make_parser() -> MarkdownIt:
    """CommonMark plus tables, with links kept exactly as written.

    markdown-it would punycode hosts, percent-encode paths and drop ``javascript:``/``data:``
    links; a link checker must report what the author wrote, and show odd schemes as excluded.
    Bare URLs are linkified by the parser when linkify-it-py is installed (schemes only, no
    ``www.`` guessing); otherwise the plain-text finder runs over the text tokens.
    """
    if importlib.util.find_spec("linkify_it") is None:
        parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    else:  # pragma: no cover - depends on an optional package
        parser = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "strikethrough", "linkify"])
        if parser.linkify is not None:
            parser.linkify.set({"fuzzy_link": False, "fuzzy_email": False, "fuzzy_ip": False})
    parser.normalizeLink = _keep_as_written  # type: ignore[method-assign]
    parser.normalizeLinkText = _keep_as_written  # type: ignore[method-assign,assignment]
    parser.validateLink = _accept_any  # type: ignore[method-assign]
    return parser


_PARSER = _make_parser()


class _Locator:
    """Finds successive strings in the source lines of one block, moving forward only."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.line = 0
        self.column = 0
        self.end = 0

    def start_block(self, line_map: Sequence[int]) -> None:
        self.line, self.end = line_map[0], min(line_map[1], len(self.lines))
        self.column = 0

    def find(self, *needles: str) -> tuple[int, int] | None:
        """1-based position of the first needle found at or after the cursor (cursor moves past it)."""
        for needle in needles:
            if not needle:
                continue
            for index in range(self.line, self.end):
                start = self.column if index == self.line else 0
                found = self.lines[index].find(needle, start)
                if found != -1:
                    self.line, self.column = index, found + len(needle)
                    return index + 1, found + 1
        return None

    def here(self) -> tuple[int, int]:
        return self.line + 1, self.column + 1


def _label(tokens: Sequence[Token]) -> str | None:
    """Link text as a reader sees it: emphasis markers gone, line breaks as spaces."""
    pieces: list[str] = []
    for token in tokens:
        if token.type in ("text", "code_inline", "image"):
            pieces.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return collapse_whitespace("".join(pieces)) or None


def _until(children: Sequence[Token], start: int, is_end: Any) -> int:
    """Index of the first child at or after ``start`` that closes the current link."""
    index = start
    while index < len(children) and not is_end(children[index]):
        index += 1
    return index


class _InlineWalker:
    """Turns the children of one inline token into links, in source order."""

    def __init__(self, source: str, locator: _Locator, base_url: str | None) -> None:
        self.source = source
        self.locator = locator
        self.base_url = base_url
        self.hrefs: set[str] = set()

    def _link(self, written: str, text: str | None, *needles: str) -> Iterator[Link]:
        url = resolve_href(written, self.base_url)
        if url is None:
            return
        self.hrefs.add(written.strip())
        line, column = self.locator.find(written.strip(), *needles) or self.locator.here()
        yield Link(url, Occurrence(self.source, line, column, text))

    def walk(self, children: Sequence[Token]) -> Iterator[Link]:
        index = 0
        while index < len(children):
            child = children[index]
            if child.type == "link_open":
                end = _until(children, index + 1, lambda t: t.type == "link_close")
                inner = children[index + 1 : end]
                yield from self._images(inner)
                is_auto = child.markup in ("autolink", "linkify")
                label = None if is_auto else _label(inner)
                yield from self._link(str(child.attrGet("href") or ""), label, f"[{label}" if label else "")
                index = end
            elif child.type == "image":
                yield from self._images([child])
            elif child.type == "html_inline":
                found, index = self._html_inline(children, index)
                yield from found
            elif child.type == "text":
                for _, url, label in find_urls(child.content):
                    yield from self._link(url, label)
            elif child.type == "code_inline":
                self.locator.find(child.content)
            index += 1

    def _images(self, tokens: Sequence[Token]) -> Iterator[Link]:
        for token in tokens:
            if token.type == "image":
                alt = collapse_whitespace(token.content) or None
                yield from self._link(str(token.attrGet("src") or ""), alt)

    def _html_inline(self, children: Sequence[Token], index: int) -> tuple[list[Link], int]:
        """An inline ``<a href>`` (text up to its ``</a>``) or ``<img src>``, and where to go on."""
        tag = _INLINE_TAG.match(children[index].content)
        attribute = _URL_ATTRIBUTE.search(tag.group(2)) if tag else None
        if tag is None or attribute is None:
            return [], index
        raw = next(group for group in attribute.groups() if group is not None)
        name = tag.group(1).lower()
        label: str | None = None
        end = index
        if name == "a":
            end = _until(
                children, index + 1, lambda t: t.type == "html_inline" and t.content.startswith("</a")
            )
            label = _label(children[index + 1 : end])
        return list(self._link(html.unescape(raw), label, raw)), end


def _source_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _unused_references(
    env: dict[str, Any], hrefs: set[str], source: str, lines: Sequence[str], base_url: str | None
) -> Iterator[Link]:
    """Reference definitions no link uses: still URLs in the document, without link text."""
    for reference in env.get("references", {}).values():
        href = str(reference.get("href", "")).strip()
        url = resolve_href(href, base_url)
        if url is None or href in hrefs:
            continue
        hrefs.add(href)
        locator = _Locator(lines)
        locator.start_block(reference.get("map") or (0, len(lines)))
        line, column = locator.find(href) or locator.here()
        yield Link(url, Occurrence(source, line, column, None))


def extract_markdown(document: Document) -> list[Link]:
    """Every link occurrence of a Markdown document, in source order."""
    env: dict[str, Any] = {}
    tokens = _PARSER.parse(document.text, env)
    lines = _source_lines(document.text)
    locator = _Locator(lines)
    walker = _InlineWalker(document.source, locator, document.base_url)
    links: list[Link] = []
    last_map: Sequence[int] = (0, len(lines))
    for token in tokens:
        if token.map:
            last_map = token.map
        if token.type == "inline":
            locator.start_block(last_map)
            links.extend(walker.walk(token.children or []))
        elif token.type == "html_block":
            from .html import extract_html_fragment  # bs4 is loaded only for documents with raw HTML

            fragment = extract_html_fragment(
                token.content, document.source, first_line=last_map[0] + 1, base_url=document.base_url
            )
            walker.hrefs.update(link.url for link in fragment)
            links.extend(fragment)
    links.extend(_unused_references(env, walker.hrefs, document.source, lines, document.base_url))
    links.sort(key=lambda link: (link.occurrence.line, link.occurrence.column))
    return links
