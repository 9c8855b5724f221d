"""Issue 13, item 3: every settings key is checked against its type once, before anything runs:
one line naming the file, the key and what was expected, exit 2, never a traceback; a single
string is accepted where a list is expected. Driven through the CLI in a project folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkcheck.cli import cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "doc.md").write_text("No links here.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(project: Path, settings: str, *, file: str = "pyproject.toml") -> tuple[int, str]:
    header = "[tool.linkcheck]\n" if file == "pyproject.toml" else ""
    (project / file).write_text(header + settings + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "doc.md", "--no-progress"])
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "setting, expected",
    [
        pytest.param("output = 5", "key 'output': expected a path (a string), got number 5", id="output-number"),
        pytest.param("cache = true", "key 'cache': expected a path (a string), got boolean true", id="cache-bool"),
        pytest.param("ca-bundle = 3", "key 'ca-bundle': expected a path (a string), got number 3", id="ca-number"),
        pytest.param('timeout = "fast"', "key 'timeout': expected a number, got string 'fast'", id="timeout-text"),
        pytest.param('progress = "yes"', "key 'progress': expected true or false, got string 'yes'", id="progress"),
        pytest.param("expect = []", "key 'expect': expected a path (a string), got an empty list", id="expect-list"),
        pytest.param("per-host = 2.5", "key 'per-host': expected a whole number, got number 2.5", id="per-host"),
        pytest.param("retries = true", "key 'retries': expected a whole number, got boolean true", id="retries"),
        pytest.param("concurrency = 0", "key 'concurrency': 0 is not in the range", id="range"),
        pytest.param('titles = "maybe"', "key 'titles': expected one of 'fail', 'warn', 'off'", id="choice"),
        pytest.param('format = ["json", "pdf"]', "key 'format': 'pdf' is not one of json", id="format-name"),
        pytest.param("exclude = [1]", "key 'exclude': expected a string or a list of strings", id="list-items"),
        pytest.param('accept = "abc"', "key 'accept': 'abc' is not a status code", id="accept-value"),
        pytest.param('max-cache-age = "soon"', "key 'max-cache-age': 'soon' is not a duration", id="duration"),
        pytest.param('exclude = "("', "key 'exclude': invalid regular expression '('", id="regex"),
        pytest.param("fail-on = []", "key 'fail-on': expected a non-empty string or list", id="fail-on-empty"),
    ],
)
def test_bad_value_is_one_line_naming_file_key_and_type(project: Path, setting: str, expected: str) -> None:
    code, stderr = _run(project, setting)
    assert code == 2, stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    assert stderr.startswith(f"linkcheck: error: {project / 'pyproject.toml'}: "), stderr
    assert expected in stderr
    assert not (project / "reports").exists(), "nothing runs on a bad setting"


def test_linkcheck_toml_is_named_too(project: Path) -> None:
    code, stderr = _run(project, 'timeout = "fast"', file="linkcheck.toml")
    assert code == 2
    assert f"{project / 'linkcheck.toml'}: key 'timeout'" in stderr


def test_single_string_is_accepted_for_a_list_key(project: Path) -> None:
    code, stderr = _run(project, 'format = "html"\nexclude = "^https://skip\\\\.example/"\noutput = "out"')
    assert code == 0, stderr
    assert sorted(p.name for p in (project / "out").iterdir()) == ["linkcheck.html"]


def test_good_values_of_every_kind_run(project: Path) -> None:
    code, stderr = _run(project, 'format = ["json"]\noutput = "out"\ntimeout = 5\nper-host = 2\nprogress = false\n'
                                 'fail-on = "broken"\ncheck-fragments = false\ntitles = "warn"')
    assert code == 0, stderr
    assert json.loads((project / "out" / "linkcheck.json").read_text(encoding="utf-8"))["fail_on"] == ["broken"]
