"""How sure a low score is: a short descriptive link text that shares a word with the page.

A README says "[fancy indexing](…/indexing.html#advanced-indexing-with-ix)" for "Indexing and
Selecting Data — pandas documentation": the text describes a part of the page in the sentence's
words, so a low score is not a contradiction. ``shares_word`` is the test: one informative word
of the link text (stem, inflection: "installing"/"Installation", "issue"/"Issues"; head of a
compound: "ports"/"haikuports"; or a three-letter abbreviation of it: "lib"/"library") is in
the page's titles or in the URL's path and fragment. A mis-link shares nothing ("English readme"
for "Vue Forum").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, unquote, urlsplit

from ..models import Page
from .frequency import zipf
from .lexicon import STOPWORDS
from .normalise import has_digit, normalise_title, stem, words_of
from .score import matched_indexes
from .tokens import Tokens

__all__ = ["DESCRIBED", "DESCRIPTIVE_MAX_WORDS", "described_by_page", "shares_word", "shortened_in", "url_words"]

DESCRIPTIVE_MAX_WORDS = 3
"""Informative words a link text may have and still be a description rather than a title."""

_SPLIT = re.compile(r"[^\w]+|_")
_TRACKING = ("utm_", "ref", "source", "fbclid", "gclid", "mc_", "via")
_URL_NOISE = frozenset({"html", "htm", "php", "aspx", "md", "www", "com", "org", "net", "http", "https", "en",
                        "stable", "latest", "master", "main", "blob", "tree", "docs", "index"})


_SOURCE_FILE = re.compile(r"\.(?:md|rst|txt|py|pyi|c|cc|cpp|h|hpp|js|ts|rs|go|rb|java|toml|json|ya?ml|cfg|ini|sh)$",
                          re.IGNORECASE)


def _names_a_file(segment: str) -> bool:
    if len(re.split(r"[-_]", segment)) < 3:
        return True
    return bool(_SOURCE_FILE.search(segment)) or ("_" in segment and "-" not in segment)


def url_words(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    # A document slug ("joint-statement-eu-japan-summit-2022") is the citing author's claim, not
    # the page's: only short path segments ("cli.html", "editors/setup"), names of files in a
    # source tree ("patch-deps_v8_src_base_platform.cc", "the_black_code_style") and the
    # fragment count.
    path = " ".join(seg for seg in unquote(parts.path).split("/") if _names_a_file(seg))
    # A search or filter in the query ("label:\"good first issue\"", "?q=sqlite") names what is listed.
    query = " ".join(v for k, v in parse_qsl(parts.query) if not k.lower().startswith(_TRACKING))
    text = f"{path} {unquote(parts.fragment)} {query}".lower()
    return [w for w in _SPLIT.split(text) if len(w) >= 3 and w not in _URL_NOISE and not w.isdigit()]


def _keys(words: Iterable[str]) -> set[str]:
    return {stem(w) for w in words if len(w) >= 3 and w not in STOPWORDS}


def informative_words(text: str) -> list[str]:
    """Informative words, a run of CJK characters counting as one."""
    return [w for w in normalise_title(text).split() if w not in STOPWORDS and not w.isdigit()]


def shares_word(text: str, titles: Iterable[str], *urls: str | None) -> bool:
    mine = _keys(words_of(text))
    theirs = _keys(w for t in titles for w in normalise_title(t).split())
    for url in urls:
        theirs |= _keys(url_words(url))
    if mine & theirs:
        return True
    return any(_related(a, b) or _related(b, a) for a in mine for b in theirs)


_ENDINGS = frozenset("e s es ed er ers ing ings y ies ion ions al".split())


def _related(a: str, b: str) -> bool:
    """``a`` and ``b`` are one word: inflections (a shared head of all but three letters, at least
    five: "installing"/"installation"; or ``a`` is ``b`` and an ending: "issue"/"issu"), ``b`` a
    compound ending in ``a`` ("ports"/"haikuports"), or ``b`` abbreviates ``a`` ("library"/"lib")."""
    if len(a) >= 5 and len(b) >= 5 and a.startswith(b[:max(5, len(b) - 3)]):
        return True
    if len(b) >= 4 and a.startswith(b) and a[len(b):] in _ENDINGS:
        return True
    if len(a) >= 4 and len(b) >= len(a) + 3 and b.endswith(a) and a.isalpha():
        return True
    return len(b) == 3 and b.isalpha() and len(a) >= 6 and a.startswith(b)


DESCRIBED = 0.6
"""Share of a citation's information (words weighted by rarity) that the page's titles and
description must hold for a low title score to be a reworded headline of this page (tune half:
reworded headlines ≥ 0.66, unrelated pages ≤ 0.59 but for one short text)."""
_CONTENT_ZIPF = 6.0
_CONTENT_WORDS = 3


def described_by_page(want: str, page: Page, ignore: frozenset[str] = frozenset()) -> list[str]:
    """The citation's words that the page's titles and meta description hold, when they hold at
    least ``DESCRIBED`` of its information and it has ``_CONTENT_WORDS`` content words (not
    among the commonest words of its language, not the site's name); else []. A page whose
    headline is worded otherwise ("Privatkredit-Zinsen: So ermitteln Sie Ihre Kosten" for "Wie
    hoch sind die Zinsen für einen Privatkredit?") still says in its description what it is about."""
    if not page.description:
        return []
    mine = Tokens.of(want)
    content = {mine.stems[i] for i in mine.informative
               if mine.words[i] not in ignore and not has_digit(mine.words[i]) and zipf(mine.words[i]) < _CONTENT_ZIPF}
    if len(content) < _CONTENT_WORDS:
        return []
    source = " ".join([t for _, t in page.candidates] + [page.description])
    hits, _ = matched_indexes(mine, Tokens.of(source, is_found=True))
    weights: dict[str, float] = {}
    held: set[str] = set()
    for i in mine.informative:
        if mine.words[i] in ignore:
            continue
        weights[mine.stems[i]] = max(mine.weights[i], weights.get(mine.stems[i], 0.0))
        if i in hits:
            held.add(mine.stems[i])
    total = sum(weights.values())
    if not total or sum(weights[s] for s in held) < DESCRIBED * total:
        return []
    return sorted(held & content, key=zipf)


def _content(tokens: Tokens, ignore: frozenset[str]) -> set[int]:
    return {i for i in tokens.informative
            if tokens.words[i] not in ignore and not has_digit(tokens.words[i]) and zipf(tokens.words[i]) < _CONTENT_ZIPF}


def shortened_in(want: str, title: str, ignore: frozenset[str] = frozenset(), raw: str | None = None) -> bool:
    """Is the page's title (its site name set aside) a shortening of the citation: every word of
    it is in the citation, and it has two content words ("Ultium Cells erhöht Gigafactory-Kapazität
    - Battery-News.de" for "Ultium Cells erhöht Gigafactory-Kapazität in Tennessee")? Or do both
    open with one's head segment of two content words ("Auto leasen, finanzieren oder kaufen – was
    lohnt sich?" for "Auto leasen, finanzieren oder kaufen – was ist günstiger?"; ``raw`` is the
    title with its separators, where the head is read)? A headline rewritten for search engines
    keeps its head; an unrelated page does not begin with it. (Tune half: 96 pairs where it holds,
    every one the same document.)"""
    mine, theirs = Tokens.of(want), Tokens.of(title, is_found=True)
    hit_e, hit_f = matched_indexes(mine, theirs)
    informative_f = [i for i in theirs.informative if theirs.words[i] not in ignore]
    if len(_content(theirs, ignore)) >= 2 and informative_f and all(i in hit_f for i in informative_f):
        return True
    head_e, head_f = _head(want), _head(raw or title)
    for head, other in ((head_e, raw or title), (head_f, want)):
        if head is None:
            continue
        tokens = Tokens.of(head)
        if len(_content(tokens, ignore)) >= 2 and _opens_with(normalise_title(other), normalise_title(head)):
            return True
    return False


def _opens_with(text: str, head: str) -> bool:
    """Does ``text`` begin with the words of ``head``?"""
    return bool(head) and (text == head or text.startswith(head + " "))


_HEAD = re.compile(r"\s*(?::|\s[-–—|•»]\s)\s*")


def _head(title: str) -> str | None:
    parts = _HEAD.split(title, maxsplit=1)
    return parts[0] if len(parts) == 2 and parts[1].strip() else None
