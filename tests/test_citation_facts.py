"""Issue 9: dates, ordinals and identifiers are read as facts, in any format or language.

Titles: the EU-Japan summit series (consilium.europa.eu, mofa.go.jp: the 2022 summit was the
28th, 2018's in Tokyo the 25th), European Commission press release numbers (IP/11/654, the
issue's example) and a Court of Justice case number (C-122/23).
"""

from __future__ import annotations

import pytest

from linkcheck.citation import compare_title
from linkcheck.models import Expectation, Page
from linkcheck.models import Verdict
from tests.servers import html
from tests.test_check import check_one

THRESHOLD = 52.0


def titled(title: str, lang: str | None = None) -> Page:
    return Page(is_html=True, title=title, candidates=(("title", title),), language=lang)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("EU-Japan summit, 7 May 2014", "EU-Japan summit, Brussels, 07/05/2014 - Consilium"),
        ("EU-Japan-Gipfel am 7. Mai 2014", "EU-Japan-Gipfel, Brüssel, 7 May 2014 - Consilium"),
        ("Joint statement of the EU-Japan summit, May 7, 2014", "Joint statement of the EU-Japan summit, 2014-05-07"),
        ("22nd EU-Japan Summit joint press statement", "22e sommet UE-Japon: déclaration conjointe à la presse"),
    ],
)
def test_the_same_date_or_ordinal_in_another_format_is_no_contradiction(text: str, title: str) -> None:
    check = compare_title(Expectation(title=text), titled(title), threshold=THRESHOLD)
    assert check is not None and check.match is not False, check


@pytest.mark.parametrize(
    ("text", "title", "evidence"),
    [
        ("第28回日EU定期首脳協議", "第25回日EU定期首脳協議 | 外務省", "ordinals disagree: 28 vs 25"),
        ("28th EU-Japan Summit, Tokyo", "25th EU-Japan Summit, Tokyo - Consilium", "ordinals disagree: 28 vs 25"),
        ("Commission fines car parts makers (IP/11/654)", "Commission fines car parts makers (IP/11/655)",
         "identifiers disagree"),
        ("Judgment in Case C-122/23", "Judgment in Case C-112/23 - CURIA", "identifiers disagree"),
        # EUR-Lex titles (tests/data/titles.jsonl): the Digital Markets Act cited, the Digital Services Act found.
        ("Regulation (EU) 2022/1925 (Digital Markets Act)",
         "Regulation (EU) 2022/2065 of the European Parliament and of the Council of 19 October 2022 on a Single "
         "Market For Digital Services and amending Directive 2000/31/EC (Digital Services Act)",
         "identifiers disagree: 2022/1925 vs 2022/2065"),
        ("EU-Japan summit, 7 May 2014", "EU-Japan summit, 8 May 2014 - Consilium", "dates disagree: 2014-05-07 vs 2014-05-08"),
        ("EU-Japan Summit 2022 Joint Statement", "EU-Japan Summit 2023 Joint Statement - Consilium", "years disagree: 2022 vs 2023"),
    ],
)
def test_another_value_in_the_same_slot_is_a_mismatch_whatever_the_overlap(text: str, title: str, evidence: str) -> None:
    check = compare_title(Expectation(title=text), titled(title), threshold=THRESHOLD)
    assert check is not None and check.match is False
    assert check.detail is not None and check.detail.startswith(evidence), check.detail


def test_a_contradiction_is_a_title_mismatch_with_its_evidence_in_the_report() -> None:
    result, _ = check_one({"/p": html("25th EU-Japan Summit, Tokyo - Consilium")}, "/p", title="28th EU-Japan Summit, Tokyo")
    assert result.verdict is Verdict.TITLE_MISMATCH
    assert result.title is not None and result.title.detail == "ordinals disagree: 28 vs 25"


def test_another_language_version_is_unverifiable_with_the_languages_named() -> None:
    check = compare_title(Expectation(title="Chancellor Scholz visits Japan"),
                          titled("Bundeskanzler Scholz besucht Japan | Bundesregierung", "de"), threshold=THRESHOLD)
    assert check is not None and check.match is None
    assert check.detail == "title_unverifiable: languages differ: en/de"


def test_one_swapped_place_is_a_mismatch_and_a_paraphrase_is_not() -> None:
    """The issue's two examples: a near miss by one city, and a headline reworded by another outlet."""
    near = compare_title(Expectation(title="Prime Minister Kishida meets EU leaders in Brussels"),
                         titled("Prime Minister Kishida meets EU leaders in Tokyo"), threshold=THRESHOLD)
    assert near is not None and near.match is False and near.detail == "names disagree: brussels vs tokyo"
    paraphrase = compare_title(Expectation(title="NATO and EU sign joint declaration on cooperation"),
                               titled("NATO, EU ink joint declaration on cooperation"), threshold=THRESHOLD)
    assert paraphrase is not None and paraphrase.match is True


def test_another_country_in_the_same_slot_is_a_mismatch() -> None:
    check = compare_title(Expectation(title="EU-Japan Summit: joint statement of the leaders"),
                          titled("EU-Korea Summit: joint statement of the leaders"), threshold=THRESHOLD)
    assert check is not None and check.match is False and check.detail is not None


@pytest.mark.parametrize(
    ("text", "title", "site"),
    [
        # A deep link answered by the site's home page: its title is only the site's name.
        ("Joint statement of the EU-Japan Summit 2022", "Consilium", "Consilium"),
        # Real blog index (trafilatura evaluation page) cited for one of its posts.
        ("Zorn aus der Lust am Leben: Stéphane Hessel", "blog | Echte Demokratie Jetzt! Occupy", None),
    ],
)
def test_home_and_listing_pages_are_not_the_cited_document(text: str, title: str, site: str | None) -> None:
    page = Page(is_html=True, title=title, candidates=(("title", title),), publisher=site, language="de")
    check = compare_title(Expectation(title=text), page, threshold=THRESHOLD, final_url="https://www.consilium.europa.eu/")
    assert check is not None and check.match is False, check
