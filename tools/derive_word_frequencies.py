"""Derive ``linkcheck/citation/data/word_frequencies.tsv.gz`` from the ``wordfreq`` package.

    pip install wordfreq==3.1.1 && python tools/derive_word_frequencies.py

The table holds one line per Zipf frequency × 10 (``zipf_frequency``, rounded), then the words
having it, each word in its comparison form (``normalise_title``: casefolded, accents stripped)
at its highest frequency over the languages the judgement supports that write spaces between
words (en de fr es it nl pt pl). Words outside every language's ``TOP_N`` most frequent ones, or
rarer than ``MIN_ZIPF`` in all of them, are left out: the judgement reads a missing word as rare. wordfreq's data is CC BY-SA 4.0
(https://github.com/rspeer/wordfreq, "wordfreq data"); so is this table, which says so in its
first line. Not a runtime dependency: linkcheck only reads the table.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from wordfreq import top_n_list, zipf_frequency

from linkcheck.citation.normalise import normalise_title

LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt", "pl")
TOP_N = 30_000
MIN_ZIPF = 4.0
"""Words rarer than this in every language are left out (51,000 words kept, ~7 MB in memory;
all 175,000 would take 25 MB and change no figure of the dev set but one tune row)."""
OUT = Path(__file__).resolve().parent.parent / "linkcheck" / "citation" / "data" / "word_frequencies.tsv.gz"


def main() -> None:
    table: dict[str, int] = {}
    for lang in LANGUAGES:
        for word in top_n_list(lang, TOP_N):
            key = normalise_title(word)
            if not key or " " in key or any(c.isdigit() for c in key):
                continue
            value = round(zipf_frequency(word, lang) * 10)
            if value >= MIN_ZIPF * 10 and value > table.get(key, 0):
                table[key] = value
    OUT.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# zipf*10\twords having it; derived from wordfreq 3.1.1 data (CC BY-SA 4.0, Robyn Speer) by "
             "tools/derive_word_frequencies.py; languages " + " ".join(LANGUAGES)]
    by_value: dict[int, list[str]] = {}
    for word, value in table.items():
        by_value.setdefault(value, []).append(word)
    lines += [f"{v}\t{' '.join(sorted(ws))}" for v, ws in sorted(by_value.items(), reverse=True)]
    with gzip.GzipFile(OUT, "wb", mtime=0) as f:
        f.write(("\n".join(lines) + "\n").encode("utf-8"))
    print(f"{len(table)} words -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
