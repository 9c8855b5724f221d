"""Build expected-sources manifests from documents (and, optionally, a baseline report).

Two uses, one format:

* ``linkcheck expect DOC -o FILE.toml``: the link text is the expected title and the host's
  publisher is filled in when linkcheck knows it; the author then corrects what is wrong.
* ``linkcheck expect DOC --from-report reports/linkcheck.json -o FILE.toml``: the titles the
  last audit actually *found* become the expected titles (the link text stays as a ``note``)
  and the URL each link ended at is pinned as ``final_url``. A later ``check --expect FILE.toml``
  then reports any page whose title moved away from the baseline as ``title_mismatch`` (old
  title expected, new title found): content drift made visible.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .manifest import render_manifest
from .models import Report, Result, Target
from .urls import normalise

__all__ = ["KNOWN_PUBLISHERS", "baseline_facts", "build_manifest", "failing_in_baseline"]

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


def baseline_facts(report: Report) -> dict[str, Result]:
    """Results of a baseline report keyed by normalised URL.

    A loaded report keys its targets by the URL as written, so the key is normalised again here:
    ``https://Example.org`` in the report and ``https://example.org/`` in the document are one link.
    """
    return {normalise(result.target.url): result for result in report.results}


def build_manifest(targets: Sequence[Target], baseline: Report | None = None) -> str:
    """Manifest TOML for every checkable target: link text as title, known publisher.

    With a ``baseline`` report, the title found on the page replaces the link text and the
    final URL is pinned, so a later ``check --expect`` detects content drift.
    """
    found = baseline_facts(baseline) if baseline is not None else {}
    left_out = failing_in_baseline(targets, baseline) if baseline is not None else []
    failed = {normalise(result.target.url) for result in left_out}
    entries = [
        _entry(target, found.get(normalise(target.url)))
        for target in targets
        if target.skip is None and normalise(target.url) not in failed
    ]
    text = render_manifest(entries)
    if left_out:
        text += _left_out_comment(left_out)
    return text


def failing_in_baseline(targets: Sequence[Target], baseline: Report) -> list[Result]:
    """The baseline's results for ``targets`` whose verdict failed: what the page said then is no
    expected source (a "not found" page, a wrong page), so ``build_manifest`` leaves them out."""
    found = baseline_facts(baseline)
    results = (found.get(normalise(target.url)) for target in targets if target.skip is None)
    return [result for result in results if result is not None and result.verdict.is_failure]


def _left_out_comment(results: Sequence[Result]) -> str:
    lines = ["", "# Left out: these links failed in the baseline report, so what their pages showed is no",
             "# expected source. Fix them, or add an entry by hand."]
    lines += [f"# {result.verdict.value}: {result.target.url}".replace("\n", " ") for result in results]
    return "\n".join(lines) + "\n"


def _entry(target: Target, base: Result | None) -> dict[str, Any]:
    link_text = target.expected.title if target.expected else None
    entry: dict[str, Any] = {"url": target.url, "title": link_text, "publisher": KNOWN_PUBLISHERS.get(target.host)}
    if base is not None and base.title is not None and base.title.found:
        entry["title"] = base.title.found
        entry["match"] = "fuzzy"
        if link_text and link_text != base.title.found:
            entry["note"] = f"link text: {link_text}"
    if base is not None and base.final_url and base.status is not None:
        entry["final_url"] = base.final_url
    if entry["title"] is None:
        entry["note"] = "bare URL: add the title of the cited source"
    return entry
