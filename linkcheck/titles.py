"""Page titles: read title candidates from a page body, score them against the expected source.

Two pure halves:

* ``parse_page(fetch) -> Page`` reads what a page says about itself: title candidates (``<title>``,
  ``og:title``, ``twitter:title``, ``citation_title``, ``dc.title``, JSON-LD ``headline``/``name``,
  the first ``<h1>``; for PDFs the metadata title, XMP ``dc:title`` or the largest text on page 1),
  the publisher, every anchor, a few KB of visible text and the language. The body is a prefix
  and may be hostile: parsing never raises and its work is capped.
* ``compare_title(expected, page, threshold=...) -> TitleCheck`` says whether the page is the
  cited source.

Scoring (``similarity``). Both titles are normalised (NFKC, casefold, dashes and quotes folded,
accents stripped from Latin/Greek/Cyrillic letters, punctuation removed, whitespace collapsed) and
split into words (CJK text into characters). Words match when equal, equal after a crude English
stem ("joins"/"joining"), close in spelling (long words only: "organisation"/"organization"), when
one side's acronym spells the other side's words ("EU" / "European Union", "CEPA"), or when both
name the same country ("Japanese" / "Japan"). Each distinct word weighs 1, except stop words (0),
words naming the kind of document ("press release", "statement", "factsheet": 0.3, link texts swap
them freely) and, in the page title, dates ("(May 12, 2022)": 0.2). The score is

    100 × (0.8 × coverage + 0.2 × token_sort_ratio)

where *coverage* is the weighted share of the expected title's words found in the page title times
the square root of the share of the page title's words explained by the expected title. The square
root keeps a short citation of a long title high ("EU-Japan Joint Statement" for "Joint statement
of the EU-Japan Summit 2022": 83), while a subset stays low ("Press release" for "Press release: EU
and Japan sign digital partnership": 34). rapidfuzz's ``token_set_ratio`` is *not* used: it scores
every subset 100. ``token_sort_ratio`` (order-free) adds a little credit for near spellings.
Words of the site's own name are not required of the page title ("World Health Organization:
Obesity fact sheet" for "Obesity and overweight" on who.int). An expected number of a kind the
page title has none of (an ordinal against a date) is unconfirmed, not missing (weight 0.3).

Contradictions: when both titles carry numbers of one kind (years, ordinals, "G7"/"G20") and none
is shared, or name different countries ("EU-Japan" / "EU-Korea"), the score is cut by 40 %.

Site names. Page titles carry their site as a prefix or suffix ("Joint statement … - Consilium").
A title is split on `` | ``, `` - ``, `` – ``, `` — ``, `` :: ``, `` · `` (and `` / ``, `` : ``, `` » ``). An
edge segment that names the site (``og:site_name``/publisher, a label of the host, the host label
as an acronym: "mofa" for "Ministry of Foreign Affairs") is dropped and only the rest is scored. A
short edge segment (≤ 5 words) that merely looks like a site name is a guess: the title is scored
with and without it, the latter at 90 %, and the best score wins. The site part alone is never a
candidate.

Threshold. ``DEFAULT_TITLE_THRESHOLD`` (52) was chosen on the labelled set in
``tests/data/titles.jsonl`` (106 hand-written pairs): the sweep (``python
tests/test_title_dataset.py``) is best between 51.3 and 53.5, where precision of
``title_mismatch`` is 0.958 and recall 0.92; 52 sits inside that band. Scores are compressed
(a faithful short citation of a long title often scores 55–75), so 52 is not "half similar".

Verdict rules of ``compare_title``:

* Nothing known at all (no expectation and no title): ``None``.
* No expected title, or no title found: ``match=None``.
* Expected title is generic ("Home", "Press release", "here", "Statement" …, see
  ``is_stop_title``): ``match=None``, detail ``generic_expected`` — it cannot prove anything.
* Every candidate the page offers is generic ("Page not found", "Just a moment...", "Home |
  Site"): ``match=False``, detail ``generic_title``.
* Language: if the found title is written mostly in another script than the expected title
  (CJK vs Latin, Cyrillic vs Latin …) and does not reach the threshold, ``match=None``, detail
  ``title_unverifiable``: the link is fine by every other measure, and an English link text cannot
  contradict a Japanese page. The same holds for same-script languages: the language of each
  title is guessed from its function words ("the/of/and", "der/und/für", "le/et/pour" …); the
  expected title falls back to English when it is plain ASCII, the found title to the page's
  ``language``. When both are known and differ, a low score is ``title_unverifiable`` rather than
  a mismatch — unless the titles contradict each other in facts any language shares (different
  years, different countries: "Scholz visits Japan" vs "Scholz besucht Indien"), which stays a
  mismatch. A high score is still a match; a low one is never silently a match.
* Expected title equal to the site name while the page title is about something else (a link
  text "Reuters" on a Reuters article): ``match=None``, detail ``expected_is_publisher``.
* ``expected.match``: ``exact`` (equal after normalisation, with or without the site name),
  ``contains`` (the normalised expected words appear in order in the page title), ``fuzzy``
  (``score >= threshold``).
* ``expected.publisher`` is compared with the page's publisher and the host; a mismatch alone never
  changes ``match`` (sites rename themselves, "Council of the EU" calls itself "Consilium"): it is
  reported as detail ``publisher_mismatch`` when no other detail is set.
"""

