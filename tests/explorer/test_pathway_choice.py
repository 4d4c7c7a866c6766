"""The explorer's Pathway control shows a pathway of the base from the start (ipywidgets 8
leaves a dropdown blank when its options are set), and keeps the planner's choice when
another base that has it is loaded."""

from __future__ import annotations

from pathlib import Path

from simlib.explorer import Explorer

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_the_pathway_is_chosen_and_kept_across_bases():
    explorer = Explorer(SCENARIOS / "baseline.yaml", SCENARIOS, 4, 1, jobs=1)
    try:
        assert explorer.pathway_choice.value == "credit"
        explorer.pathway_choice.value = "noncredit"
        explorer.load(SCENARIOS / "mc-weekly.yaml")
        assert explorer.pathway_choice.value == "noncredit"
    finally:
        explorer.close()
