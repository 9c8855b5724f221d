"""Citation judgement: is the page reached the source a citation names? Pure; no I/O.

Page facts come from ``linkcheck.page`` (``parse_page(fetch) -> Page``); this package only
judges them: ``compare_title(expected, page, threshold=...) -> TitleCheck`` says whether the page
is the cited source. Modules: ``normalise`` (comparison form, words, stems), ``lexicon`` (word
lists), ``stop`` (titles that name nothing), ``tokens`` (weighted words, numbers, acronyms),
``score`` (``similarity``), ``sites`` (site names in titles, publishers), ``language`` (scripts
and languages), ``kind`` (is a link text a citation at all), ``facts`` (dates, ordinals and
identifiers in any format; contradictions), ``entities`` (one swapped name), ``evidence`` (short descriptions that share a word
with the page or URL; reworded headlines borne out by the page's description or shortened title),
``frequency`` (how common a word is: Zipf frequencies, loaded on first use), ``compare`` (the verdict rules below).

Scoring (``similarity``). Both titles are normalised (NFKC, casefold, dashes and quotes folded,
accents stripped from Latin/Greek/Cyrillic letters, punctuation removed, whitespace collapsed) and
split into words (CJK text into characters). Words match when equal, equal after a crude English
stem ("joins"/"joining"), close in spelling (long words only: "organisation"/"organization"), when
one side's acronym spells the other side's words ("EU" / "European Union", "CEPA"), or when both
name the same country ("Japanese" / "Japan"). Each distinct word weighs by how rare it is
(``frequency``: (8 − Zipf) / 4 within 0.3..1.5: "wie" 0.35, "zinsen" 0.93, a name 1.25), except stop words (0),
words naming the kind of document ("press release", "statement", "factsheet": 0.3, link texts swap
them freely) and, in the page title, dates ("(May 12, 2022)": 0.2). The score is

    100 × (0.8 × coverage + 0.2 × token_sort_ratio)

where *coverage* is the weighted share of the expected title's words found in the page title times
the square root of the share of the page title's words explained by the expected title. The square
root keeps a short citation of a long title high ("EU-Japan Joint Statement" for "Joint statement
of the EU-Japan Summit 2022": 83), while a subset stays low ("Press release" for "Press release: EU
and Japan sign digital partnership": 34). rapidfuzz's ``token_set_ratio`` is *not* used: it scores
every subset 100. ``token_sort_ratio`` (order-free) adds a little credit for near spellings.
Words of the site's own name are not required of the page title ("World Health Organization:
Obesity fact sheet" for "Obesity and overweight" on who.int). An expected number of a kind the
page title has none of (an ordinal against a date) is unconfirmed, not missing (weight 0.3).

Contradictions: when both titles carry numbers of one kind (years, ordinals, "G7"/"G20") and none
is shared, or name different countries ("EU-Japan" / "EU-Korea"), the score is cut by 40 %.

Site names. Page titles carry their site as a prefix or suffix ("Joint statement … - Consilium").
A title is split on `` | ``, `` - ``, `` – ``, `` — ``, `` :: ``, `` · `` (and `` / ``, `` : ``, `` » ``). An
edge segment that names the site (``og:site_name``/publisher, a label of the host, the host label
as an acronym: "mofa" for "Ministry of Foreign Affairs") is dropped and only the rest is scored. A
short edge segment (≤ 5 words) that merely looks like a site name is a guess: the title is scored
with and without it, the latter at 90 %, and the best score wins. The site part alone is never a
candidate.

Threshold. ``DEFAULT_TITLE_THRESHOLD`` (52) was chosen on the labelled set in
``tests/data/titles.jsonl`` (106 hand-written pairs): the sweep (``python
tests/test_title_dataset.py``) is best between 51.3 and 53.5, where precision of
``title_mismatch`` is 0.958 and recall 0.92; 52 sits inside that band. Scores are compressed
(a faithful short citation of a long title often scores 55–75), so 52 is not "half similar".

Verdict rules of ``compare_title``:

* A link text that is not a citation (``kind.not_citation``: identifier, mention, version,
  footnote, URL, badge, generic words, licence or bare name): ``match=None``, detail
  ``not_citation:REASON``, unless it equals the title.
* A date, ordinal, identifier, year, version ("3.11" / "3.12"; "3.12" agrees with "3.12.7") or
  part ("Part II" against no part) that differs in the same slot (``facts``), a different code
  name opening both titles ("ftplib — …" / "poplib — …"), one swapped name, or a page that is a
  speech, Q&A or interview *about* the cited title ("about_page: speech at …") (``entities``):
  ``match=False`` with the evidence as detail, whatever the overlap. An edge segment guessed to
  be a site name is not dropped when it carries such a fact.
* A link text pointing at lines of a source file (``#L133``): ``match=None``, detail
  ``not_citation:code_line``.
* A low score is not a mismatch when the link text names the section its #fragment points at
  (most fragment words in the text: ``cites_section: #…``), when it is a language's name and the
  page or URL says it is a language version (``language_version: es``), when it is a short
  description or a whole sentence sharing a word with the page or its URL (``partial_description``), when three long words are shared
  (``title_unverifiable: shares …``; words of six letters or more, compared by stem), when the
  page's title is a shortening of the citation or opens with the same segment
  (``title_unverifiable: the page's title is a shortening of the citation``), when the page's
  titles and meta description hold 60 % of the citation's information, rarity-weighted
  (``title_unverifiable: the page's description holds …``), or when the page's title is a login wall (``login_page``).
* A title that is only the declared site name: ``match=False``, detail ``home_page: …``.
* With ``as_of``, a page published later whose title does not match: ``match=False``.
* Nothing known at all (no expectation and no title): ``None``.
* No expected title, or no title found: ``match=None``.
* Expected title is generic ("Home", "Press release", "here", "Statement" …, see
  ``is_stop_title``): ``match=None``, detail ``generic_expected`` — it cannot prove anything.
* Every candidate the page offers is generic ("Page not found", "Just a moment...", "Home |
  Site"): ``match=False``, detail ``generic_title`` — unless the link text is the site's name
  ("Click" for "Welcome to Click — Click Documentation (8.2.x)"): ``None``, ``expected_is_publisher``.
* Language: if the found title is written mostly in another script than the expected title
  (CJK vs Latin, Cyrillic vs Latin …) and does not reach the threshold, ``match=None``, detail
  ``title_unverifiable``: the link is fine by every other measure, and an English link text cannot
  contradict a Japanese page. The same holds for same-script languages: the language of each
  title is guessed from its function words ("the/of/and", "der/und/für", "le/et/pour" …); the
  expected title falls back to English when it is plain ASCII, the found title to the page's
  ``language`` (German is also told by its letters and word endings); when function words tie
  between languages ("e": Italian or Portuguese) and the page's language is none of them, the
  languages differ ("it|pt/en"). When both are known and
  differ, a low score is ``title_unverifiable: languages differ: en/fr`` rather than
  a mismatch — unless the titles contradict each other in facts any language shares (different
  years, different countries: "Scholz visits Japan" vs "Scholz besucht Indien"), which stays a
  mismatch. A high score is still a match; a low one is never silently a match.
* Expected title equal to the site name while the page title is about something else (a link
  text "Reuters" on a Reuters article): ``match=None``, detail ``expected_is_publisher``.
* ``expected.match``: ``exact`` (equal after normalisation, with or without the site name),
  ``contains`` (the normalised expected words appear in order in the page title), ``fuzzy``
  (``score >= threshold``).
* ``expected.publisher`` is compared with the page's publisher and the host; a mismatch alone never
  changes ``match`` (sites rename themselves, "Council of the EU" calls itself "Consilium"): it is
  reported as detail ``publisher_mismatch`` when no other detail is set.
"""

from __future__ import annotations

from .compare import compare_title
from .normalise import normalise_title
from .score import similarity
from .stop import is_stop_title

__all__ = ["compare_title", "is_stop_title", "normalise_title", "similarity"]
