"""``linkcheck fix --redirects``: update citations that moved for good, in the documents themselves.

A ``redirected`` link works today but depends on the old address staying alive; the fix is to
cite where it moved. Only what is certain is rewritten:

* the permanent (301/308) part of the redirect chain: after a temporary hop the destination is
  not the new home of the page, so the rewrite stops at the URL that answered temporarily;
* exact occurrences: the text at the occurrence's recorded line and column must be the URL as
  checked, character for character (a relative link, an HTML entity or a ``--remap`` never
  match, so they are left alone);
* text and Markdown documents (HTML attribute escaping and PDFs are out of scope).

A unified diff comes first; ``--write`` applies it atomically, keeping line endings, a BOM and the
file's mode.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import InputError
from .load import kind_of_path
from .models import Report, Result, Verdict
from .progress import sanitize

__all__ = [
    "PERMANENT_STATUSES",
    "Edit",
    "FileFix",
    "Skipped",
    "apply_fixes",
    "moved_but_not_rewritten",
    "new_location",
    "plan_fixes",
    "redirect_edits",
]

PERMANENT_STATUSES = frozenset({301, 308})
_UNSAFE_IN_DOCUMENT = frozenset(" \t\r\n<>\"'`")
_BOM = "\ufeff"


@dataclass(frozen=True)
class Edit:
    """Replace ``old`` by ``new`` at a 1-based line and column of ``source``."""

    source: str
    line: int
    column: int
    old: str
    new: str


@dataclass(frozen=True)
class Skipped:
    """An edit that was not made, and why (shown to the user)."""

    edit: Edit
    reason: str


@dataclass(frozen=True)
class FileFix:
    """One document before and after its edits."""

    path: Path
    source: str
    before: str
    after: str
    applied: tuple[Edit, ...]

    @property
    def diff(self) -> str:
        lines = difflib.unified_diff(
            _lines(self.before), _lines(self.after), fromfile=f"a/{self.source}", tofile=f"b/{self.source}"
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)

    @property
    def printable_diff(self) -> str:
        """The diff without terminal control sequences, CRLF endings kept so it still applies."""
        lines = self.diff.split("\n")
        kept = [sanitize(line[:-1]) + "\r" if line.endswith("\r") else sanitize(line) for line in lines]
        return "\n".join(kept)


def _lines(text: str) -> list[str]:
    """Lines split on LF only, ends kept (``str.splitlines`` would also split on FF, VT, U+2028 …)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def new_location(result: Result) -> str | None:
    """Where a redirected link should point: the end of the chain's permanent prefix.

    ``result.redirects`` lists each URL that answered with a redirect and its status; the URL
    after hop ``i`` is hop ``i + 1``'s URL, or the final URL after the last hop.
    """
    if result.verdict is not Verdict.REDIRECTED or not result.redirects:
        return None
    hops = result.redirects
    permanent = 0
    while permanent < len(hops) and hops[permanent].status in PERMANENT_STATUSES:
        permanent += 1
    if permanent == 0:
        return None
    new = hops[permanent].url if permanent < len(hops) else result.final_url
    if not new:
        return None
    fragment = urlsplit(result.target.checked_url).fragment
    if fragment and "#" not in new:
        new = f"{new}#{fragment}"
    return new


def moved_but_not_rewritten(report: Report) -> list[Result]:
    """Links whose chain starts with a permanent hop but whose verdict is not ``redirected``
    (a title mismatch, a soft 404 or a broken page at the new address): ``fix`` leaves them for a
    person to look at and says so."""
    return [
        result for result in report.results
        if result.verdict is not Verdict.REDIRECTED and result.redirects
        and result.redirects[0].status in PERMANENT_STATUSES and result.final_url
    ]


def _is_safe(url: str) -> bool:
    """Fits where the old URL stood in text and Markdown without breaking the syntax around it."""
    return not (_UNSAFE_IN_DOCUMENT & set(url)) and url.count("(") == url.count(")")


