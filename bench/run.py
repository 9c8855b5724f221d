"""Benchmark linkcheck against lychee, LinkChecker and linkinator on a local server.

Run ``bench/install_peers.sh`` once, then ``python bench/run.py`` (``--quick`` for a
smoke run, ``--scenario NAME`` and ``--tools a,b`` to narrow it). Every target is on
127.0.0.x (bench/server.py, started and stopped here); results go to stdout as a
Markdown table and to ``bench/out/``.

Why each tool's answers are parsed: a fast checker that skips links is not faster,
so a run only counts when the tool reported exactly the links of the document and
exactly the broken ones (the server decides which, see server.py).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server import expected_status, host_address, page_path, page_title  # noqa: E402

__all__ = [
    "DEFAULT_LONG_RUN",
    "DEFAULT_REPEAT",
    "DEFAULT_TIMEOUT",
    "Measurement",
    "Scenario",
    "Tool",
    "build_scenarios",
    "build_tools",
    "main",
]

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
PEERS = BENCH / ".peers"
DEFAULT_OUT = BENCH / "out"
DEFAULT_REPEAT = 3
DEFAULT_TIMEOUT = 20
DEFAULT_LONG_RUN = 20.0  # seconds: a run longer than this is not repeated
DEFAULT_TOOLS = ("linkcheck", "lychee", "linkchecker", "linkinator")
_FAILING_VERDICTS = {"broken", "soft_404", "title_mismatch", "timeout", "network_error", "invalid"}


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True)
class Group:
    """``count`` links spread over ``hosts`` hosts (starting at host ``first_host``), all at one latency."""

    count: int
    hosts: int
    delay_ms: int
    first_host: int = 0
    body_kb: int = 0


@dataclass(frozen=True)
class Scenario:
    name: str
    what: str
    groups: tuple[Group, ...]
    concurrency: int
    per_host: int
    repeat: int = DEFAULT_REPEAT
    tools: tuple[str, ...] = DEFAULT_TOOLS
    kind: str = "check"  # "check", "warm-cache", "startup", "extract"
    extract_mb: int = 0

    @property
    def links(self) -> int:
        return sum(g.count for g in self.groups)


def build_scenarios(quick: bool) -> list[Scenario]:
    """The scenarios of the issue; ``quick`` divides every size by ten and runs each once."""
    k = 10 if quick else 1
    rep = 1 if quick else DEFAULT_REPEAT

    def fast20(n: int, ms: int) -> Group:
        return Group(n // k, 20, ms)

    scenarios = [
        Scenario(
            "fast-2k", "2,000 links on 20 hosts answering at once; c16", (fast20(2000, 0),), 16, 16, rep
        ),
        Scenario("slow-2k", "2,000 links on 20 hosts at 100 ms; c16", (fast20(2000, 100),), 16, 16, rep),
    ]
    for per_host in (4, 16, 64):
        scenarios.append(
            Scenario(
                f"one-host-ph{per_host}",
                f"200 links on one host at 100 ms; c64, per-host {per_host}",
                (Group(200 // k, 1, 100),),
                64,
                per_host,
                rep,
            )
        )
    scenarios += [
        Scenario(
            "mixed",
            "1,000 links on one host at 500 ms + 1,000 on 20 fast hosts; c64, per-host 32 (fairness)",
            (Group(1000 // k, 1, 500), Group(1000 // k, 20, 0, first_host=1)),
            64,
            32,
            1,
        ),
        Scenario("memory-10k", "10,000 links on 20 hosts at 20 ms; c16", (fast20(10000, 20),), 16, 16, 1),
        Scenario(
            "warm-cache",
            "slow-2k again with --cache F: one cold run, then warm reruns",
            (fast20(2000, 100),),
            16,
            16,
            rep,
            ("linkcheck",),
            "warm-cache",
        ),
        Scenario("startup", "`--help` start-up time (median of 5)", (), 1, 1, 5, DEFAULT_TOOLS, "startup"),
        Scenario(
            "extract",
            f"{50 // k} MB plain text: `extract` throughput (lychee: `--dump`)",
            (),
            1,
            1,
            rep,
            ("linkcheck", "lychee"),
            "extract",
            50 // k,
        ),
    ]
    return scenarios


@dataclass(frozen=True)
class Doc:
    """A generated document and what a correct checker must report about it."""

    md: Path
    html: Path
    urls: frozenset[str]
    broken: frozenset[str]
    requests: int
    limit: float  # seconds: requests × latency ÷ usable concurrency, the best any tool can do


def write_doc(scenario: Scenario, port: int, folder: Path) -> Doc:
    """Markdown and HTML with the same links, each link's text the title its page carries."""
    folder.mkdir(parents=True, exist_ok=True)
    md_lines = [f"# {scenario.name}", "", scenario.what, ""]
    html_lines = [f"<!doctype html><html><head><title>{scenario.name}</title></head><body>"]
    urls: list[str] = []
    broken: set[str] = set()
    per_host_seconds: dict[str, float] = {}
    total_seconds = 0.0
    i = 0
    for group in scenario.groups:
        for n in range(group.count):
            host = host_address(group.first_host + n % group.hosts)
            url = f"http://{host}:{port}{page_path(i, group.delay_ms, group.body_kb)}"
            status = expected_status(i)
            hops = 2 if status == 301 else 1
            seconds = hops * group.delay_ms / 1000
            per_host_seconds[host] = per_host_seconds.get(host, 0.0) + seconds
            total_seconds += seconds
            if status == 404:
                broken.add(url)
            urls.append(url)
            md_lines.append(f"- [{page_title(i)}]({url})")
            html_lines.append(f'<p><a href="{url}">{page_title(i)}</a></p>')
            i += 1
    html_lines.append("</body></html>")
    md, html = folder / "doc.md", folder / "doc.html"
    md.write_text("\n".join(md_lines) + "\n", encoding="utf-8")
    html.write_text("\n".join(html_lines) + "\n", encoding="utf-8")
    for path in (folder, md, html):
        path.chmod(0o755 if path.is_dir() else 0o644)  # LinkChecker drops root to "nobody"
    usable = min(scenario.per_host, scenario.concurrency)
    limit = max([total_seconds / scenario.concurrency] + [s / usable for s in per_host_seconds.values()])
    requests = sum(2 if expected_status(n) == 301 else 1 for n in range(i))
    return Doc(md, html, frozenset(urls), frozenset(broken), requests, limit)


