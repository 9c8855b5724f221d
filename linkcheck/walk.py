"""Which files a directory or a glob SOURCE stands for: what git would track, never the reports.

Inside a git work tree a walk lists what ``git ls-files --cached --others --exclude-standard``
lists: tracked files and untracked ones that ``.gitignore``, ``.git/info/exclude`` and the
global excludes file do not ignore, so ``node_modules/`` and ignored build output are never
read. Outside a work tree (or without git, or for a directory git itself ignores, which the user
named on purpose) every file is walked. In both cases the run's report folder is never entered,
hidden folders are skipped unless ``hidden`` is set, and ``--exclude-path`` globs drop paths.

A glob SOURCE (``'docs/**/*.md'``, quoted so the shell leaves it alone) is expanded here the way
lychee does: ``*`` and ``?`` within one path segment, ``[abc]`` classes, ``**`` for any number
of folders (none included); its matches go through the same rules as a walk.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

__all__ = ["DEFAULT_GIT_TIMEOUT", "WalkRules", "expand_glob", "glob_regex", "is_glob", "walk"]

DEFAULT_GIT_TIMEOUT = 60.0
"""Seconds ``git ls-files`` may take; past that the walk goes on without git's rules."""

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class WalkRules:
    """What a walk leaves out, besides what git ignores."""

    hidden: bool = False
    """Walk folders whose name starts with a dot (``.github/``) too."""
    exclude_paths: tuple[str, ...] = ()
    """``--exclude-path`` globs. One without ``/`` matches a file or folder name anywhere
    (``node_modules``, ``*.draft.md``); one with ``/`` matches the path from the current folder
    (``docs/archive/**``, ``vendor/``). A matching folder drops everything under it."""
    skip_dirs: tuple[str, ...] = ()
    """Folders never entered: the run's report folder (``-o``), so a second run does not read
    the first one's reports."""
    use_git: bool = True
    """Ask git which files it would track (off: walk every file)."""


def is_glob(source: str) -> bool:
    """Is this SOURCE a pattern to expand rather than a path? (A path that exists is a path.)"""
    return bool(_GLOB_CHARS.intersection(source)) and not os.path.lexists(source)


@lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob (``*``, ``?``, ``[...]``, ``**``) as a regex matching whole ``/``-separated paths."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**", i):
            at_start = i == 0 or pattern[i - 1] == "/"
            if at_start and pattern.startswith("**/", i):
                out.append("(?:.*/)?")  # any number of folders, none included
                i += 3
                continue
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1)
            if end == -1:
                out.append(re.escape(char))
                i += 1
                continue
            body = pattern[i + 1 : end]
            if body[:1] in ("!", "^"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _posix(path: str) -> str:
    value = PurePosixPath(Path(path).as_posix()).as_posix()
    return value.removeprefix("./")


class _Excluder:
    """``--exclude-path`` globs and report folders, applied to paths as the walk names them."""

    def __init__(self, rules: WalkRules, cwd: str) -> None:
        self.names: list[re.Pattern[str]] = []
        self.paths: list[re.Pattern[str]] = []
        for raw in rules.exclude_paths:
            pattern = raw.strip().rstrip("/")
            pattern = pattern.removeprefix("./")
            if not pattern:
                continue
            (self.paths if "/" in pattern else self.names).append(glob_regex(pattern))
        self.skip = tuple(os.path.realpath(os.path.join(cwd, d)) for d in rules.skip_dirs)
        self.hidden = rules.hidden
        self.cwd = cwd

    def is_skipped_dir(self, path: str) -> bool:
        return bool(self.skip) and os.path.realpath(os.path.join(self.cwd, path)) in self.skip

    def is_excluded(self, path: str) -> bool:
        """Is this file (or folder) dropped by a glob? Checked on the path from the current folder."""
        if not self.names and not self.paths:
            return False
        relative = _posix(os.path.relpath(os.path.join(self.cwd, path), self.cwd))
        parts = relative.split("/")
        if any(p.fullmatch(part) for p in self.names for part in parts):
            return True
        prefixes = ["/".join(parts[: k + 1]) for k in range(len(parts))]
        return any(p.fullmatch(prefix) for p in self.paths for prefix in prefixes)


def _git_files(root: str) -> list[str] | None:
    """Files under ``root`` that git tracks or would track (relative, ``/``-separated), or None
    when git cannot say (not installed, not a work tree, the folder itself is ignored)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}

    def git(*args: str) -> subprocess.CompletedProcess[bytes] | None:
        try:
            return subprocess.run(["git", "-C", root, *args], capture_output=True, timeout=DEFAULT_GIT_TIMEOUT,
                                  check=False, env=env)
        except (OSError, subprocess.TimeoutExpired):
            return None

    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listed is None or listed.returncode != 0:
        return None
    names = [os.fsdecode(name) for name in listed.stdout.split(b"\0") if name]
    if not names:  # nothing to track: an ignored folder the user named on purpose is walked as it is
        ignored = git("check-ignore", "-q", ".")
        if ignored is not None and ignored.returncode == 0:
            return None
    return names


def _all_files(root: str, excluder: _Excluder, hidden: bool) -> Iterable[str]:
    """Every file under ``root`` (relative, ``/``-separated), pruning skipped folders early."""
    for directory, subdirectories, files in os.walk(root, onerror=_raise_walk_error):
        kept = []
        for name in subdirectories:
            path = os.path.join(directory, name)
            if (not hidden and name.startswith(".")) or excluder.is_skipped_dir(path):
                continue
            if excluder.is_excluded(path):
                continue
            kept.append(name)
        subdirectories[:] = kept
        relative = os.path.relpath(directory, root)
        prefix = "" if relative == os.curdir else Path(relative).as_posix() + "/"
        for name in files:
            yield prefix + name


def _raise_walk_error(error: OSError) -> None:
    from .errors import InputError

    if isinstance(error, PermissionError):
        raise InputError(f"{error.filename}: permission denied")
    raise InputError(f"{error.filename}: cannot read: {error.strerror or error}")


def _kept(root: str, names: Iterable[str], excluder: _Excluder, hidden: bool, from_git: bool) -> list[str]:
    """Paths (``root`` joined) that no rule drops, sorted by their path parts."""
    found: list[tuple[tuple[str, ...], str]] = []
    skipped: dict[str, bool] = {}
    for name in names:
        parts = tuple(name.split("/"))
        if not hidden and any(part.startswith(".") for part in parts[:-1]):
            continue
        path = os.path.join(root, *parts)
        if from_git:  # os.walk pruned these already
            if _under_skipped(root, parts[:-1], excluder, skipped):
                continue
            if not os.path.isfile(path):  # tracked but deleted, or a submodule
                continue
        if excluder.is_excluded(path):
            continue
        found.append((parts, path))
    return [path for _, path in sorted(found)]


def _under_skipped(root: str, folders: Sequence[str], excluder: _Excluder, memo: dict[str, bool]) -> bool:
    if not excluder.skip:
        return False
    for depth in range(1, len(folders) + 1):
        key = "/".join(folders[:depth])
        if key not in memo:
            memo[key] = excluder.is_skipped_dir(os.path.join(root, *folders[:depth]))
        if memo[key]:
            return True
    return False


def walk(
    root: str, rules: WalkRules, keep: Callable[[str], bool] = lambda name: True, *, cwd: str | None = None
) -> list[str]:
    """Paths of the files under ``root`` whose name ``keep`` accepts, sorted by their path parts.

    Each path is ``root`` joined with the file's path below it, so reports name files the way
    the user named the folder (below ``.``, without a leading ``./``); relative paths count from
    ``cwd`` (default: the current folder).
    Raises ``InputError`` when a folder cannot be read.
    """
    excluder = _Excluder(rules, cwd or os.getcwd())
    if excluder.is_skipped_dir(root):
        return []
    physical = os.path.join(excluder.cwd, root)
    names = _git_files(physical) if rules.use_git else None
    from_git = names is not None
    listed = names if names is not None else _all_files(physical, excluder, rules.hidden)
    kept = _kept(physical, (n for n in listed if keep(n.rsplit("/", 1)[-1])), excluder, rules.hidden, from_git)
    if physical == root:
        return kept
    if os.path.normpath(root) == os.curdir:  # `linkcheck check .`: docs/a.md, as git and editors name it
        return [os.path.relpath(path, physical) for path in kept]
    return [os.path.join(root, os.path.relpath(path, physical)) for path in kept]


def _literal_prefix(pattern: str) -> tuple[str, str]:
    """(folder to walk, rest of the pattern): the leading segments without glob characters."""
    parts = pattern.split("/")
    index = 0
    while index < len(parts) - 1 and not _GLOB_CHARS.intersection(parts[index]):
        index += 1
    prefix = "/".join(parts[:index])
    if pattern.startswith("/") and not prefix:
        prefix = "/"
    return prefix or ".", "/".join(parts[index:])


def expand_glob(pattern: str, rules: WalkRules, *, cwd: str | None = None) -> list[str]:
    """The files a glob SOURCE matches, under the same rules as a walk, sorted by path parts."""
    source = Path(pattern).as_posix()
    root, rest = _literal_prefix(source)
    if not os.path.isdir(os.path.join(cwd or os.getcwd(), root)):
        return []
    regex = glob_regex(rest)
    matched = walk(root, rules, cwd=cwd)
    start = 0 if root == "." and not source.startswith("./") else len(root.rstrip("/")) + 1
    found = []
    for path in matched:
        below = Path(path).as_posix()[start:] if root != "." else _posix(path)
        if regex.fullmatch(below):
            found.append(path if root != "." or source.startswith("./") else _posix(path))
    return found
