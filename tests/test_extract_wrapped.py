"""Issue 10 item 5: a URL wrapped over lines inside ``<…>`` in RFC-style text is read whole (the
brackets delimit it; pieces broken after ``/`` or ``-`` are joined, the hyphen kept) and its
occurrence says so (``note``) in every report that lists occurrences.

The text is taken from real documents: the references of RFC 9449 (OAuth 2.0 DPoP) and of
draft-ratnawat-httpapi-async-problem-details-00, as published in plain text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from linkcheck.cli import cli

from .conftest import html_page

RFC9449_REFERENCES = """\
   [SECURITY-TOPICS]
              Lodderstedt, T., Bradley, J., Labunets, A., and D. Fett,
              "OAuth 2.0 Security Best Current Practice", Work in
              Progress, Internet-Draft, draft-ietf-oauth-security-
              topics-23, 5 June 2023,
              <https://datatracker.ietf.org/doc/html/draft-ietf-oauth-
              security-topics-23>.

   [TOKEN-BINDING]
              Jones, M., Campbell, B., Bradley, J., and W. Denniss,
              "OAuth 2.0 Token Binding", Work in Progress, Internet-
              Draft, draft-ietf-oauth-token-binding-08, 19 October 2018,
              <https://datatracker.ietf.org/doc/html/draft-ietf-oauth-
              token-binding-08>.

   [W3C.CSP]  West, M., "Content Security Policy Level 3", W3C Working
              Draft, July 2023, <https://www.w3.org/TR/CSP3/>.
"""

ASYNC_PROBLEM_REFERENCES = """\
   [ASYNCAPI] AsyncAPI Initiative, "AsyncAPI Specification",
              Version 3.0.0, February 2024,
              <https://www.asyncapi.com/docs/reference/
              specification/v3.0.0>.
"""

JOINED = "joined from 2 lines inside <>"


def _extract(tmp_path: Path, text: str, name: str = "rfc9449.txt") -> list[dict]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["links"]


def test_wrapped_urls_inside_brackets_are_joined_and_noted(tmp_path: Path) -> None:
    links = _extract(tmp_path, RFC9449_REFERENCES + ASYNC_PROBLEM_REFERENCES)
    found = {link["url"]: link["occurrences"][0] for link in links}
    assert list(found) == [
        "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-security-topics-23",
        "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-token-binding-08",
        "https://www.w3.org/TR/CSP3/",
        "https://www.asyncapi.com/docs/reference/specification/v3.0.0",
    ]
    # where the URL starts, with the note; a URL on one line has no note key at all
    first = found["https://datatracker.ietf.org/doc/html/draft-ietf-oauth-security-topics-23"]
    assert (first["line"], first["column"], first["note"]) == (6, 16, JOINED)
    assert found["https://www.asyncapi.com/docs/reference/specification/v3.0.0"]["note"] == JOINED
    assert set(found["https://www.w3.org/TR/CSP3/"]) == {"source", "line", "column", "text"}


def test_without_a_closing_bracket_nothing_is_joined(tmp_path: Path) -> None:
    # the same reference with its closing bracket lost: the next line is prose, not a piece
    text = RFC9449_REFERENCES.replace("security-topics-23>.", "security topics, version 23.")
    urls = [link["url"] for link in _extract(tmp_path, text)]
    assert "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-" in urls
    assert not any("security" in url for url in urls)
    # and a bare URL (no bracket) ending in a hyphen is never joined with the next line
    bare = "   Progress, see https://datatracker.ietf.org/doc/html/draft-ietf-oauth-\n   security-topics-23.\n"
    assert [link["url"] for link in _extract(tmp_path, bare, "bare.txt")] == [
        "https://datatracker.ietf.org/doc/html/draft-ietf-oauth-"
    ]


def test_the_joined_url_is_requested_and_every_report_carries_the_note(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request("/doc/html/draft-ietf-oauth-security-topics-23").respond_with_data(
        html_page("OAuth 2.0 Security Best Current Practice"), content_type="text/html; charset=utf-8"
    )
    origin = httpserver.url_for("").rstrip("/")
    source = tmp_path / "rfc9449.txt"
    source.write_text(RFC9449_REFERENCES.split("\n\n")[0].replace("https://datatracker.ietf.org", origin) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["check", str(source), "-o", str(out), "--no-cache", "--no-progress", "--retries", "0",
         "-f", "json", "-f", "csv", "-f", "html", "-f", "junit"],
    )
    assert result.exit_code == 0, result.output
    assert [request.path for request, _ in httpserver.log] == ["/doc/html/draft-ietf-oauth-security-topics-23"]
    report = json.loads((out / "linkcheck.json").read_text(encoding="utf-8"))
    (link,) = report["links"]
    assert link["url"] == f"{origin}/doc/html/draft-ietf-oauth-security-topics-23"
    assert link["verdict"] == "ok"
    assert link["occurrences"][0]["note"] == JOINED
    (row,) = csv.DictReader(io.StringIO((out / "linkcheck.csv").read_text(encoding="utf-8"), newline=""))
    assert row["note"] == JOINED
    assert JOINED.replace("<>", "&lt;&gt;") in (out / "linkcheck.html").read_text(encoding="utf-8")
    # reading the JSON report back (linkcheck report) keeps the note
    again = tmp_path / "again"
    rendered = CliRunner().invoke(cli, ["report", str(out / "linkcheck.json"), "-f", "json", "-o", str(again)])
    assert rendered.exit_code == 0, rendered.output
    reread = json.loads((again / "linkcheck.json").read_text(encoding="utf-8"))
    assert reread["links"][0]["occurrences"][0]["note"] == JOINED
