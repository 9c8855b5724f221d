"""Figures of the citation judgement on the dev set (issue 9): ``python -m tests.citation_eval [tune|held]``.

Each row is judged as ``linkcheck`` judges a reached page: ``compare_title`` on the page's signals
(title, og:title, h1, site name, language) and the soft-404 reading of its title and heading. A
row is *flagged* when that gives a failing verdict (``title_mismatch`` or ``soft_404``).

pairs.jsonl: positives are rows labelled mismatch or soft_404; precision and recall of flagging.
readme_links.jsonl: false-alarm rate on correct links, recall on wrong ones (rows without a title
are images: nothing to compare, counted as not flagged; badge and image rows are links holding only
images, judged from their alt text as the tool judges them, ``is_alt``).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from linkcheck.citation import compare_title
from linkcheck.config import DEFAULT_TITLE_THRESHOLD
from linkcheck.judge import page_says_not_found
from linkcheck.models import Expectation, Page

DATA = Path(__file__).parent / "data" / "citations"


def split_of(row_id: str) -> str:
    return "held" if int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 2 == 1 else "tune"


def rows(name: str, split: str) -> list[dict]:
    path = DATA / name
    if not path.exists():
        return []
    out = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in out if split == "all" or split_of(r["id"]) == split]


def page_of(signals: dict) -> Page:
    title = signals.get("title")
    candidates = [("title", title)] if title else []
    for key, signal in (("og_title", "og:title"), ("h1", "h1")):
        if signals.get(key):
            candidates.append((signal, signals[key]))
    return Page(is_html=True, title=title, candidates=tuple(candidates), publisher=signals.get("site_name"),
                h1=signals.get("h1"), text=signals.get("text", ""), description=signals.get("description"), published=(signals.get("published") or "")[:10] or None,
                language=(signals.get("lang") or "").split("-")[0].lower() or None)


def flagged(text: str, signals: dict, url: str, *, alt: bool = False) -> bool:
    page = page_of(signals)
    if page_says_not_found(page, text) is not None:
        return True
    # As the judge calls it: the URL fetched (no #fragment) and the URL cited (with it); the
    # alt text of a link holding only images as collect.expectation_from_text makes it.
    expected = Expectation(title=text, origin="image_alt" if alt else "link_text")
    check = compare_title(expected, page, threshold=DEFAULT_TITLE_THRESHOLD,
                          final_url=url.partition("#")[0], cited_url=url)
    return check is not None and check.match is False


def is_alt(row: dict) -> bool:
    """Is the README row's link one that holds only images? The data set's README says rows of
    kind ``badge`` and ``image`` give the image's alt text as ``text``: the extractor marks such
    links (``Occurrence.alt``) and the judge does not compare them."""
    return row.get("kind") in ("badge", "image")


@dataclass(frozen=True)
class Figures:
    n_pairs: int
    precision: float
    recall: float
    n_correct: int
    false_alarms: float
    n_wrong: int
    wrong_recall: float


def figures(split: str) -> Figures:
    tp = fp = fn = 0
    pairs = rows("pairs.jsonl", split)
    for row in pairs:
        positive = row["label"] in ("mismatch", "soft_404")
        hit = flagged(row["text"], row["page"], row["url"])
        tp += hit and positive
        fp += hit and not positive
        fn += positive and not hit
    correct = wrong = alarms = caught = 0
    for row in rows("readme_links.jsonl", split):
        hit = row.get("title") is not None and flagged(row["text"], {"title": row["title"]}, row["url"], alt=is_alt(row))
        if row["label"] == "correct":
            correct += 1
            alarms += hit
        else:
            wrong += 1
            caught += hit
    return Figures(
        n_pairs=len(pairs),
        precision=tp / (tp + fp) if tp + fp else 1.0,
        recall=tp / (tp + fn) if tp + fn else 1.0,
        n_correct=correct,
        false_alarms=alarms / correct if correct else 0.0,
        n_wrong=wrong,
        wrong_recall=caught / wrong if wrong else 1.0,
    )


def table(split: str) -> str:
    f = figures(split)
    return "\n".join([
        f"| set ({split}) | rows | figure | value |",
        "| --- | ---: | --- | ---: |",
        f"| pairs.jsonl | {f.n_pairs} | title_mismatch precision | {f.precision:.3f} |",
        f"| pairs.jsonl | {f.n_pairs} | title_mismatch recall | {f.recall:.3f} |",
        f"| readme_links.jsonl, correct | {f.n_correct} | false alarms | {f.false_alarms:.3f} |",
        f"| readme_links.jsonl, wrong | {f.n_wrong} | recall of wrong links | {f.wrong_recall:.3f} |",
    ])


def errors(split: str) -> None:
    for row in rows("pairs.jsonl", split):
        positive = row["label"] in ("mismatch", "soft_404")
        hit = flagged(row["text"], row["page"], row["url"])
        if hit != positive:
            print(f"PAIR {'FP' if hit else 'FN'} [{row['class']}] {row['text']!r} -> {row['page'].get('title')!r}")
    for row in rows("readme_links.jsonl", split):
        if row.get("title") is None:
            continue
        hit = flagged(row["text"], {"title": row["title"]}, row["url"], alt=is_alt(row))
        if hit != (row["label"] == "wrong"):
            print(f"README {'FA' if hit else 'MISS'} [{row['kind']}] {row['text']!r} -> {row['title']!r}")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "tune"
    if "-v" in sys.argv:
        errors(which)
    print(table(which))
