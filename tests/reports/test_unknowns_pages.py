"""What we don't know on pages 02 to 06: each headline gains its 95% range beside its CI,
the page gains its one sentence, and with no draws nothing changes but that sentence.

A tiny office whose desk review time is uncertain (posterior draws in the scenario) and the
same office without draws; small runs, so the checks are of behaviour (the range holds the
CI, a drawn number that moves the answer widens it, a band brackets the answer), not of
numbers."""

from __future__ import annotations

import datetime as dt
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from support.scenarios import DESK, small_scenario, uncertain_office

from simlib import answers, sensitivity
from simlib.answers import (
    ComparisonAnswer,
    GrowthAnswer,
    PlanAnswer,
    SensitivityAnswer,
    SweepAnswer,
)
from simlib.experiments.studies import demand_growth, growth_unknowns, step_unknowns, sweep
from simlib.formats.words import date_span, range_change
from simlib.planning.deadlines import deadline_study, plan_unknowns
from simlib.reports import assumptions, deadlines, growth, staffing, whatifs
from simlib.reports.figures import CI_WORDS, RANGE_WORDS, SWING_RANGE
from simlib.reports.unknowns import RANGE

QUICK = {"jobs": 1, "progress": False}
LAUNCH = dt.date(2025, 9, 1)


def office(drawn: bool = True):
    """The tiny office of tests/cli/test_uncertainty_cli.py, with draws of its desk review
    time (``drawn``) or without, and an assumption on its demand too."""
    return small_scenario(**uncertain_office(drawn, title="Tiny office", assumptions=[
        {"path": DESK, "low": 1, "high": 8, "note": "A: desk review"},
        {"path": "demand.p.per_year", "low": 10, "high": 60, "note": "A: submissions"},
    ]))


@pytest.fixture(autouse=True)
def no_open_figures():
    yield
    assert plt.get_fignums() == []


def legend_texts(fig) -> list[str]:
    return [text.get_text() for legend in fig.legends for text in legend.get_texts()]


def alternatives(base):
    """A one-day desk (its saving depends on the drawn desk time) and a slower board."""
    return [base.variant({"title": "The desk reviews in a day", DESK: 1.0},
                         name="fast-desk"),
            base.variant({"title": "The board meets every 3 weeks",
                          "bodies.board.meets.every_weeks": 3}, name="slow-board")]


@pytest.fixture(scope="module")
def compared():
    base = office()
    changes = alternatives(base)
    answer = answers.compare(base, changes, 4, 5, uncertainty=True, draws=8,
                             draw_replications=3, **QUICK)
    return answer.comparison, answer.over_draws


# --- small words ---------------------------------------------------------------------------


def test_a_range_reads_as_a_change_and_dates_as_one_span():
    assert range_change(-37.2, -18.4) == "18 to 37 days shorter"
    assert range_change(3.4, 9.1) == "3 to 9 days longer"
    assert range_change(-5.2, 2.8) == "5 days shorter to 3 days longer"
    assert range_change(-0.2, 0.3) == "no change"
    assert date_span(dt.date(2026, 11, 3), dt.date(2026, 11, 20)) == "3 to 20 November 2026"
    assert date_span(dt.date(2026, 10, 30), dt.date(2026, 11, 20)) == (
        "30 October to 20 November 2026")
    assert date_span(dt.date(2026, 12, 20), dt.date(2027, 1, 3)) == (
        "20 December 2026 to 3 January 2027")


# --- 02: comparisons -----------------------------------------------------------------------


def test_without_unknowns_every_comparison_page_part_is_as_before(compared):
    plain, _ = compared
    answer = ComparisonAnswer(plain)
    assert "what we don't know" not in " ".join(whatifs.bottom_line(answer).lines)
    assert "range_low" not in whatifs.differences(answer)
    assert RANGE not in whatifs.comparison_table(answer)
    assert "what we don't know" not in whatifs.summary(answer)


def test_the_forest_frame_has_both_intervals_and_the_drawn_range_is_wider(compared):
    plain, unknowns = compared
    frame = whatifs.differences(ComparisonAnswer(plain, unknowns))
    assert {"ci95_low", "ci95_high", "range_low", "range_high", "p_faster"} <= set(frame)
    drawn = unknowns.to_dict()["alternatives"]
    for row in frame.itertuples():
        other = drawn[row.name]["pathways"][row.pathway]
        assert (row.range_low, row.range_high) == pytest.approx(
            other["difference_predictive95"])
        low, high = other["difference_predictive95"]  # the range holds the draws' own CI
        assert low <= other["ci95"][0] <= other["ci95"][1] <= high
        assert 0.0 <= row.p_faster <= 1.0
    desks = frame.set_index("name").loc["fast-desk"]
    assert desks["range_high"] - desks["range_low"] > desks["ci95_high"] - desks["ci95_low"]
    assert desks["range_high"] < 0 and desks["p_faster"] > 0.95  # faster whatever the desk


