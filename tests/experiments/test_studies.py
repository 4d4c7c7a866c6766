"""Planning studies: demand multipliers, capacity sweeps (rows, loads, paired gains, knees)
and demand growth (loads, first body to fill, queues of one multiplier)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simlib import load_scenario, replicate
from simlib.errors import ScenarioError
from simlib.experiments.studies import DemandGrowth, Sweep, demand_growth, sweep, with_demand

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
QUICK = {"replications": 3, "jobs": 1, "progress": False}


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def owd_sweep(base):
    """OWD reviewers 1, 2, 3 at today's and three times today's demand (3 replications)."""
    return sweep(base, "bodies.owd.staff", [1, 2, 3], demand_factors=[1, 3], **QUICK)


@pytest.fixture(scope="module")
def growth(base):
    return demand_growth(base, [1, 3], **QUICK)


def rows_of(table: pd.DataFrame, **where) -> pd.DataFrame:
    """The rows of ``table`` whose columns equal the given values."""
    mask = np.logical_and.reduce([table[column] == value for column, value in where.items()])
    return table[mask]


# --- with_demand ---------------------------------------------------------------------------


def test_with_demand_multiplies_every_pathway_and_nothing_else(base):
    scaled = with_demand(base, 2.5)
    assert base.demand["credit"].per_year == 8  # the base is left as it was
    for pathway, spec in base.demand.items():
        assert scaled.demand[pathway].per_year == spec.per_year * 2.5
        assert scaled.demand[pathway].model_dump(exclude={"per_year"}) == \
            spec.model_dump(exclude={"per_year"})
    unchanged = {"demand", "name"}
    assert scaled.model_dump(exclude=unchanged) == base.model_dump(exclude=unchanged)
    assert "2.5x" in scaled.name and scaled.name != base.name


# --- sweep: bad paths --------------------------------------------------------------------


@pytest.mark.parametrize("path", [
    "demand.credit.per_year",  # not a body
    "bodies.nosuch.staff",  # no such body
    "bodies.owd.label",  # not a number
    "bodies.owd.nosuch",  # no such key
    "bodies.owd",  # no key at all
])
def test_sweep_rejects_a_path_that_is_not_a_body_number(base, path):
    with pytest.raises(ScenarioError) as caught:
        sweep(base, path, [1, 2], **QUICK)
    message = str(caught.value)
    assert "\n" not in message and path in message, message


def test_sweep_rejects_no_values(base):
    with pytest.raises(ScenarioError):
        sweep(base, "bodies.owd.staff", [], **QUICK)


# --- sweep: results ----------------------------------------------------------------------


def test_sweep_has_one_row_per_value_demand_and_pathway(owd_sweep):
    table = owd_sweep.table
    keys = list(zip(table["capacity"], table["demand"], table["pathway"], strict=True))
    expected = set(itertools.product([1, 2, 3], [1.0, 3.0], ["credit", "noncredit"]))
    assert len(keys) == len(expected) == 12 and set(keys) == expected
    assert owd_sweep.body == "owd" and owd_sweep.replications == 3
    assert set(table["capacity_label"]) == {"reviewers"}


def test_sweep_at_todays_setting_matches_a_plain_run(base, owd_sweep):
    """Staff 1 at 1x is the baseline itself, with the same seed and replications."""
    plain = replicate(base, 3, jobs=1, progress=False)
    for pathway in base.pathways:
        row = rows_of(owd_sweep.table, capacity=1, demand=1.0, pathway=pathway).iloc[0]
        assert row["mean_days"] == pytest.approx(plain.pathways.loc[pathway, "cycle_days_mean"])
        assert row["approved"] == plain.pathways.loc[pathway, "approved"]
        assert row["load"] == pytest.approx(plain.load.loc["owd", "load"])


def test_more_reviewers_lower_the_load(owd_sweep):
    table = owd_sweep.table
    for factor in (1.0, 3.0):
        loads = [rows_of(table, capacity=staff, demand=factor)["load"].iloc[0]
                 for staff in (1, 2, 3)]
        assert loads[0] > loads[1] > loads[2] > 0, (factor, loads)
    # the same work shared by three reviewers (at today's demand: at three times it, one
    # reviewer is saturated by the badge work waiting behind approvals)
    one, three = (rows_of(table, capacity=staff, demand=1.0)["load"].iloc[0] for staff in (1, 3))
    assert three < one / 2


def test_more_reviewers_never_lengthen_the_mean_beyond_noise(owd_sweep):
    for (_, _), group in owd_sweep.table.groupby(["demand", "pathway"]):
        means = group.sort_values("capacity")["mean_days"].to_numpy()
        assert (np.diff(means) <= 0.5).all(), means


def test_gain_is_the_drop_in_mean_days_from_the_previous_value(owd_sweep):
    table = owd_sweep.table
    for factor, pathway in itertools.product((1.0, 3.0), ("credit", "noncredit")):
        first = rows_of(table, capacity=1, demand=factor, pathway=pathway).iloc[0]
        assert all(math.isnan(first[column])
                   for column in ("gain_days", "gain_ci95_low", "gain_ci95_high"))
        for before, after in ((1, 2), (2, 3)):
            old, new = (rows_of(table, capacity=staff, demand=factor, pathway=pathway).iloc[0]
                        for staff in (before, after))
            assert new["gain_days"] == pytest.approx(
                old["mean_days"] - new["mean_days"], abs=1e-9)
            assert new["gain_ci95_low"] <= new["gain_days"] <= new["gain_ci95_high"]


def test_identical_values_gain_exactly_zero(base):
    result = sweep(base, "bodies.owd.staff", [2, 2], replications=2, jobs=1, progress=False)
    second = result.table.iloc[len(base.pathways):]
    assert len(second) == len(base.pathways)
    for column in ("gain_days", "gain_ci95_low", "gain_ci95_high"):
        assert (second[column] == 0.0).all(), second[column].tolist()


# --- Sweep.knees on a hand-made table ------------------------------------------------------


def hand_sweep(base, gains: dict) -> Sweep:
    """A Sweep of capacities 1-4 whose table holds ``gains``: {(pathway, demand): [(gain,
    low, high) of capacities 2, 3, 4]} (the first capacity has none)."""
    rows = []
    for (pathway, demand), steps in gains.items():
        for capacity, gain in zip((1, 2, 3, 4), [(math.nan,) * 3, *steps], strict=True):
            rows.append({"capacity": capacity, "demand": demand, "pathway": pathway,
                         "gain_days": gain[0], "gain_ci95_low": gain[1],
                         "gain_ci95_high": gain[2]})
    return Sweep(base, "bodies.owd.staff", "owd", (1, 2, 3, 4), (1.0, 2.0), 3, 1,
                 pd.DataFrame(rows))


@pytest.fixture(scope="module")
def knee_sweep(base):
    return hand_sweep(base, {
        ("credit", 1.0): [(10, 5, 15), (2, 1, 3), (1, 0.5, 1.5)],  # 2 -> 3 saves under 3
        ("credit", 2.0): [(10, -1, 21), (8, 4, 12), (6, 3, 9)],  # 1 -> 2 CI reaches below 0
        ("noncredit", 1.0): [(9, 4, 14), (5, 0, 10), (4, 2, 6)],  # 2 -> 3 CI reaches 0
        ("noncredit", 2.0): [(20, 10, 30), (8, 4, 12), (5, 1, 9)],  # every step helps
    })


def test_knees_pick_the_capacity_before_the_first_small_or_uncertain_step(knee_sweep):
    knees = knee_sweep.knees(3.0)
    found = {(row.pathway, row.demand): (row.capacity, row.next_gain_days)
             for row in knees.itertuples()}
    assert found == {("credit", 1.0): (2, 2.0), ("credit", 2.0): (1, 10.0),
                     ("noncredit", 1.0): (2, 5.0)}


def test_knees_follow_the_threshold(knee_sweep):
    knees = knee_sweep.knees(5.5)
    found = {(row.pathway, row.demand): row.capacity for row in knees.itertuples()}
    assert found == {("credit", 1.0): 2, ("credit", 2.0): 1, ("noncredit", 1.0): 2,
                     ("noncredit", 2.0): 3}


def test_no_knee_when_every_step_helps(base):
    steady = hand_sweep(base, {("credit", 1.0): [(9, 5, 13), (7, 4, 10), (4, 1, 7)]})
    knees = steady.knees(3.0)
    assert knees.empty
    assert list(knees.columns) == ["pathway", "demand", "capacity", "next_gain_days"]


# --- demand growth -------------------------------------------------------------------------


@pytest.mark.parametrize("factors", [[0], [1, -2], [2, 0, 3], []])
def test_demand_growth_rejects_non_positive_factors(base, factors):
    with pytest.raises(ScenarioError):
        demand_growth(base, factors, **QUICK)


def test_every_body_is_at_least_as_loaded_at_three_times_demand(base, growth):
    wide = growth.load.pivot_table(index="body", columns="demand", values="load")
    assert set(wide.index) == set(base.bodies) - {"proposer"}  # no shared capacity
    assert (wide[3.0] >= wide[1.0] - 1e-3).all(), wide
    assert (wide[3.0] > wide[1.0]).any()


def test_growth_tables_have_one_row_per_demand_and_key(base, growth):
    cycles = list(zip(growth.cycles["demand"], growth.cycles["pathway"], strict=True))
    assert sorted(cycles) == sorted(itertools.product([1.0, 3.0], base.pathways))
    loads = list(zip(growth.load["demand"], growth.load["body"], strict=True))
    shared = [name for name in base.bodies if name != "proposer"]  # loads of shared capacity
    assert sorted(loads) == sorted(itertools.product([1.0, 3.0], shared))
    plain = replicate(base, 3, jobs=1, progress=False)
    today = rows_of(growth.cycles, demand=1.0, pathway="credit").iloc[0]
    assert today["mean_days"] == pytest.approx(plain.pathways.loc["credit", "cycle_days_mean"])


def test_queues_at_returns_only_that_factor(growth):
    at_three = growth.queues_at(3)
    assert len(at_three) == (growth.queues["demand"] == 3.0).sum() > 0
    assert set(at_three["demand"]) == {3.0}
    assert list(at_three.index) == list(range(len(at_three)))


def hand_growth(base, loads: dict) -> DemandGrowth:
    """A DemandGrowth whose load table holds ``loads``: {body: [load at 1x, 2x, 3x]}, with
    queues of two rows per multiplier."""
    load = pd.DataFrame([{"demand": factor, "body": body, "body_label": body.upper(),
                          "load_basis": "reviewer time", "load": share}
                         for body, shares in loads.items()
                         for factor, share in zip((1.0, 2.0, 3.0), shares, strict=True)])
    queues = pd.DataFrame({"demand": [1.0, 1.0, 2.0, 2.0, 3.0, 3.0],
                           "time": [0.0, 7.0] * 3, "waiting": [0, 1, 2, 3, 4, 5]})
    return DemandGrowth(base, (1.0, 2.0, 3.0), 3, 1, pd.DataFrame(), load, queues)


def test_first_to_fill_orders_bodies_by_the_demand_at_which_they_fill(base):
    study = hand_growth(base, {
        "late": [0.5, 0.7, 0.9],  # fills at 3x
        "never": [0.1, 0.2, 0.3],
        "early": [0.86, 0.95, 1.2],  # fills at 1x
        "dips": [0.3, 0.9, 0.8],  # fills at 2x, then falls back below
    })
    first = study.first_to_fill(0.85)
    assert list(first["body"]) == ["early", "dips", "late"]
    assert list(first["demand"]) == [1.0, 2.0, 3.0]
    assert list(first["load"]) == [0.86, 0.9, 0.9]
    assert list(first["body_label"]) == ["EARLY", "DIPS", "LATE"]
    assert list(study.first_to_fill(0.95)["body"]) == ["early"]
    assert study.first_to_fill(2.0).empty


def test_queues_at_on_a_hand_made_table(base):
    study = hand_growth(base, {"desk": [0.1, 0.2, 0.3]})
    assert study.queues_at(2.0)["waiting"].tolist() == [2, 3]
    assert study.queues_at(5.0).empty
