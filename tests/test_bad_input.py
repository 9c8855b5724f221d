"""Bad input through the command line: every case ends as a verdict or as exit 2 with one line.

Sources that cannot be read, documents that are empty, binary, damaged or huge, URLs that are
malformed, carry credentials, name IPv6 literals or IDN hosts, and option values that make no
sense. Anything that needs a server uses a real one on 127.0.0.1 or ::1.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any, Self

import pytest
from click.testing import CliRunner, Result

from linkcheck.cli import cli
from tests.servers import ScriptedServer, closed_port, html

ROOT = Path(__file__).resolve().parent.parent
ALL_FORMATS = ["json", "markdown", "html", "junit", "sarif", "csv"]
SECRET = "s3cr3t-Pa55word"
BIG_FILE_BYTES = 100 * 2**20
BIG_FILE_MAX_RSS_MB = 150
BIG_FILE_MAX_SECONDS = 10.0


def _check(runner: CliRunner, tmp_path: Path, *args: str) -> Result:
    return runner.invoke(cli, ["check", *args, "-o", str(tmp_path / "out"), "--no-cache", "--no-progress",
                               "--timeout", "3", "--retries", "0"])


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("linkcheck: error:")
    return lines[0]


def _report(tmp_path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((tmp_path / "out" / "linkcheck.json").read_text(encoding="utf-8"))
    return data


def _links(tmp_path: Path) -> dict[str, dict[str, Any]]:
    return {link["url"]: link for link in _report(tmp_path)["links"]}


async def _invoke_with_server(runner: CliRunner, args: list[str]) -> Result:
    """Run the CLI in a thread so that servers on this event loop keep answering."""
    return await asyncio.to_thread(runner.invoke, cli, args)


# --------------------------------------------------------------------------------------------
# Sources that cannot be read


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    line = _one_error_line(_check(runner, tmp_path, str(tmp_path / "nope.md")))
    assert "nope.md" in line and "no such file" in line
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_by_mode(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "secret.md"
    doc.write_text("https://example.org/\n")
    doc.chmod(0)
    try:
        line = _one_error_line(_check(runner, tmp_path, str(doc)))
    finally:
        doc.chmod(0o600)
    assert "secret.md" in line and "permission denied" in line


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_whose_read_fails_is_one_line_even_for_root(runner: CliRunner, tmp_path: Path) -> None:
    """``/proc/self/mem`` opens fine but every read at offset 0 fails with EIO, for any user."""
    line = _one_error_line(_check(runner, tmp_path, "/proc/self/mem"))
    assert "/proc/self/mem" in line and "cannot read" in line


def test_directory_without_documents(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (folder / ".git").mkdir()
    (folder / ".git" / "notes.md").write_text("https://example.org/\n")  # hidden folders are not walked
    line = _one_error_line(_check(runner, tmp_path, str(folder)))
    assert "no documents" in line


def test_binary_file_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "photo.txt"
    doc.write_bytes(bytes(range(256)) * 64)
    line = _one_error_line(_check(runner, tmp_path, str(doc)))
    assert "photo.txt" in line and "binary" in line


def test_empty_file_is_a_clean_run_without_links(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "empty.md"
    doc.write_bytes(b"")
    result = _check(runner, tmp_path, str(doc))
    assert result.exit_code == 0, result.output
    report = _report(tmp_path)
    assert report["summary"]["total"] == 0 and report["links"] == []
    assert report["complete"] is True


def test_invalid_utf8_is_decoded_with_replacement_and_the_run_goes_on(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "damaged.md"
    doc.write_bytes("Überblick [Seite](http://127.0.0.1:9/日本) kaputt: ".encode() + b"\xff\xfe\x80 hier\n"
                    + b"broken \xc3\x28 byte then http://127.0.0.1:9/after\n")
    result = runner.invoke(cli, ["extract", str(doc), "--format", "json"])
    assert result.exit_code == 0, result.output
    links = json.loads(result.output)["links"]
    assert [link["url"] for link in links] == ["http://127.0.0.1:9/日本", "http://127.0.0.1:9/after"]
    assert links[0]["occurrences"][0]["text"] == "Seite"
    assert links[1]["occurrences"][0]["line"] == 2


def _write_big_text(path: Path, size: int) -> int:
    """A plain-text file of about ``size`` bytes with one distinct URL every ~10 KB."""
    filler = b"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n" * 120
    count = 0
    with path.open("wb") as handle:
        while handle.tell() < size:
            handle.write(filler + b"see https://example.org/page/%d for details\n" % count)
            count += 1
    return count


_MEASURE = """
import resource, subprocess, sys, time
started = time.monotonic()
done = subprocess.run([sys.executable, "-m", "linkcheck", *sys.argv[1:]], stdout=subprocess.PIPE,
                      stderr=subprocess.PIPE)