def test_the_comparison_table_and_words_give_the_range_and_the_chance(compared):
    plain, unknowns = compared
    answer = ComparisonAnswer(plain, unknowns)
    table = whatifs.comparison_table(answer)
    assert list(table.columns).index(RANGE) == list(table.columns).index(
        "Change in the mean (95% CI)") + 1
    assert "P(faster)" in table
    assert table[RANGE].str.contains("days shorter|days longer").all()
    lines = whatifs.bottom_line(answer).lines
    assert "The desk reviews in a day" in lines[0]
    assert "with what we don't know, it saves" in lines[0] and "probability" in lines[0]
    assert "desk review anywhere between" in lines[1]  # the drawn number, by its note
    assert "95% range" in lines[1] and "from luck alone" in lines[1]
    assert lines[1].count("95% range") == 1  # one sentence
    assert "with what we don't know" in whatifs.summary(answer)
    assert "with what we don't know" in whatifs.sentences(answer)


def test_the_forest_draws_a_thin_range_behind_each_thick_ci(compared):
    plain, unknowns = compared
    fig = whatifs.forest_figure(ComparisonAnswer(plain, unknowns))
    assert legend_texts(fig) == [CI_WORDS, RANGE_WORDS]
    ax = fig.axes[0]
    thick, thin = ax.collections[:2]
    assert thick.get_linewidth()[0] > thin.get_linewidth()[0]
    width = {bar: [abs(end[0] - start[0]) for start, end in bar.get_segments()]
             for bar in (thick, thin)}
    heights = [[start[1] for start, _ in bar.get_segments()] for bar in (thick, thin)]
    assert heights[0] == heights[1]  # a thin bar behind each thick one
    assert max(width[thin]) > max(width[thick])  # the drawn desk time widens one a lot
    assert ax.get_xlabel()


def test_with_no_draws_the_range_is_the_ci_and_the_sentence_says_so():
    base = office(drawn=False)
    changes = alternatives(base)
    answer = answers.compare(base, changes, 4, 5, uncertainty=True, draws=3,
                             draw_replications=2, **QUICK)
    plain, unknowns = answer.comparison, answer.over_draws
    frame = whatifs.differences(answer)
    assert frame["range_low"].tolist() == frame["ci95_low"].tolist()
    assert frame["range_high"].tolist() == frame["ci95_high"].tolist()
    lines = whatifs.bottom_line(ComparisonAnswer(plain, unknowns)).lines
    assert "What we don't know is not shown" in lines[1]
    assert lines[0] == whatifs.bottom_line(ComparisonAnswer(plain)).lines[0]
    assert answers.compare(base, changes, 4, 5, **QUICK).over_draws is None


# --- 03 and 04: the studies ----------------------------------------------------------------


def test_the_sweep_headline_step_over_the_draws_is_the_step_its_advice_rests_on():
    base = office()
    study = sweep(base, "bodies.desk.staff", [1, 2, 3], [1, 2], 3, 5, **QUICK)
    factor, before, after, pathway = study.headline_step()
    assert factor in study.demand_factors and pathway == "p"
    assert study.values.index(after) == study.values.index(before) + 1
    enough = study.enough()[study.demand_factors[0]]
    assert enough is None or before == enough
    unknowns = step_unknowns(study, 3.0, True, 8, 2, jobs=1)
    assert unknowns.step == (before, after) and unknowns.demand == factor
    saving = unknowns.figure()
    assert saving.predictive95[0] <= saving.ci95[0] <= saving.ci95[1] <= saving.predictive95[1]
    lines = staffing.bottom_line(SweepAnswer(study, 3.0, unknowns)).lines
    assert f"going from {before} desk" not in lines[1]  # words, not the path's key
    assert "the days saved by going from" in lines[1] and "95% range" in lines[1]
    assert staffing.bottom_line(SweepAnswer(study, 3.0)).lines[1] in lines[1]
    assert step_unknowns(study, 3.0, False) is None


def test_growth_gives_the_mean_at_the_highest_demand_its_range():
    study = demand_growth(office(), [1, 2], 3, 5, **QUICK)
    unknowns = growth_unknowns(study, True, 8, 2, jobs=1)
    assert unknowns.demand == 2
    figure = unknowns.figure()
    assert figure.predictive95[0] < figure.ci95[0] < figure.ci95[1] < figure.predictive95[1]
    summary = growth.summary(GrowthAnswer(study, unknowns))
    assert "with what we don't know" in summary and "95% CI" in summary
    sure = growth.bottom_line(GrowthAnswer(study, unknowns)).lines[1]
    assert "the p mean at 2x today's submissions" in sure and "from luck alone" in sure
    assert sure.startswith(growth.bottom_line(GrowthAnswer(study)).lines[1])


