"""README "CI recipes": the pre-commit pin names a revision of this repository that has the hook
as described, and the GitLab job's script runs as written, writing the files its artifacts name."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from .conftest import ROOT, html_page

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _recipes() -> str:
    start = README.index("### CI recipes")
    return README[start:README.index("\n## ", start)]


def _yaml_blocks() -> list[dict | list]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", _recipes(), re.S)]


def _pre_commit_config() -> dict:
    [config] = [b for b in _yaml_blocks() if isinstance(b, dict) and "repos" in b]
    return config


def test_pre_commit_example_pins_a_revision_that_has_the_hook() -> None:
    [repo] = _pre_commit_config()["repos"]
    rev = repo["rev"]
    assert re.fullmatch(r"[0-9a-f]{40}", rev) or rev.startswith("v"), rev
    git = subprocess.run(["git", "rev-parse", "--is-shallow-repository"], cwd=ROOT, capture_output=True, text=True,
                         check=False)
    if git.returncode != 0:
        pytest.skip("not a git checkout: the revision cannot be looked up")
    if git.stdout.strip() == "true":
        pytest.skip("shallow clone: older revisions are not here")
    shown = subprocess.run(["git", "show", f"{rev}:.pre-commit-hooks.yaml"], cwd=ROOT, capture_output=True,
                           text=True, check=False)
    assert shown.returncode == 0, f"rev {rev} is not a revision of this repository: {shown.stderr}"
    [hook] = [h for h in yaml.safe_load(shown.stdout) if h["id"] == "linkcheck"]
    assert [h["id"] for h in repo["hooks"]] == ["linkcheck"]
    assert "--no-reports" in hook["entry"].split(), "at that revision the hook leaves no files behind"


def test_gitlab_job_runs_as_written(tmp_path: Path, httpserver: HTTPServer) -> None:
    [job] = [b["linkcheck"] for b in _yaml_blocks() if isinstance(b, dict) and "linkcheck" in b]
    install, command = job["script"]
    assert install.startswith("pip install ") and "linkcheck-citations @ git+" in install
    args = shlex.split(command)
    output = args[args.index("-o") + 1]
    assert job["artifacts"]["reports"]["junit"] == f"{output}/linkcheck.junit.xml"
    assert job["artifacts"]["when"] == "always"
    cache_file = args[args.index("--cache") + 1]
    assert job["cache"]["paths"] == [cache_file]
    httpserver.expect_request("/ok").respond_with_data(html_page("Fine page"), content_type="text/html")
    (tmp_path / "doc.md").write_text(f"[Fine page]({httpserver.url_for('/ok')})\n", encoding="utf-8")
    assert "--exclude-all-private" in args
    args.remove("--exclude-all-private")  # the test site is on loopback
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GITHUB_ACTIONS", None)
    proc = subprocess.run([sys.executable, "-m", "linkcheck", *args[1:]], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / job["artifacts"]["reports"]["junit"]).is_file()
    assert (tmp_path / cache_file).is_file()
    for name in ("linkcheck.md", "linkcheck.html"):
        assert (tmp_path / output / name).is_file()
