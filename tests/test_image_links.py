"""A link that holds only an image (a badge, a logo) is not a citation (issue 9, item 1): its
alt text says what the image shows, so it is never compared with the page's title, in Markdown
(``[![alt](img)](url)``, raw ``<a><img></a>``) and in HTML alike.

The Markdown lines are real: sqlite-utils' README (Apache-2.0, github.com/simonw/sqlite-utils) links
its "Tests" badge to the workflow-runs page, whose title is "Workflow runs · simonw/sqlite-utils ·
GitHub"; pandas' README (BSD-3-Clause) holds a logo inside raw HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli


def _page(title: str) -> str:
    return f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><p>{'text ' * 40}</p></body></html>"


def _check(runner: CliRunner, doc: Path, tmp_path: Path) -> dict[str, dict]:
    result = runner.invoke(cli, ["check", str(doc), "-o", str(tmp_path / "out"), "-f", "json", "--no-cache",
                                 "--no-progress", "--retries", "0", "--timeout", "5"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads((tmp_path / "out" / "linkcheck.json").read_text(encoding="utf-8"))
    return {link["url"]: link for link in report["links"]}


def test_badges_and_logos_are_not_compared_but_their_words_are(runner: CliRunner, httpserver: HTTPServer,
                                                                 tmp_path: Path) -> None:
    httpserver.expect_request("/actions").respond_with_data(_page("Workflow runs · simonw/sqlite-utils · GitHub"),
                                                            content_type="text/html")
    httpserver.expect_request("/logo").respond_with_data(_page("pandas - Python Data Analysis Library"),
                                                         content_type="text/html")
    httpserver.expect_request("/other").respond_with_data(_page("Workflow runs · simonw/sqlite-utils · GitHub"),
                                                          content_type="text/html")
    httpserver.expect_request("/badge.svg").respond_with_data(b"<svg/>", content_type="image/svg+xml")
    actions, logo, other = (httpserver.url_for(p) for p in ("/actions", "/logo", "/other"))
    badge = httpserver.url_for("/badge.svg")
    doc = tmp_path / "README.md"
    doc.write_text(
        f"[![Tests]({badge})]({actions}?query=workflow%3ATest)\n"
        f'<div align="center">\n  <a href="{logo}"><img src="{badge}" alt="Pandas Logo"></a>\n</div>\n\n'
        f"[Release notes of the Tests badge]({other})\n",
        encoding="utf-8",
    )
    links = _check(runner, doc, tmp_path)
    tests = links[f"{actions}?query=workflow%3ATest"]
    assert tests["verdict"] == "ok"
    assert tests["title"]["match"] is None and tests["title"]["detail"] == "not_citation:image"
    assert tests["occurrences"][0] == {"source": str(doc), "line": 1, "column": tests["occurrences"][0]["column"],
                                       "text": "Tests"}, "the contract's four keys"
    assert links[logo]["verdict"] == "ok" and links[logo]["title"]["detail"] == "not_citation:image"
    words = links[other]
    assert words["verdict"] == "title_mismatch", "a link with words is still a citation"
    assert words["title"]["detail"] != "not_citation:image"


def test_html_anchor_holding_an_image_and_words_keeps_its_words(tmp_path: Path) -> None:
    from linkcheck.extract import extract
    from linkcheck.models import Document

    page = ('<p><a href="https://example.org/a"><img src="x.png" alt="CI"></a>'
            '<a href="https://example.org/b"><img src="y.png" alt=""> Annual report 2023</a></p>')
    links = extract(Document("page.html", "html", text=page))
    assert [(link.url, link.occurrence.text, link.occurrence.alt) for link in links] == [
        ("https://example.org/a", "CI", True),
        ("x.png", None, False),
        ("https://example.org/b", "Annual report 2023", False),
        ("y.png", None, False),
    ]
