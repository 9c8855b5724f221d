"""Build expected-sources manifests from documents (and, optionally, a baseline report)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .manifest import render_manifest
from .models import Report, Target
from .urls import normalise

__all__ = ["build_manifest", "KNOWN_PUBLISHERS"]

KNOWN_PUBLISHERS: dict[str, str] = {
    "www.consilium.europa.eu": "Council of the EU",
    "consilium.europa.eu": "Council of the EU",
    "ec.europa.eu": "European Commission",
    "commission.europa.eu": "European Commission",
    "digital-strategy.ec.europa.eu": "Shaping Europe's digital future",
    "audiovisual.ec.europa.eu": "European Commission Audiovisual Service",
    "www.eeas.europa.eu": "European External Action Service",
    "eur-lex.europa.eu": "EUR-Lex",
    "www.europarl.europa.eu": "European Parliament",
    "www.mofa.go.jp": "Ministry of Foreign Affairs of Japan",
    "www.whitehouse.gov": "The White House",
    "www.gov.uk": "GOV.UK",
    "www.un.org": "United Nations",
    "www.who.int": "World Health Organization",
    "www.oecd.org": "OECD",
    "en.wikipedia.org": "Wikipedia",
}
"""Publishers of well-known hosts; other hosts get no publisher rather than a guess."""


def build_manifest(targets: Sequence[Target], baseline: Report | None = None) -> str:
    """Manifest TOML for every checkable target: link text as title, known publisher.

    With a ``baseline`` report, the title found on the page replaces the link text, so a
    later ``check --expect`` detects content drift (a changed title is a title_mismatch).
    """
    found: dict[str, dict[str, Any]] = {}
    if baseline is not None:
        for result in baseline.results:
            if result.title is not None and result.title.found:
                found[result.target.key] = {"title": result.title.found, "final_url": result.final_url}
    entries: list[dict[str, Any]] = []
    for target in targets:
        if target.skip is not None:
            continue
        title = target.expected.title if target.expected else None
        entry: dict[str, Any] = {"url": target.url, "title": title, "publisher": KNOWN_PUBLISHERS.get(target.host)}
        base = found.get(normalise(target.url))
        if base is not None:
            entry["title"] = base["title"]
            entry["match"] = "fuzzy"
            if title and title != base["title"]:
                entry["note"] = f"link text: {title}"
        if entry["title"] is None:
            entry["note"] = "bare URL: add the title of the cited source"
        entries.append(entry)
    return render_manifest(entries)
