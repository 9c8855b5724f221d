"""The CI integration files: the composite GitHub Action run as the runner would run its steps
(bash -eo pipefail, GITHUB_ENV/GITHUB_OUTPUT/GITHUB_STEP_SUMMARY files) against a local server,
the example workflow, and the pre-commit hook definition."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from .conftest import ROOT

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "docs" / "github-workflow.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
EXPRESSION = re.compile(r"\$\{\{\s*(inputs|github)\.([A-Za-z_-]+)\s*\}\}")


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@dataclass
class StepRun:
    code: int
    stdout: str
    stderr: str


class Runner:
    """Runs the action's steps in order, the way the Actions runner does for ``shell: bash``."""

    def __init__(self, tmp: Path, inputs: dict[str, str], python: Path) -> None:
        self.action = _load(ACTION)
        defaults = {name: spec.get("default", "") for name, spec in self.action["inputs"].items()}
        self.inputs = {**defaults, "python": str(python), **inputs}
        self.tmp = tmp
        self.files = {name: tmp / f"{name.lower()}.txt" for name in ("GITHUB_ENV", "GITHUB_OUTPUT",
                                                                      "GITHUB_STEP_SUMMARY")}
        for path in self.files.values():
            path.write_text("", encoding="utf-8")
        self.exported: dict[str, str] = {}

    def _expand(self, value: str) -> str:
        def one(match: re.Match[str]) -> str:
            scope, name = match.groups()
            if scope == "inputs":
                return self.inputs[name]
            assert name == "action_path", name
            return str(ROOT)

        return EXPRESSION.sub(one, str(value))

    def run_steps(self, cwd: Path) -> list[StepRun]:
        runs: list[StepRun] = []
        for step in self.action["runs"]["steps"]:
            assert step["shell"] == "bash"
            script = self.tmp / "step.sh"
            script.write_text(step["run"], encoding="utf-8")
            env = {
                **os.environ,
                "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(cwd),
                "RUNNER_TEMP": str(self.tmp / "runner-temp"),
                "PYTHONPATH": str(ROOT),
                **{name: str(path) for name, path in self.files.items()},
                **self.exported,
                **{key: self._expand(value) for key, value in (step.get("env") or {}).items()},
            }
            (self.tmp / "runner-temp").mkdir(exist_ok=True)
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=cwd,
                                  env=env, capture_output=True, text=True, timeout=60, check=False)
            runs.append(StepRun(proc.returncode, proc.stdout, proc.stderr))
            self.exported.update(_key_values(self.files["GITHUB_ENV"]))
            if proc.returncode != 0:
                break
        return runs

    @property
    def outputs(self) -> dict[str, str]:
        return _key_values(self.files["GITHUB_OUTPUT"])


