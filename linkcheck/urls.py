"""URL helpers shared by every stage: the de-duplication key, validity, redaction, wire form.

These work on the URL *as written* and change as little as possible: a report must show the
citation the way the author typed it, while de-duplication and the network need their own forms.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_PORTS",
    "HTTP_SCHEMES",
    "host_to_ascii",
    "invalid_reason",
    "is_http",
    "normalise",
    "redact",
    "scheme_of",
    "template_placeholder",
    "to_wire",
]

DEFAULT_PORTS: dict[str, str] = {"http": "80", "https": "443"}
"""Ports that mean nothing when written: ``http://x:80/`` and ``http://x/`` are one target."""
HTTP_SCHEMES = frozenset({"http", "https"})

_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):(?://([^/?#]*))?(.*)", re.DOTALL)
_CREDENTIALS = re.compile(r"(?<=://)[^/?#\s]*@")
_BAD_HOST_CHARS = re.compile(r"[\s<>\"{}|\\^`]")
_NON_ASCII_OR_SPACE = re.compile(r"[^\x21-\x7e]")
URI_TEMPLATE_EXPRESSION = r"\{[+#./;?&=,!@|]?[A-Za-z0-9_.%]+(?::[0-9]{1,4}|\*)?(?:,[A-Za-z0-9_.%]+(?::[0-9]{1,4}|\*)?)*\}"
"""An RFC 6570 URI Template expression (``{user}``, ``{?page,per_page}``, ``{/path*}``)."""
_PLACEHOLDER = re.compile(
    r"\{\{|\{%|[$#]\{[^{}]*\}|<%|%7B%7B|%7B%25|\$%7B|" + URI_TEMPLATE_EXPRESSION,
    re.IGNORECASE,
)
"""What a template engine would have replaced: ``{{ … }}`` (Jinja, Liquid, Hugo, Go, Handlebars),
``{% … %}`` (Jinja, Liquid, Django), ``${…}`` (shell, JavaScript, Maven), ``#{…}`` (Ruby, Pug),
``<% … %>`` (ERB, EJS), a URI Template expression, and the first three percent-encoded."""


class _Parts(NamedTuple):
    """A URL split without rewriting anything, so it can be put back together as written (a
    tuple: every stage splits each URL a few times, and a frozen dataclass cost a third of it)."""

    scheme: str
    authority: str | None
    rest: str
    """Path, query and fragment as written."""

    def host_and_port(self) -> tuple[str, str, str]:
        """(userinfo with its ``@`` or '', host, port) of the authority; IPv6 hosts keep their brackets."""
        userinfo, at, hostport = (self.authority or "").rpartition("@")
        prefix = userinfo + at
        if hostport.startswith("["):
            end = hostport.find("]")
            after = hostport[end + 1 :] if end != -1 else ""
            if end != -1 and (not after or (after.startswith(":") and (after == ":" or after[1:].isdigit()))):
                return prefix, hostport[: end + 1], after[1:]
            return prefix, hostport, ""
        host, colon, port = hostport.rpartition(":")
        if colon and ":" not in host and (port == "" or port.isdigit()):
            return prefix, host, port
        return prefix, hostport, ""


def _split(url: str) -> _Parts | None:
    match = _URL.fullmatch(url.strip())
    if match is None:
        return None
    return _Parts(match.group(1), match.group(2), match.group(3))


def normalise(url: str) -> str:
    """The de-duplication key of a URL.

    Only differences that can never change what is fetched are removed: the case of scheme and
    host, a default port, an empty path. Percent-encoding, query and fragment stay as written,
    because ``%2F`` vs ``/`` or ``#a`` vs ``#b`` can be different targets (fragments are checked).
    """
    parts = _split(url)
    if parts is None:
        return url.strip()
    scheme = parts.scheme.lower()
    if parts.authority is None:
        return f"{scheme}:{parts.rest}"
    userinfo, host, port = parts.host_and_port()
    hostport = host.lower()
    if port and DEFAULT_PORTS.get(scheme) != port:
        hostport += ":" + port
    rest = parts.rest
    if not rest.startswith("/") and scheme in HTTP_SCHEMES:
        rest = "/" + rest
    return f"{scheme}://{userinfo}{hostport}{rest}".strip()


def redact(url: str) -> str:
    """Hide credentials (``user:pass@`` → ``***@``) in a URL or in a message that contains URLs.

    Every report and log line goes through this: a citation may carry a password that must be
    sent to the server but never printed.
    """
    if "@" not in url:  # nothing to hide (most URLs): no regex pass
        return url
    return _CREDENTIALS.sub("***@", url)


def scheme_of(url: str) -> str | None:
    """Lower-cased scheme, or None when the text has none."""
    parts = _split(url)
    return parts.scheme.lower() if parts else None


def is_http(url: str) -> bool:
    """Is this an ``http://`` or ``https://`` URL (the only ones linkcheck requests)?"""
    return scheme_of(url) in HTTP_SCHEMES


def host_to_ascii(host: str) -> str:
    """IDNA (punycode) form of a host name; IP literals and ASCII names pass through.

    Raises ``UnicodeError`` when the name cannot be encoded (empty label, forbidden code point).
    """
    if host.isascii():
        return host
    try:
        import idna
    except ImportError:  # pragma: no cover - idna comes with httpx
        return host.encode("idna").decode("ascii")
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise UnicodeError(str(exc)) from None


def _quote_non_ascii(text: str) -> str:
    return _NON_ASCII_OR_SPACE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), text)


