"""[Link] → [Target]: de-duplicate, remap, attach expectations and decide what is never requested.

A URL cited ten times is checked once: links are grouped by their normalised form, in order of
first appearance, and every occurrence is kept so a report can point at each citation. What is
not requested (other schemes, malformed URLs, ``--include``/``--exclude``) is decided here, as
data on the Target, so that the client only ever sees URLs it can fetch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .config import Config
from .local import LocalRef, resolve_local
from .models import Expectation, Link, Occurrence, Target
from .urls import HTTP_SCHEMES, invalid_reason, normalise, scheme_of, template_placeholder

__all__ = ["Grouped", "collect", "expectation_from_text", "group_links", "is_url_text", "remap"]

TEMPLATE_PLACEHOLDER = "template placeholder"
"""The reason of a URL with ``{{ … }}``, ``{% … %}``, ``${…}`` … in it: never requested."""
_DECORATION = re.compile(r"(?:https?://)?(?:www\.)?", re.IGNORECASE)
"""What ``is_url_text`` drops in front of a URL (matched at the start only), with one trailing ``/``."""


@dataclass
class _Group:
    url: str
    local: LocalRef | None = None
    """Set for a link without a scheme (see ``local.py``)."""
    occurrences: list[Occurrence] = field(default_factory=list)


def remap(url: str, rules: Sequence[tuple[re.Pattern[str], str]]) -> str:
    """Apply every ``--remap`` rule in order; each sees the result of the one before."""
    for pattern, replacement in rules:
        url = pattern.sub(replacement, url)
    return url


def is_url_text(text: str, url: str) -> bool:
    """Is the link text just the URL shown again (``<a href=u>u</a>``, ``example.org/x``)?

    Such text says nothing about what the page is, so it is not an expected title.
    """

    def bare(value: str) -> str:
        value = value.strip()
        value = value[_DECORATION.match(value).end():]  # type: ignore[union-attr] # it matches "" at least
        return (value[:-1] if value.endswith("/") else value).casefold()

    return bare(text) == bare(url)


def expectation_from_text(url: str, occurrences: Iterable[Occurrence]) -> Expectation | None:
    """The first link text that is more than the URL itself, as the expected title; an image's
    alt text (``origin="image_alt"``, never compared) only when no occurrence has words."""
    alt = None
    for occurrence in occurrences:
        text = (occurrence.text or "").strip()
        if text and not is_url_text(text, url):
            if not occurrence.alt:
                return Expectation(title=text, origin="link_text")
            alt = alt or text
    return Expectation(title=alt, origin="image_alt") if alt else None


_Skip = tuple[Literal["excluded", "invalid", "local"], str | None] | tuple[None, None]


def _skip(url: str, checked_url: str, config: Config, local: LocalRef | None = None) -> _Skip:
    """(skip, reason) for a URL that is not requested, else (None, None)."""
    if local is not None and local.kind == "excluded":
        return "excluded", local.reason
    if local is not None and local.kind == "file":
        if not config.local:
            return "excluded", "local link (--no-local)"
        return _filtered(url, checked_url, config) or ("local", None)
    scheme = scheme_of(checked_url)
    if scheme is not None and scheme not in HTTP_SCHEMES:
        return "excluded", f"scheme {scheme}"
    if template_placeholder(checked_url):  # --exclude can still set these aside
        return _filtered(url, checked_url, config) or ("invalid", TEMPLATE_PLACEHOLDER)
    if scheme is None:
        return "invalid", "no scheme"
    reason = invalid_reason(checked_url)
    if reason is not None:
        return "invalid", reason
    return _filtered(url, checked_url, config) or (None, None)


def _filtered(url: str, checked_url: str, config: Config) -> tuple[Literal["excluded"], str] | None:
    """``--include``/``--exclude``, searched in the URL as written and as checked."""
    candidates = (url, checked_url)
    if config.include and not any(p.search(u) for p in config.include for u in candidates):
        return "excluded", "not included"
    for pattern in config.exclude:
        if any(pattern.search(u) for u in candidates):
            return "excluded", f"excluded by {pattern.pattern!r}"
    return None


def collect(
    links: Iterable[Link],
    config: Config,
    expectations: Mapping[str, Expectation] | None = None,
) -> list[Target]:
    """Unique targets in order of first appearance, each with all its occurrences.

    ``expectations`` (a manifest) is keyed by URL; keys are normalised here too, so a manifest
    may write a URL the way the document does. Include/exclude patterns are searched in both the
    URL as written and the URL after remapping. Links without a scheme are resolved by
    ``local.resolve_local``: a local file becomes a target with ``skip="local"`` (checked offline,
    never requested), keyed by its ``file:`` path so that ``guide.md`` in two folders are two
    targets and ``docs/guide.md`` and ``guide.md`` naming one file are one.
    """
    return list(group_links(links, config, expectations).targets())


class Grouped:
    """``collect`` in two passes: links grouped by target (cheap), then each target made.

    The first pass (here) only normalises each link and groups the occurrences, so a run knows
    how many targets there are, their keys and the pages it may fetch before any ``Target``
    exists; ``targets()`` makes them one by one (validity, remapping, expectations: four fifths
    of the cost), so a run can start the first checks while the rest are still being made.
    """

    def __init__(
        self, links: Iterable[Link], config: Config, expectations: Mapping[str, Expectation] | None = None
    ) -> None:
        self._config = config
        groups: dict[str, _Group] = {}
        for link in links:
            # A template's link ({{ site.baseurl }}/docs/) names no file either: not resolved locally.
            local = None if template_placeholder(link.url) else resolve_local(link, config)
            key = normalise(link.url) if local is None else local.key if local.kind != "url" else normalise(local.key)
            group = groups.get(key)
            if group is None:
                group = groups[key] = _Group(link.url, local)
            group.occurrences.append(link.occurrence)
        self._groups = groups
        self._count = len(groups)
        self._manifest = {normalise(url): expectation for url, expectation in (expectations or {}).items()}

    def __len__(self) -> int:
        return self._count

    @property
    def keys(self) -> list[str]:
        return list(self._groups)

    def requested_urls(self) -> list[str]:
        """The URL each target that is not a local file will request, unless it turns out skipped."""
        return [self._checked_url(group) for group in self._groups.values() if self._is_remote(group)]

    @staticmethod
    def _is_remote(group: _Group) -> bool:
        return group.local is None or group.local.kind == "url"

    def _checked_url(self, group: _Group) -> str:
        return remap(group.url if group.local is None else group.local.checked_url, self._config.remap)

    def targets(self) -> Iterator[Target]:
        """Every target, in order of first appearance (the same as ``collect`` returns); once.

        Each group is let go as soon as its target is made (100,000 links: ~15 MB of groups that
        a run would otherwise hold to its end); ``keys`` and ``requested_urls`` are for before."""
        config, manifest = self._config, self._manifest
        pending: list[tuple[str, _Group] | None] = list(self._groups.items())
        self._groups = {}
        for index in range(len(pending)):
            item = pending[index]
            pending[index] = None
            assert item is not None
            key, group = item
            local = group.local
            if not self._is_remote(group):  # a local file: no remap, no title to compare
                assert local is not None
                checked_url, expected = local.checked_url, None
                skip, reason = _skip(group.url, checked_url, config, local)
            else:
                checked_url = self._checked_url(group)
                skip, reason = _skip(group.url, checked_url, config)
                expected = manifest.get(key) or expectation_from_text(group.url, group.occurrences)
            yield Target(
                key=key,
                url=group.url,
                checked_url=checked_url,
                occurrences=tuple(group.occurrences),
                expected=expected,
                skip=skip,
                skip_reason=reason,
            )


def group_links(
    links: Iterable[Link], config: Config, expectations: Mapping[str, Expectation] | None = None
) -> Grouped:
    """The first pass of ``collect`` (see ``Grouped``)."""
    return Grouped(links, config, expectations)
