"""Is a link text a citation at all? ``not_citation(text) -> reason | None``.

Only text that reads as a document's title or description is compared with the page. These are
not, and get ``title.match = None`` with the reason as detail ``not_citation:REASON``:

* ``identifier``: ``#303``, ``GH-12``, ``PR 42``, ``issue #7``, ``RFC 9110``, a commit hash;
* ``mention``: ``@ohmyzsh``;
* ``version``: ``v1.2.3``, ``2.0``, ``release 3.1``;
* ``footnote``: ``1``, ``[2]``, ``^3``, ``¹``;
* ``url_text``: a URL or host shown as text (``github.com/x/y``, ``www.example.org``);
* ``badge``: what badges and images say (``Build Status``, ``PyPI version``, ``License: MIT``);
* ``generic``: words that name no document ("here", "docs", "this article", "hier", "ici" …) or
  a group of people ("partners", "Other sponsors", "the core team"); the name of a project's
  standard page ("Contributing Guide", "Issues", "QuickStart", ``PAGE_KINDS``) is compared;
* ``code_line``: (``code_line(url)``) a link to lines of a source file (``…/file.py#L133``): the
  text names code, not a document;
* ``bare_name``: a token shaped like a software name rather than a word (joined parts, an inner
  capital, letters then digits, consonants only: "winget-pkgs", "DOMPurify", "flake8", "nvs"):
  a name says which site, not which page. A licence ("BSD licensed") is compared: its page (a
  LICENSE file, the licence's own page) carries the word, a mis-link does not. A single word that
  is also a dictionary word ("pivoting", "Bylaws") and a pair of capitalised words ("Trademark
  Policy") are compared (``BARE_NAMES`` off): a mis-link often has one, and the correct page
  shares it; "Budget overview" is a description and is compared.

A manifest entry is always compared; this classifier is for link texts only.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import unquote

from .normalise import normalise_title, words_of

__all__ = ["code_line", "is_login_title", "language_version", "names_language", "not_citation"]

_LOGIN = re.compile(r"^(?:sign in|log in|login|sign up|anmelden|connexion|se connecter|iniciar sesión|accedi)\b",
                    re.IGNORECASE)


def is_login_title(title: str) -> bool:
    """"Sign in to GitHub · GitHub": a login wall says nothing about the page behind it."""
    return bool(_LOGIN.match(title.strip()))

_IDENTIFIER = re.compile(
    r"^(?:(?:issue|issues|pr|pull request|pull|bug|ticket|commit|gh|cve|rfc|pep|bpo|jira|mr|"
    r"merge request|fixes|closes|see)[\s#:-]*)?#?[A-Za-z]{0,6}[-#]?\d[\d.-]*$"
    r"|^[\w.-]+/[\w.-]+#\d+$|^[0-9a-f]{7,40}$|^#\S+$",
    re.IGNORECASE,
)
_MENTION = re.compile(r"^@[\w.-]+(?:/[\w.-]+)?$")
_VERSION = re.compile(
    r"^(?:(?:version|release|rel|ver|tag|v)\s*)?v?\d+(?:\.\d+)+(?:[-.+]?\w+)?$|^v\d+$", re.IGNORECASE
)
_FOOTNOTE = re.compile(r"^[\[(^]?\s*\d{1,3}\s*[\])]?$|^[\u00b9\u00b2\u00b3\u2070-\u2079]+$|^\[\w{1,3}\]$")
_URL_TEXT = re.compile(
    r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$|^(?:[\w-]+\.)+[a-z]{2,}(?:[/:]\S*)?$", re.IGNORECASE
)

_BADGE_WORDS = frozenset(
    """build status ci passing failing coverage codecov coveralls pypi npm version versions downloads
    license licence docs documentation badge chat gitter discord slack twitter follow stars forks
    release latest pipeline tests test workflow actions python pyversions wheel conda anaconda
    maintained maintenance sponsors sponsor backers donate paypal patreon code style black ruff
    quality grade score status pre-commit mypy checked crates io crate docs.rs rtd readthedocs
    travis appveyor circleci azure pipelines lgtm sonar binder colab open in made with powered by
    monthly weekly total contributors commits activity last commit issues prs welcome supported
    mit apache bsd gpl lgpl agpl mpl isc unlicense cc0 cc by sa nc gplv2 gplv3 clause""".split()
)

_GENERIC = frozenset(
    normalise_title(t)
    for t in (
        # English
        "here", "click here", "link", "this link", "the link", "links", "this", "this article", "this post",
        "this page", "this blog post", "this issue", "this pr", "this pull request", "this comment",
        "this thread", "this discussion", "this answer", "this repo", "this repository", "this project",
        "this document", "this paper", "this guide", "this tutorial", "this video", "this one", "that",
        "docs", "doc", "documentation", "the docs", "the documentation", "official docs",
        "official documentation", "read the docs", "api docs", "api reference", "reference", "guide",
        "demo", "live demo", "releases", "license", "licence", "faq", "wiki", "website", "homepage",
        "home page", "home", "blog", "source", "source code", "code", "repo", "repository", "github",
        "download", "downloads", "read more", "more", "learn more",
        "more info", "more information", "details", "info", "see here", "see", "here is", "available here",
        "pdf", "full text", "article", "paper", "post", "blog post", "issue", "discussion",
        "discussions", "forum", "chat", "mailing list", "twitter", "slack", "discord", "gitter",
        "stack overflow", "sponsor", "donate", "report", "the report", "news", "press release",
        "official website", "webpage", "online", "docs site", "documentation site", "manual",
        "the manual", "specification", "spec", "the spec", "original", "original article", "via",
        "archive", "archived", "archived copy", "mirror", "permalink", "next", "previous", "back",
        "top", "back to top", "contact", "contact us", "about", "about us", "help", "support",
        "image", "logo", "screenshot", "picture", "bild",
        # German
        "hier", "hier klicken", "link", "dieser link", "diesen link", "dieser artikel", "diesem artikel",
        "diesen artikel", "mehr", "weiterlesen", "weiter", "mehr erfahren", "mehr dazu", "mehr infos",
        "details", "quelle", "dokumentation", "anleitung", "startseite", "webseite", "website",
        # French
        "ici", "cliquez ici", "lien", "ce lien", "cet article", "en savoir plus", "lire la suite",
        "plus", "suite", "source", "documentation", "site", "site web", "accueil", "voir", "voir ici",
        # Spanish, Portuguese, Italian
        "aqui", "aquí", "haz clic aquí", "clic aquí", "enlace", "este enlace", "este articulo",
        "este artículo", "leer más", "más", "mas", "más información", "fuente", "documentación",
        "clique aqui", "saiba mais", "leia mais", "este link", "qui", "clicca qui", "questo articolo",
        "leggi di più", "di più", "fonte", "documentazione", "sito",
        # Dutch
        "hier klikken", "deze link", "dit artikel", "lees meer", "meer", "meer informatie", "bron",
        # Japanese, Chinese, Korean
        "こちら", "ここ", "こちらから", "リンク", "詳細", "詳しくは", "続きを読む", "もっと見る",
        "这里", "此处", "链接", "更多", "詳情", "여기", "링크", "자세히",
    )
)
PAGE_KINDS = frozenset(
    ("contributing", "contributing guide", "quickstart", "quick start", "getting started", "install",
     "installation", "issues", "changelog", "release notes", "tutorial", "tutorials", "user guide",
     "examples", "example", "code of conduct")
)
"""Names of a project's standard pages: not generic words but the description of one page, whose title
names it ("Contributing - HTTPX", "Issues · owner/repo · GitHub"): compared, so a mis-link is caught."""
_GENERIC_PATTERN = re.compile(
    # "refer here", "read more here", "check it out here": a verb or two pointing at the link itself
    r"^(?:[a-z]+ ){1,3}(?:here|there|hier|ici|aqui|qui|hierzu)$|"
    # "support them", "try it", "read this": a verb whose object is the link itself
    r"^(?:[a-z]+ ){1,2}(?:it|them|this|that|these|those|him|her)$|"
    r"^(?:see |read |check |view |visit |open |in |on |from |at |per |via )?"
    r"(?:this|that|the|our|my|his|her|their|its|these|those|an?)\s+"
    r"(?:\w+\s+)?(?:article|post|page|link|issue|pr|pull request|comment|thread|discussion|answer|"
    r"repo|repository|project|document|paper|guide|tutorial|video|site|website|blog|docs|"
    r"documentation|report|study|survey|talk|slides|book|chapter|section|note|notes|example|here)s?$"
)


@functools.lru_cache(maxsize=4096)
def not_citation(text: str) -> str | None:
    """Why ``text`` is not a citation of a document (see the module docstring), or None."""
    raw = " ".join(text.split())
    if not raw:
        return "generic"
    if _MENTION.match(raw):
        return "mention"
    if _FOOTNOTE.match(raw):
        return "footnote"
    if _VERSION.match(raw):
        return "version"
    if _IDENTIFIER.match(raw):
        return "identifier"
    if _URL_TEXT.match(raw):
        return "url_text"
    norm = normalise_title(raw)
    if not norm:
        return "generic"
    if norm in _GENERIC or _GENERIC_PATTERN.match(norm):
        return "generic"
    if norm in PAGE_KINDS:
        return None  # "Contributing Guide", "Issues", "QuickStart": one page of the project, compared
    words = words_of(raw)
    if len(words) <= 3 and words[-1] in _PEOPLE_WORDS and not any(w in _LICENCE_WORDS for w in words):
        return "generic"  # "partners", "Other sponsors", "the core team": people, not a document
    if words and all(w in _BADGE_WORDS or any(c.isdigit() for c in w) for w in words) and len(words) <= 6:
        return "badge"
    if _is_cjk(raw):
        return "bare_name" if len(words) <= 2 else None
    if len(words) <= 4 and (words[-1] in _BADGE_HEADS or all(w in _BADGE_WORDS or len(w) == 1 or
                                                         any(c.isdigit() for c in w) for w in words)):
        return "badge"  # "nvm version", "conda-forge downloads", "Python 3.x"
    if _is_coined_name(raw):
        return "bare_name"  # "winget-pkgs", "DOMPurify", "flake8", "nvs": a name no dictionary has
    if BARE_NAMES and len(raw.split()) == 1 and not _is_cjk(raw):
        return "bare_name"  # "winget-pkgs", "db-to-sqlite"
    if GENERIC_HEADS and len(raw.split()) <= 3 and words[-1] in _GENERIC_HEADS:
        return "generic"  # "pandas documentation", "the Python docs", "project website"
    if BARE_NAMES and (len(words) == 1 or (len(words) == 2 and _looks_like_names(raw))):
        return "bare_name"
    return None


BARE_NAMES = False
GENERIC_HEADS = False
"""Single words and pairs of names are compared (a wrong link often has one: "Trademark Policy");
a correct one shares its word with the page or URL and is then ``partial_description``."""
_BADGE_HEADS = frozenset("version downloads status coverage build ci chat license licence".split())
_GENERIC_HEADS = frozenset(
    """docs documentation website homepage repo repository wiki site page blog guide tutorial
    changelog api reference manual handbook webseite dokumentation seite""".split()
)
_PEOPLE_WORDS = frozenset(
    """sponsor sponsors partner partners backer backers supporter supporters maintainer maintainers
    member members team teams author authors donor donors funder funders people folks community
    sponsoren partenaires mecenes patrocinadores""".split()
)
"""Heads of texts naming a group of people (a sponsors list, the team page): no document's title."""
_LICENCE_WORDS = frozenset("license licence licensed licenced lizenz licencia licença".split())


