"""Run settings: one frozen ``Config`` and the ``DEFAULT_*`` constants behind it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LinkcheckError, UsageError

__all__ = [
    "CREDENTIAL_HEADERS",
    "DEFAULT_ACCEPT",
    "DEFAULT_CACHE",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_FORMATS",
    "DEFAULT_MAX_BODY",
    "DEFAULT_MAX_CACHE_AGE",
    "DEFAULT_MAX_REDIRECTS",
    "DEFAULT_OUTPUT",
    "DEFAULT_PER_HOST",
    "DEFAULT_RETRIES",
    "DEFAULT_TIMEOUT",
    "DEFAULT_TITLE_THRESHOLD",
    "DEFAULT_USER_AGENT",
    "Config",
    "parse_accept",
    "parse_duration",
    "parse_header",
    "parse_host_header",
    "parse_remap",
    "parse_resolve",
]

from . import __version__

DEFAULT_CONCURRENCY = 64
DEFAULT_PER_HOST = 4
DEFAULT_TIMEOUT = 20.0
DEFAULT_RETRIES = 2
DEFAULT_ACCEPT: tuple[tuple[int, int], ...] = ((200, 299),)
DEFAULT_TITLE_THRESHOLD = 52.0
"""Lowest similarity (0–100) that counts as a title match; see README "Titles"."""
DEFAULT_MAX_REDIRECTS = 10
DEFAULT_MAX_BODY = 512 * 1024
"""Most decoded body bytes read from one HTML answer (title, fragments, soft-404 text)."""
DEFAULT_OUTPUT = Path("reports")
DEFAULT_FORMATS: tuple[str, ...] = ("json", "markdown")
DEFAULT_CACHE = Path(".linkcheck-cache.sqlite")
"""The cache file name the docs, the action and the example workflow use (the cache is opt-in)."""
DEFAULT_MAX_CACHE_AGE = 24 * 3600.0
DEFAULT_USER_AGENT = f"linkcheck/{__version__} (+https://pypi.org/project/linkcheck-citations/)"


@dataclass(frozen=True)
class Config:
    """Everything a run needs to know, already validated."""

    concurrency: int = DEFAULT_CONCURRENCY
    per_host: int = DEFAULT_PER_HOST
    timeout: float = DEFAULT_TIMEOUT
    """Overall deadline of one request attempt: connect to last byte read."""
    retries: int = DEFAULT_RETRIES
    accept: tuple[tuple[int, int], ...] = DEFAULT_ACCEPT
    """Inclusive status ranges that count as alive."""
    include: tuple[re.Pattern[str], ...] = ()
    exclude: tuple[re.Pattern[str], ...] = ()
    remap: tuple[tuple[re.Pattern[str], str], ...] = ()
    resolve: dict[tuple[str, int], str] = field(default_factory=dict, hash=False)
    """(host, port) → address to connect to, keeping Host and SNI."""
    ca_bundle: Path | None = None
    title_threshold: float = DEFAULT_TITLE_THRESHOLD
    as_of: str | None = None
    """``--as-of``: the citing document's date (``YYYY-MM-DD``); a page published later is not it."""
    titles: str = "fail"
    """``--titles``: title findings fail the run (``fail``), are only reported (``warn``), or are
    not made (``off``: nothing is compared)."""
    user_agent: str = DEFAULT_USER_AGENT
    headers: tuple[tuple[str, str], ...] = ()
    """``--header``: sent to every link's host (never across a redirect to another origin)."""
    host_headers: tuple[tuple[str, int | None, str, str], ...] = ()
    """``--host-header``: (host, port or None for any, name, value), sent to that host only."""
    proxy: str | None = None
    """``--proxy``: one proxy URL for http and https targets (else the environment's, see ``proxy.py``)."""
    proxy_env: tuple[tuple[str, str], ...] = ()
    """The proxy variables of the environment (``HTTPS_PROXY``, ``NO_PROXY`` …), as the CLI read them."""
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    max_body: int = DEFAULT_MAX_BODY
    check_fragments: bool = True
    exclude_private: bool = False
    exclude_loopback: bool = False
    exclude_link_local: bool = False
    max_retry_after: float = 30.0
    """Longest ``Retry-After`` honoured; a longer wait is cut to this."""
    hidden: bool = False
    """``--hidden``: directory walks enter hidden folders (``.github/``) too."""
    exclude_paths: tuple[str, ...] = ()
    """``--exclude-path``: globs of files and folders that walks and glob SOURCEs leave out."""
    report_dir: Path | None = None
    """The folder reports go to (``-o``): never walked, so a run does not read its own reports."""
    local: bool = True
    """Check local links (relative paths, ``#fragment``) offline; ``--no-local``: excluded."""
    root_dir: Path | None = None
    """``--root-dir``: the folder site-absolute paths (``/docs/x.md``) start from
    [default: the top of the document's git work tree, else the current folder]."""
    base_url: str | None = None
    """``--base-url``: site-absolute paths (and every relative link of standard input) become
    URLs against this and are checked over the network."""

    def is_accepted(self, status: int) -> bool:
        return any(low <= status <= high for low, high in self.accept)


