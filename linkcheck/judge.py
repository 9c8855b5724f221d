"""The verdict on one URL, from what the network said and what the page holds. Pure: no I/O.

Order matters, and failing verdicts win over ``redirected``::

    skip → fetch error → bot protection (blocked) → status not accepted (broken)
         → soft 404 → missing #fragment (broken) → title mismatch → redirected / ok

Every heuristic is a table below (bot-protection markers, "not found" phrases in many languages,
home-page paths, stop titles), so widening a heuristic is a data change.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

from rapidfuzz import fuzz

from .citation import compare_title
from .config import Config
from .models import ErrorKind, Fetch, Page, Redirect, Result, Target, TitleCheck, Verdict

__all__ = [
    "BLOCKED_STATUSES",
    "CHALLENGE_BODY_MARKERS",
    "CHALLENGE_HEADERS",
    "CHALLENGE_TITLES",
    "ERROR_VERDICTS",
    "HOME_PATHS",
    "NOT_FOUND_PHRASES",
    "PERMANENT_REDIRECTS",
    "STOP_TITLES",
    "is_moved_permanently",
    "judge",
    "page_says_not_found",
    "title_says_not_found",
    "needs_probe",
]

ERROR_VERDICTS: dict[ErrorKind, Verdict] = {
    ErrorKind.TIMEOUT: Verdict.TIMEOUT,
    ErrorKind.NETWORK: Verdict.NETWORK_ERROR,
    ErrorKind.TLS: Verdict.NETWORK_ERROR,
    ErrorKind.REFUSED_ADDRESS: Verdict.EXCLUDED,
    ErrorKind.PROTOCOL: Verdict.NETWORK_ERROR,
    ErrorKind.REDIRECT_LOOP: Verdict.BROKEN,
    ErrorKind.TOO_MANY_REDIRECTS: Verdict.BROKEN,
    ErrorKind.BAD_REDIRECT: Verdict.BROKEN,
    ErrorKind.INVALID_URL: Verdict.INVALID,
    ErrorKind.RETRY_LATER: Verdict.BLOCKED,
}
"""Fetch failures and the verdict each one means."""

PERMANENT_REDIRECTS = frozenset({301, 308})

BLOCKED_STATUSES = frozenset({999})
"""Statuses that only bot walls use (LinkedIn answers 999 to anything automated)."""

CHALLENGE_STATUSES = frozenset({401, 403, 406, 429, 503})
"""Statuses a bot wall answers with; only blocked when a marker confirms it (429 always is)."""

CHALLENGE_TITLES: tuple[str, ...] = (
    "just a moment...",
    "just a moment",
    "attention required! | cloudflare",
    "one more step",
    "please wait while we verify",
    "verifying you are human",
    "verify you are human",
    "are you a robot",
    "are you a robot?",
    "robot check",
    "security check",
    "pardon our interruption",
    "access denied",
    "ddos-guard",
    "ddos protection by",
    "human verification",
    "bot verification",
    "request unsuccessful",
)
"""Page titles (lower-cased, exact or prefix) of challenge and denial pages."""

CHALLENGE_BODY_MARKERS: tuple[tuple[bytes, str], ...] = (
    (b"/cdn-cgi/challenge-platform/", "cloudflare"),
    (b"_cf_chl_opt", "cloudflare"),
    (b"cf-browser-verification", "cloudflare"),
    (b"cf_chl_", "cloudflare"),
    (b"just a moment...", "cloudflare"),
    (b"attention required! | cloudflare", "cloudflare"),
    (b"incapsula incident", "imperva"),
    (b"_incapsula_resource", "imperva"),
    (b"request unsuccessful. incapsula", "imperva"),
    (b"captcha-delivery.com", "datadome"),
    (b"datadome", "datadome"),
    (b"px-captcha", "perimeterx"),
    (b"perimeterx", "perimeterx"),
    (b"_pxhd", "perimeterx"),
    (b"ddos-guard", "ddos-guard"),
    (b"sucuri website firewall", "sucuri"),
    (b"awswaf", "aws-waf"),
    (b"pardon our interruption", "imperva"),
    (b"kpsdk", "kasada"),
)
"""Byte strings (lower-cased) in a body that name a bot-protection vendor."""

_AKAMAI_DENIED = re.compile(rb"access denied.{0,400}reference\s*#", re.DOTALL)

CHALLENGE_HEADERS: tuple[tuple[str, str, str], ...] = (
    ("cf-mitigated", "challenge", "cloudflare"),
    ("x-datadome", "", "datadome"),
    ("x-dd-b", "", "datadome"),
    ("x-iinfo", "", "imperva"),
    ("x-cdn", "incapsula", "imperva"),
    ("x-amzn-waf-action", "", "aws-waf"),
    ("x-px-blocked", "", "perimeterx"),
    ("x-sucuri-block", "", "sucuri"),
)
"""(header, value substring or '' for any, vendor): headers only bot walls send."""

NOT_FOUND_PHRASES: tuple[str, ...] = (
    # English
    "page not found", "not found", "file not found", "page does not exist", "page doesn't exist",
    "page doesn’t exist", "page cannot be found", "page can't be found", "page can’t be found",
    "page could not be found", "page you requested could not be found", "page you are looking for",
    "page you're looking for", "this page isn't available", "no longer exists", "error 404", "404 error",
    # German
    "seite nicht gefunden", "nicht gefunden", "seite existiert nicht", "fehler 404", "seite wurde nicht gefunden",
    # French
    "page introuvable", "page non trouvée", "introuvable", "erreur 404", "page inexistante",
    "la page demandée n'existe pas", "la page que vous recherchez",
    # Spanish
    "página no encontrada", "pagina no encontrada", "no se encontró la página", "no se ha encontrado",
    "página no existe",
    # Italian
    "pagina non trovata", "pagina non esiste", "pagina non disponibile",
    # Portuguese
    "página não encontrada", "pagina nao encontrada", "página não existe",
    # Dutch
    "pagina niet gevonden", "pagina bestaat niet",
    # Scandinavian, Finnish
    "sidan kunde inte hittas", "sidan hittades inte", "siden blev ikke fundet", "siden finnes ikke",
    "fant ikke siden", "sivua ei löytynyt",
    # Central and Eastern Europe
    "nie znaleziono strony", "strona nie została znaleziona", "stránka nenalezena", "stránka nebyla nalezena",
    "az oldal nem található", "oldal nem található", "pagina nu a fost găsită", "stran ni bilo mogoče najti",
    "страница не найдена", "страницата не е намерена", "сторінку не знайдено", "сторінка не знайдена",
    "η σελίδα δεν βρέθηκε", "sayfa bulunamadı",
    # Asian
    "ページが見つかりません", "ページが見つかりませんでした", "お探しのページは見つかりません",
    "페이지를 찾을 수 없습니다", "페이지를 찾을 수 없음", "页面不存在", "页面未找到", "找不到页面", "頁面不存在",
    "找不到網頁", "找不到该页面", "หน้าที่คุณต้องการไม่พบ", "halaman tidak ditemukan", "không tìm thấy trang",
    # Arabic, Hebrew
    "الصفحة غير موجودة", "لم يتم العثور على الصفحة", "הדף לא נמצא",
)
"""Phrases (lower-cased) that say "this page does not exist"."""

_CODE_404 = re.compile(r"(?<![\w/.,-])404(?![\w/-]|[.,]\d)")


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex for all phrases; word boundaries only for scripts that separate words by spaces."""
    parts = []
    for phrase in sorted(phrases, key=len, reverse=True):
        escaped = re.escape(phrase)
        parts.append(escaped if ord(phrase[0]) >= 0x2E80 else rf"(?<!\w){escaped}(?!\w)")
    return re.compile("|".join(parts))