_COINED = re.compile(
    r"^[A-Za-z][A-Za-z0-9]*(?:[-_.][A-Za-z0-9]+)+$"  # winget-pkgs, db-to-sqlite, zsh-nvm
    r"|^[A-Za-z][A-Za-z0-9]*(?:[a-z][A-Z]|[A-Z]{2}[a-z])[A-Za-z0-9]*$"  # GitHub, FastAPI, DOMPurify
    r"|^[A-Za-z]+[0-9]+[A-Za-z0-9]*$"  # flake8, HDF5
    r"|^[b-df-hj-np-tv-xz]{2,5}$"  # nvs, zsh, npm: lower-case letters with no vowel
)


def _is_coined_name(text: str) -> bool:
    """One token shaped like a software name rather than a word: joined parts, an inner capital,
    letters then digits, or lower-case consonants only. Such a token names a project or tool."""
    return " " not in text and bool(_COINED.match(text))


def _looks_like_names(text: str) -> bool:
    """Every word capitalised, upper-case or with inner capitals ("Django REST", "GitHub Actions")."""
    parts = [p for p in re.split(r"[\s/&+,-]+", text) if p]
    return bool(parts) and all(p[0].isupper() or p[0].isdigit() or not p.isalpha() for p in parts)


def _is_cjk(text: str) -> bool:
    return any(0x3040 <= ord(c) < 0xA000 for c in text)


