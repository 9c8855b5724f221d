from __future__ import annotations

import io

from linkcheck.models import Occurrence, Result, Target, Verdict
from linkcheck.progress import Progress, sanitize


def _result(url: str, verdict: Verdict) -> Result:
    target = Target(key=url, url=url, checked_url=url, occurrences=(Occurrence("d.md", 1, 1),))
    return Result(target=target, verdict=verdict)


def test_progress_counts_what_finished_on_one_line() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True, width=200, interactive=True)
    progress.start(3)
    progress.update(_result("https://a.example/", Verdict.OK))
    progress.update(_result("https://b.example/\x1b]0;pwned\x07", Verdict.BROKEN))
    screen = stream.getvalue()
    last = screen.split("\r\x1b[2K")[-1]
    assert last.startswith("[2/3]")
    assert "ok 1" in last and "broken 1" in last
    assert "https://b.example/" in last and "pwned" not in last
    assert "\x07" not in screen and "\x1b]" not in screen
    progress.finish()
    assert stream.getvalue().endswith("\r\x1b[2K")


def test_progress_is_silent_when_disabled() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=False)
    progress.start(1)
    progress.update(_result("https://a.example/", Verdict.OK))
    progress.finish()
    assert stream.getvalue() == ""
    assert progress.done == 1


def test_sanitize_strips_control_sequences_but_keeps_text() -> None:
    assert sanitize("a\x1b[31mred\x1b[0m\tb\r\nc\x9b2Jd\x1b]0;title\x07e") == "ared\tbcde"


def test_progress_fits_an_80_column_terminal_and_redraws_in_place() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True, width=79, interactive=True)
    progress.start(16)
    for i in range(16):
        verdict = Verdict.BROKEN if i % 3 else Verdict.OK
        progress.update(_result(f"https://host-{i}.example/a/very/long/path/that/goes/on/and/on/{i}", verdict))
    screen = stream.getvalue()
    assert "\n" not in screen, "every update redraws the same line"
    drawn = [part for part in screen.split("\r\x1b[2K") if part]
    assert len(drawn) == 16 and all(len(line) <= 79 for line in drawn)
    assert drawn[-1].startswith("[16/16]")


def test_forced_progress_off_a_terminal_writes_periodic_plain_lines() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True, interactive=False, interval=3600)
    progress.start(50)
    for i in range(50):
        progress.update(_result(f"https://a.example/{i}", Verdict.OK))
    progress.finish()
    lines = stream.getvalue().splitlines()
    assert lines == ["linkcheck: [ 1/50] ok 1", "linkcheck: [50/50] ok 50"]
    assert "\r" not in stream.getvalue() and "\x1b" not in stream.getvalue()
