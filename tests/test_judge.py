"""Verdicts from facts: judge() is pure, so these tests build Fetch and Page values directly."""

from __future__ import annotations

import pytest

from linkcheck.config import Config
from linkcheck.judge import judge, needs_probe
from linkcheck.models import ErrorKind, Expectation, Fetch, Page, Redirect, Target, Verdict

CONFIG = Config()
URL = "https://news.example.org/2022/05/summit-statement"


def target(url: str = URL, *, title: str | None = None, skip: str | None = None) -> Target:
    expected = Expectation(title=title) if title else None
    return Target(key=url, url=url, checked_url=url, occurrences=(), expected=expected,
                  skip=skip, skip_reason=f"{skip} by rule" if skip else None)  # type: ignore[arg-type]


def fetch(status: int | None = 200, *, url: str = URL, final_url: str | None = None,
          headers: tuple[tuple[str, str], ...] = (("content-type", "text/html; charset=utf-8"),),
          body: bytes = b"<html></html>", redirects: tuple[Redirect, ...] = (),
          error_kind: ErrorKind | None = None, error: str | None = None, complete: bool = True) -> Fetch:
    return Fetch(url=url, final_url=final_url or url, status=status, headers=headers, body=body,
                 is_body_complete=complete, redirects=redirects, error_kind=error_kind, error=error)


def page(title: str | None = "Summit statement", *, h1: str | None = None, text: str = "",
         anchors: frozenset[str] = frozenset(), is_html: bool = True) -> Page:
    candidates = (("title", title),) if title else ()
    return Page(is_html=is_html, title=title, candidates=candidates, h1=h1, anchors=anchors, text=text)


def verdict_of(t: Target, f: Fetch, p: Page, config: Config = CONFIG, **kwargs: object) -> Verdict:
    return judge(t, f, p, config, **kwargs).verdict  # type: ignore[arg-type]


# -- skip and errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(("skip", "expected"), [("excluded", Verdict.EXCLUDED), ("invalid", Verdict.INVALID)])
def test_skipped_targets_keep_their_reason(skip: str, expected: Verdict) -> None:
    result = judge(target(skip=skip), fetch(None), Page(), CONFIG)
    assert result.verdict is expected
    assert result.error == f"{skip} by rule"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ErrorKind.TIMEOUT, Verdict.TIMEOUT),
        (ErrorKind.NETWORK, Verdict.NETWORK_ERROR),
        (ErrorKind.TLS, Verdict.NETWORK_ERROR),
        (ErrorKind.REFUSED_ADDRESS, Verdict.EXCLUDED),
        (ErrorKind.PROTOCOL, Verdict.NETWORK_ERROR),
        (ErrorKind.REDIRECT_LOOP, Verdict.BROKEN),
        (ErrorKind.TOO_MANY_REDIRECTS, Verdict.BROKEN),
        (ErrorKind.BAD_REDIRECT, Verdict.BROKEN),
        (ErrorKind.INVALID_URL, Verdict.INVALID),
    ],
)
def test_every_error_kind_has_its_verdict(kind: ErrorKind, expected: Verdict) -> None:
    result = judge(target(), fetch(None, error_kind=kind, error="what happened"), Page(), CONFIG)
    assert result.verdict is expected
    assert result.error == "what happened"
    assert kind.value in result.details


# -- status --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [404, 410, 500, 405, 501, 403, 401])
def test_unaccepted_status_is_broken(status: int) -> None:
    result = judge(target(), fetch(status), page("Error"), CONFIG)
    assert result.verdict is Verdict.BROKEN
    assert result.status == status
    assert result.error == f"HTTP {status}"


def test_accept_makes_a_status_alive() -> None:
    config = Config(accept=((200, 299), (403, 403)))
    assert verdict_of(target(), fetch(403), page("Members only"), config) is Verdict.OK


def test_result_carries_the_evidence() -> None:
    hops = (Redirect("http://news.example.org/a", 302),)
    f = Fetch(url=URL, final_url=URL + "/", status=200, redirects=hops, elapsed_ms=41,
              headers=(("content-type", "text/html"),))
    result = judge(target(), f, page("Summit"), CONFIG)
    assert (result.final_url, result.status, result.redirects, result.elapsed_ms) == (URL + "/", 200, hops, 41)


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "expected"), [(301, Verdict.REDIRECTED), (308, Verdict.REDIRECTED),
                                                  (302, Verdict.OK), (307, Verdict.OK)])
def test_only_permanent_redirects_ask_for_an_update(status: int, expected: Verdict) -> None:
    f = fetch(final_url=URL + "-new", redirects=(Redirect(URL, status),))
    assert verdict_of(target(), f, page()) is expected


