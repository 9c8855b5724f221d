"""Errors that stop a run from happening at all.

A broken link is never an exception (it is a ``Verdict``); these are for the run itself::

    * LinkcheckError              exit 2 unless said otherwise
      + UsageError                a bad option value or combination
      + InputError                a source that cannot be read
        - SourceNotFound          a path that does not exist
        - NoDocuments             a directory without any document
      + ConfigError               a bad manifest, config file or cache
      + ReportError               a report that cannot be written

``cli.py`` turns each one into a one-line message on stderr and its ``exit_code``.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "ConfigError",
    "InputError",
    "LinkcheckError",
    "NoDocuments",
    "ReportError",
    "SourceNotFound",
    "UsageError",
]


class LinkcheckError(Exception):
    """A run that could not happen; shown to the user as one line."""

    exit_code: ClassVar[int] = 2


class UsageError(LinkcheckError):
    """An option value or combination that makes no sense."""


class InputError(LinkcheckError):
    """A source that cannot be read."""


class SourceNotFound(InputError):
    """A path that does not exist."""


class NoDocuments(InputError):
    """A directory holding no document linkcheck can read."""


class ConfigError(LinkcheckError):
    """A manifest, config file or cache that cannot be used."""


class ReportError(LinkcheckError):
    """A report that cannot be written."""