def _key_values(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {key: value for key, value in pairs}


@pytest.fixture
def fake_python(tmp_path: Path) -> Path:
    """Stands for ``python3``: ``-m venv DIR`` makes DIR/bin/python, whose ``-m pip`` only records
    its arguments (no index here) and which otherwise runs the test interpreter on this tree."""
    log = tmp_path / "pip.log"
    script = tmp_path / "python3"
    script.write_text(
        "#!/bin/bash\n"
        'if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then\n'
        '  mkdir -p "$3/bin"\n'
        f'  printf \'#!/bin/bash\\nif [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$@" >> {shlex.quote(str(log))};'
        f' exit 0; fi\\nexec {shlex.quote(sys.executable)} "$@"\\n\' > "$3/bin/python"\n'
        '  chmod +x "$3/bin/python"; exit 0\n'
        "fi\n"
        f'exec {shlex.quote(sys.executable)} "$@"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return script


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    httpserver.expect_request("/ok").respond_with_data("<title>Fine page</title>", content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    return httpserver


@pytest.fixture
def workspace(tmp_path: Path, site: HTTPServer) -> Path:
    root = tmp_path / "ws"
    (root / "my docs").mkdir(parents=True)
    (root / "my docs" / "good.md").write_text(f"[Fine page]({site.url_for('/ok')})\n", encoding="utf-8")
    (root / "bad.md").write_text(f"Intro\n[Gone]({site.url_for('/gone')})\n", encoding="utf-8")
    return root


def test_action_metadata_is_complete() -> None:
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert {"args", "format", "fail", "working-directory", "fail-if-empty", "job-summary"} <= set(action["inputs"])
    assert {"exit-code", "report-dir", "report-json", "report-html", "report-markdown"} <= set(action["outputs"])
    for name, spec in action["outputs"].items():
        assert spec["value"].startswith("${{ steps.check.outputs."), name
    for step in action["runs"]["steps"]:
        assert "${{" not in step["run"], "inputs reach scripts through env only (no script injection)"


def test_failing_link_fails_the_step_with_outputs_summary_and_annotations(
    tmp_path: Path, fake_python: Path, workspace: Path, site: HTTPServer
) -> None:
    runner = Runner(tmp_path, {"args": "'my docs' bad.md --no-cache --timeout 5 --retries 0"}, fake_python)
    install, check = runner.run_steps(workspace)
    assert install.code == 0, install.stderr
    assert (tmp_path / "pip.log").read_text(encoding="utf-8").split()[-1] == str(ROOT)
    assert check.code == 1, check.stderr
    outputs = runner.outputs
    assert outputs["exit-code"] == "1"
    assert outputs["report-dir"] == "linkcheck-reports"
    for name, ext in (("json", "json"), ("markdown", "md"), ("html", "html")):
        assert outputs[f"report-{name}"] == f"linkcheck-reports/linkcheck.{ext}"
        assert (workspace / outputs[f"report-{name}"]).is_file()
    assert "report-sarif" not in outputs
    report = json.loads((workspace / outputs["report-json"]).read_text(encoding="utf-8"))
    assert sorted(report["sources"]) == ["bad.md", "my docs/good.md"]
    assert f"::error file=bad.md,line=2,col=8,title=linkcheck%3A broken::{site.url_for('/gone')}  HTTP 404" \
        in check.stdout.splitlines()
    assert "## linkcheck report" in runner.files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")


def test_fail_false_keeps_the_step_green_but_reports_the_exit_code(
    tmp_path: Path, fake_python: Path, workspace: Path
) -> None:
    runner = Runner(tmp_path, {"args": "bad.md --no-cache --timeout 5 --retries 0", "fail": "false",
                               "format": "sarif, junit", "output": "out"}, fake_python)
    _, check = runner.run_steps(workspace)
    assert check.code == 0, check.stderr
    assert runner.outputs["exit-code"] == "1"
    assert runner.outputs["report-sarif"] == "out/linkcheck.sarif"
    assert runner.outputs["report-junit"] == "out/linkcheck.junit.xml"
    assert "report-json" not in runner.outputs


def test_green_run_and_usage_errors(tmp_path: Path, fake_python: Path, workspace: Path) -> None:
    runner = Runner(tmp_path, {"args": "'my docs' --no-cache --timeout 5"}, fake_python)
    _, check = runner.run_steps(workspace)
    assert check.code == 0 and runner.outputs["exit-code"] == "0", check.stderr
    second = tmp_path / "second"
    second.mkdir()
    broken = Runner(second, {"args": "missing.md --no-cache", "fail": "false"}, fake_python)
    _, check = broken.run_steps(workspace)
    assert check.code == 2, "exit status 2 fails the step even with fail: false"
    assert broken.outputs["exit-code"] == "2"
    assert "::error title=linkcheck::linkcheck could not run (exit status 2)" in check.stdout


def test_args_are_data_not_shell(tmp_path: Path, fake_python: Path, workspace: Path) -> None:
    marker = tmp_path / "pwned"
    runner = Runner(tmp_path, {"args": f"bad.md $(touch {marker}) `touch {marker}`; touch {marker}",
                               "fail": "false"}, fake_python)
    runner.run_steps(workspace)
    assert not marker.exists()
    assert runner.outputs["exit-code"] == "2"


def _workflow_steps() -> tuple[dict, list[dict]]:
    workflow = _load(WORKFLOW)
    [job] = workflow["jobs"].values()
    return workflow, job["steps"]


def _uses(steps: list[dict], name: str) -> list[dict]:
    return [step for step in steps if step.get("uses", "").split("@")[0] == name]


def test_example_workflow_cache_is_saved_every_run_under_a_new_key() -> None:
    _, steps = _workflow_steps()
    [restore] = _uses(steps, "actions/cache/restore")
    [save] = _uses(steps, "actions/cache/save")
    assert not _uses(steps, "actions/cache"), "the combined action does not save when the job fails"
    assert restore["with"]["path"] == save["with"]["path"] == ".linkcheck-cache.sqlite"
    key = restore["with"]["key"]
    assert "github.run_id" in key and "github.run_attempt" in key, "an exact hit never saves again"
    assert "hashFiles(" not in key
    assert save["with"]["key"] == key
    [prefix] = restore["with"]["restore-keys"].strip().splitlines()
    assert key.startswith(prefix) and prefix.endswith("-")
    assert save.get("if") == "always()", "saved also when links fail"
    order = [step.get("uses", step.get("id", "")).split("@")[0] for step in steps]
    assert order.index("actions/cache/restore") < order.index("./") < order.index("actions/cache/save")


def test_example_workflow_uploads_sarif_and_the_html_report() -> None:
    workflow, steps = _workflow_steps()
    [job] = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    [sarif] = _uses(steps, "github/codeql-action/upload-sarif")
    assert sarif["with"]["sarif_file"] == "${{ steps.linkcheck.outputs.report-sarif }}"
    assert sarif["if"].startswith("always()")
    [linkcheck] = _uses(steps, "./")
    assert linkcheck["id"] == "linkcheck" and "sarif" in linkcheck["with"]["format"].split(",")
    [upload] = _uses(steps, "actions/upload-artifact")
    assert "steps." in upload["with"]["path"] and "report-html" in upload["with"]["path"]
    assert upload.get("if") == "always()"


_EVENT_EXPRESSION = re.compile(
    r"\$\{\{ github\.event_name == 'pull_request' && format\('([^']*)', github\.base_ref\) \|\| '' \}\}")


def _workflow_args(event: str, base_ref: str = "main") -> str:
    """The linkcheck step's args as the runner renders them for an event."""
    _, steps = _workflow_steps()
    [linkcheck] = _uses(steps, "./")
    args = linkcheck["with"]["args"]
    assert _EVENT_EXPRESSION.search(args), args
    rendered = _EVENT_EXPRESSION.sub(
        lambda m: m.group(1).replace("{0}", base_ref) if event == "pull_request" else "", args)
    assert "--exclude-all-private" in rendered  # pull requests of strangers choose the URLs
    return rendered.replace("--exclude-all-private", "")


def test_example_workflow_runs_weekly_in_full_and_per_pull_request_on_changes(
    tmp_path: Path, fake_python: Path, site: HTTPServer
) -> None:
    workflow, _ = _workflow_steps()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert any(p.endswith(".md") for p in triggers["pull_request"]["paths"])
    [schedule] = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month) == ("*", "*") and weekday.isdigit(), "once a week"
    # A repository whose main branch has an old broken link and a pull request that adds a good one.
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
    (repo / "old.md").write_text(f"[Gone]({site.url_for('/gone')})\n", encoding="utf-8")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"],
                    ["update-ref", "refs/remotes/origin/main", "HEAD"], ["checkout", "-q", "-b", "topic"]):
        subprocess.run([*git, *command], cwd=repo, check=True, capture_output=True)
    (repo / "new.md").write_text(f"[Fine page]({site.url_for('/ok')})\n", encoding="utf-8")
    for command in (["add", "-A"], ["commit", "-q", "-m", "topic"]):
        subprocess.run([*git, *command], cwd=repo, check=True, capture_output=True)
    extra = " --no-cache --timeout 5 --retries 0"  # and the test site is on loopback: not refused here
    pr = tmp_path / "pr"
    pr.mkdir()
    runner = Runner(pr, {"args": _workflow_args("pull_request") + extra, "format": "json"}, fake_python)
    _, check = runner.run_steps(repo)
    assert check.code == 0, check.stderr
    report = json.loads((repo / runner.outputs["report-json"]).read_text(encoding="utf-8"))
    assert [os.path.normpath(s) for s in report["sources"]] == ["new.md"]
    weekly = tmp_path / "weekly"
    weekly.mkdir()
    runner = Runner(weekly, {"args": _workflow_args("schedule") + extra, "format": "json"}, fake_python)
    _, check = runner.run_steps(repo)
    assert check.code == 1, "the weekly run finds the old broken link"
    report = json.loads((repo / runner.outputs["report-json"]).read_text(encoding="utf-8"))
    assert sorted(os.path.normpath(s) for s in report["sources"]) == ["new.md", "old.md"]


def test_pre_commit_hook_definition() -> None:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "linkcheck"]
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["linkcheck", "check"]
    assert set(hook["types_or"]) == {"markdown", "html", "text"}
    assert hook.get("pass_filenames", True) is True
    assert "--no-progress" in hook["entry"] or "--no-progress" in hook.get("args", [])


