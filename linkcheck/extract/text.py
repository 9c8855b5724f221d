"""URLs in plain text: bare URLs, ``<autolinks>``, ``[text](url)`` and URLs in parentheses.

One compiled regular expression walks the text once; everything else is done per match and is
bounded by the length of the match (or of its line), so extraction is linear in the input and
never backtracks catastrophically. Line and column are tracked incrementally as matches come in
order, never by recounting from the start.

The same finder serves the Markdown extractor (for text tokens) and the PDF extractor (for page
text), so "what counts as a URL in prose" is decided here only.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from ..models import Document, Link, Occurrence
from ..urls import URI_TEMPLATE_EXPRESSION, template_placeholder

__all__ = [
    "DEFAULT_CHUNK_CHARS",
    "MAX_LINK_TEXT",
    "extract_path",
    "extract_text",
    "find_links",
    "find_urls",
]

DEFAULT_CHUNK_CHARS = 1 << 20
"""Characters read at a time when a large file is streamed from disk."""
MAX_LINK_TEXT = 1000
"""Longest ``[text]`` looked back over for a ``[text](url)`` link."""

_SCHEMES: dict[str, str] = {
    **{
        f"{name}://": ""
        for name in (
            "http",
            "https",
            "ftp",
            "ftps",
            "sftp",
            "file",
            "ws",
            "wss",
            "git",
            "ssh",
            "irc",
            "ircs",
            "nntp",
            "gopher",
            "rtsp",
            "svn",
        )
    },
    # Schemes without "//" need a plausible next character, or prose like "data: …" would match.
    "mailto:": r"(?=[^\s@<>\"]+@)",
    "tel:": r"(?=\+?[0-9(])",
    "sms:": r"(?=\+?[0-9])",
    "javascript:": r"(?=\S)",
    "data:": r"(?=[a-z]+/)",
    "news:": r"(?=\S)",
    "xmpp:": r"(?=\S)",
    "magnet:": r"(?=\?)",
}
"""Schemes recognised in prose; only http(s) are checked, the others become excluded targets."""


_PROSE_STOPS = (
    "\x00-\x1f\x7f"  # control characters: never part of a URL in a report
    "\u3000-\u30ff"  # CJK symbols and punctuation (。、「」), hiragana, katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uff00-\uffef"  # full-width and half-width forms (）（，：)
)
"""Characters that end a bare URL: CJK prose is written without spaces, so the URL stops at the
first ideograph or full-width mark (a link checker reports what the author linked, and an IRI
with CJK in its path is written as a ``[text](url)`` link or percent-encoded in practice)."""


_URL_CHARACTER = r"[^\s<>\"`\[\]{}|\\^\u201c\u201d\u2018\u2019\u00ab\u00bb" + _PROSE_STOPS + "]"


def _compile_url_pattern(guard: str = "") -> re.Pattern[str]:
    """Build the one URL regex so that it starts with the literal ``:`` of the scheme.

    ``re`` searches for a literal first character at C speed, so most of the text is skipped
    without entering the pattern; the scheme before the colon, and the rule that it must not be
    glued to a preceding word ("xhttp://"), are checked by look-behinds. The match therefore
    starts at the colon: ``find_urls`` steps back over the scheme's letters.
    """
    alternatives = []
    for scheme, ahead in _SCHEMES.items():
        name, _, rest = scheme.partition(":")
        alternatives.append(rf"(?<=(?<![^\W\d]|[.+\-])(?i:{name}):){re.escape(rest)}{ahead}")
    return re.compile(
        ":" + guard + "(?:" + "|".join(alternatives) + ")"
        r"(?:[^\s/?#@\[\]<>\"`\x00-\x1f\x7f]*@)?"  # userinfo (no control character anywhere)
        r"(?:\[[0-9A-Fa-f:.]*(?:%[^\]\s\x00-\x1f\x7f]*)?\])?"  # IPv6 literal host
        + _URL_CHARACTER
        + "*"
    )


_URL = _compile_url_pattern()
_URL_IN_HTML = _compile_url_pattern(guard=r'(?![0-9]+-[0-9]+:[0-9]+")')
"""The same, failing at once on the colons of ``data-sourcepos="3:1-3:9"`` in rendered Markdown."""
_SIMPLE_HTTP = re.compile(r"(?i:https?)://[A-Za-z0-9][A-Za-z0-9.\-]*(?::[0-9]{1,5})?(?:[/?#]|\Z)")
"""The common case, which certainly has a host; anything else goes through ``urlsplit``."""
_URL_RUN = re.compile(_URL_CHARACTER + "*")
_PLACEHOLDER_AT = re.compile(
    r"\{\{\{[^\n]{0,200}?\}\}\}|\{\{[^\n]{0,200}?\}\}|\{%[^\n]{0,200}?%\}|" + URI_TEMPLATE_EXPRESSION
)
"""A template placeholder closed on its line, at a ``{`` where a URL stopped."""
_INTERPOLATION_AT = re.compile(r"\{[^{}\n]{1,200}\}")
"""The braces of ``${var}`` or ``#{var}`` (the ``$``/``#`` is already part of the URL)."""
_PLACEHOLDER_DESTINATION = re.compile(r"\]\(<?(?=\{\{|\{%|\$\{)")
"""``[text](`` before a destination that starts with a placeholder (``[About]({{< ref "/about" >}})``)."""
_MAX_PLACEHOLDERS = 16
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")
_MAX_WRAPPED_LINES = 8
"""Most lines one URL inside ``<…>`` is joined from (a URL of 8 × 72 characters is long enough)."""
_SCHEME_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_TRAILING_PUNCTUATION = frozenset(".,;:!?'\"*")
_BRACKETS = re.compile(r"[\[\]]")
_WHITESPACE = re.compile(r"\s")


def _trim(url: str) -> str:
    """Drop what prose glues to a URL: trailing punctuation and unbalanced closing parentheses.

    Balanced parentheses stay (``https://en.wikipedia.org/wiki/Foo_(bar)``). One pass from the
    end with running counts keeps this linear even for a URL followed by a wall of ``)``.
    """
    surplus = url.count(")") - url.count("(")
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING_PUNCTUATION:
            end -= 1
        elif last == ")" and surplus > 0:
            end -= 1
            surplus -= 1
        else:
            break
    return url[:end]


def _is_plausible(url: str) -> bool:
    """Keep only URLs that name something: an http(s) URL must parse and have a host."""
    if _SIMPLE_HTTP.match(url):
        return True
    if template_placeholder(url):
        return True  # reported as a placeholder, never requested
    scheme, _, rest = url.partition(":")
    lowered = scheme.lower()
    if lowered in ("http", "https"):
        try:
            return bool(urlsplit(url).hostname)
        except ValueError:
            return False
    if rest.startswith("//"):
        return len(rest) > 2
    return bool(rest)


def _link_text(text: str, start: int) -> str | None:
    """The ``text`` of ``[text](url)`` when the URL at ``start`` is the target of such a link."""
    i = start - 1
    if i >= 0 and text[i] == "<":
        i -= 1
    if i < 1 or text[i] != "(" or text[i - 1] != "]":
        return None
    close = i - 1
    low = max(0, close - MAX_LINK_TEXT, text.rfind("\n", max(0, close - MAX_LINK_TEXT), close) + 1)
    depth = 0
    for bracket in reversed([m.start() for m in _BRACKETS.finditer(text, low, close)]):
        if text[bracket] == "]":
            depth += 1
        elif depth:
            depth -= 1
        else:
            label = text[bracket + 1 : close].strip()
            return label or None
    return None


def _through_placeholders(text: str, end: int) -> int:
    """Where a URL that stopped at ``text[end]`` really ends when template placeholders continue it.

    ``https://github.com/{{ site.github_user }}/repo`` is one URL of a template, not
    ``https://github.com/``: it is found whole so that it is reported as a placeholder, never
    requested cut short. A placeholder must close on its line; each is bounded in length.
    """
    for _ in range(_MAX_PLACEHOLDERS):
        if end >= len(text) or text[end] != "{":
            break
        match = _INTERPOLATION_AT.match(text, end) if end and text[end - 1] in "$#" else None
        match = match or _PLACEHOLDER_AT.match(text, end)
        if match is None:
            break
        tail = _URL_RUN.match(text, match.end())
        end = tail.end() if tail else match.end()
    return end


def _opens_bracket(text: str, start: int) -> bool:
    """Is the URL at ``start`` delimited by ``<`` (or RFC 1738's ``<URL:``)?"""
    if start and text[start - 1] == "<":
        return True
    return start >= 5 and text[start - 5 : start].upper() == "<URL:"


def _wrapped_rest(text: str, end: int) -> tuple[str, int, int] | None:
    """The rest of a URL wrapped over lines inside ``<…>``: (pieces joined, end offset, lines).

    RFC 3986 (appendix C) has long URIs broken over lines inside angle brackets, the whitespace
    to be ignored when the URI is read; RFCs break them after ``/`` or ``-`` (the hyphen is part
    of the URL: ``draft-ietf-oauth-`` ⏎ ``security-topics-23``). The brackets delimit the URL,
    so only a run that ends at ``>`` is joined: each line holds nothing but a piece of it.
    """
    pieces: list[str] = []
    position = end
    for _ in range(_MAX_WRAPPED_LINES - 1):
        line_break = _LINE_BREAK.match(text, position)
        if line_break is None:
            return None
        position = line_break.end()
        run = _URL_RUN.match(text, position)
        if run is None or run.end() == position:
            return None  # a blank line, or the next line does not go on with the URL
        pieces.append(run.group())
        position = run.end()
        if text.startswith(">", position):
            return "".join(pieces), position, len(pieces) + 1
    return None


def _scheme_urls(text: str, rendered: bool) -> Iterator[tuple[int, str, str | None, str | None]]:
    for match in (_URL_IN_HTML if rendered else _URL).finditer(text):
        start = match.start()
        while start and text[start - 1] in _SCHEME_LETTERS:  # at most the scheme's length
            start -= 1
        end = match.end()
        if end < len(text) and text[end] == "{":
            end = _through_placeholders(text, end)
        if end < len(text) and text[end] in " \t\r\n" and _opens_bracket(text, start):
            wrapped = _wrapped_rest(text, end)
            joined = text[start:end] + wrapped[0] if wrapped is not None else ""
            if wrapped is not None and _is_plausible(joined):
                yield start, joined, _link_text(text, start), f"joined from {wrapped[2]} lines inside <>"
                continue
        url = _trim(text[start:end])
        if _is_plausible(url):
            yield start, url, _link_text(text, start), None


def _placeholder_destinations(text: str) -> Iterator[tuple[int, str, str | None]]:
    """``[text](destination)`` links whose destination starts with a template placeholder.

    They have no scheme, so the URL pattern never sees them, and CommonMark does not take them
    for links (a placeholder has spaces); they are still the author's links, to be reported as
    placeholders rather than silently left out.
    """
    for match in _PLACEHOLDER_DESTINATION.finditer(text):
        start = end = match.end()
        if text.startswith("$", end):
            end += 1
        end = _through_placeholders(text, end)
        url = _trim(text[start:end])
        if template_placeholder(url):
            yield start, url, _link_text(text, start), None


def find_links(text: str, *, rendered: bool = False) -> Iterator[tuple[int, str, str | None, str | None]]:
    """Yield ``(offset, url, link_text, note)`` for every URL in ``text``, in order.

    ``offset`` is the index of the URL's first character; ``link_text`` is set for ``[text](url)``;
    ``note`` says how the URL was read when it is not written in one piece (wrapped over lines
    inside ``<…>``). ``rendered`` says the text is rendered Markdown with source positions
    (skipped quickly). Never raises, whatever the text.
    """
    found = _scheme_urls(text, rendered)
    if "](" in text and ("]({" in text or "](${" in text or "](<{" in text):
        found = heapq.merge(found, _placeholder_destinations(text), key=lambda item: item[0])
    yield from found


def find_urls(text: str, *, rendered: bool = False) -> Iterator[tuple[int, str, str | None]]:
    """``(offset, url, link_text)`` of ``find_links``, for callers that need no note."""
    for offset, url, label, _ in find_links(text, rendered=rendered):
        yield offset, url, label


class _Cursor:
    """Turns increasing offsets into 1-based (line, column) without rescanning the text."""

    def __init__(self) -> None:
        self.line = 1
        self.line_start = 0
        self.pos = 0

    def locate(self, text: str, offset: int) -> tuple[int, int]:
        newlines = text.count("\n", self.pos, offset)
        if newlines:
            self.line += newlines
            self.line_start = text.rfind("\n", self.pos, offset) + 1
        self.pos = offset
        return self.line, offset - self.line_start + 1

    def next_chunk(self, text: str) -> None:
        """Move past the end of ``text``; offsets of the next chunk start at 0 again."""
        self.locate(text, len(text))
        self.line_start -= len(text)
        self.pos = 0


def _links_in(text: str, source: str, cursor: _Cursor) -> Iterator[Link]:
    for offset, url, label, note in find_links(text):
        line, column = cursor.locate(text, offset)
        yield Link(url, Occurrence(source, line, column, label, note))


def extract_text(document: Document) -> list[Link]:
    """Every URL occurrence of a plain-text document (streamed from disk when it is large)."""
    if not document.text and document.path is not None:
        return list(extract_path(document.path, document.source))
    return list(_links_in(document.text, document.source, _Cursor()))


def _split_point(chunk: str) -> int:
    """Where a chunk can be cut without cutting a URL: after its last newline or whitespace."""
    cut = chunk.rfind("\n")
    if cut == -1:
        spaces = [m.start() for m in _WHITESPACE.finditer(chunk, max(0, len(chunk) - 4096))]
        cut = spaces[-1] if spaces else len(chunk) - 1
    return cut + 1


def extract_path(path: Path, source: str, *, chunk_chars: int = DEFAULT_CHUNK_CHARS) -> Iterator[Link]:
    """Stream a large text file in chunks so that memory stays bounded whatever its size.

    The file is decoded as UTF-8 (a BOM is honoured) with replacement: a file this large is not
    worth a charset guess, and URLs are ASCII in practice. URLs contain no whitespace, so cutting
    chunks at whitespace never splits one.
    """
    cursor = _Cursor()
    carry = ""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        while True:
            block = handle.read(chunk_chars)
            if not block:
                break
            chunk = carry + block
            cut = _split_point(chunk)
            chunk, carry = chunk[:cut], chunk[cut:]
            yield from _links_in(chunk, source, cursor)
            cursor.next_chunk(chunk)
    if carry:
        yield from _links_in(carry, source, cursor)
