"""The HTML report: one self-contained file to open from a CI artifact, offline, on any screen.

No CDN and no fetch: the CSS and a little vanilla JavaScript are inline, and a Content Security
Policy that allows only those two blocks (by hash) backs up the escaping, so nothing a hostile
page title says can run or load anything. Without JavaScript the full table is still there;
with it, the table filters by verdict, searches by text and sorts by column.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from html import escape

from ..models import Occurrence, Report, Result, Verdict
from ..urls import is_http
from ._common import (
    VERDICT_LABELS,
    VERDICT_ORDER,
    archive_link,
    error_text,
    format_score,
    headline,
    location,
    one_line,
    ordered_results,
    plural,
    redact,
)

__all__ = ["DEFAULT_PLACES_SHOWN", "render_html", "stream_html"]

DEFAULT_PLACES_SHOWN = 3
"""Occurrences shown per link before the rest fold into ``<details>``."""

_COLOURS: dict[Verdict, str] = {
    Verdict.OK: "#1a7f37",
    Verdict.REDIRECTED: "#0969da",
    Verdict.BROKEN: "#cf222e",
    Verdict.SOFT_404: "#bc4c00",
    Verdict.TITLE_MISMATCH: "#8250df",
    Verdict.TIMEOUT: "#9a6700",
    Verdict.NETWORK_ERROR: "#a40e26",
    Verdict.BLOCKED: "#6e7781",
    Verdict.INVALID: "#bf3989",
    Verdict.EXCLUDED: "#8c959f",
}

_COLUMNS = ("Verdict", "URL", "Status", "Where", "Title", "Error", "Time")

_CSS = (
    """
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--head:#161b22}}
*{box-sizing:border-box}
body{margin:0;padding:1rem;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
h1{font-size:1.4rem;margin:0 0 .3rem}
a{color:inherit}
code,.loc{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.92em}
.status{font-size:1.1rem;font-weight:600;margin:.2rem 0}
.status.fail{color:#cf222e}.status.pass{color:#1a7f37}
.warning{border:1px solid #9a6700;background:rgba(154,103,0,.12);padding:.5rem .75rem;border-radius:6px}
.meta{color:var(--muted);margin:.3rem 0 1rem}
.meta span{margin-right:1rem;display:inline-block}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}
.chip{display:inline-flex;align-items:center;gap:.35rem;border:1px solid var(--line);border-left:6px solid var(--c);
border-radius:6px;padding:.3rem .6rem;cursor:pointer;user-select:none;background:var(--head)}
.chip .n{font-weight:700;font-size:1.05rem;color:var(--c)}
.chip input{margin:0}
.controls{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.6rem 0}
.controls input[type=search]{flex:1 1 16rem;min-width:0;padding:.45rem .6rem;border:1px solid var(--line);
border-radius:6px;background:var(--bg);color:var(--fg);font:inherit}
.controls button{padding:.4rem .7rem;border:1px solid var(--line);border-radius:6px;background:var(--head);color:var(--fg);font:inherit;cursor:pointer}
#shown{color:var(--muted)}
table{width:100%;border-collapse:collapse}
th{background:var(--head);text-align:left;position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:600;display:block;width:100%}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
th,td{border-bottom:1px solid var(--line);padding:.45rem .5rem;vertical-align:top}
td{overflow-wrap:anywhere}
tr[hidden]{display:none}
td.num{text-align:right;white-space:nowrap}
.badge{display:inline-block;background:var(--c);color:#fff;border-radius:999px;padding:.05rem .55rem;font-size:.85em;font-weight:600;white-space:nowrap}
tbody tr{border-left:4px solid var(--c)}
.sub{color:var(--muted);font-size:.9em}
ul,ol{margin:.2rem 0;padding-left:1.1rem}
.chain li{color:var(--muted)}
.k{color:var(--muted);font-size:.85em;text-transform:uppercase;letter-spacing:.03em;margin-right:.3rem}
.score{font-weight:600}
.score.bad{color:#cf222e}.score.good{color:#1a7f37}
.tag{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 .3rem;font-size:.85em;margin:.1rem .2rem 0 0}
.empty{color:var(--muted);padding:1rem 0}
@media (max-width:760px){
body{padding:.6rem}
thead{display:none}
table,tbody,tr,td{display:block;width:100%}
tbody tr{border:1px solid var(--line);border-left:6px solid var(--c);border-radius:8px;margin:0 0 .7rem;padding:.3rem .2rem}
td{border:0;padding:.2rem .5rem}
td.num{text-align:left}
td::before{content:attr(data-label);display:block;color:var(--muted);font-size:.75em;text-transform:uppercase;letter-spacing:.04em}
td:empty{display:none}
}
"""
    + "".join(f".v-{v.value}{{--c:{colour}}}\n" for v, colour in _COLOURS.items())
).lstrip()

_JS = """
(function () {
  "use strict";
  var table = document.getElementById("links");
  if (!table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".chip input"));
  var search = document.getElementById("q");
  var shown = document.getElementById("shown");
  function apply() {
    var on = {};
    boxes.forEach(function (box) { on[box.value] = box.checked; });
    var terms = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var visible = on[row.dataset.verdict] !== false &&
        terms.every(function (term) { return text.indexOf(term) !== -1; });
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = count + " of " + rows.length + " links shown";
  }
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  search.addEventListener("input", apply);
  document.querySelectorAll("[data-show]").forEach(function (button) {
    button.addEventListener("click", function () {
      var failuresOnly = button.dataset.show === "failures";
      boxes.forEach(function (box) { box.checked = !failuresOnly || box.dataset.failing === "1"; });
      apply();
    });
  });
  function compare(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  table.querySelectorAll("th button").forEach(function (button) {
    button.addEventListener("click", function () {
      var th = button.parentNode;
      var column = th.cellIndex;
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var keyed = rows.map(function (row, index) {
        var cell = row.cells[column];
        var key = cell.dataset.key !== undefined ? cell.dataset.key : cell.textContent.trim().toLowerCase();
        return [key, index, row];
      });
      var numeric = keyed.every(function (k) { return k[0] === "" || !isNaN(Number(k[0])); });
      keyed.sort(function (a, b) {
        var x = a[0], y = b[0];
        if (x === "" || y === "") { return compare(x === "", y === "") || a[1] - b[1]; }
        var order = numeric ? compare(Number(x), Number(y)) : compare(x, y);
        return (ascending ? order : -order) || a[1] - b[1];
      });
      keyed.forEach(function (k) { body.appendChild(k[2]); });
    });
  });
  document.documentElement.dataset.js = "on";
  apply();
})();
""".lstrip()


def render_html(report: Report) -> str:
    """The whole report as one HTML document (UTF-8, no external resource)."""
    return "".join(stream_html(report))


def stream_html(report: Report) -> Iterator[str]:
    """The HTML report in pieces, one table row a piece (``write_reports`` writes them as they
    come: the whole text of 100,000 rows took ~340 MB at once)."""
    failures = len(report.failures())
    total = len(report.results)
    title = f"linkcheck: {headline(failures, total)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        _header(report, failures, total),
        _chips(report),
        _controls(total),
        "",
    ]
    yield "\n".join(parts)
    yield from _table(report)
    yield "\n".join(("", f"<script>{_JS}</script>", "</body>", "</html>", ""))


def _hash(source: str) -> str:
    return (
        "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"
    )


def _csp() -> str:
    """Only our own style and script blocks may apply; nothing may be fetched."""
    return (
        f"default-src 'none'; style-src {_hash(_CSS)}; script-src {_hash(_JS)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def _header(report: Report, failures: int, total: int) -> str:
    if failures:
        status = f'<p class="status fail">✗ {headline(failures, total)}</p>'
    else:
        status = f'<p class="status pass">✓ {headline(failures, total)}</p>'
    reported = [r for r in report.results if r.verdict.is_failure and r.verdict not in report.failing]
    if reported:
        names = ", ".join(sorted({r.verdict.value for r in reported}))
        status += (f'\n<p class="status">{len(reported)} reported only, not failing this run'
                   f" ({escape(names)}: not in --fail-on)</p>")
    warning = ""
    if report.missing_shards:
        warning = (
            '<p class="warning" role="alert"><strong>Incomplete merge:</strong> no report of shard '
            f"{escape(', '.join(report.missing_shards))}; their links are not listed.</p>"
        )
    elif not report.is_complete:
        warning = (
            '<p class="warning" role="alert"><strong>Incomplete run:</strong> it was interrupted; '
            "only the links checked before that are listed.</p>"
        )
    sources = ", ".join(f"<code>{escape(s)}</code>" for s in report.sources) or "none"
    meta = (
        f'<p class="meta"><span>Sources: {sources}</span>'
        f"<span>Started {escape(report.started_at)}</span>"
        f"<span>Finished {escape(report.finished_at)}</span>"
        f"<span>linkcheck {escape(report.tool_version)}</span></p>"
    )
    return f"<header>\n<h1>linkcheck report</h1>\n{status}\n{warning}{meta}\n</header>"


def _chips(report: Report) -> str:
    """Counts per verdict in colour; each is also the filter switch for its rows."""
    counts = report.summary()
    chips = []
    for verdict in VERDICT_ORDER:
        count = counts[verdict.value]
        if not count:
            continue
        failing = "1" if verdict in report.failing else "0"
        chips.append(
            f'<label class="chip v-{verdict.value}"><input type="checkbox" value="{verdict.value}" '
            f'data-failing="{failing}" checked><span class="n">{count}</span> {escape(VERDICT_LABELS[verdict])}</label>'
        )
    return f'<section class="chips" id="verdicts" aria-label="Verdicts">\n{chr(10).join(chips)}\n</section>'


def _controls(total: int) -> str:
    return (
        '<div class="controls">'
        '<input type="search" id="q" placeholder="Search URL, title, file, error…" aria-label="Search links">'
        '<button type="button" data-show="failures">Failures only</button>'
        '<button type="button" data-show="all">Show all</button>'
        f'<span id="shown" aria-live="polite">{total} of {total} links shown</span>'
        "</div>"
    )


def _table(report: Report) -> Iterator[str]:
    if not report.results:
        yield '<p class="empty">No links were found.</p>'
        return
    head = "".join(f'<th scope="col"><button type="button">{name}</button></th>' for name in _COLUMNS)
    separator = f'<table id="links">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
    for result in ordered_results(report.results):
        yield separator + _row(result)
        separator = "\n"
    yield "\n</tbody>\n</table>"


def _row(result: Result) -> str:
    verdict = result.verdict.value
    rank = VERDICT_ORDER.index(result.verdict)
    cells = [
        _cell(
            "Verdict", f'<span class="badge">{escape(VERDICT_LABELS[result.verdict])}</span>', key=str(rank)
        ),
        _cell("URL", _url_cell(result), key=redact(result.target.url).lower()),
        _cell(
            "Status",
            "" if result.status is None else str(result.status),
            key="" if result.status is None else str(result.status),
            cls="num",
        ),
        _cell("Where", _where(result.target.occurrences)),
        _cell("Title", _title(result)),
        _cell("Error", _error(result)),
        _cell(
            "Time",
            _duration(result.elapsed_ms),
            key=str(result.elapsed_ms) if result.elapsed_ms else "",
            cls="num",
        ),
    ]
    return f'<tr class="v-{verdict}" data-verdict="{verdict}">' + "".join(cells) + "</tr>"


def _duration(milliseconds: int) -> str:
    if not milliseconds:
        return ""
    return f"{milliseconds} ms" if milliseconds < 1000 else f"{milliseconds / 1000:.1f} s"


def _cell(label: str, content: str, *, key: str | None = None, cls: str | None = None) -> str:
    attributes = f' data-label="{label}"'
    if key is not None:
        attributes += f' data-key="{escape(key, quote=True)}"'
    if cls:
        attributes += f' class="{cls}"'
    return f"<td{attributes}>{content}</td>"


def _link(url: str) -> str:
    """A URL as a link when it is http(s); any other scheme stays text (no ``javascript:``)."""
    url = redact(url)
    text = escape(url, quote=True)
    if not is_http(url):
        return f'<span class="u">{text}</span>'
    return f'<a href="{text}" rel="noopener noreferrer nofollow" target="_blank">{text}</a>'


def _url_cell(result: Result) -> str:
    parts = [_link(result.target.url)]
    if result.target.checked_url != result.target.url:
        parts.append(f'<div class="sub">checked as {_link(result.target.checked_url)}</div>')
    if result.redirects:
        hops = "".join(f"<li>{hop.status} {_link(hop.url)}</li>" for hop in result.redirects)
        final = ""
        if result.final_url is not None:
            status = "" if result.status is None else f"{result.status} "
            final = f"<li>{status}{_link(result.final_url)}</li>"
        parts.append(f'<ol class="chain" aria-label="Redirects">{hops}{final}</ol>')
    elif result.final_url is not None and result.final_url != result.target.checked_url:
        parts.append(f'<div class="sub">final {_link(result.final_url)}</div>')
    return "".join(parts)


def _place(occurrence: Occurrence) -> str:
    text = f" “{escape(one_line(occurrence.text))}”" if occurrence.text else ""
    if occurrence.note:
        text += f' <span class="sub">({escape(occurrence.note)})</span>'
    return f'<li><span class="loc">{escape(location(occurrence))}</span>{text}</li>'


def _where(occurrences: tuple[Occurrence, ...]) -> str:
    first = "".join(_place(o) for o in occurrences[:DEFAULT_PLACES_SHOWN])
    rest = occurrences[DEFAULT_PLACES_SHOWN:]
    more = ""
    if rest:
        items = "".join(_place(o) for o in rest)
        more = f"<details><summary>{plural(len(rest), 'more place')}</summary><ul>{items}</ul></details>"
    return f"<ul>{first}</ul>{more}"


def _title(result: Result) -> str:
    title = result.title
    if title is None or (title.expected is None and title.found is None):
        return ""
    parts = []
    if title.expected is not None:
        parts.append(f'<div><span class="k">expected</span>{escape(one_line(title.expected))}</div>')
    if title.found is not None:
        signal = f' <span class="sub">({escape(title.signal)})</span>' if title.signal else ""
        parts.append(f'<div><span class="k">found</span>{escape(one_line(title.found))}{signal}</div>')
    if title.score is not None:
        quality = "" if title.match is None else (" good" if title.match else " bad")
        parts.append(
            f'<div><span class="k">score</span><span class="score{quality}">{format_score(title.score)}</span></div>'
        )
    if title.detail:
        parts.append(f'<span class="tag">{escape(title.detail)}</span>')
    return "".join(parts)


def _error(result: Result) -> str:
    text = error_text(result)
    parts = [escape(one_line(text))] if text else []
    parts += [f'<span class="tag">{escape(detail)}</span>' for detail in result.details]
    return " ".join(parts) + _archive(result)


def _archive(result: Result) -> str:
    """The ``--suggest-archive`` suggestion (``extra["archive"]``): a link to the capture, dated."""
    link = archive_link(result)
    if link is None:
        return ""
    if link.url is None:
        return '<div class="sub">no archived capture</div>'
    note = " (title differs)" if link.is_title_different else ""
    return (f'<div class="sub">archived: <a href="{escape(link.url, quote=True)}" rel="noopener noreferrer '
            f'nofollow" target="_blank">{escape(link.date)}</a>{note}</div>')
