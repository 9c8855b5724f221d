"""The comparison form of a title and its words: case, accents, dashes, quotes, punctuation folded."""

from __future__ import annotations

import functools
import re
import unicodedata

from ..page.text import MAX_TITLE, WS

__all__ = ["has_digit", "normalise_title", "stem", "words_of", "wordset"]

_FOLD = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"}
_FOLD.update({ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"})
_FOLD.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
_NON_WORD = re.compile(r"[\W_]+")
_ELISION = re.compile(r"(?<!\w)(?:[ldjnmstc]|qu|dell|all|dall|nell|sull)'(?=[^\W\d_])")
"""French and Italian elided articles and particles ("l'avenir", "d'une", "qu'il", "dell'Europa"):
the word after the apostrophe is the word, not "lavenir"."""
_CJK = re.compile(r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


@functools.lru_cache(maxsize=4096)
def normalise_title(text: str) -> str:
    """The comparison form of a title: case, accents, dashes, quotes and punctuation folded away."""
    folded = unicodedata.normalize("NFKC", text[: MAX_TITLE * 2]).casefold().translate(_FOLD)
    if "'" in folded:
        folded = _ELISION.sub("", folded)
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
    return WS.sub(" ", _NON_WORD.sub(" ", joined)).strip()


def words_of(text: str) -> list[str]:
    """Words of a normalised title; CJK characters are words of their own (no spaces there)."""
    return _CJK.sub(r" \1 ", normalise_title(text)).split()[:60]


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_PLURAL = frozenset("news lens plus thus bus gas yes its has was does goes this cbs dns".split())
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s")


def stem(word: str) -> str:
    """A crude English stem, enough to match "joins"/"joining", "statements"/"statement"."""
    if len(word) == 4 and word.isascii() and word[3] == "s" and word[2] not in "aeiousy" and word not in _NOT_PLURAL:
        return word[:3]  # "jobs", "docs", "bugs", "tags": a plural of three letters
    if not word.isascii() or len(word) <= 4 or has_digit(word) or word.endswith("ss"):
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            return stem + "y" if suffix in ("ies", "ied") else stem
    return word


def has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)
