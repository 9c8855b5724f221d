"""Issue 10 items 1, 4 and 7 through ``linkcheck extract --format json``: positions from the
parser's source map (formatted reference text, text wrapped over lines, an href that is a prefix
of a later URL, ``href=`` on another line than ``<a``, ``&amp;``), the link kinds that were missed,
and unused reference definitions left out."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from linkcheck.cli import cli

MARKDOWN = """\
See [`cargo build`][cb] and [a link
wrapped over lines](https://example.org/wrapped).
Bare https://example.org/a then [x](https://example.org/a/b).

[<img src="logo.png" alt="Logo">](https://example.org/logo-link)

Text with a note.[^1]

[^1]: https://example.org/footnote

[cb]: https://doc.rust-lang.org/cargo/commands/cargo-build.html
[unused]: https://example.org/unused
"""

HTML = """\
<html><head><link rel="alternate" href="https://doi.org/10.1/x"></head><body>
<a
   href="https://example.org/q?a=1&amp;b=2">amp</a>
<blockquote cite="https://example.org/bq">x</blockquote><q cite="https://example.org/q2">y</q>
<video><source src="https://example.org/v.mp4"></video>
<a href="https://example.org/img"><img src="i.png" alt="Alt text"></a>
</body></html>
"""


def _occurrences(tmp_path: Path, name: str, text: str) -> dict[str, tuple[int, int, str | None]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {}
    for link in json.loads(result.output)["links"]:
        occurrence = link["occurrences"][0]
        found[link["url"]] = (occurrence["line"], occurrence["column"], occurrence["text"])
    return found


def test_markdown_positions_come_from_the_source_not_a_text_search(tmp_path: Path) -> None:
    found = _occurrences(tmp_path, "doc.md", MARKDOWN)
    assert found["https://doc.rust-lang.org/cargo/commands/cargo-build.html"] == (1, 5, "cargo build")
    assert found["https://example.org/wrapped"] == (2, 21, "a link wrapped over lines")
    # the bare URL is a prefix of the next link's URL: each keeps its own place
    assert found["https://example.org/a"] == (3, 6, None)
    assert found["https://example.org/a/b"] == (3, 37, "x")


def test_markdown_image_in_a_link_label_and_footnote_links_are_found(tmp_path: Path) -> None:
    found = _occurrences(tmp_path, "doc.md", MARKDOWN)
    assert found["https://example.org/logo-link"] == (5, 35, "Logo")
    assert found["https://example.org/footnote"][:2] == (9, 7)


def test_unused_reference_definitions_are_not_links(tmp_path: Path) -> None:
    assert "https://example.org/unused" not in _occurrences(tmp_path, "doc.md", MARKDOWN)


def test_html_columns_are_the_urls_and_cite_source_alternate_are_found(tmp_path: Path) -> None:
    found = _occurrences(tmp_path, "page.html", HTML)
    assert found["https://example.org/q?a=1&b=2"] == (3, 10, "amp")
    assert found["https://doi.org/10.1/x"][:2] == (1, 41)
    assert found["https://example.org/bq"][:2] == (4, 19)
    assert found["https://example.org/q2"][:2] == (4, 66)
    assert found["https://example.org/v.mp4"][:2] == (5, 21)
    assert found["https://example.org/img"] == (6, 10, "Alt text")
