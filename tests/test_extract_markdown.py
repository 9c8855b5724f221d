"""Markdown extraction through a real CommonMark parser."""

from __future__ import annotations

from pathlib import Path

from linkcheck.extract import extract
from linkcheck.models import Document, Link

GUIDE = Path(__file__).resolve().parent / "fixtures" / "docs" / "guide.md"


def md(text: str, base_url: str | None = None) -> list[Link]:
    return extract(Document("doc.md", "markdown", text, base_url=base_url))


def table(links: list[Link]) -> list[tuple[str, int, int, str | None]]:
    return [(link.url, link.occurrence.line, link.occurrence.column, link.occurrence.text) for link in links]


def test_guide_fixture_every_kind_of_link_with_position_and_text() -> None:
    links = extract(Document("guide.md", "markdown", GUIDE.read_text(encoding="utf-8")))
    assert table(links) == [
        (
            "https://www.consilium.europa.eu/en/press/press-releases/2022/05/12/joint-statement-eu-japan-summit-2022/",
            3,
            51,
            "EU-Japan Joint Statement",
        ),
        ("https://digital-strategy.ec.europa.eu/en", 4, 11, None),
        ("https://www.eeas.europa.eu/eeas/eu-japan-relations_en", 4, 66, None),
        (
            "https://digital-strategy.ec.europa.eu/en/library/japan-eu-digital-partnership-factsheet",
            6,
            18,
            "on the Commission site",
        ),
        ("https://example.org/img/flag.png", 6, 77, "EU flag"),
        ("https://html.example/raw", 16, 17, "raw HTML link"),
        ("https://www.eeas.europa.eu/", 20, 22, "EEAS page"),
        ("./other.md", 22, 16, "local file"),
        ("#citing-sources", 22, 44, "section"),
        ("mailto:press@example.org", 23, 25, "the press office"),
    ]  # [unused]: https://unused.example/definition is used by no link, so it is no link (as in lychee)


def test_links_in_code_are_not_links() -> None:
    text = "`https://a.example/span`\n\n```\nhttps://a.example/fence\n```\n\n    https://a.example/indent\n"
    assert md(text) == []


def test_code_span_does_not_shift_the_column_of_a_later_link() -> None:
    links = md("`https://a.example/x` then https://a.example/x")
    assert table(links) == [("https://a.example/x", 1, 28, None)]


def test_emphasis_in_link_text_is_dropped() -> None:
    assert table(md("[**Joint** *statement*](https://a.example/)")) == [
        ("https://a.example/", 1, 25, "Joint statement")
    ]


def test_url_is_kept_as_written_not_punycoded_or_encoded() -> None:
    links = md("[Bücher](https://bücher.example/straße) [enc](https://a.example/%E6%9C%80)")
    assert [link.url for link in links] == ["https://bücher.example/straße", "https://a.example/%E6%9C%80"]


def test_javascript_and_data_links_are_kept_for_reporting() -> None:
    links = md("[run](javascript:alert(1)) ![px](data:image/png;base64,AAAA)")
    assert [link.url for link in links] == ["javascript:alert(1)", "data:image/png;base64,AAAA"]


def test_image_inside_link_gives_both() -> None:
    links = md("[![build status](https://ci.example/badge.svg)](https://ci.example/job)")
    assert table(links) == [
        ("https://ci.example/badge.svg", 1, 18, "build status"),
        ("https://ci.example/job", 1, 49, "build status"),
    ]


def test_relative_links_are_kept_as_written_or_resolved_against_a_base_url() -> None:
    text = "[other](other.md) [top](#intro) [abs](/docs/x)"
    assert [link.url for link in md(text)] == ["other.md", "#intro", "/docs/x"]
    links = md(text, base_url="https://site.example/guide/index.md")
    assert [link.url for link in links] == [
        "https://site.example/guide/other.md",
        "https://site.example/guide/index.md#intro",
        "https://site.example/docs/x",
    ]


def test_bare_url_trailing_punctuation_and_parentheses_in_markdown() -> None:
    links = md("Read https://a.example/x. Or (https://en.wikipedia.org/wiki/Foo_(bar)).")
    assert [link.url for link in links] == ["https://a.example/x", "https://en.wikipedia.org/wiki/Foo_(bar)"]


def test_html_block_links_have_document_line_numbers() -> None:
    text = '# Title\n\n<div>\n  <p>\n    <a href="https://a.example/deep">Deep</a>\n  </p>\n</div>\n'
    assert table(md(text)) == [("https://a.example/deep", 5, 14, "Deep")]


def test_links_in_lists_and_multiline_paragraphs() -> None:
    text = "- item one\n  continues [here](https://a.example/1)\n- [two](https://a.example/2)\n"
    assert table(md(text)) == [("https://a.example/1", 2, 20, "here"), ("https://a.example/2", 3, 9, "two")]


def test_repeated_url_on_one_line_gets_two_columns() -> None:
    assert [(link.occurrence.column) for link in md("https://a.example/ and https://a.example/")] == [1, 24]


# Bare URLs in CJK prose (issue 10, item 2). Lines taken from public documents:
# EbookFoundation/free-programming-books, docs/CONTRIBUTING-zh.md, and the Japanese summary of
# rust-lang/rfc-leadership-council's RFC 3392. Neither line is a CommonMark link (the
# destination is closed by a full-width parenthesis, or the text is not in brackets), so the URL
# is found in prose and must end where the Chinese/Japanese text begins.
FREE_BOOKS_ZH = (
    "2. 您不需要熟悉 Git：如果您发现一些有趣的东西*尚未包含在此存储库中*，"
    "请打开一个[问题](https://github.com/EbookFoundation/free-programming-books/issues）开始讨论相关主题。\n"
)
COUNCIL_JA = (
    "カウンシルの代表者は[利益相反]がある決定に参加したり影響を与えること"
    "(https://github.com/rust-lang/rfc-leadership-council/blob/main/text/3392-leadership-council.md"
    "#conflicts-of-interest)をしてはなりません。カウンシルはトップレベルチームの範囲の拡大を承認しなければならず、\n"
)


def test_bare_url_ends_at_full_width_parenthesis_and_chinese_text() -> None:
    links = md(FREE_BOOKS_ZH)
    column = FREE_BOOKS_ZH.index("https://") + 1
    assert table(links) == [
        ("https://github.com/EbookFoundation/free-programming-books/issues", 1, column, "问题")
    ]


def test_bare_url_ends_at_japanese_text_after_ascii_parenthesis() -> None:
    links = md(COUNCIL_JA)
    column = COUNCIL_JA.index("https://") + 1
    assert [(link.url, link.occurrence.line, link.occurrence.column) for link in links] == [
        (
            "https://github.com/rust-lang/rfc-leadership-council/blob/main/text/"
            "3392-leadership-council.md#conflicts-of-interest",
            1,
            column,
        )
    ]


def test_ideographic_punctuation_ends_a_bare_url_and_balanced_parentheses_stay() -> None:
    text = (
        "参考：https://en.wikipedia.org/wiki/Fragment_(computing)。"
        "「https://www.rfc-editor.org/rfc/rfc3986」、https://example.org/a、次\n"
    )
    assert [link.url for link in md(text)] == [
        "https://en.wikipedia.org/wiki/Fragment_(computing)",
        "https://www.rfc-editor.org/rfc/rfc3986",
        "https://example.org/a",
    ]
