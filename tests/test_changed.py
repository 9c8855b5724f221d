"""``--changed-since``: only the documents a branch changed (plus uncommitted work) are checked.

Every test builds its own git repository under ``tmp_path``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.changed import changed_files, filter_changed
from linkcheck.cli import cli
from linkcheck.errors import UsageError


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True, timeout=30,
    )
    return proc.stdout


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: docs/a.md, docs/b.md, docs/img.png, notes.txt, README.md; branch 'topic' checked out."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for name in ("docs/a.md", "docs/b.md", "docs/sub/c.html", "notes.txt", "README.md", "docs/.hidden/h.md"):
        write(root, name, f"{name}: https://example.org/{name}\n")
    write(root, "docs/img.png", "not a document")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "topic")
    return root


def test_branch_commits_and_uncommitted_work_count(repo: Path) -> None:
    write(repo, "docs/a.md", "changed on the branch\n")
    write(repo, "docs/img.png", "changed, but not a document")
    write(repo, "docs/.hidden/h.md", "hidden folders are not walked\n")
    git(repo, "commit", "-q", "-am", "topic work")
    write(repo, "notes.txt", "edited, not committed\n")
    write(repo, "docs/sub/c.html", "<a href='https://example.org/c'>staged</a>\n")
    git(repo, "add", "docs/sub/c.html")
    write(repo, "docs/new.md", "untracked new document\n")
    (repo / "docs" / "b.md").unlink()

    kept = filter_changed(["docs", "notes.txt", "README.md", "https://example.org/doc.html", "-"], "main", cwd=repo)
    assert kept == ["docs/a.md", "docs/new.md", "docs/sub/c.html", "notes.txt", "https://example.org/doc.html", "-"]
    assert (repo / "docs" / "b.md").resolve() in changed_files("main", cwd=repo), "deletions are changes"


def test_commits_landed_on_the_base_meanwhile_do_not_count(repo: Path) -> None:
    write(repo, "docs/a.md", "branch change\n")
    git(repo, "commit", "-q", "-am", "topic")
    git(repo, "checkout", "-q", "main")
    write(repo, "README.md", "main moved on\n")
    git(repo, "commit", "-q", "-am", "main")
    git(repo, "checkout", "-q", "topic")
    assert filter_changed(["."], "main", cwd=repo) == ["docs/a.md"], "named as a directory walk names it"


def test_relative_to_a_subfolder(repo: Path) -> None:
    write(repo, "docs/a.md", "x\n")
    assert filter_changed(["a.md", "b.md", "."], "HEAD", cwd=repo / "docs") == ["a.md"]


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=/tmp/x", "HEAD~5"])
def test_unknown_ref_is_a_usage_error(repo: Path, ref: str) -> None:
    with pytest.raises(UsageError, match="changed-since"):
        filter_changed(["docs"], ref, cwd=repo)


def test_outside_a_repository_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="changed-since: git"):
        filter_changed(["."], "main", cwd=tmp_path)


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    httpserver.expect_request("/fine").respond_with_data("<title>Fine</title>", content_type="text/html")
    return httpserver


def _check(runner: CliRunner, repo: Path, *args: str) -> tuple[int, str, dict[str, Any] | None]:
    out = repo.parent / "out"
    result = runner.invoke(cli, ["check", *args, "-o", str(out), "--no-cache", "--no-progress", "--timeout", "5",
                                 "--retries", "0"])
    report = out / "linkcheck.json"
    return result.exit_code, result.stderr, json.loads(report.read_text(encoding="utf-8")) if report.exists() else None


def test_check_only_changed_documents(runner: CliRunner, repo: Path, site: HTTPServer,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write(repo, "docs/a.md", f"[Gone]({site.url_for('/gone')})\n")
    git(repo, "commit", "-q", "-am", "old broken link lives on main")
    git(repo, "checkout", "-q", "-b", "feature")
    write(repo, "docs/b.md", f"[Fine]({site.url_for('/fine')})\n")
    monkeypatch.chdir(repo)
    code, stderr, report = _check(runner, repo, "docs", "--changed-since", "topic")
    assert report is not None and report["sources"] == ["docs/b.md"], stderr
    assert [link["url"] for link in report["links"]] == [site.url_for("/fine")]
    assert code == 0
    code, _, report = _check(runner, repo, "docs", "--changed-since", "main")
    assert report is not None and report["sources"] == ["docs/a.md", "docs/b.md"]
    assert code == 1


def test_nothing_changed_is_success_with_a_note(runner: CliRunner, repo: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    code, stderr, report = _check(runner, repo, "docs", "--changed-since", "main")
    assert code == 0
    assert "no documents changed since main" in stderr
    assert report is not None and report["links"] == [] and report["summary"]["total"] == 0


def test_unknown_ref_from_the_command_line_is_exit_2_one_line(runner: CliRunner, repo: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    code, stderr, report = _check(runner, repo, "docs", "--changed-since", "nope")
    assert code == 2
    assert stderr.strip().splitlines() == ["linkcheck: error: --changed-since: unknown git ref 'nope'"]
    assert report is None
