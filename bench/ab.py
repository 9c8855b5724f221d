"""Compare source trees of linkcheck with each other and with lychee, alternated round by round.

``bench/run.py`` measures the working tree; a lever is only worth keeping when it beats the code
without it on the same machine at the same minute, so this runs several trees (each put first on
``PYTHONPATH`` under the project's venv, byte-compiled first) and lychee one after the other, round by round, against
one server. Per tree it prints medians of wall and CPU time, and what the server saw: ``first``
(process start → first request), ``span`` (first request → last answer) and ``tail`` (last answer
→ process exit). Parity is checked on every run, and the verdict of every URL must be the same
in every tree (``verdicts`` column).

Usage: python3 bench/ab.py --scenario fast-2k,one-host-ph16 --tree base=/tmp/base --tree new=. [--rounds 5]
A tree is ``name=path`` (a folder holding ``linkcheck/``); ``--no-lychee`` leaves lychee out.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    DEFAULT_OUT,
    BenchServer,
    Tool,
    _measure,
    _parity,
    byte_compile,
    build_scenarios,
    build_tools,
    write_doc,
)

__all__ = ["main"]


def _verdicts(run_dir: Path) -> dict[str, str]:
    report = json.loads((run_dir / "report" / "linkcheck.json").read_text(encoding="utf-8"))
    return {link["url"]: link["verdict"] for link in report["links"]}


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", required=True, help="comma-separated scenario names (check kind)")
    parser.add_argument("--tree", action="append", default=[], help="name=path of a source tree (repeatable)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-lychee", action="store_true")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / "ab")
    args = parser.parse_args(argv)
    trees = dict(t.split("=", 1) for t in args.tree) or {"this": "."}
    for path in trees.values():
        byte_compile(Path(path).resolve())
    tools = build_tools()
    base: Tool = tools["linkcheck"]
    runners: dict[str, Tool] = {
        name: Tool(name, base.available, base.command, base.parse, base.help_command,
                   env={"PYTHONPATH": str(Path(path).resolve())})
        for name, path in trees.items()
    }
    if not args.no_lychee and tools["lychee"].available():
        runners["lychee"] = tools["lychee"]
    wanted = set(args.scenario.split(","))
    scenarios = [s for s in build_scenarios(False) if s.name in wanted and s.kind == "check"]
    server = BenchServer()
    try:
        for scenario in scenarios:
            doc = write_doc(scenario, server.port, args.out / scenario.name / "doc")
            rows: dict[str, dict[str, list[float]]] = {n: {} for n in runners}
            parity: dict[str, set[str]] = {n: set() for n in runners}
            verdicts: dict[str, dict[str, str]] = {}
            differs: set[str] = set()
            for n in range(args.rounds):
                for name, tool in runners.items():
                    run_dir = args.out / scenario.name / name / f"run{n}"
                    shutil.rmtree(run_dir, ignore_errors=True)
                    run_dir.mkdir(parents=True)
                    server.reset()
                    result, stdout = _measure(tool.command(scenario, doc, run_dir), run_dir,
                                              doc.limit * 4 + 60, tool.env)
                    everything = server.stats()
                    (run_dir / "server-stats.json").write_text(json.dumps(everything, indent=1))
                    stats: dict[str, Any] = everything["total"]
                    end = result["started_at"] + result["wall"]
                    figures = {
                        "wall": result["wall"], "cpu": result["user"] + result["sys"],
                        "first": stats["first_at"] - result["started_at"],
                        "span": stats["last_at"] - stats["first_at"], "tail": end - stats["last_at"],
                        "rss": result["max_rss_kb"] / 1024,
                    }
                    for key, value in figures.items():
                        rows[name].setdefault(key, []).append(value)
                    parity[name].add(_parity(tool.parse(run_dir, stdout), doc))
                    if name != "lychee":
                        seen = _verdicts(run_dir)
                        if verdicts and seen != next(iter(verdicts.values())):
                            differs.add(name)
                        verdicts.setdefault(name, seen)
                    print(f"  {scenario.name} {name} round {n}: {figures['wall']:.3f} s", file=sys.stderr, flush=True)
            print(f"\n{scenario.name} (limit {doc.limit:.2f} s, {args.rounds} rounds, medians)\n")
            print("| tree | wall s | × limit | CPU s | first s | span s | tail s | RSS MB | parity | verdicts |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for name, figures in rows.items():
                m = {k: _median(v) for k, v in figures.items()}
                same = "–" if name == "lychee" else ("DIFFER" if name in differs else "same")
                print(f"| {name} | {m['wall']:.3f} | {m['wall'] / doc.limit if doc.limit else float('nan'):.3f} "
                      f"| {m['cpu']:.2f} | {m['first']:.3f} | {m['span']:.3f} | {m['tail']:.3f} | {m['rss']:.0f} "
                      f"| {', '.join(sorted(parity[name]))} | {same} |")
            sys.stdout.flush()
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
