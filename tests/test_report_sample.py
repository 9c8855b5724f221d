"""A realistic report built by hand, shared by every ``test_report_*`` file.

It holds every verdict, redirect chains, titles that match and do not, a hostile page title,
credentials in a URL, Unicode and IDN, one URL cited in two documents, and an HTML source.
"""

from __future__ import annotations

from linkcheck.models import (
    Occurrence,
    Redirect,
    Report,
    Result,
    Target,
    TitleCheck,
    Verdict,
)

HOSTILE_TITLE = '<script>alert(1)</script> [click](javascript:alert(1)) | `code` *bold* _x_ # & "q"\nnext'
HOSTILE_TEXT = "](javascript:alert(1)) <img src=x onerror=alert(2)>"
SECRET = "hunter2"

SOURCES = ("docs/summit.md", "docs/press release.html", "notes.txt")


def _target(
    url: str,
    *places: tuple[str, int, int, str | None],
    checked: str | None = None,
    skip: str | None = None,
    reason: str | None = None,
) -> Target:
    return Target(
        key=url.lower(),
        url=url,
        checked_url=checked or url,
        occurrences=tuple(Occurrence(source, line, column, text) for source, line, column, text in places),
        expected=None,
        skip=skip,  # type: ignore[arg-type]
        skip_reason=reason,
    )


def make_report(*, complete: bool = True) -> Report:
    """The sample report; ``complete=False`` gives the same results from an interrupted run."""
    results = (
        Result(
            target=_target(
                "https://www.consilium.europa.eu/en/press/press-releases/2022/05/12/joint-statement/",
                ("docs/summit.md", 3, 5, "EU-Japan Joint Statement"),
                ("notes.txt", 1, 1, None),
            ),
            verdict=Verdict.OK,
            final_url="https://www.consilium.europa.eu/en/press/press-releases/2022/05/12/joint-statement/",
            status=200,
            title=TitleCheck(
                "EU-Japan Joint Statement",
                "EU-Japan Summit 2022 – Joint Statement",
                93.5,
                True,
                signal="title",
            ),
            elapsed_ms=41,
        ),
        Result(
            target=_target("http://example.org/old", ("docs/summit.md", 7, 12, "old page")),
            verdict=Verdict.REDIRECTED,
            final_url="https://example.org/new",
            status=200,
            redirects=(Redirect("http://example.org/old", 301), Redirect("https://example.org/old", 308)),
            elapsed_ms=120,
            details=("permanent_redirect",),
        ),
        Result(
            target=_target(
                "https://example.org/missing",
                ("docs/summit.md", 9, 1, None),
                ("docs/press release.html", 22, 14, "Missing report"),
            ),
            verdict=Verdict.BROKEN,
            final_url="https://example.org/missing",
            status=404,
            error="HTTP 404 Not Found",
            elapsed_ms=33,
        ),
        Result(
            target=_target("https://example.org/deep/article", ("docs/summit.md", 11, 3, "Deep article")),
            verdict=Verdict.SOFT_404,
            final_url="https://example.org/",
            status=200,
            redirects=(Redirect("https://example.org/deep/article", 302),),
            error="deep link redirected to the home page",
            elapsed_ms=58,
        ),
        Result(
            target=_target(
                "https://news.example.com/story?id=7&lang=en",
                ("docs/press release.html", 30, 9, HOSTILE_TEXT),
            ),
            verdict=Verdict.TITLE_MISMATCH,
            final_url="https://news.example.com/story?id=7&lang=en",
            status=200,
            title=TitleCheck("Leaders agree on climate plan", HOSTILE_TITLE, 12.25, False, signal="og:title"),
            elapsed_ms=77,
        ),
        Result(
            target=_target("https://slow.example.net/report.pdf", ("notes.txt", 4, 20, None)),
            verdict=Verdict.TIMEOUT,
            error="no complete answer within 20 s after 3 attempts",
            elapsed_ms=20004,
        ),
        Result(
            target=_target(f"https://alice:{SECRET}@intranet.example.com/private", ("notes.txt", 6, 1, None)),
            verdict=Verdict.NETWORK_ERROR,
            error=f"connection refused: https://alice:{SECRET}@intranet.example.com/private",
            elapsed_ms=3,
        ),
        Result(
            target=_target("https://www.linkedin.com/in/someone", ("docs/summit.md", 15, 2, "Profile")),
            verdict=Verdict.BLOCKED,
            final_url="https://www.linkedin.com/in/someone",
            status=999,
            error="bot protection (status 999)",
            elapsed_ms=210,
        ),
        Result(
            target=_target(
                "javascript:alert(1)",
                ("docs/press release.html", 40, 3, '=HYPERLINK("x")'),
                skip="invalid",
                reason="unsupported scheme",
            ),
            verdict=Verdict.INVALID,
        ),
        Result(
            target=_target(
                "mailto:press@consilium.europa.eu",
                ("docs/summit.md", 20, 8, "Press office"),
                skip="excluded",
                reason="scheme mailto is not checked",
            ),
            verdict=Verdict.EXCLUDED,
        ),
        Result(
            target=_target(
                "https://bücher.example/über?q=straße",
                ("docs/summit.md", 22, 1, "Bücher über Straßen"),
                checked="https://mirror.example/über?q=straße",
            ),
            verdict=Verdict.OK,
            final_url="https://mirror.example/über?q=straße",
            status=200,
            title=TitleCheck("Bücher über Straßen", "Bücher über Straßen — Verlag", 88.0, True, signal="h1"),
            elapsed_ms=64,
            details=("cached",),
            extra={
                "archive": "https://web.archive.org/web/2022/https://bücher.example/über",
                "old_titles": ("A", "B"),
                "not_json": object(),
                "nan": float("nan"),
            },
        ),
    )
    return Report(
        sources=SOURCES,
        results=results,
        started_at="2024-05-12T09:30:00+00:00",
        finished_at="2024-05-12T09:30:21+00:00",
        tool_version="0.1.0",
        is_complete=complete,
    )


def test_sample_has_every_verdict() -> None:
    assert {r.verdict for r in make_report().results} == set(Verdict)


def test_sample_carries_the_hostile_and_secret_cases() -> None:
    report = make_report()
    titles = [r.title.found for r in report.results if r.title is not None]
    assert HOSTILE_TITLE in titles
    assert any(SECRET in r.target.url for r in report.results)
    assert any(not r.target.url.isascii() for r in report.results)
