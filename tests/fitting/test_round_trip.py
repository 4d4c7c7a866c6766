"""Round trip on known truths: simulate 8 years of an office, fit the record, and check the
fitted values, their 95% intervals and the fitted scenario's cycle times against the truth.

Truths: the baseline, examples/office-truth.yaml (other meeting rule and revision rates)
and tests/fitting/irregular-committee.yaml (a committee meeting on a list of dates).
"""

import os
from pathlib import Path

import pytest

from simlib.experiments.results import replicate
from simlib.fitting import fit_history
from simlib.records.history import simulated_history
from simlib.scenario import load_scenario

pytestmark = pytest.mark.slow  # a fit of three simulated records: minutes

SEED = 2026
ROOT = Path(__file__).resolve().parents[2]
TRUTHS = ("baseline", "office", "irregular")


def truth_value(truth, path):
    """The truth's value of a fitted parameter's path (seasonality weights normalised to
    mean 1, a duration's cv as its spread, a step without revise: revise.p 0)."""
    parts = path.split(".")
    if parts[-2] == "seasonality":
        weights = truth.value_at(".".join(parts[:-1]))
        return weights[int(parts[-1])] * 12 / sum(weights)
    if parts[-1] == "cv":
        spec = truth.value_at(".".join(parts[:-1]))
        return {"exponential": 1.0, "fixed": 0.0}.get(spec["dist"], spec.get("cv"))
    try:
        return truth.value_at(path)
    except KeyError:
        if path.endswith("revise.p"):
            return 0.0
        raise


def tolerance(path, truth):
    """The tolerance of the round trip: 0.05 for a chance, 15% for a mean (None: no
    tolerance, e.g. a cv or a seasonal weight, judged by its interval only)."""
    if path.endswith(("revise.p", "withdraw_p")) or ".mix." in path:
        return 0.05
    if path.endswith((".mean", ".per_year")):
        return 0.15 * truth
    return None


@pytest.fixture(scope="module")
def trips(baseline, office_truth, irregular_truth, tmp_path_factory):
    """Per truth: (truth, fit, the fitted scenario loaded from the what-if file)."""
    truths = {"baseline": baseline.variant({"horizon_years": 8}), "office": office_truth,
              "irregular": irregular_truth}
    folder = tmp_path_factory.mktemp("fitted")
    found = {}
    for key, truth in truths.items():
        fit = fit_history(simulated_history(truth, seed=SEED), baseline)
        out = folder / f"{key}.yaml"
        base = os.path.relpath(ROOT / "scenarios" / "baseline.yaml", folder)
        out.write_text(fit.whatif_yaml(base, f"{key}.csv"))
        found[key] = (truth, fit, load_scenario(out))
    return found


@pytest.mark.parametrize("key", TRUTHS)
def test_the_fitted_whatif_loads_and_changes_only_what_was_fitted(trips, baseline, key):
    _, fit, fitted = trips[key]
    assert fitted.bodies["mc"].members == baseline.bodies["mc"].members
    assert fitted.bodies["mc"].agenda_lead_days == baseline.bodies["mc"].agenda_lead_days
    assert fitted.warmup_years == baseline.warmup_years
    for path, value in fit.changes().items():
        assert path.split(".")[0] in {"calendar", "demand", "bodies", "pathways"}
        assert fitted.value_at(path) is not None, value


@pytest.mark.parametrize("key", TRUTHS)
def test_precise_estimates_are_within_tolerance_of_the_truth(trips, key):
    truth, fit, _ = trips[key]
    off = []
    for parameter in fit.parameters:
        expected = truth_value(truth, parameter.path)
        allowed = tolerance(parameter.path, expected)
        half_width = (parameter.ci95[1] - parameter.ci95[0]) / 2
        precise = allowed is not None and half_width <= allowed  # the record can tell
        if precise and abs(parameter.value - expected) > allowed:
            off.append(f"{parameter.path}: {parameter.value} vs {expected}")
    assert not off, off


def test_the_intervals_hold_the_truth_at_least_90_percent_of_the_time(trips):
    held = total = 0
    missed = []
    for truth, fit, _ in trips.values():
        for parameter in fit.parameters:
            expected = truth_value(truth, parameter.path)
            inside = parameter.ci95[0] - 1e-9 <= expected <= parameter.ci95[1] + 1e-9
            held += inside
            total += 1
            if not inside:
                missed.append(parameter.path)
    assert total > 150
    assert held / total >= 0.9, missed


def test_the_meetings_are_found(trips):
    assert trips["office"][1].meetings["mc"]["rule"] == {"weekday": "tue", "nth": [1, 3]}
    assert trips["baseline"][1].meetings["mc"]["rule"]["every_weeks"] == 2
    assert "dates" in trips["irregular"][1].meetings["fs_program_review"]


# Non-credit cycle times are bimodal (proposals that reach the committee in term, and those
# that wait over the summer), so their P90 falls between the modes and 30 replications
# estimate it to about 10% alone; 100 replications on common random numbers keep the
# simulation's own noise well inside the 10% being tested. The record's sampling error is
# what remains: one 8-year record holds about 40 non-credit and 100 credit proposals.
REPLICATIONS = 100


@pytest.mark.parametrize("key", TRUTHS)
def test_the_fitted_scenario_reproduces_the_cycle_times(trips, key):
    truth, _, fitted = trips[key]
    expected = replicate(truth, REPLICATIONS, 7, jobs=1).pathways
    found = replicate(fitted, REPLICATIONS, 7, jobs=1).pathways
    for pathway in ("credit", "noncredit"):
        assert found.loc[pathway, "cycle_days_mean"] == pytest.approx(
            expected.loc[pathway, "cycle_days_mean"], rel=0.05)
        assert found.loc[pathway, "cycle_days_p90"] == pytest.approx(
            expected.loc[pathway, "cycle_days_p90"], rel=0.10)
