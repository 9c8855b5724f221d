"""Legacy charsets end to end: a real server sends Shift_JIS and windows-1252 pages, declared in
the header, in ``<meta charset>``, in ``<meta http-equiv>``, under an alias label, or not at all,
and ``linkcheck check`` must report the titles exactly as a browser shows them."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner

from linkcheck.cli import cli
from tests.servers import Handler, ScriptedServer, respond

JAPANESE_TITLE = "日本語のページ題名：外務省"
WESTERN_TITLE = "Café – “Œuvres complètes” naïve"

META = '<meta charset="{label}">'
HTTP_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset={label}">'


def _page(title: str, encoding: str, meta: str = "") -> bytes:
    return (f"<!doctype html><html><head>{meta}<title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{title}</p></body></html>").encode(encoding)


def _route(title: str, encoding: str, label: str, where: str) -> Handler:
    """The page in ``encoding``, its charset given ``where`` ('header', 'meta', 'http-equiv', 'none')."""
    meta = {"meta": META, "http-equiv": HTTP_EQUIV}.get(where, "").format(label=label)
    content_type = f"text/html; charset={label}" if where == "header" else "text/html"
    return respond(200, _page(title, encoding, meta), content_type=content_type)


CASES: dict[str, tuple[str, Handler]] = {
    "/sjis/header": (JAPANESE_TITLE, _route(JAPANESE_TITLE, "shift_jis", "Shift_JIS", "header")),
    "/sjis/meta": (JAPANESE_TITLE, _route(JAPANESE_TITLE, "shift_jis", "shift_jis", "meta")),
    "/sjis/http-equiv": (JAPANESE_TITLE, _route(JAPANESE_TITLE, "shift_jis", "Shift_JIS", "http-equiv")),
    "/sjis/alias-label": (JAPANESE_TITLE, _route(JAPANESE_TITLE, "cp932", "x-sjis", "meta")),
    "/sjis/none": (JAPANESE_TITLE, _route(JAPANESE_TITLE, "shift_jis", "", "none")),
    "/cp1252/header": (WESTERN_TITLE, _route(WESTERN_TITLE, "cp1252", "windows-1252", "header")),
    "/cp1252/meta": (WESTERN_TITLE, _route(WESTERN_TITLE, "cp1252", "windows-1252", "meta")),
    # Pages labelled Latin-1 are read as windows-1252, as browsers do (“ ” Œ are not in Latin-1).
    "/cp1252/http-equiv-latin1": (WESTERN_TITLE, _route(WESTERN_TITLE, "cp1252", "iso-8859-1", "http-equiv")),
    "/cp1252/alias-label": (WESTERN_TITLE, _route(WESTERN_TITLE, "cp1252", "x-cp1252", "header")),
    "/cp1252/none": (WESTERN_TITLE, _route(WESTERN_TITLE, "cp1252", "", "none")),
}


def test_legacy_charsets_give_the_right_titles_in_the_json_report(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out"

    async def scenario() -> tuple[int, str]:
        async with ScriptedServer({path: handler for path, (_, handler) in CASES.items()}) as server:
            doc = tmp_path / "links.txt"
            doc.write_text("\n".join(server.url(path) for path in CASES) + "\n")
            result = await asyncio.to_thread(
                runner.invoke, cli, ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress",
                                     "--timeout", "5", "--retries", "0", "-f", "json"]
            )
            return result.exit_code, result.output

    exit_code, output = asyncio.run(scenario())

    assert exit_code == 0, output
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    found = {link["url"].split(":", 2)[2].split("/", 1)[1]: link["title"]["found"] for link in report["links"]}
    assert found == {path.lstrip("/"): title for path, (title, _) in CASES.items()}


def test_link_text_in_a_legacy_charset_matches_the_page_title(runner: CliRunner, tmp_path: Path) -> None:
    """The expected title (link text of a windows-1252 HTML document) and the found one agree."""
    out = tmp_path / "out"

    async def scenario() -> tuple[int, str]:
        async with ScriptedServer({"/p": CASES["/sjis/none"][1], "/w": CASES["/cp1252/none"][1]}) as server:
            doc = tmp_path / "doc.html"
            doc.write_bytes(
                f'<html><head><meta charset="windows-1252"></head><body>'
                f'<a href="{server.url("/w")}">{WESTERN_TITLE}</a></body></html>'.encode("cp1252")
            )
            result = await asyncio.to_thread(
                runner.invoke, cli, ["check", str(doc), "-o", str(out), "--no-cache", "--no-progress",
                                     "--timeout", "5", "--retries", "0", "-f", "json"]
            )
            return result.exit_code, result.output

    exit_code, output = asyncio.run(scenario())

    assert exit_code == 0, output
    (link,) = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"]
    assert link["verdict"] == "ok"
    assert link["title"]["expected"] == WESTERN_TITLE
    assert link["title"]["found"] == WESTERN_TITLE
    assert link["title"]["match"] is True
