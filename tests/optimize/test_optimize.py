"""The cheapest-fix optimizer: known optima from queueing theory, ties, infeasible targets,
screening against exhaustive search, spec errors, the command line and the shipped spec.

The known grid is one M/M/c office on a continuous calendar (0.8 proposals a day, reviews of
1 day on average): Erlang C gives mean days in the office of 5.0, 1.19, 1.024 and 1.003 for
1 to 4 reviewers, so a target "mean below 1.1 days" is met by 3 or more reviewers only.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from support.scenarios import exponential, office, write_scenario
from support.theory import erlang_c_sojourn

from simlib.cli.main import main
from simlib.errors import ScenarioError
from simlib.experiments.results import replicate
from simlib.optimize._evidence import measure
from simlib.optimize._search import optimize
from simlib.optimize._spec import load_study

ARRIVALS_PER_DAY = 0.8
REVIEW_DAYS = 1.0
SHIPPED_SPEC = Path(__file__).resolve().parents[2] / "scenarios" / "specs" / "cheapest-fix.yaml"

OFFICE = {"name": "office", "seed": 11, "per_year": ARRIVALS_PER_DAY * 365,
          "bodies": {"desk": office(1, exponential(REVIEW_DAYS))}, "pathways": ["desk"]}


def staff_decision(costs: tuple[float, ...] = (0, 10, 20, 30)) -> dict:
    """Reviewers 1..len(costs) at the given costs."""
    options = [{"value": staff, "cost": cost} for staff, cost in enumerate(costs, start=1)]
    return {"name": "staff", "label": "Reviewers", "path": "bodies.desk.staff",
            "options": options}


def spec_data(**changes) -> dict:
    """A spec over the office: staff 1..4, mean below 1.1 days, 20 replications."""
    data = {
        "base": "office.yaml",
        "cost_unit": "hours per year",
        "changes": [staff_decision()],
        "target": {"pathway": "p", "metric": "mean", "below_days": 1.1, "confidence": 0.95},
        "replications": 20,
        "seed": 7,
    }
    data.update(changes)
    return data


def write_spec(folder: Path, data: dict, name: str = "spec.yaml") -> Path:
    """Write the office scenario and a spec beside it; return the spec's path."""
    write_scenario(folder, **OFFICE)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def choice(candidate) -> dict:
    return dict(candidate.configuration.choices)


# --- known optimum and theory ---------------------------------------------------------


@pytest.fixture(scope="module")
def staff_outcome(tmp_path_factory):
    folder = tmp_path_factory.mktemp("staff")
    return optimize(load_study(write_spec(folder, spec_data())), jobs=1)


def test_finds_the_fewest_reviewers_that_meet_the_target(staff_outcome):
    assert staff_outcome.method == "exhaustive"
    assert choice(staff_outcome.best) == {"staff": "3"}
    assert staff_outcome.best.configuration.cost == 20
    meets = {choice(c)["staff"]: c.meets(1.1, 0.95) for c in staff_outcome.candidates}
    assert meets == {"1": False, "2": False, "3": True, "4": True}
    assert staff_outcome.candidates[-1].verdict(1.1, 0.95) == "fails"  # one reviewer
    assert [choice(c)["staff"] for c in staff_outcome.candidates] == ["3", "4", "2", "1"]


def test_estimates_agree_with_erlang_c(staff_outcome):
    """Two to four reviewers (light load: a quarter year of warm-up is plenty; one reviewer
    at load 0.8 is still filling up and is only required to fail)."""
    for candidate in staff_outcome.candidates:
        staff = int(choice(candidate)["staff"])
        if staff == 1:
            continue
        theory = erlang_c_sojourn(ARRIVALS_PER_DAY, REVIEW_DAYS, staff)
        evidence = candidate.evidence
        assert evidence.replications == 20
        assert abs(evidence.point - theory) <= 4 * evidence.standard_error, (staff, theory)


def test_mean_interval_is_the_one_mcsim_run_prints(staff_outcome):
    best = staff_outcome.best
    results = replicate(best.configuration.scenario, 20, staff_outcome.seed, jobs=1)
    row = results.pathways.loc["p"]
    low, high = best.evidence.interval(0.95)
    assert best.evidence.point == pytest.approx(row["cycle_days_mean"], rel=1e-12)
    assert (low, high) == pytest.approx((row["cycle_days_ci95_low"],
                                         row["cycle_days_ci95_high"]), rel=1e-9)


def test_equal_costs_are_broken_by_the_better_metric(tmp_path):
    data = spec_data(changes=[staff_decision((0, 10, 20, 20))])
    outcome = optimize(load_study(write_spec(tmp_path, data)), jobs=1)
    assert choice(outcome.best) == {"staff": "4"}
    points = {choice(c)["staff"]: c.evidence.point for c in outcome.candidates}
    assert points["4"] < points["3"]


