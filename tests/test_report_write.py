"""Writing reports: every chosen format to its file name, atomically, errors as one line."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from linkcheck.errors import ReportError, UsageError
from linkcheck.models import Report
from linkcheck.report import FORMATS, Format, load_report, render_json, resolve_format, write_reports

try:
    from tests.test_report_sample import SECRET, make_report
except ImportError:  # tests/ on sys.path instead of the project root
    from test_report_sample import SECRET, make_report  # type: ignore[no-redef]


def _broken_renderer(report: Report) -> str:
    raise RuntimeError("renderer exploded")


def test_writes_every_format_under_its_file_name(tmp_path: Path) -> None:
    out = tmp_path / "nested" / "reports"
    paths = write_reports(make_report(), out, list(FORMATS))
    assert [p.name for p in paths] == [
        "linkcheck.json",
        "linkcheck.md",
        "linkcheck.html",
        "linkcheck.junit.xml",
        "linkcheck.sarif",
        "linkcheck.csv",
    ]
    assert sorted(os.listdir(out)) == sorted(p.name for p in paths)
    for path, fmt in zip(paths, FORMATS.values(), strict=True):
        assert path.read_bytes() == fmt.render(make_report()).encode("utf-8")
        assert SECRET not in path.read_text(encoding="utf-8")
    assert load_report((out / "linkcheck.json").read_text(encoding="utf-8")).results


def test_aliases_and_duplicates(tmp_path: Path) -> None:
    paths = write_reports(make_report(), tmp_path, ["md", "markdown", "XML", "junit"])
    assert [p.name for p in paths] == ["linkcheck.md", "linkcheck.junit.xml"]
    assert resolve_format("md") is FORMATS["markdown"]
    assert resolve_format("xml") is FORMATS["junit"]


def test_unknown_format_is_a_usage_error_naming_the_choices(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        write_reports(make_report(), tmp_path / "out", ["json", "pdf"])
    assert "'pdf'" in str(info.value) and "sarif" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_failing_renderer_leaves_no_file_and_no_temp_file(tmp_path: Path) -> None:
    registry = {**FORMATS, "boom": Format("boom", "boom", _broken_renderer)}
    (tmp_path / "linkcheck.json").write_text("old report", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        write_reports(make_report(), tmp_path, ["json", "boom", "html"], registry=registry)
    assert str(info.value) == "cannot render the boom report: renderer exploded"
    assert sorted(os.listdir(tmp_path)) == ["linkcheck.json"]
    assert (tmp_path / "linkcheck.json").read_text(encoding="utf-8") == "old report"


def test_streamed_renderer_failing_midway_leaves_no_folder_it_made(tmp_path: Path) -> None:
    """A format written piece by piece that fails after some pieces: no half file, no new folder."""

    def half_then_boom(report: Report) -> Iterator[str]:
        yield '{"links": ['
        raise RuntimeError("stream exploded")

    registry = {**FORMATS, "boom": Format("boom", "boom", _broken_renderer, half_then_boom)}
    out = tmp_path / "new"
    with pytest.raises(ReportError) as info:
        write_reports(make_report(), out, ["json", "boom"], registry=registry)
    assert str(info.value) == "cannot render the boom report: stream exploded"
    assert not out.exists()


def test_existing_report_is_replaced_whole_keeping_its_mode(tmp_path: Path) -> None:
    old = tmp_path / "linkcheck.json"
    old.write_text("x" * 100_000, encoding="utf-8")
    old.chmod(0o640)
    inode = old.stat().st_ino
    write_reports(make_report(), tmp_path, ["json"])
    assert old.read_text(encoding="utf-8") == render_json(make_report())
    assert os.listdir(tmp_path) == ["linkcheck.json"]
    if sys.platform != "win32":
        assert old.stat().st_ino != inode  # a new file renamed over the old one, not rewritten in place
        assert stat.S_IMODE(old.stat().st_mode) == 0o640


def test_new_report_is_readable_by_others(tmp_path: Path) -> None:
    path = write_reports(make_report(), tmp_path, ["csv"])[0]
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_output_dir_that_is_a_file_is_a_report_error(tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ReportError) as info:
        write_reports(make_report(), blocker, ["json"])
    message = str(info.value)
    assert message.startswith(f"cannot create report folder {blocker}")
    assert "\n" not in message


def test_write_failure_removes_the_temp_file(tmp_path: Path) -> None:
    """A report path taken by a folder: the rename fails, nothing is left behind."""
    (tmp_path / "linkcheck.json").mkdir()
    with pytest.raises(ReportError) as info:
        write_reports(make_report(), tmp_path, ["json"])
    assert str(info.value).startswith(f"cannot write {tmp_path / 'linkcheck.json'}")
    assert os.listdir(tmp_path) == ["linkcheck.json"]
    assert (tmp_path / "linkcheck.json").is_dir()
