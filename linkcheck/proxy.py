"""Which proxy a request goes through: ``--proxy URL`` and the environment, read as curl reads it.

Pure: the environment comes in as a mapping (the CLI passes ``os.environ``'s proxy variables).

* ``--proxy URL`` serves http and https targets alike; without it ``https_proxy``/``HTTPS_PROXY``
  serve https targets and ``http_proxy``/``HTTP_PROXY`` http ones, ``all_proxy``/``ALL_PROXY`` both
  (lower case wins over upper case, as in curl).
* ``no_proxy``/``NO_PROXY`` (also with ``--proxy``): ``*`` for every host; a name matches itself
  and every subdomain (``example.org`` and ``.example.org`` both match ``www.example.org``, not
  ``notexample.org``); an IP address or CIDR range matches IP literal hosts in it.
* Only ``http://`` proxies (with optional ``user:password@``); https targets go through a
  ``CONNECT`` tunnel, http targets are forwarded with the absolute URL.
"""

from __future__ import annotations

import base64
import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from .errors import UsageError

__all__ = ["PROXY_VARIABLES", "Proxies", "ProxyURL", "parse_proxies"]

PROXY_VARIABLES = frozenset({"http_proxy", "https_proxy", "all_proxy", "no_proxy"})
"""Environment variables read (in either case)."""


@dataclass(frozen=True)
class ProxyURL:
    host: str
    port: int
    authorization: str | None = None
    """``Proxy-Authorization`` value when the proxy URL carries credentials."""

    def __str__(self) -> str:
        return f"http://{self.host}:{self.port}"


@dataclass(frozen=True)
class Proxies:
    http: ProxyURL | None = None
    https: ProxyURL | None = None
    no_proxy: tuple[str, ...] = ()

    def for_url(self, scheme: str, host: str) -> ProxyURL | None:
        """The proxy for a target, or None to connect directly."""
        proxy = self.https if scheme == "https" else self.http
        if proxy is None or _is_excluded(host, self.no_proxy):
            return None
        return proxy


def parse_proxies(proxy: str | None, environment: Mapping[str, str]) -> Proxies:
    """``--proxy`` and the environment → ``Proxies``; a malformed or unsupported URL is a usage error."""
    env = {name.lower(): value for name, value in environment.items() if name.islower()}
    upper = {name.lower(): value for name, value in environment.items() if not name.islower()}

    def read(name: str) -> str | None:
        value = env.get(name) or upper.get(name)
        return value.strip() if value and value.strip() else None

    no_proxy = tuple(
        entry.strip().lower() for entry in (read("no_proxy") or "").replace(" ", ",").split(",") if entry.strip()
    )
    if proxy:
        chosen = _parse_proxy(proxy, "--proxy")
        return Proxies(http=chosen, https=chosen, no_proxy=no_proxy)
    every = read("all_proxy")
    http, https = read("http_proxy") or every, read("https_proxy") or every
    return Proxies(
        http=_parse_proxy(http, "HTTP_PROXY") if http else None,
        https=_parse_proxy(https, "HTTPS_PROXY") if https else None,
        no_proxy=no_proxy,
    )


def _parse_proxy(value: str, origin: str) -> ProxyURL:
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise UsageError(f"{origin}: {value!r} is not a proxy URL ({exc})") from None
    if parts.scheme.lower() != "http":
        raise UsageError(f"{origin}: {parts.scheme}:// proxies are not supported (only http://)")
    if not parts.hostname:
        raise UsageError(f"{origin}: {value!r} has no proxy host")
    authorization = None
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        authorization = "Basic " + base64.b64encode(credentials).decode("ascii")
    return ProxyURL(host=parts.hostname, port=port or 80, authorization=authorization)


def _is_excluded(host: str, rules: tuple[str, ...]) -> bool:
    host = host.lower().strip("[]").rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for rule in rules:
        if rule == "*":
            return True
        rule = rule.strip("[]")
        if address is not None:
            try:
                if address in ipaddress.ip_network(rule, strict=False):
                    return True
            except ValueError:
                pass
            continue
        name = rule.lstrip("*").lstrip(".").rstrip(".")
        if name and (host == name or host.endswith("." + name)):
            return True
    return False
