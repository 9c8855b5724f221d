"""Local links: relative paths and ``#fragments`` of local documents, checked offline on the files.

``[guide](docs/guide.md#install-steps)``, ``![logo](img/logo.png)``, ``[usage](#usage)`` and
``<a href="page.html#id">`` in a local file point at files beside it. They are resolved here
against the folder of the document that holds them (site-absolute ``/docs/x.md`` against
``--root-dir``, by default the top of the document's git work tree, as GitHub renders them),
and checked without any request: the file exists, with the same case of letters; a folder has
an index or README; the ``#fragment`` is a heading (GitHub-style slug, duplicates ``-1``,
``-2``), an explicit ``{#id}``, or an HTML ``id``/``<a name>`` of that file.

``--base-url`` turns site-absolute paths (and every relative link of standard input, which has
no folder) into URLs checked over the network like any other. Without it, a relative link read
from standard input cannot be resolved and is ``excluded`` with the reason.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import quote, unquote, urljoin, urlsplit

from .config import Config
from .models import Link, Result, Target, Verdict

__all__ = [
    "INDEX_NAMES",
    "LOCAL_DETAIL",
    "LocalRef",
    "check_local",
    "html_anchors",
    "local_key",
    "markdown_anchors",
    "resolve_local",
    "slug",
]

LOCAL_DETAIL = "local"
"""The detail every result of a local link carries, so reports and tools can tell them apart."""
INDEX_NAMES = ("index.html", "index.htm", "index.md", "README.md", "readme.md", "README.markdown", "README")
"""What a link to a folder opens, in this order (a static site's index, else GitHub's README)."""

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_MARKDOWN = frozenset({".md", ".markdown"})
_HTML = frozenset({".html", ".htm"})
_IMPLICIT_FRAGMENTS = frozenset({"", "top"})
_LINE_FRAGMENT = re.compile(r"L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?")
"""GitHub's line anchors (``#L10``, ``#L10-L20``) on a file's page."""
_EXPLICIT_ID = re.compile(r"\s*\{:?\s*#([^\s}]+)[^}]*\}\s*$")
"""``## Title {#id}`` (pandoc, kramdown, MkDocs attr_list) at the end of a heading."""
_HTML_ID = re.compile(r"""<[A-Za-z][^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.DOTALL)


@dataclass(frozen=True, slots=True)
class LocalRef:
    """What a link without a scheme points at."""

    kind: Literal["file", "url", "excluded"]
    """``file``: checked offline; ``url``: a URL made with ``--base-url``; ``excluded``: not checkable."""
    key: str
    """De-duplication key: ``file:`` and the path from the current folder, with the fragment; or the URL."""
    checked_url: str
    """The file path from the current folder (``docs/guide.md#install``), or the URL."""
    reason: str | None = None


def _is_url_source(source: str) -> bool:
    return source[:8].lower().startswith(("http://", "https://"))


def _display(path: str) -> str:
    """A path as reports show it and keys hold it: from the current folder (``../x`` above it)."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        relative = path
    return relative if os.sep == "/" else Path(relative).as_posix()


@lru_cache(maxsize=4096)
def _document_path(source: str, cwd: str) -> str:
    """The absolute path of a document (``cwd`` is part of the key: the folder may change)."""
    return os.path.join(cwd, "-") if source == "-" else os.path.abspath(source)


@lru_cache(maxsize=1024)
def _git_top(folder: str) -> str | None:
    """The top of the git work tree holding ``folder`` (a ``.git`` folder or file), or None."""
    current = Path(folder)
    for candidate in (current, *current.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return None


def resolve_local(link: Link, config: Config) -> LocalRef | None:
    """What a link without a scheme points at; None for a URL (``https:``, ``mailto:``, ``//host``)."""
    url = link.url
    if _SCHEME.match(url) or url.startswith("//"):
        return None
    source = link.occurrence.source
    path_part, has_fragment, fragment = url.partition("#")
    path_part = path_part.split("?", 1)[0]
    site_absolute = path_part.startswith("/")
    if config.base_url and (site_absolute or source == "-" or _is_url_source(source)):
        resolved = urljoin(config.base_url, url)
        return LocalRef("url", resolved, resolved)
    if (source == "-" or _is_url_source(source)) and not (site_absolute and config.root_dir):
        return LocalRef("excluded", f"local:-:{url}", url,
                            "relative link in standard input: no folder to resolve it against (give --base-url)")
    document = _document_path(source, os.getcwd())
    if site_absolute:
        root = config.root_dir or _git_top(os.path.dirname(document)) or os.getcwd()
        target = os.path.join(os.path.abspath(root), unquote(path_part.lstrip("/")))
    elif path_part:
        target = os.path.join(os.path.dirname(document), unquote(path_part))
    else:
        target = document  # "#usage", "?plain=1": the document itself
    absolute = os.path.normpath(target)
    # Named from the current folder, not by absolute path: shards of one plan on machines with
    # other checkout folders must agree on the key (shard choice, plan fingerprint).
    checked = _display(absolute) + ("/" if path_part.endswith("/") else "") + (("#" + fragment) if has_fragment else "")
    return LocalRef("file", local_key(checked), checked)


def local_key(checked_url: str) -> str:
    """The key of a local target from its ``checked_url`` (reading a JSON report back)."""
    path, sep, fragment = checked_url.partition("#")
    return "file:" + quote(path) + sep + fragment


def _parse_key(key: str) -> tuple[str, str | None]:
    """(absolute path, with its trailing ``/`` if written; decoded fragment or None) from a key."""
    parts = urlsplit(key)
    fragment = unquote(parts.fragment) if "#" in key else None
    path = unquote(parts.path)
    return os.path.abspath(path) + ("/" if path.endswith("/") else ""), fragment


# --------------------------------------------------------------------------------------------
# Anchors


def slug(text: str) -> str:
    """GitHub's heading id: lower case, everything but letters, marks, digits, ``_``, ``-`` and
    spaces dropped, each space a ``-`` (no collapsing: ``a  b`` → ``a--b``)."""
    kept = [
        char for char in text.strip().lower()
        if char in "- _" or unicodedata.category(char)[0] in "LMN" or unicodedata.category(char) == "Pc"
    ]
    return "".join(kept).replace(" ", "-")


class _Slugger:
    """Unique slugs in document order: the second ``Usage`` is ``usage-1`` (github-slugger)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def unique(self, base: str) -> str:
        result = base
        while result in self.seen:
            self.seen[base] += 1
            result = f"{base}-{self.seen[base]}"
        self.seen[result] = 0
        return result


def _inline_text(children: list[object]) -> str:
    """A heading's text as a reader sees it (emphasis and links unwrapped, images and tags left out)."""
    pieces: list[str] = []
    for child in children:
        kind = getattr(child, "type", "")
        if kind in ("text", "code_inline"):
            pieces.append(str(getattr(child, "content", "")))
        elif kind in ("softbreak", "hardbreak"):
            pieces.append(" ")
    return "".join(pieces)


def _html_ids(markup: str) -> set[str]:
    found: set[str] = set()
    for match in _HTML_ID.finditer(markup):
        value = next(group for group in match.groups() if group is not None)
        if value:
            found.add(value)
    return found


def markdown_anchors(text: str) -> frozenset[str]:
    """Every fragment a Markdown file answers to: heading slugs, explicit ``{#id}``, HTML ids."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    slugger = _Slugger()
    anchors: set[str] = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            heading = _inline_text(list(tokens[index + 1].children or []))
            explicit = _EXPLICIT_ID.search(heading)
            if explicit:
                anchors.add(explicit.group(1))
                heading = heading[: explicit.start()]
            anchors.add(slugger.unique(slug(heading)))
        elif token.type in ("html_block", "inline"):
            markup = token.content if token.type == "html_block" else "".join(
                child.content for child in token.children or [] if child.type == "html_inline"
            )
            if "<" in markup:
                anchors |= _html_ids(markup)
    return frozenset(anchors)


def html_anchors(text: str) -> frozenset[str]:
    """Every element ``id`` and ``<a name>`` of an HTML file."""
    from html.parser import HTMLParser

    class _AnchorParser(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.anchors: set[str] = set()

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if value and (name == "id" or (name == "name" and tag == "a")):
                    self.anchors.add(value)

        handle_startendtag = handle_starttag

    parser = _AnchorParser()
    with contextlib.suppress(Exception):  # html.parser on broken markup: keep what was read
        parser.feed(text)
        parser.close()
    return frozenset(parser.anchors)


@lru_cache(maxsize=512)
def _anchors_of(path: str, mtime_ns: int, size: int) -> frozenset[str]:
    """Anchors of one file, read once per version of it (many links point into one README)."""
    from .load import decode

    suffix = PurePosixPath(path.lower()).suffix
    with open(path, "rb") as handle:
        text = decode(handle.read(), is_html=suffix in _HTML)
    return markdown_anchors(text) if suffix in _MARKDOWN else html_anchors(text)


# --------------------------------------------------------------------------------------------
# The check


@lru_cache(maxsize=4096)
def _names_in(folder: str, mtime_ns: int) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


def _case_mismatch(path: str) -> str | None:
    """The name as it really is on disk when ``path`` matches it only ignoring case (macOS,
    Windows), else None: a link that works on a laptop must also work on a Linux server."""
    current = Path(path)
    stop = Path(os.getcwd())
    while current != current.parent and current != stop:
        folder = current.parent
        try:
            names = _names_in(str(folder), folder.stat().st_mtime_ns)
        except OSError:
            return None
        if current.name not in names:
            for name in names:
                if name.lower() == current.name.lower():
                    return str(folder / name)
        current = folder
    return None


def _index_of(folder: str) -> str | None:
    try:
        names = _names_in(folder, os.stat(folder).st_mtime_ns)
    except OSError:
        return None
    return next((os.path.join(folder, name) for name in INDEX_NAMES if name in names), None)


def _has_anchor(path: str, fragment: str) -> tuple[bool, frozenset[str]]:
    stat = os.stat(path)
    anchors = _anchors_of(path, stat.st_mtime_ns, stat.st_size)
    if fragment in anchors:
        return True, anchors
    is_markdown = PurePosixPath(path.lower()).suffix in _MARKDOWN
    if is_markdown and fragment.lower() in {anchor.lower() for anchor in anchors}:
        return True, anchors  # GitHub finds #Usage as #usage
    return False, anchors


def check_local(target: Target, config: Config) -> Result:
    """The verdict on a local link: ``ok``, or ``broken`` with the reason in ``error``; no request."""
    started = time.perf_counter()
    path, fragment = _parse_key(target.key)
    details: tuple[str, ...] = (LOCAL_DETAIL,)

    def result(verdict: Verdict, error: str | None = None, final: str | None = None, more: tuple[str, ...] = ()
               ) -> Result:
        elapsed = int((time.perf_counter() - started) * 1000)
        return Result(target=target, verdict=verdict, final_url=final, error=error, elapsed_ms=elapsed,
                      details=(*details, *more))

    shown = _display(path.rstrip("/") or "/")
    try:
        is_dir = os.path.isdir(path)
        exists = is_dir or os.path.isfile(path)
    except (OSError, ValueError):
        exists = is_dir = False
    if not exists:
        reason = "not a directory" if path.endswith("/") and os.path.isfile(path.rstrip("/")) else "no such file"
        return result(Verdict.BROKEN, f"{reason}: {shown}", more=("file_missing",))
    real = _case_mismatch(path.rstrip("/"))
    if real is not None:
        return result(Verdict.BROKEN, f"no such file: {shown} (on disk it is {_display(real)}: names are"
                                      " case-sensitive on most servers)", more=("file_missing",))
    file = path
    if is_dir:
        index = _index_of(path)
        if index is None:
            if fragment is not None and fragment not in _IMPLICIT_FRAGMENTS and config.check_fragments:
                return result(Verdict.BROKEN, f"fragment_missing: #{fragment}: folder {shown}/ has no index"
                                              " or README to hold it", more=("fragment_missing",))
            return result(Verdict.OK, more=("directory",))
        file = index
    final = _display(file)
    if fragment is None or fragment in _IMPLICIT_FRAGMENTS or not config.check_fragments:
        return result(Verdict.OK, final=final)
    suffix = PurePosixPath(file.lower()).suffix
    if suffix not in _MARKDOWN and suffix not in _HTML:
        unverified = () if _LINE_FRAGMENT.fullmatch(fragment) else ("fragment_unverified",)
        return result(Verdict.OK, final=final, more=unverified)
    try:
        found, anchors = _has_anchor(file, fragment)
    except OSError as exc:
        return result(Verdict.BROKEN, f"cannot read {final}: {exc.strerror or exc}")
    if found:
        return result(Verdict.OK, final=final)
    import difflib

    close = difflib.get_close_matches(fragment, sorted(anchors), n=1, cutoff=0.75)
    hint = f" (did you mean #{close[0]}?)" if close else ""
    return result(Verdict.BROKEN, f"fragment_missing: #{fragment} is no heading or anchor of {final}{hint}",
                  final=final, more=("fragment_missing",))
