"""``--host-header 'HOST=Name: value'`` and ``[hosts."HOST"] headers``: one host's credentials
reach that host only, never another cited site, also not through a redirect."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from linkcheck.cli import cli
from tests.servers import ScriptedServer, html, redirect

SECRET = "Bearer s3cr3t-for-api-only"


async def _run_with_servers(runner: CliRunner, tmp_path: Path, extra: list[str]) -> tuple[Result, ScriptedServer, ScriptedServer]:
    async with ScriptedServer(default=html("API docs")) as api, ScriptedServer(default=html("Other site")) as other:
        api.routes["/to-other"] = redirect(f"http://other.test:{other.port}/landed", 302)
        other.routes["/to-api"] = redirect(f"http://api.test:{api.port}/back", 301)
        doc = tmp_path / "doc.txt"
        doc.write_text(
            f"http://api.test:{api.port}/a\nhttp://other.test:{other.port}/b\n"
            f"http://api.test:{api.port}/to-other\nhttp://other.test:{other.port}/to-api\n",
            encoding="utf-8",
        )
        args = ["check", str(doc), "-o", str(tmp_path / "out"), "--no-cache", "--no-progress", "--retries", "0",
                "--resolve", f"api.test:{api.port}:127.0.0.1", "--resolve", f"other.test:{other.port}:127.0.0.1",
                *extra]
        result = await asyncio.to_thread(runner.invoke, cli, args)
        return result, api, other


def _assert_only_api_got_it(api: ScriptedServer, other: ScriptedServer, name: str = "authorization") -> None:
    assert sorted(r.path for r in api.requests) == ["/a", "/back", "/to-other"]
    assert sorted(r.path for r in other.requests) == ["/b", "/landed", "/to-api"]
    assert all(r.headers.get(name) == SECRET for r in api.requests)
    assert all(name not in r.headers for r in other.requests)


def test_host_header_goes_to_its_host_only_also_across_redirects(runner: CliRunner, tmp_path: Path) -> None:
    result, api, other = asyncio.run(_run_with_servers(runner, tmp_path, ["--host-header", f"api.test=Authorization: {SECRET}"]))
    assert result.exit_code == 0, result.output
    _assert_only_api_got_it(api, other)
    assert "warning" not in result.stderr


def test_host_header_with_a_port_matches_that_port_only(runner: CliRunner, tmp_path: Path) -> None:
    result, api, other = asyncio.run(_run_with_servers(runner, tmp_path, ["--host-header", f"api.test:1=X-Token: {SECRET}"]))
    assert result.exit_code == 0, result.output
    assert all("x-token" not in r.headers for r in api.requests + other.requests)


def test_hosts_table_of_the_settings_file(runner: CliRunner, tmp_path: Path) -> None:
    settings = tmp_path / "linkcheck.toml"
    settings.write_text(f'[hosts."api.test"]\nheaders = {{ Authorization = "{SECRET}" }}\n', encoding="utf-8")
    result, api, other = asyncio.run(_run_with_servers(runner, tmp_path, ["--config", str(settings)]))
    assert result.exit_code == 0, result.output
    _assert_only_api_got_it(api, other)


def test_credential_for_every_host_is_warned_about(runner: CliRunner, tmp_path: Path) -> None:
    result, api, other = asyncio.run(_run_with_servers(runner, tmp_path, ["--header", f"Authorization: {SECRET}"]))
    assert result.exit_code == 0, result.output
    assert "warning: --header Authorization is sent to every host" in result.stderr
    assert "--host-header" in result.stderr
    assert {r.path for r in other.requests if r.headers.get("authorization") == SECRET} == {"/b", "/to-api"}


@pytest.mark.parametrize("value", ["api.test", "=Authorization: x", "api.test=Authorization", "api.test:http=A: b",
                                   "api.test=Bad Name: x"])
def test_malformed_host_header_is_a_usage_error(runner: CliRunner, tmp_path: Path, value: str) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("https://example.org/\n", encoding="utf-8")
    result = runner.invoke(cli, ["check", str(doc), "--no-cache", "--host-header", value])
    assert result.exit_code == 2
    assert result.stderr.startswith("linkcheck: error: --host-header") and "Traceback" not in result.stderr
