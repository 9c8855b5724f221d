"""``linkcheck fix --redirects``: permanently moved citations rewritten in place, diff first."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.fix import Edit, new_location, plan_fixes
from linkcheck.models import Occurrence, Redirect, Result, Target, Verdict

TITLE = "Annual report 2023"


def _page(title: str) -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{'Text. ' * 40}</body></html>"


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    """/old moved for good (301) to /new; /temp moved for now (302); /gone is 404."""
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": httpserver.url_for("/new")})
    httpserver.expect_request("/new").respond_with_data(_page(TITLE), content_type="text/html")
    httpserver.expect_request("/temp").respond_with_data("", status=302, headers={"Location": httpserver.url_for("/new")})
    httpserver.expect_request("/gone").respond_with_data("", status=404)
    return httpserver


@pytest.fixture
def docs(tmp_path: Path, site: HTTPServer) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    old, temp, gone = site.url_for("/old"), site.url_for("/temp"), site.url_for("/gone")
    (folder / "guide.md").write_text(
        f"# Guide\n\nSee the [{TITLE}]({old}) and the [{TITLE}]({temp}).\n\n"
        f"`{old}` in code is left alone.\n\nAgain: {old}\n",
        encoding="utf-8",
    )
    (folder / "notes.txt").write_bytes(f"Report: {old}\r\nGone: {gone}\r\n".encode())
    (folder / "page.html").write_text(f'<a href="{old}">{TITLE}</a>\n', encoding="utf-8")
    return folder


def _fix(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["fix", *args, "--timeout", "5", "--retries", "0"])
    # stdout_bytes: Result.stdout folds CRLF into LF, and CRLF documents must show their CR
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def test_diff_first_nothing_written(runner: CliRunner, docs: Path, site: HTTPServer) -> None:
    before = {p.name: p.read_bytes() for p in docs.iterdir()}
    code, out, err = _fix(runner, str(docs), "--redirects")
    assert code == 0, err
    assert {p.name: p.read_bytes() for p in docs.iterdir()} == before, "nothing written without --write"
    old, new = site.url_for("/old"), site.url_for("/new")
    removed = [line for line in out.split("\n") if line.startswith("-") and not line.startswith("---")]
    added = [line for line in out.split("\n") if line.startswith("+") and not line.startswith("+++")]
    assert f"--- a/{docs}/guide.md" in out.splitlines()
    assert removed == [
        f"-See the [{TITLE}]({old}) and the [{TITLE}]({site.url_for('/temp')}).",
        f"-Again: {old}",
        f"-Report: {old}\r",
    ]
    assert added == [line.replace("-", "+", 1).replace(old, new) for line in removed]
    assert "would rewrite (use --write) 3 URL(s) in 2 document(s)" in err


def test_write_applies_exactly_the_diff(runner: CliRunner, docs: Path, site: HTTPServer, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pristine = tmp_path / "pristine"
    shutil.copytree(docs, pristine / "docs")
    guide_before = (docs / "guide.md").read_text(encoding="utf-8")
    _, diff, _ = _fix(runner, "docs", "--redirects")
    code, _, err = _fix(runner, "docs", "--redirects", "--write")
    assert code == 0, err
    old, new = site.url_for("/old"), site.url_for("/new")
    guide = (docs / "guide.md").read_text(encoding="utf-8")
    assert guide == guide_before.replace(f"]({old})", f"]({new})").replace(f"Again: {old}", f"Again: {new}")
    assert f"`{old}`" in guide, "code spans are not links"
    assert (docs / "notes.txt").read_bytes() == f"Report: {new}\r\nGone: {site.url_for('/gone')}\r\n".encode()
    assert old in (docs / "page.html").read_text(encoding="utf-8"), "HTML documents are not rewritten"
    assert "rewrote 3 URL(s) in 2 document(s)" in err
    assert not [p for p in docs.iterdir() if p.name.endswith(".tmp")]
    # the diff shown first is a patch that turns the old documents into the written ones
    patched = subprocess.run(["patch", "-p1", "--batch", "--binary"], input=diff.encode(), cwd=pristine,
                             capture_output=True, timeout=20, check=False)
    assert patched.returncode == 0, patched.stdout + patched.stderr
    for name in ("guide.md", "notes.txt", "page.html"):
        assert (pristine / "docs" / name).read_bytes() == (docs / name).read_bytes(), name


def test_second_run_finds_nothing_to_fix(runner: CliRunner, docs: Path) -> None:
    _fix(runner, str(docs), "--redirects", "--write")
    code, out, err = _fix(runner, str(docs), "--redirects")
    assert code == 0 and out == ""
    assert "0 URL(s) in 0 document(s)" in err


def test_from_report_sends_no_request(runner: CliRunner, docs: Path, site: HTTPServer, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(cli, ["check", str(docs), "-o", str(out), "--no-cache", "--no-progress", "--timeout", "5"])
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    assert {link["verdict"] for link in report["links"] if link["url"] == site.url_for("/old")} == {"redirected"}
    assert result.exit_code == 1  # /gone
    site.clear_log()
    code, diff, err = _fix(runner, str(docs / "guide.md"), "--redirects", "--from-report", str(out / "linkcheck.json"),
                           "--write")
    assert code == 0, err
    assert site.log == []
    assert "notes.txt" not in diff, "only documents among SOURCE are touched"
    assert site.url_for("/new") in (docs / "guide.md").read_text(encoding="utf-8")
    assert site.url_for("/old") in (docs / "notes.txt").read_text(encoding="utf-8")


def test_stale_report_positions_are_skipped_not_guessed(runner: CliRunner, docs: Path, site: HTTPServer,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(cli, ["check", str(docs / "notes.txt"), "-o", str(out), "--no-cache", "--no-progress"])
    notes = docs / "notes.txt"
    notes.write_bytes(b"A new first line\r\n" + notes.read_bytes())
    before = notes.read_bytes()
    code, diff, err = _fix(runner, str(notes), "--redirects", "--from-report", str(out / "linkcheck.json"), "--write")
    assert code == 0
    assert notes.read_bytes() == before and diff == ""
    assert f"skipped {notes}:1:9 {site.url_for('/old')}: the text there is not the URL as checked" in err


def test_mixed_chains_follow_the_first_hop_rule(runner: CliRunner, httpserver: HTTPServer, tmp_path: Path) -> None:
    """302 → 301 → 200 is ``ok`` and never rewritten; 301 → 302 → 200 is ``redirected`` and rewritten to
    the end of the permanent run (the URL that answered 302), not to the temporary destination."""
    url = httpserver.url_for
    httpserver.expect_request("/temp-first").respond_with_data("", status=302, headers={"Location": url("/moved")})
    httpserver.expect_request("/moved").respond_with_data("", status=301, headers={"Location": url("/article")})
    httpserver.expect_request("/perm-first").respond_with_data("", status=301, headers={"Location": url("/new-home")})
    httpserver.expect_request("/new-home").respond_with_data("", status=302, headers={"Location": url("/signin")})
    httpserver.expect_request("/article").respond_with_data(_page(TITLE), content_type="text/html")
    httpserver.expect_request("/signin").respond_with_data(_page(TITLE), content_type="text/html")
    doc = tmp_path / "doc.md"
    doc.write_text(f"[{TITLE}]({url('/temp-first')}) and [{TITLE}]({url('/perm-first')})\n", encoding="utf-8")
    out = tmp_path / "out"
    checked = runner.invoke(cli, ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress", "-f", "json"])
    assert checked.exit_code == 0, checked.output
    verdicts = {link["url"]: link["verdict"] for link in json.loads((out / "linkcheck.json").read_text())["links"]}
    assert verdicts == {url("/temp-first"): "ok", url("/perm-first"): "redirected"}
    code, _, err = _fix(runner, str(doc), "--redirects", "--write")
    assert code == 0, err
    assert doc.read_text(encoding="utf-8") == f"[{TITLE}]({url('/temp-first')}) and [{TITLE}]({url('/new-home')})\n"


def test_fix_needs_to_know_what_to_fix(runner: CliRunner, docs: Path) -> None:
    code, _, err = _fix(runner, str(docs))
    assert code == 2 and "--redirects" in err


def _redirected(url: str, hops: tuple[Redirect, ...], final: str) -> Result:
    target = Target(key=url, url=url, checked_url=url, occurrences=(Occurrence("a.md", 1, 1),))
    return Result(target=target, verdict=Verdict.REDIRECTED, final_url=final, status=200, redirects=hops)


@pytest.mark.parametrize(
    "hops, final, expected",
    [
        pytest.param((Redirect("https://a/1", 301),), "https://a/2", "https://a/2", id="one-301"),
        pytest.param((Redirect("https://a/1", 308), Redirect("https://a/2", 301)), "https://a/3", "https://a/3",
                     id="all-permanent"),
        pytest.param((Redirect("https://a/1", 301), Redirect("https://a/2", 302)), "https://a/login",
                     "https://a/2", id="stops-at-temporary"),
        pytest.param((Redirect("https://a/1", 302), Redirect("https://a/2", 301)), "https://a/3", None,
                     id="temporary-first"),
    ],
)
def test_new_location_follows_only_the_permanent_prefix(
    hops: tuple[Redirect, ...], final: str, expected: str | None
) -> None:
    assert new_location(_redirected("https://a/1", hops, final)) == expected


def test_new_location_keeps_the_fragment() -> None:
    result = _redirected("https://a/1#part-2", (Redirect("https://a/1", 301),), "https://a/2")
    assert new_location(result) == "https://a/2#part-2"


def test_overlapping_and_out_of_range_edits_are_skipped(tmp_path: Path) -> None:
    doc = tmp_path / "a.md"
    doc.write_text("x https://a/1 y\n", encoding="utf-8")
    edits = [Edit("a.md", 1, 3, "https://a/1", "https://b/1"), Edit("a.md", 9, 1, "https://a/1", "https://b/1"),
             Edit("a.md", 1, 5, "tps://a/1", "zz")]
    fixes, skipped = plan_fixes(edits, cwd=tmp_path)
    assert fixes == []
    assert sorted(item.reason for item in skipped) == [
        "overlaps another rewrite", "overlaps another rewrite", "the text there is not the URL as checked"]
    fixes, skipped = plan_fixes(edits[:2], cwd=tmp_path)
    assert [f.after for f in fixes] == ["x https://b/1 y\n"] and len(skipped) == 1


def test_check_exits_1_while_a_rewrite_is_pending_and_writes_nothing(runner: CliRunner, docs: Path) -> None:
    before = {p.name: p.read_bytes() for p in docs.iterdir()}
    code, out, err = _fix(runner, str(docs), "--redirects", "--check")
    assert code == 1, err
    assert "would rewrite" in err and "+" in out
    assert {p.name: p.read_bytes() for p in docs.iterdir()} == before
    code, _, err = _fix(runner, str(docs), "--redirects", "--write")
    assert code == 0, err
    code, _, err = _fix(runner, str(docs), "--redirects", "--check")
    assert code == 0, err
    assert "would rewrite (use --write) 0 URL(s)" in err


def test_check_and_write_together_is_a_usage_error(runner: CliRunner, docs: Path) -> None:
    code, _, err = _fix(runner, str(docs), "--redirects", "--check", "--write")
    assert code == 2
    assert err.count("\n") == 1 and "--check" in err


def test_permanent_move_to_a_wrong_page_is_listed_not_rewritten(runner: CliRunner, httpserver: HTTPServer,
                                                                tmp_path: Path) -> None:
    httpserver.expect_request("/report").respond_with_data(
        "", status=301, headers={"Location": httpserver.url_for("/elsewhere")})
    httpserver.expect_request("/elsewhere").respond_with_data(
        _page("Cookie policy of the ministry of agriculture"), content_type="text/html")
    doc = tmp_path / "cites.md"
    text = f"The [{TITLE} of the federal statistics office]({httpserver.url_for('/report')}).\n"
    doc.write_text(text, encoding="utf-8")
    code, out, err = _fix(runner, str(doc), "--redirects", "--check")
    assert code == 0, err
    assert out == ""
    assert f"not rewritten {httpserver.url_for('/report')}" in err
    assert "title_mismatch" in err and httpserver.url_for("/elsewhere") in err
    assert doc.read_text(encoding="utf-8") == text
