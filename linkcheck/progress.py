"""Progress display on stderr: listens to ``on_result``; silent when stderr is not a terminal."""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from typing import IO

from .models import Result, Verdict
from .urls import redact

__all__ = ["Progress", "sanitize"]

_CONTROL = {c: None for c in range(0x20) if c not in (0x09,)} | {0x7F: None} | {c: None for c in range(0x80, 0xA0)}


_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]|\x9b[0-?]*[ -/]*[@-~]")


def sanitize(text: str) -> str:
    """Strip terminal control sequences (CSI, OSC, other ESC and C0/C1 controls but TAB) from
    text a page or document gave us, so it cannot recolour, retitle or rewrite the terminal.

    Credentials in URLs (``user:pass@``) are redacted too: whatever reaches the console (progress,
    summary, errors, CI annotations) passes through here, and CI logs are often public."""
    return redact(_SEQUENCE.sub("", text).translate(_CONTROL))


class Progress:
    """A live counter: ``[ 120/800] ok 100 · broken 3 · …  https://…``.

    On a terminal it is one line redrawn in place, cut to the terminal's width (less one column,
    so it never wraps); when the display is forced (``--progress``) on something that is not a
    terminal (a CI log), it writes a plain line every ``interval`` seconds and a last one at the end.
    The console (``stream``) is injected so tests can read what a person would see.
    """

    def __init__(self, stream: IO[str], *, enabled: bool, width: int | None = None,
                 interactive: bool | None = None, interval: float = 5.0) -> None:
        self.stream = stream
        self.enabled = enabled
        self.interactive = _isatty(stream) if interactive is None else interactive
        self.width = width if width is not None else max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        self.interval = interval
        self.total = 0
        self.done = 0
        self.counts: Counter[Verdict] = Counter()
        self._last_line_at: float | None = None

    def start(self, total: int) -> None:
        self.total = total

    def update(self, result: Result) -> None:
        self.done += 1
        self.counts[result.verdict] += 1
        if not self.enabled:
            return
        counts = " · ".join(f"{v.value} {n}" for v, n in self.counts.most_common())
        head = f"[{self.done:>{len(str(self.total))}}/{self.total}] {counts}"
        if self.interactive:
            line = f"{head}  {sanitize(result.url)}"
            self.stream.write("\r\x1b[2K" + line[: self.width])
            self.stream.flush()
            return
        now = time.monotonic()
        last = self.done == self.total
        if last or self._last_line_at is None or now - self._last_line_at >= self.interval:
            self._last_line_at = now
            self.stream.write(f"linkcheck: {head}\n")
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.done and self.interactive:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
