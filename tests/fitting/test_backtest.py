"""The backtest against known truth: the office's own scenario reproduces its simulated
record; a model with a slower dean's office is caught at that step by about the days it adds;
the Kaplan-Meier estimate recovers a known distribution from censored times; and what a
leader reads of it: one sentence, the same in the CLI table, the summary and the bottom
line, the tables and the two figures."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import simlib
from simlib.engine.model import simulate
from simlib.errors import InputError
from simlib.fitting.backtest import backtest_results, outcome_chances, recorded_proposals
from simlib.fitting.survival import kaplan_meier
from simlib.formats.words import pathway_words, signed
from simlib.records.history import History, history_from_events, simulated_history
from simlib.reports import console
from simlib.reports import record as page
from simlib.reports.build import NEGATIVE_ZERO

TRUTH_PATH = Path(__file__).resolve().parents[2] / "examples" / "office-truth.yaml"
TRUTH = simlib.load_scenario(TRUTH_PATH)
# The dean's review time doubled (the truth's gamma mean 6 working days): each dean visit
# takes 6 more working days of review, about 8 calendar days, plus a little more queueing.
SLOWER_DEAN = {"bodies.dean.review_days": {"dist": "gamma", "mean": 12, "cv": 0.8}}
REPLICATIONS, SEED = 16, 4


@pytest.fixture(scope="module")
def record() -> History:
    """Eight years of the truth's office, exported on its last day of submissions."""
    return simulated_history(TRUTH, seed=TRUTH.seed)


@pytest.fixture(scope="module")
def truth_backtest(record):
    results = simlib.replicate(TRUTH, REPLICATIONS, SEED, jobs=1, progress=False)
    return backtest_results(results, record)


@pytest.fixture(scope="module")
def slower_backtest(record):
    model = simlib.load_scenario(TRUTH_PATH, overrides=SLOWER_DEAN)
    results = simlib.replicate(model, REPLICATIONS, SEED, jobs=1, progress=False)
    return backtest_results(results, record)


# --- Kaplan-Meier --------------------------------------------------------------------------


def test_kaplan_meier_recovers_an_exponential_through_censoring():
    rng = np.random.default_rng(11)
    scale = 100.0
    times = rng.exponential(scale, 3000)
    seen_until = rng.uniform(0, 250, 3000)  # about a third are still running when last seen
    completed, censored = times[times <= seen_until], seen_until[seen_until < times]
    assert 0.25 < len(censored) / 3000 < 0.45
    km = kaplan_meier(completed, censored)
    median, p90 = scale * np.log(2), scale * np.log(10)
    assert km.quantile(0.5) == pytest.approx(median, rel=0.06)
    assert km.quantile(0.9) == pytest.approx(p90, rel=0.08)
    low, high = km.quantile_interval(0.5)
    assert low < median < high
    assert km.cdf_at([scale])[0] == pytest.approx(1 - np.exp(-1), abs=0.03)
    # dropping the censored times instead would badly understate the median
    assert np.median(completed) < 0.8 * median


def test_kaplan_meier_without_censoring_is_the_empirical_distribution():
    times = np.array([3.0, 1.0, 2.0, 2.0, 5.0])
    km = kaplan_meier(times)
    assert km.quantile(0.5) == 2.0 and km.quantile(0.9) == 5.0
    assert km.cdf_at([0.5, 1, 2, 4.9, 5]).tolist() == [0, 0.2, 0.6, 0.8, 1.0]
    assert not km.restricted
    assert kaplan_meier([1.0, 2.0], [7.0]).restricted  # the longest time is still running
    with pytest.raises(ValueError, match="at least one completed"):
        kaplan_meier([], [3.0])


# --- the record ----------------------------------------------------------------------------


def test_recorded_cycle_times_are_the_logs_submission_to_approval():
    log = simulate(TRUTH, 5, 0)
    events = log.to_frame()
    as_of = TRUTH.calendar.start + dt.timedelta(days=int(TRUTH.horizon_days))
    table = recorded_proposals(history_from_events(log, as_of), TRUTH).set_index("proposal")
    submitted = events[events["kind"] == "submit"].set_index("proposal")["date"]
    ends = events[events["kind"].isin(["approved", "withdrawn"])].set_index("proposal")
    ids = {number: f"P{index:05d}" for index, number in enumerate(submitted.index, start=1)}
    cut = pd.Timestamp(as_of)
    for number, end in ends.iterrows():
        if end["date"] > cut:
            continue
        row = table.loc[ids[number]]
        assert row["outcome"] == end["kind"], number
        assert row["days"] == (end["date"] - submitted[number]).days, number
    still_open = table[table["outcome"] == "open"]
    assert len(still_open) == sum(1 for number in submitted.index
                                  if number not in ends.index or ends.loc[number, "date"] > cut)
    assert (still_open["days"] == (cut - still_open["submitted"]).dt.days).all()