def test_unbalanced_quote_in_args_is_one_error_line_and_exit_2(
    tmp_path: Path, fake_python: Path, workspace: Path
) -> None:
    runner = Runner(tmp_path, {"args": "'my docs bad.md", "fail": "false"}, fake_python)
    _, check = runner.run_steps(workspace)
    assert check.code == 2
    assert "Traceback" not in check.stderr and "Missing argument" not in check.stderr
    assert check.stderr.splitlines() == ["linkcheck: error: input args: No closing quotation"
                                         " (quote like a shell: 'my docs' or \"my docs\")"]
    assert [line for line in check.stdout.splitlines() if line.startswith("::error")] == [
        "::error title=linkcheck::input args: No closing quotation (quote like a shell: 'my docs' or \"my docs\")"]
    assert runner.outputs == {"exit-code": "2"}
    assert not (workspace / "linkcheck-reports").exists()


def test_outputs_name_only_the_reports_this_run_wrote(tmp_path: Path, fake_python: Path, workspace: Path) -> None:
    first = tmp_path / "first"
    first.mkdir()
    Runner(first, {"args": "bad.md --no-cache --timeout 5 --retries 0", "format": "json,html,sarif",
                   "fail": "false"}, fake_python).run_steps(workspace)
    assert (workspace / "linkcheck-reports" / "linkcheck.sarif").is_file()
    second = tmp_path / "second"
    second.mkdir()
    runner = Runner(second, {"args": "bad.md --no-cache --timeout 5 --retries 0", "format": "json",
                             "fail": "false"}, fake_python)
    _, check = runner.run_steps(workspace)
    assert check.code == 0, check.stderr
    assert {k for k in runner.outputs if k.startswith("report-")} == {"report-dir", "report-json"}
    third = tmp_path / "third"
    third.mkdir()
    failed = Runner(third, {"args": "missing.md", "format": "json,html", "fail": "false"}, fake_python)
    _, check = failed.run_steps(workspace)
    assert check.code == 2
    assert {k for k in failed.outputs if k.startswith("report-") and k != "report-dir"} == set(), \
        "the reports of an earlier run are not this run's"


