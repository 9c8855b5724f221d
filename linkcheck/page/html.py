"""HTML → ``Page``: title candidates, publisher, anchors, visible text and language, in one capped pass.

The body is a prefix and may be hostile: parsing never raises and its work is capped.
"""

from __future__ import annotations

import contextlib
import html
import re
from html.parser import HTMLParser

from ..models import Fetch, Page
from .charset import decode_html_noting
from .jsonld import jsonld_facts
from .text import MAX_TITLE, clean

__all__ = ["DEFAULT_MAX_PARSE", "DEFAULT_MAX_TEXT", "parse_html", "primary_language"]

DEFAULT_MAX_PARSE = 1024 * 1024
"""Most characters of a body handed to the HTML parser: caps the work on hostile pages."""
DEFAULT_MAX_TEXT = 4096
"""Most characters of visible text kept in ``Page.text``."""
_MAX_ANCHORS = 20_000
_MAX_JSONLD = 200_000
_MAX_JSONLD_SCRIPTS = 8

_HIDDEN = frozenset({"script", "style", "template", "head", "noscript", "svg", "math", "iframe", "object"})
_META_TITLES = {
    "og:title": "og:title",
    "twitter:title": "twitter:title",
    "citation_title": "citation_title",
    "dc.title": "dc.title",
    "dcterms.title": "dc.title",
}
_META_PUBLISHERS = ("og:site_name", "citation_publisher", "json-ld", "application-name", "dc.publisher")
_META_DESCRIPTIONS = ("description", "og:description", "twitter:description", "dc.description")
_MAX_DESCRIPTION = 500
_SIGNAL_ORDER = ("title", "og:title", "twitter:title", "citation_title", "dc.title", "json-ld:headline", "h1")


