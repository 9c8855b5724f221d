"""The main job end to end: the seed press release checked against local HTTPS servers that
impersonate its hosts (``--resolve`` + ``--ca-bundle``), reports written, exit codes as CONTRACT."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from linkcheck.cli import cli

from .conftest import SEED, SEED_MANIFEST, SEED_PAGES, SeedSite, html_page, serve_seed_pages

SEED_URLS = [
    "https://www.consilium.europa.eu/en/press/press-releases/2022/05/12/joint-statement-eu-japan-summit-2022/",
    "https://www.consilium.europa.eu/media/56091/%E6%9C%80%E7%B5%82%E7%89%88-jp-eu-digital-partnership-clean-final-docx.pdf",
    "https://digital-strategy.ec.europa.eu/en/library/japan-eu-digital-partnership-factsheet",
    "https://audiovisual.ec.europa.eu/en/video/l-225057",
    "https://ec.europa.eu/commission/presscorner/detail/en/statement_22_3022",
    "https://www.eeas.europa.eu/eeas/eu-japan-relations_en",
    "https://digital-strategy.ec.europa.eu/news/eu-japan-summit-strengthening-our-partnership",
    "https://digital-strategy.ec.europa.eu/en",
]


def _check(runner: CliRunner, site: SeedSite, out: Path, *extra: str) -> tuple[int, dict]:
    result = runner.invoke(
        cli,
        ["check", str(SEED), "-o", str(out), "--no-progress", "--no-cache", "--timeout", "5", *site.args, *extra],
    )
    report_path = out / "linkcheck.json"
    assert report_path.exists(), result.output
    return result.exit_code, json.loads(report_path.read_text(encoding="utf-8"))


def test_extract_lists_the_eight_seed_urls(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["extract", str(SEED)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == SEED_URLS


def test_seed_checks_green_against_its_sources(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    serve_seed_pages(seed_site)
    code, report = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    verdicts = {link["url"]: link["verdict"] for link in report["links"]}
    assert verdicts == {url: "ok" for url in SEED_URLS}, json.dumps(report["links"], indent=1)[:4000]
    assert code == 0
    assert report["schema"] == "linkcheck-report/1"
    assert report["summary"]["total"] == 8 and report["summary"]["ok"] == 8
    assert (tmp_path / "linkcheck.md").exists()
    pdf = next(link for link in report["links"] if link["url"] == SEED_URLS[1])
    assert pdf["title"]["found"] == "Japan-EU Digital Partnership"
    assert pdf["title"]["match"] is True


def test_seed_link_texts_are_expected_titles(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    serve_seed_pages(seed_site)
    _, report = _check(runner, seed_site, tmp_path)
    by_url = {link["url"]: link for link in report["links"]}
    joint = by_url[SEED_URLS[0]]
    assert joint["title"]["expected"] == "EU-Japan Joint Statement"
    assert joint["title"]["match"] is True
    assert joint["occurrences"][0]["text"] == "EU-Japan Joint Statement"
    assert len(joint["occurrences"]) == 2
    bare = by_url[SEED_URLS[6]]
    assert bare["title"] is None or bare["title"]["expected"] is None


def test_unrelated_title_is_a_title_mismatch(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    wrong = ("text/html; charset=utf-8", html_page("Annual report on competition policy 2021 - Consilium"))
    serve_seed_pages(seed_site, {"/en/press/press-releases/2022/05/12/joint-statement-eu-japan-summit-2022/": wrong})
    code, report = _check(runner, seed_site, tmp_path)
    joint = next(link for link in report["links"] if link["url"] == SEED_URLS[0])
    assert joint["verdict"] == "title_mismatch"
    assert joint["title"]["match"] is False
    assert joint["title"]["found"] == "Annual report on competition policy 2021 - Consilium"
    assert code == 1


def test_missing_page_is_broken_and_fails_the_run(runner: CliRunner, seed_site: SeedSite, tmp_path: Path) -> None:
    pages = {path: page for path, page in SEED_PAGES.items() if path != "/eeas/eu-japan-relations_en"}
    for path, (content_type, body) in pages.items():
        seed_site.serve(path, body, content_type)
    seed_site.serve("/eeas/eu-japan-relations_en", html_page("Not here"), status=404)
    code, report = _check(runner, seed_site, tmp_path, "--expect", str(SEED_MANIFEST))
    eeas = next(link for link in report["links"] if link["url"] == SEED_URLS[5])
    assert eeas["verdict"] == "broken"
    assert eeas["status"] == 404
    assert report["summary"]["broken"] == 1
    assert code == 1


def test_unreachable_hosts_are_network_errors(runner: CliRunner, tmp_path: Path) -> None:
    """Nothing listens where --resolve points: every link is network_error, never broken."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    hosts = {u.split("/")[2] for u in SEED_URLS}
    args = [a for h in sorted(hosts) for a in ("--resolve", f"{h}:443:127.0.0.1:{port}")]
    result = runner.invoke(
        cli, ["check", str(SEED), "-o", str(tmp_path), "--no-progress", "--no-cache", "--timeout", "3",
              "--retries", "0", *args],
    )
    assert result.exit_code == 1
    report = json.loads((tmp_path / "linkcheck.json").read_text(encoding="utf-8"))
    assert {link["verdict"] for link in report["links"]} == {"network_error"}
    assert report["summary"]["network_error"] == 8
