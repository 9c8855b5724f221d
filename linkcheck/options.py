"""Option values → ``Config``: the one validation path of the command line and the library.

``cli.py`` (click) and ``api.py`` (``linkcheck.check(sources, **options)``) both end here, so a
bad ``--resolve``, ``--accept``, ``--remap``, ``--header``, ``--fail-on``, ``--shard`` or proxy
is the same one-line ``UsageError`` from either. The library also checks here what click checks
for the command line (types, ranges, choices), with click's message and the option's
command-line name, so ``per_host=0`` and ``--per-host 0`` fail alike. Pure: no click, no I/O beyond reading the proxy variables of the environment.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .config import (
    CREDENTIAL_HEADERS,
    DEFAULT_CONCURRENCY,
    DEFAULT_OUTPUT,
    DEFAULT_PER_HOST,
    DEFAULT_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_TITLE_THRESHOLD,
    DEFAULT_USER_AGENT,
    Config,
    compile_regex,
    parse_accept,
    parse_header,
    parse_host_header,
    parse_remap,
    parse_resolve,
)
from .errors import UsageError
from .models import Verdict

__all__ = ["CHECK_OPTIONS", "NETWORK_OPTIONS", "build_config", "effective_fail_on", "parse_verdicts",
           "validate_options"]

Warn = Callable[[str], None]

_INTEGERS: dict[str, tuple[int, int | None]] = {"concurrency": (1, None), "per_host": (1, None), "retries": (0, 10)}
_NUMBERS: dict[str, tuple[float, float | None]] = {"timeout": (0.1, None), "title_threshold": (0.0, 100.0)}
_CHOICES: dict[str, tuple[str, ...]] = {"titles": ("fail", "warn", "off")}
_FLAGS = frozenset({"check_fragments", "exclude_private", "exclude_loopback", "exclude_link_local",
                    "exclude_all_private", "no_cache", "suggest_archive"})
_LISTS = frozenset({"exclude", "include", "remap", "resolve", "header", "host_header", "format"})
"""Repeatable options: a list (or tuple) of strings, or one string for one value."""
_TEXTS = frozenset({"accept", "user_agent", "proxy", "shard", "max_cache_age", "as_of", "archive_endpoint",
                    "fail_on"})
_PATHS = frozenset({"expect", "ca_bundle", "cache", "output"})

NETWORK_OPTIONS = frozenset({"timeout", "resolve", "ca_bundle", "user_agent", "header", "proxy", "host_header"})
"""Options of every command that may fetch (documents given as URLs): ``extract`` takes these."""
CHECK_OPTIONS = frozenset(_INTEGERS) | frozenset(_NUMBERS) | frozenset(_CHOICES) | _FLAGS | _LISTS | _TEXTS | _PATHS
"""Options of ``check`` the library takes, named like the long options (``-`` as ``_``)."""


def _flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def validate_options(options: Mapping[str, Any], allowed: Iterable[str] = CHECK_OPTIONS) -> dict[str, Any]:
    """Library keyword options, checked as click checks the command line's, in its vocabulary.

    Returns them normalised (lists as tuples of strings, paths as ``Path``); ``None`` means
    "not given". Raises ``UsageError`` naming the option as the command line does.
    """
    allowed = frozenset(allowed)
    checked: dict[str, Any] = {}
    for name, value in options.items():
        if name not in allowed:
            known = ", ".join(sorted(allowed))
            raise UsageError(f"unknown option {name!r} (options are check's long options with _ for -: {known})")
        if value is None:
            continue
        checked[name] = _checked(name, value)
    return checked


def _checked(name: str, value: Any) -> Any:
    """One value, checked as the command line's click type checks it, with click's message."""
    bad = f"Invalid value for '{_flag(name)}': "
    if name in _INTEGERS:
        low, high = _INTEGERS[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise UsageError(f"{bad}{value!r} is not a valid integer range.")
        if value < low or (high is not None and value > high):
            raise UsageError(f"{bad}{value} is not in the range {_range(low, high)}.")
        return value
    if name in _NUMBERS:
        low_f, high_f = _NUMBERS[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise UsageError(f"{bad}{value!r} is not a valid float range.")
        if value < low_f or (high_f is not None and value > high_f):
            raise UsageError(f"{bad}{float(value)!r} is not in the range {_range(low_f, high_f)}.")
        return float(value)
    if name in _CHOICES:
        if not isinstance(value, str) or value.lower() not in _CHOICES[name]:
            choices = ", ".join(repr(c) for c in _CHOICES[name])
            raise UsageError(f"{bad}{value!r} is not one of {choices}.")
        return value.lower()
    if name in _FLAGS:
        if not isinstance(value, bool):
            raise UsageError(f"{bad}{value!r} is not True or False.")
        return value
    if name in _LISTS:
        values = (value,) if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            raise UsageError(f"{bad}{value!r} is not a string or a list of strings.")
        return tuple(values)
    if name in _PATHS:
        if not isinstance(value, str | os.PathLike):
            raise UsageError(f"{bad}{value!r} is not a path.")
        return Path(value)
    if name == "fail_on" and isinstance(value, list | tuple | set | frozenset):
        value = ",".join(str(v.value if isinstance(v, Verdict) else v) for v in value)
    if not isinstance(value, str):
        raise UsageError(f"{bad}{value!r} is not a string.")
    return value


def _range(low: float, high: float | None) -> str:
    """click's way of writing a range: ``x>=1``, ``0<=x<=10``."""
    return f"x>={low:g}" if high is None else f"{low:g}<=x<={high:g}"


