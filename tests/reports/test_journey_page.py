"""Report 01's whole journey: the timeline figure plots the answer's numbers (the medians
and P10-P90 of the proposals table, per milestone from submission) and the summary's
sentence on the first badges is the answer's mean."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simlib import answers, load_scenario
from simlib.formats.words import days, month_count
from simlib.reports import today

ROOT = Path(__file__).resolve().parents[2]
MILESTONES = ["approved", "badge live", "first offering starts", "first badges issued"]


@pytest.fixture(scope="module")
def answer():
    return answers.run(load_scenario(ROOT / "scenarios" / "baseline.yaml"), 3, 11, jobs=1,
                       progress=False)


def from_submission(answer, pathway: str) -> list[np.ndarray]:
    """Each milestone's days from submission, per approved proposal that reached it, read
    straight from the answer's proposals table."""
    table = answer.results.proposals
    approved = table[(table["outcome"] == "approved") & (table["pathway"] == pathway)]
    columns = [approved["cycle_days"], approved["cycle_days"] + approved["badge_days"],
               approved["offering_days"], approved["first_badge_days"]]
    return [column.dropna().to_numpy(float) for column in columns]


def test_the_timeline_plots_the_proposals_tables_medians_and_p10_to_p90(answer):
    figure = today.journey_figure(answer)
    axes = [ax for ax in figure.axes if ax.get_title(loc="left")]
    assert [ax.get_title(loc="left") for ax in axes] == ["Credit-bearing", "Non-credit"]
    for ax, pathway in zip(axes, ("credit", "noncredit"), strict=True):
        assert [label.get_text() for label in ax.get_yticklabels()] == MILESTONES
        reached = from_submission(answer, pathway)
        [medians] = [line for line in ax.get_lines() if line.get_label() == "median"]
        assert medians.get_xdata() == pytest.approx([np.median(days) for days in reached])
        bars = ax.patches
        assert [bar.get_x() for bar in bars] == pytest.approx(
            [np.quantile(days, 0.1) for days in reached])
        assert [bar.get_x() + bar.get_width() for bar in bars] == pytest.approx(
            [np.quantile(days, 0.9) for days in reached])
        row = answer.results.pathways.loc[pathway]  # the same medians as the run's table
        assert medians.get_xdata()[[0, 3]] == pytest.approx(
            [row["cycle_days_median"], row["first_badge_days_median"]])


def test_the_summary_says_when_the_first_learners_hold_their_badge(answer):
    text = today.summary(answer)
    first = answer.cycle("credit", "first_badge_days")
    assert (f"A credit-bearing proposal's first learners hold their badge {days(first.value)} "
            f"days (about {month_count(first.value)}) after submission on average") in text
    assert f"its badge is live {days(answer.cycle('credit', 'badge_days').value)} days" in text
    later = answer.cycle("noncredit", "first_badge_days").value
    assert f"a non-credit proposal's after {days(later)} days" in text


def test_without_steps_after_approval_the_journey_is_approval_alone():
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml").variant(
        {"after_approval": {}})
    bare = answers.run(scenario, 2, 11, jobs=1, progress=False)
    assert today.journey_sentence(bare) == ""
    assert set(bare.journey()["milestone"]) == {"cycle_days"}
    figure = today.journey_figure(bare)
    assert all([label.get_text() for label in ax.get_yticklabels()] == ["approved"]
               for ax in figure.axes if ax.get_title(loc="left"))