def test_counts_add_up_and_open_proposals_are_censored(truth_backtest, record):
    proposals = recorded_proposals(record, TRUTH)
    for name, item in truth_backtest.pathways.items():
        recorded = item.recorded
        assert recorded["n"] == (proposals["pathway"] == name).sum()
        assert recorded["n"] == recorded["completed"] + recorded["open"] + recorded["withdrawn"]
        assert len(item.recorded_km.censored) == recorded["open"]
        assert recorded["settled"]["open"] <= 1
    assert truth_backtest.pathways["credit"].recorded["open"] > 0  # the test means something


# --- the verdict ---------------------------------------------------------------------------


def test_the_truth_reproduces_its_own_record(truth_backtest):
    assert truth_backtest.verdict.reproduces, truth_backtest.steps
    assert not truth_backtest.steps["beyond_noise"].any()
    for name, item in truth_backtest.pathways.items():
        assert item.ks_p_value > 0.05, name
        assert 0.78 <= item.inside_band_share <= 0.98, name
        low, high = item.recorded["median_ci95"]
        assert low <= item.simulated["median"] <= high, name
        assert item.wasserstein_days < 0.15 * item.simulated["mean"], name


@pytest.mark.slow
def test_a_slower_dean_is_caught_at_the_dean_by_about_the_days_it_adds(slower_backtest,
                                                                       truth_backtest):
    verdict = slower_backtest.verdict
    assert not verdict.reproduces
    assert verdict.step == "dean" and verdict.body == "dean"
    assert 6 <= verdict.days <= 14  # about 8 calendar days of review, plus some queueing
    beyond = slower_backtest.steps[slower_backtest.steps["beyond_noise"]]
    assert set(beyond["step"]) == {"dean"}
    truth_rows = truth_backtest.steps.set_index(["pathway", "step"])
    slow_rows = slower_backtest.steps.set_index(["pathway", "step"])
    added = (slow_rows["simulated_mean_days"] - truth_rows["simulated_mean_days"])
    assert added.loc[(verdict.pathway, "dean")] == pytest.approx(verdict.days, abs=3)


def test_the_truths_outcomes_are_the_models(truth_backtest):
    for name, item in truth_backtest.pathways.items():
        outcomes = item.outcomes
        assert outcomes["p_value"] > 0.05, name
        assert sum(outcomes["recorded"].values()) == item.recorded["n"]
        assert sum(outcomes["expected"].values()) == pytest.approx(item.recorded["n"])
    assert truth_backtest.verdict.kind == "all"
    assert truth_backtest.verdict.finished == sum(
        item.recorded["completed"] + item.recorded["withdrawn"]
        for item in truth_backtest.pathways.values())


def test_the_models_chances_at_an_age_are_the_shares_ended_by_then():
    table = pd.DataFrame({"outcome": ["approved", "approved", "withdrawn", "in_progress"],
                          "ended_days": [10.0, 30.0, 5.0, np.nan]})
    chances = outcome_chances(table, np.array([0.0, 5.0, 20.0, 40.0]))
    assert chances.tolist() == [[0.0, 0.0, 1.0], [0.0, 0.25, 0.75], [0.25, 0.25, 0.5],
                                [0.5, 0.25, 0.25]]


def _first_visits(record: History, decision: str) -> History:
    """Each proposal's first visit only, decided ``decision`` as recorded (or all open)."""
    first = record.visits.sort_values(["arrived", "row"]).groupby("proposal").head(1).copy()
    if not decision:
        first["decided"], first["decision"] = pd.NaT, ""
    else:
        first["decision"] = np.where(first["decided"].notna(), decision, "")
    return History(first.reset_index(drop=True), record.as_of, "edited.csv")


def test_a_record_where_nothing_has_finished_gets_no_verdict(truth_backtest, record):
    found = backtest_results(truth_backtest.results, _first_visits(record, ""))
    assert found.verdict.reproduces is None and found.verdict.kind == "evidence"
    assert found.verdict.finished == 0
    sentence = page.verdict_sentence(found)
    assert sentence == (f"No verdict: too few proposals have finished to judge the model (0 of "
                        f"the {record.proposals} recorded are approved or withdrawn; a verdict "
                        "needs 10).")
    assert page.bottom_line(found).lines[2].startswith("Do not plan on this check")
    assert console.backtest_json(found)["verdict"]["reproduces"] is None