def test_working_directory_keeps_paths_relative_to_the_repository(
    tmp_path: Path, fake_python: Path, workspace: Path, site: HTTPServer
) -> None:
    (workspace / "my docs" / "sub.md").write_text(f"x\n[Gone]({site.url_for('/gone')})\n", encoding="utf-8")
    runner = Runner(tmp_path, {"args": "sub.md good.md --no-cache --timeout 5 --retries 0",
                               "working-directory": "my docs", "format": "json,sarif"}, fake_python)
    _, check = runner.run_steps(workspace)
    assert check.code == 1, check.stderr
    assert runner.outputs["report-dir"] == "my docs/linkcheck-reports"
    assert runner.outputs["report-sarif"] == "my docs/linkcheck-reports/linkcheck.sarif"
    assert (workspace / runner.outputs["report-json"]).is_file()
    [annotation] = [line for line in check.stdout.splitlines() if line.startswith("::error file=")]
    assert annotation.startswith("::error file=my docs/sub.md,line=2,col=8,")
    sarif = json.loads((workspace / runner.outputs["report-sarif"]).read_text(encoding="utf-8"))
    [result] = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20docs/sub.md"
    assert location["region"] == {"startLine": 2, "startColumn": 8}


def test_fail_if_empty_and_job_summary_off(tmp_path: Path, fake_python: Path, workspace: Path) -> None:
    (workspace / "empty.md").write_text("No links at all.\n", encoding="utf-8")
    runner = Runner(tmp_path, {"args": "empty.md --no-cache", "fail-if-empty": "true", "format": "markdown",
                               "job-summary": "false"}, fake_python)
    _, check = runner.run_steps(workspace)
    assert check.code == 1
    assert "::error title=linkcheck::no links found (fail-if-empty is true)" in check.stdout
    assert runner.outputs["exit-code"] == "1"
    assert runner.outputs["report-json"] == "linkcheck-reports/linkcheck.json"
    assert runner.files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8") == ""
    second = tmp_path / "second"
    second.mkdir()
    lenient = Runner(second, {"args": "empty.md --no-cache"}, fake_python)
    _, check = lenient.run_steps(workspace)
    assert check.code == 0 and lenient.outputs["exit-code"] == "0"
    assert "## linkcheck report" in lenient.files["GITHUB_STEP_SUMMARY"].read_text(encoding="utf-8")
    bad = tmp_path / "third"
    bad.mkdir()
    _, check = Runner(bad, {"args": "empty.md", "job-summary": "maybe"}, fake_python).run_steps(workspace)
    assert check.code == 2 and "input job-summary: 'maybe' is not true or false" in check.stderr
