"""Expected-sources manifests (TOML): what each cited URL must point at.

```toml
[[source]]
url = "https://…"
title = "EU-Japan Joint Statement"
publisher = "Council of the EU"   # optional
match = "fuzzy"                    # or "exact", "contains"
final_url = "https://…"            # optional: where it must end up
archived = "https://web.archive.org/web/2022…"  # optional snapshot
```

Unknown keys are an error naming the key and its line: a typo must not silently disable a check.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import tomli_w

from .errors import ConfigError
from .models import Expectation
from .urls import normalise

__all__ = ["MANIFEST_KEYS", "load_manifest", "parse_manifest", "render_manifest"]

MANIFEST_KEYS = frozenset({"url", "title", "publisher", "match", "final_url", "archived", "found_title", "note"})
_MATCH_MODES = ("fuzzy", "exact", "contains")


def load_manifest(path: Path) -> dict[str, Expectation]:
    """Read a manifest file; keys of the result are normalised URLs."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such manifest file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read manifest: {exc}") from None
    return parse_manifest(text, name=str(path))


def _line_of(text: str, entry_index: int, key: str) -> int | None:
    """Line (1-based) of ``key =`` inside the entry_index-th ``[[source]]`` block."""
    seen = -1
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(r"\s*\[\[\s*source\s*\]\]", line):
            seen += 1
        elif seen == entry_index and re.match(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def parse_manifest(text: str, *, name: str = "manifest") -> dict[str, Expectation]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: invalid TOML: {exc}") from None
    unknown_top = set(data) - {"source"}
    if unknown_top:
        raise ConfigError(f"{name}: unknown top-level key {min(unknown_top)!r} (expected [[source]] tables)")
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{name}: 'source' must be an array of tables ([[source]])")
    expectations: dict[str, Expectation] = {}
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ConfigError(f"{name}: [[source]] #{index + 1} is not a table")
        for key in entry:
            if key not in MANIFEST_KEYS:
                line = _line_of(text, index, key)
                where = f"line {line}" if line else f"[[source]] #{index + 1}"
                raise ConfigError(f"{name}:{where}: unknown key {key!r} in [[source]]")
        url = entry.get("url")
        if not isinstance(url, str) or not url:
            raise ConfigError(f"{name}: [[source]] #{index + 1} has no 'url'")
        match = entry.get("match", "fuzzy")
        if match not in _MATCH_MODES:
            raise ConfigError(f"{name}: [[source]] #{index + 1}: match must be one of {', '.join(_MATCH_MODES)}")
        for key in ("title", "publisher", "final_url", "archived"):
            if key in entry and not isinstance(entry[key], str):
                raise ConfigError(f"{name}: [[source]] #{index + 1}: {key!r} must be a string")
        expectations[normalise(url)] = Expectation(
            title=entry.get("title"),
            publisher=entry.get("publisher"),
            match=match,
            final_url=entry.get("final_url"),
            archived=entry.get("archived"),
            origin="manifest",
        )
    return expectations


def render_manifest(entries: Iterable[Mapping[str, Any]]) -> str:
    """TOML text for ``[[source]]`` entries (keys with None values are left out)."""
    clean = [{k: v for k, v in entry.items() if v is not None} for entry in entries]
    return tomli_w.dumps({"source": clean})
