"""The sharding recipes in docs/ run as written: the GitHub Actions matrix workflow and the
Kubernetes Indexed Job, their shell steps executed here against local servers standing in for
twelve hosts (``resolve`` in a linkcheck.toml of the working directory), then compared with one run."""

from __future__ import annotations

import fnmatch
import json
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

WORKFLOW = ROOT / "docs" / "github-sharded-workflow.yml"
INDEXED_JOB = ROOT / "docs" / "kubernetes-indexed-job.yml"
HOSTS = tuple(f"site{i}.example" for i in range(1, 13))
BIN = str(Path(sys.executable).parent)


@pytest.fixture
def archive(tmp_path: Path, httpserver: HTTPServer) -> Path:
    """A working directory: docs/ citing twelve hosts (one link gone), a linkcheck.toml resolving them."""
    for i in range(1, 13):
        httpserver.expect_request(f"/report/{i}").respond_with_data(
            html_page(f"Quarterly statement {i}"), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    port = httpserver.port
    docs = tmp_path / "docs"
    docs.mkdir()
    lines = [f"- [Quarterly statement {i}](http://{h}:{port}/report/{i})" for i, h in enumerate(HOSTS, 1)]
    (docs / "press.md").write_text("# Press\n\n" + "\n".join(lines) + f"\n- [Gone](http://{HOSTS[5]}:{port}/gone)\n",
                                   encoding="utf-8")
    resolve = ", ".join(f'"{h}:{port}:127.0.0.1"' for h in HOSTS)
    (tmp_path / "linkcheck.toml").write_text(f"resolve = [{resolve}]\nretries = 0\n", encoding="utf-8")
    return tmp_path


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "LINKCHECK_"))}
    return {**env, "PATH": BIN + os.pathsep + env.get("PATH", ""), **extra}


def _single(workdir: Path, docs: str) -> dict:
    out = workdir / "single"
    subprocess.run([sys.executable, "-m", "linkcheck", "check", docs, "--no-progress", "-f", "json", "-o", str(out)],
                   cwd=workdir, env=_env(), capture_output=True, check=False, timeout=60)
    return json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))


def _verdicts(report: dict) -> list[tuple[str, str]]:
    return [(link["url"], link["verdict"]) for link in report["links"]]


def _step(job: dict, name: str) -> dict:
    return next(step for step in job["steps"] if step.get("name") == name or step.get("id") == name)


