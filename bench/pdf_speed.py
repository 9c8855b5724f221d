"""PDF extraction speed of two source trees on the same PDFs, same run (issue 10).

    .venv/bin/python bench/pdf_speed.py DIR [--before SRC] [--rounds 3]

For each round and each tree (this checkout, and ``--before``: e.g. ``git archive main`` unpacked
somewhere), ``linkcheck extract -f json DIR`` runs in a fresh process with the tree first on
``PYTHONPATH`` and as the working directory (``-m`` and ``-c`` put the working directory first
on ``sys.path``); wall and CPU time and peak RSS come from ``wait4``. A second child extracts each
file in-process (start-up and imports excluded) and prints the seconds of extraction alone.
The trees alternate, so both see the same machine load. The best round of each is reported
(the machine is shared: the least disturbed round is the closest to the code's own cost).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
_IN_PROCESS = """
import sys, time, pathlib
from linkcheck.extract import extract
from linkcheck.models import Document
import linkcheck.extract.pdf
files = sorted(pathlib.Path(sys.argv[1]).rglob('*.pdf'))
data = [(f.name, f.read_bytes()) for f in files]
start = time.process_time()
for name, body in data:
    try:
        extract(Document(name, 'pdf', data=body))
    except Exception:
        pass
print(time.process_time() - start)
"""


def _run(tree: Path, argv: list[str], stdout: int | None = None) -> tuple[float, float, int, bytes]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    output = process.stdout.read() if process.stdout else b""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status:
        raise SystemExit(f"{argv} failed in {tree}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    options.corpus = options.corpus.resolve()
    size = sum(f.stat().st_size for f in options.corpus.rglob("*.pdf")) / 1e6
    trees = {"after": HERE} | ({"before": options.before.resolve()} if options.before else {})
    best: dict[str, dict[str, float]] = {}
    for _ in range(options.rounds):
        for name, tree in trees.items():
            wall, cpu, rss, _ = _run(tree, [sys.executable, "-m", "linkcheck", "extract", "-f", "json", str(options.corpus)])
            *_, out = _run(tree, [sys.executable, "-c", _IN_PROCESS, str(options.corpus)])
            check = [sys.executable, "-c", "import linkcheck; print(linkcheck.__file__)"]
            assert str(tree) in _run(tree, check)[3].decode(), f"{tree} is not the tree imported"
            extract_cpu = float(out.decode().strip().splitlines()[-1])
            row = best.setdefault(name, {"wall": wall, "cpu": cpu, "rss": rss, "extract": extract_cpu})
            row.update(wall=min(row["wall"], wall), cpu=min(row["cpu"], cpu), rss=max(row["rss"], rss),
                       extract=min(row["extract"], extract_cpu))
    print(f"corpus {options.corpus}: {size:.1f} MB of PDF, best of {options.rounds} rounds, load {os.getloadavg()[0]:.1f}")
    print("| tree | extract wall s | CPU s | MB/s (wall) | peak RSS MB | extraction alone CPU s | MB/s |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, row in best.items():
        print(f"| {name} | {row['wall']:.2f} | {row['cpu']:.2f} | {size / row['wall']:.1f} | {row['rss']} "
              f"| {row['extract']:.2f} | {size / row['extract']:.1f} |")


if __name__ == "__main__":
    main()