# --- 05: sensitivity -----------------------------------------------------------------------


def test_sensitivity_over_the_draws_gives_each_swing_its_range():
    found = answers.sensitivity(office(), 6, 5, uncertainty=True, draws=6,
                                draw_replications=2, **QUICK)
    study, unknowns = found.study, found.over_draws
    table = study.summary()
    assert {"swing_mean_predictive95_low", "swing_mean_predictive95_high"} <= set(table)
    demand = table.set_index("assumption").loc["demand.p.per_year"]
    # the desk time is drawn while the demand is swung: queues at the desk grow with both,
    # so the swing depends on the draw and its range is wider than its CI
    assert (demand["swing_mean_predictive95_high"] - demand["swing_mean_predictive95_low"]
            > demand["swing_mean_ci95_high"] - demand["swing_mean_ci95_low"])
    answer = SensitivityAnswer(study)
    assert answer.over_draws.values().tolist() == unknowns.values().tolist()
    readable = assumptions.swing_table(answer)
    assert f"Swing {RANGE}" in readable
    assert list(readable.columns)[-1] == "Source of the range"
    fig = assumptions.tornado_figure(answer)
    assert SWING_RANGE in legend_texts(fig)
    lines = assumptions.bottom_line(answer).lines
    assert "averaged over what we don't know" in lines[0]
    assert "95% range" in lines[0] and "from luck alone" in lines[1]


def test_sensitivity_without_draws_is_the_plain_study_when_the_counts_agree():
    scenario = office(drawn=False)
    plain = answers.sensitivity(scenario, 6, 5, draws=3, draw_replications=2, **QUICK)
    assert plain.over_draws is None
    found = answers.sensitivity(scenario, 6, 5, uncertainty=True, draws=3,
                                draw_replications=2, **QUICK)
    plain, drawn, unknowns = plain.study, found.study, found.over_draws
    assert unknowns.fixed and drawn.replications == plain.replications == 6
    columns = ["assumption", "mean_low", "mean_base", "mean_high"]
    by = "assumption"
    assert (drawn.summary()[columns].sort_values(by).reset_index(drop=True)
            .equals(plain.summary()[columns].sort_values(by).reset_index(drop=True)))
    lines = assumptions.bottom_line(SensitivityAnswer(drawn)).lines
    assert "averaged over" not in lines[0]
    assert "What we don't know is not shown" in lines[1]
    same = sensitivity(scenario, 6, 5, **QUICK)
    assert (assumptions.bottom_line(SensitivityAnswer(same)).lines
            == assumptions.bottom_line(SensitivityAnswer(plain)).lines)


# --- 06: the deadline planner --------------------------------------------------------------


@pytest.fixture(scope="module")
def planned():
    scenario = office()
    study = deadline_study(scenario, "p", None, LAUNCH, 0.9, "2025-01-06", terms=1,
                           replications=4, seed=5, jobs=1)
    return study, plan_unknowns(scenario, "p", None, LAUNCH, 0.9, True, 8, 2, 5)


def test_the_plan_band_brackets_the_answer_and_is_the_plans_range(planned):
    _, unknowns = planned
    early, late = unknowns.latest_range
    assert early <= unknowns.latest_submission() <= late <= LAUNCH
    figure, leads, draws = deadlines.lead_figure(unknowns)  # the band, read back from the plan
    assert not draws.fixed and np.isfinite(leads).sum() >= 2
    assert (LAUNCH - dt.timedelta(days=math.ceil(figure.predictive95[1])),
            LAUNCH - dt.timedelta(days=math.floor(figure.predictive95[0]))) == (early, late)


def test_the_plan_page_gives_the_range_of_the_safe_date(planned):
    study, unknowns = planned
    answer = PlanAnswer(study, unknowns)
    lines = deadlines.bottom_line(answer).lines
    assert "not knowing the process's numbers, the safe date could be anywhere from" in lines[0]
    assert date_span(*unknowns.latest_range) in lines[0]
    assert "days before the launch" in lines[1] and "95% range" in lines[1]
    assert lines[0].startswith(deadlines.bottom_line(PlanAnswer(study)).lines[0][:-1]
                               + "; not knowing")
    assert "Averaged over what we don't know" in deadlines.summary(answer)
    fig = deadlines.curve_figure(answer)
    shaded = [patch for patch in fig.axes[0].patches
              if patch.get_label().startswith("latest safe date with what we don't know")]
    assert len(shaded) == 1
    assert plan_unknowns(office(), "p", None, LAUNCH, uncertainty=False) is None
