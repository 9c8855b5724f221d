from __future__ import annotations

import io

from linkcheck.models import Occurrence, Result, Target, Verdict
from linkcheck.progress import Progress, sanitize


def _result(url: str, verdict: Verdict) -> Result:
    target = Target(key=url, url=url, checked_url=url, occurrences=(Occurrence("d.md", 1, 1),))
    return Result(target=target, verdict=verdict)


def test_progress_counts_what_finished_on_one_line() -> None:
    stream = io.StringIO()
    progress = Progress(stream, enabled=True, width=200)
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