def parse_accept(text: str) -> tuple[tuple[int, int], ...]:
    """``"200..299,403"`` → ``((200, 299), (403, 403))``."""
    ranges: list[tuple[int, int]] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        low_s, sep, high_s = part.partition("..")
        try:
            low = int(low_s)
            high = int(high_s) if sep else low
        except ValueError:
            raise UsageError(f"--accept: {part!r} is not a status code or range like 200..299") from None
        if not (100 <= low <= high <= 999):
            raise UsageError(f"--accept: {part!r} is not a valid status range (100..999)")
        ranges.append((low, high))
    if not ranges:
        raise UsageError("--accept: give at least one status code")
    return tuple(ranges)


_ADDRESS = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[0-9A-Za-z.-]+)(:\d{1,5})?|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*")


def parse_resolve(values: tuple[str, ...] | list[str]) -> dict[tuple[str, int], str]:
    """``HOST:PORT:ADDRESS[:PORT]`` (curl style; ADDRESS may be ``[::1]`` or a bare IPv6 literal).

    The optional trailing port (like curl's ``--connect-to``) lets tests point a real hostname's
    port 443 at a local server on an ephemeral port. The address is kept as written; the client
    splits it.
    """
    mapping: dict[tuple[str, int], str] = {}
    for value in values:
        host, sep1, rest = value.partition(":")
        port_s, sep2, address = rest.partition(":")
        if not (sep1 and sep2 and host and address) or not port_s.isdigit() or not _ADDRESS.fullmatch(address):
            raise UsageError(f"--resolve: {value!r} is not HOST:PORT:ADDRESS")
        port = int(port_s)
        if not 0 < port < 65536:
            raise UsageError(f"--resolve: port {port} out of range in {value!r}")
        mapping[(host.lower(), port)] = address
    return mapping


def parse_header(value: str) -> tuple[str, str]:
    name, sep, content = value.partition(":")
    name = name.strip()
    if not sep or not name or not re.fullmatch(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+", name):
        raise UsageError(f"--header: {value!r} is not 'Name: value'")
    return name, content.strip()


CREDENTIAL_HEADERS = frozenset({"authorization", "cookie", "proxy-authorization", "x-api-key", "x-auth-token",
                                "private-token", "x-access-token", "api-key"})
"""Header names that carry credentials: given with ``--header`` they would reach every cited site."""


def parse_host_header(value: str) -> tuple[str, int | None, str, str]:
    """``HOST=Name: value`` or ``HOST:PORT=Name: value`` → (host, port or None, name, value)."""
    host_part, sep, header = value.partition("=")
    host_part = host_part.strip()
    if not sep or not host_part or ":" not in header:
        raise UsageError(f"--host-header: {value!r} is not 'HOST=Name: value'")
    host, port = host_part.lower(), None
    if host.startswith("["):  # [v6] or [v6]:PORT
        inner, _, rest = host[1:].partition("]")
        host = inner
        if rest.startswith(":") and rest[1:].isdigit():
            port = int(rest[1:])
        elif rest:
            raise UsageError(f"--host-header: {value!r}: bad port after the IPv6 host")
    elif host.count(":") == 1:
        host, _, port_s = host.partition(":")
        if not port_s.isdigit() or not 0 < int(port_s) < 65536:
            raise UsageError(f"--host-header: {value!r}: bad port {port_s!r}")
        port = int(port_s)
    if not host or "/" in host or " " in host:
        raise UsageError(f"--host-header: {value!r}: {host_part!r} is not a host name")
    try:
        name, content = parse_header(header)
    except UsageError:
        raise UsageError(f"--host-header: {value!r} is not 'HOST=Name: value'") from None
    return host.rstrip("."), port, name, content


def parse_remap(value: str) -> tuple[re.Pattern[str], str]:
    pattern, sep, replacement = value.strip().partition(" ")
    if not sep:
        raise UsageError(f"--remap: {value!r} is not 'REGEX REPLACEMENT'")
    return compile_regex(pattern, "--remap"), replacement.strip()


def compile_regex(pattern: str, option: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise UsageError(f"{option}: invalid regular expression {pattern!r}: {exc}") from None


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhdw]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """``"1d"``, ``"12h"``, ``"30m"``, ``"90"`` (seconds) → seconds."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match:
        raise UsageError(f"{text!r} is not a duration like 1d, 12h, 30m or 90s")
    return float(match.group(1)) * _UNITS[match.group(2)]


CONFIG_FILE_NAMES = ("linkcheck.toml", ".linkcheck.toml", "pyproject.toml")


def find_config_file(start: Path) -> Path | None:
    """The nearest ``linkcheck.toml`` or ``pyproject.toml`` with ``[tool.linkcheck]``, walking up."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILE_NAMES:
            candidate = folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_table(candidate)):
                return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        tool = _read_toml(path).get("tool", {})
        return isinstance(tool, dict) and "linkcheck" in tool
    except LinkcheckError:  # an unreadable or invalid pyproject is not ours to complain about here
        return False


