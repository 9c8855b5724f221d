"""The library as a program uses it: the README's examples run verbatim against a local server,
options validated with the command line's own one-line messages, and a cheap ``import linkcheck``."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

import linkcheck
from linkcheck.cli import cli

from .conftest import ROOT, html_page

README = ROOT / "README.md"


def _readme_examples() -> list[str]:
    section = README.read_text(encoding="utf-8").split("## Library", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)


@pytest.fixture
def notes(tmp_path: Path, httpserver: HTTPServer) -> Path:
    """A document citing a live page (twice), a gone page and an address, as the examples expect."""
    httpserver.expect_request("/annual").respond_with_data(html_page("Annual report 2024"),
                                                           content_type="text/html; charset=utf-8")
    httpserver.expect_request("/old").respond_with_data("gone", status=404)
    (tmp_path / "notes.md").write_text(
        f"See the [Annual report 2024]({httpserver.url_for('/annual')}) and the [old page]({httpserver.url_for('/old')}).\n"
        f"Again: <{httpserver.url_for('/annual')}>. Write to [the press desk](mailto:press@example.org).\n",
        encoding="utf-8")
    return tmp_path


def _run(code: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_readme_examples_run_as_shown(notes: Path, httpserver: HTTPServer) -> None:
    first, second = _readme_examples()
    out = _run(first, notes).splitlines()
    annual, old = httpserver.url_for("/annual"), httpserver.url_for("/old")
    assert out[0] == f"4 links: {annual}, {old}, mailto:press@example.org"
    assert out[1] == "3 checked, 1 broken"
    assert out[2] == f"broken 404 {old}"
    assert out[3] == "merged: True"
    assert out[4] == "error: Invalid value for '--per-host': 0 is not in the range x>=1."
    sarif = json.loads((notes / "linkcheck.sarif").read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    assert _run(second, notes).strip() == "1 failing"


@pytest.mark.parametrize(
    "args, options",
    [
        pytest.param(["--per-host", "0"], {"per_host": 0}, id="per-host"),
        pytest.param(["--concurrency", "0"], {"concurrency": 0}, id="concurrency"),
        pytest.param(["--retries", "11"], {"retries": 11}, id="retries"),
        pytest.param(["--timeout", "0"], {"timeout": 0}, id="timeout"),
        pytest.param(["--title-threshold", "101"], {"title_threshold": 101}, id="title-threshold"),
        pytest.param(["--titles", "maybe"], {"titles": "maybe"}, id="titles"),
        pytest.param(["--resolve", "nonsense"], {"resolve": ["nonsense"]}, id="resolve"),
        pytest.param(["--accept", "299..200"], {"accept": "299..200"}, id="accept"),
        pytest.param(["--remap", "onlyone"], {"remap": "onlyone"}, id="remap"),
        pytest.param(["--header", "no colon"], {"header": ["no colon"]}, id="header"),
        pytest.param(["--host-header", "nohost"], {"host_header": ["nohost"]}, id="host-header"),
        pytest.param(["--exclude", "("], {"exclude": ["("]}, id="exclude"),
        pytest.param(["--fail-on", "nope"], {"fail_on": "nope"}, id="fail-on"),
        pytest.param(["--shard", "5/4"], {"shard": "5/4"}, id="shard"),
        pytest.param(["--proxy", "socks5://127.0.0.1:1080"], {"proxy": "socks5://127.0.0.1:1080"}, id="proxy"),
        pytest.param(["--max-cache-age", "soon"], {"max_cache_age": "soon"}, id="max-cache-age"),
    ],
)
def test_options_fail_with_the_command_lines_message(args: list[str], options: dict, tmp_path: Path,
                                                     runner: CliRunner) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("[Press](mailto:press@example.org)\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path / "o"), *args])
    assert result.exit_code == 2
    message = re.sub(r" \(see 'linkcheck check --help'\)$", "", result.output.strip().removeprefix("linkcheck: error: "))
    with pytest.raises(linkcheck.LinkcheckError) as raised:
        linkcheck.check([str(doc)], **options)
    assert str(raised.value) == message
    assert "\n" not in str(raised.value)


def test_unknown_options_and_a_running_loop_are_refused(tmp_path: Path) -> None:
    doc = tmp_path / "d.md"
    doc.write_text("[Press](mailto:press@example.org)\n", encoding="utf-8")
    with pytest.raises(linkcheck.LinkcheckError, match="unknown option 'per-host'"):
        linkcheck.check([str(doc)], **{"per-host": 2})
    with pytest.raises(linkcheck.LinkcheckError, match="unknown option 'concurrency'"):
        linkcheck.extract([str(doc)], concurrency=2)  # extract fetches nothing but document URLs

    async def inside() -> None:
        with pytest.raises(linkcheck.LinkcheckError, match="check_async"):
            linkcheck.check([str(doc)])
        report = await linkcheck.check_async(str(doc))
        assert [r.verdict.value for r in report.results] == ["excluded"]

    asyncio.run(inside())


def test_check_writes_reports_and_reports_each_result(notes: Path) -> None:
    seen: list[str] = []
    report = linkcheck.check(notes / "notes.md", retries=0, output=notes / "out", format=["json", "csv"],
                             fail_on=["timeout"], on_result=lambda r: seen.append(r.verdict.value))
    assert sorted(seen) == ["broken", "excluded", "ok"]
    assert report.is_success(report.fail_on)  # only a timeout fails this run
    data = json.loads((notes / "out" / "linkcheck.json").read_text(encoding="utf-8"))
    assert data["fail_on"] == ["timeout"] and (notes / "out" / "linkcheck.csv").is_file()
    assert linkcheck.render(report, "json") == (notes / "out" / "linkcheck.json").read_text(encoding="utf-8")
    with pytest.raises(linkcheck.LinkcheckError, match="pdf"):
        linkcheck.render(report, "pdf")


def test_merge_takes_report_files_and_refuses_like_the_command(notes: Path) -> None:
    doc = notes / "notes.md"
    paths = []
    for k in (1, 2, 3):
        linkcheck.check([doc], retries=0, shard=f"{k}/3", output=notes / f"s{k}", format="json")
        paths.append(notes / f"s{k}" / "linkcheck.json")
    whole = linkcheck.check([doc], retries=0)
    merged = linkcheck.merge(paths)
    assert [(r.url, r.verdict) for r in merged.results] == [(r.url, r.verdict) for r in whole.results]
    assert merged.summary() == whole.summary() and merged.plan == whole.plan
    with pytest.raises(linkcheck.LinkcheckError, match="missing shard 3/3"):
        linkcheck.merge(paths[:2])
    partial = linkcheck.merge(paths[:2], allow_partial=True)
    assert not partial.is_complete and partial.missing_shards == ("3/3",)


def test_the_functions_stay_functions_after_the_stage_modules_load() -> None:
    import linkcheck.check as _check_module  # noqa: F401
    import linkcheck.extract.html
    import linkcheck.merge
    from linkcheck import api
    from linkcheck.check import inspect_target

    assert callable(inspect_target)
    assert (linkcheck.check, linkcheck.extract, linkcheck.merge) == (api.check, api.extract, api.merge)
    assert set(linkcheck.__all__) >= {"check", "check_async", "extract", "merge", "render", "Report", "Link",
                                      "LinkcheckError"}
    for name in ("check", "check_async", "extract", "merge", "render"):
        assert getattr(linkcheck, name).__doc__


def test_importing_linkcheck_loads_only_its_data_types() -> None:
    code = "import sys, linkcheck; print(sorted(m for m in sys.modules if m.startswith('linkcheck') or m == 'httpx'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout.strip() == str(["linkcheck", "linkcheck._httpx_cli", "linkcheck.api", "linkcheck.errors",
                                       "linkcheck.models"])
