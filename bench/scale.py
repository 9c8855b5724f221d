"""Memory at scale (issue 14, item 6): N links over H host names, all on one loopback server.

Writes a Markdown document of ``N`` links ``[Page i – Bench](http://hNNNN.example:PORT/s/0/0/p/i)``
round-robin over ``H`` host names, and a ``linkcheck.toml`` that ``--resolve``s every name to
127.0.0.2 (bench/server.py with one host address), then runs ``linkcheck check`` on it for each
size asked for and prints wall time, CPU time and peak RSS (from a fresh wrapper process, see
``_measure.py``), so growth between sizes can be read off one table. The report is checked
against what the server answers (every link reported, exactly the 404s broken).

Usage: python3 bench/scale.py [--links 25000,50000,100000] [--hosts 1000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BenchServer, _measure, _project_python  # noqa: E402
from server import expected_status, page_path, page_title  # noqa: E402

__all__ = ["main", "write_scale_doc"]

_ADDRESS = "127.0.0.2"


def host_name(index: int) -> str:
    return f"h{index:04d}.example"


def write_scale_doc(folder: Path, links: int, hosts: int, port: int) -> tuple[Path, set[str], set[str]]:
    """doc.md and linkcheck.toml in ``folder``; returns (doc, every URL, the broken ones)."""
    folder.mkdir(parents=True, exist_ok=True)
    urls: set[str] = set()
    broken: set[str] = set()
    lines = ["# scale", ""]
    for i in range(links):
        url = f"http://{host_name(i % hosts)}:{port}{page_path(i)}"
        urls.add(url)
        if expected_status(i) == 404:
            broken.add(url)
        lines.append(f"- [{page_title(i)}]({url})")
    doc = folder / "doc.md"
    doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    entries = ",\n".join(f'  "{host_name(n)}:{port}:{_ADDRESS}"' for n in range(min(hosts, links)))
    (folder / "linkcheck.toml").write_text(f"resolve = [\n{entries},\n]\n", encoding="utf-8")
    return doc, urls, broken


def _parity(report: Path, urls: set[str], broken: set[str]) -> str:
    data = json.loads(report.read_text(encoding="utf-8"))
    seen = {link["url"] for link in data["links"]}
    failed = {link["url"] for link in data["links"] if link["verdict"] == "broken"}
    if seen == urls and failed == broken:
        return "ok"
    return f"{len(seen ^ urls)} links differ, {len(failed ^ broken)} broken differ"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--links", default="25000,50000,100000", help="comma-separated sizes")
    parser.add_argument("--hosts", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--formats", default="json", help="comma-separated report formats")
    parser.add_argument("--keep", type=Path, help="folder for the documents and reports (default: a temporary one)")
    args = parser.parse_args(argv)
    server = BenchServer(hosts=1)
    print("| links | hosts | wall s | CPU s | peak RSS MB | parity |")
    print("| --- | --- | --- | --- | --- | --- |")
    try:
        with tempfile.TemporaryDirectory(prefix="linkcheck-scale-") as scratch:
            root = args.keep or Path(scratch)
            for size in (int(n) for n in args.links.split(",")):
                folder = root / f"n{size}"
                doc, urls, broken = write_scale_doc(folder, size, args.hosts, server.port)
                formats = [x for f in args.formats.split(",") for x in ("-f", f)]
                command = [
                    str(_project_python()), "-m", "linkcheck", "check", str(doc),
                    "--concurrency", str(args.concurrency), "--per-host", str(args.per_host),
                    "--retries", "0", "--no-cache", "--no-progress", "-o", str(folder / "report"), *formats,
                ]  # fmt: skip
                figures, _ = _measure(command, folder, 3600, {"PYTHONPATH": str(Path(__file__).parents[1])})
                parity = _parity(folder / "report" / "linkcheck.json", urls, broken)
                cpu = figures["user"] + figures["sys"]
                print(f"| {size:,} | {min(args.hosts, size):,} | {figures['wall']:.1f} | {cpu:.1f} | "
                      f"{figures['max_rss_kb'] / 1024:.0f} | {parity} |", flush=True)
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
