"""One page linked under many ``#fragments``: fetched once, every fragment checked against it, and
every URL still its own entry in the report (``run.check_targets`` through ``linkcheck check``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner, Result

from linkcheck.cli import cli
from tests.servers import ScriptedServer, html, redirect


def test_one_page_many_fragments_is_fetched_once(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, str, ScriptedServer]:
        page = html("Guide", ids=("install", "usage", "faq"))
        async with ScriptedServer({"/guide": page, "/old-guide": redirect("/guide", 302)}) as server:
            base = server.url("/guide")
            doc = tmp_path / "doc.txt"
            doc.write_text(
                f"{base}#install\n{base}#usage\n{base}#removed\n{base}\n"
                f"{server.url('/old-guide')}#faq\n{server.url('/old-guide')}#nothing\n",
                encoding="utf-8",
            )
            args = ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress", "--retries", "0", "-f", "json"]
            return await asyncio.to_thread(runner.invoke, cli, args), base, server

    result, base, server = asyncio.run(scenario())
    assert result.exit_code == 1, result.output  # #removed and #nothing are missing
    assert [r.path for r in server.requests].count("/guide") == 2, "once directly, once behind /old-guide"
    assert [r.path for r in server.requests].count("/old-guide") == 1
    links = {link["url"]: link for link in json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"]}
    assert len(links) == 6
    assert links[f"{base}#install"]["verdict"] == links[f"{base}#usage"]["verdict"] == links[base]["verdict"] == "ok"
    assert links[f"{base}#removed"]["verdict"] == "broken"
    assert links[f"{base}#removed"]["error"] == "fragment_missing: #removed"
    assert links[f"{base}#usage"]["final_url"] == f"{base}#usage"
    old = base.replace("/guide", "/old-guide")
    assert links[f"{old}#faq"]["verdict"] == "ok"
    assert links[f"{old}#faq"]["final_url"] == f"{base}#faq"
    assert links[f"{old}#nothing"]["verdict"] == "broken"


def test_a_fragment_excluded_after_its_page_was_announced_leaves_one_fetch(runner: CliRunner, tmp_path: Path) -> None:
    """Targets are made while the first checks run; one found excluded gives its share of the page
    back, and the page is still fetched once for the fragments that are checked."""
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, str, ScriptedServer]:
        async with ScriptedServer({"/guide": html("Guide", ids=("install", "usage"))}) as server:
            base = server.url("/guide")
            doc = tmp_path / "doc.txt"
            doc.write_text(f"{base}#private\n{base}#install\n{base}#usage\n", encoding="utf-8")
            args = ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress", "--retries", "0", "-f", "json",
                    "--exclude", "#private"]
            return await asyncio.to_thread(runner.invoke, cli, args), base, server

    result, base, server = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    assert [r.path for r in server.requests].count("/guide") == 1
    links = {link["url"]: link for link in json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"]}
    assert list(links) == [f"{base}#private", f"{base}#install", f"{base}#usage"]
    assert links[f"{base}#private"]["verdict"] == "excluded"
    assert links[f"{base}#install"]["verdict"] == links[f"{base}#usage"]["verdict"] == "ok"
