"""The README is the user's manual: keep it honest about what the code offers."""

from __future__ import annotations

import re

import pytest

from linkcheck.models import Verdict
from linkcheck.report import FORMATS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_documented_with_its_file(name: str) -> None:
    row = re.search(rf"^\| `{name}` \| `([^`]+)` \|", README, re.M)
    assert row is not None, f"format {name} has no row in README's Reports table"
    assert row.group(1) == FORMATS[name].filename


@pytest.mark.parametrize("verdict", list(Verdict))
def test_every_verdict_is_documented(verdict: Verdict) -> None:
    assert re.search(rf"^\| `{verdict.value}` \|", README, re.M)


def test_readme_gives_the_two_setup_commands_ci_runs() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = ci.strip().splitlines()[-1]
    assert test_command in README
    assert ".venv/bin/linkcheck check seeds/eu-japan-summit-2022.txt" in README
