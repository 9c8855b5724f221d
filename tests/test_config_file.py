"""Settings files seen from the command line: ``[tool.linkcheck]`` in pyproject.toml or a
``linkcheck.toml``, found by walking up from the current directory or named with ``--config``.
Keys are the long option names; the command line wins; an unknown key is exit 2 naming the key."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli

from .conftest import ROOT, html_page

README = ROOT / "README.md"


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    """One page that answers 200 and one that answers 404."""
    httpserver.expect_request("/alive").respond_with_data(html_page("Alive"), content_type="text/html")
    httpserver.expect_request("/gone").respond_with_data(html_page("Gone"), status=404, content_type="text/html")
    return httpserver


@pytest.fixture
def project(tmp_path: Path, site: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder with a document; the test runs from a folder two levels below it."""
    (tmp_path / "doc.md").write_text(
        f"See [Alive]({site.url_for('/alive')}) and [Gone]({site.url_for('/gone')}).\n", encoding="utf-8"
    )
    work = tmp_path / "docs" / "deep"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    return tmp_path


def _check(runner: CliRunner, project: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["check", str(project / "doc.md"), "--no-progress", "--timeout", "5", *extra])
    return result.exit_code, result.stderr


def _verdicts(report: Path) -> dict[str, str]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return {link["url"].rsplit("/", 1)[1]: link["verdict"] for link in data["links"]}


def test_pyproject_table_is_found_walking_up(runner: CliRunner, project: Path) -> None:
    out = project / "out"
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.linkcheck]\n'
        f'output = "{out.as_posix()}"\nformat = ["json", "html"]\naccept = "200..299,404"\nno-cache = true\n',
        encoding="utf-8",
    )
    code, stderr = _check(runner, project)
    assert code == 0, stderr
    assert _verdicts(out / "linkcheck.json") == {"alive": "ok", "gone": "ok"}
    assert (out / "linkcheck.html").exists()
    assert not (out / "linkcheck.md").exists(), "format from the file replaces the default"


def test_pyproject_without_table_is_skipped_for_a_linkcheck_toml_above(runner: CliRunner, project: Path) -> None:
    out = project / "out"
    (project / "linkcheck.toml").write_text(f'output = "{out.as_posix()}"\nno-cache = true\n', encoding="utf-8")
    (project / "docs" / "pyproject.toml").write_text('[project]\nname = "other"\n', encoding="utf-8")
    code, _ = _check(runner, project)
    assert code == 1
    assert _verdicts(out / "linkcheck.json") == {"alive": "ok", "gone": "broken"}


def test_nearest_file_wins(runner: CliRunner, project: Path) -> None:
    far, near = project / "far", project / "near"
    (project / "linkcheck.toml").write_text(f'output = "{far.as_posix()}"\nno-cache = true\n', encoding="utf-8")
    (project / "docs" / "linkcheck.toml").write_text(
        f'output = "{near.as_posix()}"\nno-cache = true\n', encoding="utf-8"
    )
    _check(runner, project)
    assert (near / "linkcheck.json").exists() and not far.exists()


def test_command_line_wins_over_the_file(runner: CliRunner, project: Path) -> None:
    out = project / "out"
    (project / "linkcheck.toml").write_text(
        f'output = "{out.as_posix()}"\nformat = ["json", "html"]\naccept = "200..299,404"\nno-cache = true\n',
        encoding="utf-8",
    )
    code, _ = _check(runner, project, "--accept", "200", "-f", "json", "-f", "csv")
    assert code == 1
    assert _verdicts(out / "linkcheck.json") == {"alive": "ok", "gone": "broken"}
    assert (out / "linkcheck.csv").exists() and not (out / "linkcheck.html").exists()