def redirect_edits(report: Report) -> list[Edit]:
    """An edit for every occurrence of every permanently redirected link."""
    edits: list[Edit] = []
    for result in report.results:
        new = new_location(result)
        if new is None or new == result.target.url:
            continue
        if result.target.checked_url != result.target.url or not _is_safe(new):
            continue
        for occurrence in result.target.occurrences:
            edits.append(Edit(occurrence.source, occurrence.line, occurrence.column, result.target.url, new))
    return list(dict.fromkeys(edits))


def _is_fixable(source: str) -> bool:
    if source == "-" or "://" in source:
        return False
    return kind_of_path(source) in ("text", "markdown")


def _read(path: Path, source: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{source}: cannot read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{source}: not UTF-8; left unchanged") from None


def _apply(text: str, edits: Sequence[Edit]) -> tuple[str, list[Edit], list[Skipped]]:
    """Lines split on LF only (CR stays at the end of its line), as the extractors count them.

    Edits whose spans overlap are all skipped: which one is right cannot be known.
    """
    has_bom = text.startswith(_BOM)
    lines = (text[1:] if has_bom else text).split("\n")
    skipped: list[Skipped] = []
    matching: list[Edit] = []
    for edit in edits:
        index, start = edit.line - 1, edit.column - 1
        if 0 <= index < len(lines) and start >= 0 and lines[index][start : start + len(edit.old)] == edit.old:
            matching.append(edit)
        else:
            skipped.append(Skipped(edit, "the text there is not the URL as checked"))
    applied: list[Edit] = []
    for edit in sorted(matching, key=lambda e: (e.line, -e.column)):
        if any(_overlaps(edit, other) for other in matching if other is not edit):
            skipped.append(Skipped(edit, "overlaps another rewrite"))
            continue
        line, start = lines[edit.line - 1], edit.column - 1
        lines[edit.line - 1] = line[:start] + edit.new + line[start + len(edit.old) :]
        applied.append(edit)
    return (_BOM if has_bom else "") + "\n".join(lines), applied, skipped


def _overlaps(a: Edit, b: Edit) -> bool:
    return a.line == b.line and a.column < b.column + len(b.old) and b.column < a.column + len(a.old)


def plan_fixes(
    edits: Iterable[Edit], *, allowed: Sequence[Path] | None = None, cwd: Path | None = None
) -> tuple[list[FileFix], list[Skipped]]:
    """Group edits by document and apply them in memory; nothing is written here.

    ``allowed`` limits the documents touched to these files and folders (the SOURCE arguments).
    """
    base = cwd if cwd is not None else Path.cwd()
    roots = [(base / p).resolve() for p in allowed] if allowed is not None else None
    by_source: dict[str, list[Edit]] = {}
    skipped: list[Skipped] = []
    for edit in edits:
        if not _is_fixable(edit.source):
            skipped.append(Skipped(edit, "only text and Markdown documents are rewritten"))
            continue
        path = (base / edit.source).resolve()
        if roots is not None and not any(path == root or path.is_relative_to(root) for root in roots):
            continue
        by_source.setdefault(edit.source, []).append(edit)
    fixes: list[FileFix] = []
    for source, group in by_source.items():
        path = base / source
        try:
            before = _read(path, source)
        except InputError as exc:
            skipped += [Skipped(edit, str(exc).split(": ", 1)[-1]) for edit in group]
            continue
        after, applied, missed = _apply(before, group)
        skipped += missed
        if applied:
            fixes.append(FileFix(path, source, before, after, tuple(applied)))
    return fixes, skipped


def _write_atomic(path: Path, text: str) -> None:
    """Temp file in the same folder, fsync, then replace: a reader never sees half a document."""
    mode = path.stat().st_mode & 0o7777
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def apply_fixes(fixes: Iterable[FileFix]) -> list[Path]:
    """Write every fixed document; a document changed since it was read is left alone."""
    written: list[Path] = []
    for fix in fixes:
        try:
            current = fix.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputError(f"{fix.source}: cannot read it again before writing") from None
        if current != fix.before:
            raise InputError(f"{fix.source}: changed while linkcheck was working; run fix again")
        try:
            _write_atomic(fix.path, fix.after)
        except OSError as exc:
            raise InputError(f"{fix.source}: cannot write: {exc.strerror or exc}") from None
        written.append(fix.path)
    return written
