"""Which writing system and language a title is in, and whether two titles differ in it."""

from __future__ import annotations

import re

from ..models import Page
from ..page.text import MAX_TITLE
from .lexicon import LANG_WORDS
from .normalise import normalise_title

__all__ = ["guess_language", "language_difference", "languages_differ", "script_of"]

def script_of(text: str) -> str | None:
    """The writing system most letters of ``text`` use ('latin', 'cjk', 'hangul', 'cyrillic' …)."""
    counts: dict[str, int] = {}
    for char in text[:MAX_TITLE]:
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


def guess_language(text: str) -> str | None:
    """Language of a Latin-script title from its function words; None when they do not tell."""
    words = normalise_title(text).split()
    tally = {lang: sum(w in vocab for w in words) for lang, vocab in LANG_WORDS.items()}
    best = max(tally, key=lambda k: tally[k])
    ranked = sorted(tally.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return None
    return best


def languages_differ(expected: str, found: str, page: Page) -> bool:
    return language_difference(expected, found, page) is not None


def language_difference(expected: str, found: str, page: Page) -> str | None:
    """"en/fr" (languages) or "latin/cjk" (scripts) when the two titles are in different ones."""
    script_e, script_f = script_of(expected), script_of(found)
    if script_e and script_f and script_e != script_f:
        return f"{script_e}/{script_f}"
    if script_e != "latin":
        return None
    # Plain ASCII without function words is English unless its letters or word endings say
    # otherwise: "Leasing Finanzierung Rechner" is German, and guessing English would compare
    # nothing on German pages.
    lang_e = guess_language(expected) or _letters_language(expected) or ("en" if expected.isascii() else None)
    lang_f = guess_language(found) or page.language
    if lang_e is None and lang_f:
        # Function words tie ("e" is Italian and Portuguese): the text is one of those, and if
        # the page's language is none of them, they still differ ("Entrada e Saída" / "Input and Output").
        tied = _tied_languages(expected)
        return f"{'|'.join(tied)}/{lang_f}" if tied and lang_f not in tied else None
    return f"{lang_e}/{lang_f}" if lang_e and lang_f and lang_e != lang_f else None


def _tied_languages(text: str) -> list[str]:
    words = normalise_title(text).split()
    tally = {lang: sum(w in vocab for w in words) for lang, vocab in LANG_WORDS.items()}
    top = max(tally.values(), default=0)
    return sorted(lang for lang, n in tally.items() if n == top) if top else []


_LETTERS: tuple[tuple[str, str], ...] = (("äöüß", "de"), ("ñ¿¡", "es"), ("ãõ", "pt"), ("èêëçœ", "fr"), ("ĳ", "nl"))


_GERMAN_WORD = re.compile(r"(?:ung|ungen|keit|heit|schaft|lich|isch|chen)$|sch|tz|pf")


def _letters_language(text: str) -> str | None:
    """A language some letters or word endings only it uses betray ("ß", "ñ", "ã", "-ung",
    "-keit", "sch"); None when none does or several do."""
    lowered = text.lower()
    found = {lang for letters, lang in _LETTERS if any(c in lowered for c in letters)}
    words = [w for w in re.split(r"[^a-z]+", lowered) if len(w) >= 5]
    if words and sum(bool(_GERMAN_WORD.search(w)) for w in words) * 2 >= len(words):
        found.add("de")
    return found.pop() if len(found) == 1 else None
