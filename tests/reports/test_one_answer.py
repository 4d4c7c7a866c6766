"""One answer, three renderings: the command line's text, the JSON and the report page of
an answer show the same figures, because each renderer only reads the answer computed once.

The tiny office with uncertain desk review times (posterior draws), a few runs: the checks
are that the renderings agree, not what the numbers are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support.scenarios import DESK, small_scenario, uncertain_office

from simlib import answers, load_scenario
from simlib.formats.words import days, fixed, percent, signed, span
from simlib.planning.pipeline import read_pipeline
from simlib.records.history_files import read_history
from simlib.reports import assumptions, console, deadlines, record, today, whatifs
from simlib.reports.unknowns import RANGE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
QUICK = {"jobs": 1, "progress": False}
DRAWS = {"uncertainty": True, "draws": 6, "draw_replications": 2}


@pytest.fixture(scope="module")
def office():
    return small_scenario(**uncertain_office())


def test_a_run_shows_one_mean_and_one_range_everywhere(office):
    answer = answers.run(office, 4, 5, **DRAWS, **QUICK)
    figure = answer.cycle("p")
    cycle = answer.to_dict()["pathways"]["p"]["cycle_days"]
    assert cycle["mean"] == pytest.approx(figure.value)
    assert cycle["predictive95"] == pytest.approx(list(figure.range95))
    assert figure.range95[0] < figure.range95[1]
    assert today.cycle_table(answer)["Mean days"].iloc[0] == days(figure.value)
    row = next(line.split() for line in console.run_text(answer).splitlines()
               if line.startswith("p "))
    assert row[4] == days(figure.value)  # pathway, approved, withdrawn, unfinished, mean
    assert f"95% range {span(*figure.range95)}" in today.what_we_dont_know(answer)


def test_a_comparison_shows_one_difference_and_one_range_everywhere(office):
    faster = office.variant({"title": "The desk reviews in a day", DESK: 1.0}, name="fast")
    answer = answers.compare(office, [faster], 4, 5, **DRAWS, **QUICK)
    figure = answer.difference("fast", "p")
    row = answer.to_dict()["alternatives"]["fast"]["pathways"]["p"]
    assert row["mean_diff_days"] == pytest.approx(figure.value)
    assert row["difference_predictive95"] == pytest.approx(list(figure.range95))
    assert row["p_shorter"] == pytest.approx(figure.p_below_zero)
    page = whatifs.differences(answer).set_index("name").loc["fast"]
    assert (page["mean_diff_days"], page["range_low"], page["range_high"]) == pytest.approx(
        (figure.value, *figure.range95))
    assert page["p_faster"] == pytest.approx(figure.p_below_zero)
    line = next(line for line in console.comparison_text(answer).splitlines()
                if line.startswith("fast "))
    assert signed(figure.value, 1) in line.split()


PRICES = {"bodies.board.hours": {"per_meeting": 2.0, "per_item": 0.5},
          "bodies.desk.hours.per_review": 1.0}


def test_a_priced_run_shows_one_cost_everywhere(office):
    answer = answers.run(office.variant(PRICES), 4, 5, **DRAWS, **QUICK)
    figure = answer.hours("faculty")
    faculty = answer.to_dict()["hours"]["faculty_per_year"]
    assert faculty["mean"] == pytest.approx(figure.value)
    assert faculty["predictive95"] == pytest.approx(list(figure.range95))
    row = next(line for line in console.run_text(answer).splitlines()
               if line.startswith("faculty (committees)"))
    assert row.split()[2] == fixed(figure.value)
    per_approved = answer.hours("per_approved").value
    assert answer.to_dict()["hours"]["per_approved"]["mean"] == pytest.approx(per_approved)
    assert fixed(per_approved, 1) in next(line for line in console.run_text(answer).splitlines()
                                          if line.startswith("per approved proposal"))


def test_a_priced_comparison_shows_one_change_in_hours_everywhere(office):
    priced = office.variant(PRICES)
    dearer = priced.variant({"title": "Faster desk, longer meetings", DESK: 1.0,
                             "bodies.board.hours.per_meeting": 4.0}, name="dearer")
    answer = answers.compare(priced, [dearer], 4, 5, **DRAWS, **QUICK)
    figure = answer.hours_change("dearer", "faculty")
    entry = console.comparison_json(answer)["alternatives"]["dearer"]
    item = entry["hours"]["faculty_per_year"]
    assert item["change"] == pytest.approx(figure.value)
    assert item["predictive95"] == pytest.approx(list(figure.range95))
    line = next(line for line in console.comparison_text(answer).splitlines()
                if line.startswith("dearer ") and "faculty (committees)" in line)
    assert signed(figure.value) in line.split()
    page = whatifs.price_table(answer).loc[("Faster desk, longer meetings", "p")]
    assert f"{fixed(figure.value)} hours more" in page["Faculty hours a year (95% CI)"]
    sentence = entry["hours"]["trade"]["p"]["sentence"]
    assert sentence in console.comparison_text(answer)
    assert f"- {sentence}" in whatifs.sentences(answer)
    price = f"costs {fixed(figure.value)} faculty hours a year"
    assert price in sentence
    assert price in whatifs.bottom_line(answer).lines[0]
    assert price in whatifs.bottom_line(answer).lines[2]
    assert price in whatifs.summary(answer)


def test_a_plan_shows_one_latest_date_everywhere(office):
    answer = answers.plan(office, "p", None, "2024-12-02", 0.8, 6, 5, jobs=1)
    latest = answer.plan.latest_submission()
    assert latest is not None
    assert answer.to_dict()["latest_submission"] == latest.isoformat()
    median, p90 = answer.plan.cycle_days(latest)
    sentence = console.plan_text(answer).splitlines()[0]
    assert f"submit a p proposal by {latest}" in sentence
    assert f"takes {days(median)} days for half" in sentence
    page = deadlines.deadline_table(answer).iloc[0]
    assert (page["Median days"], page["P90 days"]) == (days(median), days(p90))
    assert answer.to_dict()["cycle_days_if_submitted_latest"] == pytest.approx(
        {"median": median, "p90": p90})


def test_a_sensitivity_shows_one_swing_and_one_range_everywhere(office):
    answer = answers.sensitivity(office, 4, 5, uncertainty=True, draws=4, **QUICK)
    row = answer.to_dict()["pathways"]["p"]["swings"][0]
    table = answer.study.top("p").iloc[0]
    assert row["swing_mean"] == pytest.approx(table["swing_mean"])
    assert row["swing_mean_predictive95_low"] == pytest.approx(
        table["swing_mean_predictive95_low"])
    page = assumptions.swing_table(answer).iloc[0]
    assert page["Swing in days (95% CI)"].startswith(signed(row["swing_mean"]))
    assert page[f"Swing {RANGE}"] == span(row["swing_mean_predictive95_low"],
                                          row["swing_mean_predictive95_high"])
    line = next(line for line in console.sensitivity_text(answer, ["p"]).splitlines()
                if line.startswith(row["assumption"]))
    assert signed(row["swing_mean"], 1) in line.split()


def test_a_backtest_shows_one_comparison_with_the_record_everywhere():
    scenario = load_scenario(EXAMPLES / "office-fitted.yaml")
    backtest = answers.backtest(scenario, read_history(EXAMPLES / "history.csv", scenario), 3,
                                5, jobs=1)
    item = next(iter(backtest.pathways.values()))
    data = console.backtest_json(backtest)["pathways"][item.pathway]
    assert data["simulated"]["mean"] == pytest.approx(item.simulated["mean"])
    page = record.cycle_table(backtest).iloc[0]  # the first pathway's mean
    assert page["simulated days"] == days(item.simulated["mean"])
    assert console.backtest_json(backtest)["verdict"]["sentence"] == record.verdict_sentence(
        backtest)
    assert record.verdict_sentence(backtest) in console.backtest_text(backtest)


def test_a_forecast_shows_one_chance_per_proposal_everywhere():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    as_of = dt.date(2026, 12, 1)
    proposals = read_pipeline(EXAMPLES / "pipeline.csv", scenario, as_of)
    result = answers.forecast(scenario, proposals, as_of, 3, 5, jobs=1)
    first = result.to_dict()["proposals"][0]
    page = deadlines.forecast_table(result).iloc[0]
    assert page["Approved at all"] == percent(first["p_approved"])
    row = next(line.split() for line in console.forecast_text(result).splitlines()
               if line.startswith(f"{first['id']} "))
    assert percent(first["p_approved"]) in row
