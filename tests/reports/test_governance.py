"""Report 08's page renders one frontier answer: its bottom line names the knee and the
lever that buys the most days per hour with the answer's own figures, the tables and the
figure number the frontier alike, and every beaten combination names what beats it.

The board of :mod:`support.frontier` (meeting rhythm x price), a few runs."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest
import yaml
from support.frontier import board_spec, write_board
from support.scenarios import committee, exponential, office, write_scenario

from simlib import answers
from simlib.formats.words import days, span
from simlib.optimize import load_study
from simlib.reports import console, governance
from simlib.reports.words import changes_words, lever_days, lever_hours, per_hundred_hours


@pytest.fixture(scope="module")
def answer(tmp_path_factory):
    study = load_study(write_board(tmp_path_factory.mktemp("board"), board_spec(replications=8)))
    return answers.frontier(study, jobs=1, progress=False)


def test_the_bottom_line_names_the_knee_and_the_best_buy_with_the_answers_figures(answer):
    found = answer.frontier
    headline, sure, todo = governance.bottom_line(answer).lines
    knee, today = found.knee, found.today
    assert headline.startswith(f"Of 8 combinations of changes, {len(found.front)} are worth")
    assert (f"The knee, every 4 weeks, brings the p mean from {days(today.days.point)} days "
            f"today to {days(knee.days.point)}, for {days(knee.faculty_hours.point)} faculty "
            f"hours a year against {days(today.faculty_hours.point)} today.") in headline
    assert "the same 8 simulated runs (common random numbers)" in sure
    assert f"within {span(*knee.days.interval(0.95))} (95% CI)" in sure
    best = found.best_buy
    assert best.option == "every 1 weeks"
    assert "every 1 weeks buys the most days per hour: " in todo
    assert f"({100 * best.days_per_hour:.1f} days per 100 hours)" in todo
    assert "Beyond the knee (every 4 weeks) each hour buys fewer days." in todo


def test_the_tables_and_the_figure_number_the_frontier_alike(answer):
    found = answer.frontier
    table = governance.frontier_table(answer)
    names = [f"{number}. {label}" for number, label in
             enumerate(["every 12 weeks", "every 4 weeks (knee)", "today (no change)",
                        "every 1 weeks"], start=1)]
    assert list(table.index) == names
    first = found.front[0]
    assert table.iloc[0]["Mean days (95% CI)"] == (
        f"{days(first.days.point)} ({span(*first.days.interval(0.95))})")
    figure = governance.frontier_figure(answer)
    assert [text.get_text() for text in figure.axes[0].texts] == ["1", "2", "3", "4"]
    excluded = governance.excluded_table(answer)
    assert len(excluded) == 4  # every dear combination, beaten by its ordinary twin
    for label, row in excluded.iterrows():
        rhythm = label.split(" + ")[0] if " + " in label else "today (no change)"
        assert row["Beaten by"].endswith(rhythm)


def test_the_command_line_the_json_and_the_page_show_one_knee(answer):
    knee = answer.frontier.knee
    summary = answer.to_dict()
    assert summary["knee"]["days"]["value"] == knee.days.point
    assert summary["knee"]["changes"] == {"rhythm": "every 4 weeks"}
    text = console.frontier_text(answer)
    assert (f"Knee: every 4 weeks: mean {days(knee.days.point)} days "
            f"(95% CI {span(*knee.days.interval(0.95))})") in text
    row = governance.frontier_table(answer).loc["2. every 4 weeks (knee)"]
    assert row["Mean days (95% CI)"].startswith(f"{days(knee.days.point)} (")


def test_the_summary_and_the_lever_table_agree(answer):
    text = governance.summary(answer)
    assert text.startswith("## Summary")
    assert "8 combinations of 2 decisions" in text and "(the knee)" in text
    levers = governance.lever_table(answer)
    assert levers.index[0] == ("rhythm", "every 1 weeks")
    assert levers.iloc[0]["Days per 100 hours"] in text
    assert (levers.loc[("price", "dear"), "Days (95% CI)"] == "no change")


def test_a_scenario_without_hours_says_what_to_add(tmp_path):
    path = write_board(tmp_path)
    write_scenario(tmp_path, name="board", seed=5, horizon_years=2, warmup_years=0.5,
                   per_year=40, bodies={"desk": office(1, exponential(1)),
                                        "board": committee(3, 1, 1)})
    path.write_text(yaml.safe_dump(board_spec(changes=board_spec()["changes"][:1],
                                              replications=3)))
    answer = answers.frontier(load_study(path), jobs=1, progress=False)
    headline, _, todo = governance.bottom_line(answer).lines
    assert "prices no committee work in hours" in headline
    assert "Give the committees hours:" in todo


def lever(saved: float, low: float, high: float, extra: float, kind: str) -> dict:
    return {"kind": kind, "days_saved": {"value": saved, "ci95": [low, high]},
            "extra_faculty_hours": {"value": extra, "ci95": [extra - 1, extra + 1]}}


@pytest.mark.parametrize(("item", "days_words", "hours_words"), [
    (lever(29.2, 27.4, 31.1, 0.3, "free"), "29 days sooner (95% CI 27 to 31)",
     "no change in faculty hours"),
    (lever(0.24, 0.05, 0.43, -3.2, "free"), "0.2 days sooner (95% CI 0.1 to 0.4)",
     "3 fewer faculty hours a year"),
    (lever(-7.0, -8.2, -5.9, -62.8, "no_gain"), "7 days later (95% CI 6 to 8)",
     "63 fewer faculty hours a year"),
    (lever(0.2, -1.4, 1.8, 124.0, "no_gain"),
     "no clear change (95% CI 2 days sooner to 1 day later)", "124 more faculty hours a year"),
])
def test_a_lever_in_words(item, days_words, hours_words):
    assert lever_days(item) == days_words
    assert lever_hours(item) == hours_words


def test_a_label_and_a_rate_in_words():
    assert changes_words({"changes": {}}) == "today (no change)"
    assert changes_words({"changes": {"a": "MC e-votes", "b": "senate at once"}}) == (
        "MC e-votes + senate at once")
    assert per_hundred_hours(0.3386) == "33.9" and per_hundred_hours(None) == "n/a"

