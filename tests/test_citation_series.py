"""Issue 9: sibling pages of one series and other-language versions, on real titles.

Titles are the Python documentation's own headings (CPython ``Doc/``) and their translations
(python/python-docs-fr, -es, -ja, -pt-br .po files) as docs.python.org renders them, the rows of
``tests/data/citations/pairs.jsonl`` with ``source`` naming them: another module of the same
pattern ("ftplib — FTP protocol client" / "poplib — POP3 protocol client"), another release
("What's New In Python 3.11" / "… 3.12"), the second part of a chapter ("Part II", "Deuxième
partie", "その 2"), and the same page in another language.
"""

from __future__ import annotations

import pytest

from linkcheck.citation import compare_title
from linkcheck.models import Expectation, Page, Verdict
from tests.servers import html
from tests.test_check import check_one

THRESHOLD = 52.0


def page(title: str, lang: str, h1: str | None = None) -> Page:
    candidates = (("title", title),) + ((("h1", h1),) if h1 else ())
    return Page(is_html=True, title=title, candidates=candidates, h1=h1, language=lang)


def judged(text: str, title: str, lang: str, h1: str | None = None):
    check = compare_title(Expectation(title=text), page(title, lang, h1), threshold=THRESHOLD,
                          final_url="https://docs.python.org/3/library/x.html")
    assert check is not None
    return check


@pytest.mark.parametrize(
    ("text", "title", "lang", "evidence"),
    [
        ("ftplib — FTP protocol client", "poplib — POP3 protocol client — Python 3.12.7 documentation", "en",
         "subjects disagree: ftplib vs poplib"),
        ("http.client — HTTP protocol client", "http.server — HTTP servers — Python 3.12.7 documentation", "en",
         "subjects disagree: http client vs http server"),
        ("threading — Paralelismo basado en hilos",
         "multiprocessing — Paralelismo basado en procesos — documentación de Python - 3.12.7", "es",
         "subjects disagree: threading vs multiprocessing"),
        ("poplib --- POP3 プロトコルクライアント", "smtplib --- SMTP プロトコルクライアント — Python 3.13.0 ドキュメント", "ja",
         "subjects disagree: poplib vs smtplib"),
        ("What's New In Python 3.11", "What's New In Python 3.12 — Python 3.12.7 documentation", "en",
         "versions disagree: 3.11 vs 3.12"),
        ("O que há de novo no Python 3.12", "O que há de novo no Python 3.13 — Documentação Python 3.13.1", "pt",
         "versions disagree: 3.12 vs 3.13"),
        ("Brief Tour of the Standard Library",
         "11. Brief Tour of the Standard Library — Part II — Python 3.12.7 documentation", "en", "parts disagree: none vs 2"),
        ("Survol de la bibliothèque standard",
         "11. Survol de la bibliothèque standard – Deuxième partie — Documentation Python 3.12.7", "fr",
         "parts disagree: none vs 2"),
        ("標準ライブラリミニツアー", "11. 標準ライブラリミニツアー --- その 2 — Python 3.13.0 ドキュメント", "ja",
         "parts disagree: none vs 2"),
    ],
)
def test_a_sibling_page_of_the_same_series_is_a_mismatch_with_the_evidence(text: str, title: str, lang: str,
                                                                          evidence: str) -> None:
    check = judged(text, title, lang)
    assert check.match is False
    assert check.detail is not None and check.detail.startswith(evidence), check.detail


@pytest.mark.parametrize(
    ("text", "title", "lang"),
    [
        # The same page: a release line named by its first numbers, the docs title's patch release.
        ("What's New In Python 3.12", "What's New In Python 3.12 — Python 3.12.7 documentation", "en"),
        ("What's New In Python 3.11", "Qué hay de nuevo en Python 3.11 — documentación de Python - 3.12.7", "es"),
        ("os — Miscellaneous operating system interfaces",
         "os — Diverses interfaces pour le système d'exploitation — Documentation Python 3.12.7", "fr"),
        ("Brief Tour of the Standard Library", "10. Brief Tour of the Standard Library — Python 3.12.7 documentation", "en"),
    ],
)
def test_the_same_page_is_not_a_mismatch(text: str, title: str, lang: str) -> None:
    assert judged(text, title, lang).match is not False


@pytest.mark.parametrize(
    ("text", "title", "lang", "languages"),
    [
        ("Data Structures", "5. Structures de données — Documentation Python 3.12.7", "fr", "en/fr"),
        ("Errors and Exceptions", "8. Erros e exceções — Documentação Python 3.13.1", "pt", "en/pt"),
        # "e" is Italian and Portuguese: either way not the English page's language.
        ("Entrada e Saída", "7. Input and Output — Python 3.12.7 documentation", "en", "it|pt/en"),
    ],
)
def test_another_language_version_is_unverifiable_not_a_mismatch(text: str, title: str, lang: str,
                                                                 languages: str) -> None:
    check = judged(text, title, lang)
    assert check.match is None
    assert check.detail == f"title_unverifiable: languages differ: {languages}"


def test_a_sibling_module_page_fails_the_check_with_its_evidence() -> None:
    result, _ = check_one({"/3/library/poplib.html": html("poplib — POP3 protocol client — Python 3.12.7 documentation")},
                          "/3/library/poplib.html", title="ftplib — FTP protocol client")
    assert result.verdict is Verdict.TITLE_MISMATCH
    assert result.title is not None and result.title.detail == "subjects disagree: ftplib vs poplib"


def test_dutch_text_on_a_dutch_page_is_compared() -> None:
    """Real ANP headlines (zeelandnet.nl, pages corpus): Dutch function words tell the text is
    Dutch, so another story about the same mayor on a Dutch page is a mismatch, not "languages differ"."""
    check = compare_title(Expectation(title="'Leven Amsterdam kan doorgaan ondanks corona'"),
                          page("Halsema: Amsterdam heeft de rest van het land hard nodig", "nl"), threshold=THRESHOLD)
    assert check is not None and check.match is False, check


def test_german_determiners_are_german_not_italian() -> None:
    """Two real matchday previews (feverpitch.de, sportschau.de; pages corpus) of the same
    matchday number in different seasons: "alle" is German here, so they are compared (and differ)
    instead of "languages differ: it/de"."""
    check = compare_title(Expectation(title="12. Bundesliga-Spieltag: Alle Spiele, alle Termine und alle TV-Übertragungen"),
                          page("12. Spieltag der Fußball-Bundesliga Union, Bayern, Freiburg, Frankfurt - vier Teams "
                               "greifen nach der Spitze", "de"), threshold=THRESHOLD)
    assert check is not None and check.match is False, check


def test_a_speech_about_the_cited_paper_is_not_the_paper() -> None:
    """European Commission pages (pages corpus): the 2017 defence reflection paper, and the
    Vice-President's speech presenting it, whose title holds every word of the paper's."""
    check = compare_title(Expectation(title="Reflection paper on the future of European defence"),
                          page("Vice-President Katainen's speech at the press conference on the reflection paper on the "
                               "future of European defence", "en"), threshold=THRESHOLD)
    assert check is not None and check.match is False
    assert check.detail == "about_page: speech at the cited document"


def test_remarks_cited_as_remarks_are_not_an_about_page() -> None:
    """tests/data/titles.jsonl: the citation names the press conference itself."""
    check = compare_title(Expectation(title="President von der Leyen's remarks at the EU-Japan summit press conference"),
                          page("Statement by President von der Leyen at the joint press conference with President "
                               "Michel and Japanese Prime Minister Kishida", "en"), threshold=THRESHOLD)
    assert check is not None and check.match is not False
