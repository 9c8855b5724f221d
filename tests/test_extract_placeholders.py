"""Issue 10 item 6: a URL with a template placeholder in it (``{{ entry.hash }}``, ``{% link … %}``,
``${var}`` …) is found whole, reported ``invalid`` with the reason "template placeholder", and never
requested (nor a cut-short prefix of it).

The documents are snippets of real template sources (each labelled with where it is from)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli
from linkcheck.urls import template_placeholder

from .conftest import html_page

# jsanz.github.io/gh-pages-minima-starter/2020/04/19/links.html (a Jekyll tutorial, Markdown source)
JEKYLL = """\
There is a Liquid tag to link to files. So for our archive we would use:

[archive]({{ site.base_url }}{% link _pages/archive.md %})

For a blog post this:

[first post]({{ site.base_url }}{% link _posts/2020-03-18-my-first-post.md %})
"""

# gohugo.io/content-management/cross-references (Hugo's documentation)
HUGO = """\
To generate a hyperlink using ref or relref in Markdown:

[About]({{< ref "/about" >}} "About Us")
"""

# A profile-README template of a GitHub README generator (Jinja), as found with the code search
PROFILE = """\
#### 📜 My recent blog posts

{% for post in rssFeed(url="https://domain.tld/feed.xml", count=3) -%}
- [{{ post.title }}](https://domain.tld{{ post.link }})
{% endfor %}
"""

# A project template's install step (Jinja), and a shell script of benc-uk/tools-install
PLAIN = """\
The command to install the latest {{ project.name }} into /usr/local is:
curl -L 'https://github.com/{{ project.username }}/{{ project.reponame }}/archive/latest.tar.gz'
curl -sSL https://github.com/$GITHUB/releases/download/v${VERSION}/tool.tar.gz | tar -zx
"""


def _extracted(tmp_path: Path, name: str, text: str) -> dict[str, tuple[int, int, str | None]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return {
        link["url"]: (link["occurrences"][0]["line"], link["occurrences"][0]["column"], link["occurrences"][0]["text"])
        for link in json.loads(result.output)["links"]
    }


def test_markdown_links_that_start_with_a_placeholder_are_found(tmp_path: Path) -> None:
    assert _extracted(tmp_path, "links.md", JEKYLL) == {
        "{{ site.base_url }}{% link _pages/archive.md %}": (3, 11, "archive"),
        "{{ site.base_url }}{% link _posts/2020-03-18-my-first-post.md %}": (7, 14, "first post"),
    }
    assert _extracted(tmp_path, "refs.md", HUGO) == {'{{< ref "/about" >}}': (3, 9, "About")}


def test_a_placeholder_after_the_host_is_part_of_the_url(tmp_path: Path) -> None:
    found = _extracted(tmp_path, "README.md", PROFILE)
    assert found["https://domain.tld{{ post.link }}"] == (4, 22, "{{ post.title }}")
    assert "https://domain.tld" not in found  # never the cut-short prefix
    # a real URL written inside a template tag is still a link
    assert found["https://domain.tld/feed.xml"][:2] == (3, 29)


def test_plain_text_urls_run_through_placeholders(tmp_path: Path) -> None:
    assert list(_extracted(tmp_path, "install.txt", PLAIN)) == [
        "https://github.com/{{ project.username }}/{{ project.reponame }}/archive/latest.tar.gz",
        "https://github.com/$GITHUB/releases/download/v${VERSION}/tool.tar.gz",
    ]


@pytest.mark.parametrize(
    ("url", "placeholder"),
    [
        pytest.param("https://github.com/{{ site.github_username }}", "{{", id="liquid-output"),
        pytest.param("{% post_url 2010-07-21-name-of-post %}", "{%", id="liquid-tag"),
        pytest.param("https://registry.example/${name}/-/x.tgz", "${name}", id="shell"),
        pytest.param("https://example.org/users/#{user.id}", "#{user.id}", id="ruby"),
        pytest.param("<%= post.url %>", "<%", id="erb"),
        pytest.param("https://api.github.com/users/octocat/repos{?type,page}", "{?type,page}", id="uri-template"),
        pytest.param("https://example.org/%7B%7B%20page.url%20%7D%7D", "%7B%7B", id="percent-encoded"),
        pytest.param("https://example.org/search?q=%7Bx%7D&a={}", None, id="no-placeholder"),
        pytest.param('https://example.org/q?filter={"a":1}', None, id="json-is-not-a-template"),
    ],
)
def test_template_placeholder(url: str, placeholder: str | None) -> None:
    assert template_placeholder(url) == placeholder


def _serve(httpserver: HTTPServer) -> str:
    httpserver.expect_request("/about/").respond_with_data(
        html_page("About us"), content_type="text/html; charset=utf-8"
    )
    # <a href="{{ repo.homepage }}"> from edbritton/edbritton.github.io index.md; the stylesheet
    # link (not a link to check: rel=stylesheet) from rogerwalt/rogerwalt.github.io;
    # <a href="{{% ref about.md#who %}}"> from Hugo's docs
    httpserver.expect_request("/site/index.html").respond_with_data(
        '<html><head><title>Site</title><link rel="stylesheet" href="{{ site.github.url }}/css/main.css">'
        '</head><body><a href="{{ repo.homepage }}">&nbsp;{{ repo.name }}</a>'
        '<a href="{{% ref about.md#who %}}">Who</a> <a href="/about/">About us</a></body></html>',
        content_type="text/html; charset=utf-8",
    )
    return httpserver.url_for("/site/index.html")


def test_placeholder_links_are_invalid_and_never_requested(httpserver: HTTPServer, tmp_path: Path) -> None:
    source = _serve(httpserver)
    origin = httpserver.url_for("").rstrip("/")
    notes = tmp_path / "notes.md"
    notes.write_text(PROFILE.replace("https://domain.tld", origin) + JEKYLL, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["check", source, str(notes), "-o", str(out), "--no-cache", "--no-progress", "--retries", "0"]
    )
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    verdicts = {link["url"]: (link["verdict"], link["error"]) for link in report["links"]}
    placeholder = ("invalid", "template placeholder")
    assert verdicts[httpserver.url_for("/site/{{ repo.homepage }}")] == placeholder
    assert verdicts[httpserver.url_for("/site/{{% ref about.md#who %}}")] == placeholder
    assert verdicts[f"{origin}{{{{ post.link }}}}"] == placeholder
    assert verdicts["{{ site.base_url }}{% link _pages/archive.md %}"] == placeholder  # not a local file
    assert verdicts[httpserver.url_for("/about/")][0] == "ok"
    requested = sorted({request.path for request, _ in httpserver.log})
    assert requested == ["/about/", "/feed.xml", "/site/index.html"]
    assert report["summary"]["invalid"] == 5
    assert result.exit_code == 1


def test_exclude_sets_placeholders_aside(httpserver: HTTPServer, tmp_path: Path) -> None:
    source = _serve(httpserver)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["check", source, "-o", str(out), "--no-cache", "--no-progress", "--retries", "0", "--exclude", r"\{\{"],
    )
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    assert {link["verdict"] for link in report["links"] if "{{" in link["url"]} == {"excluded"}
    assert result.exit_code == 0, result.output


def test_a_site_path_with_a_placeholder_in_a_local_html_file_is_not_a_missing_file(tmp_path: Path) -> None:
    # w3c/wcag, _includes/test-rules.html (an Eleventy include)
    page = tmp_path / "test-rules.html"
    page.write_text('<ul>\n    <li><a href="/WAI{{ rule.permalink }}">{{ rule.title }}</a></li>\n</ul>\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["check", str(page), "-o", str(out), "--no-cache", "--no-progress"])
    (link,) = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))["links"]
    assert (link["url"], link["verdict"], link["error"]) == ("/WAI{{ rule.permalink }}", "invalid", "template placeholder")
    assert link["occurrences"][0]["line"] == 2
    assert result.exit_code == 1