_NOT_FOUND = _phrase_pattern(NOT_FOUND_PHRASES)

STOP_TITLES = frozenset(
    {
        "home", "homepage", "home page", "welcome", "index", "startseite", "accueil", "inicio", "início",
        "untitled", "untitled document", "default", "main page", "ホーム", "首页", "홈",
    }
)
"""Titles so generic that a deep link answering with them may be a catch-all page (probe it)."""

HOME_PATHS = frozenset({"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx", "/start"})
_LOCALE_HOME = re.compile(r"^/[a-z]{2}(?:[-_][a-z]{2,4})?(?:/|/index\.html?|/home/?)?$", re.IGNORECASE)

PROBE_TEXT_SIMILARITY = 95.0
"""Lowest similarity of a page's text with the made-up path's text that means "same page"."""

_SPA_FRAGMENT = re.compile(r"^[/!]")
_TEXT_FRAGMENT = ":~:"
_IMPLICIT_FRAGMENTS = frozenset({"", "top"})


def judge(
    target: Target,
    fetch: Fetch,
    page: Page,
    config: Config,
    *,
    probe: Fetch | None = None,
    probe_page: Page | None = None,
) -> Result:
    """The one verdict for ``target`` with its evidence (status, chain, title, error, details)."""
    if target.skip is not None:
        verdict = Verdict.EXCLUDED if target.skip == "excluded" else Verdict.INVALID
        return Result(target=target, verdict=verdict, error=target.skip_reason)
    base = _Evidence(target, fetch)
    if fetch.error_kind is not None:
        return base.result(ERROR_VERDICTS[fetch.error_kind], error=fetch.error, details=_error_details(fetch))
    status = fetch.status
    if status is None:  # pragma: no cover - a Fetch without error always has a status
        return base.result(Verdict.NETWORK_ERROR, error="no answer")
    accepted = config.is_accepted(status)
    vendor = bot_wall(fetch, page)
    if not accepted:
        if vendor is not None:
            return base.result(Verdict.BLOCKED, error=f"HTTP {status}: bot protection ({vendor})",
                               details=("bot_protection", f"blocked_by:{vendor}"))
        return base.result(Verdict.BROKEN, error=f"HTTP {status}", details=(f"status:{status}",))
    if vendor is not None and 200 <= status <= 299 and _is_challenge_page(fetch, page):
        return base.result(Verdict.BLOCKED, error=f"HTTP {status}: bot protection ({vendor})",
                           details=("bot_protection", f"blocked_by:{vendor}"))
    if config.titles == "off":
        found = page.title or (page.candidates[0][1] if page.candidates else None)
        want = target.expected.title if target.expected is not None else None
        title = TitleCheck(want, found, None, None, detail="titles_off") if (want or found) else None
    else:
        title = compare_title(target.expected, page, threshold=config.title_threshold, final_url=fetch.final_url,
                              cited_url=target.checked_url, as_of=config.as_of)
    if page.is_html and 200 <= status <= 299:
        soft = soft_404_reason(target, fetch, page, probe=probe, probe_page=probe_page)
        if soft is not None:
            return base.result(Verdict.SOFT_404, title=title, error=f"soft 404: {soft}", details=("soft_404", soft))
    missing = _missing_fragment(target, fetch, page, config)
    details: tuple[str, ...] = ()
    if missing is not None:
        if fetch.is_body_complete:
            return base.result(Verdict.BROKEN, title=title, error=f"fragment_missing: #{missing}",
                               details=("fragment_missing",))
        details += ("fragment_unverified",)
    if title is not None and title.match is False:
        return base.result(Verdict.TITLE_MISMATCH, title=title, error=_mismatch_message(title), details=details)
    if is_moved_permanently(fetch.redirects):
        return base.result(Verdict.REDIRECTED, title=title, details=details + ("permanent_redirect",))
    return base.result(Verdict.OK, title=title, details=details)


