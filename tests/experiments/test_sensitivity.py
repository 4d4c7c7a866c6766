"""Sensitivity analysis: swings against queueing theory and exact fixed-time answers,
common random numbers, tornado order, and the ``mcsim sensitivity`` command."""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import special
from support.scenarios import exponential, office, scenario_data, write_scenario
from support.theory import erlang_c_sojourn, one_body_scenario

from simlib import sensitivity
from simlib.cli.main import main
from simlib.errors import ScenarioError
from simlib.experiments.sensitivity import end_value, tornado_order
from simlib.scenario import validate_scenario

SEED = 20250825

# Pathway a: two offices with fixed review times and plenty of staff (no queue), so a
# proposal's cycle time is exactly the sum of its review times. Pathway b: an M/M/1-like
# office with revisions. The pathways share no body.
TWO_PATHWAYS = scenario_data(
    name="two", title="Two independent pathways", horizon_years=2, warmup_years=0.5,
    replications=6, seed=7, per_year={"a": 50, "b": 365},
    bodies={
        "a_desk": office(50, {"dist": "fixed", "mean": 3}),
        "a_check": office(50, {"dist": "fixed", "mean": 1}),
        "b_desk": office(1, exponential(0.5)),
    },
    pathways={
        "a": ["a_desk", "a_check"],
        "b": [{"body": "b_desk", "revise": {"p": 0.1, "rework_days": exponential(2)}}],
    },
    assumptions=[
        {"path": "bodies.a_check.review_days.mean", "low": 0.5, "high": 1.5, "note": "A: check"},
        {"path": "demand.a.per_year", "low": 20, "high": 80, "note": "D/A: demand for a"},
        {"path": "bodies.b_desk.review_days.mean", "low": 0.45, "high": 0.5,
         "note": "A: b review"},
        {"path": "bodies.a_desk.review_days.mean", "low": 2, "high": 7, "note": "A: a review"},
        {"path": "bodies.b_desk.staff", "low": 1.4, "high": 2.6, "note": "A: b staff"},
    ],
)


def row(result, pathway: str, path: str) -> pd.Series:
    """The summary row of one assumption on one pathway."""
    table = result.summary()
    return table[(table["pathway"] == pathway) & (table["assumption"] == path)].iloc[0]


@pytest.fixture(scope="module")
def two():
    """The sensitivity of the two-pathway scenario (6 replications, in this process)."""
    scenario = validate_scenario(TWO_PATHWAYS, "<test>")
    return sensitivity(scenario, jobs=1, progress=False)


# --- answers known in advance ----------------------------------------------------------


@pytest.mark.slow
def test_mm1_swing_matches_theory():
    """An M/M/1 office whose mean review time is uncertain: each end and the swing agree
    with the M/M/1 mean time in system, within 3 standard errors of the paired estimate."""
    per_day, low, base, high = 1.0, 0.3, 0.45, 0.6
    scenario = one_body_scenario(per_day, office(1, exponential(base)), years=6,
                                 warmup_years=0.5)
    scenario = scenario.variant(
        {"assumptions": [{"path": "bodies.desk.review_days.mean", "low": low, "high": high}]}
    )
    result = sensitivity(scenario, replications=12, seed=SEED, jobs=1, progress=False)
    swing = result.summary().iloc[0]
    theory = {end: erlang_c_sojourn(per_day, mean, 1) for end, mean in
              (("low", low), ("base", base), ("high", high))}
    t = special.stdtrit(11, 0.975)
    checks = [
        (swing["swing_mean"], swing["swing_mean_ci95_high"], theory["high"] - theory["low"]),
        (swing["low_vs_base"], swing["low_vs_base_ci95_high"], theory["low"] - theory["base"]),
        (swing["high_vs_base"], swing["high_vs_base_ci95_high"],
         theory["high"] - theory["base"]),
    ]
    for estimate, upper, expected in checks:
        error = (upper - estimate) / t
        assert abs(estimate - expected) <= 3 * error, (estimate, expected, error)
        assert 3 * error < 0.15 * abs(expected)  # narrow enough to mean something
    assert swing["low"] == low and swing["high"] == high and swing["base_value"] == base


