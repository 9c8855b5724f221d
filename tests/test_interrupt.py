"""Ctrl-C and SIGTERM against a real ``python -m linkcheck`` process.

The server answers one page at once and keeps every other request hanging until the client hangs
up, so the moment of the signal is known: one link finished, the rest in flight. What a user
(or a CI runner cancelling a job) must see: exit 130/143 within a second or two, reports written
with what was finished and marked incomplete, no temp files, no traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers import ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
HANG_SECONDS = 15.0
"""Longest a hanging request is kept open (the test fails long before)."""
EXIT_WITHIN = 2.0
"""Seconds from the signal to the process having exited."""
EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
DONE_PAGE = b"<!doctype html><html><head><title>Finished page</title></head><body>ok</body></html>"

pytestmark = pytest.mark.timeout(30)


@dataclass
class HangingSite:
    """``/done`` answers at once; any other path is read and then left hanging."""

    paths: list[str] = field(default_factory=list)
    hung_up_at: list[float] = field(default_factory=list)

    async def on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        path = head.split(b" ", 2)[1].decode("latin-1")
        self.paths.append(path)
        if path == "/done":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(DONE_PAGE) + DONE_PAGE)
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(HANG_SECONDS):
                await reader.read()  # b"" once the client closes the connection
        self.hung_up_at.append(time.monotonic())


@dataclass
class Outcome:
    returncode: int | None
    stdout: str
    stderr: str
    exit_seconds: float
    """From the signal to the process exit."""


async def _run_and_signal(args: list[str], signum: int, ready: Callable[[], bool], *, stdin: bytes | None = None) -> Outcome:
    """Start ``python -m linkcheck ARGS``, wait until ``ready()`` is true, send ``signum``."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "linkcheck", *args,
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdin is not None
        if stdin is not None:
            process.stdin.write(stdin)  # left open: the reader blocks waiting for more
            await process.stdin.drain()
        deadline = time.monotonic() + 10
        while not ready() and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert ready(), "the run never reached the point where it should be interrupted"
        await asyncio.sleep(0.3)  # let the finished link be recorded
        signalled = time.monotonic()
        process.send_signal(signum)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), EXIT_WITHIN * 3)
        exited = time.monotonic()
    finally:
        if process.returncode is None:
            process.kill()
        stdout, stderr = await process.communicate()
    return Outcome(process.returncode, stdout.decode(), stderr.decode(), exited - signalled)


def _temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_during_checks_writes_incomplete_reports_and_exits(tmp_path: Path, signum: signal.Signals) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "linkcheck.json").write_text('{"old": "report from an earlier run"}')
    site = HangingSite()

    async def scenario() -> Outcome:
        async with ScriptedServer(on_connect=site.on_connect) as server:
            doc = tmp_path / "doc.md"
            hanging = [server.url(f"/hang/{i}") for i in range(4)]
            doc.write_text("\n".join([server.url("/done"), *hanging]) + "\n")
            args = ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress", "--timeout", "60",
                    "--retries", "0", "-f", "json", "-f", "markdown", "-f", "html", "-f", "junit"]
            outcome = await _run_and_signal(args, signum, lambda: len(site.paths) >= 5)
            await asyncio.sleep(0.1)  # the server notices the closed connections
            return outcome

    outcome = asyncio.run(scenario())

    assert outcome.returncode == EXIT_CODES[signum], outcome.stderr
    assert outcome.exit_seconds < EXIT_WITHIN
    assert "Traceback" not in outcome.stderr
    assert "interrupted" in outcome.stderr
    # Every request in flight was dropped, none left hanging on the server.
    assert len(site.hung_up_at) == 4
    report = json.loads((out / "linkcheck.json").read_text())
    assert report["complete"] is False
    assert [link["url"].rsplit("/", 1)[-1] for link in report["links"]] == ["done"]
    assert report["links"][0]["verdict"] == "ok"
    assert report["summary"]["total"] == 1
    assert "incomplete" in (out / "linkcheck.md").read_text().lower()
    assert "incomplete" in (out / "linkcheck.html").read_text().lower()
    assert (out / "linkcheck.junit.xml").read_text().startswith("<?xml")
    assert _temp_files(out) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_while_fetching_a_source_document_exits_with_one_line(tmp_path: Path, signum: signal.Signals) -> None:
    site = HangingSite()
    out = tmp_path / "out"

    async def scenario() -> Outcome:
        async with ScriptedServer(on_connect=site.on_connect) as server:
            args = ["check", server.url("/document.html"), "-o", str(out), "--no-cache", "--no-progress",
                    "--timeout", "60"]
            return await _run_and_signal(args, signum, lambda: bool(site.paths))

    outcome = asyncio.run(scenario())

    assert outcome.returncode == EXIT_CODES[signum]
    assert outcome.exit_seconds < EXIT_WITHIN
    assert [line for line in outcome.stderr.splitlines() if line.strip()] == ["linkcheck: interrupted"]
    assert not out.exists() or _temp_files(out) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_while_standard_input_stays_open_exits_with_one_line(tmp_path: Path, signum: signal.Signals) -> None:
    """A blocking read of stdin must not swallow the signal (asyncio's own Ctrl-C handling would)."""
    started = time.monotonic()
    args = ["check", "-", "-o", str(tmp_path / "out"), "--no-cache", "--no-progress"]
    outcome = asyncio.run(_run_and_signal(args, signum, lambda: time.monotonic() - started > 1.0,
                                          stdin=b"see http://127.0.0.1:9/never\n"))

    assert outcome.returncode == EXIT_CODES[signum]
    assert outcome.exit_seconds < EXIT_WITHIN
    assert [line for line in outcome.stderr.splitlines() if line.strip()] == ["linkcheck: interrupted"]
    assert not (tmp_path / "out").exists()
