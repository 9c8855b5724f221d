"""The check step of the GitHub Action (``action.yml``): inputs → one ``linkcheck check`` → outputs.

``python -m linkcheck.action`` reads the step's inputs from ``INPUT_*`` environment variables
(an input is data, never shell code), runs ``linkcheck check`` in ``working-directory`` and
writes the step's outputs to ``$GITHUB_OUTPUT``. What a workflow author relies on:

- a malformed ``args`` (an unbalanced quote) is one error line and exit status 2, nothing runs;
- an output names a report only if *this* run wrote it (a report left by an earlier run in the
  same folder is not announced: each report is replaced atomically, so a new file is a new inode);
- output paths, annotations and SARIF locations are relative to the repository root
  (``GITHUB_WORKSPACE``) whatever the working directory, in the same ``/``-separated form;
- ``fail-if-empty``: no link found fails the step; ``job-summary: false`` leaves the job summary alone.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["REPORT_OUTPUTS", "main", "rebase_sarif"]

REPORT_OUTPUTS: tuple[tuple[str, str], ...] = (
    ("json", "linkcheck.json"),
    ("markdown", "linkcheck.md"),
    ("html", "linkcheck.html"),
    ("junit", "linkcheck.junit.xml"),
    ("sarif", "linkcheck.sarif"),
    ("csv", "linkcheck.csv"),
)
"""Output name → report file, for every format ``linkcheck check`` writes."""

_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0", ""}


class _InputError(Exception):
    """An input the step cannot use: one line, exit status 2."""


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(f"INPUT_{name.upper().replace('-', '_')}", str(default)).strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _InputError(f"input {name}: {value!r} is not true or false")


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _relative_to(path: Path, root: Path) -> str:
    """``path`` from ``root``, ``/``-separated, when inside it; else as it is."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return path.as_posix()


def rebase_sarif(text: str, prefix: str) -> str:
    """SARIF with every relative artifact URI put under ``prefix`` (a ``/``-separated folder from
    the repository root), so code scanning places a result run from a subfolder at its file."""
    from urllib.parse import quote

    if prefix in ("", "."):
        return text
    base = quote(prefix.strip("/"), safe="/!$&'()*+,;=@-._~") + "/"
    log = json.loads(text)
    for run in log.get("runs", []):
        for result in run.get("results", []):
            for location in result.get("locations", []):
                artifact = location.get("physicalLocation", {}).get("artifactLocation", {})
                uri = artifact.get("uri")
                if isinstance(uri, str) and "://" not in uri and not uri.startswith("/"):
                    artifact["uri"] = base + uri
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _command(env: Mapping[str, str], python: str) -> tuple[list[str], Path, Path, bool]:
    """The ``linkcheck check`` command, its working directory, report folder and fail-if-empty."""
    try:
        args = shlex.split(env.get("INPUT_ARGS", "."))
    except ValueError as exc:
        raise _InputError(f"input args: {exc} (quote like a shell: 'my docs' or \"my docs\")") from None
    workdir = Path(env.get("INPUT_WORKING_DIRECTORY", "") or ".")
    if not workdir.is_dir():
        raise _InputError(f"input working-directory: {workdir}: no such folder")
    formats = [name for name in env.get("INPUT_FORMAT", "").replace(",", " ").split() if name]
    fail_if_empty = _flag(env, "fail-if-empty", False)
    if fail_if_empty and formats and not {"json"} & {f.lower() for f in formats}:
        formats.append("json")  # the step counts the links in the JSON report
    output = Path(env.get("INPUT_OUTPUT", "") or "linkcheck-reports")
    command = [python, "-m", "linkcheck", "check", "--no-progress", "-o", str(output)]
    for name in formats:
        command += ["-f", name]
    return [*command, *args], workdir, output, fail_if_empty


def _link_count(report: Path) -> int | None:
    try:
        return int(json.loads(report.read_text(encoding="utf-8"))["summary"]["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def main(environ: Mapping[str, str] | None = None, *, python: str = sys.executable) -> int:
    """Run the step; returns its exit status (0 green, 1 a failing verdict with ``fail``, 2 no run)."""
    env = dict(os.environ if environ is None else environ)
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    try:
        command, workdir, output, fail_if_empty = _command(env, python)
        fail = _flag(env, "fail", True)
        job_summary = _flag(env, "job-summary", True)
    except _InputError as exc:
        print(f"::error title=linkcheck::{exc}", flush=True)
        print(f"linkcheck: error: {exc}", file=sys.stderr)
        _write_outputs(env, {"exit-code": "2"})
        return 2
    folder = workdir / output
    before = {name: _file_id(folder / filename) for name, filename in REPORT_OUTPUTS}
    child_env = {key: value for key, value in env.items() if not key.startswith("INPUT_")}
    if not job_summary:
        child_env.pop("GITHUB_STEP_SUMMARY", None)
    sys.stdout.flush()
    code = subprocess.run(command, cwd=workdir, env=child_env, check=False).returncode
    outputs = {"exit-code": str(code), "report-dir": _relative_to(folder, workspace)}
    written: dict[str, Path] = {}
    for name, filename in REPORT_OUTPUTS:
        path = folder / filename
        now = _file_id(path)
        if now is not None and now != before[name]:
            written[name] = path
            outputs[f"report-{name}"] = _relative_to(path, workspace)
    prefix = _relative_to(workdir, workspace)
    if "sarif" in written and prefix != "." and not prefix.startswith("/"):
        from .report.write import write_atomic

        sarif = written["sarif"]
        write_atomic(sarif, rebase_sarif(sarif.read_text(encoding="utf-8"), prefix))
    if fail_if_empty and code < 2 and "json" in written and _link_count(written["json"]) == 0:
        print("::error title=linkcheck::no links found (fail-if-empty is true)", flush=True)
        code = 1
        outputs["exit-code"] = "1"
    _write_outputs(env, outputs)
    if code >= 2:
        print(f"::error title=linkcheck::linkcheck could not run (exit status {code})", flush=True)
        return code
    return 1 if code == 1 and fail else 0


def _write_outputs(env: Mapping[str, str], outputs: Mapping[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for key, value in outputs.items():
            handle.write(f"{key}={value}\n")


if __name__ == "__main__":
    sys.exit(main())
