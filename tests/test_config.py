from __future__ import annotations

import pytest

from linkcheck.config import Config, parse_accept, parse_duration, parse_header, parse_remap, parse_resolve
from linkcheck.errors import UsageError


def test_accept_ranges_and_single_codes() -> None:
    accept = parse_accept("200..299, 403")
    config = Config(accept=accept)
    assert config.is_accepted(204) and config.is_accepted(403)
    assert not config.is_accepted(404) and not config.is_accepted(302)


@pytest.mark.parametrize("text", ["abc", "", "299..200", "50", "200..", "1000"])
def test_accept_rejects_nonsense(text: str) -> None:
    with pytest.raises(UsageError):
        parse_accept(text)


def test_resolve_curl_style_and_with_port() -> None:
    mapping = parse_resolve(["Example.org:443:127.0.0.1", "b.example:80:[::1]:8080", "c.example:443:127.0.0.1:9443"])
    assert mapping[("example.org", 443)] == "127.0.0.1"
    assert mapping[("b.example", 80)] == "[::1]:8080"
    assert mapping[("c.example", 443)] == "127.0.0.1:9443"


@pytest.mark.parametrize("value", ["nonsense", "host:port:1.2.3.4", "host:443:", ":443:1.2.3.4", "h:0:1.2.3.4"])
def test_resolve_rejects_nonsense(value: str) -> None:
    with pytest.raises(UsageError):
        parse_resolve([value])


def test_header_and_remap() -> None:
    assert parse_header("X-Token:  abc ") == ("X-Token", "abc")
    pattern, replacement = parse_remap(r"^http://old\.example/ https://new.example/")
    assert pattern.sub(replacement, "http://old.example/a") == "https://new.example/a"


@pytest.mark.parametrize("text, seconds", [("90", 90), ("30m", 1800), ("12h", 43200), ("1d", 86400), ("1.5h", 5400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_duration_rejects_words() -> None:
    with pytest.raises(UsageError):
        parse_duration("soon")
