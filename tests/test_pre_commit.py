"""Issue 13, item 11: the pre-commit hook as a user meets it. ``pre-commit try-repo`` installs
this repository's hook the way ``pre-commit install`` would (pip, from a package index) and runs
it in a fresh git repository: a broken link fails the commit, and no file is left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from .conftest import ROOT, html_page

HOOKS = ROOT / ".pre-commit-hooks.yaml"
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]


def test_hook_writes_no_files_by_default() -> None:
    [hook] = [h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8")) if h["id"] == "linkcheck"]
    entry = hook["entry"].split()
    assert entry[:2] == ["linkcheck", "check"]
    assert "--no-reports" in entry and "--output" not in entry and "-o" not in entry


def _index_unreachable(tmp: Path) -> str | None:
    """Why pip cannot install from a package index here, or None when it can."""
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return "pre-commit is not installed (pip install -e '.[test]')"
    try:
        proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
                               "--quiet", "--dest", str(tmp), "tomli-w"], capture_output=True, text=True,
                              timeout=120, check=False)
    except subprocess.TimeoutExpired:
        return "no package index answered within 120 s"
    if proc.returncode != 0:
        return "no package index reachable: " + (proc.stderr.strip().splitlines() or ["pip download failed"])[-1]
    return None


@pytest.mark.timeout(600)
def test_try_repo_runs_the_hook_and_leaves_nothing_behind(tmp_path: Path, httpserver: HTTPServer) -> None:
    reason = _index_unreachable(tmp_path / "probe")
    if reason:
        pytest.skip(reason)
    httpserver.expect_request("/ok").respond_with_data(html_page("Fine page"), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "good.md").write_text(f"[Fine page]({httpserver.url_for('/ok')})\n", encoding="utf-8")
    (repo / "bad.md").write_text(f"[Gone]({httpserver.url_for('/gone')})\n", encoding="utf-8")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "docs"]):
        subprocess.run([*GIT, *command], cwd=repo, check=True, capture_output=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "linkcheck",
                               "--files", *files], cwd=repo, env=env, capture_output=True, text=True,
                              timeout=540, check=False)

    good = try_repo("good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "linkcheck (links and citations)" in good.stdout and "Passed" in good.stdout
    bad = try_repo("good.md", "bad.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "Failed" in bad.stdout and httpserver.url_for("/gone") in bad.stdout
    assert "broken (1)" in bad.stdout
    status = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=repo, capture_output=True,
                            text=True, check=True)
    assert status.stdout == "", "the hook leaves no file in the user's repository"
