"""A title as weighted words with their stems, numbers by kind, countries and acronyms."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .facts import canonical
from .frequency import zipf
from .lexicon import COUNTRIES, DATE_WORDS, GENRE_WEIGHT, GENRE_WORDS, STOPWORDS
from .normalise import has_digit, stem, words_of

__all__ = ["Tokens", "acronyms"]

@dataclass(frozen=True)
class Tokens:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    weights: tuple[float, ...]
    """How much each word counts for coverage: 0 for stop words, little for genre and date words."""

    @classmethod
    def of(cls, text: str, *, is_found: bool = False) -> Tokens:
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
            if has_digit(word):
                kinds.setdefault(_number_kind(word), set()).add(word)
        return {k: frozenset(v) for k, v in kinds.items()}

    @functools.cached_property
    def countries(self) -> frozenset[str]:
        return frozenset(c for w in self.words if (c := COUNTRIES.get(w)))


@functools.lru_cache(maxsize=4096)
def _tokens_of(text: str, is_found: bool) -> Tokens:
    words = tuple(words_of(canonical(text)))
    weights = tuple(_weight(w, is_found) for w in words)
    if words and not any(weights):
        weights = tuple(1.0 for _ in words)
    stems = tuple(COUNTRIES.get(w) or stem(w) for w in words)
    return Tokens(words, stems, weights)


def _weight(word: str, is_found: bool) -> float:
    if word in STOPWORDS:
        return 0.0
    if word in GENRE_WORDS:
        return GENRE_WEIGHT
    if is_found and (word in DATE_WORDS or (word.isdigit() and (len(word) <= 2 or len(word) == 4))
                     or (len(word) == 9 and word[0] == "d" and word[1:].isdigit())):
        return 0.2  # "(May 12, 2022)" dates a page; it does not say what the page is
    if has_digit(word) or not word.isalpha() or ord(word[0]) >= 0x2E80:  # numbers, CJK characters
        return 1.0
    return _informativeness(word)


def _informativeness(word: str) -> float:
    """(8 − Zipf) / 4 within 0.3..1.5: "wie" 0.35, "winter" 0.78, "zinsen" 0.93, a name 1.25. Words
    any text uses say little about which document it is; rare ones say much."""
    return min(1.5, max(0.3, (8.0 - zipf(word)) / 4.0))


def _number_kind(word: str) -> str:
    if word.isdigit():
        return "year" if len(word) == 4 and word[:2] in ("19", "20") else "number"
    if re.fullmatch(r"\d+(?:st|nd|rd|th|e|er|eme)", word):
        return "ordinal"
    return "".join(c for c in word if not c.isdigit())



@functools.lru_cache(maxsize=4096)
def acronyms(tokens: Tokens) -> dict[str, list[tuple[int, ...]]]:
    """Acronyms spelt by runs of 2–6 words ("european union" → eu; "ministry of foreign affairs" →
    mofa and mfa; "python package index" → pypi, the first word lending two letters) mapped to the index runs that spell them. Memoised: callers only read it."""
    found: dict[str, list[tuple[int, ...]]] = {}
    words = tokens.words
    for start in range(len(words)):
        for end in range(start + 2, min(start + 7, len(words)) + 1):
            run = tuple(range(start, end))
            if words[start] in STOPWORDS or words[end - 1] in STOPWORDS:
                continue
            if not all(words[i].isalpha() and words[i].isascii() for i in run):
                continue
            full = "".join(words[i][0] for i in run)
            short = "".join(words[i][0] for i in run if words[i] not in STOPWORDS)
            # "PyPI": the first word lends two letters ("python package index").
            lead = words[start][:2] + short[1:] if len(run) >= 3 else short
            for acronym in {full, short, lead}:
                if len(acronym) >= 2:
                    found.setdefault(acronym, []).append(run)
    return found

