"""Reports: one pure ``render_<format>(report) -> str`` per format, and atomic writing.

Formatters are chosen by name from ``FORMATS`` (``md`` and ``xml`` are accepted as aliases);
``write_reports`` renders the chosen ones and writes ``linkcheck.<extension>`` files.
``load_report`` reads a JSON report back so that any other format can be rendered from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

from ..errors import UsageError
from ..models import Report
from .csv_report import render_csv, stream_csv
from .html import render_html, stream_html
from .json_report import render_json, stream_json
from .junit import render_junit
from .load import load_report
from .markdown import render_markdown
from .sarif import render_sarif

__all__ = [
    "DEFAULT_BASENAME",
    "FORMATS",
    "FORMAT_ALIASES",
    "Format",
    "load_report",
    "render_csv",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "stream_csv",
    "stream_html",
    "stream_json",
    "resolve_format",
    "resolve_formats",
    "write_reports",
]

DEFAULT_BASENAME = "linkcheck"
"""Every report file is ``linkcheck.<extension>``."""


@dataclass(frozen=True)
class Format:
    """A report format: its name on the command line, its file extension, its renderer."""

    name: str
    extension: str
    """File extension without the dot; may hold one (``junit.xml``)."""
    render: Callable[[Report], str]
    stream: Callable[[Report], Iterable[str]] | None = None
    """The same text in pieces, for a format whose whole text grows with every link (JSON): the
    file is written piece by piece rather than held whole. None: ``render`` is the one piece."""

    def pieces(self, report: Report) -> Iterator[str]:
        """The report's text in pieces that join to ``render(report)`` (made as they are read)."""
        if self.stream is not None:
            yield from self.stream(report)
        else:
            yield self.render(report)

    @property
    def filename(self) -> str:
        return f"{DEFAULT_BASENAME}.{self.extension}"


FORMATS: dict[str, Format] = {
    fmt.name: fmt
    for fmt in (
        Format("json", "json", render_json, stream_json),
        Format("markdown", "md", render_markdown),
        Format("html", "html", render_html, stream_html),
        Format("junit", "junit.xml", render_junit),
        Format("sarif", "sarif", render_sarif),
        Format("csv", "csv", render_csv, stream_csv),
    )
}

FORMAT_ALIASES: dict[str, str] = {"md": "markdown", "xml": "junit"}


def resolve_format(name: str, *, registry: Mapping[str, Format] | None = None) -> Format:
    """The format for a name or alias (case-insensitive); ``UsageError`` names the choices."""
    formats = FORMATS if registry is None else registry
    key = name.strip().lower()
    key = FORMAT_ALIASES.get(key, key) if key not in formats else key
    try:
        return formats[key]
    except KeyError:
        choices = ", ".join(list(formats) + [a for a in FORMAT_ALIASES if FORMAT_ALIASES[a] in formats])
        raise UsageError(f"unknown report format {name!r} (choose from {choices})") from None


def resolve_formats(names: Iterable[str], *, registry: Mapping[str, Format] | None = None) -> list[Format]:
    """Formats for names, in order, each once (``-f md -f markdown`` writes one file)."""
    chosen: list[Format] = []
    for name in names:
        fmt = resolve_format(name, registry=registry)
        if fmt not in chosen:
            chosen.append(fmt)
    return chosen


from .write import write_reports
