"""Drift between audits: SimHash fingerprints (pure) and `content_changed` across two real runs."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.drift import (
    DEFAULT_DRIFT_BITS,
    fingerprint,
    flag_content_changed,
    hamming,
    is_moved,
    simhash,
)
from linkcheck.models import Page, Result, Target, Verdict

from .conftest import html_page

_VOCABULARY = [f"word{i}" for i in range(3000)]


def _words(seed: int, count: int = 600) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(_VOCABULARY) for _ in range(count)]


def test_hamming_counts_differing_bits() -> None:
    assert hamming(0b1011, 0b0010) == 2
    assert hamming(2**64 - 1, 0) == 64


def test_simhash_is_stable_and_ignores_case_and_spacing() -> None:
    text = "The EU-Japan Summit 2022 joint statement on digital partnership"
    assert simhash(text) == simhash(text.upper().replace(" ", "  \n"))
    assert simhash(text) < 2**64
    assert simhash("") == 0


@pytest.mark.parametrize("seed", range(5))
def test_small_edits_stay_within_the_bound_and_new_text_does_not(seed: int) -> None:
    words = _words(seed)
    edited = list(words)
    edited[300] = "changed"
    sentence = list(words)
    sentence[100:120] = _words(seed + 100, 20)
    base = simhash(" ".join(words))
    assert hamming(base, simhash(" ".join(edited))) <= DEFAULT_DRIFT_BITS
    assert hamming(base, simhash(" ".join(sentence))) <= DEFAULT_DRIFT_BITS
    assert hamming(base, simhash(" ".join(_words(seed + 1000)))) > DEFAULT_DRIFT_BITS


def test_is_moved_needs_both_fingerprints() -> None:
    assert not is_moved(None, "00ff")
    assert not is_moved("ffff", "ffff")
    assert is_moved("0" * 16, "f" * 16)
    assert not is_moved("zz", "00")


def _result() -> Result:
    target = Target(key="https://a.example/x", url="https://a.example/x", checked_url="https://a.example/x",
                    occurrences=())
    return Result(target=target, verdict=Verdict.OK, status=200)


def test_flag_content_changed_on_a_new_title() -> None:
    old = Page(is_html=True, title="Old title", text=" ".join(_words(1)))
    new = Page(is_html=True, title="New title", text=old.text)
    flagged = flag_content_changed(_result(), old_title=old.title, old_fingerprint=fingerprint(old), page=new)
    assert flagged.details == ("content_changed",)
    assert flagged.extra["content_changed"] == {"old_title": "Old title", "new_title": "New title",
                                                "distance": 0, "bound": DEFAULT_DRIFT_BITS}
    assert flagged.verdict is Verdict.OK


def test_flag_content_changed_on_new_text_only() -> None:
    old = Page(is_html=True, title="Same", text=" ".join(_words(1)))
    new = Page(is_html=True, title="same", text=" ".join(_words(2)))
    flagged = flag_content_changed(_result(), old_title=old.title, old_fingerprint=fingerprint(old), page=new)
    assert "content_changed" in flagged.details
    same = flag_content_changed(_result(), old_title=old.title, old_fingerprint=fingerprint(old), page=old)
    assert same.details == ()


def _check(runner: CliRunner, doc: Path, tmp_path: Path, name: str) -> dict[str, Any]:
    out = tmp_path / name
    result = runner.invoke(cli, ["check", str(doc), "-o", str(out), "-f", "json", "--cache",
                                 str(tmp_path / "c.sqlite"), "--max-cache-age", "0", "--timeout", "5"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"][0]


def test_two_audits_flag_a_page_that_changed(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(f"See {httpserver.url_for('/statement')}\n", encoding="utf-8")
    body = " ".join(_words(7))
    httpserver.expect_request("/statement").respond_with_data(
        html_page("Joint statement on trade", body=body), content_type="text/html")
    first = _check(runner, doc, tmp_path, "r1")
    assert "content_changed" not in first["details"]

    second = _check(runner, doc, tmp_path, "r2")
    assert "content_changed" not in second["details"], "an unchanged page is not drift"

    httpserver.clear()
    httpserver.expect_request("/statement").respond_with_data(
        html_page("Statement withdrawn", body=" ".join(_words(8))), content_type="text/html")
    third = _check(runner, doc, tmp_path, "r3")
    assert third["verdict"] == "ok"
    assert "content_changed" in third["details"]
    changed = third["extra"]["content_changed"]
    assert changed["old_title"] == "Joint statement on trade"
    assert changed["new_title"] == "Statement withdrawn"
    assert changed["distance"] > DEFAULT_DRIFT_BITS