def test_a_record_withdrawn_throughout_misses_the_models_outcomes(truth_backtest, record):
    found = backtest_results(truth_backtest.results, _first_visits(record, "withdraw"))
    verdict = found.verdict
    assert verdict.reproduces is False and verdict.kind == "outcomes"
    item = found.pathways[verdict.pathway]
    assert item.outcomes["recorded"]["approved"] == 0 and item.outcomes["p_value"] < 0.01
    sentence = page.verdict_sentence(found)
    assert sentence.startswith(f"The model misses the {pathway_words(verdict.pathway)} "
                               "record's outcomes: ")
    assert " withdrawn against " in sentence and "(p = 0.000)." in sentence
    table = page.outcome_table(found).reset_index()
    assert list(table.columns) == ["pathway", "outcome", "recorded", "expected by the model",
                                   "p-value"]
    assert table["recorded"].astype(int).sum() == record.proposals


def test_the_json_has_the_issues_keys_and_no_nan(truth_backtest):
    data = json.loads(json.dumps(truth_backtest.to_dict(), allow_nan=False))
    assert set(data) == {"scenario", "history", "as_of", "replications", "seed", "pathways",
                         "steps", "verdict"}
    assert data["replications"] == REPLICATIONS and data["seed"] == SEED
    credit = data["pathways"]["credit"]
    assert {"recorded", "simulated", "wasserstein_days", "ks", "inside_band_share"} <= set(
        credit)
    assert {"n", "completed", "open", "withdrawn", "mean", "median", "p90"} <= set(
        credit["recorded"])
    assert set(credit["ks"]) == {"statistic", "p_value"}
    assert data["verdict"]["reproduces"] is True
    assert {"pathway", "step", "recorded_mean_days", "simulated_mean_days",
            "difference_days", "beyond_noise"} <= set(data["steps"][0])


def test_a_record_of_other_pathways_is_an_input_error(truth_backtest, record):
    visits = record.visits.assign(pathway="elsewhere")
    other = History(visits, record.as_of, "other.csv")
    with pytest.raises(InputError, match=r"^other\.csv: no proposal of the scenario's"):
        backtest_results(truth_backtest.results, other)


# --- what a leader reads -------------------------------------------------------------------


def test_the_truth_reads_reproduces(truth_backtest):
    sentence = page.verdict_sentence(truth_backtest)
    assert sentence == "The model reproduces the record."
    assert console.backtest_text(truth_backtest).startswith(sentence + "\n")
    summary = str(page.summary(truth_backtest))
    assert summary.startswith("## Summary") and f"**{sentence}**" in summary
    line = page.bottom_line(truth_backtest)
    assert line.lines[0] == sentence and len(line.lines) == 3
    assert console.backtest_json(truth_backtest)["verdict"]["sentence"] == sentence


def test_a_miss_names_the_step_and_its_days(slower_backtest):
    sentence = page.verdict_sentence(slower_backtest)
    days = round(abs(slower_backtest.verdict.days))
    assert re.fullmatch(rf"The model misses the record at the Dean/Unit Head \(\S+\) by "
                        rf"{days} days: \d+ days a visit simulated against \d+ recorded\.",
                        sentence), sentence
    assert page.bottom_line(slower_backtest).lines[0] == sentence
    assert "beyond noise" in console.backtest_text(slower_backtest)
    table = page.step_table(slower_backtest)
    flagged = table[table["verdict"] == "beyond noise"]
    assert {step for _, step in flagged.index} == {"Dean/Unit Head"}


def test_tables_show_recorded_and_simulated_side_by_side(truth_backtest):
    cycle = page.cycle_table(truth_backtest)
    assert list(cycle.index.get_level_values(1)[:3]) == ["mean", "median", "P90"]
    credit = truth_backtest.pathways["credit"]
    median = cycle.loc[("Credit-bearing", "median")]
    assert median["recorded days (95% CI)"].startswith(f"{credit.recorded['median']:.0f} (")
    assert median["simulated days"] == f"{credit.simulated['median']:.0f}"
    stats = page.statistics_table(truth_backtest)
    assert stats.loc["Credit-bearing", "KS p-value"] == f"{credit.ks_p_value:.3f}"
    text = " ".join(page.step_table(truth_backtest).astype(str).to_numpy().ravel())
    assert NEGATIVE_ZERO.search("by -0 days") and signed(-0.04, 1) == "0.0"
    assert not NEGATIVE_ZERO.search(text)  # never "-0"


@pytest.mark.parametrize("name", ["truth_backtest", "slower_backtest"])
def test_the_two_figures(name, request):
    result = request.getfixturevalue(name)
    cdfs = page.cdf_figure(result)
    steps = page.step_figure(result)
    assert isinstance(cdfs, Figure) and isinstance(steps, Figure)
    assert len(cdfs.axes) == len(result.pathways)
    assert len(steps.axes[0].get_yticklabels()) == len(result.steps)
    frame = page.cdf_frame(result)
    for source in ("recorded", "simulated"):
        shares = frame[frame["source"] == source].groupby("pathway")["share"]
        assert (shares.apply(lambda s: s.is_monotonic_increasing)).all()
        assert shares.max().min() > 0.95  # both reach (almost) everyone approved
