"""Progress display on stderr: listens to ``on_result``; silent when stderr is not a terminal."""

from __future__ import annotations

import re
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
    """A one-line live counter: ``[ 120/800] ok 100 · broken 3 · …  https://…``.

    The console (``stream``) is injected so tests can read what a person would see.
    """

    def __init__(self, stream: IO[str], *, enabled: bool, width: int = 100) -> None:
        self.stream = stream
        self.enabled = enabled
        self.width = width
        self.total = 0
        self.done = 0
        self.counts: Counter[Verdict] = Counter()

    def start(self, total: int) -> None:
        self.total = total

    def update(self, result: Result) -> None:
        self.done += 1
        self.counts[result.verdict] += 1
        if not self.enabled:
            return
        counts = " · ".join(f"{v.value} {n}" for v, n in self.counts.most_common())
        line = f"[{self.done:>{len(str(self.total))}}/{self.total}] {counts}  {sanitize(result.url)}"
        self.stream.write("\r\x1b[2K" + line[: self.width])
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.done:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