def is_moved_permanently(redirects: tuple[Redirect, ...]) -> bool:
    """Did the cited URL itself move for good? Only a permanent *first* hop says so.

    ``302 → 301 → 200``: the cited URL moved temporarily, and what the temporary target did later
    is not the citation's business (``ok``). ``301 → 302 → 200``: the citation should point at
    the end of the permanent run (``redirected``; ``fix --redirects`` rewrites to that URL).
    """
    return bool(redirects) and redirects[0].status in PERMANENT_REDIRECTS


# --------------------------------------------------------------------------------------------
# Bot protection


def bot_wall(fetch: Fetch, page: Page) -> str | None:
    """The bot-protection vendor behind this answer, or None when it looks like a real answer."""
    status = fetch.status or 0
    if status in BLOCKED_STATUSES:
        return "linkedin" if "linkedin" in fetch.final_url else "unknown"
    header_vendor = _header_vendor(fetch)
    if header_vendor is not None and status in CHALLENGE_STATUSES | {200, 202}:
        return header_vendor
    if status in CHALLENGE_STATUSES or 200 <= status <= 299:
        body_vendor = _body_vendor(fetch, page)
        if body_vendor is not None:
            return body_vendor
    if status == 429:
        return "rate_limited"
    return None


def _header_vendor(fetch: Fetch) -> str | None:
    for name, needle, vendor in CHALLENGE_HEADERS:
        value = fetch.header(name)
        if value is not None and needle in value.lower():
            return vendor
    return None


