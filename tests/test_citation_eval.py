"""Issue 9's figures on the held half of the citation dev set (``tests/citation_eval.py``).

The issue's targets are precision ≥ 0.95 at recall ≥ 0.85 of ``title_mismatch`` on pairs, and
≤ 2 % false alarms at ≥ 0.90 recall of wrong links on README links. They are not reached yet;
the test asserts the figures reached (as floors, so a change that makes them worse fails) and
prints both. Tune on the tune half only: ``python -m tests.citation_eval tune -v`` lists errors.
"""

from __future__ import annotations

from tests.citation_eval import figures, table

TARGETS = {"precision": 0.95, "recall": 0.85, "false_alarms": 0.02, "wrong_recall": 0.90}
FLOORS = {"precision": 0.88, "recall": 0.87, "false_alarms": 0.047, "wrong_recall": 0.90}
"""Held-half figures reached (README "Titles" table) on the 523-row set; raise them as the judgement improves."""


def test_held_figures_do_not_fall_below_the_floors() -> None:
    print("\n" + table("held"))
    print(f"issue 9 targets: {TARGETS}")
    held = figures("held")
    assert held.n_pairs >= 220 and held.n_correct >= 150 and held.n_wrong >= 50
    assert held.precision >= FLOORS["precision"]
    assert held.recall >= FLOORS["recall"]
    assert held.false_alarms <= FLOORS["false_alarms"]
    assert held.wrong_recall >= FLOORS["wrong_recall"]