def test_fixed_review_time_swings_by_exactly_its_range(two):
    swing = row(two, "a", "bodies.a_desk.review_days.mean")
    assert swing["mean_low"] == pytest.approx(2 + 1, abs=1e-9)
    assert swing["mean_high"] == pytest.approx(7 + 1, abs=1e-9)
    assert swing["mean_base"] == pytest.approx(3 + 1, abs=1e-9)
    assert swing["swing_mean"] == pytest.approx(5, abs=1e-9)
    assert swing["swing_p90"] == pytest.approx(5, abs=1e-9)
    assert swing["swing_mean_ci95_high"] - swing["swing_mean_ci95_low"] == pytest.approx(
        0, abs=1e-9)
    assert row(two, "a", "bodies.a_check.review_days.mean")["swing_mean"] == pytest.approx(
        1, abs=1e-9)


@pytest.mark.parametrize("pathway, path", [
    ("b", "bodies.a_desk.review_days.mean"),
    ("b", "bodies.a_check.review_days.mean"),
    ("b", "demand.a.per_year"),
    ("a", "bodies.b_desk.review_days.mean"),
    ("a", "bodies.b_desk.staff"),
])
def test_assumption_of_another_pathway_gives_exactly_zero(two, pathway, path):
    """Pathways that share no body see the same random numbers in every variant (CRN)."""
    swing = row(two, pathway, path)
    for column in ("swing_mean", "swing_mean_ci95_low", "swing_mean_ci95_high", "low_vs_base",
                   "high_vs_base", "swing_p90"):
        assert swing[column] == 0.0, column
    assert swing["mean_low"] == swing["mean_base"] == swing["mean_high"]


def test_demand_does_not_move_fixed_times_without_queues(two):
    swing = row(two, "a", "demand.a.per_year")
    for column in ("swing_mean", "swing_mean_ci95_low", "swing_mean_ci95_high", "swing_p90"):
        assert swing[column] == pytest.approx(0, abs=1e-9), column


def test_whole_numbers_stay_whole(two):
    swing = row(two, "b", "bodies.b_desk.staff")
    assert (swing["low"], swing["high"]) == (1, 3)
    assert swing["swing_mean"] < 0 < swing["swing_mean_ci95_high"] - swing["swing_mean_ci95_low"]
    scenario = validate_scenario(TWO_PATHWAYS, "<test>")
    narrow = scenario.variant({"assumptions": [{"path": "bodies.b_desk.staff", "low": 1.6,
                                                "high": 2.4}]})
    assert end_value(narrow, narrow.assumptions[0], "low") == 2
    assert isinstance(end_value(narrow, narrow.assumptions[0], "high"), int)
    with pytest.raises(ScenarioError, match="rounds to 2 at both ends"):
        sensitivity(narrow, replications=1, jobs=1, progress=False)


# --- order and results -----------------------------------------------------------------


def test_tornado_order_by_absolute_swing(two):
    table = two.summary()
    for pathway in ("a", "b"):
        rows = table[table["pathway"] == pathway]
        sizes = rows["swing_mean"].abs().to_numpy()
        assert (np.diff(sizes) <= 0).all()
        assert rows["rank"].tolist() == list(range(1, 6))
    assert table[table["pathway"] == "a"]["assumption"].head(2).tolist() == [
        "bodies.a_desk.review_days.mean", "bodies.a_check.review_days.mean"]
    b_first = table[table["pathway"] == "b"].iloc[0]
    assert b_first["assumption"] == "bodies.b_desk.staff" and b_first["swing_mean"] < 0
    crafted = pd.DataFrame({"pathway": ["p", "p", "q", "p"], "assumption": list("wxyz"),
                            "swing_mean": [1.0, math.nan, 2.0, -3.0]})
    ordered = tornado_order(crafted)
    assert ordered["assumption"].tolist() == ["z", "w", "x", "y"]
    assert ordered["rank"].tolist() == [1, 2, 3, 1]


@pytest.mark.slow
def test_executors_give_the_same_answer_as_serial():
    scenario = validate_scenario(TWO_PATHWAYS, "<test>")
    options = {"replications": 3, "progress": False,
               "assumptions": ["bodies.b_desk.staff", "bodies.a_desk.review_days.mean"]}
    serial = sensitivity(scenario, jobs=1, **options).summary()
    with ThreadPoolExecutor(max_workers=2) as executor:
        threaded = sensitivity(scenario, executor=executor, jobs=2, **options).summary()
    pooled = sensitivity(scenario, jobs=2, **options).summary()  # local process pool
    pd.testing.assert_frame_equal(threaded, serial)
    pd.testing.assert_frame_equal(pooled, serial)