def test_github_matrix_workflow_runs_as_written(archive: Path) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    shard_job, merge_job = workflow["jobs"]["shard"], workflow["jobs"]["merge"]
    shards = shard_job["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and shard_job["strategy"]["fail-fast"] is False
    check = _step(shard_job, "linkcheck")
    assert check["uses"] == "./"
    inputs = check["with"]
    def args(k: int) -> list[str]:  # the runner expands ${{ }} first, the action then splits like a shell
        return shlex.split(inputs["args"].replace("${{ matrix.shard }}", str(k)))

    assert args(3)[args(3).index("--shard") + 1] == f"3/{len(shards)}"
    upload = next(s for s in shard_job["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == f"{inputs['output']}/linkcheck.json"
    download = next(s for s in merge_job["steps"] if s.get("uses", "").startswith("actions/download-artifact"))
    assert merge_job["needs"] == "shard"
    assert fnmatch.fnmatch(upload["with"]["name"].replace("${{ matrix.shard }}", "2"), download["with"]["pattern"])
    assert merge_job["permissions"]["security-events"] == "write"

    # Each matrix job: what the action runs (action.yml: check --no-progress -o OUTPUT -f FORMAT ARGS).
    for k in shards:
        artifact = archive / download["with"]["path"] / upload["with"]["name"].replace("${{ matrix.shard }}", str(k))
        done = subprocess.run([sys.executable, "-m", "linkcheck", "check", "--no-progress", "-o", inputs["output"],
                               "-f", inputs["format"], *args(k)], cwd=archive, env=_env(GITHUB_ACTIONS="true"),
                              capture_output=True, text=True, check=False, timeout=60)
        assert done.returncode in (0, 1), done.stderr
        assert "::error" not in done.stdout, "a shard leaves the annotations to the merge"
        artifact.mkdir(parents=True)
        (archive / upload["with"]["path"]).rename(artifact / "linkcheck.json")

    # The merge job's own script, as the runner runs it (bash -e), on GitHub Actions.
    summary, output = archive / "summary.md", archive / "output.txt"
    summary.write_text("", encoding="utf-8")
    output.write_text("", encoding="utf-8")
    script = _step(merge_job, "merge")["run"]
    merged = subprocess.run(["bash", "-e", "-c", script], cwd=archive, capture_output=True, text=True, timeout=60,
                            check=False, env=_env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary),
                                                  GITHUB_OUTPUT=str(output), GITHUB_WORKSPACE=str(archive)))
    assert merged.returncode == 0, merged.stderr
    assert output.read_text(encoding="utf-8").strip() == "exit-code=1"
    assert "linkcheck report" in summary.read_text(encoding="utf-8")
    assert re.search(r"^::error file=docs/press\.md,line=15", merged.stdout, flags=re.MULTILINE), merged.stdout
    sarif_step = next(s for s in merge_job["steps"] if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert (archive / sarif_step["with"]["sarif_file"]).is_file()
    report = json.loads((archive / "linkcheck-reports" / "linkcheck.json").read_text(encoding="utf-8"))
    assert _verdicts(report) == _verdicts(_single(archive, args(1)[0]))
    assert report["summary"]["broken"] == 1 and report["summary"]["ok"] == 12


def test_kubernetes_indexed_job_runs_as_written(archive: Path) -> None:
    documents = list(yaml.safe_load_all(INDEXED_JOB.read_text(encoding="utf-8")))
    jobs = {d["metadata"]["name"]: d for d in documents if d["kind"] == "Job"}
    shards, merge = jobs["linkcheck-shards"], jobs["linkcheck-merge"]
    spec = shards["spec"]
    assert spec["completionMode"] == "Indexed"
    container = spec["template"]["spec"]["containers"][0]
    env = {e["name"]: e["value"] for e in container["env"]}
    assert int(env["SHARDS"]) == spec["completions"]
    claim = {d["metadata"]["name"] for d in documents if d["kind"] == "PersistentVolumeClaim"}
    for job in (shards, merge):
        volumes = job["spec"]["template"]["spec"]["volumes"]
        assert {v["persistentVolumeClaim"]["claimName"] for v in volumes} <= claim
        assert job["metadata"]["labels"]["step"] in ("shards", "merge")

    data = archive / "data"
    (archive / "docs").rename(archive / "docs-src")
    data.mkdir()
    (archive / "docs-src").rename(data / "docs")
    paths = {"DOCS": str(data / "docs"), "REPORTS": str(data / "reports")}
    script = container["command"][-1] if not container.get("args") else container["args"][0]
    for index in range(spec["completions"]):  # Kubernetes gives each pod its index, from 0
        pod = subprocess.run(["/bin/sh", "-c", script], cwd=archive, capture_output=True, text=True, timeout=60,
                             check=False, env=_env(**{**env, **paths, "JOB_COMPLETION_INDEX": str(index)}))
        assert pod.returncode == 0, pod.stderr
    shard_names = sorted(json.loads(p.read_text(encoding="utf-8"))["shard"]
                         for p in (data / "reports").glob("shard-*/linkcheck.json"))
    assert shard_names == sorted(f"{k}/{spec['completions']}" for k in range(1, spec["completions"] + 1))

    merge_container = merge["spec"]["template"]["spec"]["containers"][0]
    merge_env = {e["name"]: e["value"] for e in merge_container["env"]}
    done = subprocess.run(["/bin/sh", "-c", merge_container["args"][0]], cwd=archive, capture_output=True,
                          text=True, timeout=60, check=False, env=_env(**{**merge_env, **paths}))
    assert done.returncode == 1, done.stderr  # one link is gone: the merge Job fails, as the run would
    report = json.loads((data / "reports" / "merged" / "linkcheck.json").read_text(encoding="utf-8"))
    assert _verdicts(report) == _verdicts(_single(archive, paths["DOCS"]))
    assert report["complete"] is True
    for name in ("linkcheck.md", "linkcheck.html", "linkcheck.sarif"):
        assert (data / "reports" / "merged" / name).is_file()