def _read_toml(path: Path) -> dict[str, object]:
    import tomllib

    from .errors import ConfigError

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config_table(path: Path) -> dict[str, object]:
    """The settings table of a config file: ``[tool.linkcheck]`` in pyproject, else the whole file.

    A ``linkcheck.toml`` may hold its settings at top level or under ``[check]``-style command
    tables; both come back as one flat mapping of option names (``per-host`` or ``per_host``).
    """
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {})
        table = table.get("linkcheck", {}) if isinstance(table, dict) else {}
    else:
        table = data
    if not isinstance(table, dict):
        from .errors import ConfigError

        raise ConfigError(f"{path}: [tool.linkcheck] must be a table")
    return dict(table)


SettingKind = str
"""What a settings key takes: ``boolean``, ``integer``, ``number``, ``text``, ``path``, ``list``
(of text; one string is a list of one), ``text-or-list`` (comma-joined: ``fail-on``), ``choice``."""

_KIND_WORDS: dict[SettingKind, str] = {
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
    "text": "a string",
    "path": "a path (a string)",
    "list": "a string or a list of strings",
    "text-or-list": "a string or a list of strings",
    "choice": "one of",
}


def _toml_type(value: object) -> str:
    """How a person reads a TOML value's type in an error."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"number {value}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "an empty list" if not value else "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def check_setting(file: Path, key: str, value: object, kind: SettingKind, choices: tuple[str, ...] = ()) -> object:
    """A settings-file value checked against what its option takes, once, before anything runs.

    Returns the value in the option's shape (a single string for a list key becomes a list of
    one; ``text-or-list`` is joined with commas). Anything else is a ``ConfigError`` naming the
    file, the key and what was expected, e.g. ``pyproject.toml: key 'output': expected a path
    (a string), got number 5``.
    """
    from .errors import ConfigError

    def wrong(expected: str | None = None) -> ConfigError:
        words = expected or _KIND_WORDS.get(kind, kind)
        if kind == "choice" and expected is None:
            words = "one of " + ", ".join(repr(c) for c in choices)
        return ConfigError(f"{file}: key {key!r}: expected {words}, got {_toml_type(value)}")

    if kind == "boolean":
        if not isinstance(value, bool):
            raise wrong()
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise wrong()
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise wrong()
        return value
    if kind in ("text", "path", "choice"):
        if not isinstance(value, str) or (kind == "path" and not value.strip()):
            raise wrong()
        if kind == "choice" and value.lower() not in choices:
            raise wrong()
        return value
    if kind in ("list", "text-or-list"):
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise wrong()
        if kind == "text-or-list":
            if not any(item.strip() for item in items):
                raise wrong("a non-empty string or list of strings")
            return ",".join(items)
        if kind == "list" and choices:
            bad = [item for item in items if item.lower() not in choices]
            if bad:
                raise ConfigError(f"{file}: key {key!r}: {bad[0]!r} is not one of " + ", ".join(choices))
        return items
    raise AssertionError(kind)
