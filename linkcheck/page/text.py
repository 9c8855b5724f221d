"""The one clean-up every value read from a page goes through: whitespace collapsed, length capped."""

from __future__ import annotations

import re

__all__ = ["MAX_TITLE", "WS", "clean"]

MAX_TITLE = 500
"""Longest title candidate kept; longer text is cut (real titles are far shorter)."""

WS = re.compile(r"\s+")


def clean(text: str | None, limit: int = MAX_TITLE) -> str:
    """Collapse whitespace and cut: what every candidate goes through."""
    if not text:
        return ""
    return WS.sub(" ", text[: limit * 4]).strip()[:limit]

