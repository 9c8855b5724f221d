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
