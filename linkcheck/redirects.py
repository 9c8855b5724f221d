"""The redirect chain of one fetch, and which headers and credentials each hop may carry.

Redirects are followed by the client's own loop (httpx's ``follow_redirects`` stays off) so every
hop is recorded here, and credentials never cross to another origin: ``Authorization``,
``Cookie``, ``Proxy-Authorization``, every ``--header`` and the URL's user and password are
dropped when a hop leaves the origin; ``--host-header`` values are chosen again for each hop's
host.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from .config import Config
from .failures import Failure
from .models import ErrorKind, Fetch, Redirect
from .urls import invalid_reason, redact, scheme_of

if TYPE_CHECKING:
    from .answer import Answer

__all__ = [
    "REDIRECT_STATUSES",
    "Chain",
    "default_port",
    "display",
    "for_other_origin",
    "headers_for_host",
    "origin",
    "to_url",
    "with_fragment",
]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_SENSITIVE_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization"})


@dataclass
class Chain:
    """The redirect chain of one fetch, turned into the final ``Fetch``."""

    url: str
    started: float
    redirects: list[Redirect] = field(default_factory=list)
    attempts: int = 1

    def _elapsed(self) -> int:
        return int((time.monotonic() - self.started) * 1000)

    def failed(self, final_url: str, kind: ErrorKind, message: str | None, answer: Answer | None = None) -> Fetch:
        return Fetch(
            url=self.url,
            final_url=final_url,
            status=answer.status if answer is not None else None,
            headers=answer.headers if answer is not None else (),
            redirects=tuple(self.redirects),
            error_kind=kind,
            error=redact(message or kind.value),
            elapsed_ms=self._elapsed(),
            attempts=self.attempts,
        )

    def finished(self, final_url: str, answer: Answer) -> Fetch:
        return Fetch(
            url=self.url,
            final_url=final_url,
            status=answer.status,
            headers=answer.headers,
            body=bytes(answer.body),
            is_body_complete=answer.is_complete,
            redirects=tuple(self.redirects),
            elapsed_ms=self._elapsed(),
            attempts=self.attempts,
        )


def for_other_origin(
    headers: Mapping[str, str], user_header_names: set[str], target: httpx.URL
) -> tuple[dict[str, str], httpx.URL]:
    """A hop's headers and URL once it leaves the origin: no credentials, no ``--header``, no userinfo."""
    kept = {
        name: value
        for name, value in headers.items()
        if name.lower() not in _SENSITIVE_HEADERS and name.lower() not in user_header_names
    }
    return kept, target.copy_with(username=None, password=None)


def headers_for_host(config: Config, url: httpx.URL) -> dict[str, str]:
    """``--host-header`` values for this URL's host (and port, when one was named): re-chosen on
    every hop, so one host's credentials never follow a redirect to another."""
    host = url.host.lower().rstrip(".")
    wire = url.raw_host.decode("ascii", "replace").lower().rstrip(".")
    port = url.port or default_port(url.scheme)
    return {
        name: value
        for pattern, wanted_port, name, value in config.host_headers
        if pattern in (host, wire) and wanted_port in (None, port)
    }


def to_url(url: str) -> httpx.URL:
    scheme = scheme_of(url)
    if scheme is None:
        raise Failure(ErrorKind.INVALID_URL, "invalid URL: no scheme")
    if scheme in ("http", "https"):
        reason = invalid_reason(url)
        if reason is not None:
            raise Failure(ErrorKind.INVALID_URL, f"invalid URL: {reason}")
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise Failure(ErrorKind.INVALID_URL, f"invalid URL: {exc}") from exc
    if parsed.scheme in ("http", "https") and not parsed.host:
        raise Failure(ErrorKind.INVALID_URL, "invalid URL: no host")
    return parsed


def default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


def origin(url: httpx.URL) -> tuple[str, str, int]:
    return url.scheme, url.host.lower(), url.port or default_port(url.scheme)


def with_fragment(url: httpx.URL, fragment: str) -> str:
    return display(url.copy_with(fragment=fragment or None) if fragment else url)


def display(url: httpx.URL) -> str:
    """``str(url)``, but an IDNA host in Unicode: punycode is for the wire, reports are for people."""
    text = str(url)
    wire_host = url.raw_host.decode("ascii", "replace")
    if not wire_host or url.host == wire_host:
        return text
    scheme, sep, rest = text.partition("://")
    authority, slash, tail = rest.partition("/")
    userinfo, at, hostport = authority.rpartition("@")
    return f"{scheme}{sep}{userinfo}{at}{hostport.replace(wire_host, url.host, 1)}{slash}{tail}"
