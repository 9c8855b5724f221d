"""Schema of the README/docs link set of issue 9 (``tests/data/citations/readme_links.jsonl``).

Each row is one real link from a public repository's README, the title its target really renders
and whether the text reads as a citation; ``-wrong`` rows pair a real citation-like text with
another repository's real target to model a mis-link. Where the rows came from and how titles were
sourced is in tests/data/citations/README.md; this test keeps the file to its schema.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "citations" / "readme_links.jsonl"
KINDS = {"issue_ref", "user", "badge", "image", "bare_name", "generic", "descriptive", "url_text", "footnote",
         "version", "title"}
LABELS = {"correct", "wrong"}
FIELDS = {"id", "repo", "file", "line", "text", "url", "kind", "title", "citation", "label", "source_title"}
MIN_ROWS, MIN_REPOS, MIN_WRONG = 300, 15, 60


def load() -> list[dict]:
    rows = []
    for number, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row["_line"] = number
            rows.append(row)
    return rows


def split_of(row_id: str) -> str:
    return "held" if int(hashlib.sha1(row_id.encode()).hexdigest(), 16) % 2 == 1 else "tune"


ROWS = load()


def test_size_and_spread() -> None:
    correct = [r for r in ROWS if r["label"] == "correct"]
    assert len(correct) >= MIN_ROWS, f"{len(correct)} correct links, want ≥ {MIN_ROWS}"
    repos = {r["repo"] for r in correct}
    assert len(repos) >= MIN_REPOS, f"{len(repos)} repositories, want ≥ {MIN_REPOS}"
    assert sum(r["label"] == "wrong" for r in ROWS) >= MIN_WRONG
    # no single repository dominates, and both halves of the split hold both labels
    top_repo, top = Counter(r["repo"] for r in correct).most_common(1)[0]
    assert top <= len(correct) // 4, f"{top_repo} has {top} of {len(correct)} links"
    halves = Counter((split_of(r["id"]), r["label"]) for r in ROWS)
    assert all(halves[(s, lab)] >= 25 for s in ("tune", "held") for lab in LABELS), halves


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["id"])
def test_row_schema(row: dict) -> None:
    assert set(row) - {"_line"} == FIELDS, f"line {row['_line']}: fields {sorted(set(row) ^ FIELDS)}"
    assert row["kind"] in KINDS
    assert row["label"] in LABELS
    assert row["url"].startswith(("http://", "https://"))
    assert "/" in row["repo"] and row["file"] and isinstance(row["line"], int) and row["line"] >= 1
    assert isinstance(row["citation"], bool)
    assert row["title"] is None or (isinstance(row["title"], str) and row["title"].strip())
    assert row["source_title"].strip(), "say where the title came from"
    # only a title or description is compared; identifiers, names, badges, images, generic words are not
    assert row["citation"] == (row["kind"] in ("descriptive", "title")), row["kind"]
    if row["label"] == "wrong":
        assert row["id"].endswith("-wrong") and row["citation"] and row["title"]
    else:
        assert not row["id"].endswith("-wrong")
    if row["kind"] in ("badge", "image") and row["title"] is None:
        assert row["source_title"].startswith("image")


def test_ids_unique_and_wrong_rows_pair_other_targets() -> None:
    ids = Counter(r["id"] for r in ROWS)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    by_id = {r["id"]: r for r in ROWS}
    for row in ROWS:
        if row["label"] != "wrong":
            continue
        base = by_id.get(row["id"].removesuffix("-wrong"))
        assert base is not None and base["label"] == "correct", f"{row['id']}: no correct row it mis-links"
        assert base["text"] == row["text"], row["id"]
        assert row["url"] != base["url"] and row["title"] != base["title"], f"{row['id']} pairs its own target"
        others = [r for r in ROWS if r["label"] == "correct" and r["url"] == row["url"]]
        assert others and all(r["repo"] != row["repo"] for r in others), f"{row['id']}: target from its own repo"


def test_kinds_in_proportion() -> None:
    """The ordinary kinds are all present: the set is not only the easy citation-like links."""
    kinds = Counter(r["kind"] for r in ROWS if r["label"] == "correct")
    for kind in ("badge", "image", "bare_name", "generic", "descriptive", "url_text", "title", "issue_ref", "user"):
        assert kinds[kind] >= 2, f"kind {kind}: {kinds[kind]}"
    assert kinds["descriptive"] + kinds["title"] < sum(kinds.values()) / 2, "citation-like text is not most links"