def test_to_dict_is_json_ready(two):
    result = json.loads(json.dumps(two.to_dict(), allow_nan=False))
    assert (result["scenario"], result["replications"], result["seed"]) == ("two", 6, 7)
    assert result["assumptions"] == 5
    assert result["pathways"]["a"]["mean_base"] == pytest.approx(4)
    first = result["pathways"]["a"]["swings"][0]
    assert first["assumption"] == "bodies.a_desk.review_days.mean" and first["rank"] == 1
    assert len(two.to_dict(top=2, pathways=["b"])["pathways"]["b"]["swings"]) == 2


def test_chosen_assumptions_only(two):
    scenario = validate_scenario(TWO_PATHWAYS, "<test>")
    one = sensitivity(scenario, replications=2, jobs=1, progress=False,
                      assumptions=["bodies.a_desk.review_days.mean"])
    assert one.summary()["assumption"].unique().tolist() == ["bodies.a_desk.review_days.mean"]
    with pytest.raises(ScenarioError, match="no assumption 'nope'"):
        sensitivity(scenario, replications=1, jobs=1, assumptions=["nope"])


# --- the command -----------------------------------------------------------------------


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    return write_scenario(tmp_path, **{**TWO_PATHWAYS, "horizon_years": 1})


def run(capsys, *argv) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``mcsim argv`` run in this process."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line_error(status: int, err: str) -> None:
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("mcsim: ") and "Traceback" not in err


def test_command_prints_headline_then_tables(capsys, scenario_file):
    status, out, err = run(capsys, "sensitivity", scenario_file, "--replications", "2",
                           "--jobs", "1")
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == ("The a mean hangs most on a review (bodies.a_desk.review_days.mean): "
                        "from 3 days at 2 to 8 days at 7.")
    assert lines[1].startswith("The b mean hangs most on b staff (bodies.b_desk.staff)")
    header = next(line for line in lines if line.startswith("assumption"))
    for title in ("range", "mean at low", "at base", "at high", "swing", "P90 swing", "note"):
        assert title in header
    table_a = lines[lines.index(header) + 1:]
    assert table_a[0].startswith("bodies.a_desk.review_days.mean")
    assert "2 to 7" in table_a[0] and "+5.0" in table_a[0] and table_a[0].endswith("a review")
    assert "a: mean 4 days" in out


@pytest.mark.slow
def test_command_json_pathway_and_top(capsys, scenario_file):
    status, out, _ = run(capsys, "sensitivity", scenario_file, "--replications", "2",
                         "--jobs", "1", "--format", "json", "--pathway", "b", "--top", "2")
    assert status == 0
    result = json.loads(out)
    assert list(result["pathways"]) == ["b"] and len(result["pathways"]["b"]["swings"]) == 2
    assert result["pathways"]["b"]["swings"][0]["assumption"] == "bodies.b_desk.staff"
    status, out, _ = run(capsys, "sensitivity", scenario_file, "--replications", "2",
                         "--jobs", "1", "--pathway", "a", "--top", "1")
    assert status == 0 and "b:" not in out and out.count("bodies.") == 2  # headline + row


def test_command_without_assumptions_is_one_line(capsys, tmp_path):
    data = {key: value for key, value in TWO_PATHWAYS.items() if key != "assumptions"}
    path = write_scenario(tmp_path, **data)
    status, out, err = run(capsys, "sensitivity", path)
    assert_one_line_error(status, err)
    assert "add an 'assumptions:' block" in err and str(path) in err and out == ""


@pytest.mark.parametrize("option", [["--pathway", "c"], ["--top", "0"], ["--format", "csv"]])
def test_command_bad_options_are_one_line(capsys, scenario_file, option):
    status, out, err = run(capsys, "sensitivity", scenario_file, *option)
    assert_one_line_error(status, err)
    assert option[0] in err and out == ""


def test_prices_are_not_swung_for_days():
    # Hours price the work and change no time: swinging them would show bars of zero days.
    from support.scenarios import scenario_data

    from simlib.experiments.sensitivity import chosen_assumptions
    from simlib.scenario import validate_scenario

    data = scenario_data(assumptions=[
        {"path": "bodies.desk.hours.per_review", "low": 1, "high": 4},
        {"path": "bodies.desk.review_days.mean", "low": 1, "high": 4},
    ])
    data["bodies"]["desk"]["hours"] = {"per_review": 2}
    scenario = validate_scenario(data, "<prices>")
    assert [a.path for a in chosen_assumptions(scenario)] == ["bodies.desk.review_days.mean"]
    assert chosen_assumptions(scenario, ["bodies.desk.hours.per_review"])[0].prices