def parse_verdicts(text: str) -> frozenset[Verdict]:
    """``--fail-on``: ``"broken,timeout"`` → the verdicts; an empty or unknown name is an error."""
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError("--fail-on: give at least one verdict (leave the option out for the default)")
    try:
        return frozenset(Verdict(n) for n in names)
    except ValueError:
        valid = ", ".join(v.value for v in Verdict)
        raise UsageError(f"--fail-on: {text!r} is not a list of verdicts ({valid})") from None


def effective_fail_on(fail_on: str | None, titles: str | None) -> frozenset[Verdict] | None:
    """The verdicts that fail the run: ``--fail-on`` (None: the default ones), less
    ``title_mismatch`` under ``--titles warn`` (reported in every format, not a reason to fail)."""
    verdicts = parse_verdicts(fail_on) if fail_on is not None else None
    if titles == "warn":
        verdicts = (verdicts or frozenset(v for v in Verdict if v.is_failure)) - {Verdict.TITLE_MISMATCH}
    return verdicts


def build_config(
    opts: Mapping[str, Any],
    *,
    warn: Warn,
    extra_host_headers: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Config:
    """The run's ``Config`` from option values named as click names them (``headers``,
    ``host_headers``, ``per_host`` …); every parser raises a one-line ``UsageError``.

    ``warn`` receives advice that is not an error (a credential sent to every host);
    ``extra_host_headers``: ``HOST=Name: value`` values of a settings file's ``hosts`` table.
    """
    from .proxy import PROXY_VARIABLES, parse_proxies

    env = os.environ if environ is None else environ
    proxy_env = tuple((k, v) for k, v in env.items() if k.lower() in PROXY_VARIABLES)
    parse_proxies(opts.get("proxy"), dict(proxy_env))  # a malformed proxy URL is a usage error now, not per link
    every_private = bool(opts.get("exclude_all_private", False))
    return Config(
        proxy=opts.get("proxy") or None,
        proxy_env=proxy_env,
        concurrency=opts.get("concurrency", DEFAULT_CONCURRENCY),
        per_host=opts.get("per_host", DEFAULT_PER_HOST),
        timeout=opts.get("timeout", DEFAULT_TIMEOUT),
        retries=opts.get("retries", DEFAULT_RETRIES),
        accept=parse_accept(opts["accept"]) if opts.get("accept") else Config().accept,
        include=tuple(compile_regex(p, "--include") for p in opts.get("include", ())),
        exclude=tuple(compile_regex(p, "--exclude") for p in opts.get("exclude", ())),
        remap=tuple(parse_remap(r) for r in opts.get("remap", ())),
        resolve=parse_resolve(tuple(opts.get("resolve", ()))),
        ca_bundle=opts.get("ca_bundle"),
        title_threshold=opts.get("title_threshold", DEFAULT_TITLE_THRESHOLD),
        titles=opts.get("titles") or "fail",
        as_of=_as_of_day(opts.get("as_of")),
        user_agent=opts.get("user_agent") or DEFAULT_USER_AGENT,
        headers=_headers_for_all_hosts(opts.get("headers", ()), warn),
        host_headers=tuple(parse_host_header(h) for h in (*extra_host_headers, *opts.get("host_headers", ()))),
        check_fragments=opts.get("check_fragments", True),
        exclude_private=bool(opts.get("exclude_private", False)) or every_private,
        exclude_loopback=bool(opts.get("exclude_loopback", False)) or every_private,
        exclude_link_local=bool(opts.get("exclude_link_local", False)) or every_private,
        hidden=bool(opts.get("hidden", False)),
        exclude_paths=tuple(opts.get("exclude_paths", ())),
        report_dir=opts.get("output") or DEFAULT_OUTPUT,
        local=opts.get("local", True),
        root_dir=opts.get("root_dir"),
        base_url=_base_url(opts.get("base_url")),
    )


def _base_url(value: str | None) -> str | None:
    if not value:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise UsageError(f"--base-url: {value!r} is not an http(s) URL")
    return value


def _as_of_day(value: str | None) -> str | None:
    if not value:
        return None
    from .archive import parse_as_of

    return parse_as_of(value).date().isoformat()


def _headers_for_all_hosts(values: Sequence[str], warn: Warn) -> tuple[tuple[str, str], ...]:
    """``--header`` values; a credential among them is sent to every cited site, so say so."""
    headers = tuple(parse_header(h) for h in values)
    for name, _ in headers:
        if name.lower() in CREDENTIAL_HEADERS:
            warn(f"--header {name} is sent to every host in the documents;"
                 f" use --host-header 'HOST={name}: …' to send it to one host only")
    return headers
