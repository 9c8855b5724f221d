"""The command line as a user meets it: exit codes and one-line errors, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck import __version__
from linkcheck.cli import cli

from .conftest import ROOT, SEED


@pytest.mark.parametrize(
    "args, needle",
    [
        pytest.param(["check", "no/such/file.txt"], "no/such/file.txt", id="missing-file"),
        pytest.param(["check", "SEED", "--concurrency", "0"], "--concurrency", id="concurrency-0"),
        pytest.param(["check", "SEED", "--per-host", "-1"], "--per-host", id="per-host-negative"),
        pytest.param(["check", "SEED", "--accept", "abc"], "--accept", id="accept-abc"),
        pytest.param(["check", "SEED", "--accept", "299..200"], "--accept", id="accept-reversed"),
        pytest.param(["check", "SEED", "--resolve", "nonsense"], "--resolve", id="resolve-bad"),
        pytest.param(["check", "SEED", "--resolve", "host:99999:127.0.0.1"], "--resolve", id="resolve-port"),
        pytest.param(["check", "SEED", "--header", "no colon"], "--header", id="header-bad"),
        pytest.param(["check", "SEED", "--exclude", "("], "--exclude", id="exclude-regex"),
        pytest.param(["check", "SEED", "--remap", "onlyone"], "--remap", id="remap-bad"),
        pytest.param(["check", "SEED", "--format", "pdf"], "--format", id="format-unknown"),
        pytest.param(["check", "SEED", "--title-threshold", "101"], "--title-threshold", id="threshold-range"),
        pytest.param(["check", "SEED", "--fail-on", "nope"], "--fail-on", id="fail-on-bad"),
        pytest.param(["check", "SEED", "--expect", "missing.toml"], "missing.toml", id="expect-missing"),
        pytest.param(["check", "SEED", "--max-cache-age", "soon"], "duration", id="cache-age-bad"),
        pytest.param(["check"], "SOURCE", id="no-source"),
        pytest.param(["frobnicate"], "frobnicate", id="unknown-command"),
        pytest.param(["check", "SEED", "--no-such-option"], "--no-such-option", id="unknown-option"),
    ],
)
def test_user_errors_exit_2_with_one_line(runner: CliRunner, args: list[str], needle: str) -> None:
    args = [str(SEED) if a == "SEED" else a for a in args]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("linkcheck: error:")
    assert needle in lines[0]
    assert "Traceback" not in result.output


def test_bad_manifest_key_names_key_and_line(runner: CliRunner, tmp_path: Path) -> None:
    manifest = tmp_path / "m.toml"
    manifest.write_text('[[source]]\nurl = "https://example.org/"\ntitel = "typo"\n', encoding="utf-8")
    result = runner.invoke(cli, ["check", str(SEED), "--expect", str(manifest), "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "'titel'" in result.output and "line 3" in result.output


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", ["check", "extract", "expect", "report"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_python_dash_m_runs_the_same_cli() -> None:
    """`python -m linkcheck` is the CLI; a missing file is one line and exit 2 from a real process."""
    proc = subprocess.run(
        [sys.executable, "-m", "linkcheck", "extract", "does-not-exist.md"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("linkcheck: error:")
    assert "Traceback" not in proc.stderr


def test_extract_json_has_occurrences(runner: CliRunner) -> None:
    import json

    result = runner.invoke(cli, ["extract", str(SEED), "--format", "json"])
    assert result.exit_code == 0
    links = json.loads(result.output)["links"]
    assert len(links) == 8
    first = links[0]["occurrences"][0]
    assert set(first) == {"source", "line", "column", "text"}
    assert first["text"] == "EU-Japan Joint Statement"
    assert first["line"] > 1 and first["column"] > 1


def test_extract_reads_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", "-"], input="see [docs](https://example.org/docs) and mailto:a@b.org\n")
    assert result.exit_code == 0
    assert "https://example.org/docs" in result.output.splitlines()


def test_extract_into_a_reader_that_stops_early_exits_quietly(tmp_path: Path) -> None:
    """`linkcheck extract … | head -1`: a closed pipe is not a failure and prints no error."""

    doc = tmp_path / "many.txt"
    doc.write_text("".join(f"https://example.org/page/{i}\n" for i in range(100_000)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "linkcheck", "extract", str(doc)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=30) == 0, err
    assert first == b"https://example.org/page/0\n"
    assert err == b""
