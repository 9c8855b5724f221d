"""``--changed-since GIT_REF``: narrow SOURCE files and directories to the documents changed since a ref.

A pull request's check should look at the documents the pull request touches, not the whole
tree. "Changed" means changed on this branch since it left REF (``git diff REF...HEAD``, the
merge base, so commits that landed on REF meanwhile do not count) plus what is not committed yet
(staged, unstaged and untracked files), so the same command works on a laptop before committing.
URLs and ``-`` are not files in the repository and are kept as given.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .errors import UsageError
from .walk import WalkRules, expand_glob, is_glob, walk

__all__ = ["DEFAULT_GIT_TIMEOUT", "changed_files", "filter_changed"]

DEFAULT_GIT_TIMEOUT = 60.0
"""Seconds one git command may take before the run stops with an error."""


def _git(args: Sequence[str], cwd: Path) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=DEFAULT_GIT_TIMEOUT, check=False,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
        )
    except FileNotFoundError:
        raise UsageError("--changed-since: git is not installed") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"--changed-since: git {args[0]} took longer than {DEFAULT_GIT_TIMEOUT:g}s") from None
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        raise UsageError(f"--changed-since: git {args[0]}: {reason}")
    return proc.stdout


def _names(output: str) -> list[str]:
    return [name for name in output.split("\0") if name]


def changed_files(ref: str, *, cwd: Path) -> set[Path]:
    """Absolute, resolved paths of files changed since ``ref`` (deleted files included)."""
    if not ref or ref.startswith("-"):
        raise UsageError(f"--changed-since: {ref!r} is not a git ref")
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd)
    except UsageError:
        raise UsageError(f"--changed-since: unknown git ref {ref!r}") from None
    names = _names(_git(["diff", "--name-only", "-z", "--no-renames", f"{ref}...HEAD", "--"], cwd))
    names += _names(_git(["diff", "--name-only", "-z", "--no-renames", "HEAD", "--"], cwd))
    names += _names(_git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], top))
    return {(top / name).resolve() for name in names}


def filter_changed(
    sources: Sequence[str], ref: str, *, cwd: Path | None = None, rules: WalkRules | None = None
) -> list[str]:
    """The SOURCE list narrowed to documents changed since ``ref``.

    A file is kept when it changed; a directory or a glob becomes its changed documents, as its
    walk under ``rules`` lists them (``walk.py``: git's ignores, no hidden or report folders,
    ``--exclude-path``), in walk order; URLs and ``-`` are kept. Nothing may be left.
    """
    from .load import is_document_name

    base = cwd if cwd is not None else Path.cwd()
    rules = rules if rules is not None else WalkRules()
    changed = changed_files(ref, cwd=base)
    kept: dict[str | Path, str] = {}  # each document once, however many SOURCEs name it (a.md and .)
    for source in sources:
        if source == "-" or source[:8].lower().startswith(("http://", "https://")):
            kept.setdefault(source, source)
            continue
        path = (base / source).resolve()
        if path.is_dir() or is_glob(source):
            if path.is_dir():
                names = walk(source, rules, is_document_name, cwd=str(base))
            else:
                names = expand_glob(source, rules, cwd=str(base))
            for name in names:
                if (base / name).resolve() in changed:
                    kept.setdefault((base / name).resolve(), name)
        elif path in changed and path.is_file():
            kept.setdefault(path, source)
    return list(kept.values())

