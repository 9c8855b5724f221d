"""Local links are checked offline and reported like any other (issue 13.2, CONTRACT: local links).

Every test builds a docs repository under ``tmp_path`` (``git init``) and runs the CLI from its
top, asserting what the user sees: verdicts and reasons in the reports, the summary, the exit
status. The one HTTP server (pytest-httpserver on 127.0.0.1) proves the negative too: with a
``--remap`` that would send every URL to it, only real URLs arrive there, never a local path.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.local import markdown_anchors, slug

README = """\
# Project

Read the [guide](docs/guide.md), see the [logo](img/logo.png), [install](docs/guide.md#install-steps),
[usage](#usage), [the docs folder](docs/), [site-absolute](/docs/guide.md#faq),
[second usage](#usage-1), [custom id](docs/guide.md#custom), [page](site/page.html#top-id),
[legacy anchor](docs/guide.md#legacy) and [a line](src/tool.py#L10).

Broken ones: [missing file](docs/nope.md), [typo](docs/guide.md#install-step), [gone image](img/missing.png),
[no anchor](site/page.html#nah) and [folder without README](empty/#intro).

## Usage

## Usage
"""

GUIDE = """\
# Guide

## Install steps

Back to the [top](../README.md#project) and [usage](../README.md#usage).

## FAQ

## Other {#custom}

<a name="legacy"></a>
"""

PAGE = """<!doctype html><html><head><title>Page</title></head><body>
<h1 id="top-id">Top</h1>
<p><a href="../README.md#usage">usage</a> <a href="../docs/guide.md#nope">bad</a> <a href="#top-id">self</a></p>
</body></html>
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                   capture_output=True, check=True, timeout=30)


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    write(root, "README.md", README)
    write(root, "docs/guide.md", GUIDE)
    write(root, "docs/README.md", "# Docs\n")
    write(root, "site/page.html", PAGE)
    write(root, "src/tool.py", "print('hi')\n")
    write(root, "empty/.keep", "")
    (root / "img").mkdir()
    (root / "img" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    monkeypatch.chdir(root)
    return root


def run(runner: CliRunner, *args: str, out: str = "out", stdin: str | None = None) -> tuple[int, dict, str]:
    result = runner.invoke(cli, ["check", *args, "-o", out, "--no-progress"], input=stdin)
    path = Path(out) / "linkcheck.json"
    report = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return result.exit_code, report, result.output


def by_url(report: dict) -> dict[str, dict]:
    return {link["url"]: link for link in report["links"]}


def test_every_kind_of_local_link_is_checked_and_reported(runner: CliRunner, repo: Path) -> None:
    code, report, output = run(runner, "README.md", "docs", "site")
    links = by_url(report)
    verdicts = {url: link["verdict"] for url, link in links.items()}
    assert verdicts == {
        "docs/guide.md": "ok",
        "img/logo.png": "ok",
        "docs/guide.md#install-steps": "ok",
        "#usage": "ok",
        "docs/": "ok",
        "/docs/guide.md#faq": "ok",
        "#usage-1": "ok",
        "docs/guide.md#custom": "ok",
        "site/page.html#top-id": "ok",
        "docs/guide.md#legacy": "ok",
        "src/tool.py#L10": "ok",
        "docs/nope.md": "broken",
        "docs/guide.md#install-step": "broken",
        "img/missing.png": "broken",
        "site/page.html#nah": "broken",
        "empty/#intro": "broken",
        "../README.md#project": "ok",
        "../docs/guide.md#nope": "broken",
    }
    assert links["docs/nope.md"]["error"] == "no such file: docs/nope.md"
    assert links["docs/guide.md#install-step"]["error"] == (
        "fragment_missing: #install-step is no heading or anchor of docs/guide.md (did you mean #install-steps?)")
    assert links["empty/#intro"]["error"] == "fragment_missing: #intro: folder empty/ has no index or README to hold it"
    assert links["docs/"]["final_url"] == "docs/README.md", "a folder link opens its README"
    assert links["../docs/guide.md#nope"]["checked_url"] == "docs/guide.md#nope"
    # One file named two ways (README's #usage, guide's ../README.md#usage, page's ../README.md#usage) is one target.
    usage = links["#usage"]
    assert usage["checked_url"] == "README.md#usage"
    assert [o["source"] for o in usage["occurrences"]] == ["README.md", "docs/guide.md", "site/page.html"]
    assert all(link["status"] is None and "local" in link["details"] for link in links.values())
    assert all(link["title"] is None for link in links.values()), "a path is not a citation"
    assert report["summary"]["total"] == 18 and report["summary"]["broken"] == 6 and report["summary"]["ok"] == 12
    assert code == 1
    assert "18 links: 12 ok, 6 broken" in output
    assert "README.md:8:29  docs/nope.md  no such file: docs/nope.md" in output


def test_all_good_exits_zero_and_every_report_counts_local_links(runner: CliRunner, repo: Path) -> None:
    write(repo, "README.md", "# Project\n\n[guide](docs/guide.md#faq) and [bad](docs/nope.md)\n")
    result = runner.invoke(cli, ["check", "README.md", "-o", "out", "--no-progress", *sum(
        (["-f", f] for f in ("json", "markdown", "html", "junit", "sarif", "csv")), [])])
    assert result.exit_code == 1
    out = Path("out")
    assert "no such file: docs/nope.md" in (out / "linkcheck.md").read_text(encoding="utf-8")
    assert "no such file: docs/nope.md" in (out / "linkcheck.html").read_text(encoding="utf-8")
    suite = ET.parse(out / "linkcheck.junit.xml").getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    sarif = json.loads((out / "linkcheck.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == ["README.md"]
    assert "docs/nope.md" in results[0]["message"]["text"]
    rows = list(csv.DictReader(io.StringIO((out / "linkcheck.csv").read_text(encoding="utf-8"))))
    assert {row["url"]: row["verdict"] for row in rows} == {"docs/guide.md#faq": "ok", "docs/nope.md": "broken"}
    write(repo, "docs/nope.md", "# Now here\n")
    code, report, _ = run(runner, "README.md")
    assert code == 0 and report["summary"]["ok"] == 2


def test_headings_slugs_duplicates_explicit_ids_and_html_anchors() -> None:
    text = (
        "# Über *uns* & `co`\n\n## FAQ\n\n## FAQ\n\nFAQ\n---\n\n### What's new? (v2.0)\n\n"
        "## Set-up  twice {#setup}\n\n<h2 id=\"raw-id\">Raw</h2>\n\nText <a name=\"inline\"></a>.\n\n"
        "## [Linked](https://example.org) title\n\n```\n# not a heading\n```\n"
    )
    assert markdown_anchors(text) == {
        "über-uns--co", "faq", "faq-1", "faq-2", "whats-new-v20", "setup", "set-up--twice", "raw-id", "inline",
        "linked-title",
    }
    assert slug("  Hello, World!  ") == "hello-world"
    assert slug("snake_case-and-dash") == "snake_case-and-dash"


def test_site_absolute_paths_root_dir_and_base_url(runner: CliRunner, repo: Path, httpserver: HTTPServer) -> None:
    write(repo, "docs/deep/page.md", "[home](/README.md#usage) [Page](/site/page.html) [gone](/nowhere.md)\n")
    code, report, _ = run(runner, "docs/deep/page.md")
    verdicts = {u: link["verdict"] for u, link in by_url(report).items()}
    assert verdicts == {"/README.md#usage": "ok", "/site/page.html": "ok", "/nowhere.md": "broken"}, \
        "from the top of the git work tree by default"
    assert by_url(report)["/nowhere.md"]["error"] == "no such file: nowhere.md"
    write(repo, "public/nowhere.md", "# here\n")
    code, report, _ = run(runner, "docs/deep/page.md", "--root-dir", "public")
    assert by_url(report)["/nowhere.md"]["verdict"] == "ok"
    assert by_url(report)["/README.md#usage"]["verdict"] == "broken"
    httpserver.expect_request("/README.md").respond_with_data("<title>Readme</title><h2 id='usage'>Usage</h2>",
                                                              content_type="text/html")
    httpserver.expect_request("/site/page.html").respond_with_data("<title>Page</title>", content_type="text/html")
    httpserver.expect_request("/nowhere.md").respond_with_data("not found", status=404)
    code, report, _ = run(runner, "docs/deep/page.md", "--base-url", httpserver.url_for("/"), "--retries", "0")
    links = by_url(report)
    assert links["/README.md#usage"]["checked_url"] == httpserver.url_for("/README.md#usage")
    assert links["/README.md#usage"]["verdict"] == "ok" and links["/site/page.html"]["verdict"] == "ok"
    assert links["/nowhere.md"]["verdict"] == "broken" and links["/nowhere.md"]["status"] == 404
    assert sorted(request.path for request, _ in httpserver.log) == ["/README.md", "/nowhere.md", "/site/page.html"]


def test_local_links_are_never_requested(runner: CliRunner, repo: Path, httpserver: HTTPServer) -> None:
    """Even a --remap that would send every URL to the server leaves local paths alone."""
    httpserver.expect_request("/web").respond_with_data("<title>Web page</title>", content_type="text/html")
    write(repo, "README.md", f"[web]({httpserver.url_for('/web')}) [guide](docs/guide.md) [up](#top) [img](img/logo.png)\n")
    code, report, _ = run(runner, "README.md", "--remap", f"^.*$ {httpserver.url_for('/web')}", "--retries", "0")
    assert code == 0, report
    assert [request.path for request, _ in httpserver.log] == ["/web"]
    assert {u: link["checked_url"] for u, link in by_url(report).items()} == {
        httpserver.url_for("/web"): httpserver.url_for("/web"),
        "docs/guide.md": "docs/guide.md",
        "#top": "README.md#top",
        "img/logo.png": "img/logo.png",
    }


def test_no_local_excludes_them(runner: CliRunner, repo: Path) -> None:
    code, report, output = run(runner, "README.md", "--no-local")
    assert code == 0, output
    assert report["summary"]["excluded"] == report["summary"]["total"] == 16
    assert {link["error"] for link in report["links"]} == {"local link (--no-local)"}
    (repo / "linkcheck.toml").write_text("local = false\n", encoding="utf-8")
    code, report, _ = run(runner, "README.md")
    assert code == 0 and report["summary"]["excluded"] == 16


def test_exclude_applies_to_local_links(runner: CliRunner, repo: Path) -> None:
    code, report, _ = run(runner, "README.md", "--exclude", "nope|missing|nah|install-step$|empty/")
    assert code == 0
    assert report["summary"]["excluded"] == 5 and report["summary"]["broken"] == 0


def test_standard_input_has_no_folder(runner: CliRunner, repo: Path, httpserver: HTTPServer) -> None:
    page = '<!doctype html><a href="docs/guide.md">guide</a> <a href="#top">top</a>'
    code, report, _ = run(runner, "-", stdin=page)
    assert code == 0
    assert {link["verdict"] for link in report["links"]} == {"excluded"}
    assert report["links"][0]["error"] == (
        "relative link in standard input: no folder to resolve it against (give --base-url)")
    httpserver.expect_request("/docs/guide.md").respond_with_data("<title>Guide</title>", content_type="text/html")
    code, report, _ = run(runner, "-", "--base-url", httpserver.url_for("/"), "--retries", "0", stdin=page)
    assert by_url(report)["docs/guide.md"]["checked_url"] == httpserver.url_for("/docs/guide.md")
    assert by_url(report)["docs/guide.md"]["verdict"] == "ok"


def test_extract_lists_local_links_as_written(runner: CliRunner, repo: Path) -> None:
    result = runner.invoke(cli, ["extract", "docs/guide.md"])
    assert result.exit_code == 0
    assert result.output.splitlines() == ["../README.md#project", "../README.md#usage"]
    result = runner.invoke(cli, ["extract", "docs/guide.md", "--no-local", "-f", "json"])
    links = json.loads(result.output)["links"]
    assert [(link["url"], link["occurrences"][0]["line"]) for link in links] == [
        ("../README.md#project", 5), ("../README.md#usage", 5)]


def test_cache_never_holds_local_results(runner: CliRunner, repo: Path) -> None:
    write(repo, "README.md", "[guide](docs/guide.md#faq) [later](docs/later.md)\n")
    code, report, _ = run(runner, "README.md", "--cache", "cache.sqlite")
    assert code == 1 and by_url(report)["docs/later.md"]["verdict"] == "broken"
    write(repo, "docs/later.md", "# Later\n")
    write(repo, "docs/guide.md", "# Guide without the FAQ\n")
    code, report, _ = run(runner, "README.md", "--cache", "cache.sqlite")
    links = by_url(report)
    assert links["docs/later.md"]["verdict"] == "ok" and links["docs/guide.md#faq"]["verdict"] == "broken"
    assert not [link for link in links.values() if "cached" in link["details"]]


def test_changed_since_checks_local_links_of_changed_documents(runner: CliRunner, repo: Path) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "docs")
    write(repo, "docs/guide.md", GUIDE + "\nSee [nowhere](nowhere.md).\n")
    code, report, _ = run(runner, ".", "--changed-since", "HEAD")
    assert report["sources"] == ["docs/guide.md"]
    assert by_url(report)["nowhere.md"]["verdict"] == "broken" and code == 1
