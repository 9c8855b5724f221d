"""Shards and merge as a CI engine runs them: separate processes, one per shard, against local
servers standing in for twelve hosts (``--resolve``), then one merge, compared with one run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli

from .conftest import html_page

HOSTS = tuple(f"h{i:02d}.example" for i in range(1, 13))
SHARDS = 4


def _serve(server: HTTPServer, other: HTTPServer) -> None:
    for i, host in enumerate(HOSTS, 1):
        server.expect_request(f"/page/{i}").respond_with_data(html_page(f"Annual report number {i}"),
                                                              content_type="text/html; charset=utf-8")
    server.expect_request("/gone").respond_with_data("not here", status=404)
    # A permanent redirect to another host (and another server): followed wherever it leads.
    server.expect_request("/moved").respond_with_data(
        "", status=301, headers={"Location": f"http://{HOSTS[0]}:{other.port}/new"})
    other.expect_request("/new").respond_with_data(html_page("The new home of the budget"),
                                                   content_type="text/html; charset=utf-8")


def _documents(tmp_path: Path, port: int) -> list[str]:
    a = tmp_path / "a.md"
    b = tmp_path / "b.md"
    lines_a = [f"- [Annual report number {i}](http://{host}:{port}/page/{i})" for i, host in enumerate(HOSTS, 1)]
    lines_a += [f"- [Old page](http://{HOSTS[4]}:{port}/gone)", f"- [Budget](http://{HOSTS[7]}:{port}/moved)",
                "- [Press](mailto:press@example.org)"]
    a.write_text("# Sources\n\n" + "\n".join(lines_a) + "\n", encoding="utf-8")
    # The same citations again in another document: occurrences from both must survive a merge.
    b.write_text(f"See [Annual report number 3](http://{HOSTS[2]}:{port}/page/3) and"
                 f" [Old page](http://{HOSTS[4]}:{port}/gone).\n", encoding="utf-8")
    return [str(a), str(b)]


def _resolve(*ports: int) -> list[str]:
    return [arg for host in HOSTS for port in ports for arg in ("--resolve", f"{host}:{port}:127.0.0.1")]


def _linkcheck(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "linkcheck", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


def _load(folder: Path) -> dict:
    return json.loads((folder / "linkcheck.json").read_text(encoding="utf-8"))


def _facts(report: dict) -> dict:
    """What must be equal between a merge and a single run (not timings, not ``elapsed_ms``)."""
    return {
        "sources": report["sources"],
        "summary": report["summary"],
        "plan": report["plan"],
        "links": [(link["url"], link["verdict"], link["status"], link["final_url"], link["redirects"],
                   link["occurrences"], link["title"], link["error"]) for link in report["links"]],
    }


@pytest.fixture(scope="module")
def sharded(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One single run and SHARDS shard runs of the same documents, each its own process."""
    tmp_path = tmp_path_factory.mktemp("sharded")
    httpserver = HTTPServer(host="127.0.0.1", port=0)
    other = HTTPServer(host="127.0.0.1", port=0)
    httpserver.start()
    other.start()
    try:
        _serve(httpserver, other)
        docs = _documents(tmp_path, httpserver.port)
        common = [*docs, "--no-progress", "--no-cache", "--retries", "0", "-f", "json",
                  *_resolve(httpserver.port, other.port)]
        single = _linkcheck("check", *common, "-o", str(tmp_path / "single"))
        shards = []
        for k in range(1, SHARDS + 1):
            out = ["-o", str(tmp_path / f"shard-{k}")]
            if k == SHARDS:  # the environment variable an Indexed Job or a matrix sets
                shards.append(_linkcheck("check", *common, *out, env={"LINKCHECK_SHARD": f"{k}/{SHARDS}"}))
            else:
                shards.append(_linkcheck("check", *common, *out, "--shard", f"{k}/{SHARDS}"))
        codes = [p.wait(timeout=60) for p in (single, *shards)]
        errors = [p.stderr.read() for p in (single, *shards)]  # type: ignore[union-attr]
        for p in (single, *shards):
            p.stdout.close()  # type: ignore[union-attr]
            p.stderr.close()  # type: ignore[union-attr]
    finally:
        for server in (httpserver, other):
            server.clear()
            server.stop()
    assert all(code in (0, 1) for code in codes), errors
    return {"tmp": tmp_path, "docs": docs, "single_code": codes[0], "shard_codes": codes[1:],
            "single": _load(tmp_path / "single"),
            "shards": [_load(tmp_path / f"shard-{k}") for k in range(1, SHARDS + 1)]}


