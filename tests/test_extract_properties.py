"""Properties of extraction on arbitrary input: it never raises and never yields a hostless URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linkcheck.collect import collect
from linkcheck.config import Config
from linkcheck.extract import extract
from linkcheck.models import Document
from linkcheck.urls import template_placeholder

URL_PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "HTTP://",
        "mailto:",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "[::1]",
        "@",
        ":",
        "/",
        "?",
        "#",
        "%",
        "%E6",
        ".",
        ",",
        "'",
        '"',
        "*",
        " ",
        "\n",
        "\r\n",
        "\t",
        "a",
        "example.org",
        "bücher",
        "\x00",
        "\x0b",
        "\x18",
        "\x7f",
        "{{ x }}",
        "\ufeff",
        "\uff03",
        "\u2028",
        "](",
        "![",
        "`",
        "x:y@",
        ":99999",
        "www.",
    ]
)
TEXTS = st.one_of(st.text(), st.lists(st.one_of(URL_PIECES, st.text(max_size=3)), max_size=40).map("".join))
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_well_formed(document: Document) -> None:
    text = document.text
    line_count = text.count("\n") + 1
    for link in extract(document):
        occurrence = link.occurrence
        assert 1 <= occurrence.line <= line_count and occurrence.column >= 1
        # a template's URL is found whole, to be reported invalid: its host may be a placeholder
        if link.url.lower().startswith(("http://", "https://")) and not template_placeholder(link.url):
            assert urlsplit(link.url).hostname


@SETTINGS
@given(TEXTS)
def test_text_extraction_never_raises_and_http_urls_have_hosts(text: str) -> None:
    assert_well_formed(Document("doc.txt", "text", text))


@SETTINGS
@given(TEXTS)
def test_text_positions_point_at_the_url(text: str) -> None:
    lines = text.split("\n")
    for link in extract(Document("doc.txt", "text", text)):
        line = lines[link.occurrence.line - 1]
        if link.occurrence.note:  # wrapped over lines inside <…>: the first piece stands there
            assert link.url.startswith(line[link.occurrence.column - 1 :].rstrip(" \t\r"))
        else:
            assert line[link.occurrence.column - 1 :].startswith(link.url)


@SETTINGS
@given(TEXTS)
def test_markdown_and_html_extraction_never_raise(text: str) -> None:
    for kind in ("markdown", "html"):
        links = extract(Document("doc", kind, text))  # type: ignore[arg-type]
        assert all(link.occurrence.line >= 1 and link.occurrence.column >= 1 for link in links)


@SETTINGS
@given(TEXTS)
def test_no_url_holds_a_control_character(text: str) -> None:
    for kind in ("text", "markdown", "html"):
        for link in extract(Document("doc", kind, text)):  # type: ignore[arg-type]
            assert not any(ord(char) < 0x20 or ord(char) == 0x7F for char in link.url), link.url


@SETTINGS
@given(TEXTS)
def test_collect_never_raises_on_extracted_links(text: str) -> None:
    links = extract(Document("doc.txt", "text", text))
    targets = collect(links, Config())
    assert sum(len(t.occurrences) for t in targets) == len(links)


@SETTINGS
@given(st.one_of(st.text(), st.lists(URL_PIECES, max_size=12).map("".join)))
def test_url_helpers_never_raise_except_to_wire_on_bad_hosts(url: str) -> None:
    from linkcheck.urls import invalid_reason, is_http, normalise, redact, to_wire

    key = normalise(url)
    assert normalise(key) == key
    reason = invalid_reason(url)
    if reason is None and is_http(url):
        assert to_wire(url).isascii()
        split = urlsplit(redact(url))
        assert split.username in (None, "***") and split.password is None
