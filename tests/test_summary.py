"""The terminal summary: grouped by verdict, coloured only on a terminal without NO_COLOR, and
never passing a page's control sequences through to the reader's terminal."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.models import Occurrence, Redirect, Report, Result, Target, TitleCheck, Verdict
from linkcheck.summary import group_results, print_summary, wants_color

ANSI = re.compile(r"\x1b\[[0-9;]*m")


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _result(url: str, verdict: Verdict, **fields: object) -> Result:
    target = Target(key=url, url=url, checked_url=url, occurrences=(Occurrence("doc.md", 3, 7, "text"),))
    return Result(target=target, verdict=verdict, **fields)  # type: ignore[arg-type]


def _report(*results: Result) -> Report:
    return Report(sources=("doc.md",), results=results, started_at="2024-01-01T00:00:00+00:00",
                  finished_at="2024-01-01T00:00:01+00:00", tool_version="0")


SAMPLE = _report(
    _result("https://a.example/ok", Verdict.OK, status=200),
    _result("https://a.example/old", Verdict.REDIRECTED, status=200, final_url="https://a.example/new",
            redirects=(Redirect("https://a.example/old", 301),)),
    _result("https://a.example/gone", Verdict.BROKEN, status=404),
    _result("https://a.example/t", Verdict.TITLE_MISMATCH, status=200,
            title=TitleCheck("Expected thing", "Other thing", 31.5, False)),
    _result("https://b.example/", Verdict.BLOCKED, status=403, error="bot protection"),
    _result("mailto:x@a.example", Verdict.EXCLUDED),
)


def _plain(report: Report, **options: object) -> str:
    stream = io.StringIO()
    print_summary(report, [Path("out/linkcheck.json")], stream=stream, **options)  # type: ignore[arg-type]
    return stream.getvalue()


def test_groups_failures_first_then_blocked_then_redirected() -> None:
    text = _plain(SAMPLE)
    lines = text.splitlines()
    assert lines[0] == "linkcheck: 6 links: 1 ok, 1 redirected, 1 broken, 1 title_mismatch, 1 blocked, 1 excluded"
    headers = [line for line in lines[1:] if not line.startswith(" ") and not line.startswith("linkcheck:")]
    assert headers == [
        "broken (1) fails the run",
        "title_mismatch (1) fails the run",
        "blocked (1)",
        "redirected (1)",
    ]
    assert "  doc.md:3:7  https://a.example/gone  HTTP 404" in lines
    assert "  doc.md:3:7  https://a.example/old  moved to https://a.example/new (HTTP 301)" in lines
    assert ("  doc.md:3:7  https://a.example/t  expected title “Expected thing”, found “Other thing” (score 31.5)"
            in lines)
    assert "https://a.example/ok" not in text and "mailto:" not in text, "ok and excluded are only counted"
    assert lines[-1] == "linkcheck: wrote out/linkcheck.json"


def test_fail_on_decides_which_groups_come_first() -> None:
    groups = [v for v, _ in group_results(SAMPLE, frozenset({Verdict.BLOCKED}))]
    assert groups[0] is Verdict.BLOCKED
    assert "blocked (1) fails the run" in _plain(SAMPLE, fail_on=frozenset({Verdict.BLOCKED}))
    assert "broken (1) fails the run" not in _plain(SAMPLE, fail_on=frozenset({Verdict.BLOCKED}))


def test_plain_when_not_a_terminal_and_coloured_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert not ANSI.search(_plain(SAMPLE))
    terminal = _Terminal()
    print_summary(SAMPLE, stream=terminal)
    coloured = terminal.getvalue()
    assert "\x1b[1;31mbroken (1)" in coloured, repr(coloured[:400])
    assert ANSI.sub("", coloured) == _plain(SAMPLE).replace("linkcheck: wrote out/linkcheck.json\n", "")


def test_no_color_is_honoured_on_a_terminal() -> None:
    assert wants_color(_Terminal(), {}) is True
    assert wants_color(_Terminal(), {"NO_COLOR": "1"}) is False
    assert wants_color(_Terminal(), {"NO_COLOR": ""}) is True, "an empty NO_COLOR does not count"
    assert wants_color(io.StringIO(), {}) is False


def test_no_color_env_reaches_print_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    terminal = _Terminal()
    print_summary(SAMPLE, stream=terminal)
    assert "broken (1)" in terminal.getvalue()
    assert not ANSI.search(terminal.getvalue())


def test_control_sequences_from_pages_never_reach_the_terminal() -> None:
    hostile = _report(
        _result("https://evil.example/\x1b]0;pwned\x07", Verdict.TITLE_MISMATCH, status=200,
                title=TitleCheck("Cited \x1b[2J report", "\x1b[31mFake\x1b[0m \x9b2J title", 10.0, False)),
        _result("https://evil.example/e", Verdict.NETWORK_ERROR, error="reset \x1b[1A\r\x08 by peer"),
    )
    for stream in (io.StringIO(), _Terminal()):
        print_summary(hostile, stream=stream)
        text = ANSI.sub("", stream.getvalue()) if isinstance(stream, _Terminal) else stream.getvalue()
        assert "\x1b" not in text and "\x9b" not in text and "\x07" not in text and "\r" not in text
        assert "\x08" not in text
    assert "https://evil.example/e  reset  by peer" in _plain(hostile)
    assert "expected title “Cited  report”, found “Fake  title” (score 10.0)" in _plain(hostile)


def test_long_groups_are_cut_with_a_pointer_to_the_reports() -> None:
    many = _report(*(_result(f"https://a.example/{i}", Verdict.BROKEN, status=404) for i in range(7)))
    text = _plain(many, max_per_group=3)
    assert text.count("HTTP 404") == 3
    assert "… and 4 more in the reports" in text


def test_long_lines_are_not_wrapped_when_piped() -> None:
    url = "https://a.example/" + "x" * 300
    text = _plain(_report(_result(url, Verdict.BROKEN, status=404)))
    assert f"  doc.md:3:7  {url}  HTTP 404" in text.splitlines()


def test_check_prints_the_grouped_summary_on_stderr(runner: CliRunner, httpserver: HTTPServer,
                                                    tmp_path: Path) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    doc = tmp_path / "doc.md"
    doc.write_text(f"[Gone]({httpserver.url_for('/gone')})\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path / "out"), "--no-cache", "--no-progress",
                                 "--timeout", "5", "--retries", "0"])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "linkcheck: 1 link: 1 broken"
    assert lines[1] == "broken (1) fails the run"
    assert re.fullmatch(rf"  {re.escape(str(doc))}:1:\d+  {re.escape(httpserver.url_for('/gone'))}  HTTP 404", lines[2])
    assert not ANSI.search(result.stderr)
    assert result.stdout == ""


def test_verbose_lists_every_link_and_quiet_only_the_failing_ones() -> None:
    verbose = _plain(SAMPLE, detail="verbose").splitlines()
    headers = [line for line in verbose[1:] if not line.startswith(" ") and not line.startswith("linkcheck:")]
    assert headers[-2:] == ["ok (1)", "excluded (1)"]
    assert "  doc.md:3:7  https://a.example/ok  HTTP 200" in verbose
    assert "  doc.md:3:7  mailto:x@a.example" in verbose
    quiet = _plain(SAMPLE, detail="quiet").splitlines()
    assert quiet == [
        "broken (1) fails the run",
        "  doc.md:3:7  https://a.example/gone  HTTP 404",
        "title_mismatch (1) fails the run",
        "  doc.md:3:7  https://a.example/t  expected title “Expected thing”, found “Other thing” (score 31.5)",
    ], "quiet: no counts, no links that only need a look, no files written"
    assert _plain(_report(_result("https://a.example/ok", Verdict.OK, status=200)), detail="quiet") == ""


def test_verbose_is_not_cut() -> None:
    many = _report(*(_result(f"https://a.example/{i}", Verdict.BROKEN, status=404) for i in range(7)))
    assert _plain(many, max_per_group=3, detail="verbose").count("HTTP 404") == 7


def test_places_beyond_the_first_are_counted_in_words() -> None:
    target = Target(key="u", url="https://a.example/gone", checked_url="https://a.example/gone",
                    occurrences=(Occurrence("doc.md", 3, 7, "a"), Occurrence("doc.md", 9, 1, "b"),
                                 Occurrence("other.md", 1, 1, "c")))
    two_more = _plain(_report(Result(target=target, verdict=Verdict.BROKEN, status=404)))
    assert "  doc.md:3:7 and 2 more places  https://a.example/gone  HTTP 404" in two_more.splitlines()
    one_more = replace(target, occurrences=target.occurrences[:2])
    assert "doc.md:3:7 and 1 more place  " in _plain(_report(Result(target=one_more, verdict=Verdict.BROKEN)))


def test_timing_line_gives_elapsed_time_and_cache_share() -> None:
    cached = replace(SAMPLE.results[0], details=("cached",))
    report = _report(cached, *SAMPLE.results[1:])
    lines = _plain(report, elapsed=3.21, cached=1).splitlines()
    assert lines[-2:] == ["linkcheck: done in 3.2 s; 1 of 6 results from the cache", "linkcheck: wrote out/linkcheck.json"]
    assert "linkcheck: done in 2 min 5 s" in _plain(report, elapsed=125.4)
    assert "from the cache" not in _plain(report, elapsed=1.0), "no cache used: nothing said of it"


def _check_cli(runner: CliRunner, doc: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["check", str(doc), "-o", str(out), "--no-progress", "--timeout", "5",
                                 "--retries", "0", *extra])
    return result.exit_code, result.stderr


def test_check_says_how_long_it_took_and_what_came_from_the_cache(runner: CliRunner, httpserver: HTTPServer,
                                                                   tmp_path: Path) -> None:
    httpserver.expect_request("/ok").respond_with_data("<title>Fine</title>", content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"See {httpserver.url_for('/ok')} and {httpserver.url_for('/ok')}?x=1\n", encoding="utf-8")
    cache = str(tmp_path / "cache.sqlite")
    code, first = _check_cli(runner, doc, tmp_path / "out", "--cache", cache)
    assert code == 0, first
    assert re.search(r"^linkcheck: done in \d+\.\d s; 0 of 2 results from the cache$", first, re.MULTILINE), first
    code, second = _check_cli(runner, doc, tmp_path / "out", "--cache", cache)
    assert re.search(r"^linkcheck: done in \d+\.\d s; 2 of 2 results from the cache$", second, re.MULTILINE), second
    code, plain = _check_cli(runner, doc, tmp_path / "out", "--no-cache")
    assert re.search(r"^linkcheck: done in \d+\.\d s$", plain, re.MULTILINE), plain


def test_check_quiet_and_verbose(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/ok").respond_with_data("<title>Fine</title>", content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    doc = tmp_path / "doc.md"
    doc.write_text(f"{httpserver.url_for('/ok')}\n{httpserver.url_for('/gone')}\n", encoding="utf-8")
    code, quiet = _check_cli(runner, doc, tmp_path / "out", "--no-cache", "-q")
    assert code == 1
    assert quiet.splitlines() == ["broken (1) fails the run",
                                  f"  {doc}:2:1  {httpserver.url_for('/gone')}  HTTP 404"]
    code, verbose = _check_cli(runner, doc, tmp_path / "out", "--no-cache", "--verbose")
    assert code == 1
    assert f"  {doc}:1:1  {httpserver.url_for('/ok')}  HTTP 200" in verbose.splitlines()
    code, both = _check_cli(runner, doc, tmp_path / "out", "-q", "-v")
    assert code == 2
    assert both.strip() == "linkcheck: error: --verbose and --quiet: choose one"


def test_quiet_on_the_command_line_wins_over_verbose_in_the_settings(runner: CliRunner, httpserver: HTTPServer,
                                                                     tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/ok").respond_with_data("<title>Fine</title>", content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"{httpserver.url_for('/ok')}\n", encoding="utf-8")
    (tmp_path / "linkcheck.toml").write_text("verbose = true\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, verbose = _check_cli(runner, doc, tmp_path / "out", "--no-cache")
    assert f"  {doc}:1:1  {httpserver.url_for('/ok')}  HTTP 200" in verbose.splitlines()
    code, quiet = _check_cli(runner, doc, tmp_path / "out", "--no-cache", "-q")
    assert code == 0 and quiet == "", "the command line's --quiet wins over the file's verbose"