def test_shards_are_host_disjoint_non_empty_and_merge_to_the_single_run(sharded: dict) -> None:
    tmp: Path = sharded["tmp"]
    shards = sharded["shards"]
    single = sharded["single"]
    assert [s["shard"] for s in shards] == [f"{k}/{SHARDS}" for k in range(1, SHARDS + 1)]
    assert len({s["plan"] for s in shards}) == 1 and shards[0]["plan"] == single["plan"]
    hosts = [{link["url"].split("/")[2].split(":")[0] for link in s["links"] if "://" in link["url"]} for s in shards]
    assert all(hosts), "every shard of a 12-host document has work"
    for i, mine in enumerate(hosts):
        for theirs in hosts[i + 1:]:
            assert not mine & theirs, "a host is in one shard only"
    assert sum(s["summary"]["total"] for s in shards) == single["summary"]["total"]

    paths = [str(tmp / f"shard-{k}" / "linkcheck.json") for k in (3, 1, 4, 2)]  # any order
    merge = subprocess.run([sys.executable, "-m", "linkcheck", "merge", *paths, "-o", str(tmp / "merged"),
                            "-f", "json", "-f", "markdown", "-f", "sarif"],
                           check=False, capture_output=True, text=True, timeout=60)
    assert merge.returncode == sharded["single_code"] == 1, merge.stderr
    merged = _load(tmp / "merged")
    assert _facts(merged) == _facts(single)
    assert merged["complete"] is True and "shard" not in merged
    verdicts = {link["url"]: link["verdict"] for link in merged["links"]}
    assert sorted(set(verdicts.values())) == ["broken", "excluded", "ok", "redirected"]
    assert (tmp / "merged" / "linkcheck.md").is_file() and (tmp / "merged" / "linkcheck.sarif").is_file()


def test_merge_exit_status_follows_fail_on(sharded: dict, runner: CliRunner) -> None:
    tmp: Path = sharded["tmp"]
    paths = [str(tmp / f"shard-{k}" / "linkcheck.json") for k in range(1, SHARDS + 1)]
    result = runner.invoke(cli, ["merge", *paths, "-o", str(tmp / "m-fail-on"), "--fail-on", "timeout"])
    assert result.exit_code == 0


def _shard_path(tmp: Path, k: int) -> str:
    return str(tmp / f"shard-{k}" / "linkcheck.json")


