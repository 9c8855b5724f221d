"""Keep ``import httpx`` from importing httpx's own command line.

``httpx/__init__.py`` imports ``httpx._main`` (its ``httpx`` command) whenever click and rich are
installed, as they are here; that module pulls in rich's console, progress, tables and syntax
highlighting and pygments' lexers: about 40–170 ms of every linkcheck start, for a command
linkcheck never runs. A stand-in module takes its place in ``sys.modules`` until someone asks
for it: ``httpx.main()`` still works (it loads the real module on the first call), and so does
any other attribute of ``httpx._main`` (the real module is loaded on first use).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

__all__ = ["install"]

_NAME = "httpx._main"


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probing (``__path__``): not a use
            raise AttributeError(name)
        return getattr(_load_real(), name)


def _load_real() -> types.ModuleType:
    if isinstance(sys.modules.get(_NAME), _StandIn):
        del sys.modules[_NAME]
    return importlib.import_module(_NAME)


def _main(*args: Any, **kwargs: Any) -> Any:
    return _load_real().main(*args, **kwargs)


def install() -> None:
    """Put the stand-in in place, unless httpx (or its CLI) is imported already."""
    if "httpx" in sys.modules or _NAME in sys.modules:
        return
    stand_in = _StandIn(_NAME, "stand-in for httpx's command line, loaded on first use")
    stand_in.main = _main  # type: ignore[attr-defined]
    sys.modules[_NAME] = stand_in
