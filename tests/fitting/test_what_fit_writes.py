"""What a fit writes loads, and says what it could not estimate: a step the base names by
its body alone gains its fitted values as one mapping; a parallel group's branches and a
body's second step are addressed by paths that exist; a step or pathway where nothing was
approved, a meeting rule from a few dates, a rate from a short record are each reported in
one line instead of fitted; the span the demand is fitted over is stated."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simlib.fitting import fit_history
from simlib.fitting.draws import bootstrap_draws
from simlib.fitting.meetings import MIN_RULE_DATES, fit_meetings
from simlib.fitting.observations import committee_intervals, full_meetings
from simlib.fitting.record import prepare, step_paths
from simlib.records.history import History, simulated_history
from simlib.scenario import load_scenario, load_scenario_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def record(office_truth) -> History:
    """Two years of the example office (about 35 proposals)."""
    return simulated_history(office_truth.variant({"horizon_years": 2}), seed=5)


def loads(fit, base_path: Path, folder: Path, posterior=None):
    """The fitted what-if, written beside ``folder`` and loaded as mcsim validate loads it."""
    out = folder / "fitted.yaml"
    reference = os.path.relpath(base_path, folder)
    return load_scenario_text(fit.whatif_yaml(reference, "record.csv", posterior), out)


def edited(history: History, visits: pd.DataFrame) -> History:
    return History(visits.reset_index(drop=True), history.as_of, "edited")


def test_a_withdrawal_at_a_plain_step_is_written_as_the_whole_step(record, baseline,
                                                                    tmp_path):
    visits = record.visits
    dean = visits[(visits["pathway"] == "credit") & (visits["step"] == "dean")
                  & (visits["decision"] == "approve")].iloc[0]
    later = (visits["proposal"] == dean["proposal"]) & (visits["arrived"] > dean["arrived"])
    visits = visits[~later].copy()
    visits.loc[dean.name, "decision"] = "withdraw"
    fit = fit_history(edited(record, visits), baseline)
    value = fit.changes()["pathways.credit.dean"]
    assert value["body"] == "dean" and value["withdraw_p"] > 0
    assert "pathways.credit.dean.withdraw_p" not in fit.changes()
    fitted = loads(fit, ROOT / "scenarios" / "baseline.yaml", tmp_path,
                   bootstrap_draws(fit, baseline.variant(fit.changes()), count=20))
    assert fitted.value_at("pathways.credit.dean.withdraw_p") == value["withdraw_p"]
    assert fitted.value_at("pathways.credit.dean.body") == "dean"


def test_a_parallel_branch_is_set_inside_its_group(tmp_path):
    path = ROOT / "scenarios" / "parallel-senate-review.yaml"
    base = load_scenario(path)
    fit = fit_history(simulated_history(base.variant({"horizon_years": 2}), seed=5), base)
    branch = "pathways.credit.council+program_review.parallel.ug_education.revise.p"
    assert branch in fit.changes()
    assert loads(fit, path, tmp_path).value_at(branch) == fit.changes()[branch]


def test_a_step_without_a_name_of_its_own_is_set_by_its_place(baseline):
    base = baseline.variant({
        "pathways.noncredit": ["department", "dean", "owd", "mc", "owd"],
        "pathways.credit.grad_council": {"parallel": [{"body": "grad_council"},
                                                      {"body": "ug_education"}]},
        "pathways.credit.ug_education": None})
    paths = step_paths(base)
    assert paths[("noncredit", "owd")] == "pathways.noncredit.2"
    assert paths[("noncredit", "owd (2)")] == "pathways.noncredit.4"
    assert paths[("credit", "ug_education")] == "pathways.credit.3.parallel.ug_education"
    assert paths[("credit", "mc")] == "pathways.credit.mc"
    changed = base.variant({f"{paths[('noncredit', 'owd (2)')]}.withdraw_p": 0.25})
    assert [step.withdraw_p for step in changed.pathways["noncredit"]] == [0, 0, 0, 0, 0.25]


def test_a_pathway_where_nothing_was_approved_is_reported_not_fitted(record, baseline,
                                                                      tmp_path):
    first = record.visits.sort_values(["arrived", "row"]).groupby("proposal").head(1).copy()
    first["decided"] = first["arrived"] + pd.Timedelta(days=2)
    first["decision"] = "withdraw"
    fit = fit_history(edited(record, first), baseline)
    assert [line for line in fit.shortfalls if line.startswith("pathways.")] == [
        f"pathways.{name}: no decision in the record approved (every one withdraw or "
        "revise): its steps' chances are not fitted, the base's stay; check the record's "
        "decisions" for name in ("credit", "noncredit")]
    assert not any(".withdraw_p" in path or path.endswith(("department", "dean"))
                   for path in fit.changes())
    assert "demand.credit.per_year" in fit.changes()
    loads(fit, ROOT / "scenarios" / "baseline.yaml", tmp_path)


def test_a_step_that_never_approved_keeps_the_base_and_says_so(record, baseline):
    visits = record.visits.copy()
    owd = (visits["step"] == "owd") & (visits["decision"] == "approve")
    visits.loc[owd, "decision"] = "withdraw"
    fit = fit_history(edited(record, visits), baseline)
    line = next(line for line in fit.shortfalls if line.startswith("pathways.credit.owd:"))
    assert "none approved, so the step would never approve" in line
    assert not any(path.startswith("pathways.credit.owd") for path in fit.changes())


def test_a_short_record_keeps_the_base_demand_and_says_why(record, baseline):
    start = record.visits["arrived"].min()
    short = record.visits[record.visits["arrived"] < start + pd.Timedelta(days=60)]
    history = History(short.reset_index(drop=True), (start + pd.Timedelta(days=60)).date(),
                      "short")
    fit = fit_history(history, baseline)
    assert "demand.credit.per_year" not in fit.changes()
    line = next(line for line in fit.shortfalls if line.startswith("demand.credit.per_year"))
    assert "a rate needs 5 over 90 days or more: the base's 8 a year stays" in line


def test_a_meeting_rule_needs_several_dates_over_a_term(record, office_truth):
    prepared = prepare(record, office_truth)
    mc = prepared.visits[(prepared.visits["body"] == "mc") & (prepared.visits["decided_day"] >= 0)]
    days = np.unique(mc["decided_day"])
    few = fit_meetings(prepared, days[:2])
    assert few.meets.dates is not None and len(few.meets.dates) == 2
    assert few.shortfall.startswith("2 decision dates over ")
    assert f"a rule needs {MIN_RULE_DATES} over 112 days or more" in few.shortfall
    many = fit_meetings(prepared, days)
    assert many.meets.nth == (1, 3) and many.shortfall == ""


def test_meetings_that_each_decided_a_full_agenda_bound_no_reading_from_below(record,
                                                                            office_truth):
    prepared = prepare(record, office_truth)
    visits = prepared.visits[prepared.visits["body"] == "mc"]
    meetings = np.unique(visits.loc[visits["decided_day"] >= 0, "decided_day"])
    lower, upper = committee_intervals(prepared, visits, meetings, 1.0, full=meetings)
    assert len(lower) and np.all(lower == 0.0) and np.all(upper > 0.0)
    assert len(full_meetings(visits, 1)) == len(meetings)


def test_a_fit_with_nothing_to_draw_has_no_posterior(record, baseline):
    first = record.visits.sort_values(["arrived", "row"]).head(1)
    fit = fit_history(edited(record, first), baseline)
    assert fit.parameters == () and bootstrap_draws(fit, baseline) is None
    assert fit.to_dict()["span"]["from"] == first["arrived"].iloc[0].date().isoformat()


def test_the_span_of_the_demand_is_stated(record, baseline):
    fit = fit_history(record, baseline)
    start = record.visits["arrived"].min().date()
    assert fit.span == (start, record.as_of)
    span = fit.to_dict()["span"]
    assert span["to"] == record.as_of.isoformat() and 1.9 < span["years"] < 2.1
    comment = next(setting.comment for setting in fit.settings
                   if setting.path == "demand.credit.per_year")
    assert f"over {start.isoformat()} to {record.as_of.isoformat()}" in comment
    assert dt.date.fromisoformat(span["from"]) == start