def test_merge_refuses_the_same_shard_twice(sharded: dict, runner: CliRunner) -> None:
    tmp: Path = sharded["tmp"]
    paths = [_shard_path(tmp, k) for k in (1, 2, 2, 3, 4)]
    result = runner.invoke(cli, ["merge", *paths, "-o", str(tmp / "m-twice")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and f"shard 2/{SHARDS} given twice" in result.output
    assert not (tmp / "m-twice").exists()


def test_merge_refuses_shards_of_different_plans(sharded: dict, runner: CliRunner, tmp_path: Path) -> None:
    tmp: Path = sharded["tmp"]
    other_doc = tmp_path / "other.md"
    other_doc.write_text("[Press](mailto:press@example.org) [x](mailto:other@example.org)\n", encoding="utf-8")
    done = runner.invoke(cli, ["check", str(other_doc), "--shard", f"2/{SHARDS}", "-o", str(tmp_path / "o"),
                               "-f", "json", "--no-progress"])
    assert done.exit_code == 0, done.output
    paths = [_shard_path(tmp, 1), str(tmp_path / "o" / "linkcheck.json"), _shard_path(tmp, 3), _shard_path(tmp, 4)]
    result = runner.invoke(cli, ["merge", *paths, "-o", str(tmp / "m-plans")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "different plans" in result.output


def test_merge_refuses_overlapping_targets(sharded: dict, runner: CliRunner, tmp_path: Path) -> None:
    tmp: Path = sharded["tmp"]
    one = json.loads(Path(_shard_path(tmp, 1)).read_text(encoding="utf-8"))
    two = json.loads(Path(_shard_path(tmp, 2)).read_text(encoding="utf-8"))
    two["links"].append(one["links"][0])  # a report edited by hand, or of a buggy engine
    edited = tmp_path / "two.json"
    edited.write_text(json.dumps(two), encoding="utf-8")
    paths = [_shard_path(tmp, 1), str(edited), _shard_path(tmp, 3), _shard_path(tmp, 4)]
    result = runner.invoke(cli, ["merge", *paths, "-o", str(tmp / "m-overlap")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "overlapping targets" in result.output
    assert one["links"][0]["url"] in result.output


def test_missing_shards_are_named_and_refused_unless_allowed(sharded: dict, runner: CliRunner) -> None:
    tmp: Path = sharded["tmp"]
    paths = [_shard_path(tmp, 1), _shard_path(tmp, 3)]
    result = runner.invoke(cli, ["merge", *paths, "-o", str(tmp / "m-missing")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and f"2/{SHARDS}, 4/{SHARDS}" in result.output
    partial = runner.invoke(cli, ["merge", *paths, "-o", str(tmp / "p"), "-f", "json", "--allow-partial"])
    expected = 1 if sharded["shard_codes"][0] == 1 or sharded["shard_codes"][2] == 1 else 0
    assert partial.exit_code == expected, partial.output
    assert f"2/{SHARDS}, 4/{SHARDS}" in partial.output
    report = _load(tmp / "p")
    assert report["complete"] is False and report["missing_shards"] == [f"2/{SHARDS}", f"4/{SHARDS}"]
    shard_totals = sharded["shards"][0]["summary"]["total"] + sharded["shards"][2]["summary"]["total"]
    assert report["summary"]["total"] == shard_totals


def test_merge_refuses_a_report_that_is_not_a_shard(sharded: dict, runner: CliRunner) -> None:
    tmp: Path = sharded["tmp"]
    result = runner.invoke(cli, ["merge", str(tmp / "single" / "linkcheck.json"), "-o", str(tmp / "m-single")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "not the report of a shard" in result.output


@pytest.mark.parametrize("value", ["0/4", "5/4", "a/b", "3", "1/0", "-1/4", "1/4/2"])
def test_bad_shard_values_are_one_line_usage_errors(value: str, runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("[Press](mailto:press@example.org)\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "--shard", value, "-o", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "--shard" in result.output and "Traceback" not in result.output
    from_env = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path / "o")], env={"LINKCHECK_SHARD": value})
    assert from_env.exit_code == 2
    assert from_env.output.count("\n") == 1 and "LINKCHECK_SHARD" in from_env.output


def test_merge_refuses_shards_checked_with_different_fail_on(runner: CliRunner, tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("[Press](mailto:press@example.org) [Desk](mailto:desk@example.org)\n", encoding="utf-8")
    base = ["check", str(doc), "-f", "json", "--no-progress"]
    assert runner.invoke(cli, [*base, "--shard", "1/2", "-o", str(tmp_path / "1")]).exit_code == 0
    assert runner.invoke(cli, [*base, "--shard", "2/2", "-o", str(tmp_path / "2"), "--fail-on", "broken"]).exit_code == 0
    paths = [str(tmp_path / k / "linkcheck.json") for k in ("1", "2")]
    result = runner.invoke(cli, ["merge", *paths, "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "different --fail-on" in result.output


def test_a_partial_merge_says_which_shards_are_missing_in_every_format(sharded: dict, runner: CliRunner) -> None:
    tmp: Path = sharded["tmp"]
    out = tmp / "m-partial-formats"
    result = runner.invoke(cli, ["merge", _shard_path(tmp, 2), "-o", str(out), "--allow-partial",
                                 "-f", "markdown", "-f", "html", "-f", "sarif"])
    missing = f"1/{SHARDS}, 3/{SHARDS}, 4/{SHARDS}"
    assert result.exit_code in (0, 1) and missing in result.output
    assert f"**Incomplete merge**: no report of shard {missing}" in (out / "linkcheck.md").read_text(encoding="utf-8")
    assert f"no report of shard {missing}" in (out / "linkcheck.html").read_text(encoding="utf-8")
    sarif = json.loads((out / "linkcheck.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["invocations"][0]["executionSuccessful"] is False
    shard_md = runner.invoke(cli, ["report", _shard_path(tmp, 2), "-o", str(out / "shard"), "-f", "markdown"])
    assert shard_md.exit_code == 0
    assert f"shard 2/{SHARDS}" in (out / "shard" / "linkcheck.md").read_text(encoding="utf-8")
