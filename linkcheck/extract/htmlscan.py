"""A fast HTML tokenizer for link extraction: tags with the offset of each attribute value.

Link extraction needs no tree, only the start and end tags of a few elements, the text between
``<a>`` and ``</a>``, and exactly where each attribute value stands in the source. This tokenizer
follows the HTML standard's tokenization where it matters for that: comments, ``<!…>`` and
``<?…>`` declarations, the raw text of ``<script>``, ``<style>``, ``<textarea>``, ``<title>`` and
the like (no tags inside), attributes quoted, single-quoted or bare, a tag left open at the end of
input dropped, and the first of two attributes with the same name kept. It never raises and is
linear: every token is one regular-expression match, and only the tags a caller asks for have
their attributes read.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .hrefs import collapse_whitespace

__all__ = ["AltText", "Attribute", "Tag", "Text", "link_text", "scan", "scan_tags"]

_SPACE = "\t\n\f\r "
_TOKEN = re.compile(
    r"<(?:"
    r"(!--)"  # 1: comment
    r"|(/?)([A-Za-z][^\t\n\f\r />]*)"  # 2: end-tag slash, 3: tag name
    r"(?>((?:[\t\n\f\r /]+|[^\t\n\f\r />][^\t\n\f\r /=>]*"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"[^\"]*\"|'[^']*'|[^\t\n\f\r >]*))?)*))"  # 4: attributes
    r"(>)?"  # 5: closed
    r"|([!?])"  # 6: declaration or processing instruction (a bogus comment)
    r")"
)
_ATTRIBUTE = re.compile(
    r"[\t\n\f\r /]*([^\t\n\f\r />][^\t\n\f\r /=>]*)"
    r"(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:\"([^\"]*)\"|'([^']*)'|([^\t\n\f\r >]*)))?"
)
_RAW_TEXT = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"))
"""Elements whose content is text up to their end tag, never markup."""


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    """Lower-cased."""
    value: str
    """Character references decoded."""
    offset: int
    """Offset of the value's first character in the markup (after the quote)."""
    raw: str
    """The value as written."""


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    """Lower-cased."""
    offset: int
    """Offset of the ``<``."""
    end: int
    """Offset just past the ``>``."""
    is_end: bool
    attributes: dict[str, Attribute] | None
    """Read only for the tags asked for (else None)."""


@dataclass(frozen=True, slots=True)
class Text:
    offset: int
    end: int


def _attributes(markup: str, start: int, end: int) -> dict[str, Attribute]:
    found: dict[str, Attribute] = {}
    position = start
    while position < end:
        match = _ATTRIBUTE.match(markup, position, end)
        if match is None or match.end() == position:
            break
        position = match.end()
        name = match.group(1).lower()
        if name in found:
            continue
        for group in (2, 3, 4):
            raw = match.group(group)
            if raw is not None:
                found[name] = Attribute(name, html.unescape(raw), match.start(group), raw)
                break
        else:
            found[name] = Attribute(name, "", match.end(1), "")
    return found


def _raw_text_end(markup: str, name: str, position: int) -> int:
    """Offset of the end tag that closes a raw-text element opened before ``position``."""
    closer = re.compile(rf"</{re.escape(name)}(?=[\t\n\f\r />])", re.IGNORECASE)
    match = closer.search(markup, position)
    return match.start() if match else len(markup)


def _token_at(markup: str, match: re.Match[str], wanted: frozenset[str]) -> tuple[Tag | Text | None, int]:
    """The token a ``_TOKEN`` match starts, and where scanning goes on after it (and its raw text)."""
    length = len(markup)
    start = match.start()
    if match.group(1):  # comment: "<!-->" and "<!--->" end at once, as in browsers
        after = match.end()
        if markup.startswith(">", after):
            return None, after + 1
        if markup.startswith("->", after):
            return None, after + 2
        close = markup.find("-->", after)
        return None, length if close == -1 else close + 3
    if match.group(6):
        close = markup.find(">", match.end())
        return None, length if close == -1 else close + 1
    if match.group(5) is None:  # a tag still open at the end of input is dropped
        return None, length
    name = match.group(3).lower()
    is_end = bool(match.group(2))
    attributes = _attributes(markup, match.start(4), match.end(4)) if name in wanted and not is_end else None
    tag = Tag(name, start, match.end(), is_end, attributes)
    if not is_end and name in _RAW_TEXT:
        return tag, _raw_text_end(markup, name, match.end())
    return tag, match.end()