def to_wire(url: str) -> str:
    """The URL as sent on the wire: punycode host, non-ASCII and spaces percent-encoded.

    Reports keep the Unicode form; only the request needs this one. Raises ``UnicodeError`` for a
    host that has no IDNA form.
    """
    parts = _split(url)
    if parts is None or parts.authority is None:
        return _quote_non_ascii(url.strip())
    userinfo, host, port = parts.host_and_port()
    hostport = host_to_ascii(host) + (":" + port if port else "")
    return f"{parts.scheme}://{_quote_non_ascii(userinfo)}{hostport}{_quote_non_ascii(parts.rest)}"


def template_placeholder(url: str) -> str | None:
    """The first template placeholder in a URL (``{{ entry.hash }}``, ``{% link x.md %}``,
    ``${version}`` …), or None.

    Such a URL is a template's source, not a citation: what it names is only known once the
    site is built, so it is never requested.
    """
    if "{" not in url and "%" not in url and "<" not in url:
        return None
    match = _PLACEHOLDER.search(url)
    return match.group() if match else None


_PLAIN_HTTP = re.compile(
    r"https?://(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+(?::([0-9]{1,5}))?(?:[/?#][\x21-\x7e]*)?", re.IGNORECASE
)
"""An http(s) URL with a plain host name (letters, digits, hyphens; no empty label), an optional
port and printable ASCII after it: nothing in it can fail the checks of ``invalid_reason``."""


def invalid_reason(url: str) -> str | None:
    """Why an http(s) URL cannot be requested, or None when it can.

    Catches what the network layer would choke on, so that it becomes an ``invalid`` verdict
    with a useful reason instead of an error deep inside the client. Most URLs of a document
    are plain (``_PLAIN_HTTP``) and pass at once; the others go through every check.
    """
    text = url.strip()
    plain = _PLAIN_HTTP.fullmatch(text)
    if plain is not None and (plain.group(1) is None or 0 < int(plain.group(1)) < 65536):
        return None
    return _invalid_reason(text)


def _invalid_reason(text: str) -> str | None:
    if not text:
        return "empty URL"
    parts = _split(text)
    if parts is None:
        return "no scheme"
    if parts.authority is None:
        return "no host"
    userinfo, host, port = parts.host_and_port()
    if _BAD_HOST_CHARS.search(userinfo):
        return "invalid character in user info"
    if not host or host == "[]":
        return "no host"
    if _BAD_HOST_CHARS.search(host):
        return "invalid character in host"
    if ("[" in host or "]" in host) and not (host.startswith("[") and host.endswith("]")):
        return "invalid IPv6 host"
    if port and not 0 < int(port) < 65536:  # host_and_port only returns digits
        return f"port {port} out of range"
    try:
        split = urlsplit(text)
        hostname = split.hostname
        split.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        return f"cannot parse URL: {exc}"
    if not hostname:
        return "no host"
    if not hostname.startswith("[") and (".." in hostname or hostname.startswith(".")):
        return "bad host name: empty label"
    if text.isascii():  # to_wire only fails on a non-ASCII host name or unencodable text
        return None
    try:
        to_wire(text)
    except UnicodeError as exc:
        return f"bad host name: {exc}"
    return None
