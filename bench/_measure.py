"""Run one command and report its wall time and peak RSS as one JSON line on stderr's last line.

Why a wrapper process: ``getrusage(RUSAGE_CHILDREN).ru_maxrss`` is the largest RSS
of any child ever waited for, so it only measures one tool run when it is read in
a fresh process that starts exactly that one run. The wrapper's own memory is not
counted (RUSAGE_CHILDREN excludes the caller), and the clock starts right before
the child is spawned, so the wrapper's start-up is not counted either.

Usage: python _measure.py TIMEOUT_SECONDS RESULT_FILE -- COMMAND...
The child's stdout and stderr are inherited; the result is written to RESULT_FILE.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import time

__all__ = ["main"]


def main(argv: list[str]) -> int:
    timeout, result_file, command = float(argv[0]), argv[1], argv[3:]
    started_at = time.monotonic()  # the bench server's clock: its first request minus this is start-up
    started = time.perf_counter()
    child = subprocess.Popen(command, start_new_session=True)
    timed_out = False
    try:
        returncode = child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(child.pid, signal.SIGKILL)
        returncode = child.wait()
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = {
        "wall": wall,
        "started_at": started_at,
        "max_rss_kb": usage.ru_maxrss,
        "user": usage.ru_utime,
        "sys": usage.ru_stime,
        "returncode": returncode,
        "timed_out": timed_out,
    }
    with open(result_file, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