from __future__ import annotations

import codecs
import contextlib
import functools
import html
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from charset_normalizer import from_bytes
from rapidfuzz import fuzz

from .models import Expectation, Fetch, Page, TitleCheck
from .pdfinfo import pdf_title

__all__ = [
    "DEFAULT_MAX_PARSE",
    "DEFAULT_MAX_TEXT",
    "compare_title",
    "decode_html",
    "is_stop_title",
    "normalise_title",
    "parse_page",
    "similarity",
]

DEFAULT_MAX_PARSE = 1024 * 1024
"""Most characters of a body handed to the HTML parser: caps the work on hostile pages."""
DEFAULT_MAX_TEXT = 4096
"""Most characters of visible text kept in ``Page.text``."""
_MAX_TITLE = 500
"""Longest title candidate kept; longer text is cut (real titles are far shorter)."""
_MAX_ANCHORS = 20_000
_MAX_JSONLD = 200_000
_MAX_JSONLD_SCRIPTS = 8
_PRESCAN = 4096
"""Bytes searched for a ``<meta charset>``, like a browser's prescan (a bit more generous)."""
_DETECT_SAMPLE = 64 * 1024
_PENALTY_CONFLICT = 0.6
_GUESSED_SITE = 0.9

# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------

_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE)
_ALIASES = {
    # WHATWG Encoding Standard: labels browsers map to a superset.
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-cp1252": "cp1252",
    "iso-8859-9": "cp1254",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when unknown (or not ASCII-compatible)."""
    if not label:
        return None
    name = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if info.name.startswith("utf-16") or info.name.startswith("utf-32"):
        # A page that *declares* UTF-16 in ASCII bytes cannot be UTF-16 (WHATWG: use UTF-8).
        return "utf-8"
    return info.name


def _is_utf8(data: bytes) -> bool:
    """Valid UTF-8, tolerating a multi-byte character cut by the end of the prefix."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(data, final=False)
    except UnicodeDecodeError:
        return False
    return True


def decode_html(body: bytes, content_type_header: str | None = None) -> tuple[str, str]:
    """Decode an HTML body as a browser would; returns ``(text, charset)``.

    Order: Content-Type charset, BOM, ``<meta charset>``/``http-equiv`` in the first bytes, then
    detection (valid UTF-8 first: it is never a false positive in practice; then
    charset-normalizer on a sample), then UTF-8 with replacement characters.
    """
    charset = _codec(m.group(1)) if (m := _CHARSET_PARAM.search(content_type_header or "")) else None
    if charset is None:
        for bom, name in _BOMS:
            if body.startswith(bom):
                return body[len(bom) :].decode(name, "replace"), name
    if charset is None and (m2 := _META_CHARSET.search(body[:_PRESCAN])):
        charset = _codec(m2.group(1).decode("ascii", "replace"))
    if charset is None:
        charset = _detect(body)
    try:
        return body.decode(charset, "replace"), charset
    except (LookupError, ValueError):  # a codec that cannot decode with "replace"
        return body.decode("utf-8", "replace"), "utf-8"


def _detect(body: bytes) -> str:
    if _is_utf8(body):
        return "utf-8"
    try:
        matches = from_bytes(body[:_DETECT_SAMPLE])
        best = matches.best()
    except Exception:  # noqa: BLE001 - detection is a guess; never let it break a run
        best = None
    if best is not None and any(
        m.encoding == "cp1252" and (m.chaos, m.coherence) == (best.chaos, best.coherence) for m in matches
    ):
        return "cp1252"  # a tie (short Latin text): windows-1252 is what browsers assume, and the commonest
    codec = _codec(best.encoding) if best is not None else None
    return codec or "utf-8"


# --------------------------------------------------------------------------------------------
# HTML parsing
# --------------------------------------------------------------------------------------------

_WS = re.compile(r"\s+")
_HIDDEN = frozenset({"script", "style", "template", "head", "noscript", "svg", "math", "iframe", "object"})
_META_TITLES = {
    "og:title": "og:title",
    "twitter:title": "twitter:title",
    "citation_title": "citation_title",
    "dc.title": "dc.title",
    "dcterms.title": "dc.title",
}
_META_PUBLISHERS = ("og:site_name", "citation_publisher", "json-ld", "application-name", "dc.publisher")
_SIGNAL_ORDER = ("title", "og:title", "twitter:title", "citation_title", "dc.title", "json-ld:headline", "h1")
_JSONLD_SKIP_TYPES = frozenset(
    {"organization", "person", "website", "breadcrumblist", "listitem", "imageobject", "searchaction",
     "place", "corporation", "governmentorganization", "newsmediaorganization", "sitenavigationelement",
     "entrypoint", "thing", "contactpoint", "postaladdress"}
)


def _clean(text: str | None, limit: int = _MAX_TITLE) -> str:
    """Collapse whitespace and cut: what every candidate goes through."""
    if not text:
        return ""
    return _WS.sub(" ", text[: limit * 4]).strip()[:limit]


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
            self.language = _primary_language(values.get("lang") or values.get("xml:lang"))
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
                self.h1 = _clean("".join(self._h1_parts)) or None
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
            self.language = _primary_language(content)

    @property
    def text(self) -> str:
        return _clean("".join(self._text), DEFAULT_MAX_TEXT)


def _primary_language(value: str | None) -> str | None:
    """``"en-GB"`` → ``"en"``; ``"ja, en"`` → ``"ja"``; junk → None."""
    if not value:
        return None
    tag = re.split(r"[-_,;\s]", value.strip(), maxsplit=1)[0].lower()
    return tag if re.fullmatch(r"[a-z]{2,3}", tag) else None


def _find_title(text: str) -> tuple[str | None, str]:
    """The ``<title>`` text (RCDATA: markup inside is plain text) and the document without it.

    Done with plain string search so that ``<title><script>…`` stays text, a title cut by the end
    of the prefix is still read, and hostile input costs one linear scan. A ``<title>`` inside an
    ``<svg>`` that comes before any head title is an icon's label, not the page's.
    """
    lower = text.lower()
    start = lower.find("<title")
    while start != -1 and lower[start + 6 : start + 7] not in (">", " ", "\t", "\n", "\r", "/", ""):
        start = lower.find("<title", start + 6)
    if start == -1:
        return None, text
    svg = lower.find("<svg", 0, start)
    open_end = lower.find(">", start)
    if open_end == -1:
        return None, text[:start]
    close = lower.find("</title", open_end)
    raw = text[open_end + 1 : close if close != -1 else open_end + 1 + _MAX_TITLE]
    if close == -1:
        raw = raw.split("<", 1)[0]
    rest = text[: open_end + 1] + (text[close:] if close != -1 else "")
    if svg != -1:
        return None, rest
    return _clean(html.unescape(raw)) or None, rest


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


def _jsonld_facts(scripts: Iterable[str]) -> tuple[str | None, str | None]:
    """(headline or main name, publisher name) from JSON-LD blocks; junk is skipped."""
    headline: str | None = None
    name: str | None = None
    publisher: str | None = None
    for script in scripts:
        try:
            data = json.loads(script.strip().strip(";"))
        except (ValueError, RecursionError):
            continue
        for node in _walk_jsonld(data):
            types = node.get("@type")
            type_names = {str(t).lower() for t in (types if isinstance(types, list) else [types]) if t}
            if headline is None and isinstance(node.get("headline"), str):
                headline = _clean(node["headline"]) or None
            if (name is None and isinstance(node.get("name"), str) and type_names
                    and not type_names & _JSONLD_SKIP_TYPES):
                name = _clean(node["name"]) or None
            pub = node.get("publisher")
            if publisher is None and isinstance(pub, dict) and isinstance(pub.get("name"), str):
                publisher = _clean(pub["name"]) or None
    return headline or name, publisher


def _walk_jsonld(data: Any, depth: int = 0, budget: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Depth-first JSON-LD objects (``@graph`` and lists included), bounded in depth and count."""
    budget = budget if budget is not None else [300]
    if depth > 8 or budget[0] <= 0:
        return
    budget[0] -= 1
    if isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk_jsonld(data[key], depth + 1, budget)
    elif isinstance(data, list):
        for item in data[:50]:
            yield from _walk_jsonld(item, depth + 1, budget)


def _is_html(fetch: Fetch) -> bool:
    ctype = fetch.content_type
    if ctype in ("text/html", "application/xhtml+xml"):
        return True
    if ctype and ctype not in ("text/plain", "application/octet-stream", "application/xml", "text/xml"):
        return False
    head = fetch.body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<title", b"<meta")) or b"<html" in head


def _is_pdf(fetch: Fetch) -> bool:
    return fetch.content_type in ("application/pdf", "application/x-pdf") or fetch.body[:1024].lstrip().startswith(
        b"%PDF"
    )


def parse_page(fetch: Fetch) -> Page:
    """Read what a page body says about itself; never raises (a broken body is an empty ``Page``)."""
    try:
        if _is_pdf(fetch):
            return _parse_pdf(fetch)
        if _is_html(fetch):
            return _parse_html(fetch)
    except Exception:  # noqa: BLE001 - hostile bodies must never stop a run
        return Page(is_html=_is_html(fetch))
    return Page(language=_primary_language(fetch.header("content-language")))


def _parse_pdf(fetch: Fetch) -> Page:
    found = pdf_title(fetch.body)
    if found is None:
        return Page(is_pdf=True)
    signal, title = found
    return Page(is_pdf=True, title=title, candidates=((signal, title),))


def _parse_html(fetch: Fetch) -> Page:
    text, charset = decode_html(fetch.body, fetch.header("content-type"))
    title, rest = _find_title(text[:DEFAULT_MAX_PARSE])
    parser = _PageParser()
    with contextlib.suppress(Exception):  # html.parser may assert on broken tails; keep what was read
        parser.feed(_defuse_tail(rest))
        parser.close()
    if parser._h1_depth and parser.h1 is None:  # h1 cut by the end of the prefix
        parser.h1 = _clean("".join(parser._h1_parts)) or None
    headline, ld_publisher = _jsonld_facts(parser.jsonld)
    metas = parser.metas
    found: dict[str, str | None] = {"title": title, "json-ld:headline": headline, "h1": parser.h1}
    for key, signal in _META_TITLES.items():
        if signal not in found or not found[signal]:
            found[signal] = _clean(html.unescape(metas.get(key, ""))) or None
    candidates: list[tuple[str, str]] = []
    seen: set[str] = set()
    for signal in _SIGNAL_ORDER:
        value = found.get(signal)
        if value and value not in seen:
            seen.add(value)
            candidates.append((signal, value))
    publishers = {**metas, "json-ld": ld_publisher or ""}
    publisher = next((_clean(publishers[k], 200) for k in _META_PUBLISHERS if publishers.get(k)), None)
    language = parser.language or _primary_language(fetch.header("content-language"))
    return Page(
        is_html=True,
        title=title,
        candidates=tuple(candidates),
        publisher=publisher or None,
        h1=parser.h1,
        anchors=frozenset(parser.anchors),
        text=parser.text,
        language=language,
        charset=charset,
    )


# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_FOLD = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_FOLD.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"})
_FOLD.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


@functools.lru_cache(maxsize=4096)
def normalise_title(text: str) -> str:
    """The comparison form of a title: case, accents, dashes, quotes and punctuation folded away."""
    folded = unicodedata.normalize("NFKC", text[: _MAX_TITLE * 2]).casefold().translate(_FOLD)
    kept: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFD", folded):
        if unicodedata.combining(char):
            if base and ord(base) < 0x0530:  # accents on Latin/Greek/Cyrillic only (keep kana marks)
                continue
        else:
            base = char
        kept.append(char)
    joined = unicodedata.normalize("NFC", "".join(kept)).replace("'", "")
    return _WS.sub(" ", _NON_WORD.sub(" ", joined)).strip()


def _words(text: str) -> list[str]:
    """Words of a normalised title; CJK characters are words of their own (no spaces there)."""
    return _CJK.sub(r" \1 ", normalise_title(text)).split()[:60]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _wordset(
    "a an the of and or in on at to for by with from as is are be its it this that these into "
    "about over under between via vs de des du la le les et en pour sur au aux avec un une der "
    "die das den dem und von zu zum zur fur mit im am ein eine el los las del y por para con il "
    "di e"
)
_LANG_WORDS = {
    "en": _wordset("the of and for with on in to from by is are its a an this at"),
    "de": _wordset("der die das den dem des und fur mit von zum zur zu im ist ein eine uber bei auf"),
    "fr": _wordset("le la les des du et pour sur avec au aux un une dans est entre"),
    "es": _wordset("el los las del y por para con una en es sobre entre"),
    "it": _wordset("il lo gli della delle degli e per con una sul nel tra"),
}


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s")


def _stem(word: str) -> str:
    """A crude English stem, enough to match "joins"/"joining", "statements"/"statement"."""
    if not word.isascii() or len(word) <= 4 or _has_digit(word) or word.endswith("ss"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix in ("ies", "ied") else stem
    return word


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


# --------------------------------------------------------------------------------------------
# Stop titles
# --------------------------------------------------------------------------------------------

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


def _segments(title: str) -> list[str]:
    return [s for s in (_clean(p) for p in _SEPARATORS.split(title)) if s]


def _is_stop_text(text: str) -> bool:
    norm = normalise_title(text)
    return not norm or norm in _STOP_TITLES or bool(_STOP_PATTERN.match(norm))


def _informative(words: Iterable[str]) -> list[str]:
    return [w for w in words if w not in _STOPWORDS]


def is_stop_title(text: str | None) -> bool:
    """Is this a title that names no document: "Home", "Page not found | Site", "Just a moment..."?

    True for a generic title as a whole, and for a generic first or last part next to a short
    site name ("Page not found - Consilium", "Home | Ministry of Foreign Affairs of Japan").
    """
    if text is None or not text.strip():
        return True
    if _is_stop_text(text):
        return True
    parts = _segments(text)
    if len(parts) < 2:
        return False
    for edge, others in ((parts[0], parts[1:]), (parts[-1], parts[:-1])):
        if _is_stop_text(edge) and all(
            _is_stop_text(p) or len(_informative(_words(p))) <= 4 for p in others
        ):
            return True
    return False


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


_GENRE_WORDS = _wordset(
    "fact sheet factsheet briefing press release news article pdf document explainer overview "
    "infographic page website statement remarks speech summary report communique"
)
"""Words naming the kind of document: link texts add or swap them freely, so they weigh little."""
_GENRE_WEIGHT = 0.3
_DATE_WORDS = _wordset(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday"
)
_COUNTRIES = {
    alias: country
    for country, aliases in {
        "japan": "japan japanese japon japonaise japonais nippon",
        "china": "china chinese chine chinois",
        "korea": "korea korean coree korea",
        "india": "india indian indien inde",
        "usa": "usa america american americans amerika",
        "uk": "uk britain british england",
        "france": "france french frankreich francais franco",
        "germany": "germany german deutschland allemagne",
        "italy": "italy italian italien italie",
        "spain": "spain spanish spanien espagne",
        "russia": "russia russian russland russie",
        "ukraine": "ukraine ukrainian",
        "canada": "canada canadian kanada",
        "australia": "australia australian australien australie",
        "brazil": "brazil brazilian brasilien bresil",
        "mexico": "mexico mexican mexiko mexique",
        "turkey": "turkey turkish turkiye turkei turquie",
        "israel": "israel israeli",
        "iran": "iran iranian",
        "egypt": "egypt egyptian",
        "indonesia": "indonesia indonesian",
        "vietnam": "vietnam vietnamese",
        "singapore": "singapore",
        "taiwan": "taiwan taiwanese",
        "switzerland": "switzerland swiss schweiz suisse",
        "norway": "norway norwegian",
        "poland": "poland polish polen pologne",
        "netherlands": "netherlands dutch niederlande",
        "belgium": "belgium belgian belgien belgique",
        "sweden": "sweden swedish schweden",
        "finland": "finland finnish finnland",
        "ireland": "ireland irish irland",
        "greece": "greece greek griechenland",
        "portugal": "portugal portuguese",
        "austria": "austria austrian osterreich",
        "argentina": "argentina argentinian",
        "chile": "chile chilean",
        "nigeria": "nigeria nigerian",
        "kenya": "kenya kenyan",
        "philippines": "philippines philippine filipino",
        "thailand": "thailand thai",
        "malaysia": "malaysia malaysian",
        "pakistan": "pakistan pakistani",
        "zealand": "zealand",
        "mongolia": "mongolia mongolian",
    }.items()
    for alias in aliases.split()
}
"""Country names and demonyms: two titles naming different countries are different documents."""


@dataclass(frozen=True)
class _Tokens:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    weights: tuple[float, ...]
    """How much each word counts for coverage: 0 for stop words, little for genre and date words."""

    @classmethod
    def of(cls, text: str, *, is_found: bool = False) -> _Tokens:
        """Memoised: one comparison tokenises the same titles and segments many times over."""
        return _tokens_of(text, is_found)

    @functools.cached_property
    def informative(self) -> frozenset[int]:
        return frozenset(i for i, w in enumerate(self.weights) if w > 0)

    @functools.cached_property
    def numbers(self) -> dict[str, frozenset[str]]:
        """Numbers by kind (years, ordinals, plain, "g7"-like): only the same kind can disagree."""
        kinds: dict[str, set[str]] = {}
        for word in self.words:
            if _has_digit(word):
                kinds.setdefault(_number_kind(word), set()).add(word)
        return {k: frozenset(v) for k, v in kinds.items()}

    @functools.cached_property
    def countries(self) -> frozenset[str]:
        return frozenset(c for w in self.words if (c := _COUNTRIES.get(w)))


@functools.lru_cache(maxsize=4096)
def _tokens_of(text: str, is_found: bool) -> _Tokens:
    words = tuple(_words(text))
    weights = tuple(_weight(w, is_found) for w in words)
    if words and not any(weights):
        weights = tuple(1.0 for _ in words)
    stems = tuple(_COUNTRIES.get(w) or _stem(w) for w in words)
    return _Tokens(words, stems, weights)


def _weight(word: str, is_found: bool) -> float:
    if word in _STOPWORDS:
        return 0.0
    if word in _GENRE_WORDS:
        return _GENRE_WEIGHT
    if is_found and (word in _DATE_WORDS or (word.isdigit() and (len(word) <= 2 or len(word) == 4))):
        return 0.2  # "(May 12, 2022)" dates a page; it does not say what the page is
    return 1.0


def _number_kind(word: str) -> str:
    if word.isdigit():
        return "year" if len(word) == 4 and word[:2] in ("19", "20") else "number"
    if re.fullmatch(r"\d+(?:st|nd|rd|th|e|er|eme)", word):
        return "ordinal"
    return "".join(c for c in word if not c.isdigit())


def _word_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if _has_digit(a) or _has_digit(b) or len(a) < 5 or len(b) < 5 or not (a.isascii() and b.isascii()):
        return False
    return fuzz.ratio(a, b) >= 85


@functools.lru_cache(maxsize=4096)
def _acronyms(tokens: _Tokens) -> dict[str, list[tuple[int, ...]]]:
    """Acronyms spelt by runs of 2–6 words ("european union" → eu; "ministry of foreign affairs" →
    mofa and mfa) mapped to the index runs that spell them. Memoised: callers only read it."""
    found: dict[str, list[tuple[int, ...]]] = {}
    words = tokens.words
    for start in range(len(words)):
        for end in range(start + 2, min(start + 7, len(words)) + 1):
            run = tuple(range(start, end))
            if words[start] in _STOPWORDS or words[end - 1] in _STOPWORDS:
                continue
            if not all(words[i].isalpha() and words[i].isascii() for i in run):
                continue
            full = "".join(words[i][0] for i in run)
            short = "".join(words[i][0] for i in run if words[i] not in _STOPWORDS)
            for acronym in {full, short}:
                if len(acronym) >= 2:
                    found.setdefault(acronym, []).append(run)
    return found


def _matched(a: _Tokens, b: _Tokens) -> tuple[set[int], set[int]]:
    """Indexes of ``a`` and of ``b`` that have a counterpart on the other side."""
    hit_a: set[int] = set()
    hit_b: set[int] = set()
    for i, stem in enumerate(a.stems):
        for j, candidate in enumerate(b.stems):
            if _word_match(stem, candidate):
                hit_a.add(i)
                hit_b.add(j)
    for side, other, hits, other_hits in ((a, b, hit_a, hit_b), (b, a, hit_b, hit_a)):
        missing = [i for i in side.informative - hits if side.words[i].isalpha() and 2 <= len(side.words[i]) <= 6]
        if not missing:
            continue
        spelt = _acronyms(other)
        for i in missing:
            runs = spelt.get(side.words[i])
            if runs:
                hits.add(i)
                other_hits.update(runs[0])
    return hit_a, hit_b


def _coverage(
    tokens: _Tokens, hits: set[int], ignore: frozenset[str] = frozenset(), soft: frozenset[str] = frozenset()
) -> float:
    """Weighted share of the distinct words of ``tokens`` that found a counterpart (a word said
    twice counts once)."""
    weights: dict[str, float] = {}
    matched: set[str] = set()
    for i, (word, stem, weight) in enumerate(zip(tokens.words, tokens.stems, tokens.weights)):
        if i in hits:
            matched.add(stem)
        elif word in ignore:
            continue
        elif word in soft:
            weight = min(weight, _GENRE_WEIGHT)
        weights[stem] = max(weight, weights.get(stem, 0.0))
    total = sum(weights.values())
    return sum(w for stem, w in weights.items() if stem in matched) / total if total else 1.0


def _conflicts(expected: _Tokens, found: _Tokens) -> bool:
    """Different numbers of one kind, or different countries, on the two sides."""
    numbers_f = found.numbers
    for kind, values in expected.numbers.items():
        if kind in numbers_f and not values & numbers_f[kind]:
            return True
    countries_e, countries_f = expected.countries, found.countries
    return bool(countries_e - countries_f and countries_f - countries_e)


def _score_tokens(expected: _Tokens, found: _Tokens, site_words: frozenset[str] = frozenset()) -> float:
    """Coverage of the expected words × √(share of the page title explained), plus word-order-free
    fuzz; words of the site's own name are not required of the page title."""
    if not expected.words or not found.words:
        return 0.0
    hit_e, hit_f = _matched(expected, found)
    ignore = site_words if any(w not in site_words for w in expected.words) else frozenset()
    # A number the page title has no number of the same kind for is unconfirmed, not contradicted.
    kinds_f = found.numbers
    soft = frozenset(w for k, values in expected.numbers.items() if k not in kinds_f for w in values)
    cover_e = _coverage(expected, hit_e, ignore, soft)
    cover_f = _coverage(found, hit_f)
    coverage = cover_e * math.sqrt(cover_f)
    order_free = fuzz.token_sort_ratio(" ".join(expected.stems), " ".join(found.stems)) / 100.0
    score = 100.0 * (0.8 * coverage + 0.2 * order_free)
    if _conflicts(expected, found):
        score *= _PENALTY_CONFLICT
    return score


def similarity(a: str, b: str) -> float:
    """How well title ``b`` (found) stands for title ``a`` (expected), 0..100.

    Order, case, accents and punctuation never matter; a generic subset never scores 100.
    Not symmetric: ``a`` is the reference whose words must be present.
    """
    return round(_score_tokens(_Tokens.of(a), _Tokens.of(b, is_found=True)), 1)


def _site_names(page: Page, final_url: str | None, publisher: str | None) -> list[str]:
    names = [n for n in (page.publisher, publisher) if n]
    host = (urlsplit(final_url).hostname or "") if final_url else ""
    labels = [lab for lab in host.lower().split(".") if lab not in ("www", "com", "org", "net", "gov", "go", "co")]
    names.extend(lab for lab in labels if len(lab) >= 3)
    return names


def _names_site(segment: str, sites: list[str]) -> bool:
    return _names_site_of(segment, tuple(sites))


@functools.lru_cache(maxsize=4096)
def _names_site_of(segment: str, sites: tuple[str, ...]) -> bool:
    seg = normalise_title(segment)
    compact = seg.replace(" ", "")
    for site in sites:
        norm = normalise_title(site)
        if not norm:
            continue
        if seg == norm or norm.replace(" ", "") == compact or fuzz.ratio(seg, norm) >= 90:
            return True
        if " " not in norm and len(norm) >= 3 and _is_host_label_of(norm, seg):
            return True
    return False


def _is_host_label_of(label: str, segment: str) -> bool:
    """Does a host label ("consilium", "mofa", "japantimes") name this title segment?"""
    words = segment.split()
    if label in words:
        return len(words) <= 4
    compact = "".join(w for w in words if w != "the")
    return label == compact or (len(label) >= 5 and label in compact) or label in _acronyms(_Tokens.of(segment))


def _variants(title: str, sites: list[str]) -> list[tuple[str, float]]:
    """(text, factor) to score: the title, and the title without its site-name prefix/suffix.

    A segment that names a known site is surely not part of the title: only the title without it
    is scored. A short edge segment that merely *looks* like a site name is a guess: the title
    without it is scored too, at 90 %. The site part alone is never a variant.
    """
    parts = _segments(title)
    if len(parts) < 2:
        return [(title, 1.0)]
    named = [i for i in (0, len(parts) - 1) if _names_site(parts[i], sites)]
    if named:
        kept = [p for i, p in enumerate(parts) if i not in named]
        if kept:
            return [(" ".join(kept), 1.0)]
    variants = [(title, 1.0)]
    for drop in (len(parts) - 1, 0):
        if len(_words(parts[drop])) <= 5:
            variants.append((" ".join(p for i, p in enumerate(parts) if i != drop), _GUESSED_SITE))
    return variants


def _script(text: str) -> str | None:
    """The writing system most letters of ``text`` use ('latin', 'cjk', 'hangul', 'cyrillic' …)."""
    counts: dict[str, int] = {}
    for char in text[:_MAX_TITLE]:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x0250 or 0x1E00 <= code < 0x1F00:
            name = "latin"
        elif 0x0370 <= code < 0x0400:
            name = "greek"
        elif 0x0400 <= code < 0x0530:
            name = "cyrillic"
        elif 0x0590 <= code < 0x0600:
            name = "hebrew"
        elif 0x0600 <= code < 0x0780:
            name = "arabic"
        elif 0x0900 <= code < 0x0E00:
            name = "indic"
        elif 0x0E00 <= code < 0x0E80:
            name = "thai"
        elif 0xAC00 <= code < 0xD7B0 or 0x1100 <= code < 0x1200:
            name = "hangul"
        elif 0x3040 <= code < 0xA000 or 0xF900 <= code < 0xFB00 or 0xFF66 <= code < 0xFFA0:
            name = "cjk"
        else:
            name = "other"
        counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _guess_language(text: str) -> str | None:
    """Language of a Latin-script title from its function words; None when they do not tell."""
    words = normalise_title(text).split()
    tally = {lang: sum(w in vocab for w in words) for lang, vocab in _LANG_WORDS.items()}
    best = max(tally, key=lambda k: tally[k])
    ranked = sorted(tally.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return None
    return best


def _languages_differ(expected: str, found: str, page: Page) -> bool:
    script_e, script_f = _script(expected), _script(found)
    if script_e and script_f and script_e != script_f:
        return True
    if script_e != "latin":
        return False
    lang_e = _guess_language(expected) or ("en" if expected.isascii() else None)
    lang_f = _guess_language(found) or page.language
    return bool(lang_e and lang_f and lang_e != lang_f)


def _contains(expected: str, found: str) -> bool:
    needle, hay = f" {normalise_title(expected)} ", f" {normalise_title(found)} "
    return needle.strip() != "" and needle in hay


def _publisher_agrees(publisher: str, page: Page, final_url: str | None) -> bool:
    words = _Tokens.of(publisher)
    if page.publisher and _score_tokens(words, _Tokens.of(page.publisher)) >= 60:
        return True
    host = (urlsplit(final_url).hostname or "").lower() if final_url else ""
    labels = set(host.split("."))
    acronyms = set(_acronyms(words)) | {words.words[i] for i in words.informative}
    return bool(labels & acronyms) or any(len(w) >= 4 and w in host for w in words.words)


def _site_words(sites: list[str]) -> frozenset[str]:
    """Words and acronyms of the site's names ("world health organization", "who")."""
    words: set[str] = set()
    for site in sites:
        tokens = _Tokens.of(site)
        words.update(tokens.words[i] for i in tokens.informative)
        words.update(a for a in _acronyms(tokens) if len(a) >= 2)
        words.update(tokens.stems)
    return frozenset(words)


@dataclass(frozen=True)
class _Best:
    signal: str
    text: str
    score: float
    exact: bool
    contains: bool


def _best_candidate(expected: str, candidates: list[tuple[str, str]], sites: list[str]) -> _Best | None:
    best: _Best | None = None
    want = _Tokens.of(expected)
    norm_expected = normalise_title(expected)
    site_words = _site_words(sites)
    for signal, text in candidates:
        for variant, factor in _variants(text, sites):
            exact = normalise_title(variant) == norm_expected
            if exact:  # scores 100 and nothing ranks above (100, exact): stop here
                return _Best(signal, text, 100.0, True, _contains(expected, variant))
            score = round(factor * _score_tokens(want, _Tokens.of(variant, is_found=True), site_words), 1)
            current = _Best(signal, text, score, exact, _contains(expected, variant))
            if best is None or (current.score, current.exact) > (best.score, best.exact):
                best = current
    return best


def compare_title(
    expected: Expectation | None, page: Page, *, threshold: float, final_url: str | None = None
) -> TitleCheck | None:
    """Is the page the source it is cited as? See the module docstring for every rule."""
    found_title = page.title or (page.candidates[0][1] if page.candidates else None)
    want = expected.title.strip() if expected and expected.title else ""
    if not want:
        if found_title is None:
            return None
        return TitleCheck(expected=None, found=found_title, score=None, match=None)
    publisher_detail = None
    if (
        expected is not None
        and expected.publisher
        and (page.publisher or final_url)
        and not _publisher_agrees(expected.publisher, page, final_url)
    ):
        publisher_detail = "publisher_mismatch"
    if not page.candidates:
        return TitleCheck(want, None, None, None, detail=publisher_detail or "no_title")
    if is_stop_title(want):
        return TitleCheck(want, found_title, None, None, detail="generic_expected")
    sites = _site_names(page, final_url, expected.publisher if expected else None)
    specific = [(s, t) for s, t in page.candidates if not is_stop_title(t) and not _stop_after_site(t, sites)]
    if not specific:
        signal, text = page.candidates[0]
        score = similarity(want, text)
        return TitleCheck(want, text, score, False, signal=signal, detail="generic_title")
    best = _best_candidate(want, specific, sites)
    assert best is not None
    mode = expected.match if expected is not None else "fuzzy"
    if mode == "exact":
        is_match = best.exact
    elif mode == "contains":
        is_match = best.exact or best.contains or any(_contains(want, t) for _, t in specific)
    else:
        is_match = best.score >= threshold
    detail = publisher_detail
    result: bool | None = is_match
    if not is_match:
        conflict = _conflicts(_Tokens.of(want), _Tokens.of(best.text, is_found=True))
        if _languages_differ(want, best.text, page) and not conflict:
            result, detail = None, "title_unverifiable"
        elif any(_names_site(want, sites) for _ in (0,)) and not best.exact:
            result, detail = None, "expected_is_publisher"
    return TitleCheck(want, best.text, best.score, result, signal=best.signal, detail=detail)


def _stop_after_site(title: str, sites: list[str]) -> bool:
    """"Error | Council of the European Union": generic once the known site name is set aside."""
    parts = _segments(title)
    kept = [p for p in parts if not _names_site(p, sites)]
    return len(parts) >= 2 and bool(kept) and len(kept) < len(parts) and _is_stop_text(" ".join(kept))
