"""Safety end to end through ``linkcheck check`` against real servers.

* Hostile titles, link texts, URLs and error texts render as text in the HTML and Markdown
  reports and never reach the console as control sequences.
* ``Authorization``, ``Cookie``, ``--header`` values and URL credentials never go to another host
  on redirect.
* ``--exclude-loopback`` / ``--exclude-private`` / ``--exclude-link-local`` /
  ``--exclude-all-private`` judge the *address connected to*, on every hop: a public-looking name
  that resolves (or is ``--resolve``-d) to 127.0.0.1, ``localhost``, ``0.0.0.0``, an IPv4-mapped
  IPv6 literal, or a redirect into a private network are all refused before any byte is sent, and
  reported ``excluded`` with the reason (a refusal is the run's choice, not a broken link).
* Redirects to ``file:``, ``ftp:`` and other schemes are never followed.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result
from markdown_it import MarkdownIt

from linkcheck.cli import cli
from tests.servers import ScriptedServer, html, raw, redirect, respond

HOSTILE_TITLE = ("Evil \x1b[31mRED\x1b[0m \x1b]0;pwned-title\x07 <script>alert('title')</script> "
                 "](javascript:alert('md')) <img src=x onerror=alert('img')>")
HOSTILE_LINK_TEXT = "Expected \x1b]0;pwned-text\x07 <b>bold</b> \x1b[2J cleared"
OWN_PROGRESS_SEQUENCE = "\r\x1b[2K"
"""The one control sequence the tool itself writes (progress line erase)."""
SECRET = "SeCrEt-7f3a"


def _invoke(runner: CliRunner, args: list[str]) -> Result:
    return runner.invoke(cli, args)


async def _invoke_with_server(runner: CliRunner, args: list[str]) -> Result:
    """The CLI runs in a thread so that the servers on this event loop keep answering."""
    return await asyncio.to_thread(_invoke, runner, args)


def _base_args(doc: Path, out: Path) -> list[str]:
    return ["check", str(doc), "-o", str(out), "--no-cache", "--timeout", "3", "--retries", "0"]


def _links(out: Path) -> dict[str, dict[str, Any]]:
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    return {link["url"]: link for link in report["links"]}


def _escaped_page(title: str) -> bytes:
    text = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<!doctype html><html><head><title>{text}</title></head><body><p>hi</p></body></html>".encode()


# --------------------------------------------------------------------------------------------
# Hostile text


def test_hostile_titles_urls_and_errors_render_as_text_and_never_reach_the_console(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    routes = {
        "/title": respond(200, _escaped_page(HOSTILE_TITLE)),
        "/gone": respond(404, b"gone"),
        "/garbage": raw(b"HTTP/1.1 2\x1b[31m00 <script>alert('err')</script>\r\n\r\n"),
    }

    async def scenario() -> tuple[Result, str]:
        async with ScriptedServer(routes) as server:
            doc = tmp_path / "doc.html"
            hostile_url = server.url("/gone") + "?q=<script>alert('url')</script>"
            doc.write_text(
                "<html><body>"
                f'<a href="{server.url("/title")}">{HOSTILE_LINK_TEXT.replace("<", "&lt;")}</a>'
                f'<a href="{hostile_url.replace("<", "&lt;")}">gone</a>'
                f'<a href="{server.url("/garbage")}">garbage</a>'
                "</body></html>",
                encoding="utf-8",
            )
            args = [*_base_args(doc, out), "--progress", "-f", "json", "-f", "markdown", "-f", "html"]
            return await _invoke_with_server(runner, args), hostile_url

    result, hostile_url = asyncio.run(scenario())

    assert result.exit_code == 1, result.output
    links = _links(out)
    assert set(links) == {hostile_url, *(u for u in links if not u.startswith(hostile_url))}
    assert len(links) == 3
    # The console shows the failures (so the hostile texts were printed) but no sequence of theirs.
    console = result.output.replace(OWN_PROGRESS_SEQUENCE, "")
    assert "title_mismatch" in console and "Evil" in console and "alert('url')" in console
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]", console.replace("\n", "")), repr(console)

    page = (out / "linkcheck.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(page, "html.parser")
    assert all("alert" not in (script.string or "") for script in soup.find_all("script"))
    assert not soup.find_all(lambda tag: tag.has_attr("onerror"))
    assert not soup.find_all(["b", "img"])
    assert not [a for a in soup.find_all("a") if str(a.get("href", "")).lower().startswith("javascript:")]
    visible = soup.get_text()
    for needle in ("<script>alert('title')</script>", "](javascript:alert('md'))", "<b>bold</b>",
                   "<script>alert('url')</script>"):
        assert needle in visible, needle
    assert "\x1b" not in page and "\x07" not in page

    markdown = (out / "linkcheck.md").read_text(encoding="utf-8")
    assert "\x1b" not in markdown and "\x07" not in markdown
    rendered = MarkdownIt("commonmark").render(markdown)  # raw HTML allowed, as many viewers do
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert 'href="javascript:' not in rendered.lower()
    shown = BeautifulSoup(rendered, "html.parser").get_text()
    for needle in ("<script>alert('title')</script>", "](javascript:alert('md'))", "<b>bold</b>"):
        assert needle in shown, needle


def test_hostile_file_name_in_an_error_is_stripped_on_the_console(runner: CliRunner, tmp_path: Path) -> None:
    name = str(tmp_path / "missing-\x1b]0;pwned\x07-\x1b[31mred.md")
    result = _invoke(runner, ["check", name, "-o", str(tmp_path / "out"), "--no-cache"])
    assert result.exit_code == 2
    assert "missing-" in result.output and "red.md" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


# --------------------------------------------------------------------------------------------
# Credentials and headers across hosts


def test_secrets_stay_with_the_link_host_across_a_redirect_to_another_host(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, ScriptedServer, ScriptedServer]:
        async with ScriptedServer() as other, ScriptedServer() as home:
            elsewhere = f"http://other.example:{other.port}"
            home.routes.update({
                "/away": redirect(f"{elsewhere}/landing", 302),
                "/away-with-userinfo": redirect(f"{elsewhere}/landing2", 302),
                "/same": redirect("/same-landing", 302),
                "/same-landing": html("Same host"),
            })
            other.routes.update({"/landing": html("Landing"), "/landing2": html("Landing")})
            doc = tmp_path / "doc.txt"
            doc.write_text(
                f"http://home.example:{home.port}/away\n"
                f"http://user:{SECRET}@home.example:{home.port}/away-with-userinfo\n"
                f"http://home.example:{home.port}/same\n",
                encoding="utf-8",
            )
            args = [*_base_args(doc, out), "-f", "json", "-f", "markdown",
                    "--resolve", f"home.example:{home.port}:127.0.0.1",
                    "--resolve", f"other.example:{other.port}:127.0.0.1",
                    "--header", f"Authorization: Bearer {SECRET}",
                    "--header", f"Cookie: session={SECRET}",
                    "--header", f"X-Api-Key: {SECRET}"]
            result = await _invoke_with_server(runner, args)
            return result, home, other

    result, home, other = asyncio.run(scenario())

    assert result.exit_code == 0, result.output
    assert sorted(r.path for r in other.requests) == ["/landing", "/landing2"]
    for request in other.requests:
        assert not {"authorization", "cookie", "x-api-key"} & set(request.headers), request.headers
        assert SECRET not in json.dumps(request.headers)
    home_paths = {r.path: r.headers for r in home.requests}
    assert set(home_paths) == {"/away", "/away-with-userinfo", "/same", "/same-landing"}
    for path in ("/away", "/same", "/same-landing"):  # the link's own host gets everything
        assert home_paths[path]["x-api-key"] == SECRET
        assert home_paths[path]["cookie"] == f"session={SECRET}"
    assert all(r.headers["host"].startswith("home.example:") for r in home.requests)
    assert all(r.headers["host"].startswith("other.example:") for r in other.requests)
    assert SECRET not in result.output
    for report in out.iterdir():
        assert SECRET not in report.read_text(encoding="utf-8"), report.name


# --------------------------------------------------------------------------------------------
# Address refusal


@pytest.mark.parametrize(
    "flag, host, resolve_to",
    [
        pytest.param("--exclude-loopback", "127.0.0.1", None, id="loopback-literal"),
        pytest.param("--exclude-loopback", "public.example", "127.0.0.1", id="public-name-resolved-to-loopback"),
        pytest.param("--exclude-loopback", "localhost", None, id="localhost-by-dns"),
        pytest.param("--exclude-loopback", "0.0.0.0", None, id="unspecified-reaches-this-host"),
        pytest.param("--exclude-loopback", "[::ffff:127.0.0.1]", None, id="ipv4-mapped-ipv6"),
        pytest.param("--exclude-all-private", "public.example", "127.0.0.1", id="all-private"),
    ],
)
def test_loopback_targets_are_refused_before_any_request(
    runner: CliRunner, tmp_path: Path, flag: str, host: str, resolve_to: str | None
) -> None:
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, str, ScriptedServer]:
        async with ScriptedServer({"/": html("Internal admin")}) as server:
            url = f"http://{host}:{server.port}/"
            doc = tmp_path / "doc.txt"
            doc.write_text(url + "\n", encoding="utf-8")
            args = [*_base_args(doc, out), flag, "-f", "json"]
            if resolve_to:
                args += ["--resolve", f"{host}:{server.port}:{resolve_to}"]
            return await _invoke_with_server(runner, args), url, server

    result, url, server = asyncio.run(scenario())

    assert result.exit_code == 0, result.output  # a refused target is excluded, not a failure
    assert server.requests == []
    link = _links(out)[url]
    assert link["verdict"] == "excluded"
    assert link["status"] is None
    assert link["error"].startswith("refused: loopback address"), link["error"]


def test_without_the_flag_the_same_loopback_target_is_checked(runner: CliRunner, tmp_path: Path) -> None:
    """The control case of the test above: the refusal comes from the flag, not the setup."""
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, ScriptedServer]:
        async with ScriptedServer({"/": html("Internal admin")}) as server:
            doc = tmp_path / "doc.txt"
            doc.write_text(f"http://public.example:{server.port}/\n", encoding="utf-8")
            args = [*_base_args(doc, out), "--exclude-private", "--exclude-link-local",
                    "--resolve", f"public.example:{server.port}:127.0.0.1"]
            return await _invoke_with_server(runner, args), server

    result, server = asyncio.run(scenario())

    assert result.exit_code == 0, result.output
    assert [r.path for r in server.requests] == ["/"]


def test_redirects_into_private_and_link_local_networks_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    """An allowed host (loopback is allowed here) redirecting to the cloud metadata address or to a
    name that resolves into 10/8: refused before connecting (a connect would time out instead)."""
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, str, ScriptedServer]:
        async with ScriptedServer() as server:
            server.routes.update({
                "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/", 302),
                "/to-intranet": redirect("http://intranet.example/admin", 302),
            })
            doc = tmp_path / "doc.txt"
            doc.write_text(f"{server.url('/to-metadata')}\n{server.url('/to-intranet')}\n", encoding="utf-8")
            args = [*_base_args(doc, out), "--exclude-private", "--exclude-link-local", "-f", "json",
                    "--resolve", "intranet.example:80:10.20.30.40"]
            return await _invoke_with_server(runner, args), server.origin, server

    result, origin, server = asyncio.run(scenario())

    assert result.exit_code == 0, result.output
    assert sorted(r.path for r in server.requests) == ["/to-intranet", "/to-metadata"]
    links = _links(out)
    metadata, intranet = links[origin + "/to-metadata"], links[origin + "/to-intranet"]
    assert metadata["verdict"] == intranet["verdict"] == "excluded"
    assert metadata["error"].startswith("refused: link-local address"), metadata["error"]
    assert intranet["error"].startswith("refused: private address"), intranet["error"]
    assert [hop["status"] for hop in metadata["redirects"]] == [302]


# --------------------------------------------------------------------------------------------
# Schemes in redirects


@pytest.mark.parametrize(
    "location",
    [
        "file:///etc/passwd",
        "ftp://ftp.example.org/pub/file.txt",
        "gopher://127.0.0.1:70/1",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "mailto:someone@example.org",
    ],
)
def test_redirect_to_another_scheme_is_never_followed(runner: CliRunner, tmp_path: Path, location: str) -> None:
    out = tmp_path / "out"

    async def scenario() -> tuple[Result, str]:
        async with ScriptedServer({"/r": redirect(location, 301)}) as server:
            doc = tmp_path / "doc.txt"
            doc.write_text(server.url("/r") + "\n", encoding="utf-8")
            return await _invoke_with_server(runner, [*_base_args(doc, out), "-f", "json"]), server.url("/r")

    result, url = asyncio.run(scenario())

    assert result.exit_code == 1, result.output
    link = _links(out)[url]
    assert link["verdict"] == "broken"
    assert "unsupported scheme" in link["error"]
    assert link["final_url"] == url
    assert "root:x:0:0" not in (out / "linkcheck.json").read_text(encoding="utf-8")
