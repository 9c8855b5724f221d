"""Facts a title states in any format: dates, ordinals, document identifiers.

``canonical(text)`` rewrites them into one token each, the same whatever the language or format,
so that word matching sees "7 May 2014", "07/05/2014", "7. Mai 2014" and "2014年5月7日" as one
word ``d20140507``; "22nd", "22e", "22ème", "22º" and "第22回" as ``o22``; "IP/11/654",
"C-122/23", "statement_22_3022" as ``idip11654``, ``idc12223``, ``idstatement223022``; the
numbers of EU acts ("Regulation (EU) 2022/1925", "No 1234/2011") as ``idact2022x1925``; version
numbers ("Python 3.12", "v2.0.1") as ``v3p12``, ``v2p0p1``; the part of a series ("Part II",
"Teil 2", "Deuxième partie", "parte II", "その 2") as ``part2``. Each
kind is a *slot*: two titles that both fill it with different values contradict each other
(``disagreement``), which no overlap of other words can outweigh. A version agrees with a longer
one it begins ("3.12" and "3.12.7"). A second or later part is another document than a title
naming no part (the first part is often cited without its number, a later one never is).
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["canonical", "disagreement"]

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jän enero ene gennaio gen januari janeiro",
        "february feb fevrier février févr februar febrero febbraio febbr februari fevereiro fev",
        "march mar mars märz marz marzo maart março",
        "april apr avril abril aprile",
        "may mai mayo maggio mei maio",
        "june jun juin juni junio giugno junho",
        "july jul juillet juli julio luglio julho",
        "august aug aout août agosto augustus",
        "september sep sept septembre septiembre settembre setembro",
        "october oct octobre oktober octubre ottobre oktober outubro out",
        "november nov novembre noviembre novembro",
        "december dec décembre decembre dezember diciembre dicembre dezembro dez",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_MONTH = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))

_D = r"(?P<d>[0-3]?\d)"
_Y = r"(?P<y>(?:19|20)\d\d)"
_DATES = [
    re.compile(rf"(?<!\d){_Y}-(?P<m>[01]?\d)-{_D}(?!\d)"),  # 2014-05-07
    re.compile(rf"(?<!\d){_Y}\s*年\s*(?P<m>[01]?\d)\s*月\s*{_D}\s*日"),  # 2014年5月7日
    re.compile(rf"(?<![\w.]){_D}\s*[./]\s*(?P<m>[01]?\d)\s*[./]\s*{_Y}(?!\d)"),  # 07/05/2014, 31.10.2023
    re.compile(rf"(?<!\w){_D}(?:st|nd|rd|th|er|º)?\.?\s+(?:de\s+)?(?P<mn>{_MONTH})\.?,?\s+(?:de\s+)?{_Y}(?!\d)",
               re.IGNORECASE),  # 7 May 2014, 7. Mai 2014, 7 de mayo de 2014, 1er mai 2014
    re.compile(rf"(?<!\w)(?P<mn>{_MONTH})\.?\s+{_D}(?:st|nd|rd|th)?,?\s+{_Y}(?!\d)", re.IGNORECASE),  # May 7, 2014
]
_ORDINALS = [
    re.compile(r"第\s*(\d{1,4})\s*[回次届期号]"),
    re.compile(r"(?<![\w.])(\d{1,4})(?:st|nd|rd|th|e|er|ère|re|ème|eme|º|ª)(?!\w)", re.IGNORECASE),
]
_VERSION = re.compile(r"(?<![\w.])[vV]?(\d{1,3}(?:\.\d{1,4}){1,3})(?![\w]|\.\d)")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
_PART_ORDINALS = {
    **dict.fromkeys("first premiere premier primera primero prima primo primeira erster erste".split(), 1),
    **dict.fromkeys("second deuxieme seconde segunda segundo seconda secondo zweiter zweite".split(), 2),
    **dict.fromkeys("third troisieme tercera tercero terza terzo terceira dritter dritte".split(), 3),
    **dict.fromkeys("fourth quatrieme cuarta cuarto quarta quarto vierter vierte".split(), 4),
}
_PART_WORD = r"(?:part|parts|teil|partie|parte|deel|parti)"
_NUMBERISH = r"(\d{1,2}|[ivx]{1,4})"
_PARTS = [
    re.compile(rf"(?<!\w){_PART_WORD}\s+{_NUMBERISH}(?!\w)", re.IGNORECASE),  # Part II, Teil 2, parte II
    re.compile(rf"(?<!\w)([^\W\d_]+)\s+{_PART_WORD}(?!\w)", re.IGNORECASE),  # Deuxième partie, zweiter Teil
    re.compile(r"その\s*(\d{1,2})"),  # その 2
]
_ACT_NUMBER = re.compile(r"(?:\((?:EU|EC|EEC|EU,\s*Euratom|Euratom)\)|\bNo\.?|\bNr\.?|\bn°)\s*(\d{2,4}/\d{1,5})(?![\d/])")
"""EU acts and numbered documents: "Regulation (EU) 2022/1925", "Directive (EU) 2019/1937", "No 1234/2011"."""
_PART_HINT = re.compile(r"part|teil|deel|その", re.IGNORECASE)
_IDENTIFIER = re.compile(
    r"(?<![\w/])(?P<id>[A-Za-z]{1,12}[/_-]\d{1,6}(?:[/_-]\d{1,6})+|[A-Za-z]-\d{1,6}/\d{2,4})(?![\w/])"
)


def _date(match: re.Match[str]) -> str:
    groups = match.groupdict()
    month = _MONTHS.get(groups["mn"].lower(), 0) if groups.get("mn") else int(groups["m"])
    day = int(groups["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return match.group(0)
    token = f" d{groups['y']}{month:02d}{day:02d} "
    if groups.get("m") and "/" in match.group(0) and day <= 12 and month <= 12 and day != month:
        token += f"d{groups['y']}{day:02d}{month:02d} "  # 05/07/2014: 5 July, or May 7 written the US way
    return token


def _part(match: re.Match[str]) -> str:
    value = match.group(1).lower()
    value = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))
    number = int(value) if value.isdigit() else _ROMAN.get(value) or _PART_ORDINALS.get(value)
    return f" part{number} " if number else match.group(0)


@functools.lru_cache(maxsize=4096)
def canonical(text: str) -> str:
    """``text`` with its dates, ordinals, identifiers, versions and parts as one token each."""
    if _PART_HINT.search(text):
        for pattern in _PARTS:
            text = pattern.sub(_part, text)
    if not any(c.isdigit() for c in text):
        return text
    out = _ACT_NUMBER.sub(lambda m: " idact" + m.group(1).replace("/", "x") + " ", text)
    out = _IDENTIFIER.sub(lambda m: " id" + re.sub(r"[/_-]", "", m.group("id")).lower() + " ", out)
    for pattern in _DATES:
        out = pattern.sub(_date, out)
    for pattern in _ORDINALS:
        out = pattern.sub(lambda m: f" o{int(m.group(1))} ", out)
    return _VERSION.sub(lambda m: " v" + m.group(1).replace(".", "p") + " ", out)


_SLOT_NAMES = {"d": "dates", "o": "ordinals", "id": "identifiers", "year": "years", "v": "versions", "part": "parts"}


def _slots(words: tuple[str, ...]) -> dict[str, set[str]]:
    slots: dict[str, set[str]] = {}
    for word in words:
        if re.fullmatch(r"d\d{8}", word):
            slots.setdefault("d", set()).add(word[1:])
            slots.setdefault("year", set()).add(word[1:5])
        elif re.fullmatch(r"o\d{1,4}", word):
            slots.setdefault("o", set()).add(word[1:])
        elif word.startswith("id") and any(c.isdigit() for c in word):
            slots.setdefault("id", set()).add(word[2:])
        elif re.fullmatch(r"(?:19|20)\d\d", word):
            slots.setdefault("year", set()).add(word)
        elif re.fullmatch(r"v\d+(?:p\d+)+", word):
            slots.setdefault("v", set()).add(word[1:].replace("p", "."))
        elif re.fullmatch(r"part\d+", word):
            slots.setdefault("part", set()).add(word[4:])
    return slots


def disagreement(expected_words: tuple[str, ...], found_words: tuple[str, ...]) -> str | None:
    """"dates disagree: 2014-05-07 vs 2014-05-08" when a slot both titles fill has no common
    value (dates, ordinals, identifiers; years), else None."""
    mine, theirs = _slots(expected_words), _slots(found_words)
    for one, other in ((mine, theirs), (theirs, mine)):
        if "part" in one and "part" not in other and min(int(p) for p in one["part"]) >= 2:
            return f"parts disagree: {_show('part', mine.get('part', {'none'}))} vs {_show('part', theirs.get('part', {'none'}))}"
    if "v" in mine and "v" in theirs and not any(_same_version(a, b) for a in mine["v"] for b in theirs["v"]):
        return f"versions disagree: {_show('v', mine['v'])} vs {_show('v', theirs['v'])}"
    for slot in ("d", "o", "id", "year", "part"):
        if slot in mine and slot in theirs and not mine[slot] & theirs[slot]:
            if slot == "year" and "d" in mine and "d" in theirs:
                continue  # already told as dates
            return f"{_SLOT_NAMES[slot]} disagree: {_show(slot, mine[slot])} vs {_show(slot, theirs[slot])}"
    return None


def _same_version(a: str, b: str) -> bool:
    """"3.12" and "3.12.7" name the same release line; "3.11" and "3.12" do not."""
    short, long = sorted((a, b), key=len)
    return long == short or long.startswith(short + ".")


def _show(slot: str, values: set[str]) -> str:
    shown = sorted(values)
    if slot == "id":
        shown = [v[3:].replace("x", "/") if v.startswith("act") else v for v in shown]
    if slot == "d":
        shown = [f"{v[:4]}-{v[4:6]}-{v[6:]}" for v in shown]
    return "/".join(shown)
