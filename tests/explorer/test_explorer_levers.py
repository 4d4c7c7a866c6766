"""The explorer's levers: generated from the scenario and the schema (never a fixed list),
and the ``set`` they write is the smallest what-if that loads to the values chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.scenarios import committee, office, small_scenario

from simlib.errors import InputError
from simlib.explorer import changes, levers
from simlib.explorer.levers import AT_ONCE, REMOVE, Lever
from simlib.explorer.whatif import whatif_scenario, whatif_text
from simlib.formats.keypaths import value_at
from simlib.scenario import Committee, Office, Parallel, load_scenario
from simlib.scenario.schema import MAX_PEOPLE

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(SCENARIOS / "baseline.yaml")


@pytest.fixture(scope="module")
def baseline_levers(baseline):
    return {lever.path: lever for lever in levers(baseline)}


def loaded(base, found: dict):
    """The what-if ``found`` (a ``set``) as the explorer loads it."""
    return whatif_scenario(whatif_text(base, SCENARIOS, "probe", "probe", found), SCENARIOS,
                           "probe")


def test_each_body_gets_the_levers_of_its_kind(baseline, baseline_levers):
    for name, body in baseline.bodies.items():
        if isinstance(body, Office):
            assert baseline_levers[f"bodies.{name}.staff"].base == body.staff
            assert baseline_levers[f"bodies.{name}.review_days.mean"].base == (
                body.review_days.mean)
        elif isinstance(body, Committee):
            assert baseline_levers[f"bodies.{name}.members"].base == body.members
            assert baseline_levers[f"bodies.{name}.meets.outside_terms"].kind == "switch"
            for block in ("evote", "consent", "delegate"):
                assert baseline_levers[f"bodies.{name}.{block}"].kind == "block"
    for pathway, demand in baseline.demand.items():
        lever = baseline_levers[f"demand.{pathway}.per_year"]
        assert lever.kind == "factor" and lever.base == demand.per_year and lever.start == 1


def test_levers_follow_the_scenario_not_a_fixed_list():
    scenario = small_scenario(bodies={"desk": office(2, 3.0), "panel": committee(4, 2.0),
                                      "senate": committee(9, 4.0, every_weeks=4)},
                              pathways=["desk", "panel", "senate"])
    paths = {lever.path for lever in levers(scenario)}
    assert {"bodies.desk.staff", "bodies.panel.members", "bodies.senate.members",
            "bodies.senate.meets", "pathways.p.panel"} <= paths
    assert not any(path.startswith("bodies.mc.") for path in paths)


def test_help_and_bounds_come_from_the_schema(baseline_levers):
    staff = baseline_levers["bodies.owd.staff"]
    assert staff.help == Office.model_fields["staff"].description and staff.help
    assert (staff.low, staff.high) == (1, MAX_PEOPLE)
    chance = baseline_levers["bodies.mc.evote.p"]
    assert (chance.low, chance.high) == (0, 1)
    assert all(lever.help for lever in baseline_levers.values())


def test_no_change_is_an_empty_set(baseline, baseline_levers):
    assert changes(baseline, tuple(baseline_levers.values()), {}) == {}
    starts = {lever.path: lever.start for lever in baseline_levers.values()}
    assert changes(baseline, tuple(baseline_levers.values()), starts) == {}


def test_mc_weekly_is_the_shipped_what_if(baseline, baseline_levers):
    found = changes(baseline, tuple(baseline_levers.values()),
                    {"bodies.mc.meets": {"every_weeks": 1}})
    assert found == {"bodies.mc.meets.every_weeks": 1}
    shipped = load_scenario(SCENARIOS / "mc-weekly.yaml")
    assert loaded(baseline, found).bodies == shipped.bodies


def test_a_new_meeting_rule_replaces_the_old_one(baseline, baseline_levers):
    found = changes(baseline, tuple(baseline_levers.values()), {"bodies.mc.meets": {"nth": 1}})
    assert found == {"bodies.mc.meets.every_weeks": None, "bodies.mc.meets.nth": 1}
    meets = loaded(baseline, found).bodies["mc"].meets
    assert meets.nth == 1 and meets.every_weeks is None and meets.weekday == "wed"


def test_a_way_of_deciding_switched_on_is_written_whole(baseline, baseline_levers):
    all_levers = tuple(baseline_levers.values())
    found = changes(baseline, all_levers, {"bodies.mc.evote": {"on": 1},
                                           "bodies.mc.evote.p": 0.7})
    assert found == {"bodies.mc.evote": {"p": 0.7, "within_days": 5}}
    assert loaded(baseline, found).bodies["mc"].evote.p == 0.7
    # its levers are ignored while it is off
    assert changes(baseline, all_levers, {"bodies.mc.evote.p": 0.9}) == {}


def test_a_way_of_deciding_the_base_has_is_changed_value_by_value():
    base = load_scenario(SCENARIOS / "mc-evote.yaml")
    all_levers = levers(base)
    assert changes(base, all_levers, {"bodies.mc.evote.p": 0.8}) == {"bodies.mc.evote.p": 0.8}
    assert changes(base, all_levers, {"bodies.mc.evote": None}) == {"bodies.mc.evote": None}
    assert loaded(base, {"bodies.mc.evote": None}).bodies["mc"].evote is None


def test_demand_and_optional_numbers(baseline, baseline_levers):
    all_levers = tuple(baseline_levers.values())
    found = changes(baseline, all_levers, {"demand.credit.per_year": 2.5,
                                           "bodies.mc.agenda_limit": 0})
    assert found == {"demand.credit.per_year": 20, "bodies.mc.agenda_limit": None}
    scenario = loaded(baseline, found)
    assert scenario.demand["credit"].per_year == 20 and scenario.bodies["mc"].agenda_limit is None


def test_a_step_removed_or_reviewed_at_once_with_the_next(baseline, baseline_levers):
    all_levers = tuple(baseline_levers.values())
    removed = changes(baseline, all_levers, {"pathways.credit.fs_executive": REMOVE,
                                             "pathways.credit.fs_executive.skip_when":
                                                 {"size": "minor"}})
    assert removed == {"pathways.credit.fs_executive": None}
    assert "fs_executive" not in [item.label for item in loaded(baseline, removed)
                                  .pathways["credit"]]
    together = changes(baseline, all_levers, {"pathways.credit.grad_council": AT_ONCE,
                                              "pathways.credit.ug_education.revise.p": 0.25})
    route = loaded(baseline, together).pathways["credit"]
    group = next(item for item in route if isinstance(item, Parallel))
    assert [step.body for step in group.parallel] == ["grad_council", "ug_education"]
    assert group.parallel[1].revise.p == 0.25  # the other lever's change travels with it
    assert "ug_education" not in [item.label for item in route]


def test_every_lever_moved_loads_or_says_what_to_change(baseline, baseline_levers):
    """Each lever moved on its own, to another value it offers: the what-if loads with that
    value at its path, or is refused with one line (never another exception)."""
    all_levers = tuple(baseline_levers.values())
    refused = 0
    for lever in all_levers:
        value = _other_value(lever)
        if value is None:
            continue
        values = {lever.path: value}
        if lever.block:
            values[lever.block] = {"on": 1}
        found = changes(baseline, all_levers, values)
        assert found, lever.path
        try:
            scenario = loaded(baseline, found)
        except InputError as error:
            refused += 1
            assert "\n" not in str(error) and "probe" in str(error)
            continue
        data = scenario.model_dump(mode="json", by_alias=True)
        for path, item in found.items():
            if item is not None and not path.startswith("pathways."):
                assert _holds(value_at(data, path), item), path
    assert refused < len(all_levers) / 10


def _holds(found, wanted) -> bool:
    """True when ``found`` is ``wanted``, or a mapping with (at least) its keys and values
    (a loaded block also has the keys left at their defaults)."""
    if isinstance(wanted, dict):
        return isinstance(found, dict) and all(_holds(found.get(key), item)
                                               for key, item in wanted.items())
    return found == wanted


def _other_value(lever: Lever):
    """A value of ``lever`` other than today's that its control offers (None: none)."""
    if lever.kind in ("choice", "step"):
        others = [value for _, value in lever.choices if value != lever.start]
        return others[-1] if others else None
    if lever.kind == "switch":
        return not lever.base
    if lever.kind == "block":
        return None if lever.base is not None else {"on": 1}
    if lever.kind == "factor":
        return 2.0
    start = lever.start or 0
    high = lever.high if lever.high is not None else 2 * start + 1
    value = min(high, start * 2 if start else 1)
    return int(value) if lever.kind == "whole" else value
