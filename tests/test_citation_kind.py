"""Issue 9: link texts that are not citations are not compared; soft 404 by meaning; --titles.

Real material: README link texts and page titles quoted in issue 9 (nvm-sh/nvm, ohmyzsh), and
not-found page titles as real sites write them (found with the code search: Next.js/Helmet 404
pages of public repositories — "Seite nicht gefunden | Tellertouren", "Page introuvable · Cinévo",
"ページが見つかりません | INBYTE", "ページが見つかりません（404）｜GrapeReverse"; the German
Interior Ministry's "Uups, diese Seite ist leider nicht auffindbar" as heise.de quotes it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.models import Verdict
from tests.test_check import check_one
from tests.servers import html, respond


@pytest.mark.parametrize(
    ("text", "title", "reason"),
    [
        ("#303", "nvm: command not found after installation · Issue #303 · nvm-sh/nvm · GitHub", "identifier"),
        ("PR 42", "Add zsh completion by someone · Pull Request #42 · ohmyzsh/ohmyzsh · GitHub", "identifier"),
        ("@ohmyzsh", "X", "mention"),
        ("CI", "Workflow runs · ohmyzsh/ohmyzsh · GitHub", "badge"),
        ("PyPI version", "pandas · PyPI", "badge"),
        # ripgrep's and readability's READMEs: tokens shaped like software names.
        ("winget-pkgs", "winget-pkgs/manifests/b/BurntSushi/ripgrep at master · microsoft/winget-pkgs · GitHub", "bare_name"),
        ("DOMPurify", "GitHub - cure53/DOMPurify: DOMPurify - a DOM-only, super-fast, uber-tolerant XSS sanitizer for HTML, MathML and SVG.", "bare_name"),
        ("this article", "How to Write a Git Commit Message", "generic"),
        # node's README and vue's: a group of people names no document.
        ("partners", "Ecosystem Sustainability Program | OpenJS Foundation", "generic"),
        ("special sponsor", "Better Stack: Spot, Resolve, and Prevent Downtime.", "generic"),
        ("hier", "Bundeskanzler Scholz reist nach Japan | Bundesregierung", "generic"),
        ("ici", "Sommet UE-Japon, 12 mai 2022 - Consilium", "generic"),
        ("こちら", "日EU首脳協議 | 外務省", "generic"),
        ("v2.0.0", "Release v2.0.0 · simonw/sqlite-utils · GitHub", "version"),
        ("[3]", "Joint Statement EU-Japan Summit 2022", "footnote"),
        ("github.com/nvm-sh/nvm", "GitHub - nvm-sh/nvm: Node Version Manager", "url_text"),
    ],
)
def test_link_text_that_is_not_a_citation_is_not_compared(text: str, title: str, reason: str) -> None:
    result, _ = check_one({"/p": html(title)}, "/p", title=text)
    assert result.verdict is Verdict.OK
    assert result.title is not None and result.title.match is None
    assert result.title.detail == f"not_citation:{reason}"


def test_a_title_like_link_text_is_still_compared() -> None:
    result, _ = check_one({"/p": html("Summer salad recipes")}, "/p", title="EU-Japan Summit 2022 Joint Statement")
    assert result.verdict is Verdict.TITLE_MISMATCH


@pytest.mark.parametrize(
    "title",
    [
        "nvm: command not found after installation · Issue #303 · nvm-sh/nvm · GitHub",
        "bash: command not found",
        'Fix "page not found" errors in Django',
    ],
)
def test_not_found_words_inside_a_longer_title_are_not_a_soft_404(title: str) -> None:
    result, _ = check_one({"/issues/303": html(title)}, "/issues/303")
    assert result.verdict is Verdict.OK


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Seite nicht gefunden | Tellertouren", "Tellertouren durch die Fränkische Schweiz im Sommer"),
        ("Uups, diese Seite ist leider nicht auffindbar", "Bundesinnenministerium stellt Verfassungsschutzbericht vor"),
        ("Page introuvable · Cinévo", "Les films à l'affiche cette semaine à Cinévo"),
        ("ページが見つかりません | INBYTE", "INBYTEの新しいサービスについて"),
        ("ページが見つかりません（404）｜GrapeReverse", "GrapeReverseの使い方"),
        ("Página no encontrada", "El Gobierno aprueba el plan de vivienda"),
    ],
)
def test_not_found_titles_are_soft_404_in_many_languages(title: str, text: str) -> None:
    result, _ = check_one({"/a/b": html(title)}, "/a/b", title=text)
    assert result.verdict is Verdict.SOFT_404


def test_wiki_page_without_such_an_article_is_soft_404() -> None:
    body = ("Wikipedia does not have an article with this exact name. Please search for "
            "EU-Japan Digital Partnership in Wikipedia to check for alternative titles or spellings.")
    result, _ = check_one({"/wiki/EU-Japan_Digital_Partnership": html("EU-Japan Digital Partnership - Wikipedia",
                                                                     body=body)},
                          "/wiki/EU-Japan_Digital_Partnership")
    assert result.verdict is Verdict.SOFT_404


def _document(tmp_path: Path, httpserver: HTTPServer) -> Path:
    httpserver.expect_request("/summit").respond_with_data(
        "<html><head><title>Summer salad recipes</title></head><body>x</body></html>", content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"[EU-Japan Summit 2022 Joint Statement]({httpserver.url_for('/summit')})\n", encoding="utf-8")
    return doc


@pytest.mark.parametrize(("mode", "code", "verdict"), [("fail", 1, "title_mismatch"), ("warn", 0, "title_mismatch"),
                                                       ("off", 0, "ok")])
def test_titles_option_fails_warns_or_compares_nothing(
    tmp_path: Path, httpserver: HTTPServer, mode: str, code: int, verdict: str
) -> None:
    doc = _document(tmp_path, httpserver)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["check", str(doc), "-o", str(out), "--titles", mode, "--no-progress"])
    assert result.exit_code == code, result.output
    link = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"][0]
    assert link["verdict"] == verdict
    if mode == "off":
        assert link["title"]["match"] is None


def test_titles_key_in_the_settings_file(tmp_path: Path, httpserver: HTTPServer) -> None:
    doc = _document(tmp_path, httpserver)
    settings = tmp_path / "linkcheck.toml"
    settings.write_text('titles = "warn"\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["check", str(doc), "-o", str(out), "--config", str(settings), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"][0]["verdict"] == "title_mismatch"


def test_not_citation_reason_is_in_every_format(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/issues/303").respond_with_data(
        "<html><head><title>nvm: command not found after installation · Issue #303 · nvm-sh/nvm · GitHub</title>"
        "</head><body>x</body></html>", content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"See [#303]({httpserver.url_for('/issues/303')}).\n", encoding="utf-8")
    out = tmp_path / "out"
    args = ["check", str(doc), "-o", str(out), "--no-progress"]
    for fmt in ("json", "markdown", "html", "junit", "csv"):
        args += ["-f", fmt]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for name in ("linkcheck.json", "linkcheck.md", "linkcheck.html", "linkcheck.junit.xml", "linkcheck.csv"):
        shown = (out / name).read_text(encoding="utf-8").replace("\\_", "_")  # Markdown escapes _
        assert "not_citation:identifier" in shown, name


@pytest.mark.parametrize(
    ("text", "title", "lang"),
    [
        # Both sides real (trafilatura's evaluation pages): a text paired with another page of its language.
        ("Lange Haare: Dank dieser Lebensmittel wachsen sie viel schneller",
         "So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr", "de"),
        ("La fin des trottinettes en libre-service à Montréal",
         "Libre cours : Raoult, les nazis et moi - Avocat | Dalloz Actualité", "fr"),
        ("トレンドマイクロ、公衆無線LANを安全に使うためのアプリ「フリーWi-Fiプロテクション」",
         "NEWS WEB EASY|子どもへの体罰を禁止する法律ができる", "ja"),
    ],
)
def test_wrong_page_in_the_same_language_is_a_title_mismatch(text: str, title: str, lang: str) -> None:
    body = (f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'><title>{title}</title></head>"
            "<body><p>Inhalt, contenu, 内容.</p></body></html>").encode()
    result, _ = check_one({"/a": respond(200, body)}, "/a", title=text)
    assert result.verdict is Verdict.TITLE_MISMATCH, result.title


def test_german_ascii_link_text_is_compared_with_a_german_page() -> None:
    body = ("<!doctype html><html lang='de'><head><meta charset='utf-8'>"
            "<title>So viel Regen gab es lange nicht : 31.10.2023, 10.19 Uhr</title></head><body>x</body></html>").encode()
    result, _ = check_one({"/a": respond(200, body)}, "/a", title="Leasing oder Finanzierung: Rechner und Vergleich")
    assert result.verdict is Verdict.TITLE_MISMATCH, result.title


def _dated_page(httpserver: HTTPServer, title: str, published: str) -> str:
    httpserver.expect_request("/statement").respond_with_data(
        f"<html lang='fr'><head><title>{title}</title><meta property='article:published_time' "
        f"content='{published}T10:00:00+02:00'></head><body>x</body></html>", content_type="text/html")
    return httpserver.url_for("/statement")


@pytest.mark.parametrize(("as_of", "verdict"), [("2022-06-01", "title_mismatch"), ("2024-01-01", "ok")])
def test_a_page_published_after_the_citing_document_is_not_the_cited_one(
    tmp_path: Path, httpserver: HTTPServer, as_of: str, verdict: str
) -> None:
    # English link text, French page: unverifiable by words; its publication date settles it.
    url = _dated_page(httpserver, "Sommet UE-Japon : déclaration commune des dirigeants", "2023-07-13")
    doc = tmp_path / "doc.md"
    doc.write_text(f"[EU-Japan Summit: joint statement of the leaders]({url})\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["check", str(doc), "-o", str(out), "--as-of", as_of, "--no-progress"])
    link = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"][0]
    assert link["verdict"] == verdict, (result.output, link["title"])
    if verdict == "title_mismatch":
        assert link["title"]["detail"] == f"published after the citing document: 2023-07-13 > {as_of}"


def test_json_ld_publication_date_counts_too(tmp_path: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/statement").respond_with_data(
        "<html lang='fr'><head><title>Sommet UE-Japon : déclaration commune des dirigeants</title>"
        '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-07-13T10:00:00Z"}'
        "</script></head><body>x</body></html>", content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"[EU-Japan Summit: joint statement of the leaders]({httpserver.url_for('/statement')})\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    CliRunner().invoke(cli, ["check", str(doc), "-o", str(out), "--as-of", "2022-06-01", "--no-progress"])
    link = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"][0]
    assert link["verdict"] == "title_mismatch"
    assert link["title"]["detail"] == "published after the citing document: 2023-07-13 > 2022-06-01"


def test_a_cached_page_is_judged_against_as_of_like_a_fetched_one(tmp_path: Path, httpserver: HTTPServer) -> None:
    """The cache keeps the page's publication date: a warm rerun with another --as-of gives the
    verdict a cold run gives (the cache stores evidence, never the verdict)."""
    url = _dated_page(httpserver, "Sommet UE-Japon : déclaration commune des dirigeants", "2023-07-13")
    doc = tmp_path / "doc.md"
    doc.write_text(f"[EU-Japan Summit: joint statement of the leaders]({url})\n", encoding="utf-8")
    cache = str(tmp_path / "c.sqlite")
    verdicts = []
    for as_of in ("2024-01-01", "2022-06-01"):
        out = tmp_path / as_of
        CliRunner().invoke(cli, ["check", str(doc), "-o", str(out), "--as-of", as_of, "--cache", cache, "--no-progress"])
        link = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"][0]
        verdicts.append((link["verdict"], "cached" in link["details"]))
    assert verdicts == [("ok", False), ("title_mismatch", True)]


def test_a_licence_is_compared_its_license_file_passes_and_a_mislink_fails() -> None:
    # pandas' README: "BSD licensed" for its LICENSE file; the same text pointing at another page
    # (sqlite-utils' README links Simon Willison's blog elsewhere) is a mis-link.
    result, _ = check_one({"/pandas-dev/pandas/blob/main/LICENSE": html("pandas/LICENSE at main · pandas-dev/pandas · GitHub")},
                          "/pandas-dev/pandas/blob/main/LICENSE", title="BSD licensed")
    assert result.verdict is Verdict.OK
    assert result.title is not None and result.title.detail == "partial_description"
    result, _ = check_one({"/tags/sqliteutils/": html("Simon Willison on sqlite-utils")}, "/tags/sqliteutils/",
                          title="BSD licensed")
    assert result.verdict is Verdict.TITLE_MISMATCH
