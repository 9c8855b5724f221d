"""The cache seen from the command line: the seed checked twice against local HTTPS servers.

A warm rerun within ``--max-cache-age`` must send no request at all; a stale entry is asked again
conditionally (``If-None-Match`` / ``If-Modified-Since``) and a 304 keeps the link alive; a changed
expected title is judged again from the cached evidence; a corrupt cache file costs a warning only.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from werkzeug import Request as WzRequest
from werkzeug import Response as WzResponse

from linkcheck.cli import cli

from .conftest import SEED, SEED_MANIFEST, SEED_PAGES, SeedSite, serve_seed_pages

LAST_MODIFIED = "Thu, 12 May 2022 10:00:00 GMT"


def _check(runner: CliRunner, site: SeedSite, tmp_path: Path, *extra: str) -> tuple[int, dict, str]:
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["check", str(SEED), "-o", str(out), "--no-progress", "--cache", str(tmp_path / "c.sqlite"),
         "--timeout", "5", *site.args, *extra],
    )
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    return result.exit_code, report, result.stderr


def _serve_with_validators(site: SeedSite) -> None:
    """Each page carries an ETag and Last-Modified, and answers 304 when the validator matches."""
    for index, (path, (content_type, body)) in enumerate(SEED_PAGES.items()):
        etag = f'"v{index}"'

        def handler(request: WzRequest, etag: str = etag, body: bytes = body, ctype: str = content_type) -> WzResponse:
            validators = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
            if request.headers.get("If-None-Match") == etag:
                return WzResponse(status=304, headers=validators)
            return WzResponse(body, status=200, content_type=ctype, headers=validators)

        site.server.expect_request(path).respond_with_handler(handler)


def _requests(site: SeedSite) -> list[WzRequest]:
    return [request for request, _ in site.server.log]


def test_warm_rerun_sends_zero_requests(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    serve_seed_pages(seed_site)
    code, first, _ = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    assert code == 0 and first["summary"]["ok"] == 8
    assert len(_requests(seed_site)) >= 8
    seed_site.server.clear_log()

    code, second, _ = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    assert _requests(seed_site) == []
    assert code == 0
    assert {link["verdict"] for link in second["links"]} == {"ok"}
    assert all("cached" in link["details"] for link in second["links"])
    titles = {link["url"]: link["title"]["found"] for link in second["links"]}
    assert titles == {link["url"]: link["title"]["found"] for link in first["links"]}


def test_stale_entry_sends_one_conditional_request_and_304_is_alive(
    runner: CliRunner, seed_site: SeedSite, tmp_path: Path
) -> None:
    _serve_with_validators(seed_site)
    code, first, _ = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    assert code == 0 and first["summary"]["ok"] == 8
    seed_site.server.clear_log()

    code, second, _ = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST), "--max-cache-age", "0s")
    requests = _requests(seed_site)
    assert len(requests) == 8, [r.path for r in requests]
    assert len({r.path for r in requests}) == 8, "exactly one request per URL"
    for request in requests:
        assert request.headers.get("If-None-Match", "").startswith('"v'), request.path
        assert request.headers.get("If-Modified-Since") == LAST_MODIFIED
    assert all(response.status_code == 304 for _, response in seed_site.server.log)
    assert code == 0
    assert {link["verdict"] for link in second["links"]} == {"ok"}
    assert all("revalidated" in link["details"] for link in second["links"])


def test_revalidated_entry_is_fresh_again(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    """After a 304 the entry counts from now: the next run within the age sends nothing."""
    _serve_with_validators(seed_site)
    manifest = ("--expect", str(SEED_MANIFEST))
    _check(runner, seed_site, tmp_path, *manifest)
    with sqlite3.connect(tmp_path / "c.sqlite") as db:
        db.execute("UPDATE results SET checked_at = checked_at - 3 * 86400")
    db.close()
    seed_site.server.clear_log()
    _check(runner, seed_site, tmp_path, *manifest)
    assert len(_requests(seed_site)) == 8
    seed_site.server.clear_log()
    code, third, _ = _check(runner, seed_site, tmp_path, *manifest)
    assert _requests(seed_site) == []
    assert code == 0 and all("cached" in link["details"] for link in third["links"])


def test_changed_expected_title_mismatches_without_a_request(
    runner: CliRunner, seed_site: SeedSite, tmp_path: Path
) -> None:
    serve_seed_pages(seed_site)
    code, _, _ = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    assert code == 0
    changed = tmp_path / "changed.toml"
    changed.write_text(
        SEED_MANIFEST.read_text(encoding="utf-8").replace(
            'title = "EU-Japan relations"', 'title = "Annual report on fisheries statistics in the Baltic Sea"'
        ),
        encoding="utf-8",
    )
    seed_site.server.clear_log()
    code, report, _ = _check(runner, seed_site, tmp_path, "--expect", str(changed))
    assert _requests(seed_site) == []
    verdicts = {link["url"]: link["verdict"] for link in report["links"]}
    eeas = "https://www.eeas.europa.eu/eeas/eu-japan-relations_en"
    assert verdicts.pop(eeas) == "title_mismatch"
    assert set(verdicts.values()) == {"ok"}
    assert code == 1


def test_corrupt_cache_file_warns_and_the_run_goes_on(
    runner: CliRunner, seed_site: SeedSite, tmp_path: Path
) -> None:
    serve_seed_pages(seed_site)
    (tmp_path / "c.sqlite").write_bytes(b"not a database at all\n" * 200)
    code, report, stderr = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    warnings = [line for line in stderr.splitlines() if line.startswith("linkcheck: warning:")]
    assert len(warnings) == 1 and "cache" in warnings[0], stderr
    assert "Traceback" not in stderr
    assert code == 0 and report["summary"]["ok"] == 8
    seed_site.server.clear_log()
    _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    assert _requests(seed_site) == [], "the new cache file works"


def test_without_cache_option_every_run_asks_the_network(
    runner: CliRunner, seed_site: SeedSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is opt-in: no file appears, and a rerun requests every link again."""
    serve_seed_pages(seed_site)
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        result = runner.invoke(cli, ["check", str(SEED), "-o", "out", "--no-progress", *seed_site.args])
        assert result.exit_code in (0, 1), result.output
    assert len(_requests(seed_site)) == 16
    assert not [p for p in tmp_path.iterdir() if "sqlite" in p.name]


def test_no_cache_overrides_cache(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    serve_seed_pages(seed_site)
    _check(runner, seed_site, tmp_path, "--no-cache")
    assert not (tmp_path / "c.sqlite").exists()
