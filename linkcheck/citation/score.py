"""``similarity``: how well a found title stands for an expected one (0..100). See ``citation``."""

from __future__ import annotations

import math

from rapidfuzz import fuzz

from .lexicon import GENRE_WEIGHT
from .normalise import has_digit
from .tokens import Tokens, acronyms

__all__ = ["conflicts", "matched_indexes", "score_tokens", "similarity"]

_PENALTY_CONFLICT = 0.6


def _word_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if has_digit(a) or has_digit(b) or len(a) < 5 or len(b) < 5 or not (a.isascii() and b.isascii()):
        return False
    return fuzz.ratio(a, b) >= 85



def _matched(a: Tokens, b: Tokens) -> tuple[set[int], set[int]]:
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
        spelt = acronyms(other)
        for i in missing:
            runs = spelt.get(side.words[i])
            if runs:
                hits.add(i)
                other_hits.update(runs[0])
    return hit_a, hit_b


def matched_indexes(a: Tokens, b: Tokens) -> tuple[set[int], set[int]]:
    """Indexes of ``a`` and of ``b`` that have a counterpart on the other side."""
    return _matched(a, b)


def _coverage(
    tokens: Tokens, hits: set[int], ignore: frozenset[str] = frozenset(), soft: frozenset[str] = frozenset()
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
            weight = min(weight, GENRE_WEIGHT)
        weights[stem] = max(weight, weights.get(stem, 0.0))
    total = sum(weights.values())
    return sum(w for stem, w in weights.items() if stem in matched) / total if total else 1.0


def conflicts(expected: Tokens, found: Tokens) -> bool:
    """Different numbers of one kind, or different countries, on the two sides."""
    numbers_f = found.numbers
    for kind, values in expected.numbers.items():
        if kind in numbers_f and not values & numbers_f[kind]:
            return True
    countries_e, countries_f = expected.countries, found.countries
    return bool(countries_e - countries_f and countries_f - countries_e)


def score_tokens(expected: Tokens, found: Tokens, site_words: frozenset[str] = frozenset()) -> float:
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
    if conflicts(expected, found):
        score *= _PENALTY_CONFLICT
    return score


def similarity(a: str, b: str) -> float:
    """How well title ``b`` (found) stands for title ``a`` (expected), 0..100.

    Order, case, accents and punctuation never matter; a generic subset never scores 100.
    Not symmetric: ``a`` is the reference whose words must be present.
    """
    return round(score_tokens(Tokens.of(a), Tokens.of(b, is_found=True)), 1)

