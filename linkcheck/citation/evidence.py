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
from urllib.parse import unquote, urlsplit

from .lexicon import STOPWORDS
from .normalise import normalise_title, stem, words_of

__all__ = ["DESCRIPTIVE_MAX_WORDS", "shares_word", "url_words"]

DESCRIPTIVE_MAX_WORDS = 3
"""Informative words a link text may have and still be a description rather than a title."""

_SPLIT = re.compile(r"[^\w]+|_")
_URL_NOISE = frozenset({"html", "htm", "php", "aspx", "md", "www", "com", "org", "net", "http", "https", "en",
                        "stable", "latest", "master", "main", "blob", "tree", "docs", "index"})


def url_words(url: str | None) -> list[str]:
    if not url:
        return []
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    # A document slug ("joint-statement-eu-japan-summit-2022") is the citing author's claim, not
    # the page's: only short path segments ("cli.html", "editors/setup") and the fragment count.
    path = " ".join(seg for seg in unquote(parts.path).split("/") if len(re.split(r"[-_]", seg)) < 3)
    text = f"{path} {unquote(parts.fragment)}".lower()
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
