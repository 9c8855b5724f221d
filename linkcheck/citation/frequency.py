"""How informative a word is, from how often the languages use it: ``zipf(word)``, ``rarity(word)``.

The table (``data/word_frequencies.tsv.gz``, derived from wordfreq's data by
``tools/derive_word_frequencies.py``, CC BY-SA 4.0) gives each word's Zipf frequency — log10 of
its uses per billion words — at its highest over en, de, fr, es, it, nl, pt and pl. "the" is 7.7,
"winter" 4.9, "zinsen" 4.3; a word the table lacks (a name, a compound, a coinage: "privatkredit")
is rarer than Zipf 4 (one use in 100,000 words) in every one of them and reads as ``RARE_ZIPF``.
51,000 words, about 7 MB once loaded, and loaded on first use only: commands that compare no
title never read it; a run that will compare titles starts reading it in a thread (``preload``)
once its first requests are on the wire, so that building it does not hold the event loop.
"""

from __future__ import annotations

import gzip
import threading
from importlib import resources

__all__ = ["RARE_ZIPF", "preload", "rarity", "zipf"]

RARE_ZIPF = 3.0
"""Zipf frequency of a word the table does not hold."""
_TOP = 8.0


_loaded: dict[str, int] | None = None
_loading = threading.Lock()


def _table() -> dict[str, int]:
    """The table, read once (a caller that comes while ``preload``'s thread reads it waits for it)."""
    global _loaded
    table = _loaded
    if table is None:
        with _loading:
            if _loaded is None:
                _loaded = _read()
            table = _loaded
    return table


def preload() -> None:
    """Start reading the table in a background thread, unless it is read or being read already.

    The thread holds the interpreter lock only between its switch intervals, so an event loop
    keeps sending requests and reading answers while the table is built."""
    if _loaded is None and not _loading.locked():
        threading.Thread(target=_table, name="linkcheck-word-frequencies", daemon=True).start()


def _read() -> dict[str, int]:
    table: dict[str, int] = {}
    ref = resources.files(__package__).joinpath("data", "word_frequencies.tsv.gz")
    with ref.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            value, _, words = line.partition("\t")
            table.update(dict.fromkeys(words.split(), int(value)))
    return table


def zipf(word: str) -> float:
    """Zipf frequency of a normalised word (``normalise_title`` form); ``RARE_ZIPF`` if unknown."""
    value = _table().get(word)
    return value / 10 if value is not None else RARE_ZIPF


def rarity(word: str) -> float:
    """0 for the commonest words, 5 for a word the table lacks: ``8 − zipf``."""
    return max(0.0, _TOP - zipf(word))
