"""URL helpers: the de-duplication key, credential redaction, validity and the wire form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkcheck.urls import invalid_reason, is_http, normalise, redact, scheme_of, to_wire


@pytest.mark.parametrize(
    ("url", "key"),
    [
        pytest.param(
            "HTTPS://Example.ORG/Path", "https://example.org/Path", id="case-of-scheme-and-host-only"
        ),
        pytest.param("http://example.org:80/a", "http://example.org/a", id="default-http-port"),
        pytest.param("https://example.org:443/a", "https://example.org/a", id="default-https-port"),
        pytest.param("https://example.org:8443/a", "https://example.org:8443/a", id="other-port-kept"),
        pytest.param("http://example.org:443/a", "http://example.org:443/a", id="https-port-on-http-kept"),
        pytest.param("https://example.org", "https://example.org/", id="empty-path"),
        pytest.param("https://example.org?q=1", "https://example.org/?q=1", id="empty-path-with-query"),
        pytest.param("https://example.org#top", "https://example.org/#top", id="empty-path-with-fragment"),
        pytest.param("https://example.org/a%2Fb?x=%41", "https://example.org/a%2Fb?x=%41", id="percent-kept"),
        pytest.param("https://example.org/a#b", "https://example.org/a#b", id="fragment-kept"),
        pytest.param("https://User:Pw@Example.org/", "https://User:Pw@example.org/", id="credentials-kept"),
        pytest.param("http://[::1]:80/x", "http://[::1]/x", id="ipv6-default-port"),
        pytest.param("http://[::1]:/x", "http://[::1]/x", id="ipv6-empty-port"),
        pytest.param("http://[2001:DB8::1]:8080/x", "http://[2001:db8::1]:8080/x", id="ipv6-case"),
        pytest.param("https://Bücher.Example/", "https://bücher.example/", id="idn-lowercased"),
        pytest.param("MAILTO:Press@Example.org", "mailto:Press@Example.org", id="opaque-scheme"),
        pytest.param("not a url", "not a url", id="not-a-url"),
    ],
)
def test_normalise(url: str, key: str) -> None:
    assert normalise(url) == key


def test_fragments_are_different_targets() -> None:
    assert normalise("https://example.org/p#a") != normalise("https://example.org/p#b")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("https://user:secret@example.org/x", "https://***@example.org/x"),
        ("https://token@example.org/x", "https://***@example.org/x"),
        ("http://u:p@[::1]:8080/", "http://***@[::1]:8080/"),
        (
            "GET https://a:b@x.example/ failed, then https://c:d@y.example/",
            "GET https://***@x.example/ failed, then https://***@y.example/",
        ),
        ("https://example.org/@user", "https://example.org/@user"),
        ("mailto:someone@example.org", "mailto:someone@example.org"),
    ],
)
def test_redact(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_is_http_and_scheme() -> None:
    assert is_http("HTTPS://x.example/") and is_http("http://x.example")
    assert not is_http("ftp://x.example/") and not is_http("mailto:a@b") and not is_http("no scheme")
    assert scheme_of("Tel:+1") == "tel" and scheme_of("//x") is None


def test_to_wire_punycodes_host_and_encodes_non_ascii() -> None:
    assert to_wire("https://bücher.example/straße?q=ü#ä") == (
        "https://xn--bcher-kva.example/stra%C3%9Fe?q=%C3%BC#%C3%A4"
    )
    assert to_wire("https://u:p@bücher.example:8443/%E6%9C%80 x") == (
        "https://u:p@xn--bcher-kva.example:8443/%E6%9C%80%20x"
    )
    assert to_wire("http://[::1]:8080/x") == "http://[::1]:8080/x"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "http://[::1]:8080/x",
        "https://bücher.example/",
        "https://u:p@example.org:8443/",
    ],
)
def test_valid_urls(url: str) -> None:
    assert invalid_reason(url) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://", "no host"),
        ("https:///path", "no host"),
        ("https://exa mple.org/", "invalid character in host"),
        ("https://example.org:99999/", "port 99999 out of range"),
        ("https://example.org:abc/", "cannot parse"),
        ("http://[::1/", "invalid IPv6 host"),
        ("http://[::]@]/", "invalid IPv6 host"),  # found by hypothesis: the host is "]"
        ("http://[::]@]0/", "invalid IPv6 host"),
        ("http://[::1]x/", "invalid IPv6 host"),
        ("http://[::1]:abc/", "invalid IPv6 host"),
        ("example.org/page", "no scheme"),
        ("", "empty"),
        ("https://a..b/", "bad host name"),
    ],
)
def test_invalid_urls_say_why(url: str, reason: str) -> None:
    found = invalid_reason(url)
    assert found is not None and reason.lower() in found.lower()


_URL_PIECES = st.sampled_from(["http", "https", "HTTP", "://", ":", "/", ".", "..", "-", "a", "Z", "9", "0",
                               "65535", "65536", "@", "[", "]", "?", "#", "%", " ", "\t", "é", "_", "x.org",
                               "{", "}", "\\", "^", "~", "\x7f"])


@given(st.sampled_from(["", "http://", "https://", "HTTPS://", " https://"]),
       st.lists(_URL_PIECES, min_size=1, max_size=14).map("".join))
@settings(max_examples=800, deadline=None)
def test_the_fast_path_of_invalid_reason_agrees_with_every_check(prefix: str, rest: str) -> None:
    from linkcheck.urls import _invalid_reason

    text = prefix + rest
    assert invalid_reason(text) == _invalid_reason(text.strip())


@pytest.mark.parametrize("url, reason", [
    ("https://example.org:0/", "port 0 out of range"),
    ("https://example.org:70000/", "port 70000 out of range"),
    ("https://a..b/", "bad host name: empty label"),
    ("https://.a/", "bad host name: empty label"),
])
def test_plain_looking_urls_that_are_not_requestable(url: str, reason: str) -> None:
    assert invalid_reason(url) == reason
