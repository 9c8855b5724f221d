"""Plain-text extraction: what a reader of the text would call a link, and exactly where it stands."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from linkcheck.extract import extract
from linkcheck.extract.text import extract_path, find_urls
from linkcheck.models import Document, Link

SEED = Path(__file__).resolve().parent.parent / "seeds" / "eu-japan-summit-2022.txt"

SEED_URLS = [
    "https://www.consilium.europa.eu/en/press/press-releases/2022/05/12/joint-statement-eu-japan-summit-2022/",
    "https://www.consilium.europa.eu/media/56091/%E6%9C%80%E7%B5%82%E7%89%88-jp-eu-digital-partnership-clean-final-docx.pdf",
    "https://digital-strategy.ec.europa.eu/en/library/japan-eu-digital-partnership-factsheet",
    "https://audiovisual.ec.europa.eu/en/video/l-225057",
    "https://ec.europa.eu/commission/presscorner/detail/en/statement_22_3022",
    "https://www.eeas.europa.eu/eeas/eu-japan-relations_en",
    "https://digital-strategy.ec.europa.eu/news/eu-japan-summit-strengthening-our-partnership",
    "https://digital-strategy.ec.europa.eu/en",
]


def links_of(text: str) -> list[Link]:
    return extract(Document("doc.txt", "text", text))


def urls_of(text: str) -> list[str]:
    return [link.url for link in links_of(text)]


def unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def test_seed_has_eight_unique_urls_in_order() -> None:
    links = extract(Document(str(SEED), "text", SEED.read_text(encoding="utf-8")))
    assert unique([link.url for link in links]) == SEED_URLS


def test_seed_more_information_links_carry_their_text() -> None:
    links = extract(Document(str(SEED), "text", SEED.read_text(encoding="utf-8")))
    texts = {link.url: link.occurrence.text for link in links if link.occurrence.text}
    assert texts == {
        SEED_URLS[0]: "EU-Japan Joint Statement",
        SEED_URLS[1]: "EU-Japan Digital Partnership",
        SEED_URLS[2]: "Factsheet on EU-Japan Digital Partnership",
        SEED_URLS[3]: "Press statement on EbS",
        SEED_URLS[4]: "President von der Leyen's remarks",
        SEED_URLS[5]: "Factsheet on EU-Japan relations",
        SEED_URLS[7]: "Shaping Europe's digital future",
    }


def test_seed_repeated_url_in_parentheses_is_a_second_occurrence_without_text() -> None:
    links = extract(Document(str(SEED), "text", SEED.read_text(encoding="utf-8")))
    statement = [link.occurrence for link in links if link.url == SEED_URLS[0]]
    assert [(o.line, o.column, o.text) for o in statement] == [
        (27, 30, "EU-Japan Joint Statement"),
        (28, 3, None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("see https://example.org/a.", ["https://example.org/a"], id="full-stop"),
        pytest.param(
            "https://example.org/a, https://example.org/b;",
            ["https://example.org/a", "https://example.org/b"],
            id="comma-semicolon",
        ),
        pytest.param("is it https://example.org/a?!", ["https://example.org/a"], id="question-exclamation"),
        pytest.param(
            "'https://example.org/q' and \"https://example.org/d\"",
            ["https://example.org/q", "https://example.org/d"],
            id="quotes",
        ),
        pytest.param("(see https://example.org/a)", ["https://example.org/a"], id="in-parentheses"),
        pytest.param(
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            ["https://en.wikipedia.org/wiki/Foo_(bar)"],
            id="wikipedia-balanced",
        ),
        pytest.param(
            "(https://en.wikipedia.org/wiki/Foo_(bar)).",
            ["https://en.wikipedia.org/wiki/Foo_(bar)"],
            id="wikipedia-in-parentheses",
        ),
        pytest.param("<https://example.org/auto>", ["https://example.org/auto"], id="autolink"),
        pytest.param("**https://example.org/bold**", ["https://example.org/bold"], id="bold"),
        pytest.param(
            "https://example.org/%E6%9C%80?q=a%20b#frag",
            ["https://example.org/%E6%9C%80?q=a%20b#frag"],
            id="percent-encoding-kept",
        ),
        pytest.param("HTTPS://EXAMPLE.ORG/X", ["HTTPS://EXAMPLE.ORG/X"], id="upper-case-scheme"),
        pytest.param("“https://example.org/curly”", ["https://example.org/curly"], id="typographic-quotes"),
        pytest.param("xhttps://example.org/ and abc.https://x.org", [], id="glued-to-a-word"),
        pytest.param("President **von der Leyen**, said", [], id="bold-is-not-a-link"),
        pytest.param("https:// and http://", [], id="scheme-only"),
        pytest.param("www.example.org and example.org/path", [], id="no-scheme-no-link"),
    ],
)
def test_url_boundaries(text: str, expected: list[str]) -> None:
    assert urls_of(text) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]:8080/x",
        "https://bücher.example/straße?q=ü",
        "https://user:secret@example.org/private",
        "http://127.0.0.1:8000/",
    ],
    ids=["ipv6", "idn", "credentials", "ipv4-port"],
)
def test_special_hosts_are_kept_whole(url: str) -> None:
    assert urls_of(f"go to {url} now") == [url]


def test_other_schemes_are_found_for_reporting_as_excluded() -> None:
    text = "mailto:press@example.org, tel:+3222811111 ftp://ftp.example.org/pub/ and data: nothing"
    assert urls_of(text) == ["mailto:press@example.org", "tel:+3222811111", "ftp://ftp.example.org/pub/"]


def test_markdown_style_link_text_and_image_alt() -> None:
    links = links_of("A [first **one**](https://a.example/1) and ![a logo](https://a.example/logo.png)")
    assert [(link.url, link.occurrence.text) for link in links] == [
        ("https://a.example/1", "first **one**"),
        ("https://a.example/logo.png", "a logo"),
    ]


def test_link_text_with_nested_brackets_and_autolink_target() -> None:
    links = links_of("[The [2022] statement](<https://a.example/s>) [](https://a.example/empty)")
    assert [(link.url, link.occurrence.text) for link in links] == [
        ("https://a.example/s", "The [2022] statement"),
        ("https://a.example/empty", None),
    ]


def test_line_and_column_are_one_based_in_characters() -> None:
    text = "first line\n日本語 https://a.example/x\r\n\n  [t](https://a.example/y) https://a.example/z"
    positions = [(link.url, link.occurrence.line, link.occurrence.column) for link in links_of(text)]
    assert positions == [
        ("https://a.example/x", 2, 5),
        ("https://a.example/y", 4, 7),
        ("https://a.example/z", 4, 28),
    ]


def test_source_is_carried_into_every_occurrence() -> None:
    links = extract(Document("notes/a.txt", "text", "https://a.example/"))
    assert links[0].occurrence.source == "notes/a.txt"


def test_streamed_file_gives_the_same_links_as_in_memory(tmp_path: Path) -> None:
    lines = [f"line {i} cites https://a.example/{i} and [t{i}](https://b.example/{i})." for i in range(300)]
    lines.insert(150, "x" * 5000 + " https://c.example/after-a-long-line")
    text = "\n".join(lines)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    expected = links_of(text)
    streamed = list(extract_path(path, "doc.txt", chunk_chars=1000))
    assert streamed == expected
    assert len(streamed) == 601


def test_document_with_path_and_no_text_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"\xef\xbb\xbfhello https://a.example/x\n" + b"bad \xff byte https://a.example/y\n")
    links = extract(Document(str(path), "text", path=path))
    assert [(link.url, link.occurrence.line, link.occurrence.column) for link in links] == [
        ("https://a.example/x", 1, 7),
        ("https://a.example/y", 2, 12),
    ]


def test_find_urls_reports_offsets() -> None:
    assert list(find_urls("ab https://a.example/")) == [(3, "https://a.example/", None)]


def test_extraction_is_fast_and_linear_on_ordinary_text() -> None:
    block = SEED.read_text(encoding="utf-8")
    text = block * max(1, (4 * 1024 * 1024) // len(block))
    started = time.process_time()
    count = len(links_of(text))
    elapsed = time.process_time() - started
    assert count > 1000
    # Target is >= 20 MB/s; the bound here leaves room for a busy CI machine.
    assert len(text) / elapsed > 5 * 1024 * 1024


@pytest.mark.parametrize(
    "text",
    [
        "(" * 200_000 + "https://a.example/" + ")" * 200_000,
        "[" * 200_000 + "](https://a.example/)",
        "https://a.example/" + "(" * 400_000,
        "http://" * 100_000,
        "https://a.example/" + "." * 400_000,
        "[x](" * 100_000,
    ],
    ids=["parentheses", "brackets", "open-parentheses", "schemes", "dots", "link-openers"],
)
def test_adversarial_input_stays_fast(text: str) -> None:
    started = time.process_time()  # CPU time: a busy machine does not count
    links_of(text)
    assert time.process_time() - started < 2.0
