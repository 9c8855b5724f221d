"""Collecting links into unique targets: grouping, remapping, expectations and what is skipped."""

from __future__ import annotations

import re

import pytest

from linkcheck.collect import collect, is_url_text
from linkcheck.config import Config
from linkcheck.models import Expectation, Link, Occurrence, Target


def link(url: str, line: int = 1, text: str | None = None, source: str = "doc.md") -> Link:
    return Link(url, Occurrence(source, line, 1, text))


def only(targets: list[Target]) -> Target:
    assert len(targets) == 1
    return targets[0]


def test_groups_by_normalised_url_in_order_of_first_appearance() -> None:
    targets = collect(
        [
            link("https://B.example/x", 1),
            link("https://a.example/", 2),
            link("https://b.example:443/x", 3),
            link("https://a.example", 4, source="other.md"),
        ],
        Config(),
    )
    assert [t.url for t in targets] == ["https://B.example/x", "https://a.example/"]
    assert [t.key for t in targets] == ["https://b.example/x", "https://a.example/"]
    assert [(o.source, o.line) for o in targets[0].occurrences] == [("doc.md", 1), ("doc.md", 3)]
    assert [(o.source, o.line) for o in targets[1].occurrences] == [("doc.md", 2), ("other.md", 4)]


def test_fragments_stay_separate_targets() -> None:
    targets = collect([link("https://a.example/p#one"), link("https://a.example/p#two")], Config())
    assert len(targets) == 2


def test_remap_rules_apply_in_order_and_url_stays_as_written() -> None:
    config = Config(
        remap=(
            (re.compile(r"^https://old\.example/"), "https://new.example/"),
            (re.compile(r"^https://new\.example/(.*)"), r"http://127.0.0.1:8080/\1"),
        )
    )
    target = only(collect([link("https://old.example/a?b=1")], config))
    assert target.url == "https://old.example/a?b=1"
    assert target.checked_url == "http://127.0.0.1:8080/a?b=1"
    assert target.skip is None


def test_first_meaningful_link_text_is_the_expected_title() -> None:
    target = only(
        collect(
            [
                link("https://a.example/s", 1, None),
                link("https://a.example/s", 2, "https://a.example/s"),
                link("https://a.example/s", 3, "EU-Japan Joint Statement"),
                link("https://a.example/s", 4, "Another title"),
            ],
            Config(),
        )
    )
    assert target.expected == Expectation(title="EU-Japan Joint Statement", origin="link_text")


def test_bare_urls_have_no_expectation() -> None:
    target = only(
        collect([link("https://a.example/s"), link("https://a.example/s", text="a.example/s")], Config())
    )
    assert target.expected is None


def test_manifest_expectation_wins_and_its_keys_are_normalised() -> None:
    manifest = {"HTTPS://A.example:443/s": Expectation(title="From manifest", origin="manifest")}
    target = only(collect([link("https://a.example/s", text="Link text")], Config(), manifest))
    assert target.expected == Expectation(title="From manifest", origin="manifest")


@pytest.mark.parametrize(
    ("url", "skip", "reason"),
    [
        ("mailto:press@example.org", "excluded", "scheme mailto"),
        ("tel:+3222811111", "excluded", "scheme tel"),
        ("FTP://ftp.example.org/", "excluded", "scheme ftp"),
        ("javascript:void(0)", "excluded", "scheme javascript"),
        ("data:text/plain,hi", "excluded", "scheme data"),
        ("file:///etc/passwd", "excluded", "scheme file"),
        ("https://", "invalid", "no host"),
        ("https://exa mple.org/", "invalid", "invalid character in host"),
        ("http://example.org:99999/", "invalid", "port 99999 out of range"),
        ("//no-scheme.example/", "invalid", "no scheme"),
    ],
)
def test_unrequestable_urls_are_skipped_with_a_reason(url: str, skip: str, reason: str) -> None:
    target = only(collect([link(url)], Config()))
    assert (target.skip, target.skip_reason) == (skip, reason)


def test_credentials_ipv6_and_idn_are_checkable() -> None:
    urls = ["https://u:p@example.org/", "http://[::1]:8080/x", "https://bücher.example/"]
    targets = collect([link(u) for u in urls], Config())
    assert [(t.url, t.skip) for t in targets] == [(u, None) for u in urls]


def test_include_and_exclude() -> None:
    config = Config(include=(re.compile(r"example\.org"),), exclude=(re.compile(r"/private/"),))
    targets = collect(
        [
            link("https://example.org/a"),
            link("https://other.example/b"),
            link("https://example.org/private/c"),
        ],
        config,
    )
    assert [(t.skip, t.skip_reason) for t in targets] == [
        (None, None),
        ("excluded", "not included"),
        ("excluded", "excluded by '/private/'"),
    ]


def test_exclude_matches_the_remapped_url_too() -> None:
    config = Config(
        remap=((re.compile(r"^https://a\.example/"), "https://mirror.example/"),),
        exclude=(re.compile(r"mirror"),),
    )
    assert only(collect([link("https://a.example/x")], config)).skip == "excluded"


@pytest.mark.parametrize(
    ("text", "url", "same"),
    [
        ("https://a.example/x", "https://a.example/x", True),
        ("a.example/x", "https://a.example/x", True),
        ("www.A.example/", "https://www.a.example", True),
        ("A report", "https://a.example/x", False),
    ],
)
def test_is_url_text(text: str, url: str, same: bool) -> None:
    assert is_url_text(text, url) is same