def test_an_infeasible_target_reports_the_closest(tmp_path):
    data = spec_data(target={"pathway": "p", "metric": "mean", "below_days": 0.9})
    outcome = optimize(load_study(write_spec(tmp_path, data)), replications=10, jobs=1)
    assert outcome.best is None
    assert choice(outcome.closest) == {"staff": "4"}
    summary = outcome.to_dict()
    assert summary["found"] is False and summary["best"] is None
    assert summary["closest"]["configuration"] == {"staff": "4"}
    assert summary["closest"]["meets"] is False


def test_p90_target_uses_the_pooled_p90_and_a_paired_bootstrap(tmp_path):
    target = {"pathway": "p", "metric": "p90", "below_days": 2.6}
    outcome = optimize(load_study(write_spec(tmp_path, spec_data(target=target))),
                       replications=10, jobs=2)
    best = outcome.best
    results = replicate(best.configuration.scenario, 10, outcome.seed, jobs=1)
    assert best.evidence.point == pytest.approx(results.pathways.loc["p", "cycle_days_p90"])
    assert choice(best) == {"staff": "3"}  # P90 of M/M/3 about 2.4 days, of M/M/2 about 2.9


def test_p90_evidence_is_the_pooled_p90_with_a_repeatable_bootstrap():
    rng = np.random.default_rng(5)
    days = [rng.exponential(30.0, size=size) for size in (0, 3, 1, 12, 7)]
    values = np.concatenate(days)
    evidence = measure(days, "p90", seed=3)
    assert evidence.point == pytest.approx(np.quantile(values, 0.9))
    np.testing.assert_array_equal(evidence.spread, measure(days, "p90", seed=3).spread)
    finite = evidence.spread[np.isfinite(evidence.spread)]
    assert finite.size > 900 and values.min() <= finite.min() <= finite.max() <= values.max()


# --- screening ------------------------------------------------------------------------


def grid_spec(exhaustive_up_to: int) -> dict:
    """24 configurations: reviewers x review speed x a label change that alters nothing."""
    speed = {"name": "speed", "path": "bodies.desk.review_days.mean",
             "options": [{"value": 1.0, "cost": 0}, {"value": 0.8, "cost": 25},
                         {"value": 0.6, "cost": 50}]}
    cover = {"name": "cover", "options": [
        {"label": "none", "set": {}, "cost": 0},
        {"label": "named", "set": {"bodies.desk.label": "Desk with cover"}, "cost": 5}]}
    screening = {"exhaustive_up_to": exhaustive_up_to, "first_stage_replications": 6}
    return spec_data(changes=[staff_decision(), speed, cover], screening=screening,
                     replications=12)


@pytest.mark.slow
def test_screening_finds_the_exhaustive_answer_with_fewer_replications(tmp_path):
    exhaustive = optimize(load_study(write_spec(tmp_path, grid_spec(100), "all.yaml")), jobs=2)
    screened = optimize(load_study(write_spec(tmp_path, grid_spec(4), "screen.yaml")), jobs=2)
    assert (exhaustive.method, screened.method) == ("exhaustive", "screening")
    expected = {"staff": "3", "speed": "1.0", "cover": "none"}
    assert choice(exhaustive.best) == choice(screened.best) == expected
    assert screened.best.evidence.point == exhaustive.best.evidence.point  # same replications
    survivors = [c for c in screened.candidates if not c.screened_out]
    assert len(survivors) <= 6
    assert screened.simulated_replications == 24 * 6 + len(survivors) * (12 - 6)
    reasons = [c.screened_out for c in screened.candidates if c.screened_out]
    assert any("clearly not below" in reason for reason in reasons)
    assert any("clearly meets the target" in reason for reason in reasons)
    # cover=named changes only a label: the same results at a higher cost
    assert any("cover=none costs less and is at least as good" in reason for reason in reasons)
    summary = screened.to_dict()
    assert summary["first_stage_replications"] == 6 and summary["replications"] == 12
    assert len(summary["candidates"]) == 24


# --- spec errors ----------------------------------------------------------------------


