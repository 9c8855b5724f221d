"""Settings files as option defaults: the keys of ``[tool.linkcheck]`` / ``linkcheck.toml``
checked once against the click options they stand for (type, range, parser), one line naming the
file and the key on a bad value. Used by ``cli.py`` (the eager ``--config`` callback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .config import (
    compile_regex,
    parse_accept,
    parse_duration,
    parse_header,
    parse_host_header,
    parse_remap,
    parse_resolve,
)
from .errors import UsageError

__all__ = ["load_config_defaults", "settings_host_headers"]


def _parse_verdicts(value: str) -> object:
    from .options import parse_verdicts

    return parse_verdicts(value)


def load_config_defaults(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """Eager ``--config``: settings from a config file become option defaults (the command line wins)."""
    from .config import find_config_file, load_config_table
    from .errors import ConfigError

    if value is not None and not value.is_file():
        raise UsageError(f"--config: {value}: no such file")
    path = value or find_config_file(Path.cwd())
    if path is None:
        return
    names: dict[str, click.Option] = {}
    for option in ctx.command.params:
        if isinstance(option, click.Option) and option.name and option.expose_value:
            for opt in option.opts:
                if opt.startswith("--"):
                    names[opt[2:].replace("-", "_")] = option
    defaults: dict[str, Any] = {}
    table = load_config_table(path)
    if "hosts" in table:
        ctx.meta[HOSTS_KEY] = _hosts_table(table.pop("hosts"), path)
    for key, val in table.items():
        found = names.get(key.replace("-", "_"))
        if found is None or found.name is None:
            raise ConfigError(f"{path}: unknown key {key!r} in linkcheck settings")
        defaults[found.name] = _config_value(ctx, found, key, val, path)
    ctx.default_map = {**(ctx.default_map or {}), **defaults}


_COMMA_LISTS = frozenset({"fail_on"})
"""Single-valued options that take a comma-separated list: a settings list is joined."""

_SETTING_PARSERS: dict[str, Callable[[Any], object]] = {
    "accept": parse_accept,
    "max_cache_age": parse_duration,
    "remap": lambda values: [parse_remap(v) for v in values],
    "resolve": parse_resolve,
    "headers": lambda values: [parse_header(v) for v in values],
    "host_headers": lambda values: [parse_host_header(v) for v in values],
    "exclude": lambda values: [compile_regex(v, "--exclude") for v in values],
    "include": lambda values: [compile_regex(v, "--include") for v in values],
    "fail_on": lambda value: _parse_verdicts(value),
}
"""Values checked now, so that a bad one names the settings file and key, not an option."""


def _setting_kind(option: click.Option) -> tuple[str, tuple[str, ...]]:
    kind = option.type
    choices = tuple(str(c).lower() for c in kind.choices) if isinstance(kind, click.Choice) else ()
    if option.multiple:
        return "list", choices
    if option.name in _COMMA_LISTS:
        return "text-or-list", ()
    if option.is_flag or isinstance(kind, click.types.BoolParamType):
        return "boolean", ()
    if isinstance(kind, click.Path):
        return "path", ()
    if isinstance(kind, click.types.IntParamType):
        return "integer", ()
    if isinstance(kind, click.types.FloatParamType):
        return "number", ()
    return ("choice", choices) if choices else ("text", ())


def _config_value(ctx: click.Context, option: click.Option, key: str, value: Any, file: Path) -> Any:
    """A settings-file value as the option takes it, checked once against the option's type and
    range (``ConfigError`` naming the file, the key and what was expected); relative paths count
    from the file's folder."""
    from .config import check_setting
    from .errors import ConfigError

    kind, choices = _setting_kind(option)
    value = check_setting(file, key, value, kind, choices)
    try:
        if kind not in ("list", "text-or-list", "boolean"):
            option.type.convert(value, option, ctx)  # ranges: concurrency >= 1, title-threshold 0..100 …
        parser = _SETTING_PARSERS.get(option.name or "")
        if parser is not None:
            parser(value)
    except click.BadParameter as exc:
        raise ConfigError(f"{file}: key {key!r}: {exc.message}") from None
    except UsageError as exc:
        message = str(exc)
        raise ConfigError(f"{file}: key {key!r}: {message.split(': ', 1)[-1] if message.startswith('-') else message}") \
            from None
    if kind == "path" and not Path(value).is_absolute():
        value = str(file.parent / value)
    return value


HOSTS_KEY = "linkcheck.hosts"
"""``ctx.meta`` key of the ``--host-header`` values read from a settings file's ``hosts`` table."""


def settings_host_headers() -> tuple[str, ...]:
    ctx = click.get_current_context(silent=True)
    return tuple(ctx.meta.get(HOSTS_KEY, ())) if ctx is not None else ()


def _hosts_table(table: object, path: Path) -> list[str]:
    """``[hosts."HOST"] headers = {Name = "value"}`` → ``["HOST=Name: value", …]``."""
    from .errors import ConfigError

    if not isinstance(table, dict):
        raise ConfigError(f"{path}: 'hosts' must be a table of [hosts.\"HOST\"] tables")
    values: list[str] = []
    for host, entry in table.items():
        headers = entry.get("headers") if isinstance(entry, dict) else None
        if not isinstance(headers, dict) or set(entry) - {"headers"}:
            raise ConfigError(f"{path}: [hosts.\"{host}\"] takes one key, headers = {{Name = \"value\"}}")
        values += [f"{host}={name}: {value}" for name, value in headers.items()]
    return values
