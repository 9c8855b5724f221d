"""Read a JSON report back into a ``Report``, so any other format can be rendered from it later.

``linkcheck report linkcheck.json -f html`` re-renders a CI artifact without checking again;
``render_json(load_report(text)) == text`` for every report linkcheck wrote.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from ..errors import InputError
from ..models import Occurrence, Redirect, Report, Result, Target, TitleCheck, Verdict
from .json_report import SCHEMA

__all__ = ["load_report"]


class _Malformed(Exception):
    """A report whose shape is not the one ``render_json`` writes."""


def load_report(text: str) -> Report:
    """Parse a JSON report; a text that is not one raises ``InputError`` with a one-line reason."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"not a JSON report: {exc}") from None
    try:
        return _report(data)
    except (_Malformed, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"not a linkcheck report: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"missing key {exc}"
    return str(exc) or type(exc).__name__


def _report(data: Any) -> Report:
    if not isinstance(data, dict):
        raise _Malformed("top level is not an object")
    if data.get("schema") != SCHEMA:
        raise _Malformed(f"schema is {data.get('schema')!r}, expected {SCHEMA!r}")
    links = _list(data["links"])
    shard = _optional_str(data.get("shard"))
    positions = tuple(_int(_dict(link).get("plan_index")) for link in links) if shard is not None else ()
    return Report(
        sources=tuple(_str(source) for source in _list(data["sources"])),
        results=tuple(_result(link) for link in links),
        started_at=_str(data["started_at"]),
        finished_at=_str(data["finished_at"]),
        tool_version=_str(_dict(data["tool"])["version"]),
        is_complete=bool(data.get("complete", True)),
        fail_on=frozenset(Verdict(_str(v)) for v in _list(data["fail_on"])) if "fail_on" in data else None,
        shard=shard,
        plan=_optional_str(data.get("plan")),
        positions=positions,
        missing_shards=tuple(_str(s) for s in _list(data.get("missing_shards", []))),
    )


def _result(link: Any) -> Result:
    link = _dict(link)
    verdict = Verdict(link["verdict"])
    url = _str(link["url"])
    details = tuple(_str(detail) for detail in _list(link.get("details", [])))
    key = url
    skip: Literal["excluded", "invalid", "local"] | None = None
    if "local" in details and verdict is not Verdict.EXCLUDED:  # a local file: keyed by its path, as collect does
        from ..local import local_key

        skip, key = "local", local_key(_str(link["checked_url"]))
    elif verdict is Verdict.EXCLUDED:
        skip = "excluded"
    elif verdict is Verdict.INVALID:
        skip = "invalid"
    target = Target(
        key=key,
        url=url,
        checked_url=_str(link["checked_url"]),
        occurrences=tuple(_occurrence(item) for item in _list(link["occurrences"])),
        skip=skip,
    )
    return Result(
        target=target,
        verdict=verdict,
        final_url=_optional_str(link.get("final_url")),
        status=_optional_int(link.get("status")),
        redirects=tuple(
            Redirect(url=_str(_dict(hop)["url"]), status=_int(hop["status"]))
            for hop in _list(link.get("redirects", []))
        ),
        title=_title(link.get("title")),
        error=_optional_str(link.get("error")),
        elapsed_ms=_int(link.get("elapsed_ms", 0)),
        details=details,
        extra=dict(_dict(link.get("extra", {}))),
    )


def _occurrence(item: Any) -> Occurrence:
    item = _dict(item)
    return Occurrence(
        source=_str(item["source"]),
        line=_int(item["line"]),
        column=_int(item["column"]),
        text=_optional_str(item.get("text")),
        note=_optional_str(item.get("note")),
    )


def _title(value: Any) -> TitleCheck | None:
    if value is None:
        return None
    value = _dict(value)
    score = value.get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float)):
        raise _Malformed(f"title score {score!r} is not a number")
    match = value.get("match")
    if match is not None and not isinstance(match, bool):
        raise _Malformed(f"title match {match!r} is not true, false or null")
    return TitleCheck(
        expected=_optional_str(value.get("expected")),
        found=_optional_str(value.get("found")),
        score=score,
        match=match,
        signal=_optional_str(value.get("signal")),
        detail=_optional_str(value.get("detail")),
    )


def _dict(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Malformed(f"expected an object, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise _Malformed(f"expected a list, got {type(value).__name__}")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Malformed(f"expected a string, got {type(value).__name__}")
    return value


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Malformed(f"expected an integer, got {value!r}")
    return value


def _optional_int(value: Any) -> int | None:
    return None if value is None else _int(value)