def test_config_option_names_a_file_anywhere(runner: CliRunner, project: Path, tmp_path: Path) -> None:
    out = project / "out"
    settings = tmp_path / "settings" / "ci.toml"
    settings.parent.mkdir()
    settings.write_text(f'output = "{out.as_posix()}"\nfail-on = "broken"\nno-cache = true\n'
                        'accept = "200..299,404"\n', encoding="utf-8")
    (project / "linkcheck.toml").write_text('output = "elsewhere"\n', encoding="utf-8")
    code, stderr = _check(runner, project, "--config", str(settings))
    assert code == 0, stderr
    assert (out / "linkcheck.json").exists()
    assert not (project / "docs" / "deep" / "elsewhere").exists()


def test_relative_paths_in_a_file_are_relative_to_that_file(runner: CliRunner, project: Path) -> None:
    (project / "linkcheck.toml").write_text('output = "build/links"\ncache = "build/c.sqlite"\n', encoding="utf-8")
    _check(runner, project)
    assert (project / "build" / "links" / "linkcheck.json").exists()
    assert (project / "build" / "c.sqlite").exists()


@pytest.mark.parametrize(
    "body, needle",
    [
        pytest.param("per-hots = 4\n", "per-hots", id="misspelt"),
        pytest.param("[tool.linkcheck]\nlinkcheck = 1\n", "tool", id="nested-table-in-linkcheck-toml"),
    ],
)
def test_unknown_key_is_exit_2_naming_it(runner: CliRunner, project: Path, body: str, needle: str) -> None:
    (project / "linkcheck.toml").write_text(body, encoding="utf-8")
    code, stderr = _check(runner, project, "--no-cache", "-o", str(project / "out"))
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("linkcheck: error:"), stderr
    assert needle in lines[0] and "linkcheck.toml" in lines[0]


def test_unknown_key_in_pyproject_is_exit_2(runner: CliRunner, project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.linkcheck]\nconcurency = 3\n", encoding="utf-8")
    code, stderr = _check(runner, project, "--no-cache", "-o", str(project / "out"))
    assert code == 2 and "concurency" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    "body", [pytest.param("per-host = [\n", id="bad-toml"), pytest.param('per-host = "four"\n', id="bad-value")]
)
def test_bad_file_is_one_line_exit_2(runner: CliRunner, project: Path, body: str) -> None:
    (project / "linkcheck.toml").write_text(body, encoding="utf-8")
    code, stderr = _check(runner, project, "--no-cache", "-o", str(project / "out"))
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr, stderr


def test_missing_config_file_is_exit_2(runner: CliRunner, project: Path) -> None:
    code, stderr = _check(runner, project, "--config", str(project / "nope.toml"))
    assert code == 2 and "nope.toml" in stderr


def _readme_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration file", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z-]+)`", section, flags=re.MULTILINE))


def test_readme_documents_every_key() -> None:
    """Every long option of ``check`` (other than --config and --help) is a documented key."""
    command = cli.commands["check"]
    keys = {
        opt[2:]
        for param in command.params
        if param.name not in ("config_file", "help") and param.expose_value
        for opt in param.opts
        if opt.startswith("--")
    }
    keys.discard("help")
    documented = _readme_keys()
    assert keys - documented == set(), "undocumented keys"
    assert documented - keys == set(), "documented keys that do not exist"


def test_readme_examples_are_accepted(runner: CliRunner, project: Path) -> None:
    """The example of every non-path key in the README table, all in one file, is a valid setting."""
    text = README.read_text(encoding="utf-8").split("## Configuration file", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \| `(.+)` \|$", text, flags=re.MULTILINE)
    assert len(rows) >= 20
    skipped = ("no-cache", "progress", "changed-since", "suggest-archive", "quiet")  # quiet: not with verbose
    lines = [example for key, kind, example in rows if "path" not in kind and key not in skipped]
    out = project / "out"
    lines += [f'output = "{out.as_posix()}"', "no-cache = true", "progress = false"]
    (project / "linkcheck.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, stderr = _check(runner, project)
    assert code in (0, 1), stderr
    assert (out / "linkcheck.json").exists()
