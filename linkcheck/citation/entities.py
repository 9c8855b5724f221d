"""One-entity near misses: the same words except the city, the person or the country.

"Prime Minister meets EU leaders in Brussels" for a page "Prime Minister meets EU leaders in
Tokyo" shares nearly every word, yet it is another event. ``name_disagreement`` says so when
the words left unmatched on *both* sides are all names (capitalised inside a sentence-case title,
or countries), and everything else matches. A paraphrase leaves ordinary words unmatched ("sign"
/ "ink") and is not one. Title Case and German titles (where every noun is capitalised) only
count countries.

``subject_disagreement`` reads the subject slot of reference titles: "ftplib — FTP protocol
client" and "poplib — POP3 protocol client" are sibling pages of one series that differ only in
the code name they open with. When both titles open with a lower-case code name (a module,
package or command: ``[a-z][a-z0-9._-]*``) followed by a dash or colon and a description, and the
names differ, they are two documents, whatever their descriptions share.

``about_disagreement`` reads a page *about* the cited document: "Vice-President Katainen's speech
at the press conference on the reflection paper on the future of European defence" holds every
word of "Reflection paper on the future of European defence", and is a speech. When the page
title holds the cited title, opens with a kind of document the citation does not name (speech,
remarks, Q&A, interview, press conference; Rede, discours …) and ties it to the cited title with
"on", "about", "at" …, it is another document.
"""

from __future__ import annotations

import re

from .language import _letters_language, guess_language
from .lexicon import COUNTRIES, GENRE_WORDS
from .normalise import normalise_title
from .score import matched_indexes
from .tokens import Tokens

__all__ = ["about_disagreement", "name_disagreement", "subject_disagreement"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _names(text: str) -> frozenset[str] | None:
    """Normalised words written capitalised after the first word of a segment; None when
    capitals say nothing (Title Case, German)."""
    if guess_language(text) == "de" or _letters_language(text) == "de":
        return None
    found: set[str] = set()
    lower = 0
    for segment in re.split(r"[:|·–—]|\s-\s", text):
        words = _WORD.findall(segment)
        for i, word in enumerate(words):
            if word[0].isupper():
                if i > 0:
                    found.update(normalise_title(word).split())
            elif len(word) >= 4:
                lower += 1
    return frozenset(found) if lower else None  # Title Case: every long word capitalised


def name_disagreement(expected: str, found: str, site_words: frozenset[str] = frozenset()) -> str | None:
    """"names disagree: brussels vs tokyo", or None."""
    want, got = Tokens.of(expected), Tokens.of(found, is_found=True)
    hit_e, hit_f = matched_indexes(want, got)

    def left(tokens: Tokens, hits: set[int]) -> list[str]:
        return [w for i, w in enumerate(tokens.words)
                if i in tokens.informative and i not in hits and w not in site_words and w not in GENRE_WORDS
                and not any(c.isdigit() for c in w)]

    miss_e, miss_f = left(want, hit_e), left(got, hit_f)
    informative_e = [i for i in want.informative if not any(c.isdigit() for c in want.words[i])]
    if not miss_e or not miss_f or len(miss_e) > 2 or len(miss_f) > 2 or len(informative_e) < 3:
        return None
    if len(informative_e) - len(miss_e) < 2 * len(miss_e):
        return None  # too little in common for one swapped name to be the difference
    countries_e = {COUNTRIES[w] for w in miss_e if w in COUNTRIES}
    countries_f = {COUNTRIES[w] for w in miss_f if w in COUNTRIES}
    if countries_e and countries_f and not countries_e & countries_f:
        return f"names disagree: {' '.join(miss_e)} vs {' '.join(miss_f)}"
    names_e, names_f = _names(expected), _names(found)
    if names_e is None or names_f is None:
        return None
    if all(w in names_e for w in miss_e) and all(w in names_f for w in miss_f):
        return f"names disagree: {' '.join(miss_e)} vs {' '.join(miss_f)}"
    return None


_SUBJECT = re.compile(r"^\s*([a-z][a-z0-9_.\-]*[a-z0-9])\s*(?:[:：]|\s(?:-{1,3}|[–—])(?=\s))\s*(\S.*)$")


def _subject(title: str) -> str | None:
    match = _SUBJECT.match(title)
    if match is None or len(match.group(2).split()) < 2 and match.group(2).isascii():
        return None
    return normalise_title(match.group(1))


def subject_disagreement(expected: str, found: str) -> str | None:
    """"subjects disagree: ftplib vs poplib" when both titles open with different code names."""
    mine, theirs = _subject(expected), _subject(found)
    if mine and theirs and mine != theirs:
        return f"subjects disagree: {mine} vs {theirs}"
    return None


_ABOUT_GENRES = re.compile(
    r"\b(?:speech|speeches|remarks|address|keynote|interview|q\s*&\s*a|questions and answers|press conference|"
    r"press briefing|webinar|podcast|video|rede|ansprache|interview|pressekonferenz|fragen und antworten|"
    r"discours|entretien|conference de presse|questions et reponses|discurso|entrevista|rueda de prensa|"
    r"preguntas y respuestas|intervento|conferenza stampa|domande e risposte|toespraak|persconferentie)\b"
)
_ABOUT_LINKS = re.compile(r"\b(?:on|about|at|for|regarding|zu|zum|zur|uber|sur|a propos de|sobre|su|sul|sulla|over|bij)\b")


def about_disagreement(expected: str, found: str, site_words: frozenset[str] = frozenset()) -> str | None:
    """"about_page: speech on …" when the page is a speech, Q&A or interview about the cited
    document (see the module docstring), else None."""
    want, got = normalise_title(expected), normalise_title(found)
    genre = _ABOUT_GENRES.search(got)
    if genre is None or _ABOUT_GENRES.search(want):
        return None
    mine, theirs = Tokens.of(expected), Tokens.of(found, is_found=True)
    hit_e, hit_f = matched_indexes(mine, theirs)
    informative = [i for i in mine.informative if mine.words[i] not in site_words]
    if len(informative) < 3 or sum(i in hit_e for i in informative) < 0.8 * len(informative):
        return None
    first = min((j for j in hit_f if theirs.words[j] not in site_words), default=None)
    if first is None:
        return None
    before = " ".join(theirs.words[:first])
    if genre.group(0).split()[0] not in before.split() or not _ABOUT_LINKS.search(before):
        return None
    return f"about_page: {genre.group(0)} {_ABOUT_LINKS.findall(before)[-1]} the cited document"