def test_failing_verdicts_win_over_redirected() -> None:
    f = fetch(final_url=URL + "-new", redirects=(Redirect(URL, 301),))
    assert verdict_of(target(), f, page("Page not found")) is Verdict.SOFT_404


# -- blocked -------------------------------------------------------------------------------------


def test_cloudflare_challenge_header_is_blocked() -> None:
    f = fetch(403, headers=(("content-type", "text/html"), ("cf-mitigated", "challenge"), ("server", "cloudflare")))
    result = judge(target(), f, page("Just a moment..."), CONFIG)
    assert result.verdict is Verdict.BLOCKED
    assert "blocked_by:cloudflare" in result.details


@pytest.mark.parametrize(
    ("status", "body", "vendor"),
    [
        (503, b"<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script>", "cloudflare"),
        (403, b"<html><title>Access Denied</title>You don't have permission. Reference #18.1234abcd", "akamai"),
        (403, b"<html>Request unsuccessful. Incapsula incident ID: 123-456</html>", "imperva"),
        (403, b"<script src='https://ct.captcha-delivery.com/c.js'></script>", "datadome"),
        (403, b"<div id='px-captcha'></div>", "perimeterx"),
    ],
)
def test_bot_protection_bodies_are_blocked(status: int, body: bytes, vendor: str) -> None:
    result = judge(target(), fetch(status, body=body), page(None), CONFIG)
    assert result.verdict is Verdict.BLOCKED
    assert f"blocked_by:{vendor}" in result.details


def test_999_is_blocked() -> None:
    assert verdict_of(target(), fetch(999, body=b""), page(None)) is Verdict.BLOCKED


def test_429_after_retries_is_blocked() -> None:
    assert verdict_of(target(), fetch(429, body=b"Too Many Requests"), page(None)) is Verdict.BLOCKED


def test_cloudflare_server_with_plain_503_is_broken_not_blocked() -> None:
    f = fetch(503, headers=(("content-type", "text/html"), ("server", "cloudflare")), body=b"origin is down")
    assert verdict_of(target(), f, page("503 Service Unavailable")) is Verdict.BROKEN


def test_challenge_page_served_with_200_is_blocked() -> None:
    f = fetch(200, headers=(("content-type", "text/html"), ("cf-mitigated", "challenge")))
    assert verdict_of(target(title="Summit statement"), f, page("Just a moment...")) is Verdict.BLOCKED


def test_ordinary_page_mentioning_a_vendor_is_not_blocked() -> None:
    f = fetch(200, body=b"<html><title>Summit statement</title><script>datadome</script></html>")
    assert verdict_of(target(), f, page("Summit statement")) is Verdict.OK


# -- soft 404 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Page not found", "404", "404 Not Found | Example News", "Error 404 - Example", "Seite nicht gefunden",
        "Page introuvable – Le Monde", "Página no encontrada", "Pagina non trovata", "ページが見つかりません",
        "페이지를 찾을 수 없습니다", "页面不存在", "Страница не найдена", "Pagina niet gevonden",
        "Página não encontrada", "Nie znaleziono strony",
    ],
)
def test_not_found_titles_are_soft_404(title: str) -> None:
    result = judge(target(), fetch(), page(title), CONFIG)
    assert result.verdict is Verdict.SOFT_404
    assert "soft_404" in result.details


def test_not_found_first_heading_is_soft_404() -> None:
    assert verdict_of(target(), fetch(), page("Example News", h1="Sorry, this page doesn't exist")) is Verdict.SOFT_404


def test_404_in_body_text_with_a_not_found_phrase_is_soft_404() -> None:
    p = page("Example News", text="Error 404. The page you requested could not be found. Go home.")
    assert verdict_of(target(), fetch(), p) is Verdict.SOFT_404


@pytest.mark.parametrize("title", ["Route 4040 reopens", "Flight AF404 lands safely after storm over the Atlantic",
                                   "Not Foundation news", "EU-Japan Summit 2022"])
def test_ordinary_titles_are_not_soft_404(title: str) -> None:
    assert verdict_of(target(), fetch(), page(title)) is not Verdict.SOFT_404


def test_a_citation_of_a_page_about_404_is_not_soft_404() -> None:
    t = target(title="404 Not Found - HTTP | MDN")
    assert verdict_of(t, fetch(), page("404 Not Found - HTTP | MDN")) is Verdict.OK


@pytest.mark.parametrize("final_path", ["/", "/index.html", "/en/", "/de"])
def test_deep_link_redirected_to_home_is_soft_404(final_path: str) -> None:
    final = "https://news.example.org" + final_path
    f = fetch(final_url=final, redirects=(Redirect(URL, 302),))
    result = judge(target(), f, page("Example News"), CONFIG)
    assert result.verdict is Verdict.SOFT_404
    assert "redirected_to_home" in result.details


