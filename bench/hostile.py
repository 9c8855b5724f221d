"""Peak memory and wall time of ``linkcheck check`` against hostile servers (a script, not a test).

Each case starts ``python -m linkcheck check`` in a fresh measuring wrapper (``_measure.py``:
``getrusage(RUSAGE_CHILDREN)`` of exactly one child) against a local server that misbehaves:
an endless HTML or binary body (it would send hundreds of MB), gzip / deflate / brotli bombs
(1 GiB of zeros, about 1 MB on the wire), and a 100 MB plain-text document. The figure that
matters is the peak RSS *above the idle process* (``python -m linkcheck --version``) and above a
trivial check of one small page (the cost of the imports), and the wall time.

Aim: under 80 MB above idle and under 2 s for each case.

Usage (from the repository root)::

    .venv/bin/python bench/hostile.py            # every case
    .venv/bin/python bench/hostile.py gzip-bomb  # only the cases named
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import (
    Handler,
    ScriptedServer,
    brotli_bomb,
    deflate_bomb,
    endless,
    gzip_bomb,
    html,
)

__all__ = ["Case", "Measurement", "main"]

DEFAULT_TIMEOUT = 20.0
"""``--timeout`` given to linkcheck: far above what any case should need."""
KILL_AFTER = 120.0
"""The wrapper kills a run that takes longer than this."""
BIG_DOCUMENT_BYTES = 100 * 2**20
AIM_MB_ABOVE_IDLE = 80.0
AIM_SECONDS = 2.0

ROUTES: dict[str, Handler] = {
    "/small": html("A small page"),
    "/endless-html": endless(prefix=b"<!doctype html><html><body>"),  # no title: read to the byte cap
    "/endless-titled": endless(),  # title first: reading can stop there
    "/endless-binary": endless("application/octet-stream", prefix=b""),
    "/gzip-bomb": gzip_bomb(),
    "/deflate-bomb": deflate_bomb(),
    "/brotli-bomb": brotli_bomb(),
}


@dataclass(frozen=True)
class Case:
    name: str
    path: str | None
    """Route checked (one link), or None for the big-document case."""


CASES = (
    Case("small-page", "/small"),
    Case("endless-html", "/endless-html"),
    Case("endless-titled", "/endless-titled"),
    Case("endless-binary", "/endless-binary"),
    Case("gzip-bomb", "/gzip-bomb"),
    Case("deflate-bomb", "/deflate-bomb"),
    Case("brotli-bomb", "/brotli-bomb"),
    Case("100MB-document", None),
)


@dataclass(frozen=True)
class Measurement:
    name: str
    wall: float
    peak_mb: float
    returncode: int
    verdicts: str


@contextmanager
def _server() -> Iterator[str]:
    """The hostile routes on 127.0.0.1, served from a thread with its own event loop."""
    ready = threading.Event()
    origin: list[str] = []
    stop: list[Callable[[], object]] = []

    def serve() -> None:
        async def main() -> None:
            done = asyncio.Event()
            loop = asyncio.get_running_loop()
            stop.append(lambda: loop.call_soon_threadsafe(done.set))
            async with ScriptedServer(dict(ROUTES)) as server:
                origin.append(server.origin)
                ready.set()
                await done.wait()

        asyncio.run(main())

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("the hostile server did not start")
    try:
        yield origin[0]
    finally:
        stop[0]()
        thread.join(30)


def _measure(command: list[str], folder: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit code) of one command, from a fresh wrapper process."""
    result_file = folder / "measure.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_measure.py"), str(KILL_AFTER), str(result_file), "--", *command],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
    )
    data = json.loads(result_file.read_text())
    return float(data["wall"]), data["max_rss_kb"] / 1024, int(data["returncode"])


def _write_big_document(path: Path, origin: str) -> None:
    """100 MB of prose with a URL every ~10 KB; 20 distinct URLs, all on the local server."""
    filler = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n" * 120
    with path.open("wb") as handle:
        index = 0
        while handle.tell() < BIG_DOCUMENT_BYTES:
            handle.write(filler + f"see {origin}/small?n={index % 20} for details\n".encode())
            index += 1


def _verdicts(report: Path) -> str:
    try:
        summary = json.loads(report.read_text())["summary"]
    except (OSError, ValueError, KeyError):
        return "(no report)"
    return ", ".join(f"{n} {v}" for v, n in summary.items() if v != "total" and n) or "none"


def run_case(case: Case, origin: str, folder: Path) -> Measurement:
    folder.mkdir(parents=True, exist_ok=True)
    if case.path is None:
        document = folder / "big.txt"
        _write_big_document(document, origin)
    else:
        document = folder / "doc.txt"
        document.write_text(f"{origin}{case.path}\n")
    out = folder / "out"
    command = [sys.executable, "-m", "linkcheck", "check", str(document), "-o", str(out), "--no-cache",
               "--no-progress", "--timeout", str(DEFAULT_TIMEOUT), "--retries", "0", "-f", "json"]
    wall, peak, returncode = _measure(command, folder)
    if case.path is None:
        document.unlink()
    return Measurement(case.name, wall, peak, returncode, _verdicts(out / "linkcheck.json"))


def main(argv: list[str]) -> int:
    chosen = [c for c in CASES if not argv or c.name in argv]
    with tempfile.TemporaryDirectory(prefix="linkcheck-hostile-") as temp:
        base = Path(temp)
        _, idle_mb, _ = _measure([sys.executable, "-m", "linkcheck", "--version"], base)
        with _server() as origin:
            results = [run_case(case, origin, base / case.name) for case in chosen]
    small = next((r.peak_mb for r in results if r.name == "small-page"), None)
    print(f"idle process (linkcheck --version): {idle_mb:.1f} MB peak RSS")
    if small is not None:
        print(f"trivial check (one small page):     {small:.1f} MB peak RSS ({small - idle_mb:+.1f} MB: imports)")
    print()
    print("| case | exit | verdicts | wall s | peak RSS MB | above idle MB | above trivial MB | aim met |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        above = r.peak_mb - idle_mb
        trivial = f"{r.peak_mb - small:+.1f}" if small is not None else "–"
        met = "yes" if above < AIM_MB_ABOVE_IDLE and r.wall < AIM_SECONDS else "NO"
        print(f"| {r.name} | {r.returncode} | {r.verdicts} | {r.wall:.2f} | {r.peak_mb:.1f} | {above:+.1f} "
              f"| {trivial} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