def scan(markup: str, wanted: frozenset[str]) -> Iterator[Tag | Text]:
    """Tags and text runs of ``markup`` in order; tags named in ``wanted`` have their attributes.

    Text inside comments, declarations and raw-text elements is not yielded, except that the text
    of ``<title>`` and ``<textarea>`` is (it is text a reader sees).
    """
    position = 0
    length = len(markup)
    search = _TOKEN.search
    while position < length:
        match = search(markup, position)
        if match is None:
            yield Text(position, length)
            return
        if match.start() > position:
            yield Text(position, match.start())
        token, position = _token_at(markup, match, wanted)
        if token is not None:
            yield token
            if token.name in ("title", "textarea") and not token.is_end and position > token.end:
                yield Text(token.end, position)


def _skipper(names: frozenset[str]) -> re.Pattern[str]:
    """Matches everything up to the next token that matters: a tag in ``names``, a comment, a
    declaration or a raw-text element. Other tags are consumed whole, quoted values included, so
    a ``<a`` inside ``title="…"`` is not taken for a tag."""
    alternatives = "|".join(sorted(re.escape(name) for name in names | _RAW_TEXT))
    interesting = rf"(?i:[!?]|/?(?:{alternatives})(?=[\t\n\f\r />]|\Z))"
    return re.compile(
        r"(?:[^<]++|<(?!" + interesting + r")(?:/?[A-Za-z][^\t\n\f\r />]*+"
        r"(?:[\t\n\f\r /]++|[^\t\n\f\r />][^\t\n\f\r /=>]*+"
        r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+'|[^\t\n\f\r >]*+))?)*+>?)?)*+"
    )


_SKIPPERS: dict[frozenset[str], re.Pattern[str]] = {}


def scan_tags(markup: str, wanted: frozenset[str]) -> Iterator[Tag]:
    """Only the start and end tags named in ``wanted``, in order, as ``scan`` would see them.

    Everything between is skipped by one regular expression, so a page costs little more than
    its links.
    """
    skipper = _SKIPPERS.get(wanted)
    if skipper is None:
        skipper = _SKIPPERS[wanted] = _skipper(wanted)
    position = 0
    length = len(markup)
    match_token = _TOKEN.match
    while True:
        position = skipper.match(markup, position).end()  # type: ignore[union-attr]
        if position >= length:
            return
        match = match_token(markup, position)
        if match is None:  # cannot happen: the skipper stops only at a "<" that starts a token
            position += 1
            continue
        token, position = _token_at(markup, match, wanted)
        if isinstance(token, Tag) and token.name in wanted:
            yield token


class AltText(str):
    """Link text that is only the ``alt`` of the images a link holds (``<a><img alt="CI"></a>``).

    A ``str`` (every extractor passes it on as link text); ``Occurrence.alt`` is set from it."""

    __slots__ = ()


def link_text(markup: str, start: int, end: int) -> str | None:
    """The text a reader sees in ``markup[start:end]`` (the content of a link), character
    references decoded, whitespace collapsed, with the ``alt`` of images in it; an ``AltText``
    when the images are all it shows (``<a><img alt="CI"></a>``); None when it shows nothing."""
    piece = markup[start:end]
    if "<" not in piece and "&" not in piece:
        return collapse_whitespace(piece) or None
    pieces: list[str] = []
    images, has_words = 0, False
    for token in scan(piece, frozenset(("img",))):
        if isinstance(token, Text):
            words = html.unescape(piece[token.offset : token.end])
            pieces.append(words)
            has_words = has_words or bool(words.strip())
        elif token.name == "img" and not token.is_end:
            images += 1
            alt = token.attributes.get("alt") if token.attributes is not None else None
            if alt is not None:
                pieces.append(f" {alt.value} ")
    text = collapse_whitespace("".join(pieces)) or None
    return AltText(text) if text is not None and images and not has_words else text