def write_big_text(path: Path, megabytes: int) -> tuple[int, int]:
    """About ``megabytes`` MB of prose with a URL every few lines; returns (bytes, unique URLs)."""
    words = "the council and the summit agreed on a joint statement about trade climate and digital policy"
    prose = words.split()
    unique = 20000
    lines: list[str] = []
    size = 0
    target = megabytes * 1_000_000
    n = 0
    while size < target:
        text = " ".join(prose[(n + j) % len(prose)] for j in range(14))
        if n % 3 == 0:
            text += f" see https://127.0.0.{2 + n % 20}:9/doc/{n % unique}/page.html for details."
        line = f"{n}. {text.capitalize()}\n"
        lines.append(line)
        size += len(line)
        n += 1
    path.write_text("".join(lines), encoding="utf-8")
    return size, min(unique, (n + 2) // 3)


# --------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class Found:
    """What a tool reported: the links it checked and those it called broken."""

    urls: frozenset[str]
    broken: frozenset[str]


@dataclass(frozen=True)
class Tool:
    name: str
    available: Callable[[], bool]
    command: Callable[[Scenario, Doc, Path], list[str]]
    parse: Callable[[Path, str], Found]
    help_command: list[str]
    note: str = ""
    env: dict[str, str] = field(default_factory=dict)


def _venv_bin(venv: str, name: str) -> Path:
    return PEERS / venv / "bin" / name


def _project_python() -> Path:
    return PROJECT / ".venv" / "bin" / "python"


def byte_compile(tree: Path) -> None:
    """Write ``tree/linkcheck``'s ``.pyc`` files, as ``pip install`` does for an installed copy.

    Without them (a fresh clone, or ``PYTHONDONTWRITEBYTECODE=1`` in the environment, which keeps
    the interpreter from writing them) every run compiles the project's ~90 modules again: about
    0.1 s of CPU per run that no installed linkcheck pays.
    """
    subprocess.run([str(_project_python()), "-m", "compileall", "-q", str(tree / "linkcheck")], check=True)


def _linkcheck_command(s: Scenario, doc: Doc, run_dir: Path) -> list[str]:
    return [
        str(_project_python()), "-m", "linkcheck", "check", str(doc.md),
        "--concurrency", str(s.concurrency), "--per-host", str(s.per_host),
        "--timeout", str(DEFAULT_TIMEOUT), "--retries", "0", "--no-cache", "--no-progress",
        "-o", str(run_dir / "report"), "-f", "json",
    ]  # fmt: skip


def _parse_linkcheck(run_dir: Path, stdout: str) -> Found:
    report = json.loads((run_dir / "report" / "linkcheck.json").read_text(encoding="utf-8"))
    urls = {link["url"] for link in report["links"] if link["url"].startswith("http")}
    broken = {link["url"] for link in report["links"] if link["verdict"] in _FAILING_VERDICTS}
    return Found(frozenset(urls), frozenset(broken))


def _lychee_command(s: Scenario, doc: Doc, run_dir: Path) -> list[str]:
    return [
        str(_venv_bin("lychee-venv", "lychee")), "--verbose", "--no-progress",
        "--max-concurrency", str(s.concurrency), "--host-concurrency", str(s.per_host),
        "--host-request-interval", "0", "--method", "get", "--max-retries", "0",
        "--timeout", str(DEFAULT_TIMEOUT), "--format", "json", "--output", str(run_dir / "lychee.json"),
        str(doc.md),
    ]  # fmt: skip


def _parse_lychee(run_dir: Path, stdout: str) -> Found:
    report = json.loads((run_dir / "lychee.json").read_text(encoding="utf-8"))
    urls: set[str] = set()
    broken: set[str] = set()
    for key in ("success_map", "error_map", "timeout_map", "excluded_map"):
        for entries in report.get(key, {}).values():
            for entry in entries:
                urls.add(entry["url"])
                if key in ("error_map", "timeout_map"):
                    broken.add(entry["url"])
    return Found(frozenset(urls), frozenset(broken))


def _global_limit(s: Scenario) -> int:
    """For tools without a per-host limit: on a single host the per-host limit is the real one."""
    hosts = {g.first_host + n for g in s.groups for n in range(g.hosts)}
    return min(s.concurrency, s.per_host) if len(hosts) == 1 else s.concurrency


def _linkchecker_command(s: Scenario, doc: Doc, run_dir: Path) -> list[str]:
    threads = _global_limit(s)
    config = run_dir / "linkcheckerrc"
    config.write_text(
        "[checking]\n"
        f"threads={threads}\n"
        # Default 10/s per host, lifted only for servers that send a "LinkChecker" header (ours does).
        "maxrequestspersecond=100000\n",
        encoding="utf-8",
    )
    config.chmod(0o644)
    run_dir.chmod(0o755)
    return [
        str(_venv_bin("linkchecker-venv", "linkchecker")), "--config", str(config),
        "--no-status", "--no-robots", "--check-extern", "--recursion-level", "1",
        "--threads", str(threads), "--timeout", str(DEFAULT_TIMEOUT),
        "--verbose", "--output", "csv", doc.html.as_uri(),
    ]  # fmt: skip


def _parse_linkchecker(run_dir: Path, stdout: str) -> Found:
    rows = [line for line in stdout.splitlines() if line and not line.startswith("#")]
    urls: set[str] = set()
    broken: set[str] = set()
    for row in csv.DictReader(io.StringIO("\n".join(rows)), delimiter=";"):
        if not row.get("parentname") or not (row.get("urlname") or "").startswith("http"):
            continue
        urls.add(row["urlname"])
        if row["valid"] != "True":
            broken.add(row["urlname"])
    return Found(frozenset(urls), frozenset(broken))


def _linkinator_command(s: Scenario, doc: Doc, run_dir: Path) -> list[str]:
    return [
        str(PEERS / "node" / "node_modules" / ".bin" / "linkinator"), str(doc.html),
        "--concurrency", str(_global_limit(s)), "--timeout", str(DEFAULT_TIMEOUT * 1000), "--format", "json",
    ]  # fmt: skip


def _parse_linkinator(run_dir: Path, stdout: str) -> Found:
    report = json.loads(stdout[stdout.index("{") :])
    links = [link for link in report["links"] if link.get("parent") and link["url"].startswith("http")]
    urls = {link["url"] for link in links}
    broken = {link["url"] for link in links if link["state"] == "BROKEN"}
    return Found(frozenset(urls), frozenset(broken))


def build_tools() -> dict[str, Tool]:
    linkinator = PEERS / "node" / "node_modules" / ".bin" / "linkinator"
    return {
        "linkcheck": Tool(
            "linkcheck",
            lambda: _project_python().exists(),
            _linkcheck_command,
            _parse_linkcheck,
            [str(_project_python()), "-m", "linkcheck", "--help"],
            env={"PYTHONPATH": str(PROJECT)},
        ),
        "lychee": Tool(
            "lychee",
            _venv_bin("lychee-venv", "lychee").exists,
            _lychee_command,
            _parse_lychee,
            [str(_venv_bin("lychee-venv", "lychee")), "--help"],
        ),
        "linkchecker": Tool(
            "linkchecker",
            _venv_bin("linkchecker-venv", "linkchecker").exists,
            _linkchecker_command,
            _parse_linkchecker,
            [str(_venv_bin("linkchecker-venv", "linkchecker")), "--help"],
            note="no per-host limit: --threads = concurrency (per-host on one host)",
        ),
        "linkinator": Tool(
            "linkinator",
            linkinator.exists,
            _linkinator_command,
            _parse_linkinator,
            [str(linkinator), "--help"],
            note="HTML input; no per-host limit",
        ),
    }


def tool_versions(tools: Sequence[Tool]) -> list[str]:
    """One ``name version`` per tool, from its own ``--version`` (first line)."""
    found = []
    for tool in tools:
        command = [*tool.help_command[:-1], "--version"]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=30,
                env={**os.environ, **tool.env},
                cwd=PROJECT,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line and "WARNING" not in line]
        found.append(f"{tool.name}: {lines[0].strip() if lines else '?'}")
    return found