def test_home_page_redirected_to_home_is_fine() -> None:
    home = "https://news.example.org/"
    f = fetch(url="http://news.example.org/", final_url=home, redirects=(Redirect("http://news.example.org/", 302),))
    assert verdict_of(target("http://news.example.org/"), f, page("Example News")) is Verdict.OK


def test_probe_with_the_same_page_makes_a_soft_404() -> None:
    probe = fetch(url="https://news.example.org/linkcheck-probe-1")
    result = judge(target(), fetch(), page("Welcome"), CONFIG, probe=probe, probe_page=page("Welcome"))
    assert result.verdict is Verdict.SOFT_404
    assert "same_as_missing_page" in result.details


def test_probe_answered_404_clears_the_suspicion() -> None:
    probe = fetch(404, url="https://news.example.org/linkcheck-probe-1")
    assert verdict_of(target(), fetch(), page("Welcome"), probe=probe, probe_page=page("Not Found")) is Verdict.OK


def test_probe_with_near_identical_text_makes_a_soft_404() -> None:
    text = "Welcome to Example News. Latest stories, sport, weather. " * 10
    probe = fetch(url="https://news.example.org/linkcheck-probe-1")
    p1, p2 = page("Example News", text=text), page("Example News – start", text=text + "!")
    assert verdict_of(target(), fetch(), p1, probe=probe, probe_page=p2) is Verdict.SOFT_404


def test_which_pages_are_worth_a_probe() -> None:
    assert needs_probe(target(), fetch(), page("Welcome"), CONFIG)
    assert needs_probe(target(), fetch(), page(None), CONFIG)
    assert needs_probe(target(), fetch(), page("News", text="Sorry, nicht gefunden."), CONFIG)
    assert not needs_probe(target(), fetch(), page("EU-Japan Summit 2022: joint statement"), CONFIG)
    assert not needs_probe(target("https://news.example.org/"), fetch(url="https://news.example.org/"),
                           page("Welcome"), CONFIG)
    assert not needs_probe(target(), fetch(404), page("Welcome"), CONFIG)


# -- fragments -----------------------------------------------------------------------------------


def test_missing_fragment_is_broken() -> None:
    t = target(URL + "#conclusions")
    result = judge(t, fetch(url=URL + "#conclusions"), page(anchors=frozenset({"intro"})), CONFIG)
    assert result.verdict is Verdict.BROKEN
    assert result.error == "fragment_missing: #conclusions"
    assert result.details == ("fragment_missing",)


@pytest.mark.parametrize("fragment", ["intro", "caf%C3%A9", "top", ":~:text=summit", "/app/route", "!hashbang"])
def test_present_or_unchecked_fragments_pass(fragment: str) -> None:
    t = target(f"{URL}#{fragment}")
    p = page(anchors=frozenset({"intro", "café"}))
    assert verdict_of(t, fetch(url=t.checked_url), p) is Verdict.OK


def test_fragments_are_not_checked_when_disabled_or_not_html() -> None:
    t = target(URL + "#nowhere")
    assert verdict_of(t, fetch(url=t.checked_url), page(), Config(check_fragments=False)) is Verdict.OK
    pdf = fetch(url=t.checked_url, headers=(("content-type", "application/pdf"),))
    assert verdict_of(t, pdf, page(None, is_html=False)) is Verdict.OK


def test_fragment_beyond_the_part_read_is_not_called_missing() -> None:
    t = target(URL + "#far-below")
    result = judge(t, fetch(url=t.checked_url, complete=False), page(), CONFIG)
    assert result.verdict is Verdict.OK
    assert "fragment_unverified" in result.details


# -- titles --------------------------------------------------------------------------------------


def test_title_mismatch() -> None:
    result = judge(target(title="EU-Japan Joint Statement"), fetch(), page("Recipes for summer salads"), CONFIG)
    assert result.verdict is Verdict.TITLE_MISMATCH
    assert result.title is not None and result.title.match is False


def test_matching_title_is_ok() -> None:
    result = judge(target(title="EU-Japan Joint Statement"), fetch(), page("EU-Japan Joint Statement"), CONFIG)
    assert result.verdict is Verdict.OK
    assert result.title is not None and result.title.match is True


def test_non_html_targets_are_alive_by_status() -> None:
    for content_type in ("application/pdf", "image/png", "application/json", "video/mp4"):
        f = fetch(headers=(("content-type", content_type),), body=b"\x00" * 10, complete=False)
        assert verdict_of(target(), f, Page()) is Verdict.OK
