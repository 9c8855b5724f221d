"""linkcheck: a link and citation validator.

Extract every URL from documents, check them over HTTP, compare the titles of the pages reached
with the sources they are cited as, and report for people and machines.

The library (``api.py``)::

    report = linkcheck.check(["docs/"], per_host=2, timeout=10)   # -> Report
    links = linkcheck.extract(["README.md"])                       # -> list[Link], no network
    text = linkcheck.render(report, "markdown")                    # -> str
    whole = linkcheck.merge([shard_1, shard_2])                    # -> Report
    report = await linkcheck.check_async(["docs/"])                # inside a running event loop

Options are ``linkcheck check``'s long options with ``_`` for ``-``; a bad one raises
``LinkcheckError`` with the command line's one-line message.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import _httpx_cli

_httpx_cli.install()  # before any module imports httpx

import sys as _sys
import types as _types

from .api import check, check_async, extract, merge, render

_API_NAMES = frozenset({"check", "check_async", "extract", "merge", "render"})


class _Package(_types.ModuleType):
    """``linkcheck.check``, ``linkcheck.extract`` and ``linkcheck.merge`` are the library's
    functions, though stage modules of the same names exist (``check.py``, ``extract/``,
    ``merge.py``). Importing such a module makes the import system set it as an attribute of
    this package; this keeps the function there (the module stays in ``sys.modules``, so
    ``from linkcheck.check import …`` works as before)."""

    def __setattr__(self, name: str, value: object) -> None:
        if name in _API_NAMES and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
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
    "check",
    "check_async",
    "extract",
    "merge",
    "render",
]