def _body_vendor(fetch: Fetch, page: Page) -> str | None:
    title = (page.title or "").strip().lower()
    body = fetch.body[: 256 * 1024].lower()
    for marker, vendor in CHALLENGE_BODY_MARKERS:
        if marker in body:
            return vendor
    if _AKAMAI_DENIED.search(body):
        return "akamai"
    if any(title == t or title.startswith(t) for t in CHALLENGE_TITLES):
        server = (fetch.header("server") or "").lower()
        return "cloudflare" if "cloudflare" in server else ("akamai" if "akamai" in server else "unknown")
    return None


def _is_challenge_page(fetch: Fetch, page: Page) -> bool:
    """A 2xx that is really a challenge: only when its title or a challenge header says so."""
    if fetch.header("cf-mitigated") is not None or fetch.header("x-amzn-waf-action") is not None:
        return True
    title = (page.title or "").strip().lower()
    return any(title == t or title.startswith(t) for t in CHALLENGE_TITLES)


# --------------------------------------------------------------------------------------------
# Soft 404


def soft_404_reason(
    target: Target, fetch: Fetch, page: Page, *, probe: Fetch | None = None, probe_page: Page | None = None
) -> str | None:
    """Why a 2xx HTML page is really "not found", or None.

    Strong signals decide alone (title or first heading says not found, a deep link sent to the
    home page). Weak ones (a phrase in the text, a generic title) only count when a made-up path
    on the same site answers with the same page.
    """
    expected = target.expected.title if target.expected is not None else None
    reason = page_says_not_found(page, expected)
    if reason is not None or _expects_not_found(target):
        return reason
    if _is_deep_link(fetch.url) and fetch.redirects and _is_home(fetch.final_url):
        return "redirected_to_home"
    if probe is not None and probe_page is not None and _is_deep_link(fetch.url) and _same_page(page, probe, probe_page):
        return "same_as_missing_page"
    return None


def page_says_not_found(page: Page, expected_title: str | None = None) -> str | None:
    """The strong, page-only soft-404 signals: the title or first heading says "not found", or the
    start of the text is a wiki's "no article with this name" or a "404 … not found" notice.
    None when the citation itself is about a missing page ("404: NOT_FOUND" cited by that name)."""
    if expected_title and _says_not_found(expected_title):
        return None
    for signal, text in (("title", page.title), ("h1", page.h1)):
        if text and title_says_not_found(text):
            return f"not_found_{signal}"
    head = page.text[:2000]
    if head and _WIKI_MISSING.search(head.lower()):
        return "no_such_article"
    if head and _CODE_404.search(head) and _says_not_found(head):
        return "not_found_text"
    return None


