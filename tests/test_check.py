"""check_target end to end: a real server, the real titles module, the verdict a user sees."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from typing import TypeVar

import pytest

from linkcheck.check import check_target
from linkcheck.client import Client
from linkcheck.config import Config
from linkcheck.models import Result, Target, Verdict
from tests.servers import Handler, ScriptedServer, html, redirect, respond, target_for

T = TypeVar("T")
FAST = Config(timeout=2.0, retries=0)


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


async def _check_paths(
    routes: dict[str, Handler], paths: Sequence[str], *, titles: Sequence[str | None] | None = None,
    default: Handler | None = None, config: Config = FAST,
) -> tuple[list[Result], ScriptedServer]:
    async with ScriptedServer(routes, default=default) as server, Client(config) as client:
        expected = titles or [None] * len(paths)
        targets = [target_for(server.url(p), title=t) for p, t in zip(paths, expected, strict=True)]
        results = await asyncio.gather(*(check_target(client, t, config) for t in targets))
        return list(results), server


def check_one(routes: dict[str, Handler], path: str, *, title: str | None = None,
              default: Handler | None = None) -> tuple[Result, ScriptedServer]:
    results, server = run(_check_paths(routes, [path], titles=[title], default=default))
    return results[0], server


def test_live_page_with_matching_title_is_ok() -> None:
    result, _ = check_one({"/news/summit": html("EU-Japan Summit 2022 – Joint Statement")}, "/news/summit",
                          title="EU-Japan Summit 2022 Joint Statement")
    assert result.verdict is Verdict.OK
    assert result.status == 200
    assert result.title is not None and result.title.match is True


def test_page_about_something_else_is_a_title_mismatch() -> None:
    result, _ = check_one({"/news/summit": html("Summer salad recipes")}, "/news/summit",
                          title="EU-Japan Summit 2022 Joint Statement")
    assert result.verdict is Verdict.TITLE_MISMATCH


def test_404_is_broken() -> None:
    result, _ = check_one({}, "/gone")
    assert result.verdict is Verdict.BROKEN
    assert result.status == 404


def test_permanent_redirect_is_redirected() -> None:
    result, _ = check_one({"/old": redirect("/new-article", 301), "/new-article": html("Article")}, "/old")
    assert result.verdict is Verdict.REDIRECTED
    assert result.final_url is not None and result.final_url.endswith("/new-article")
    assert [r.status for r in result.redirects] == [301]


@pytest.mark.parametrize(
    ("chain", "verdict"),
    [
        pytest.param((302, 301), Verdict.OK, id="temporary-first-then-permanent"),
        pytest.param((307, 308), Verdict.OK, id="307-then-308"),
        pytest.param((301, 302), Verdict.REDIRECTED, id="permanent-first-then-temporary"),
        pytest.param((308, 301), Verdict.REDIRECTED, id="all-permanent"),
        pytest.param((302, 302), Verdict.OK, id="all-temporary"),
    ],
)
def test_only_a_permanent_first_hop_makes_a_link_redirected(chain: tuple[int, int], verdict: Verdict) -> None:
    """The cited URL moved for good only when its own answer says so; later hops are not its business."""
    routes = {"/cited": redirect("/hop", chain[0]), "/hop": redirect("/final", chain[1]), "/final": html("Article")}
    result, server = check_one(routes, "/cited")
    assert result.verdict is verdict
    assert [r.status for r in result.redirects] == list(chain)
    assert result.final_url is not None and result.final_url.endswith("/final")
    assert [r.path for r in server.requests] == ["/cited", "/hop", "/final"]


@pytest.mark.parametrize(
    ("title", "h1"),
    [
        ("Page not found – Example", None),
        ("Seite nicht gefunden", None),
        ("Page introuvable", None),
        ("Página no encontrada", None),
        ("ページが見つかりません", None),
        ("Example News", "Страница не найдена"),
        ("Example News", "页面不存在"),
    ],
)
def test_not_found_pages_answered_with_200_are_soft_404(title: str, h1: str | None) -> None:
    result, _ = check_one({"/a/b": html(title, h1=h1)}, "/a/b")
    assert result.verdict is Verdict.SOFT_404


def test_deep_link_redirected_to_the_home_page_is_soft_404() -> None:
    routes = {"/2022/05/report.html": redirect("/", 302), "/": html("Example News")}
    result, _ = check_one(routes, "/2022/05/report.html")
    assert result.verdict is Verdict.SOFT_404
    assert "redirected_to_home" in result.details


def test_site_answering_every_path_with_the_same_welcome_page_is_soft_404_via_one_probe() -> None:
    results, server = run(_check_paths({}, ["/docs/a", "/docs/b", "/docs/c"], default=html("Welcome")))
    assert [r.verdict for r in results] == [Verdict.SOFT_404] * 3
    probes = [r for r in server.requests if r.path.startswith("/linkcheck-probe-")]
    assert len(probes) == 1


def test_generic_title_on_a_site_with_real_404s_is_ok() -> None:
    result, server = check_one({"/docs/a": html("Welcome")}, "/docs/a")
    assert result.verdict is Verdict.OK
    assert any(r.path.startswith("/linkcheck-probe-") for r in server.requests)


def test_specific_title_needs_no_probe() -> None:
    result, server = check_one({"/docs/a": html("Installing the widget toolkit")}, "/docs/a")
    assert result.verdict is Verdict.OK
    assert [r.path for r in server.requests] == ["/docs/a"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/pdf", b"%PDF-1.7\n" + b"0" * 2_000_000),
        ("image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 500_000),
        ("application/json", b'{"items": [' + b"1," * 200_000 + b"1]}"),
    ],
)
def test_non_html_targets_are_ok_by_status(content_type: str, body: bytes) -> None:
    result, _ = check_one({"/file": respond(200, body, content_type=content_type)}, "/file")
    assert result.verdict is Verdict.OK
    assert result.status == 200


def test_missing_fragment_is_broken_and_present_one_is_ok() -> None:
    routes = {"/doc": html("Guide", ids=("install", "usage"))}
    results, _ = run(_check_paths(routes, ["/doc#usage", "/doc#faq"]))
    assert results[0].verdict is Verdict.OK
    assert results[1].verdict is Verdict.BROKEN
    assert results[1].error == "fragment_missing: #faq"


def test_skipped_targets_cost_no_request() -> None:
    async def scenario() -> tuple[list[Result], ScriptedServer]:
        async with ScriptedServer({"/": html("x")}) as server, Client(FAST) as client:
            targets = [
                Target(key="mailto:a@b.c", url="mailto:a@b.c", checked_url="mailto:a@b.c", occurrences=(),
                       skip="excluded", skip_reason="scheme mailto"),
                Target(key=server.url("/"), url=server.url("/"), checked_url=server.url("/"), occurrences=(),
                       skip="excluded", skip_reason="--exclude"),
                Target(key="http://[bad", url="http://[bad", checked_url="http://[bad", occurrences=(),
                       skip="invalid", skip_reason="cannot parse URL"),
            ]
            return [await check_target(client, t, FAST) for t in targets], server

    results, server = run(scenario())
    assert [r.verdict for r in results] == [Verdict.EXCLUDED, Verdict.EXCLUDED, Verdict.INVALID]
    assert results[2].error == "cannot parse URL"
    assert server.requests == []


def test_unsupported_scheme_that_slipped_through_is_invalid() -> None:
    async def scenario() -> Result:
        async with Client(FAST) as client:
            return await check_target(client, target_for("gopher://example.org/1"), FAST)

    assert run(scenario()).verdict is Verdict.INVALID


# -- mis-declared charsets ---------------------------------------------------------------------

GERMAN = "Über die Prüfung der Haushaltsführung – Bericht 2022"


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-15", "windows-1252", "latin1"])
def test_single_byte_label_on_a_utf8_body_is_read_as_utf8_and_said_so(label: str) -> None:
    body = (f"<!doctype html><html><head><meta charset='utf-8'><title>{GERMAN}</title></head>"
            f"<body><p>Prüfbericht</p></body></html>").encode("utf-8")
    routes = {"/bericht": respond(200, body, content_type=f"text/html; charset={label}")}
    result, _ = check_one(routes, "/bericht", title=GERMAN)
    assert result.verdict is Verdict.OK, result.error
    assert result.title is not None and result.title.found == GERMAN
    assert f"charset_corrected:{label.lower()}->utf-8" in result.details


@pytest.mark.parametrize(("label", "text"), [("iso-8859-1", GERMAN), ("windows-1251", "Отчёт о проверке 2022")])
def test_a_body_really_in_the_declared_single_byte_charset_keeps_it(label: str, text: str) -> None:
    body = f"<html><head><title>{text}</title></head><body><p>x</p></body></html>".encode("cp1252" if label == "iso-8859-1" else label)
    result, _ = check_one({"/p": respond(200, body, content_type=f"text/html; charset={label}")}, "/p", title=text)
    assert result.verdict is Verdict.OK
    assert result.title is not None and result.title.found == text
    assert not any(d.startswith("charset_corrected") for d in result.details)


def test_header_keeps_precedence_over_meta_for_multibyte_labels() -> None:
    title = "日EU首脳協議 | 外務省"
    body = f"<html><head><meta charset='utf-8'><title>{title}</title></head></html>".encode("cp932")
    result, _ = check_one({"/ja": respond(200, body, content_type="text/html; charset=Shift_JIS")}, "/ja", title=title)
    assert result.title is not None and result.title.found == title
    assert not any(d.startswith("charset_corrected") for d in result.details)
