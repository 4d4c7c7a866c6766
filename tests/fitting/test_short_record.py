"""A short record (2 years, about 25 proposals): the fit runs, says its intervals are wide,
and they still hold the truth."""

import os
from pathlib import Path

import pytest

from simlib.fitting import fit_history
from simlib.records.history import History, simulated_history
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def short(office_truth, baseline):
    truth = office_truth.variant({"horizon_years": 2, "demand.credit.per_year": 8,
                                  "demand.noncredit.per_year": 4.5})
    history = simulated_history(truth, seed=31)
    return truth, history, fit_history(history, baseline)


def test_the_fit_of_a_short_record_says_its_intervals_are_wide(short):
    _, history, fit = short
    assert 18 <= history.proposals <= 35
    assert fit.wide
    assert fit.to_dict()["wide"] is True
    per_year = fit.parameter("demand.credit.per_year")
    assert per_year.ci95[1] / per_year.ci95[0] > 1.8


def test_the_wide_intervals_still_hold_the_truth(short):
    truth, _, fit = short
    held = total = 0
    for parameter in fit.parameters:
        parts = parameter.path.split(".")
        if parts[-1] == "cv":
            expected = truth.value_at(".".join(parts[:-1])).get("cv", 1.0)
        else:
            try:
                expected = truth.value_at(parameter.path)
            except KeyError:
                expected = 0.0  # a step without revise: revise.p 0
        held += parameter.ci95[0] - 1e-9 <= expected <= parameter.ci95[1] + 1e-9
        total += 1
    assert total > 20
    assert held / total >= 0.9


@pytest.mark.slow
def test_a_long_record_is_not_called_short(office_truth, baseline):
    fit = fit_history(simulated_history(office_truth, seed=32), baseline)
    assert not fit.wide


def test_a_record_without_visits_gives_a_whatif_that_changes_nothing(baseline, tmp_path):
    history = simulated_history(baseline, seed=33)
    empty = History(history.visits.iloc[:0].copy(), history.as_of, "empty")
    fit = fit_history(empty, baseline)
    assert fit.parameters == () and fit.settings == ()
    out = tmp_path / "fitted.yaml"
    reference = os.path.relpath(ROOT / "scenarios" / "baseline.yaml", tmp_path)
    out.write_text(fit.whatif_yaml(reference, "empty.csv"))
    assert load_scenario(out).demand == baseline.demand


@pytest.mark.slow
def test_revision_chances_that_change_by_round_are_reported(office_truth, baseline):
    truth = office_truth.variant({"pathways.credit.mc.revise.max_rounds": 1,
                                  "pathways.credit.mc.revise.p": 0.5})
    fit = fit_history(simulated_history(truth, seed=34), baseline)
    parameter = fit.parameter("pathways.credit.mc.revise.p")
    assert parameter.extra["by_round"]["1+"] == 0.0  # no second revision request
    assert parameter.extra["by_round"]["0"] > 0.35
    assert "differs by round" in fit.whatif_yaml("b.yaml", "x")
    same = fit.parameter("pathways.credit.ug_education.revise.p")
    assert "by_round" not in same.extra
