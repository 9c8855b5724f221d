"""Start-up cost: what a run imports (httpx's own command line is not among it)."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import sys
import linkcheck.run, linkcheck.client, linkcheck.check
heavy = sorted(m for m in sys.modules if m.split(".")[0] == "pygments" or m in ("rich.syntax", "rich.progress"))
print(",".join(heavy) or "none")
import httpx
print(callable(httpx.main), httpx.Client.__name__)
"""


def test_a_run_does_not_import_httpx_command_line() -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert lines[0] == "none"
    assert lines[1] == "True Client"


def test_httpx_command_line_still_works_when_asked_for() -> None:
    code = "import linkcheck.client, httpx\ntry:\n    httpx.main(['--help'])\nexcept SystemExit as e:\n    print('exit', e.code)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "exit 0" in done.stdout
    assert "HTTPX" in done.stdout


_WARM = """
import asyncio, sys
from linkcheck.config import Config
from linkcheck.collect import collect
from linkcheck.models import Link, Occurrence
from linkcheck.run import check_targets

async def handle(reader, writer):
    await reader.readuntil(b"\\r\\n\\r\\n")
    writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: 35\\r\\n\\r\\n"
                 b"<html><title>Home</title></html>\\r\\n")
    await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    links = [Link(f"http://127.0.0.1:{port}/", Occurrence("doc.md", 1, 1, "Home"))]
    before = "linkcheck.report" in sys.modules, "linkcheck.judge" in sys.modules
    results = await check_targets(collect(links, Config()), Config(), warm_up=("linkcheck.report",))
    print(before, "linkcheck.report" in sys.modules, "linkcheck.judge" in sys.modules, results[0].verdict.value)
    server.close()

asyncio.run(main())
"""


def test_checks_import_the_later_stages_while_the_network_works() -> None:
    done = subprocess.run([sys.executable, "-c", _WARM], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.split() == ["(False,", "False)", "True", "True", "ok"]


def test_the_first_request_leaves_before_every_target_is_made(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """500 links: the server sees the first request while the plan is still being made, and the
    progress hook still gets the whole plan before the first result."""
    code = """
import asyncio, sys
from linkcheck.config import Config
from linkcheck.run import run_async
import linkcheck.collect as collect

made = []
original = collect.Grouped.targets
def counting(self):
    for target in original(self):
        made.append(target)
        yield target
collect.Grouped.targets = counting
seen_at_first_request = []
events = []

async def handle(reader, writer):
    while True:
        try:
            await reader.readuntil(b"\\r\\n\\r\\n")
        except Exception:
            break
        if not seen_at_first_request:
            seen_at_first_request.append(len(made))
        writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\nContent-Length: 32\\r\\n\\r\\n"
                     b"<html><title>Home</title></html>")
        await writer.drain()
    writer.close()

async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    doc = sys.argv[1]
    with open(doc, "w") as f:
        f.write("\\n".join(f"- [Home](http://127.0.0.1:{port}/p/{i})" for i in range(500)))
    report = await run_async([doc], Config(retries=0),
                             on_plan=lambda p: events.append(("plan", len(p.targets))),
                             on_result=lambda r: events.append(("result", r.verdict.value)))
    server.close()
    print(seen_at_first_request[0], len(made), events[0], len(events), len(report.results))

asyncio.run(main())
"""
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "doc.md")], capture_output=True, text=True,
                          check=True, timeout=120)
    first, made, *rest = done.stdout.split()
    assert int(first) < 500 and int(made) == 500, done.stdout
    assert " ".join(rest) == "('plan', 500) 501 500", done.stdout


def test_the_word_table_read_in_a_thread_gives_the_same_frequencies() -> None:
    code = """
import threading, time
from linkcheck.citation import frequency
frequency.preload()
frequency.preload()  # a second call while the first reads starts nothing
readers = [t for t in threading.enumerate() if t.name == "linkcheck-word-frequencies"]
print(len(readers) <= 1, frequency.zipf("the"), frequency.zipf("winter"), frequency.zipf("privatkredit"))
"""
    plain = "from linkcheck.citation import frequency\nprint(True, frequency.zipf('the'), frequency.zipf('winter'), frequency.zipf('privatkredit'))"
    threaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    direct = subprocess.run([sys.executable, "-c", plain], capture_output=True, text=True, check=True, timeout=60)
    assert threaded.stdout == direct.stdout
    assert threaded.stdout.split()[0] == "True"


def test_exit_handlers_still_run_after_a_check_and_the_last_collection_is_skipped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "doc.md"
    doc.write_text("no links here\n", encoding="utf-8")
    code = f"""
import atexit, gc, sys
atexit.register(lambda: print("handler ran, left to collect:", len(gc.get_objects()) < 1000, flush=True))
from linkcheck.cli import main
sys.argv = ["linkcheck", "check", {str(doc)!r}, "--no-cache", "--no-progress", "-o", {str(tmp_path / "out")!r}]
main()
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "handler ran, left to collect: True" in done.stdout  # the run's objects were frozen at exit
