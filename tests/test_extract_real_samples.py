"""Small samples of the real corpus of bench/RESULTS.md (issue 10), kept as regression tests.

Each sample is a few lines copied from a public repository, with the position and link text an
independent reader gives them (checked by hand against the file; where markdown-it.rs disagrees,
the reason is in bench/RESULTS.md):
- kubernetes/community (Apache-2.0), sig-node/archive/meeting-notes-2022.md: a tab-indented line;
- rust-lang/book (MIT OR Apache-2.0), src/ch01-01-installation.md and src/ch02-00-guessing-game-tutorial.md:
  a reference link whose text wraps over two lines, and one whose text is a code span;
- public-apis/public-apis (MIT), README.md: a "Run In Postman" button, an ``<img>`` inside a link label.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from linkcheck.cli import cli


def occurrences(tmp_path: Path, name: str, text: str) -> dict[str, list[tuple[int, int, str]]]:
    doc = tmp_path / name
    doc.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", "-f", "json", str(doc)])
    assert result.exit_code == 0, result.output
    return {link["url"]: [(o["line"], o["column"], o["text"]) for o in link["occurrences"]]
            for link in json.loads(result.output)["links"]}


def test_a_tab_indented_line_counts_the_tab_as_one_column(tmp_path: Path) -> None:
    url = "https://github.com/kubernetes/sig-release/blob/master/releases/release_phases.md#code-freeze"
    found = occurrences(tmp_path, "notes.md", f"- Notes\n\t**29th March 2022**: Week 12 — [Code Freeze]({url})\n")
    assert found[url] == [(2, 47, "Code Freeze")]


def test_reference_links_with_wrapped_and_code_span_text(tmp_path: Path) -> None:
    text = (
        "can always find a fairly current list of many editors and IDEs on [the tools\n"
        "page][tools] on the Rust website.\n"
        "\n"
        "[`String`][string]<!-- ignore --> is a string type provided by the standard\n"
        "library that is a growable, UTF-8 encoded bit of text.\n"
        "\n"
        "[tools]: https://www.rust-lang.org/tools\n"
        "[string]: https://doc.rust-lang.org/std/string/struct.String.html\n"
        "[unused]: https://www.rust-lang.org/community\n"
    )
    found = occurrences(tmp_path, "ch01.md", text)
    assert found["https://www.rust-lang.org/tools"] == [(1, 67, "the tools page")]
    assert found["https://doc.rust-lang.org/std/string/struct.String.html"] == [(4, 1, "String")]
    assert "https://www.rust-lang.org/community" not in found, "a definition nothing uses is not a link"


def test_an_image_inside_a_link_label_gives_the_link_its_alt_text(tmp_path: Path) -> None:
    run = "https://god.gw.postman.com/run-collection/10131015-55145132-244c-448c-8e6f-8780866e4862?action=collection%2Ffork"
    row = ("| [IPstack](https://ipstack.com/?utm_source=Github) | Locate and Identify Website Visitors by IP Address | "
           '[<img src="https://run.pstmn.io/button.svg" alt="Run In Postman" style="width: 128px; height: 32px;">]'
           f"({run}) |\n")
    text = "| API | Description | Call this API |\n|---|---|---|\n" + row
    found = occurrences(tmp_path, "README.md", text)
    assert found[run][0][2] == "Run In Postman"
    assert found[run][0][:2] == (3, row.index(run) + 1)
    assert found["https://run.pstmn.io/button.svg"][0][:2] == (3, row.index("https://run.pstmn.io") + 1)
    assert found["https://ipstack.com/?utm_source=Github"] == [(3, 13, "IPstack")]
