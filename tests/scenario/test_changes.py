"""What a what-if changes: every value the simulation sees differently, as path: base -> new."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.scenarios import BASE

from simlib.scenario import Change, load_scenario, validate_scenario, what_changed

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def base():
    return validate_scenario(BASE, "<base>")


def lines(base, other) -> list[str]:
    return [str(change) for change in what_changed(base, other)]


def test_a_copy_changes_nothing_and_names_titles_and_seeds_do_not_count(base):
    assert what_changed(base, base) == []
    renamed = base.variant({"title": "Another title", "seed": 99, "replications": 3},
                           name="renamed")
    assert what_changed(base, renamed) == []


def test_each_changed_value_is_listed_with_its_path(base):
    other = base.variant({"bodies.owd.staff": 6, "bodies.mc.meets.every_weeks": 1,
                          "pathways.credit.mc.revise.p": 0.15, "horizon_years": 4})
    assert lines(base, other) == [
        "horizon_years: 3 -> 4",
        "bodies.mc.meets.every_weeks: 2 -> 1",
        "bodies.owd.staff: 2 -> 6",
        "pathways.credit.mc.revise.p: 0.3 -> 0.15",
    ]
    change = what_changed(base, other)[2]
    assert change == Change("bodies.owd.staff", 2, 6)
    assert change.to_dict() == {"path": "bodies.owd.staff", "base": 2, "new": 6}


def test_a_cut_in_capacity_is_not_silent(base):
    cut = base.variant({"bodies.owd.staff": 1})
    assert lines(base, cut) == ["bodies.owd.staff: 2 -> 1"]


def test_removed_and_added_steps_list_the_route_then_the_steps(base):
    fewer = base.variant({"pathways.credit.dean": None})
    assert lines(base, fewer) == [
        "pathways.credit: department, dean, mc, grad_council, owd -> "
        "department, mc, grad_council, owd",
        "pathways.credit.dean: removed",
    ]
    removed = what_changed(base, fewer)[1]
    assert removed.base == {"body": "dean", "withdraw_p": 0.0} and removed.new is None
    swapped = base.variant({"pathways.credit.0": "dean", "pathways.credit.1": "department"})
    assert lines(base, swapped)[0].endswith("-> dean, department, mc, grad_council, owd")


def test_a_parallel_group_is_named_by_its_branches(base):
    other = base.variant({"pathways.noncredit.1.parallel.owd.revise.p": 0.1})
    assert lines(base, other) == ["pathways.noncredit.dean+owd.parallel.owd.revise.p: 0.2 -> 0.1"]


def test_values_are_shown_briefly():
    assert str(Change("a", 0.1 + 0.2, True)) == "a: 0.3 -> true"
    assert str(Change("a", None, 3)) == "a: (none) -> 3"
    assert str(Change("a", [1, 2], [1, 2, 3])) == "a: [1, 2] -> [1, 2, 3]"
    long = str(Change("a", None, {"k": "x" * 500}))
    assert long.startswith("a: added {") and long.endswith("...") and len(long) < 120


@pytest.mark.parametrize(("what_if", "expected"), [
    ("mc-weekly.yaml", ["bodies.mc.meets.every_weeks: 2 -> 1"]),
    ("owd-second-reviewer.yaml", ["bodies.owd.staff: 1 -> 2"]),
])
def test_the_shipped_what_ifs(what_if, expected):
    base = load_scenario(SCENARIOS / "baseline.yaml")
    assert lines(base, load_scenario(SCENARIOS / what_if)) == expected


CHAIR_REVIEW_DAYS = {"dist": "lognormal", "mean": 3.0, "cv": 0.5}


@pytest.mark.parametrize(("what_if", "expected"), [
    ("mc-evote.yaml", {"bodies.mc.evote": {"p": 0.6, "within_days": 5.0, "when": {}}}),
    ("consent-minor.yaml", {"bodies.fs_program_review.consent": {
        "when": {"size": "minor"}, "pull_p": 0.1}}),
    ("fast-track-minor.yaml", {"pathways.credit.fs_executive.skip_when.size": "minor"}),
    ("delegate-revisions.yaml", {"bodies.mc.delegate": {
        "when": {"round_at_least": 1}, "to": "chair", "review_days": CHAIR_REVIEW_DAYS}}),
    ("summer-authority.yaml", {"bodies.fs_executive.meets.outside_terms": True,
                               "summer_authority": {"body": "fs_executive",
                                                    "for": ["fs_program_review"]}}),
])
def test_the_governance_what_ifs_change_one_lever_each(what_if, expected):
    """Each governance what-if adds its one rule (or condition) and changes nothing else."""
    base = load_scenario(SCENARIOS / "baseline.yaml")
    changes = what_changed(base, load_scenario(SCENARIOS / what_if))
    assert {change.path: change.new for change in changes} == expected


def test_a_scaled_what_if_shows_both_numbers():
    base = load_scenario(SCENARIOS / "baseline.yaml")
    changes = what_changed(base, load_scenario(SCENARIOS / "demand-3x.yaml"))
    assert [change.path for change in changes] == ["demand.credit.per_year",
                                                   "demand.noncredit.per_year"]
    assert all(change.new == pytest.approx(3 * change.base) for change in changes)
