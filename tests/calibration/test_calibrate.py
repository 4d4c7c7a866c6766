"""Calibration: it recovers known parameters, keeps unidentified ones at their prior, writes
a calibrated file that keeps its comments and reproduces the fit, rejects bad calibration
blocks with one line, and the shipped baseline's recorded fit matches its targets.

The recovery checks use two independent offices with many reviewers (no queue), so a
pathway's mean cycle time is its office's mean review time times a sampling factor: the
tolerance on a recovered mean follows from the confidence intervals of the simulated means.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path

import pytest
import yaml

from simlib.calibration._point import calibrate, estimates, fit_targets
from simlib.cli.main import main
from simlib.errors import CalibrationError, ScenarioError, YamlTextError
from simlib.experiments.results import replicate
from simlib.scenario import Scenario, load_scenario
from simlib.scenario.calibration import Fit
from simlib.scenario.calibration_file import calibrated_text

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
TRUE_MEANS = {"a": 8.0, "b": 4.0}  # days: the review means that produce the targets
TARGET_SEED, FIT_SEED = 11, 5  # the targets and the fit see different random numbers
REPLICATIONS = 6

TWO_OFFICES = """\
# Two independent offices (no queue: 40 reviewers each) and one office nobody visits.
name: two
title: Two offices
calendar: {kind: continuous}
horizon_years: 1
warmup_years: 0.1
seed: 5
demand:
  a: {per_year: 60}
  b: {per_year: 60}
bodies:
  desk_a: {kind: office, staff: 40, review_days: {dist: lognormal, mean: 6, cv: 0.5}}  # A: kept
  desk_b: {kind: office, staff: 40, review_days: {dist: lognormal, mean: 6, cv: 0.5}}
  spare: {kind: office, staff: 1, review_days: {dist: lognormal, mean: 4, cv: 0.5}}
pathways:
  a: [desk_a]
  b: [desk_b]
targets:
  a: {mean_cycle_days: 8}    # D: replaced by the simulated truth in the tests
  b: {mean_cycle_days: 4}
assumptions:
  - {path: bodies.desk_a.review_days.mean, low: 2, high: 12}
  - {path: bodies.desk_b.review_days.mean, low: 2, high: 12}
  - {path: bodies.spare.review_days.mean, low: 1, high: 10}
calibration:
  free: [bodies.desk_a.review_days.mean, bodies.desk_b.review_days.mean,
         bodies.spare.review_days.mean]
  replications: 6
