"""Facts from JSON-LD blocks (headline, publisher), bounded in depth and count; junk is skipped."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from .text import clean

__all__ = ["jsonld_facts"]

_JSONLD_SKIP_TYPES = frozenset(
    {"organization", "person", "website", "breadcrumblist", "listitem", "imageobject", "searchaction",
     "place", "corporation", "governmentorganization", "newsmediaorganization", "sitenavigationelement",
     "entrypoint", "thing", "contactpoint", "postaladdress"}
)



def jsonld_facts(scripts: Iterable[str]) -> tuple[str | None, str | None, str | None]:
    """(headline or main name, publisher name, datePublished) from JSON-LD blocks; junk is skipped."""
    published: str | None = None
    headline: str | None = None
    name: str | None = None
    publisher: str | None = None
    for script in scripts:
        try:
            data = json.loads(script.strip().strip(";"))
        except (ValueError, RecursionError):
            continue
        for node in _walk_jsonld(data):
            types = node.get("@type")
            type_names = {str(t).lower() for t in (types if isinstance(types, list) else [types]) if t}
            if headline is None and isinstance(node.get("headline"), str):
                headline = clean(node["headline"]) or None
            if (name is None and isinstance(node.get("name"), str) and type_names
                    and not type_names & _JSONLD_SKIP_TYPES):
                name = clean(node["name"]) or None
            if published is None and isinstance(node.get("datePublished"), str):
                published = node["datePublished"][:40]
            pub = node.get("publisher")
            if publisher is None and isinstance(pub, dict) and isinstance(pub.get("name"), str):
                publisher = clean(pub["name"]) or None
    return headline or name, publisher, published


def _walk_jsonld(data: Any, depth: int = 0, budget: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """Depth-first JSON-LD objects (``@graph`` and lists included), bounded in depth and count."""
    budget = budget if budget is not None else [300]
    if depth > 8 or budget[0] <= 0:
        return
    budget[0] -= 1
    if isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in data:
                yield from _walk_jsonld(data[key], depth + 1, budget)
    elif isinstance(data, list):
        for item in data[:50]:
            yield from _walk_jsonld(item, depth + 1, budget)

