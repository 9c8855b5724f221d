"""Proxies: ``--proxy URL`` and ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY``, through a
tiny forward proxy (absolute-form GET for http) and CONNECT tunnel (https) started by the tests.

The target names (``site.test``) resolve nowhere on this machine: only the proxy knows where they
are, as on a CI runner whose DNS only the corporate proxy can use.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

import pytest
import trustme
from click.testing import CliRunner, Result

from linkcheck.cli import cli
from linkcheck.errors import UsageError
from linkcheck.proxy import parse_proxies
from tests.servers import ScriptedServer, closed_port, html, tls_server_context, write_ca


@dataclass
class Proxy:
    """An HTTP proxy on 127.0.0.1: forwards absolute-form requests and opens CONNECT tunnels, to the
    address ``hosts`` gives for a name (or to the literal address asked for)."""

    hosts: dict[str, str] = field(default_factory=dict)
    """name → 127.0.0.1 (the proxy's own "DNS")."""
    seen: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    """(method, target, headers) of every request the proxy received."""
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with asyncio.timeout(10):
                await self._one(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, TimeoutError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
        self.seen.append((method, target, headers))
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            upstream = await asyncio.open_connection(self.hosts.get(host.strip("[]"), host.strip("[]")), int(port))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await _pipe_both(reader, writer, *upstream)
            return
        # forward: rewrite the absolute-form target to origin-form, drop hop-by-hop proxy headers
        rest = target.split("://", 1)[1]
        authority, _, path = rest.partition("/")
        host, _, port = authority.rpartition(":")
        kept = [line for line in lines[1:] if line and not line.lower().startswith(("proxy-", "connection:"))]
        up_reader, up_writer = await asyncio.open_connection(self.hosts.get(host, host), int(port or 80))
        up_writer.write(("\r\n".join([f"{method} /{path} HTTP/1.1", *kept, "Connection: close"]) + "\r\n\r\n").encode())
        await up_writer.drain()
        answer = await up_reader.read()
        up_writer.close()
        writer.write(answer.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n", 1))
        await writer.drain()


async def _pipe_both(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     up_reader: asyncio.StreamReader, up_writer: asyncio.StreamWriter) -> None:
    async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError):
            while data := await source.read(65536):
                sink.write(data)
                await sink.drain()
        with contextlib.suppress(Exception):
            sink.close()

    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


def _invoke(runner: CliRunner, doc: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> Result:
    args = ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress", "--retries", "0", "--timeout", "5",
            "-f", "json", *extra]
    clean = {name: None for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy",
                                     "https_proxy", "all_proxy", "no_proxy")}
    return runner.invoke(cli, args, env={**clean, **(env or {})})  # type: ignore[dict-item]


def _links(out: Path) -> dict[str, dict[str, Any]]:
    return {link["url"]: link for link in json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"]}


def _doc(tmp_path: Path, *urls: str) -> Path:
    doc = tmp_path / "doc.txt"
    doc.write_text("\n".join(urls) + "\n", encoding="utf-8")
    return doc


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_http_target_goes_through_the_forward_proxy_of_the_environment(
    runner: CliRunner, tmp_path: Path, variable: str
) -> None:
    async def scenario() -> tuple[Result, str, Proxy, ScriptedServer]:
        async with ScriptedServer({"/page": html("Through the proxy")}) as site, Proxy() as proxy:
            proxy.hosts["site.test"] = "127.0.0.1"
            url = f"http://site.test:{site.port}/page"
            result = await asyncio.to_thread(_invoke, runner, _doc(tmp_path, url), tmp_path / "out",
                                             env={variable: proxy.url})
            return result, url, proxy, site

    result, url, proxy, site = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    assert _links(tmp_path / "out")[url]["verdict"] == "ok"
    assert [(m, t) for m, t, _ in proxy.seen] == [("GET", url)]
    assert site.requests[0].headers["host"] == url.split("/")[2]


def test_https_target_goes_through_a_connect_tunnel_with_tls_to_the_target(
    runner: CliRunner, tmp_path: Path, tls_ca: trustme.CA
) -> None:
    ca = write_ca(tls_ca, tmp_path / "ca.pem")

    async def scenario() -> tuple[Result, str, Proxy, ScriptedServer]:
        tls = tls_server_context(tls_ca, "secure.test")
        async with ScriptedServer({"/doc": html("Tunnelled")}, tls=tls) as site, Proxy() as proxy:
            proxy.hosts["secure.test"] = "127.0.0.1"
            url = f"https://secure.test:{site.port}/doc"
            result = await asyncio.to_thread(_invoke, runner, _doc(tmp_path, url), tmp_path / "out",
                                             "--ca-bundle", str(ca), env={"HTTPS_PROXY": proxy.url})
            return result, url, proxy, site

    result, url, proxy, site = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    assert _links(tmp_path / "out")[url]["verdict"] == "ok"
    port = url.split(":")[2].split("/")[0]
    assert [(m, t) for m, t, _ in proxy.seen] == [("CONNECT", f"secure.test:{port}")]
    assert site.requests[0].headers["host"] == f"secure.test:{port}"


def test_proxy_option_with_credentials_wins_over_the_environment(runner: CliRunner, tmp_path: Path) -> None:
    async def scenario() -> tuple[Result, Proxy, Proxy, ScriptedServer]:
        async with ScriptedServer({"/p": html("Option")}) as site, Proxy() as chosen, Proxy() as ignored:
            chosen.hosts["site.test"] = ignored.hosts["site.test"] = "127.0.0.1"
            url = f"http://site.test:{site.port}/p"
            with_user = chosen.url.replace("http://", "http://ci%40corp:pa%3Ass@")
            result = await asyncio.to_thread(_invoke, runner, _doc(tmp_path, url), tmp_path / "out",
                                             "--proxy", with_user, env={"HTTP_PROXY": ignored.url})
            return result, chosen, ignored, site

    result, chosen, ignored, site = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    assert ignored.seen == []
    import base64

    assert chosen.seen[0][2]["proxy-authorization"] == "Basic " + base64.b64encode(b"ci@corp:pa:ss").decode()
    assert "proxy-authorization" not in site.requests[0].headers


def test_no_proxy_hosts_are_reached_directly(runner: CliRunner, tmp_path: Path) -> None:
    async def scenario() -> tuple[Result, Proxy, ScriptedServer]:
        async with ScriptedServer(default=html("Direct")) as site, Proxy() as proxy:
            proxy.hosts["far.test"] = "127.0.0.1"
            doc = _doc(tmp_path, f"http://docs.internal.test:{site.port}/a", f"http://far.test:{site.port}/b")
            result = await asyncio.to_thread(
                _invoke, runner, doc, tmp_path / "out", "--resolve", f"docs.internal.test:{site.port}:127.0.0.1",
                env={"HTTP_PROXY": proxy.url, "NO_PROXY": "localhost, .internal.test"})
            return result, proxy, site

    result, proxy, site = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    assert [t.split(":")[1] for _, t, _ in proxy.seen] == ["//far.test"]
    assert sorted(r.path for r in site.requests) == ["/a", "/b"]


def test_refused_target_through_a_proxy_is_excluded_and_never_sent(runner: CliRunner, tmp_path: Path) -> None:
    async def scenario() -> tuple[Result, str, str, Proxy, ScriptedServer]:
        async with ScriptedServer(default=html("Page")) as site, Proxy() as proxy:
            proxy.hosts["public.test"] = "127.0.0.1"
            allowed = f"http://public.test:{site.port}/ok"
            refused = f"http://localhost:{site.port}/admin"
            mapped = f"http://mapped.test:{site.port}/m"
            result = await asyncio.to_thread(
                _invoke, runner, _doc(tmp_path, allowed, refused, mapped), tmp_path / "out", "--proxy", proxy.url,
                "--exclude-loopback", "--resolve", f"mapped.test:{site.port}:127.0.0.1")
            return result, allowed, refused, proxy, site

    result, allowed, refused, proxy, site = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    links = _links(tmp_path / "out")
    assert links[allowed]["verdict"] == "ok"
    assert links[refused]["verdict"] == "excluded"
    assert links[refused]["error"].startswith("refused: loopback address")
    mapped = next(u for u in links if "mapped.test" in u)
    assert links[mapped]["verdict"] == "excluded", "the --resolve address is the target's address"
    assert [t for _, t, _ in proxy.seen] == [allowed]
    assert [r.path for r in site.requests] == ["/ok"]


def test_resolved_target_is_tunnelled_to_its_mapped_address(runner: CliRunner, tmp_path: Path) -> None:
    async def scenario() -> tuple[Result, int, Proxy, ScriptedServer]:
        async with ScriptedServer(default=html("Mapped")) as site, Proxy() as proxy:
            url = f"http://mapped.test:{site.port}/m"
            result = await asyncio.to_thread(_invoke, runner, _doc(tmp_path, url), tmp_path / "out",
                                             "--proxy", proxy.url, "--resolve", f"mapped.test:{site.port}:127.0.0.1")
            return result, site.port, proxy, site

    result, port, proxy, site = asyncio.run(scenario())
    assert result.exit_code == 0, result.output
    assert [(m, t) for m, t, _ in proxy.seen] == [("CONNECT", f"127.0.0.1:{port}")]
    assert site.requests[0].headers["host"] == f"mapped.test:{port}"


def test_proxy_that_is_down_is_a_network_error_naming_the_proxy(runner: CliRunner, tmp_path: Path) -> None:
    port = closed_port()
    url = "http://site.test/page"
    result = _invoke(runner, _doc(tmp_path, url), tmp_path / "out", env={"HTTP_PROXY": f"http://127.0.0.1:{port}"})
    assert result.exit_code == 1
    link = _links(tmp_path / "out")[url]
    assert link["verdict"] == "network_error"
    assert link["error"] == f"proxy error: cannot connect to proxy http://127.0.0.1:{port} (connection refused)"


def test_unsupported_proxy_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = _invoke(runner, _doc(tmp_path, "https://example.org/"), tmp_path / "out",
                     env={"ALL_PROXY": "socks5://127.0.0.1:1080"})
    assert result.exit_code == 2
    assert "socks5:// proxies are not supported" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("no_proxy", "host", "excluded"),
    [
        pytest.param("example.org", "example.org", True, id="same-name"),
        pytest.param("example.org", "www.example.org", True, id="subdomain"),
        pytest.param(".example.org", "www.example.org", True, id="leading-dot"),
        pytest.param("example.org", "notexample.org", False, id="not-a-suffix-match"),
        pytest.param("*", "anything.test", True, id="star"),
        pytest.param("10.0.0.0/8", "10.1.2.3", True, id="cidr"),
        pytest.param("10.0.0.0/8", "11.1.2.3", False, id="outside-cidr"),
        pytest.param("::1", "[::1]", True, id="ipv6"),
        pytest.param("a.test, b.test", "b.test", True, id="list-with-spaces"),
        pytest.param("", "example.org", False, id="empty"),
    ],
)
def test_no_proxy_rules_as_curl_reads_them(no_proxy: str, host: str, excluded: bool) -> None:
    proxies = parse_proxies(None, {"HTTPS_PROXY": "proxy.corp:3128", "NO_PROXY": no_proxy})
    assert (proxies.for_url("https", host) is None) is excluded


def test_lower_case_variable_wins_and_scheme_is_chosen_per_target() -> None:
    proxies = parse_proxies(None, {"http_proxy": "http://low:1", "HTTP_PROXY": "http://up:2", "HTTPS_PROXY": "s:3"})
    assert str(proxies.for_url("http", "a.test")) == "http://low:1"
    assert str(proxies.for_url("https", "a.test")) == "http://s:3"
    with pytest.raises(UsageError):
        parse_proxies("https://secure-proxy:443", {})
