"""GitHub Actions output: annotations a runner parses back to the right file, line and message,
and the Markdown report appended to the job summary, only when ``GITHUB_ACTIONS=true``."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.github import emit_github, escape_data, escape_property, workflow_commands
from linkcheck.models import Occurrence, Report, Result, Target, TitleCheck, Verdict

COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def _unescape_property(value: str) -> str:
    """How the Actions runner decodes a property (ActionCommand.cs, UnescapeProperty)."""
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def _unescape_data(value: str) -> str:
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command as the runner does; fails the test when it is not one."""
    assert "\n" not in line and "\r" not in line
    match = COMMAND.match(line)
    assert match, line
    props: dict[str, str] = {}
    for pair in (match["props"] or "").split(","):
        key, _, value = pair.partition("=")
        props[key] = _unescape_property(value)
    return match["name"], props, _unescape_data(match["message"])


def _result(url: str, verdict: Verdict, source: str = "docs/a.md", **fields: object) -> Result:
    target = Target(key=url, url=url, checked_url=url, occurrences=(Occurrence(source, 4, 9, "t"),))
    return Result(target=target, verdict=verdict, **fields)  # type: ignore[arg-type]


def _report(*results: Result) -> Report:
    return Report(sources=("docs/a.md",), results=results, started_at="2024-01-01T00:00:00+00:00",
                  finished_at="2024-01-01T00:00:01+00:00", tool_version="0")


def test_escaping_follows_the_runner_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0Anext"
    assert escape_data("a\rb") == "ab", "a lone CR is a control character: stripped"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert escape_data("a:b,c") == "a:b,c", "colons and commas are fine in the message"
    assert escape_data("\x1b[31mred\x1b[0m") == "red"


def test_failures_are_errors_blocked_is_a_warning_at_the_line() -> None:
    report = _report(
        _result("https://a.example/gone", Verdict.BROKEN, status=404),
        _result("https://a.example/ok", Verdict.OK, status=200),
        _result("https://b.example/", Verdict.BLOCKED, status=403, error="bot protection"),
    )
    parsed = [parse_command(line) for line in workflow_commands(report)]
    assert parsed == [
        ("error", {"file": "docs/a.md", "line": "4", "col": "9", "title": "linkcheck: broken"},
         "https://a.example/gone  HTTP 404"),
        ("warning", {"file": "docs/a.md", "line": "4", "col": "9", "title": "linkcheck: blocked"},
         "https://b.example/  bot protection"),
    ]


def test_fail_on_turns_blocked_into_an_error() -> None:
    report = _report(_result("https://b.example/", Verdict.BLOCKED, status=403))
    [(level, _, _)] = [parse_command(line) for line in workflow_commands(report, frozenset({Verdict.BLOCKED}))]
    assert level == "error"


def test_one_annotation_per_occurrence() -> None:
    url = "https://a.example/gone"
    target = Target(key=url, url=url, checked_url=url,
                    occurrences=(Occurrence("a.md", 1, 2), Occurrence("b.md", 30, 4), Occurrence("-", 1, 1)))
    parsed = [parse_command(line) for line in workflow_commands(_report(Result(target, Verdict.BROKEN, status=410)))]
    assert [(p.get("file"), p.get("line")) for _, p, _ in parsed] == [("a.md", "1"), ("b.md", "30"), (None, None)]


def test_hostile_text_cannot_break_out_of_the_command() -> None:
    nasty_source = "docs/we,ird:name%.md"
    report = _report(
        _result("https://a.example/t", Verdict.TITLE_MISMATCH, source=nasty_source, status=200,
                title=TitleCheck("Expected", "Fake\n::error file=x::pwned\r\x1b[2J 100%", 10.0, False)),
    )
    [line] = workflow_commands(report)
    name, props, message = parse_command(line)
    assert name == "error"
    assert props["file"] == nasty_source
    assert props["title"] == "linkcheck: title_mismatch"
    assert message == "https://a.example/t  expected title “Expected”, found “Fake\n::error file=x::pwned 100%” (score 10.0)"


def test_absolute_sources_are_made_relative_to_the_workspace(tmp_path: Path) -> None:
    doc = tmp_path / "docs" / "a.md"
    report = _report(_result("https://a.example/gone", Verdict.BROKEN, source=str(doc), status=404))
    [(_, props, _)] = [parse_command(line) for line in workflow_commands(report, workspace=str(tmp_path))]
    assert props["file"] == "docs/a.md"


def test_pdf_sources_get_no_line() -> None:
    report = _report(_result("https://a.example/gone", Verdict.BROKEN, source="paper.pdf", status=404))
    [(_, props, _)] = [parse_command(line) for line in workflow_commands(report)]
    assert props["file"] == "paper.pdf" and "line" not in props


def test_nothing_happens_outside_github_actions(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    out = io.StringIO()
    report = _report(_result("https://a.example/gone", Verdict.BROKEN, status=404))
    assert not emit_github(report, stdout=out, environ={"GITHUB_STEP_SUMMARY": str(summary)})
    assert not emit_github(report, stdout=out, environ={"GITHUB_ACTIONS": "false",
                                                        "GITHUB_STEP_SUMMARY": str(summary)})
    assert out.getvalue() == "" and not summary.exists()


def test_step_summary_is_appended(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n\n", encoding="utf-8")
    report = _report(_result("https://a.example/gone", Verdict.BROKEN, status=404))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    out = io.StringIO()
    assert emit_github(report, stdout=out, environ=env)
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n\n## linkcheck report")
    assert "https://a.example/gone" in text


@pytest.fixture
def github_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    return summary


def test_check_on_github_actions_annotates_and_summarises(
    runner: CliRunner, httpserver: HTTPServer, tmp_path: Path, github_env: Path
) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    httpserver.expect_request("/ok").respond_with_data("<title>Fine</title>", content_type="text/html")
    doc = tmp_path / "docs" / "guide.md"
    doc.parent.mkdir()
    doc.write_text(f"Intro\n\nSee {httpserver.url_for('/ok')} and\n  {httpserver.url_for('/gone')} here.\n",
                   encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path / "out"), "--no-cache", "--no-progress",
                                 "--timeout", "5", "--retries", "0"])
    assert result.exit_code == 1
    commands = [parse_command(line) for line in result.stdout.splitlines()]
    assert commands == [
        ("error", {"file": "docs/guide.md", "line": "4", "col": "3", "title": "linkcheck: broken"},
         f"{httpserver.url_for('/gone')}  HTTP 404"),
    ]
    summary = github_env.read_text(encoding="utf-8")
    assert summary.startswith("## linkcheck report")
    assert summary == (tmp_path / "out" / "linkcheck.md").read_text(encoding="utf-8").rstrip("\n") + "\n\n"