# the last comment
"""


def _write(folder: Path, text: str, name: str = "two.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _truth(scenario: Scenario) -> tuple[Scenario, dict]:
    """The scenario with targets simulated at the true means (seed TARGET_SEED), and those
    simulated estimates."""
    truth = scenario.variant({f"bodies.desk_{p}.review_days.mean": m
                              for p, m in TRUE_MEANS.items()})
    found = estimates(replicate(truth, REPLICATIONS, TARGET_SEED, jobs=1, progress=False),
                      fit_targets(truth))
    changes = {f"targets.{p}.mean_cycle_days": found[f"targets.{p}.mean_cycle_days"].mean
               for p in TRUE_MEANS}
    return scenario.variant(changes), found


@functools.cache
def _fitted(folder: str):
    scenario, truth = _truth(load_scenario(_write(Path(folder), TWO_OFFICES)))
    return calibrate(scenario, jobs=1, seed=FIT_SEED, progress=False), truth


@pytest.fixture(scope="module")
def fitted(tmp_path_factory):
    return _fitted(str(tmp_path_factory.mktemp("fit")))


def _half_width(estimate) -> float:
    return (estimate.high - estimate.low) / 2.0


@pytest.mark.parametrize("pathway", sorted(TRUE_MEANS))
def test_recovers_the_true_review_means(fitted, pathway):
    calibrated, truth = fitted
    key = f"targets.{pathway}.mean_cycle_days"
    target, fit = truth[key], calibrated.fit.targets[key]
    # mean cycle = review mean x sampling factor: relative noise of the two runs combined
    relative = math.hypot(_half_width(target) / target.mean,
                          (fit.ci95[1] - fit.ci95[0]) / 2.0 / fit.simulated)
    recovered = calibrated.fit.parameters[f"bodies.desk_{pathway}.review_days.mean"].fitted
    tolerance = TRUE_MEANS[pathway] * relative + 0.05
    assert abs(recovered - TRUE_MEANS[pathway]) <= tolerance, (recovered, tolerance)
    assert abs(fit.error) < 0.01 * target.mean


def test_penalty_keeps_an_unidentified_parameter_at_its_prior(fitted):
    calibrated, _ = fitted
    spare = calibrated.fit.parameters["bodies.spare.review_days.mean"]
    assert spare.prior == 4.0
    assert abs(spare.fitted - spare.prior) <= 0.02 * (spare.high - spare.low)
    assert "bodies.spare.review_days.mean" not in calibrated.moved()
    assert calibrated.converged


def test_calibrated_scenario_carries_the_fit(fitted):
    calibrated, _ = fitted
    scenario = calibrated.scenario
    assert scenario.calibration.fit == calibrated.fit
    for path, item in calibrated.fit.parameters.items():
        assert scenario.value_at(path) == item.fitted


@pytest.mark.slow
def test_calibrating_a_calibrated_scenario_repeats_the_fit(fitted):
    calibrated, _ = fitted
    again = calibrate(calibrated.scenario, jobs=1, seed=FIT_SEED, progress=False)
    assert again.fit.parameters == calibrated.fit.parameters  # same priors, same search
    assert again.fit.targets == calibrated.fit.targets


# --- the command and the calibrated file -----------------------------------------------


def _run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_out_writes_a_file_that_keeps_comments_and_reproduces_the_fit(tmp_path, capsys):
    source = _write(tmp_path, TWO_OFFICES)
    out = tmp_path / "calibrated.yaml"
    status, text, err = _run(capsys, "calibrate", source, "--jobs", "1", "--max-evaluations",
                             "6", "--replications", "4", "--out", out)
    assert status == 0, err
    assert "Fit: documented targets" in text and f"wrote {out}" in text
    assert source.read_text(encoding="utf-8") == TWO_OFFICES  # the input is untouched
    written = out.read_text(encoding="utf-8")
    for comment in ("# Two independent offices", "# A: kept", "# D: replaced", "# the last"):
        assert comment in written
    scenario = load_scenario(out)
    fit = scenario.calibration.fit
    assert fit is not None and fit.replications == 4 and fit.evaluations <= 6
    for path, item in fit.parameters.items():
        assert scenario.value_at(path) == item.fitted
    again = estimates(replicate(scenario, fit.replications, fit.seed, jobs=1, progress=False),
                      fit_targets(scenario))
    for key, item in fit.targets.items():
        assert round(float(again[key].mean), 2) == item.simulated


def test_json_output(tmp_path, capsys):
    import json

    status, text, _ = _run(capsys, "calibrate", _write(tmp_path, TWO_OFFICES), "--jobs", "1",
                           "--max-evaluations", "3", "--replications", "3", "--format", "json")
    assert status == 0
    result = json.loads(text)
    assert result["replications"] == 3 and result["out"] is None
    assert set(result["targets"]) == {"targets.a.mean_cycle_days", "targets.b.mean_cycle_days"}
    assert result["parameters"]["bodies.spare.review_days.mean"]["prior"] == 4.0


@pytest.mark.parametrize(("old", "new", "place", "phrase"), [
    ("bodies.spare.review_days.mean]", "bodies.spare.review_days.median]",
     "calibration.free.2", "does not exist"),
    ("bodies.spare.review_days.mean]", "bodies.spare.staff]", "calibration.free.2",
     "not among the assumptions"),
    ("bodies.desk_b.review_days.mean,", "bodies.desk_a.review_days.mean,", "calibration.free",
     "listed twice"),
    ("  replications: 6\n", "  replications: 6\n  sla: {spare: {at_least: 0.5}}\n",
     "calibration.sla.spare", "sla_days"),
    ("  replications: 6\n", "  replications: 6\n  weight: 1\n", "calibration.weight",
     "unknown key"),
])
def test_bad_calibration_block_is_one_line_naming_the_key(tmp_path, capsys, old, new, place,
                                                          phrase):
    path = _write(tmp_path, TWO_OFFICES.replace(old, new))
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    message = str(raised.value)
    assert "\n" not in message and message.startswith(f"{path}: {place}: "), message
    assert phrase in message
    status, out, err = _run(capsys, "calibrate", path, "--jobs", "1")
    assert (status, out, err) == (2, "", message + "\n")


def test_no_targets_is_an_error(tmp_path):
    text = TWO_OFFICES.replace("  a: {mean_cycle_days: 8}", "  a: {}")
    text = text.replace("  b: {mean_cycle_days: 4}", "  b: {source: none}")
    with pytest.raises(ScenarioError, match=r"two\.yaml: calibration: no targets to fit"):
        load_scenario(_write(tmp_path, text))


def test_value_outside_its_range_and_whole_numbers_are_refused(tmp_path, capsys):
    outside = TWO_OFFICES.replace("mean: 4, cv", "mean: 40, cv")
    with pytest.raises(CalibrationError, match=r"^calibration\.free\.2: .* outside"):
        calibrate(load_scenario(_write(tmp_path, outside)), jobs=1)
    whole = TWO_OFFICES.replace("  - {path: bodies.spare.review_days.mean, low: 1, high: 10}",
                                "  - {path: bodies.spare.staff, low: 1, high: 10}")
    path = _write(tmp_path, whole.replace("bodies.spare.review_days.mean]",
                                          "bodies.spare.staff]"))
    status, _, err = _run(capsys, "calibrate", path, "--jobs", "1")
    assert status == 2 and err.startswith(f"{path}: calibration.free.2: bodies.spare.staff")
    assert err.count("\n") == 1


def test_command_errors_exit_2(tmp_path, capsys):
    plain = TWO_OFFICES[: TWO_OFFICES.index("calibration:")]
    status, _, err = _run(capsys, "calibrate", _write(tmp_path, plain), "--jobs", "1")
    assert status == 2 and "calibration.free: no assumptions to fit" in err and err.count("\n") == 1
    status, _, err = _run(capsys, "calibrate", _write(tmp_path, TWO_OFFICES), "--out",
                          tmp_path / "no" / "such" / "folder.yaml")
    assert status == 2 and "does not exist" in err
    status, _, err = _run(capsys, "calibrate", tmp_path / "missing.yaml")
    assert status == 2 and "not found" in err
    status, _, err = _run(capsys, "calibrate", _write(tmp_path, TWO_OFFICES), "--jobs", "0")
    assert status == 2 and "--jobs" in err
    status, _, err = _run(capsys, "calibrate", _write(tmp_path, TWO_OFFICES),
                          "--replications", "1", "--jobs", "1")
    assert status == 2 and "at least 2" in err and err.count("\n") == 1


def _fit(values: dict[str, float]) -> Fit:
    """A fit record with the given fitted values (no simulation)."""
    return Fit(
        date="2025-01-01", replications=2, seed=1, evaluations=1, objective=0.0,
        parameters={path: {"prior": 6.0, "fitted": value, "low": 2.0, "high": 12.0}
                    for path, value in values.items()},
        targets={"targets.a.mean_cycle_days": {"target": 8.0, "simulated": 8.0,
                                               "ci95": [7.5, 8.5], "error": 0.0}},
    )


def test_a_what_if_is_calibrated_under_its_set(tmp_path):
    _write(tmp_path, TWO_OFFICES)
    what_if = ("extends: two.yaml\nname: w\nset:\n  bodies.desk_a.review_days.mean: 7   # A\n"
               "calibration:\n  free: [bodies.desk_a.review_days.mean]\n")
    text = calibrated_text(what_if, _fit({"bodies.desk_a.review_days.mean": 7.25}))
    assert "  bodies.desk_a.review_days.mean: 7.25 # A\n" in text
    scenario = load_scenario(_write(tmp_path, text, "w.yaml"))
    assert scenario.value_at("bodies.desk_a.review_days.mean") == 7.25
    assert scenario.calibration.fit.targets["targets.a.mean_cycle_days"].ci95 == (7.5, 8.5)


def test_a_value_not_written_in_the_file_is_not_edited():
    with pytest.raises(YamlTextError, match=r"^pathways\.a\.0\.withdraw_p: cannot edit"):
        calibrated_text(TWO_OFFICES, _fit({"pathways.a.0.withdraw_p": 0.1}))


def test_what_ifs_do_not_inherit_the_calibration(tmp_path):
    _write(tmp_path, TWO_OFFICES)
    what_if = "extends: two.yaml\nname: faster\nset:\n  bodies.desk_a.staff: 50\n"
    assert load_scenario(_write(tmp_path, what_if, "faster.yaml")).calibration is None


# --- the shipped baseline ----------------------------------------------------------------


def test_baseline_records_a_fit_that_matches_its_targets():
    scenario = load_scenario(BASELINE)
    fit = scenario.calibration.fit
    assert fit is not None, "run mcsim calibrate scenarios/baseline.yaml --out ..."
    for path, item in fit.parameters.items():
        assert scenario.value_at(path) == item.fitted, f"{path} changed since the fit"
        assert item.low <= item.fitted <= item.high
    for pathway, target in scenario.targets.items():
        item = fit.targets[f"targets.{pathway}.mean_cycle_days"]
        assert item.target == target.mean_cycle_days
        low, high = item.ci95
        assert low <= target.mean_cycle_days <= high, (pathway, item)
        assert abs(item.error) < 0.01 * target.mean_cycle_days
    assert fit.targets["calibration.sla.mc.at_least"].error == 0


@pytest.mark.slow
def test_baseline_fit_holds_with_other_random_numbers():
    """40 replications of another seed: the documented means lie within the simulated 95%
    CI widened by the fit's own CI half-width (its sampling error)."""
    scenario = load_scenario(BASELINE)
    fit = scenario.calibration.fit
    results = replicate(scenario, 40, fit.seed + 1, progress=False)
    found = estimates(results, fit_targets(scenario))
    for key, item in fit.targets.items():
        if item.bound == "equal":
            slack = (item.ci95[1] - item.ci95[0]) / 2.0
            assert found[key].low - slack <= item.target <= found[key].high + slack, key


def test_baseline_free_parameters_are_assumptions_with_ranges():
    raw = yaml.safe_load(BASELINE.read_text(encoding="utf-8"))
    uncertain = {item["path"] for item in raw["assumptions"]}
    assert set(raw["calibration"]["free"]) <= uncertain
