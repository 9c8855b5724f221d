"""Writing reports to disk: all written to temp files first, then each file replaced atomically.

A reader (a CI upload step, a browser reloading the HTML) sees either the old report or the
new one, never half a file, and a renderer that fails leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ReportError
from ..models import Report

if TYPE_CHECKING:
    from . import Format

__all__ = ["DEFAULT_FILE_MODE", "write_atomic", "write_reports"]

DEFAULT_FILE_MODE = 0o644
"""Mode of a new report file (temporary files start private, a report is for everyone)."""


def write_reports(
    report: Report,
    output_dir: Path,
    formats: Sequence[str],
    *,
    registry: Mapping[str, Format] | None = None,
) -> list[Path]:
    """Render ``formats`` (names or aliases, duplicates ignored) and write them into ``output_dir``.

    Every format is written to a temporary file (piece by piece for a streamed format, so a
    report of 100,000 links is never held whole) before any report is replaced, so a failing
    renderer leaves the folder as it was. Raises ``ReportError`` (one line) when a report
    cannot be rendered or written, and ``UsageError`` for an unknown format name.
    """
    from . import resolve_formats

    chosen = resolve_formats(formats, registry=registry)
    created = not output_dir.is_dir()
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create report folder {output_dir}: {exc.strerror or exc}") from None
    pending: list[tuple[Path, str]] = []
    try:
        for fmt in chosen:
            path = output_dir / fmt.filename
            pending.append((path, _write_temp(path, fmt.pieces(report), fmt.name)))
        while pending:
            path, temp_name = pending[0]
            try:
                os.replace(temp_name, path)
            except OSError as exc:
                raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
            pending.pop(0)
    except BaseException:
        for _, temp_name in pending:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
        if created:
            with contextlib.suppress(OSError):
                output_dir.rmdir()
        raise
    _sync_folder(output_dir)
    return [output_dir / fmt.filename for fmt in chosen]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temp file in the same folder + fsync + replace."""
    temp_name = _write_temp(path, (text,))
    try:
        os.replace(temp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    _sync_folder(path.parent)


def _write_temp(path: Path, pieces: Iterable[str], name: str | None = None) -> str:
    """Write ``pieces`` (UTF-8) to a new temp file beside ``path``, fsynced, with the mode ``path``
    should have; returns its name. A piece that cannot be made (a renderer's bug) is a
    ``ReportError`` naming the format ``name``; the temp file is removed on any failure."""
    mode = _mode_of(path)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=_BUFFER) as handle:
            source = iter(pieces)
            while True:
                try:
                    piece = next(source, None)
                except Exception as exc:  # a renderer bug must still end as one line, not a traceback
                    raise ReportError(f"cannot render the {name} report: {exc}") from exc
                if piece is None:
                    break
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return temp_name


_BUFFER = 1 << 16
"""Bytes gathered before a write to the temp file."""


def _mode_of(path: Path) -> int:
    """Keep the mode of the report being replaced; a new one gets ``DEFAULT_FILE_MODE``."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return DEFAULT_FILE_MODE


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
