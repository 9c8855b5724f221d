"""Page reading (charsets, title signals, anchors, hostile bodies) and title comparison rules."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfWriter
from rapidfuzz import fuzz, utils

from linkcheck.citation import compare_title, is_stop_title, normalise_title, similarity
from linkcheck.config import DEFAULT_TITLE_THRESHOLD
from linkcheck.models import Expectation, Fetch, Page
from linkcheck.page import parse_page

THRESHOLD = DEFAULT_TITLE_THRESHOLD
CONSILIUM = "https://www.consilium.europa.eu/en/press/press-releases/2022/05/12/joint-statement-eu-japan-summit-2022/"


def fetch(body: bytes, content_type: str | None = "text/html", **headers: str) -> Fetch:
    pairs = [("content-type", content_type)] if content_type is not None else []
    pairs += [(k.replace("_", "-").lower(), v) for k, v in headers.items()]
    return Fetch(url=CONSILIUM, final_url=CONSILIUM, status=200, headers=tuple(pairs), body=body)


def page_of(html: str, **kw: str) -> Page:
    return parse_page(fetch(html.encode("utf-8"), "text/html; charset=utf-8", **kw))


def titled(title: str, site: str | None = None, lang: str = "en") -> Page:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    return page_of(f'<html lang="{lang}"><head><title>{title}</title>{meta}</head><body></body></html>')


# --------------------------------------------------------------------------------------------
# Charsets
# --------------------------------------------------------------------------------------------

JA_TITLE = "日EU首脳協議 | 外務省"
JA_BODY = "令和4年5月12日、岸田総理大臣は日EU首脳協議を行い、デジタル・パートナーシップの立ち上げを歓迎しました。"
FR_TITLE = "Déclaration conjointe franco-japonaise – Élysée"
FR_BODY = (
    "Le président de la République a reçu le Premier ministre du Japon. Les deux dirigeants ont adopté "
    "une déclaration conjointe sur la coopération économique, la sécurité et l’énergie : « une "
    "coopération renforcée » a été saluée à l’Élysée."
)


def doc(title: str, body: str, head: str = "") -> str:
    return f"<html><head>{head}<title>{title}</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        pytest.param(doc(FR_TITLE, FR_BODY).encode("cp1252"), "text/html; charset=windows-1252", FR_TITLE,
                     id="header-windows-1252"),
        pytest.param(doc(FR_TITLE, FR_BODY).encode("cp1252"), "text/html; charset=ISO-8859-1", FR_TITLE,
                     id="header-latin1-means-windows-1252"),
        pytest.param(doc(JA_TITLE, JA_BODY).encode("shift_jis"), "text/html; charset=Shift_JIS", JA_TITLE,
                     id="header-shift-jis"),
        pytest.param(doc(JA_TITLE, JA_BODY, '<meta charset="shift_jis">').encode("shift_jis"), "text/html",
                     JA_TITLE, id="meta-charset"),
        pytest.param(
            doc(FR_TITLE, FR_BODY, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">')
            .encode("cp1252"), "text/html", FR_TITLE, id="meta-http-equiv"),
        pytest.param(doc(JA_TITLE, JA_BODY).encode("shift_jis"), "text/html", JA_TITLE, id="detected-shift-jis"),
        pytest.param(doc(FR_TITLE, FR_BODY).encode("cp1252"), "text/html", FR_TITLE, id="detected-windows-1252"),
        pytest.param(doc(JA_TITLE, JA_BODY).encode("utf-8"), "text/html", JA_TITLE, id="detected-utf8"),
        pytest.param(b"\xef\xbb\xbf" + doc(FR_TITLE, FR_BODY).encode("utf-8"), "text/html", FR_TITLE, id="bom-utf8"),
        pytest.param(doc(FR_TITLE, FR_BODY).encode("utf-16-le").join([b"\xff\xfe", b""]), "text/html", FR_TITLE,
                     id="bom-utf16"),
        pytest.param(doc(FR_TITLE, FR_BODY, '<meta charset="utf-8">').encode("cp1252"),
                     "text/html; charset=windows-1252", FR_TITLE, id="header-beats-meta"),
        pytest.param(doc(FR_TITLE, FR_BODY, '<meta charset="no-such-charset">').encode("utf-8"), "text/html",
                     FR_TITLE, id="unknown-label-falls-back"),
    ],
)
def test_title_is_decoded_with_the_right_charset(body: bytes, content_type: str, title: str) -> None:
    page = parse_page(fetch(body, content_type))
    assert page.title == title


def test_undecodable_bytes_become_replacement_characters() -> None:
    body = b"<html><head><meta charset='utf-8'><title>Bad \xff\xfe bytes</title></head></html>"
    assert parse_page(fetch(body)).title == "Bad \ufffd\ufffd bytes"


def test_entities_and_whitespace_in_titles() -> None:
    page = page_of("<title>\n  EU &amp; Japan&nbsp;&#8211;\tsummit  </title>")
    assert page.title == "EU & Japan\xa0–\tsummit".replace("\xa0", " ").replace("\t", " ")


# --------------------------------------------------------------------------------------------
# Signals
# --------------------------------------------------------------------------------------------

FULL_HEAD = """<!DOCTYPE html><html lang="en-GB"><head>
<title>Joint statement EU-Japan summit 2022 - Consilium</title>
<meta property="og:title" content="OG title">
<meta name="twitter:title" content="Twitter title">
<meta name="citation_title" content="Citation title">
<meta name="DC.title" content="Dublin Core title">
<meta property="og:site_name" content="Consilium">
<meta name="citation_publisher" content="Council of the EU">
<meta name="application-name" content="Consilium app">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "JSON-LD headline", "publisher": {"@type": "Organization", "name": "General Secretariat"}}</script>
</head><body><header id="top"><a name="old-anchor"></a></header>
<h1 id="main-title">Heading <em>one</em></h1><h1>Second heading</h1>
<script>document.write("not text")</script><style>.x{color:red}</style>
<p id="intro">Visible   text.</p></body></html>"""


def test_every_title_signal_in_priority_order() -> None:
    page = page_of(FULL_HEAD)
    assert page.is_html
    assert page.candidates == (
        ("title", "Joint statement EU-Japan summit 2022 - Consilium"),
        ("og:title", "OG title"),
        ("twitter:title", "Twitter title"),
        ("citation_title", "Citation title"),
        ("dc.title", "Dublin Core title"),
        ("json-ld:headline", "JSON-LD headline"),
        ("h1", "Heading one"),
    )
    assert page.title == "Joint statement EU-Japan summit 2022 - Consilium"
    assert page.h1 == "Heading one"


def test_page_facts_anchors_text_language() -> None:
    page = page_of(FULL_HEAD)
    assert page.publisher == "Consilium"
    assert {"top", "old-anchor", "main-title", "intro"} <= page.anchors
    assert "Visible text." in page.text and "Heading one" in page.text
    assert "not text" not in page.text and "color" not in page.text and "Consilium" not in page.text
    assert page.language == "en"
    assert page.charset == "utf-8"


def test_visible_text_without_closing_head() -> None:
    page = page_of("<html><head><title>T</title><meta name='x' content='hidden'><body><p>Visible words</p>")
    assert page.text == "Visible words"


@pytest.mark.parametrize(
    ("head", "publisher"),
    [
        ('<meta name="citation_publisher" content="Council of the EU">', "Council of the EU"),
        (
            (
                '<script type="application/ld+json">{"@graph": [{"@type": "WebPage", "name": "X"}, '
                '{"@type": "Article", "publisher": {"name": "EEAS"}}]}</script>'
            ),
            "EEAS",
        ),
        ('<meta name="application-name" content="GOV.UK">', "GOV.UK"),
    ],
)
def test_publisher_signals(head: str, publisher: str) -> None:
    assert page_of(f"<html><head>{head}</head></html>").publisher == publisher


def test_jsonld_name_of_main_entity_when_no_headline() -> None:
    page = page_of('<script type="application/ld+json">[{"@type": "Organization", "name": "Org"}, '
                   '{"@type": "Report", "name": "EU-Japan relations"}]</script>')
    assert page.candidates == (("json-ld:headline", "EU-Japan relations"),)


def test_language_from_content_language_header() -> None:
    page = page_of("<html><head><title>Bundeskanzler</title></head></html>", content_language="de-DE, en")
    assert page.language == "de"


def test_dc_title_lowercase_and_duplicates_collapse() -> None:
    page = page_of('<title>Same</title><meta name="dc.title" content="Same"><meta property="og:title" content="Same">')
    assert page.candidates == (("title", "Same"),)


def test_non_html_bodies_give_an_empty_page() -> None:
    page = parse_page(fetch(b'{"title": "json"}', "application/json"))
    assert page == Page()


def test_html_sniffed_without_content_type() -> None:
    page = parse_page(fetch(b"<!doctype html><html><title>Sniffed</title></html>", None))
    assert page.is_html and page.title == "Sniffed"


def test_svg_title_is_not_the_page_title() -> None:
    page = page_of('<body><svg><title>Search icon</title></svg><h1>Real heading</h1></body>')
    assert page.title is None
    assert page.candidates == (("h1", "Real heading"),)


def _pdf_bytes(title: str) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("content_type", ["application/pdf", "application/octet-stream", None])
def test_pdf_pages_use_the_pdf_title(content_type: str | None) -> None:
    page = parse_page(fetch(_pdf_bytes("Japan-EU Digital Partnership"), content_type))
    assert page.is_pdf and not page.is_html
    assert page.candidates == (("pdf:title", "Japan-EU Digital Partnership"),)
    assert page.title == "Japan-EU Digital Partnership"


def test_unreadable_pdf_is_an_untitled_pdf() -> None:
    page = parse_page(fetch(b"%PDF-1.7\n garbage", "application/pdf"))
    assert page.is_pdf and page.candidates == () and page.title is None


# --------------------------------------------------------------------------------------------
# Truncated and hostile bodies
# --------------------------------------------------------------------------------------------


def test_truncated_inside_the_title() -> None:
    page = page_of("<html><head><title>Joint statement EU-Japan summ")
    assert page.title == "Joint statement EU-Japan summ"


def test_truncated_inside_h1_and_inside_a_tag() -> None:
    page = page_of('<html><head><title>T</title></head><body><h1 id="h">Cut head')
    assert page.h1 == "Cut head" and "h" in page.anchors
    page = page_of('<html><head><title>T</title></head><body><p id="ok">x</p><a href="/x" id="cu')
    assert page.title == "T" and "ok" in page.anchors


def test_truncated_inside_a_multibyte_character_is_still_utf8() -> None:
    body = doc(JA_TITLE, JA_BODY).encode("utf-8")
    cut = body[: body.index("デジタル".encode()) + 1]  # ends one byte into a 3-byte character
    page = parse_page(fetch(cut, "text/html"))
    assert page.charset == "utf-8" and page.title == JA_TITLE


def test_script_inside_title_stays_plain_text() -> None:
    page = page_of("<html><head><title><script>alert(1)</script> Real &lt;b&gt;</title></head>"
                   "<body><p id='after'>after</p></body></html>")
    assert page.title == "<script>alert(1)</script> Real <b>"
    assert "after" in page.anchors and "after" in page.text


def test_unclosed_script_in_title_does_not_swallow_the_page() -> None:
    page = page_of("<title><script>x</title><body><h1 id='h'>Heading</h1></body>")
    assert page.title == "<script>x"
    assert page.h1 == "Heading"


@pytest.mark.parametrize(
    "junk",
    [
        pytest.param(b"<" * 1_000_000, id="lt"),
        pytest.param(b"<!--" + b"a" * 1_000_000, id="open-comment"),
        pytest.param(b"<div>" * 200_000, id="deep-nesting"),
        pytest.param(b"<title>" * 150_000, id="many-titles"),
        pytest.param(b"<a " + b'x="' * 300_000, id="open-attributes"),
        pytest.param(bytes(range(256)) * 4000, id="binary"),
        pytest.param(b'<script type="application/ld+json">' + b"[" * 500_000, id="jsonld-bomb"),
        pytest.param(b"</" * 500_000, id="end-tags"),
    ],
)
def test_a_megabyte_of_junk_does_not_blow_up(junk: bytes) -> None:
    started = time.process_time()  # CPU time: other work on the machine does not count
    page = parse_page(fetch(b"<html><head>" + junk, "text/html"))
    assert time.process_time() - started < 5.0
    assert page.is_html
    assert len(page.text) <= 4096 + 100


# --------------------------------------------------------------------------------------------
# Normalisation and similarity
# --------------------------------------------------------------------------------------------


def test_normalisation_folds_case_accents_dashes_quotes_punctuation() -> None:
    assert normalise_title("  Déclaration «conjointe» — FRANCO‑Japonaise!! ") == "declaration conjointe franco japonaise"
    assert normalise_title("Japan’s ＥＵ summit") == "japans eu summit"
    assert normalise_title("ジャパン") == "ジャパン"  # kana voicing marks are not "accents"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("EU-Japan Joint Statement", "Joint statement eu–japan"),
        ("Déclaration conjointe", "DECLARATION CONJOINTE"),
        ("U.S.-Japan Summit", "Summit: U.S. – Japan"),
    ],
)
def test_order_case_and_punctuation_do_not_matter(a: str, b: str) -> None:
    assert similarity(a, b) >= 99


def test_short_citation_of_a_longer_title_scores_high() -> None:
    assert similarity("EU-Japan Joint Statement", "Joint statement of the EU-Japan Summit 2022") >= THRESHOLD + 20


def test_subset_safety() -> None:
    headline = "Press release: EU and Japan sign digital partnership"
    assert similarity("Press release", headline) < THRESHOLD
    assert similarity("Statement", "Statement by President von der Leyen on Japan") < THRESHOLD


def test_rapidfuzz_facts_this_design_relies_on() -> None:
    # token_set_ratio scores any subset 100: it cannot tell a generic title from a headline.
    assert fuzz.token_set_ratio("Statement", "Statement by President von der Leyen on Japan") == 100
    # rapidfuzz >= 3 does not normalise case or punctuation unless given a processor.
    assert fuzz.token_sort_ratio("Press Release", "press release") < 100
    assert fuzz.token_sort_ratio("Press Release", "press release", processor=utils.default_process) == 100


def test_different_years_and_countries_are_contradictions() -> None:
    assert similarity("EU-Japan Summit 2022 Joint Statement", "EU-Japan summit 2021 joint statement") < THRESHOLD
    assert similarity("UK and Japan sign free trade agreement", "UK and Australia sign free trade agreement") < THRESHOLD
    assert similarity("G7 Leaders' Communiqué", "G20 Leaders' Communiqué") < THRESHOLD


def test_abbreviations_match_their_expansion() -> None:
    assert similarity("UK-Japan CEPA", "UK-Japan Comprehensive Economic Partnership Agreement") >= THRESHOLD + 20
    assert similarity("European Union digital strategy", "EU digital strategy") >= THRESHOLD + 20


def test_similarity_of_empty_or_junk_is_zero() -> None:
    assert similarity("", "Anything") == 0.0
    assert similarity("!!!", "???") == 0.0


# --------------------------------------------------------------------------------------------
# compare_title
# --------------------------------------------------------------------------------------------


def expect(title: str | None, **kw: str) -> Expectation:
    return Expectation(title=title, **kw)  # type: ignore[arg-type]


def test_site_name_suffix_is_learnt_from_og_site_name() -> None:
    page = titled("Joint statement EU-Japan summit 2022 - Consilium", site="Consilium")
    check = compare_title(expect("EU-Japan Joint Statement"), page, threshold=THRESHOLD, final_url=CONSILIUM)
    assert check is not None and check.match is True and check.signal == "title"
    assert check.found == "Joint statement EU-Japan summit 2022 - Consilium"
    without_site = compare_title(expect("EU-Japan Joint Statement"), titled("Joint statement EU-Japan summit 2022"),
                                 threshold=THRESHOLD)
    assert without_site is not None and check.score == without_site.score


@pytest.mark.parametrize("sep", [" | ", " - ", " – ", " — ", " :: ", " · "])
def test_site_name_separators(sep: str) -> None:
    page = titled(f"EU and Japan launch Digital Partnership{sep}European Commission", site="European Commission")
    check = compare_title(expect("EU and Japan launch Digital Partnership"), page, threshold=THRESHOLD)
    assert check is not None and check.match is True and check.score == 100.0


def test_site_name_prefix_and_host_label() -> None:
    page = titled("Consilium :: Joint statement EU-Japan summit 2022")  # no og:site_name: the host names it
    check = compare_title(expect("EU-Japan Summit 2022 Joint Statement"), page, threshold=THRESHOLD,
                          final_url=CONSILIUM)
    assert check is not None and check.match is True and check.score == 100.0


def test_best_candidate_wins_and_names_its_signal() -> None:
    page = page_of('<title>Consilium</title><meta property="og:title" content="Joint statement EU-Japan summit 2022">')
    check = compare_title(expect("EU-Japan Joint Statement"), page, threshold=THRESHOLD)
    assert check is not None and check.match is True and check.signal == "og:title"


def test_wrong_document_from_the_same_site_is_a_mismatch() -> None:
    page = titled("Joint statement EU-China summit 2022 - Consilium", site="Consilium")
    check = compare_title(expect("EU-Japan Summit 2022 Joint Statement"), page, threshold=THRESHOLD)
    assert check is not None and check.match is False and check.score is not None and check.score < THRESHOLD


@pytest.mark.parametrize(
    "title",
    ["Page not found - Consilium", "Just a moment...", "404", "Access denied", "Home", "Error | Consilium",
     "Untitled", "Welcome to the Council of the EU"],
)
def test_generic_found_title_is_a_mismatch(title: str) -> None:
    page = titled(title, site="Consilium")
    check = compare_title(expect("EU-Japan Joint Statement"), page, threshold=THRESHOLD, final_url=CONSILIUM)
    assert check is not None and check.match is False and check.detail == "generic_title"


@pytest.mark.parametrize("text", ["Press release", "Statement", "Home", "here", "Click here", "News", "Index"])
def test_generic_expected_title_proves_nothing(text: str) -> None:
    check = compare_title(expect(text), titled("Press release: EU and Japan sign digital partnership"),
                          threshold=THRESHOLD)
    assert check is not None and check.match is None and check.detail == "generic_expected"


@pytest.mark.parametrize(
    ("text", "is_stop"),
    [
        ("Home", True), ("Page not found | The Guardian", True), ("404 Not Found", True), ("Error 404", True),
        ("Just a moment...", True), ("Access Denied", True), ("Untitled", True), ("Welcome", True),
        ("Home - Ministry of Foreign Affairs of Japan", True), ("", True),
        ("Joint statement", False), ("News - EU and Japan sign digital partnership", False),
        ("EU-Japan relations | EEAS", False), ("404 ways to cook rice", False),
    ],
)
def test_is_stop_title(text: str, is_stop: bool) -> None:
    assert is_stop_title(text) is is_stop


def test_other_script_is_unverifiable_not_a_mismatch() -> None:
    page = titled("日EU首脳協議 | 外務省", lang="ja")
    check = compare_title(expect("Japan-EU Summit Meeting"), page, threshold=THRESHOLD)
    assert check is not None and check.match is None and check.detail is not None and check.detail.startswith("title_unverifiable: languages differ: ")


def test_other_language_same_script_is_unverifiable() -> None:
    page = titled("Bundeskanzler Scholz besucht Japan | Bundesregierung", lang="de")
    check = compare_title(expect("Chancellor Scholz visits Japan"), page, threshold=THRESHOLD)
    assert check is not None and check.match is None and check.detail is not None and check.detail.startswith("title_unverifiable: languages differ: ")
    same_language = compare_title(expect("Bundeskanzler Scholz besucht Japan"), page, threshold=THRESHOLD)
    assert same_language is not None and same_language.match is True


def test_a_contradiction_of_facts_is_a_mismatch_in_any_language() -> None:
    page = titled("Bundeskanzler Scholz besucht Indien | Bundesregierung", lang="de")
    check = compare_title(expect("Chancellor Scholz visits Japan"), page, threshold=THRESHOLD)
    assert check is not None and check.match is False


def test_match_modes() -> None:
    page = titled("Joint statement EU-Japan summit 2022 - Consilium", site="Consilium")
    exact = compare_title(expect("JOINT STATEMENT: EU–Japan Summit 2022", match="exact"), page, threshold=THRESHOLD)
    assert exact is not None and exact.match is True
    not_exact = compare_title(expect("Joint statement EU-Japan summit", match="exact"), page, threshold=THRESHOLD)
    assert not_exact is not None and not_exact.match is False
    contains = compare_title(expect("EU-Japan summit", match="contains"), page, threshold=THRESHOLD)
    assert contains is not None and contains.match is True
    not_contained = compare_title(expect("Japan-EU summit", match="contains"), page, threshold=THRESHOLD)
    assert not_contained is not None and not_contained.match is False


def test_publisher_mismatch_is_only_a_detail() -> None:
    page = titled("Joint statement EU-Japan summit 2022 - Consilium", site="Consilium")
    wrong = compare_title(expect("EU-Japan Joint Statement", publisher="Reuters"), page, threshold=THRESHOLD,
                          final_url=CONSILIUM)
    assert wrong is not None and wrong.match is True and wrong.detail == "publisher_mismatch"
    right = compare_title(expect("EU-Japan Joint Statement", publisher="Consilium"), page, threshold=THRESHOLD,
                          final_url=CONSILIUM)
    assert right is not None and right.match is True and right.detail is None
    mofa = compare_title(expect("Japan-EU Summit Meeting", publisher="Ministry of Foreign Affairs of Japan"),
                         titled("Japan-EU Summit Meeting"), threshold=THRESHOLD,
                         final_url="https://www.mofa.go.jp/erp/ep/page4e_001226.html")
    assert mofa is not None and mofa.detail is None


def test_publisher_as_link_text_is_not_a_mismatch() -> None:
    page = titled("EU, Japan agree to deepen ties on chips, 5G | Reuters", site="Reuters")
    check = compare_title(expect("Reuters"), page, threshold=THRESHOLD)
    assert check is not None and check.match is None and check.detail == "expected_is_publisher"


def test_nothing_known_and_not_comparable() -> None:
    assert compare_title(None, Page(), threshold=THRESHOLD) is None
    assert compare_title(expect(None), Page(is_html=True), threshold=THRESHOLD) is None
    only_found = compare_title(None, titled("A page"), threshold=THRESHOLD)
    assert only_found is not None and only_found.match is None and only_found.found == "A page"
    only_expected = compare_title(expect("EU-Japan Joint Statement"), Page(is_html=True), threshold=THRESHOLD)
    assert only_expected is not None and only_expected.match is None and only_expected.found is None


def test_link_text_sharing_words_with_a_page_below_the_threshold_is_not_a_mismatch() -> None:
    page = titled("Joint statement of the EU-Japan Summit 2022")
    check = compare_title(expect("EU-Japan summit"), page, threshold=95)
    assert check is not None and check.match is None and check.detail == "partial_description"


def test_threshold_decides_fuzzy_matches() -> None:
    page = titled("Joint statement of the EU-Japan Summit 2022")
    loose = compare_title(expect("EU-Japan summit", origin="manifest"), page, threshold=40)
    strict = compare_title(expect("EU-Japan summit", origin="manifest"), page, threshold=95)
    assert loose is not None and strict is not None
    assert loose.match is True and strict.match is False and loose.score == strict.score


# --------------------------------------------------------------------------------------------
# The document's own <title>, wherever it hides in the head


@pytest.mark.parametrize(
    "head",
    [
        pytest.param('<svg aria-hidden="true"><title>Search icon</title><path d="M0"/></svg><title>Real title</title>',
                     id="svg-icon-first"),
        pytest.param('<svg><svg><title>Nested icon</title></svg><title>Outer icon</title></svg><title>Real title</title>',
                     id="nested-svg"),
        pytest.param('<script>var t = "<title>Fake from script</title>";</script><title>Real title</title>',
                     id="script-string"),
        pytest.param("<script>document.write('<title>' + x + '</title>')</script><title>Real title</title>",
                     id="document-write"),
        pytest.param('<template><title>Template title</title></template><title>Real title</title>',
                     id="template"),
        pytest.param('<!-- <title>Old title</title> --><title>Real title</title>', id="comment"),
        pytest.param('<style>/* <title>css</title> */</style><noscript><title>No JS</title></noscript>'
                     '<title>Real title</title>', id="style-and-noscript"),
        pytest.param('<script>' + "var big = 1;\n" * 60_000 + '</script><title>Real title</title>', id="after-700k-script"),
        pytest.param('<title>Real title</title><svg><title>icon</title></svg>', id="title-first"),
    ],
)
def test_the_documents_own_title_is_found_behind_markup(head: str) -> None:
    page = page_of(f'<!doctype html><html><head><meta charset="utf-8">{head}</head><body><h1>H</h1></body></html>')
    assert page.title == "Real title"
    assert page.candidates[0] == ("title", "Real title")


def test_unclosed_script_hides_everything_after_it() -> None:
    page = page_of("<html><head><script>var x = '<title>Not a title</title>';")
    assert page.title is None


@pytest.mark.parametrize("unit", ["<svg></svg>", "<svg>", "<script>", "<template>", "<!--", "<title", "</head>"])
def test_title_scan_is_linear_on_hostile_markup(unit: str) -> None:
    """2 MiB of one construct (the head cap) costs about twice 1 MiB of it, never its square."""
    from linkcheck.page.html import _find_title

    def cost(size: int) -> float:  # CPU time, best of three: a busy machine must not change the shape
        text = unit * (size // len(unit))
        times = []
        for _ in range(3):
            started = time.process_time()
            _find_title(text)
            times.append(time.process_time() - started)
        return min(times)

    small, large = cost(2**19), cost(2**21)
    assert large < 2.0
    assert large < 4 * 3 * small + 0.05, (small, large)
