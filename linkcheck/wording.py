"""How linkcheck words counts, scores and durations for people, the same in every output.

One place, so that the terminal, the Markdown and HTML reports, JUnit and the GitHub annotations
never disagree ("1 link", "score 31.5", "3.2 s").
"""

from __future__ import annotations

__all__ = ["format_elapsed", "format_score", "plural", "score_text"]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 link``, ``2 links``, ``0 links``; ``many`` for irregular plurals (``2 places``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def format_score(score: float | None) -> str:
    """One decimal, as people read similarity scores (``93.5``); empty when unknown."""
    return "" if score is None else f"{score:.1f}"


def score_text(score: float | None) -> str:
    """`` (score 31.5)`` after a title comparison; empty when there is no score."""
    return "" if score is None else f" (score {format_score(score)})"


def format_elapsed(seconds: float) -> str:
    """``0.4 s``, ``12.3 s``, ``2 min 5 s``, ``1 h 2 min``: as precise as a person cares."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
