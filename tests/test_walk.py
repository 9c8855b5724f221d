"""The walk knows the repository (issue 13.1), driven through the CLI on real git repositories.

Each test builds a work tree under ``tmp_path`` with ``git init`` and runs ``linkcheck`` from its
top, as a user in a docs repository would. The documents hold only ``mailto:`` links (excluded,
never requested), so no test needs the network: what is asserted is which documents were read
(``sources`` of the JSON report, the lines of ``extract``) and the exit status.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck.cli import cli


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo, capture_output=True, text=True, check=True, timeout=30,
    )
    return proc.stdout


def write(root: Path, name: str, text: str | None = None) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text is not None else f"# {name}\n\nWrite to <mailto:docs@example.org?subject={name}>.\n",
                    encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A docs repository with the usual clutter, the current folder of every test."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    for name in ("README.md", "docs/guide.md", "docs/sub/page.html", "build/out.md", "node_modules/pkg/README.md",
                 ".github/ISSUE_TEMPLATE.md", "scratch/notes.md", "local-only.md", "docs/draft.md"):
        write(root, name)
    write(root, ".gitignore", "build/\nnode_modules/\n")
    write(root, ".git/info/exclude", "local-only.md\n")
    git(root, "add", ".gitignore", "README.md", "docs", ".github")
    git(root, "commit", "-q", "-m", "docs")
    # A global excludes file, as `git config --global core.excludesFile` sets it.
    global_config = tmp_path / "gitconfig"
    (tmp_path / "global-ignore").write_text("scratch/\n", encoding="utf-8")
    global_config.write_text(f"[core]\n\texcludesFile = {(tmp_path / 'global-ignore').as_posix()}\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(global_config))
    monkeypatch.chdir(root)
    return root


def check(runner: CliRunner, *args: str) -> tuple[int, dict, str]:
    result = runner.invoke(cli, ["check", *args, "--no-progress", "-f", "json", "-f", "markdown", "-f", "html"])
    out = Path(args[args.index("-o") + 1]) if "-o" in args else Path("reports")
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8")) if (out / "linkcheck.json").exists() else {}
    return result.exit_code, report, result.output


def extract(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["extract", *args])
    return result.exit_code, result.output


def test_walk_reads_what_git_would_track_and_never_its_own_reports(runner: CliRunner, repo: Path) -> None:
    code, first, output = check(runner, ".")
    assert code == 0, output
    expected = ["README.md", "docs/draft.md", "docs/guide.md", "docs/sub/page.html"]
    assert first["sources"] == expected, "ignored (.gitignore, info/exclude, global), hidden and reports left out"
    assert first["summary"]["total"] == 3  # three mailto: addresses (one per Markdown file, none in page.html)
    assert (repo / "reports" / "linkcheck.md").exists() and (repo / "reports" / "linkcheck.html").exists()
    code, second, _ = check(runner, ".")
    assert code == 0
    assert second["sources"] == expected, "the second run does not read the first one's reports"
    assert second["summary"] == first["summary"]


def test_a_report_folder_given_with_o_is_never_walked(runner: CliRunner, repo: Path) -> None:
    check(runner, ".", "-o", "site-reports")
    code, report, _ = check(runner, ".", "-o", "site-reports")
    assert code == 0
    assert not [s for s in report["sources"] if "site-reports" in s]
    # The default folder is no report folder of this run: a document written there is read.
    write(repo, "reports/kept.md")
    _, report, _ = check(runner, ".", "-o", "site-reports")
    assert "reports/kept.md" in report["sources"]


def test_untracked_documents_count_deleted_ones_do_not(runner: CliRunner, repo: Path) -> None:
    write(repo, "docs/new.md")
    (repo / "docs" / "draft.md").unlink()  # tracked, deleted in the work tree
    code, output = extract(runner, "docs")
    assert code == 0
    assert "subject=docs/new.md" in output and "subject=docs/draft.md" not in output


def test_hidden_folders_only_with_hidden(runner: CliRunner, repo: Path) -> None:
    _, report, _ = check(runner, ".")
    assert ".github/ISSUE_TEMPLATE.md" not in report["sources"]
    _, report, _ = check(runner, ".", "--hidden")
    assert ".github/ISSUE_TEMPLATE.md" in report["sources"]
    assert "node_modules/pkg/README.md" not in report["sources"], "--hidden does not undo .gitignore"


def test_exclude_path_globs_repeatable_and_from_the_settings_file(runner: CliRunner, repo: Path) -> None:
    _, report, _ = check(runner, ".", "--exclude-path", "draft.md", "--exclude-path", "docs/sub/**")
    assert report["sources"] == ["README.md", "docs/guide.md"]
    _, report, _ = check(runner, ".", "--exclude-path", "docs")
    assert report["sources"] == ["README.md"], "a folder name drops everything under it"
    (repo / "linkcheck.toml").write_text('exclude-path = ["*.html", "docs/draft.md"]\n', encoding="utf-8")
    _, report, _ = check(runner, ".")
    assert report["sources"] == ["README.md", "docs/guide.md"]


def test_quoted_globs_expand_like_lychee(runner: CliRunner, repo: Path) -> None:
    write(repo, "docs/sub/deep/more.md")
    git(repo, "add", "docs")
    code, report, _ = check(runner, "docs/**/*.md")
    assert code == 0
    assert report["sources"] == ["docs/draft.md", "docs/guide.md", "docs/sub/deep/more.md"], "** spans zero folders too"
    _, report, _ = check(runner, "*.md")
    assert report["sources"] == ["README.md"], "* stays within one folder; ignored local-only.md left out"
    _, report, _ = check(runner, "docs/[gd]*.md", "--exclude-path", "draft.md")
    assert report["sources"] == ["docs/guide.md"]
    code, report, output = check(runner, "docs/**/*.rst")
    assert code == 2
    assert output.strip().splitlines() == ["linkcheck: error: docs/**/*.rst: no documents match this pattern"]


def test_a_folder_git_ignores_is_walked_when_named(runner: CliRunner, repo: Path) -> None:
    code, report, _ = check(runner, "build")
    assert code == 0
    assert report["sources"] == ["build/out.md"]


def test_outside_a_work_tree_every_file_is_walked(runner: CliRunner, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    plain = tmp_path / "plain"
    for name in ("a.md", "node_modules/x.md", ".cache/y.md", "reports/linkcheck.md"):
        write(plain, name)
    (plain / ".gitignore").write_text("node_modules/\n", encoding="utf-8")  # no repository: no git rules
    monkeypatch.chdir(plain)
    _, report, _ = check(runner, ".")
    assert report["sources"] == ["a.md", "node_modules/x.md"]


def test_changed_since_follows_the_same_walk(runner: CliRunner, repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "topic")
    for name in ("docs/guide.md", "docs/draft.md", "build/out.md", ".github/ISSUE_TEMPLATE.md", "docs/sub/page.html"):
        write(repo, name, f"changed {name} <mailto:x@example.org>\n")
    _, report, _ = check(runner, ".", "--changed-since", "main", "--exclude-path", "draft.md")
    assert report["sources"] == ["docs/guide.md", "docs/sub/page.html"]
    _, report, _ = check(runner, "docs/*.md", "--changed-since", "main")
    assert report["sources"] == ["docs/draft.md", "docs/guide.md"]
