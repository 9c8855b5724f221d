"""HTML extraction with beautifulsoup4: citations, their text, and where relative links point."""

from __future__ import annotations

from pathlib import Path

from linkcheck.extract import extract
from linkcheck.models import Document, Link

PAGE = Path(__file__).resolve().parent / "fixtures" / "docs" / "page.html"


def html(markup: str, base_url: str | None = None) -> list[Link]:
    return extract(Document("page.html", "html", markup, base_url=base_url))


def table(links: list[Link]) -> list[tuple[str, int, int, str | None]]:
    return [(link.url, link.occurrence.line, link.occurrence.column, link.occurrence.text) for link in links]


def test_page_fixture_links_text_and_positions() -> None:
    links = extract(Document("page.html", "html", PAGE.read_text(encoding="utf-8")))
    assert table(links) == [
        ("https://www.consilium.europa.eu/en/press/", 5, 22, "Council press releases"),
        (
            "https://ec.europa.eu/commission/presscorner/",
            6,
            38,
            "https://ec.europa.eu/commission/presscorner/",
        ),
        ("other.html", 7, 13, "a local page"),
        ("#top", 7, 51, "top"),
        ("mailto:info@example.org", 7, 74, "mail us"),
        ("https://area.example/region", 8, 27, "A region"),
        ("https://img.example/logo.png", 9, 11, None),
    ]


def test_local_file_keeps_relative_and_fragment_links_as_written_without_a_base() -> None:
    """local.py resolves them against the file's folder; an empty href is no link."""
    links = html('<a href="other.html">x</a><a href="#top">top</a><a href="/abs">abs</a><a href="">e</a>')
    assert [link.url for link in links] == ["other.html", "#top", "/abs"]


def test_fetched_document_resolves_relative_links_against_its_url() -> None:
    links = html(
        '<a href="other.html">x</a> <a href="#top">top</a> <a href="//cdn.example/a">cdn</a>',
        base_url="https://site.example/dir/page.html",
    )
    assert [link.url for link in links] == [
        "https://site.example/dir/other.html",
        "https://site.example/dir/page.html#top",
        "https://cdn.example/a",
    ]


def test_base_href_wins_over_document_url_and_works_for_local_files() -> None:
    markup = '<head><base href="https://base.example/docs/"></head><a href="a.html">a</a><a href="#f">f</a>'
    assert [link.url for link in html(markup)] == [
        "https://base.example/docs/a.html",
        "https://base.example/docs/#f",
    ]
    relative_base = '<base href="/v2/"><a href="a.html">a</a>'
    assert [link.url for link in html(relative_base, base_url="https://site.example/x")] == [
        "https://site.example/v2/a.html"
    ]


def test_entities_and_whitespace_in_attributes_and_text() -> None:
    links = html('<a href="  https://a.example/?a=1&amp;b=2\n">  Joint\n\t<b>Statement</b>  </a>')
    assert table(links) == [("https://a.example/?a=1&b=2", 1, 12, "Joint Statement")]


def test_anchor_around_an_image_has_no_text() -> None:
    links = html('<a href="https://a.example/"><img src="https://a.example/i.png"></a>')
    assert table(links) == [("https://a.example/", 1, 10, None), ("https://a.example/i.png", 1, 40, None)]


def test_iframe_and_ipv6_and_idn() -> None:
    links = html('<iframe src="http://[::1]:8080/embed"></iframe><a href="https://bücher.example/">B</a>')
    assert [link.url for link in links] == ["http://[::1]:8080/embed", "https://bücher.example/"]


def test_broken_markup_never_raises() -> None:
    links = html('<a href="https://a.example/x">unclosed <p><a href=https://b.example/y>b</a></div></span>')
    assert [link.url for link in links] == ["https://a.example/x", "https://b.example/y"]
