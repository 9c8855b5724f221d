"""Issue 9: README link texts that point at a section, a code line, a language version or a
site, or that are whole sentences: real links of ``tests/data/citations/readme_links.jsonl``
with the titles their sites render, against the mis-links the same texts make elsewhere."""

from __future__ import annotations

import pytest

from linkcheck.citation import compare_title
from linkcheck.models import Expectation, Page, Verdict
from tests.servers import html
from tests.test_check import check_one

THRESHOLD = 52.0


def judged(text: str, title: str, url: str):
    page = Page(is_html=True, title=title, candidates=(("title", title),))
    check = compare_title(Expectation(title=text), page, threshold=THRESHOLD, final_url=url.partition("#")[0],
                          cited_url=url)
    assert check is not None
    return check


@pytest.mark.parametrize(
    ("text", "title", "url", "detail"),
    [
        # ohmyzsh README: the text is the heading of the section the fragment names.
        ("FAQ: How do I update Oh My Zsh?", "FAQ · ohmyzsh/ohmyzsh Wiki · GitHub",
         "https://github.com/ohmyzsh/ohmyzsh/wiki/FAQ#how-do-i-update-oh-my-zsh", "cites_section: #how-do-i-update-oh-my-zsh"),
        # trafilatura README: a link to lines of a source file names code, not a document.
        ("default regex", "readability/Readability.js at 8e8ec27cd2013940bc6f3cc609de10e35a1d9d86 · mozilla/readability · GitHub",
         "https://github.com/mozilla/readability/blob/8e8ec27cd2013940bc6f3cc609de10e35a1d9d86/Readability.js#L133",
         "not_citation:code_line"),
        # ripgrep README: a sentence describing the page, sharing its name with it.
        ("Archives of precompiled binaries for ripgrep are available for Windows, macOS and Linux.",
         "Releases · BurntSushi/ripgrep · GitHub", "https://github.com/BurntSushi/ripgrep/releases", "partial_description"),
        # ripgrep README: a language's name for a translation repository.
        ("Spanish", "traducciones/ripgrep at master · UltiRequiem/traducciones · GitHub",
         "https://github.com/UltiRequiem/traducciones/tree/master/ripgrep", "language_version: es"),
        # ripgrep README: "ports" is the head of the compound "haikuports" in the page's title.
        ("official ports", "haikuports/sys-apps/ripgrep at master · haikuports/haikuports · GitHub",
         "https://github.com/haikuports/haikuports/tree/master/sys-apps/ripgrep", "partial_description"),
        # lychee README: "lib" in the crate's name abbreviates "library".
        ("library documentation", "lychee_lib - Rust", "https://docs.rs/lychee-lib/latest/lychee_lib/",
         "partial_description"),
        # trafilatura README: "issue" and GitHub's "Issues" are one word.
        ("dedicated issue page", "Issues · adbar/trafilatura · GitHub", "https://github.com/adbar/trafilatura/issues",
         "partial_description"),
        # typer README: the project's name for its docs' home page, "Welcome to …".
        ("Click", "Welcome to Click — Click Documentation (8.2.x)", "https://click.palletsprojects.com/",
         "expected_is_publisher"),
        # pandas README: the site named by its words; PyPI spells "Python Package Index".
        ("Python package index", "pandas · PyPI", "https://pypi.org/project/pandas", "expected_is_publisher"),
    ],
)
def test_correct_readme_links_are_no_false_alarm(text: str, title: str, url: str, detail: str) -> None:
    check = judged(text, title, url)
    assert check.match is None
    assert check.detail == detail


@pytest.mark.parametrize(
    ("text", "title", "url"),
    [
        # The same kinds of text on another repository's page: mis-links, still caught.
        ("databases", "FAQ · ohmyzsh/ohmyzsh Wiki · GitHub", "https://github.com/ohmyzsh/ohmyzsh/wiki/FAQ#how-do-i-update-oh-my-zsh"),
        ("English readme", "crossbeam - Rust", "https://docs.rs/crossbeam/latest/crossbeam/"),
        # A language's name says which version it links to; it is not text in that language.
        ("Deutsche readme", "Simon Willison on sqlite-utils", "https://simonwillison.net/tags/sqlite-utils/"),
        # The name of a project's standard page is compared: vue's "Contributing Guide" on a PyPI page.
        ("Contributing Guide", "flake8-pie · PyPI", "https://pypi.org/project/flake8-pie/"),
        ("QuickStart", "pip install - pip documentation v24.3.1", "https://pip.pypa.io/en/latest/reference/pip_install.html"),
        # "https" is not a form of "httpx".
        ("HTTPS cloning errors", "Requests Compatibility - HTTPX", "https://www.python-httpx.org/compatibility/"),
        ("Archives of precompiled binaries for ripgrep are available for Windows, macOS and Linux.",
         "crossbeam - Rust", "https://docs.rs/crossbeam/latest/crossbeam/"),
    ],
)
def test_the_same_kinds_of_text_on_an_unrelated_page_are_a_mismatch(text: str, title: str, url: str) -> None:
    assert judged(text, title, url).match is False


def test_a_reworded_description_sharing_three_long_words_is_not_a_mismatch() -> None:
    """node's README: "images" and "Images" share a stem that is shorter than the words."""
    check = judged("Docker images for Alpine Linux with Node and optionally, npm, pre-installed",
                   "GitHub - mhart/alpine-node: Minimal Node.js Docker Images built on Alpine Linux",
                   "https://github.com/mhart/alpine-node")
    assert check.match is None and check.detail == "title_unverifiable: shares alpine, docker, imag"


def test_a_language_version_link_is_ok_in_the_report() -> None:
    result, _ = check_one({"/UltiRequiem/traducciones/tree/master/ripgrep":
                           html("traducciones/ripgrep at master · UltiRequiem/traducciones · GitHub")},
                          "/UltiRequiem/traducciones/tree/master/ripgrep", title="Spanish")
    assert result.verdict is Verdict.OK
    assert result.title is not None and result.title.detail == "language_version: es"


def test_a_sphinx_title_whose_heading_and_site_both_name_the_project_matches() -> None:
    """black README: "The Black code style - Black 26.5.1 documentation"; the release number does not
    make "Black 26.5.1 documentation" too long to be the site's name, so the heading is compared."""
    check = judged("The Black Code Style: Current style", "The Black code style - Black 26.5.1 documentation",
                   "https://black.readthedocs.io/en/stable/the_black_code_style/current_style.html")
    assert check.match is True


@pytest.mark.parametrize(
    ("text", "title", "url"),
    [
        ("Contributing Guide", "Contributing - HTTPX", "https://www.python-httpx.org/contributing/"),
        ("QuickStart", "QuickStart - HTTPX", "https://www.python-httpx.org/quickstart/"),
        ("Issues", "Issues · httpie/cli · GitHub", "https://github.com/httpie/cli/issues"),
    ],
)
def test_the_name_of_a_standard_page_is_no_false_alarm_on_that_page(text: str, title: str, url: str) -> None:
    """vue's, httpx's and httpie's READMEs: such a name is (part of) the page's title."""
    check = judged(text, title, url)
    assert check.match is not False
    assert check.detail in (None, "partial_description")  # compared, not set aside as generic