def needs_probe(target: Target, fetch: Fetch, page: Page, config: Config) -> bool:
    """Is this 2xx deep link suspicious enough to ask the site for a path that cannot exist?"""
    if fetch.error_kind is not None or fetch.status is None or not 200 <= fetch.status <= 299:
        return False
    if not page.is_html or not _is_deep_link(fetch.url) or target.skip is not None:
        return False
    if soft_404_reason(target, fetch, page) is not None:
        return False
    title = _normalise(page.title or "")
    if not title or title in STOP_TITLES or any(title.startswith(stop + " ") for stop in ("welcome", "home")):
        return True
    if page.publisher and title == _normalise(page.publisher):
        return True
    return _says_not_found(page.text[:3000])


_FILLER = frozenset(
    """page pages seite pagina página site web webpage file document article artikel error fehler erreur
    errore erro 404 oops ups hoppla oh no sorry désolé desolé lo sentimos siamo spiacenti desculpe
    helaas uups leider unfortunately ist is est the this that requested you we your la le les cette l de du des die der das diese den
    angeforderte gesuchte demandée demandee recherchée el esta la que que pagina solicitada sua a o
    essa esta questa het de deze http status code""".split()
)
_NOT_FOUND_CORES = frozenset(
    " ".join(w for w in p.lower().replace("'", "").replace("’", "").split() if w not in _FILLER)
    for p in NOT_FOUND_PHRASES
    if ord(p[0]) < 0x2E80
) | frozenset({"not found", "does not exist", "doesnt exist", "cannot be found", "cant be found",
               "could not be found", "no longer exists", "no longer available", "not available",
               "no results", "no results found", "nothing found", "keine ergebnisse", "kein ergebnis",
               "keine ergebnisse gefunden", "keine treffer", "keine treffer gefunden", "aucun résultat trouvé",
               "no se encontraron resultados", "nessun risultato trovato", "geen resultaten gevonden",
               "検索結果はありません",
               "existiert nicht", "nicht gefunden", "nicht auffindbar", "nicht mehr verfügbar", "aucun résultat",
               "aucun resultat", "nexiste pas", "nexiste plus", "introuvable", "non trouvée", "non trouvee",
               "no encontrada", "no encontrado", "no existe", "sin resultados", "ningún resultado",
               "non trovata", "non trovato", "non esiste", "nessun risultato", "niet gevonden",
               "bestaat niet", "geen resultaten", "não encontrada", "nao encontrada", "não encontrado",
               "não existe", "nenhum resultado", "sem resultados", ""})
_CJK_NOT_FOUND = tuple(p for p in NOT_FOUND_PHRASES if ord(p[0]) >= 0x2E80) + (
    "見つかりません", "存在しません", "該当するページがありません", "検索結果はありません", "找不到", "不存在",
)
_TITLE_SPLIT = re.compile(r"\s+[|\-–—·:»/]\s+|\s*[|｜:：]\s*|\s+-|-\s+")
_WIKI_MISSING = re.compile(
    r"does not have an article with this exact name|no article with this exact name"
    r"|ne possède pas d.article avec ce nom|no tiene ningún artículo con ese nombre"
    r"|no tiene un artículo con este nombre|kein artikel mit diesem namen|diese seite existiert nicht"
    r"|non ha ancora una voce con questo nome|não possui um artigo com este nome"
    r"|bevat geen artikel met deze naam|この名前の項目は存在しません"
)