class _PageParser(HTMLParser):
    """One pass over the (title-less) document collecting everything ``Page`` needs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.metas: dict[str, str] = {}
        self.anchors: set[str] = set()
        self.language: str | None = None
        self.h1: str | None = None
        self.jsonld: list[str] = []
        self._h1_depth = 0
        self._h1_parts: list[str] = []
        self._hidden: list[str] = []
        self._jsonld_parts: list[str] | None = None
        self._text: list[str] = []
        self._text_len = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        ident = values.get("id")
        if ident and len(self.anchors) < _MAX_ANCHORS:
            self.anchors.add(ident[:512])
        if tag == "a" and values.get("name") and len(self.anchors) < _MAX_ANCHORS:
            self.anchors.add(values["name"][:512])
        if tag == "html" and self.language is None:
            self.language = primary_language(values.get("lang") or values.get("xml:lang"))
        elif tag == "meta":
            self._meta(values)
        elif tag == "h1" and self.h1 is None:
            self._h1_depth = 1
        elif self._h1_depth:
            self._h1_depth += 1
        if tag == "body" and self._hidden and self._hidden[0] == "head":  # </head> is optional
            self._hidden.clear()
        if (tag in _HIDDEN and tag != "head") or (tag == "head" and not self._hidden):
            self._hidden.append(tag)
            if tag == "script" and "ld+json" in (values.get("type") or "").lower():
                self._jsonld_parts = []
        self._space()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        if values.get("id") and len(self.anchors) < _MAX_ANCHORS:
            self.anchors.add(values["id"][:512])
        if tag == "meta":
            self._meta(values)
        elif tag == "a" and values.get("name") and len(self.anchors) < _MAX_ANCHORS:
            self.anchors.add(values["name"][:512])

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and tag == self._hidden[-1]:
            self._hidden.pop()
            if tag == "script" and self._jsonld_parts is not None:
                if len(self.jsonld) < _MAX_JSONLD_SCRIPTS:
                    self.jsonld.append("".join(self._jsonld_parts))
                self._jsonld_parts = None
        elif tag in ("body", "head") and self._hidden and self._hidden[0] == "head":
            self._hidden.clear()
        if self._h1_depth:
            self._h1_depth -= 1 if tag != "h1" else self._h1_depth
            if not self._h1_depth:
                self.h1 = clean("".join(self._h1_parts)) or None
                if self.h1 is None:
                    self._h1_parts = []
        self._space()

    def handle_data(self, data: str) -> None:
        if self._jsonld_parts is not None:
            if sum(map(len, self._jsonld_parts)) < _MAX_JSONLD:
                self._jsonld_parts.append(data)
            return
        if self._h1_depth and self.h1 is None:
            self._h1_parts.append(data)
        if not self._hidden and self._text_len < DEFAULT_MAX_TEXT:
            self._text.append(data)
            self._text_len += len(data)

    def _space(self) -> None:
        if not self._hidden and self._text_len < DEFAULT_MAX_TEXT:
            self._text.append(" ")

    def _meta(self, values: dict[str, str]) -> None:
        key = (values.get("property") or values.get("name") or values.get("itemprop") or "").strip().lower()
        content = values.get("content")
        if key and content and key not in self.metas:
            self.metas[key] = content
        if (values.get("http-equiv") or "").lower() == "content-language" and self.language is None:
            self.language = primary_language(content)

    @property
    def text(self) -> str:
        return clean("".join(self._text), DEFAULT_MAX_TEXT)


def primary_language(value: str | None) -> str | None:
    """``"en-GB"`` → ``"en"``; ``"ja, en"`` → ``"ja"``; junk → None."""
    if not value:
        return None
    tag = re.split(r"[-_,;\s]", value.strip(), maxsplit=1)[0].lower()
    return tag if re.fullmatch(r"[a-z]{2,3}", tag) else None


_TITLE_SCAN = re.compile(r"<(?:!--|(/?)(title|script|style|svg|math|template|textarea|noscript|head|body)(?=[\s/>]|$))",
                         re.IGNORECASE)
_SKIPPED = frozenset({"script", "style", "svg", "math", "template", "textarea", "noscript"})
"""Elements whose content never holds the document's own ``<title>``: raw text (script and style
strings, a ``<title>`` written into a script), foreign content (an icon's ``<svg><title>``),
inert templates. Their content is jumped over to their closing tag."""


def _find_title(text: str) -> tuple[str | None, str]:
    """The document's own ``<title>`` text and the document without it.

    One forward scan over tag openings (plain string search, linear on hostile input): comments
    and the content of script, style, svg, math, template, textarea and noscript are skipped to
    their end, so an icon's ``<svg><title>``, a ``"<title>"`` inside a script string or a template
    never count, and the real title is found wherever it stands before ``</head>`` (or, on pages
    without a head, later). The title is RCDATA: markup inside it is plain text. A title cut by
    the end of the prefix is still read.
    """
    position = 0
    while True:
        match = _TITLE_SCAN.search(text, position)
        if match is None:
            return None, text
        closing, name = match.group(1), (match.group(2) or "").lower()
        if not name:  # a comment
            end = text.find("-->", match.end())
            if end == -1:
                return None, text
            position = end + 3
            continue
        if closing or name in ("head", "body"):
            position = match.end()
            continue
        open_end = text.find(">", match.end())
        if open_end == -1:
            return None, text[: match.start()]
        if name in _SKIPPED:
            if text[open_end - 1] == "/":  # <svg/>: nothing inside
                position = open_end + 1
                continue
            close = _find_close(text, name, open_end + 1)
            if close == -1:
                return None, text
            position = close
            continue
        close = _find_close(text, "title", open_end + 1)
        raw = text[open_end + 1 : close if close != -1 else open_end + 1 + MAX_TITLE]
        if close == -1:
            raw = raw.split("<", 1)[0]
        rest = text[: match.start()] + (text[close:] if close != -1 else "")
        return clean(html.unescape(raw)) or None, rest


_OPENERS: dict[str, re.Pattern[str]] = {}


def _find_close(text: str, name: str, start: int) -> int:
    """Index of the ``</name`` that closes an element opened before ``start`` (nested svg counted), or -1."""
    opener = _OPENERS.get(name) or _OPENERS.setdefault(name, re.compile(rf"<(/?){name}(?=[\s/>]|$)", re.IGNORECASE))
    depth = 1
    position = start
    while True:
        match = opener.search(text, position)
        if match is None:
            return -1
        if match.group(1):
            depth -= 1
            if depth == 0 or name not in ("svg", "math", "template"):
                return match.start()
        elif name in ("svg", "math", "template"):
            depth += 1
        position = match.end()


def _defuse_tail(text: str) -> str:
    """Make markup after the last ``>`` plain text.

    Everything after the last ``>`` is an unfinished construct (a prefix cut mid-tag, or junk).
    ``html.parser`` rescans such a tail to its end once per ``<`` in it, which is quadratic on
    hostile input ("</" a million times); as text it costs one pass and loses nothing real.
    """
    last = text.rfind(">")
    if last == -1 or "<" in text[last + 1 :]:
        return text[: last + 1] + text[last + 1 :].replace("<", " ")
    return text



def parse_html(fetch: Fetch) -> Page:
    text, charset, charset_note = decode_html_noting(fetch.body, fetch.header("content-type"))
    # The title is searched in everything read (a linear scan; the client reads past its usual cap
    # only while the head is open), the parser gets the first DEFAULT_MAX_PARSE characters.
    title, rest = _find_title(text)
    parser = _PageParser()
    with contextlib.suppress(Exception):  # html.parser may assert on broken tails; keep what was read
        parser.feed(_defuse_tail(rest[:DEFAULT_MAX_PARSE]))
        parser.close()
    if parser._h1_depth and parser.h1 is None:  # h1 cut by the end of the prefix
        parser.h1 = clean("".join(parser._h1_parts)) or None
    headline, ld_publisher, ld_published = jsonld_facts(parser.jsonld)
    metas = parser.metas
    found: dict[str, str | None] = {"title": title, "json-ld:headline": headline, "h1": parser.h1}
    for key, signal in _META_TITLES.items():
        if signal not in found or not found[signal]:
            found[signal] = clean(html.unescape(metas.get(key, ""))) or None
    candidates: list[tuple[str, str]] = []
    seen: set[str] = set()
    for signal in _SIGNAL_ORDER:
        value = found.get(signal)
        if value and value not in seen:
            seen.add(value)
            candidates.append((signal, value))
    publishers = {**metas, "json-ld": ld_publisher or ""}
    publisher = next((clean(publishers[k], 200) for k in _META_PUBLISHERS if publishers.get(k)), None)
    language = (parser.language or primary_language(metas.get("og:locale"))
                or primary_language(fetch.header("content-language")))
    description = next((clean(html.unescape(metas[k]), _MAX_DESCRIPTION) for k in _META_DESCRIPTIONS if metas.get(k)), None)
    return Page(
        is_html=True,
        description=description or None,
        title=title,
        candidates=tuple(candidates),
        publisher=publisher or None,
        h1=parser.h1,
        anchors=frozenset(parser.anchors),
        text=parser.text,
        language=language,
        charset=charset,
        charset_note=charset_note,
        published=_published({**metas, "json-ld": ld_published or ""}),
    )


_META_DATES = ("article:published_time", "citation_publication_date", "citation_date", "datepublished", "json-ld",
               "dc.date", "dcterms.date", "dc.date.issued")
_ISO_DAY = re.compile(r"((?:19|20)\d\d)[-/](\d\d)[-/](\d\d)")


def _published(metas: dict[str, str]) -> str | None:
    """The page's publication day as ``YYYY-MM-DD``, from the first date metadata that has one."""
    for key in _META_DATES:
        match = _ISO_DAY.search(metas.get(key, ""))
        if match:
            return "-".join(match.groups())
    return None