_LANGUAGES: dict[str, str] = {}
for _code, _names in {
    "en": "english", "de": "german deutsch deutsche deutscher", "fr": "french francais française",
    "es": "spanish espanol español castellano", "it": "italian italiano", "pt": "portuguese portugues português brazilian brasileiro brasileira",
    "nl": "dutch nederlands", "ja": "japanese 日本語", "zh": "chinese 中文 简体中文 繁體中文 simplified traditional",
    "ko": "korean 한국어", "ru": "russian русский", "uk": "ukrainian українська", "pl": "polish polski",
    "tr": "turkish turkce türkçe", "ar": "arabic", "he": "hebrew", "hi": "hindi", "id": "indonesian",
    "vi": "vietnamese", "th": "thai", "cs": "czech", "sv": "swedish", "no": "norwegian", "da": "danish",
    "fi": "finnish", "el": "greek", "hu": "hungarian", "ro": "romanian", "fa": "persian farsi",
}.items():
    for _name in _names.split():
        _LANGUAGES[normalise_title(_name)] = _code
_LANGUAGE_TAILS = frozenset("readme version translation translations docs documentation edition chinese".split())
_TRANSLATION_HINTS = frozenset(
    """translation translations translated traduction traductions traducciones traduccion traducao
    traducoes traduzione traduzioni ubersetzung ubersetzungen vertaling i18n l10n locale locales
    lang langs languages""".split()
)


