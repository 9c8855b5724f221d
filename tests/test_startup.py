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