@functools.lru_cache(maxsize=4096)
def title_says_not_found(text: str) -> bool:
    """Does this title (or heading) *say* "not found": one of its parts is a not-found phrase and
    little else ("404 – Seite nicht gefunden | Bund", "Oops! Page not found")? A longer title that
    merely contains the words ("nvm: command not found after installation · Issue #303") is not.
    """
    lowered = _normalise(text)
    if not lowered:
        return False
    for part in _TITLE_SPLIT.split(lowered):
        part = part.strip()
        if not part:
            continue
        if ord(part[0]) >= 0x2E80 or any(ord(c) >= 0x2E80 for c in part[:8]):
            if any(p in part and len(part) - len(p) <= 8 for p in _CJK_NOT_FOUND):
                return True
            continue
        words = [w for w in re.sub(r"[^\w\s]", " ", part.replace("'", "").replace("’", "")).split()]
        core = " ".join(w for w in words if w not in _FILLER)
        if core in _NOT_FOUND_CORES and (core or "404" in words):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def _says_not_found(text: str) -> bool:
    """Memoised: each page's title, heading and text are asked twice (probe decision, verdict)."""
    lowered = _normalise(text)
    if not lowered:
        return False
    if _NOT_FOUND.search(lowered):
        return True
    return bool(_CODE_404.search(lowered)) and len(lowered) <= 60


def _expects_not_found(target: Target) -> bool:
    """A citation of a page *about* 404s (expected title says so) is not a soft 404."""
    expected = target.expected.title if target.expected is not None else None
    return bool(expected) and _says_not_found(expected or "")


def _same_page(page: Page, probe: Fetch, probe_page: Page) -> bool:
    if probe.error_kind is not None or probe.status is None or not 200 <= probe.status <= 299:
        return False
    if page.title and probe_page.title and _normalise(page.title) == _normalise(probe_page.title):
        return True
    if page.text and probe_page.text:
        return fuzz.ratio(page.text[:2000], probe_page.text[:2000]) >= PROBE_TEXT_SIMILARITY
    return False


def _path_of(url: str) -> str:
    try:
        return urlsplit(url).path or "/"
    except ValueError:
        return "/"


def _is_home(url: str) -> bool:
    path = _path_of(url).lower()
    return path in HOME_PATHS or bool(_LOCALE_HOME.match(path))


def _is_deep_link(url: str) -> bool:
    return not _is_home(url)


# --------------------------------------------------------------------------------------------
# Fragments and helpers


def _missing_fragment(target: Target, fetch: Fetch, page: Page, config: Config) -> str | None:
    """The ``#fragment`` the page lacks, or None (also when it cannot or need not be checked)."""
    if not config.check_fragments or not page.is_html:
        return None
    fragment = _fragment_of(fetch.final_url) or _fragment_of(target.checked_url)
    if fragment is None or fragment in _IMPLICIT_FRAGMENTS:
        return None
    if _TEXT_FRAGMENT in fragment or _SPA_FRAGMENT.match(fragment):
        return None
    if fragment in page.anchors or unquote(fragment) in page.anchors:
        return None
    return fragment


def _fragment_of(url: str) -> str | None:
    _, sep, fragment = url.partition("#")
    return fragment if sep else None


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _mismatch_message(title: TitleCheck) -> str:
    score = f" (score {title.score:.0f})" if title.score is not None else ""
    return f"title mismatch: expected {title.expected!r}, found {title.found!r}{score}"


def _error_details(fetch: Fetch) -> tuple[str, ...]:
    assert fetch.error_kind is not None
    return (fetch.error_kind.value,)


class _Evidence:
    """The facts every verdict carries, so each branch of ``judge`` names only what differs."""

    def __init__(self, target: Target, fetch: Fetch) -> None:
        self._target = target
        self._fetch = fetch

    def result(
        self,
        verdict: Verdict,
        *,
        title: TitleCheck | None = None,
        error: str | None = None,
        details: Iterable[str] = (),
    ) -> Result:
        fetch = self._fetch
        return Result(
            target=self._target,
            verdict=verdict,
            final_url=fetch.final_url,
            status=fetch.status,
            redirects=fetch.redirects,
            title=title,
            error=error,
            elapsed_ms=fetch.elapsed_ms,
            details=tuple(details),
        )
