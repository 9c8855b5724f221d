from __future__ import annotations

from pathlib import Path

import pytest

from linkcheck.errors import ConfigError
from linkcheck.manifest import load_manifest, parse_manifest, render_manifest

from .conftest import SEED_MANIFEST


def test_seed_manifest_has_the_eight_sources() -> None:
    expectations = load_manifest(SEED_MANIFEST)
    assert len(expectations) == 8
    release = expectations["https://digital-strategy.ec.europa.eu/news/eu-japan-summit-strengthening-our-partnership"]
    assert release.title == "EU-Japan Summit: strengthening our partnership"
    assert release.origin == "manifest"


def test_keys_are_normalised_urls() -> None:
    expectations = parse_manifest('[[source]]\nurl = "HTTPS://Example.ORG:443"\ntitle = "X"\nmatch = "exact"\n')
    assert list(expectations) == ["https://example.org/"]
    assert expectations["https://example.org/"].match == "exact"


@pytest.mark.parametrize(
    "text, message",
    [
        ('[[source]]\nurl = "https://a.example/"\n\n[[source]]\nurl = "https://b.example/"\npublsher = "x"\n',
         "line 6: unknown key 'publsher'"),
        ('[[source]]\ntitle = "no url"\n', "no 'url'"),
        ('[[source]]\nurl = "https://a.example/"\nmatch = "regex"\n', "match must be"),
        ("[[source]\n", "invalid TOML"),
        ('[sources]\nurl = "x"\n', "unknown top-level key"),
    ],
)
def test_bad_manifests_are_one_line_errors(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_manifest(text, name="m.toml")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_manifest_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such manifest"):
        load_manifest(tmp_path / "absent.toml")


def test_render_round_trips() -> None:
    text = render_manifest([{"url": "https://a.example/x", "title": "A \"quoted\" title", "publisher": None}])
    expectations = parse_manifest(text)
    assert expectations["https://a.example/x"].title == 'A "quoted" title'
    assert expectations["https://a.example/x"].publisher is None
