"""Site names in titles: which edge segment names the site, and whether a publisher agrees."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from ..models import Page
from .normalise import normalise_title, words_of
from .score import score_tokens
from .stop import is_stop_text, segments
from .tokens import Tokens, acronyms

__all__ = ["host_name", "is_home_url", "names_site", "publisher_agrees", "site_names", "site_words", "stop_after_site", "variants"]

_GUESSED_SITE = 0.9


def site_names(page: Page, final_url: str | None, publisher: str | None) -> list[str]:
    names = [n for n in (page.publisher, publisher) if n]
    host = (urlsplit(final_url).hostname or "") if final_url else ""
    labels = [lab for lab in host.lower().split(".") if lab not in ("www", "com", "org", "net", "gov", "go", "co")]
    names.extend(lab for lab in labels if len(lab) >= 3)
    return names


_SUFFIX_LABELS = frozenset("com org net gov go co ac edu or ne".split())
_HOME_PATH = re.compile(r"^/?(?:[a-z]{2}(?:[-_][a-z]{2,4})?/?)?(?:index\.\w{2,5}|home/?|default\.aspx|start/?)?$",
                        re.IGNORECASE)


def host_name(url: str | None) -> str | None:
    """The name a host goes by: its label before the public suffix ("x" for x.com, "bbc" for
    www.bbc.co.uk), None without a host."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [lab for lab in host.lower().split(".") if lab and lab != "www"]
    while len(labels) > 1 and (labels[-1] in _SUFFIX_LABELS or len(labels[-1]) == 2 and labels[-2] in _SUFFIX_LABELS):
        labels.pop()
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else None)


def is_home_url(url: str | None) -> bool:
    """Is the URL a site's home page ("/", "/index.html", "/de/", "/en-us/home")?"""
    if not url:
        return False
    try:
        path = urlsplit(url).path
    except ValueError:
        return False
    return bool(_HOME_PATH.match(path or "/"))


def names_site(segment: str, sites: list[str]) -> bool:
    return _names_site_of(segment, tuple(sites))


@functools.lru_cache(maxsize=4096)
def _names_site_of(segment: str, sites: tuple[str, ...]) -> bool:
    seg = normalise_title(segment)
    compact = seg.replace(" ", "")
    for site in sites:
        norm = normalise_title(site)
        if not norm:
            continue
        if seg == norm or norm.replace(" ", "") == compact or fuzz.ratio(seg, norm) >= 90:
            return True
        if " " not in norm and len(norm) >= 3 and _is_host_label_of(norm, seg):
            return True
    return False


def _is_host_label_of(label: str, segment: str) -> bool:
    """Does a host label ("consilium", "mofa", "japantimes") name this title segment?"""
    words = segment.split()
    if label in words:
        # "Black 26.5.1 documentation": a release number does not make a site name longer.
        return sum(not w.isdigit() for w in words) <= 4
    compact = "".join(w for w in words if w != "the")
    return label == compact or (len(label) >= 5 and label in compact) or label in acronyms(Tokens.of(segment))


def variants(title: str, sites: list[str]) -> list[tuple[str, float]]:
    """(text, factor) to score: the title, and the title without its site-name prefix/suffix.

    A segment that names a known site is surely not part of the title: only the title without it
    is scored. A short edge segment that merely *looks* like a site name is a guess: the title
    without it is scored too, at 90 %. The site part alone is never a variant.
    """
    parts = segments(title)
    if len(parts) < 2:
        return [(title, 1.0)]
    named = [i for i in (0, len(parts) - 1) if names_site(parts[i], sites)]
    if named:
        kept = [p for i, p in enumerate(parts) if i not in named]
        if kept:
            return [(" ".join(kept), 1.0)]
    variants = [(title, 1.0)]
    for drop in (len(parts) - 1, 0):
        if len(words_of(parts[drop])) <= 5:
            variants.append((" ".join(p for i, p in enumerate(parts) if i != drop), _GUESSED_SITE))
    return variants


def publisher_agrees(publisher: str, page: Page, final_url: str | None) -> bool:
    words = Tokens.of(publisher)
    if page.publisher and score_tokens(words, Tokens.of(page.publisher)) >= 60:
        return True
    host = (urlsplit(final_url).hostname or "").lower() if final_url else ""
    labels = set(host.split("."))
    spelt = set(acronyms(words)) | {words.words[i] for i in words.informative}
    return bool(labels & spelt) or any(len(w) >= 4 and w in host for w in words.words)


def site_words(sites: list[str]) -> frozenset[str]:
    """Words and acronyms of the site's names ("world health organization", "who")."""
    words: set[str] = set()
    for site in sites:
        tokens = Tokens.of(site)
        words.update(tokens.words[i] for i in tokens.informative)
        words.update(a for a in acronyms(tokens) if len(a) >= 2)
        words.update(tokens.stems)
    return frozenset(words)


def stop_after_site(title: str, sites: list[str]) -> bool:
    """"Error | Council of the European Union": generic once the known site name is set aside."""
    parts = segments(title)
    kept = [p for p in parts if not names_site(p, sites)]
    return len(parts) >= 2 and bool(kept) and len(kept) < len(parts) and is_stop_text(" ".join(kept))
