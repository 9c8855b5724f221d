"""Writing reports to disk: all rendered first, then each file replaced atomically.

A reader (a CI upload step, a browser reloading the HTML) sees either the old report or the
new one, never half a file, and a renderer that fails leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
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

    Every format is rendered before anything is written, so a failing renderer leaves the
    folder untouched. Raises ``ReportError`` (one line) when a report cannot be rendered or
    written, and ``UsageError`` for an unknown format name.
    """
    from . import resolve_formats

    chosen = resolve_formats(formats, registry=registry)
    rendered: list[tuple[Path, str]] = []
    for fmt in chosen:
        try:
            text = fmt.render(report)
        except Exception as exc:  # a renderer bug must still end as one line, not a traceback
            raise ReportError(f"cannot render the {fmt.name} report: {exc}") from exc
        rendered.append((output_dir / fmt.filename, text))
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create report folder {output_dir}: {exc.strerror or exc}") from None
    for path, text in rendered:
        write_atomic(path, text)
    return [path for path, _ in rendered]


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temp file in the same folder + fsync + replace."""
    mode = _mode_of(path)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
        os.replace(temp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise ReportError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _sync_folder(path.parent)


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