elapsed = time.monotonic() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
lines = done.stdout.count(b"\\n")
sys.stdout.write(f"{done.returncode} {elapsed:.3f} {peak:.1f} {lines}\\n")
sys.stderr.write(done.stderr.decode("utf-8", "replace"))
"""


def test_hundred_megabyte_text_file_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """``extract`` on 100 MB: the peak RSS of that process alone (a fresh wrapper measures it)."""
    doc = tmp_path / "huge.txt"
    count = _write_big_text(doc, BIG_FILE_BYTES)
    try:
        measured = subprocess.run([sys.executable, "-c", _MEASURE, "extract", str(doc)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=60, check=False)
    finally:
        doc.unlink()
    returncode, elapsed, peak_mb, lines = measured.stdout.split()
    assert int(returncode) == 0, measured.stderr
    assert int(lines) == count
    assert float(peak_mb) < BIG_FILE_MAX_RSS_MB, f"peak RSS {peak_mb} MB"
    assert float(elapsed) < BIG_FILE_MAX_SECONDS


# --------------------------------------------------------------------------------------------
# URLs


def test_malformed_urls_are_invalid_and_other_schemes_excluded(runner: CliRunner, tmp_path: Path) -> None:
    port = closed_port()
    doc = tmp_path / "links.md"
    doc.write_text(
        "- [port](http://127.0.0.1:99999/x)\n"
        "- [no host](http:///only/a/path)\n"
        "- [empty label](http://exa..mple.org/)\n"
        f"- [ok scheme, closed port](http://127.0.0.1:{port}/)\n"
        "- [mail](mailto:someone@example.org)\n"
        "- [ftp](ftp://ftp.example.org/file.txt)\n"
        "- [phone](tel:+4930123456)\n"
        "- [script](javascript:alert(1))\n"
        "- [file](file:///etc/passwd)\n",
        encoding="utf-8",
    )
    result = _check(runner, tmp_path, str(doc))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    verdicts = {url: link["verdict"] for url, link in _links(tmp_path).items()}
    assert verdicts == {
        "http://127.0.0.1:99999/x": "invalid",
        "http:///only/a/path": "invalid",
        "http://exa..mple.org/": "invalid",
        f"http://127.0.0.1:{port}/": "network_error",
        "mailto:someone@example.org": "excluded",
        "ftp://ftp.example.org/file.txt": "excluded",
        "tel:+4930123456": "excluded",
        "javascript:alert(1)": "excluded",
        "file:///etc/passwd": "excluded",
    }
    links = _links(tmp_path)
    assert "99999" in links["http://127.0.0.1:99999/x"]["error"]
    assert links["mailto:someone@example.org"]["status"] is None


def test_url_credentials_are_sent_but_appear_in_no_report_and_no_output(runner: CliRunner, tmp_path: Path) -> None:
    async def scenario() -> tuple[Result, list[str]]:
        async with ScriptedServer({"/private": html("Members area")}) as server:
            doc = tmp_path / "doc.md"
            doc.write_text(
                f"[Members area](http://alice:{SECRET}@127.0.0.1:{server.port}/private)\n"
                f"and a dead one: http://bob:{SECRET}@127.0.0.1:{closed_port()}/gone\n",
                encoding="utf-8",
            )
            args = ["check", str(doc), "-o", str(tmp_path / "out"), "--no-cache", "--progress",
                    "--timeout", "3", "--retries", "0"]
            for name in ALL_FORMATS:
                args += ["-f", name]
            result = await _invoke_with_server(runner, args)
            return result, [r.headers.get("authorization", "") for r in server.requests]

    result, authorizations = asyncio.run(scenario())

    assert result.exit_code == 1, result.output
    assert len(authorizations) == 1 and authorizations[0].startswith("Basic ")  # sent to its own host
    assert SECRET not in result.output
    assert "***@127.0.0.1" in result.output  # the failing link is listed, redacted
    written = sorted((tmp_path / "out").iterdir())
    assert len(written) == len(ALL_FORMATS)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert SECRET not in text, path.name
        assert "alice" not in text, path.name
        assert "127.0.0.1" in text, path.name


def test_ipv6_literal_target(runner: CliRunner, tmp_path: Path) -> None:
    try:
        probe = socket.socket(socket.AF_INET6)
        probe.bind(("::1", 0))
        probe.close()
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")

    class V6Server(ScriptedServer):
        async def __aenter__(self) -> Self:
            self._server = await asyncio.start_server(self._on_connection, "::1", 0)
            return self

    async def scenario() -> tuple[Result, str, list[str]]:
        async with V6Server({"/v6": html("Over IPv6")}) as server:
            url = f"http://[::1]:{server.port}/v6"
            doc = tmp_path / "doc.md"
            doc.write_text(f"[Over IPv6]({url})\n", encoding="utf-8")
            result = await _invoke_with_server(runner, ["check", str(doc), "-o", str(tmp_path / "out"),
                                                        "--no-cache", "--timeout", "3", "--retries", "0"])
            return result, url, [r.headers.get("host", "") for r in server.requests]

    result, url, hosts = asyncio.run(scenario())

    assert result.exit_code == 0, result.output
    assert hosts == [url.split("/")[2]]
    link = _links(tmp_path)[url]
    assert link["verdict"] == "ok"
    assert link["title"]["found"] == "Over IPv6"


def test_idn_host_goes_as_punycode_on_the_wire_and_stays_unicode_in_reports(
    runner: CliRunner, tmp_path: Path
) -> None:
    async def scenario() -> tuple[Result, str, list[str]]:
        async with ScriptedServer({"/katalog": html("Bücher Katalog")}) as server:
            url = f"http://bücher.example:{server.port}/katalog"
            doc = tmp_path / "doc.md"
            doc.write_text(f"[Bücher Katalog]({url})\n", encoding="utf-8")
            args = ["check", str(doc), "-o", str(tmp_path / "out"), "--no-cache", "--timeout", "3",
                    "--retries", "0", "--resolve", f"bücher.example:{server.port}:127.0.0.1",
                    "-f", "json", "-f", "markdown"]
            result = await _invoke_with_server(runner, args)
            return result, url, [r.headers.get("host", "") for r in server.requests]

    result, url, hosts = asyncio.run(scenario())

    assert result.exit_code == 0, result.output
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert hosts == [f"xn--bcher-kva.example:{port}"]
    link = _links(tmp_path)[url]
    assert link["verdict"] == "ok"
    assert link["final_url"] == url
    markdown = (tmp_path / "out" / "linkcheck.md").read_text(encoding="utf-8")
    assert "bücher.example" in markdown
    assert "xn--" not in markdown + json.dumps(_report(tmp_path), ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# Option values (the common ones are in test_cli.py)


@pytest.mark.parametrize(
    "extra, needle",
    [
        pytest.param(["--timeout", "0"], "--timeout", id="timeout-0"),
        pytest.param(["--retries", "99"], "--retries", id="retries-too-many"),
        pytest.param(["--resolve", "a.example:80:[zz::1]"], "--resolve", id="resolve-bad-ipv6"),
        pytest.param(["--resolve", "a.example:0:127.0.0.1"], "--resolve", id="resolve-port-0"),
        pytest.param(["--ca-bundle", "NOT_PEM"], "--ca-bundle", id="ca-bundle-not-pem"),
        pytest.param(["--ca-bundle", "MISSING"], "--ca-bundle", id="ca-bundle-missing"),
        pytest.param(["--cache", "FOLDER"], "--cache", id="cache-is-a-folder"),
        pytest.param(["--max-cache-age", "-5"], "duration", id="cache-age-negative"),
    ],
)
def test_more_bad_option_values_exit_2_with_one_line(
    runner: CliRunner, tmp_path: Path, extra: list[str], needle: str
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("http://127.0.0.1:9/\n")
    (tmp_path / "not.pem").write_text("this is no certificate\n")
    names = {"NOT_PEM": str(tmp_path / "not.pem"), "MISSING": str(tmp_path / "missing.pem"), "FOLDER": str(tmp_path)}
    extra = [names.get(value, value) for value in extra]
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path / "out"), "--no-progress", *extra])
    assert needle in _one_error_line(result)


def test_output_folder_that_cannot_be_created_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("no links here\n")
    blocker = tmp_path / "file"
    blocker.write_text("a file, not a folder")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(blocker / "reports"), "--no-cache"])
    assert "reports" in _one_error_line(result)

