"""The SARIF 2.1.0 report: valid against the OASIS schema, one result per failing occurrence."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from linkcheck.models import Occurrence, Report, Result, Target, Verdict
from linkcheck.report import render_json, render_sarif

try:
    from tests.test_report_sample import SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import SECRET, make_report  # type: ignore[no-redef]

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _sarif(report: Report | None = None) -> dict[str, Any]:
    return json.loads(render_sarif(report or make_report()))


def test_valid_against_the_sarif_schema(validator: jsonschema.protocols.Validator) -> None:
    validator.validate(_sarif())
    validator.validate(_sarif(make_report(complete=False)))


def test_schema_rejects_a_broken_log(validator: jsonschema.protocols.Validator) -> None:
    log = _sarif()
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["level"] = "fatal"
    assert not validator.is_valid(bad)
    bad = copy.deepcopy(log)
    bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert not validator.is_valid(bad)


def test_one_result_per_failing_or_blocked_occurrence() -> None:
    links = json.loads(render_json(make_report()))["links"]
    expected = sorted(
        (f"linkcheck/{link['verdict']}", o["source"], o["line"], o["column"])
        for link in links
        if Verdict(link["verdict"]).is_failure or link["verdict"] == "blocked"
        for o in link["occurrences"]
    )
    results = _sarif()["runs"][0]["results"]
    found = sorted(
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].replace("%20", " "),
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in results
    )
    assert found == expected
    assert len(results) == 8


def test_rules_and_levels() -> None:
    run = _sarif()["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [
        "linkcheck/broken",
        "linkcheck/soft_404",
        "linkcheck/title_mismatch",
        "linkcheck/timeout",
        "linkcheck/network_error",
        "linkcheck/invalid",
        "linkcheck/blocked",
    ]
    assert all(rule["shortDescription"]["text"] for rule in rules)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == ("warning" if result["ruleId"] == "linkcheck/blocked" else "error")
    assert run["tool"]["driver"]["name"] == "linkcheck"
    assert run["tool"]["driver"]["version"] == "0.1.0"


def test_message_names_url_status_and_error() -> None:
    results = _sarif()["runs"][0]["results"]
    broken = next(r for r in results if r["ruleId"] == "linkcheck/broken")
    assert (
        broken["message"]["text"] == "Broken link: https://example.org/missing — HTTP 404; HTTP 404 Not Found"
    )
    mismatch = next(r for r in results if r["ruleId"] == "linkcheck/title_mismatch")
    assert "expected title “Leaders agree on climate plan”" in mismatch["message"]["text"]
    assert "\n" not in mismatch["message"]["text"]


def test_paths_become_uri_references() -> None:
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in _sarif()["runs"][0]["results"]
    }
    assert "docs/press%20release.html" in uris
    target = Target("k", "https://x.example/", "https://x.example/", (Occurrence("C:\\docs\\a b.md", 0, 0),))
    report = Report(("C:\\docs",), (Result(target, Verdict.BROKEN, status=404),), "t0", "t1", "0")
    location = _sarif(report)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "file:///C:/docs/a%20b.md"
    assert location["region"] == {"startLine": 1, "startColumn": 1}


def test_credentials_are_redacted() -> None:
    assert SECRET not in render_sarif(make_report())


def test_incomplete_run_is_not_a_successful_execution() -> None:
    assert _sarif(make_report(complete=False))["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert _sarif()["runs"][0]["invocations"][0]["executionSuccessful"] is True