def names_language(text: str) -> str | None:
    """The language code a link text names ("Spanish", "Deutsche readme", "日本語"), or None: such a
    text says which language version it links to, it is not written in that language."""
    words = normalise_title(text).split()
    if not words or words[0] not in _LANGUAGES or not all(w in _LANGUAGES or w in _LANGUAGE_TAILS for w in words):
        return None
    return _LANGUAGES[words[0]]


def language_version(text: str, *places: str | None) -> str | None:
    """The language a link text names ("Spanish", "Deutsche readme", "日本語") when the page title or
    URL says it is a language version: a translation word ("traducciones", "i18n") or that
    language's code as a path part or file-name part ("/es/", "README.es.md", "zh-CN"); else None.
    A language name pointing anywhere else is compared like any text ("English readme" for a
    crate's docs is a mis-link)."""
    code = names_language(text)
    if code is None:
        return None
    for place in places:
        parts = set(re.split(r"[^a-z0-9]+", unquote(place or "").lower()))
        if parts & _TRANSLATION_HINTS or code in parts:
            return code
    return None
_CODE_LINE = re.compile(r"^L\d+(?:C\d+)?(?:-L?\d+(?:C\d+)?)?$|^lines?-\d+(?::\d+)?$")


def code_line(url: str | None) -> bool:
    """Does the URL point at lines of a source file (GitHub/GitLab ``#L133``, ``#L10-L20``,
    Bitbucket ``#lines-10``)?"""
    return bool(url) and bool(_CODE_LINE.match((url or "").partition("#")[2]))
