"""linkcheck: a link and citation validator.

Extract every URL from documents, check them over HTTP, compare the titles of the pages reached
with the sources they are cited as, and report for people and machines.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import _httpx_cli

_httpx_cli.install()  # before any module imports httpx

from .errors import LinkcheckError
from .models import (
    Document,
    Expectation,
    Fetch,
    Link,
    Occurrence,
    Redirect,
    Report,
    Result,
    Target,
    TitleCheck,
    Verdict,
)

__all__ = [
    "Document",
    "Expectation",
    "Fetch",
    "Link",
    "LinkcheckError",
    "Occurrence",
    "Redirect",
    "Report",
    "Result",
    "Target",
    "TitleCheck",
    "Verdict",
    "__version__",
]