@pytest.mark.parametrize(("change", "expected"), [
    ({"replicatons": 10}, "replicatons: unknown key; did you mean 'replications'?"),
    ({"target": {"pathway": "p", "metric": "mean", "below_days": 1, "confidnce": 0.9}},
     "target.confidnce: unknown key; did you mean 'confidence'?"),
    ({"target": {"pathway": "q", "metric": "mean", "below_days": 1}},
     "target.pathway: 'q' is not a pathway of office.yaml (have: p)"),
    ({"target": {"pathway": "p", "metric": "p50", "below_days": 1}}, "target.metric: must be"),
    ({"base": "missing.yaml"}, "base: scenario file"),
    ({"base": None}, "base: must be text"),
    ({"changes": [dict(staff_decision(), path="bodies.desk.stuff")]},
     "changes.0.path: 'bodies.desk.stuff' does not exist in office.yaml"),
    ({"changes": [{"name": "x", "options": [{"set": {"bodies.nobody.staff": 2}, "cost": 1}]}]},
     "changes.0.options.0: set.bodies.nobody.staff: path does not exist"),
    ({"changes": [{"name": "x", "options": [{"set": {"bodies.desk.stuff": 2}, "cost": 1}]}]},
     "changes.0.options.0: bodies.desk.stuff: unknown key; did you mean 'staff'?"),
    ({"changes": [staff_decision((-1, 0, 0, 0)) | {"options": [{"value": 0, "cost": 0}]}]},
     "changes.0.options.0: bodies.desk.staff: must be >= 1, got 0"),
    ({"changes": [{"name": "x", "options": [{"value": 2, "cost": 1}]}]},
     "changes.0.options.0.value: needs a path on the decision"),
    ({"changes": [{"name": "x", "options": [{"set": {}}]}]},
     "changes.0.options.0.cost: required key is missing"),
    ({"changes": [staff_decision(), staff_decision()]},
     "changes.1.name: 'staff' is used twice"),
    ({"changes": [{"name": "x", "options": [{"what_if": "nope.yaml", "cost": 1}]}]},
     "changes.0.options.0.what_if: file"),
    ({"changes": [{"name": "x", "options": [{"what_if": "/dev/zero", "cost": 1}]}]},
     "changes.0.options.0.what_if: file '/dev/zero': not a regular file (a device)"),
    ({"changes": [dict(staff_decision(), name=f"d{i}") for i in range(6)]},
     "changes: 4,096 combinations of options; at most 2,000 can be searched"),
    ({"replications": 10_001}, "replications: must be at most 10000 replications"),
    ({"replications": True}, "replications: must be a whole number, got true"),
    ({"screening": {"first_stage_replications": 10**20}},
     "screening.first_stage_replications: must be at most 10000"),
    ({"changes": [staff_decision((0, 1e308, 0, 0))]},
     "changes.0.options.1.cost: must be at most 1e+09"),
    ({"changes": [staff_decision((0, float("inf"), 0, 0))]},
     "changes.0.options.1.cost: must be a finite number"),
    ({"target": {"pathway": "p", "metric": "mean", "below_days": 1e6}},
     "target.below_days: must be at most 36500 days"),
    ({"seed": 2**64}, "seed: must be at most"),
])
def test_spec_errors_are_one_line_naming_the_key(tmp_path, change, expected):
    data = spec_data()
    data.update(change)
    if data["base"] is None:
        del data["base"]
        expected = "base: required key is missing"
    path = write_spec(tmp_path, data)
    with pytest.raises(ScenarioError) as raised:
        load_study(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    assert expected in message, message


# --- command line ---------------------------------------------------------------------


def test_cli_json_keys_and_exit_status(tmp_path, capsys):
    path = write_spec(tmp_path, spec_data())
    status = main(["optimize", str(path), "--format", "json", "--jobs", "1",
                   "--replications", "10"])
    out = capsys.readouterr().out
    assert status == 0
    summary = json.loads(out)
    assert {"target", "best", "candidates", "closest", "found", "method"} <= set(summary)
    assert summary["target"] == {"pathway": "p", "metric": "mean", "below_days": 1.1,
                                 "confidence": 0.95}
    assert {"configuration", "cost", "metric", "ci95", "meets", "replications"} <= set(
        summary["best"])
    assert summary["best"]["configuration"] == {"staff": "3"}
    assert len(summary["candidates"]) == 4 and summary["replications"] == 10


def test_cli_table_says_clearly_when_nothing_meets_the_target(tmp_path, capsys):
    data = spec_data(target={"pathway": "p", "metric": "mean", "below_days": 0.5})
    status = main(["optimize", str(write_spec(tmp_path, data)), "--jobs", "1",
                   "--replications", "5"])
    out = capsys.readouterr().out
    assert status == 0
    assert "No configuration meets the target. Closest: staff = 4" in out


@pytest.mark.parametrize("argv", [["--replications", "1"], ["--seed", "-3"], ["--jobs", "0"],
                                  ["--replications", "10001"],
                                  ["--replications", "99999999999999999999999"]])
def test_cli_bad_options_exit_2_with_one_line(tmp_path, capsys, argv):
    status = main(["optimize", str(write_spec(tmp_path, spec_data())), *argv])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and err.startswith("mcsim: ")


def test_cli_bad_spec_exits_2_naming_the_key(tmp_path, capsys):
    path = write_spec(tmp_path, spec_data(changes=[]))
    status = main(["optimize", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and err == f"{path}: changes: needs at least 1 item, got 0\n"


# --- the shipped spec -----------------------------------------------------------------


def test_the_shipped_spec_validates():
    study = load_study(SHIPPED_SPEC)
    assert len(study.configurations) == 3 * 2 * 2 * 3
    assert study.spec.target.metric == "p90" and study.spec.target.pathway == "credit"
    costs = [config.cost for config in study.configurations]
    assert min(costs) == 0 and costs[0] == 0  # the first configuration is the baseline
    unchanged = {"name", "calibration"}  # a configuration, like a what-if, is not fitted
    baseline = study.configurations[0].scenario.model_dump(exclude=unchanged)
    assert baseline == study.base.model_dump(exclude=unchanged)
    assert len(study.configurations) > study.spec.screening.exhaustive_up_to  # it screens
