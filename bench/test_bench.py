"""Checks of the benchmark harness itself: the server answers as documented, the
expected figures are right, and a tool's answers are compared honestly.

Run: .venv/bin/python -m pytest bench/test_bench.py -q -p no:cacheprovider
"""

from __future__ import annotations

import http.client
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (  # noqa: E402
    BenchServer,
    Doc,
    Found,
    _parity,
    build_scenarios,
    build_tools,
    render_table,
    run_check,
    write_doc,
)
from server import host_address, page_path  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[BenchServer]:
    bench = BenchServer()
    yield bench
    bench.close()


def _get(
    server: BenchServer, host: int, path: str, conn: http.client.HTTPConnection | None = None
) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, bytes]:
    conn = conn or http.client.HTTPConnection(host_address(host), server.port, timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    return conn, response, response.read()


def _get_once(server: BenchServer, host: int, path: str) -> tuple[http.client.HTTPResponse, bytes]:
    conn, response, body = _get(server, host, path)
    conn.close()
    return response, body


def test_pages_answer_by_number_with_their_title(server: BenchServer) -> None:
    ok, body = _get_once(server, 0, page_path(12))
    assert ok.status == 200 and "<title>Page 12 – Bench</title>".encode() in body
    missing, _ = _get_once(server, 0, page_path(13))
    assert missing.status == 404
    moved, _ = _get_once(server, 1, page_path(17))
    assert moved.status == 301
    assert moved.getheader("Location") == f"http://{host_address(1)}:{server.port}{page_path(17)}/final"
    final, body = _get_once(server, 1, page_path(17) + "/final")
    assert final.status == 200 and b"Page 17" in body


def test_server_counts_requests_connections_and_in_flight_per_host(server: BenchServer) -> None:
    server.reset()
    conn, _, _ = _get(server, 2, page_path(1, delay_ms=5))
    for i in range(2, 5):  # the same keep-alive connection
        _get(server, 2, page_path(i, delay_ms=5), conn)
    conn.close()
    stats = server.stats()
    host = stats["hosts"][host_address(2)]
    assert host["requests"] == 4
    assert host["connections"] == 1
    assert host["max_in_flight"] == 1
    assert host["statuses"] == {"200": 3, "404": 1}
    assert stats["total"]["requests"] == 4


def test_documents_list_every_link_and_the_physical_limit(server: BenchServer, tmp_path: Path) -> None:
    slow = next(s for s in build_scenarios(quick=False) if s.name == "slow-2k")
    doc = write_doc(slow, server.port, tmp_path)
    assert len(doc.urls) == 2000 and len(doc.broken) == 200
    assert doc.requests == 2200
    assert doc.limit == pytest.approx(13.75)
    text = doc.md.read_text(encoding="utf-8")
    assert text.count("](http://127.0.0.") == 2000
    assert doc.html.read_text(encoding="utf-8").count("<a href=") == 2000


def test_parity_names_what_a_tool_missed() -> None:
    doc = Doc(Path("a"), Path("b"), frozenset({"u1", "u2", "u3"}), frozenset({"u3"}), 3, 1.0)
    assert _parity(Found(frozenset({"u1", "u2", "u3"}), frozenset({"u3"})), doc) == "ok"
    verdict = _parity(Found(frozenset({"u1", "u3"}), frozenset()), doc)
    assert verdict.startswith("MISMATCH") and "missed 1" in verdict and "broken 0/1" in verdict


def test_a_real_run_of_an_installed_tool_is_measured_and_checked(server: BenchServer, tmp_path: Path) -> None:
    tools = build_tools()
    tool = next((tools[name] for name in ("lychee", "linkcheck") if tools[name].available()), None)
    if tool is None:
        pytest.skip("no checker installed")
    scenario = next(s for s in build_scenarios(quick=True) if s.name == "fast-2k")
    doc = write_doc(scenario, server.port, tmp_path / "doc")
    measurement = run_check(scenario, tool, doc, server, tmp_path, 1, lambda _text: None)
    assert measurement.parity == "ok"
    assert measurement.links == 200 and measurement.broken == 20
    assert measurement.requests >= 220 and measurement.max_rss_mb > 1
    table = render_table([measurement])
    assert f"| fast-2k | {tool.name} | 200 | 20 | ok |" in table
    assert json.loads((tmp_path / "fast-2k" / tool.name / "run0" / "server-stats.json").read_text())["total"]