# --------------------------------------------------------------------------- server


class BenchServer:
    """bench/server.py in a child process (the bench venv's Python, for uvloop, when present)."""

    def __init__(self, hosts: int = 21) -> None:
        bench_python = PEERS / "bench-venv" / "bin" / "python"
        python = str(bench_python) if bench_python.exists() else sys.executable
        self.process = subprocess.Popen(
            [
                python,
                str(BENCH / "server.py"),
                "--hosts",
                str(hosts),
                "--watch-stdin",
                "--max-seconds",
                "1800",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(json.loads(self.process.stdout.readline())["port"])
        self.uses_uvloop = bench_python.exists()

    def _get(self, path: str) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
            return json.loads(response.read())  # type: ignore[no-any-return]

    def reset(self) -> None:
        self._get("/__reset")

    def stats(self) -> dict[str, Any]:
        return self._get("/__stats")

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.stdout.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --------------------------------------------------------------------------- measuring


@dataclass
class Measurement:
    """One tool on one scenario: medians over the repeats, and what the server saw."""

    scenario: str
    tool: str
    links: int = 0
    broken: int = 0
    parity: str = ""
    walls: list[float] = field(default_factory=list)
    max_rss_mb: float = 0.0
    requests: int = 0
    max_in_flight_host: int = 0
    max_in_flight: int = 0
    methods: str = ""
    limit: float = 0.0
    note: str = ""
    expected_links: int = 0

    @property
    def wall(self) -> float:
        return statistics.median(self.walls) if self.walls else float("nan")


def _measure(
    command: Sequence[str], run_dir: Path, timeout: float, env: dict[str, str]
) -> tuple[dict[str, Any], str]:
    """Run ``command`` in a fresh wrapper; (wall/rss result, stdout)."""
    result_file = run_dir / "measure.json"
    stdout_file = run_dir / "stdout.txt"
    with open(stdout_file, "w", encoding="utf-8") as out, open(run_dir / "stderr.txt", "w") as err:
        subprocess.run(
            [sys.executable, str(BENCH / "_measure.py"), str(timeout), str(result_file), "--", *command],
            stdout=out,
            stderr=err,
            cwd=run_dir,
            env={**os.environ, **env},
            check=True,
        )
    return json.loads(result_file.read_text()), stdout_file.read_text(encoding="utf-8", errors="replace")


def _parity(found: Found, doc: Doc) -> str:
    if found.urls == doc.urls and found.broken == doc.broken:
        return "ok"
    parts = []
    if doc.urls - found.urls:
        parts.append(f"missed {len(doc.urls - found.urls)}")
    if found.urls - doc.urls:
        parts.append(f"extra {len(found.urls - doc.urls)}")
    if found.broken != doc.broken:
        parts.append(
            f"broken {len(found.broken & doc.broken)}/{len(doc.broken)} +{len(found.broken - doc.broken)}"
        )
    return "MISMATCH: " + ", ".join(parts)


def _server_figures(stats: dict[str, Any]) -> tuple[int, int, int, str]:
    total = stats["total"]
    hosts = stats["hosts"].values()
    max_host = max((h["max_in_flight"] for h in hosts), default=0)
    methods = ",".join(f"{k}:{v}" for k, v in total["methods"].items())
    return total["requests"], max_host, total["max_in_flight"], methods


def _fast_hosts_done(stats: dict[str, Any], slow_host: str) -> float:
    """Seconds from the first request to the last answer of the fast hosts (fair schedulers: small)."""
    hosts = stats["hosts"]
    starts = [h["first_at"] for h in hosts.values() if h["requests"]]
    fast_ends = [h["last_at"] for a, h in hosts.items() if a != slow_host and h["requests"]]
    return max(fast_ends) - min(starts) if starts and fast_ends else float("nan")


def _join(note: str, extra: str) -> str:
    return f"{note}; {extra}" if note and extra not in note else note or extra


def run_check(
    scenario: Scenario,
    tool: Tool,
    doc: Doc,
    server: BenchServer,
    out: Path,
    repeat: int,
    log: Callable[[str], None],
    *,
    into: Measurement | None = None,
    first: int = 0,
) -> Measurement:
    """``repeat`` runs of one tool, numbered from ``first``, added to ``into`` (a new one by default)."""
    m = into or Measurement(
        scenario.name, tool.name, limit=doc.limit, note=tool.note, expected_links=len(doc.urls)
    )
    timeout = min(600.0, doc.limit * 4 + 60)
    for n in range(first, first + repeat):
        run_dir = out / scenario.name / tool.name / f"run{n}"
        shutil.rmtree(run_dir, ignore_errors=True)
        run_dir.mkdir(parents=True)
        server.reset()
        result, stdout = _measure(tool.command(scenario, doc, run_dir), run_dir, timeout, tool.env)
        stats = server.stats()
        (run_dir / "server-stats.json").write_text(json.dumps(stats, indent=1))
        try:
            found = tool.parse(run_dir, stdout)
        except (OSError, ValueError, KeyError) as exc:
            m.parity = f"NO OUTPUT (exit {result['returncode']}: {type(exc).__name__})"
            log(f"  {tool.name} run {n}: no parsable output, see {run_dir}")
            return m
        m.walls.append(result["wall"])
        m.max_rss_mb = max(m.max_rss_mb, result["max_rss_kb"] / 1024)
        m.links, m.broken = len(found.urls), len(found.broken)
        m.parity = "TIMEOUT" if result["timed_out"] else _parity(found, doc)
        m.requests, m.max_in_flight_host, m.max_in_flight, m.methods = _server_figures(stats)
        if not m.methods.startswith("GET:") or "," in m.methods:
            m.note = _join(m.note, m.methods)
        if scenario.name == "mixed":
            done = _fast_hosts_done(stats, host_address(0))
            m.note = _join(m.note, f"fast hosts done at {done:.2f} s")
        log(
            f"  {tool.name} run {n}: {result['wall']:.2f} s, {result['max_rss_kb'] / 1024:.0f} MB, {m.parity}"
        )
        if result["wall"] > DEFAULT_LONG_RUN:
            break  # a long run's spread is small next to its length: once is enough
    return m


def run_alternating(
    scenario: Scenario,
    tools: Sequence[Tool],
    doc: Doc,
    server: BenchServer,
    out: Path,
    repeat: int,
    log: Callable[[str], None],
) -> list[Measurement]:
    """Round by round, one run of each tool, so that the machine's drift (other load on shared
    cores) falls on every tool alike; a tool whose run took longer than ``DEFAULT_LONG_RUN`` or
    gave no output is not run again."""
    found: dict[str, Measurement] = {}
    for n in range(repeat):
        for tool in tools:
            m = found.get(tool.name)
            if m is not None and (not m.walls or len(m.walls) < n or m.walls[-1] > DEFAULT_LONG_RUN):
                continue
            found[tool.name] = run_check(scenario, tool, doc, server, out, 1, log, into=m, first=n)
    return [found[t.name] for t in tools if t.name in found]


def run_warm_cache(
    scenario: Scenario,
    tool: Tool,
    doc: Doc,
    server: BenchServer,
    out: Path,
    repeat: int,
    log: Callable[[str], None],
) -> list[Measurement]:
    cache = out / scenario.name / "cache.sqlite"
    cache.unlink(missing_ok=True)

    def with_cache(s: Scenario, d: Doc, run_dir: Path) -> list[str]:
        command = _linkcheck_command(s, d, run_dir)
        command[command.index("--no-cache")] = "--cache"
        command.insert(command.index("--cache") + 1, str(cache))
        return command

    cached = Tool(tool.name, tool.available, with_cache, tool.parse, tool.help_command, env=tool.env)
    cold = run_check(scenario, cached, doc, server, out / "cold", 1, log)
    cold.scenario, cold.note = "warm-cache (cold)", "first run fills the cache"
    warm = run_check(scenario, cached, doc, server, out / "warm", repeat, log)
    warm.scenario, warm.note = "warm-cache (warm)", "reruns on the filled cache"
    return [cold, warm]


def run_startup(tool: Tool, out: Path, repeat: int) -> Measurement:
    m = Measurement("startup", tool.name, parity="n/a")
    for n in range(repeat):
        run_dir = out / "startup" / tool.name / f"run{n}"
        run_dir.mkdir(parents=True, exist_ok=True)
        result, _ = _measure(tool.help_command, run_dir, 60, tool.env)
        m.walls.append(result["wall"])
        m.max_rss_mb = max(m.max_rss_mb, result["max_rss_kb"] / 1024)
    return m


def run_extract(scenario: Scenario, tool: Tool, out: Path, repeat: int) -> Measurement:
    folder = out / "extract"
    folder.mkdir(parents=True, exist_ok=True)
    big = folder / "big.txt"
    meta = folder / "big.json"
    if not meta.exists() or json.loads(meta.read_text())["mb"] != scenario.extract_mb:
        size, unique = write_big_text(big, scenario.extract_mb)
        meta.write_text(json.dumps({"mb": scenario.extract_mb, "bytes": size, "unique": unique}))
    info = json.loads(meta.read_text())
    if tool.name == "linkcheck":
        command = [str(_project_python()), "-m", "linkcheck", "extract", str(big)]
    else:
        command = [str(_venv_bin("lychee-venv", "lychee")), "--dump", str(big)]
    m = Measurement("extract", tool.name, expected_links=info["unique"])
    for n in range(repeat):
        run_dir = folder / tool.name / f"run{n}"
        run_dir.mkdir(parents=True, exist_ok=True)
        result, stdout = _measure(command, run_dir, 300, tool.env)
        m.walls.append(result["wall"])
        m.max_rss_mb = max(m.max_rss_mb, result["max_rss_kb"] / 1024)
        lines = [line for line in stdout.splitlines() if line.startswith("http")]
        m.links = len(set(lines))
        m.parity = "ok" if m.links == info["unique"] else f"MISMATCH: {m.links} unique of {info['unique']}"
        m.note = f"{info['bytes'] / 1e6 / m.wall:.1f} MB/s; {len(lines)} lines printed"
    return m


def measure_capacity(server: BenchServer, seconds: int = 3) -> str:
    """The server's own throughput under wrk (when installed), so it is shown not to be the bottleneck."""
    wrk = shutil.which("wrk")
    if wrk is None:
        return "wrk not installed: server capacity not measured"
    figures = []
    for delay, connections in ((0, 64), (100, 200)):
        url = f"http://{host_address(0)}:{server.port}{page_path(1, delay)}"
        done = subprocess.run(
            [wrk, "-t1", f"-c{connections}", f"-d{seconds}s", url],
            capture_output=True,
            text=True,
            timeout=seconds + 30,
        )
        rate = next(
            (line.split()[-1] for line in done.stdout.splitlines() if line.startswith("Requests/sec")), "?"
        )
        figures.append(f"{float(rate):,.0f} req/s at {delay} ms with {connections} connections")
    return "Server capacity (wrk -t1, keep-alive): " + "; ".join(figures) + "."


# --------------------------------------------------------------------------- report


def _fmt(value: float, digits: int = 2) -> str:
    if value != value:  # NaN
        return "–"
    if 0 < abs(value) < 0.1 and digits == 2:
        digits = 3
    return f"{value:.{digits}f}"


def render_table(measurements: list[Measurement]) -> str:
    """The Markdown table: one row a tool and scenario, ratios against linkcheck and the limit."""
    lc = {m.scenario: m for m in measurements if m.tool == "linkcheck" and m.walls}
    header = (
        "| scenario | tool | links | broken | parity | median s | links/s | peak RSS MB | requests "
        "| max in-flight/host | max in-flight | limit s | × limit | linkcheck ÷ tool | notes |"
    )
    rows = [header, "|" + "---|" * 15]
    for m in measurements:
        links_per_s = (
            m.links / m.wall
            if m.walls and m.links and m.scenario not in ("startup", "extract")
            else float("nan")
        )
        ratio_limit = m.wall / m.limit if m.limit else float("nan")
        base = lc.get(m.scenario)
        ratio_lc = base.wall / m.wall if base and m.walls and m.tool != "linkcheck" else float("nan")
        requests = m.requests if m.scenario not in ("startup", "extract") else "–"
        rows.append(
            f"| {m.scenario} | {m.tool} | {m.links} | {m.broken} | {m.parity} | {_fmt(m.wall)} "
            f"| {_fmt(links_per_s, 0)} | {_fmt(m.max_rss_mb, 0)} | {requests} "
            f"| {m.max_in_flight_host or '–'} | {m.max_in_flight or '–'} "
            f"| {_fmt(m.limit) if m.limit else '–'} | {_fmt(ratio_limit)} | {_fmt(ratio_lc)} | {m.note} |"
        )
    return "\n".join(rows) + "\n"


# --------------------------------------------------------------------------- main


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="sizes ÷ 10, one run each: a smoke test")
    parser.add_argument("--scenario", action="append", default=[], help="only these (repeatable, or a,b)")
    parser.add_argument("--tools", default=",".join(DEFAULT_TOOLS), help="comma-separated tool names")
    parser.add_argument(
        "--repeat", type=int, default=0, help="runs per tool and scenario (default: per scenario)"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for documents and results")
    parser.add_argument("--list", action="store_true", help="list the scenarios and exit")
    parser.add_argument("--no-capacity", action="store_true", help="skip the wrk measurement of the server")
    return parser.parse_args(argv)


def _selected(args: argparse.Namespace, scenarios: list[Scenario]) -> list[Scenario]:
    names = {n for arg in args.scenario for n in arg.split(",") if n}
    unknown = names - {s.name for s in scenarios}
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    return [s for s in scenarios if not names or s.name in names]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    scenarios = _selected(args, build_scenarios(args.quick))
    if args.list:
        for s in scenarios:
            print(f"{s.name:16} {s.what}")
        return 0
    all_tools = build_tools()
    wanted = [t for t in args.tools.split(",") if t]
    missing = [t for t in wanted if t not in all_tools]
    if missing:
        raise SystemExit(f"unknown tool(s): {', '.join(missing)}; known: {', '.join(all_tools)}")
    tools = [all_tools[t] for t in wanted if all_tools[t].available()]
    skipped = [t for t in wanted if not all_tools[t].available()]

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    if skipped:
        log(f"not installed (run bench/install_peers.sh): {', '.join(skipped)}")
    args.out.mkdir(parents=True, exist_ok=True)
    if any(t.name == "linkcheck" for t in tools):
        byte_compile(PROJECT)
    started = time.perf_counter()
    server = BenchServer()
    measurements: list[Measurement] = []
    try:
        log(f"server on 127.0.0.1-22:{server.port} (uvloop: {server.uses_uvloop})")
        capacity = measure_capacity(server) if not args.no_capacity else "capacity not measured"
        log(capacity)
        for scenario in scenarios:
            repeat = args.repeat or scenario.repeat
            log(f"{scenario.name}: {scenario.what}")
            chosen = [t for t in tools if t.name in scenario.tools]
            if scenario.kind == "startup":
                measurements += [run_startup(t, args.out, repeat) for t in chosen]
                continue
            if scenario.kind == "extract":
                measurements += [run_extract(scenario, t, args.out, repeat) for t in chosen]
                continue
            doc = write_doc(scenario, server.port, args.out / scenario.name / "doc")
            if scenario.kind == "warm-cache":
                for tool in chosen:
                    measurements += run_warm_cache(
                        scenario, tool, doc, server, args.out / scenario.name, repeat, log
                    )
                continue
            measurements += run_alternating(scenario, chosen, doc, server, args.out, repeat, log)
    finally:
        server.close()
    elapsed = time.perf_counter() - started
    table = render_table(measurements)
    stamp = time.strftime("%Y-%m-%d %H:%M")
    versions = "; ".join(tool_versions(tools))
    text = (
        f"# Benchmark {stamp}{' (quick)' if args.quick else ''}\n\n"
        f"Total time {elapsed:.0f} s on {os.cpu_count()} cores. {capacity} Versions: {versions}.\n\n{table}"
    )
    print(text)
    (args.out / "results.md").write_text(text, encoding="utf-8")
    (args.out / "results.json").write_text(
        json.dumps([{**m.__dict__, "wall": m.wall} for m in measurements], indent=1), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
