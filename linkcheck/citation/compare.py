"""``compare_title``: the verdict rules (see the ``citation`` package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Expectation, Page, TitleCheck
from .entities import about_disagreement, name_disagreement, subject_disagreement
from .facts import disagreement
from .evidence import DESCRIPTIVE_MAX_WORDS, described_by_page, informative_words, shares_word, shortened_in
from .kind import code_line, is_login_title, language_version, names_language, not_citation
from .language import language_difference
from .normalise import normalise_title
from .score import conflicts, score_tokens, similarity
from .sites import host_name, is_home_url, names_site, publisher_agrees, site_names, site_words, stop_after_site, variants
from .stop import is_stop_title
from .tokens import Tokens

__all__ = ["compare_title"]

def _contains(expected: str, found: str) -> bool:
    needle, hay = f" {normalise_title(expected)} ", f" {normalise_title(found)} "
    return needle.strip() != "" and needle in hay


@dataclass(frozen=True)
class _Best:
    signal: str
    text: str
    score: float
    exact: bool
    contains: bool


def _best_candidate(expected: str, candidates: list[tuple[str, str]], sites: list[str]) -> _Best | None:
    best: _Best | None = None
    want = Tokens.of(expected)
    norm_expected = normalise_title(expected)
    known = site_words(sites)
    for signal, text in candidates:
        for variant, factor in variants(text, sites):
            exact = normalise_title(variant) == norm_expected
            if exact and factor < 1.0 and disagreement(want.words, Tokens.of(text).words):
                exact = False  # the edge segment guessed to be a site name is "Part II", "3.12": a fact
            if exact:  # scores 100 and nothing ranks above (100, exact): stop here
                return _Best(signal, text, 100.0, True, _contains(expected, variant))
            score = round(factor * score_tokens(want, Tokens.of(variant, is_found=True), known), 1)
            current = _Best(signal, text, score, exact, _contains(expected, variant))
            if best is None or (current.score, current.exact) > (best.score, best.exact):
                best = current
    return best


RARE_SHARED = 3
"""Shared long words that make a low score "the same story reworded" (tune half: P 0.84 → 0.90 at
recall 0.82 with 3 words of 6+ letters; 2 words cost recall)."""
RARE_LEN = 6


def _shared_rare_words(want: str, found: str) -> set[str]:
    """Long words both titles have ("oneworld", "paxlovid"): a reworded headline of the same story
    keeps its names and rare words, an unrelated page seldom shares two."""
    tokens = Tokens.of(want)
    mine = {s for w, s in zip(tokens.words, tokens.stems) if len(w) >= RARE_LEN and not any(c.isdigit() for c in w)}
    return mine & set(Tokens.of(found, is_found=True).stems)


def _is_site_name(title: str, sites: list[str]) -> bool:
    norm = normalise_title(title)
    return bool(norm) and any(norm == normalise_title(site) for site in sites)


def _is_sentence(text: str) -> bool:
    """"Archives of precompiled binaries for ripgrep are available for Windows, macOS and Linux.":
    a sentence ending in a full stop describes its target; titles do not end so."""
    stripped = text.rstrip()
    return stripped.endswith(".") and not stripped.endswith("..") and len(stripped.split()) >= 5


def _names_section(want: str, cited_url: str | None) -> str | None:
    """The #fragment when the link text names the section it points at: most of the fragment's
    words are in the text ("FAQ: How do I update Oh My Zsh?" for ``#how-do-i-update-oh-my-zsh``)."""
    fragment = (cited_url or "").partition("#")[2]
    if not fragment or fragment.startswith(("/", "!")) or code_line(cited_url):
        return None
    parts = [w for w in re.split(r"[-_.\s]+|%20", fragment.lower()) if w]
    if len(parts) < 2:
        return None
    mine = set(normalise_title(want).split())
    covered = sum(normalise_title(w) in mine for w in parts)
    return fragment if covered * 3 >= 2 * len(parts) else None


def _site_only_words(title: str, sites: list[str]) -> frozenset[str]:
    """Words of the site's names that the title does not also use for its subject: an
    og:site_name "Privatkredit" on "Privatkredit-Zinsen: So ermitteln Sie Ihre Kosten | SMAVA"."""
    return site_words(sites) - frozenset(Tokens.of(_without_site(title, sites)).words)


def _without_site(title: str, sites: list[str]) -> str:
    found = variants(title, sites)
    return found[0][0] if len(found) == 1 else title


def _describes_part(want: str, page: Page, final_url: str | None, cited_url: str | None,
                    sites: list[str] | None = None) -> bool:
    """A short description sharing a word with the page or its URL, a sentence that does, or a
    phrase naming the section the URL's #fragment points at (see ``evidence``). Words of a
    segment naming the site ("— pandas 0.23.4 documentation") say which site, not which page:
    "project documentation" shares nothing with "Contributing to pandas — pandas … documentation";
    a single word may be the site's name ("node" for "Node.js — Run JavaScript Everywhere")."""
    titles = [t for _, t in page.candidates]
    if len(informative_words(want)) >= 2:  # one word sharing the site's name names the site ("node")
        titles = [_without_site(t, sites or []) for t in titles]
    if _is_sentence(want):
        return shares_word(want, titles, final_url, cited_url)
    size = len(informative_words(want)) if want.isascii() else min(len(informative_words(want)), len(want.split()))
    if size > 2 * DESCRIPTIVE_MAX_WORDS:
        return False
    if size <= DESCRIPTIVE_MAX_WORDS or want[:1].islower():
        return shares_word(want, titles, final_url, cited_url)
    fragment = (cited_url or "").partition("#")[2]
    return bool(fragment) and shares_word(want, [], "/#" + fragment)


def compare_title(
    expected: Expectation | None, page: Page, *, threshold: float, final_url: str | None = None,
    cited_url: str | None = None, as_of: str | None = None,
) -> TitleCheck | None:
    """Is the page the source it is cited as? See the module docstring for every rule."""
    found_title = page.title or (page.candidates[0][1] if page.candidates else None)
    want = expected.title.strip() if expected and expected.title else ""
    if not want:
        if found_title is None:
            return None
        return TitleCheck(expected=None, found=found_title, score=None, match=None)
    if expected is not None and expected.origin == "image_alt" and normalise_title(want) != normalise_title(
        found_title or ""
    ):
        return TitleCheck(want, found_title, None, None, detail="not_citation:image")
    if expected is not None and expected.origin == "link_text" and not is_stop_title(want):
        reason = not_citation(want) or ("code_line" if code_line(cited_url) else None)
        if reason is not None and normalise_title(want) != normalise_title(found_title or ""):
            return TitleCheck(want, found_title, None, None, detail=f"not_citation:{reason}")
    publisher_detail = None
    if (
        expected is not None
        and expected.publisher
        and (page.publisher or final_url)
        and not publisher_agrees(expected.publisher, page, final_url)
    ):
        publisher_detail = "publisher_mismatch"
    if not page.candidates:
        return TitleCheck(want, None, None, None, detail=publisher_detail or "no_title")
    if is_stop_title(want):
        return TitleCheck(want, found_title, None, None, detail="generic_expected")
    sites = site_names(page, final_url, expected.publisher if expected else None)
    # Only a declared site name (og:site_name, the manifest's publisher) makes a title "the home
    # page": "Zsh" on zsh.org is that project's page, cited by its name.
    declared = [n for n in (page.publisher, expected.publisher if expected else None) if n]
    declared = [n for n in declared if normalise_title(n) != normalise_title(want)]
    if (host := host_name(final_url)) and normalise_title(want).replace(" ", "") not in host.replace("-", ""):
        declared.append(host)  # "X" on x.com: the host's own name
    specific = [(s, t) for s, t in page.candidates
                if not is_stop_title(t) and not stop_after_site(t, sites) and not _is_site_name(t, declared)]
    if not specific and any(_is_site_name(t, declared) for _, t in page.candidates) and not names_site(want, sites):
        signal, text = next((s, t) for s, t in page.candidates if _is_site_name(t, declared))
        if final_url is not None and not is_home_url(final_url):
            # A deep link answering with only the site's name: a page that sets no title of its
            # own ("• PepTalks") or renders it by script ("X"); nothing to compare. Sent to the
            # home page by a redirect is the judge's soft 404 (redirected_to_home).
            return TitleCheck(want, text, None, None, signal=signal, detail="site_name_only: the title is only the site name")
        return TitleCheck(want, text, similarity(want, text), False, signal=signal,
                          detail="home_page: the title is only the site name")
    if any(is_login_title(t) for _, t in page.candidates[:1]):
        return TitleCheck(want, found_title, None, None, detail="login_page")
    if not specific:
        signal, text = page.candidates[0]
        score = similarity(want, text)
        if names_site(want, sites):  # "Click" for "Welcome to Click — Click Documentation (8.2.x)"
            return TitleCheck(want, text, score, None, signal=signal, detail="expected_is_publisher")
        return TitleCheck(want, text, score, False, signal=signal, detail="generic_title")
    best = _best_candidate(want, specific, sites)
    assert best is not None
    mode = expected.match if expected is not None else "fuzzy"
    if mode == "exact":
        is_match = best.exact
    elif mode == "contains":
        is_match = best.exact or best.contains or any(_contains(want, t) for _, t in specific)
    else:
        is_match = best.score >= threshold
    detail = publisher_detail
    result: bool | None = is_match
    contradiction = None if best.exact else disagreement(Tokens.of(want).words, Tokens.of(best.text).words)
    if contradiction is None and not best.exact and mode == "fuzzy":
        contradiction = (subject_disagreement(want, best.text) or name_disagreement(want, best.text, site_words(sites))
                         or about_disagreement(want, best.text, site_words(sites)))
    if contradiction is not None:  # another date, ordinal, identifier, year or name: whatever the overlap
        return TitleCheck(want, best.text, best.score, False, signal=best.signal, detail=contradiction)
    if not is_match:
        conflict = conflicts(Tokens.of(want), Tokens.of(best.text, is_found=True))
        # "Deutsche readme" names the language it links to; it is not German text.
        languages = None if names_language(want) else language_difference(want, best.text, page)
        if languages is not None and not conflict:
            result, detail = None, f"title_unverifiable: languages differ: {languages}"
        elif any(names_site(want, sites) for _ in (0,)) and not best.exact:
            result, detail = None, "expected_is_publisher"
        elif mode == "fuzzy" and not conflict and len(shared := _shared_rare_words(want, best.text)) >= RARE_SHARED:
            result, detail = None, "title_unverifiable: shares " + ", ".join(sorted(shared)[:3])
        elif mode == "fuzzy" and not conflict and any(shortened_in(want, v, site_words(sites), best.text)
                                                       for v, _ in variants(best.text, sites)):
            result, detail = None, "title_unverifiable: the page's title is a shortening of the citation"
        elif mode == "fuzzy" and not conflict and (held := described_by_page(want, page, _site_only_words(best.text, sites))):
            result, detail = None, "title_unverifiable: the page's description holds " + ", ".join(held[:3])
        elif (
            mode == "fuzzy"
            and (expected is None or expected.origin == "link_text")
            and not conflict
            and (section := _names_section(want, cited_url)) is not None
        ):
            result, detail = None, f"cites_section: #{section}"
        elif (
            (expected is None or expected.origin == "link_text")
            and (code := language_version(want, best.text, final_url, cited_url)) is not None
        ):
            result, detail = None, f"language_version: {code}"
        elif (
            mode == "fuzzy"
            and (expected is None or expected.origin == "link_text")
            and not conflict
            and _describes_part(want, page, final_url, cited_url, sites)
        ):
            result, detail = None, "partial_description"
    if result is not True and as_of and page.published and page.published > as_of:
        # Not shown to match, and published after the citing document was written: not the cited one.
        return TitleCheck(want, best.text, best.score, False, signal=best.signal,
                          detail=f"published after the citing document: {page.published} > {as_of}")
    return TitleCheck(want, best.text, best.score, result, signal=best.signal, detail=detail)

