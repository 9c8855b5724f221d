"""Profile linkcheck on one benchmark scenario with pyinstrument.

pyinstrument is installed outside the project's venv, into bench/.peers/prof
(``.venv/bin/python -m pip install --target bench/.peers/prof pyinstrument``), and put
on PYTHONPATH next to the project only for this run.

Usage: python3 bench/profile.py [SCENARIO] [--quick] [--html FILE]
Prints pyinstrument's text report (wall-clock, async-aware) of ``linkcheck check``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DEFAULT_OUT, PEERS, PROJECT, BenchServer, _linkcheck_command, build_scenarios, write_doc  # noqa: E402

__all__ = ["main"]

_PROF = PEERS / "prof"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", default="fast-2k")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML report here")
    args = parser.parse_args(argv)
    if not (_PROF / "pyinstrument").exists():
        subprocess.run(
            [
                str(PROJECT / ".venv/bin/python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--target",
                str(_PROF),
                "pyinstrument",
            ],
            check=True,
        )
    scenario = next(s for s in build_scenarios(args.quick) if s.name == args.scenario)
    run_dir = DEFAULT_OUT / "profile" / scenario.name
    run_dir.mkdir(parents=True, exist_ok=True)
    server = BenchServer()
    try:
        doc = write_doc(scenario, server.port, run_dir / "doc")
        command = _linkcheck_command(scenario, doc, run_dir)
        renderer = ["-r", "html", "-o", str(args.html)] if args.html else ["-r", "text", "--show-all"]
        profiled = [command[0], "-m", "pyinstrument", *renderer, "-m", *command[2:]]
        env = {**os.environ, "PYTHONPATH": f"{PROJECT}{os.pathsep}{_PROF}"}
        subprocess.run(profiled, env=env, check=False, stderr=subprocess.DEVNULL)
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
