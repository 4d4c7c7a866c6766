"""Metrics on small hand-built event logs whose answers are worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from support.hand_events import START, edge, hand_events, make_scenario

from simlib.engine.eventlog import COLUMNS, EventLog, events_frame
from simlib.engine.model import simulate
from simlib.metrics import events as metrics


@pytest.fixture
def events():
    return hand_events()


@pytest.fixture
def scenario():
    return make_scenario()


def test_proposals_excludes_warmup_and_reports_outcomes(events, scenario):
    table = metrics.proposals(events, scenario)
    assert list(zip(table["replication"], table["proposal"], strict=True)) == [
        (0, 1), (0, 2), (0, 3), (1, 0)
    ]
    assert list(table["outcome"]) == ["approved", "withdrawn", "in_progress", "approved"]
    assert table["cycle_days"].tolist()[0] == pytest.approx(27.5)
    assert math.isnan(table["cycle_days"][1]) and math.isnan(table["cycle_days"][2])
    assert math.isnan(table["finished"][2])
    assert table["cycle_days"][3] == pytest.approx(9.5)


def test_cycle_summary_counts_stats_and_rate(events, scenario):
    row = metrics.cycle_summary(events, scenario).loc["p"]
    assert (row["approved"], row["withdrawn"], row["in_progress"]) == (2, 1, 1)
    assert row["cycle_days_mean"] == pytest.approx(18.5)
    assert row["cycle_days_median"] == pytest.approx(18.5)
    assert row["cycle_days_p90"] == pytest.approx(9.5 + 0.9 * 18.0)
    # two replication means, 27.5 and 9.5: se = 9, t(0.975, 1) = 12.706...
    half = stats.t.ppf(0.975, 1) * 9.0
    assert row["cycle_days_ci95_low"] == pytest.approx(18.5 - half)
    assert row["cycle_days_ci95_high"] == pytest.approx(18.5 + half)
    # 2 approvals over 2 replications x 0.9 post-warm-up years
    assert row["approvals_per_year"] == pytest.approx(2 / (2 * 0.9))


def test_ci_uses_student_t_on_replication_means(scenario):
    rows = []
    logs = []
    for rep, cycle in enumerate([10.0, 20.0, 30.0]):
        rows = edge(0, "submit", 50) + edge(0, "approved", 50 + cycle)
        logs.append(EventLog(tuple(rows), rep, START))
    row = metrics.cycle_summary(events_frame(logs), scenario).loc["p"]
    half = 4.302652729911275 * 10.0 / math.sqrt(3.0)  # t(0.975, 2) x sd / sqrt(n)
    assert row["cycle_days_mean"] == pytest.approx(20.0)
    assert row["cycle_days_ci95_low"] == pytest.approx(20.0 - half)
    assert row["cycle_days_ci95_high"] == pytest.approx(20.0 + half)


def test_ci_is_nan_with_one_replication(scenario):
    rows = edge(0, "submit", 50) + edge(0, "approved", 60)
    frame = events_frame([EventLog(tuple(rows), 0, START)])
    row = metrics.cycle_summary(frame, scenario).loc["p"]
    assert row["cycle_days_mean"] == pytest.approx(10.0)
    assert math.isnan(row["cycle_days_ci95_low"]) and math.isnan(row["cycle_days_ci95_high"])


def test_step_times_per_body(events, scenario):
    table = metrics.step_times(events, scenario)
    assert list(table.index) == ["desk", "board"]
    desk, board = table.loc["desk"], table.loc["board"]
    assert (desk["visits"], desk["revisions"], desk["withdrawals"]) == (4, 0, 0)
    assert desk["queue_wait_days"] == pytest.approx(0.5)  # (2 + 0 + 0 + 0) / 4
    assert desk["review_days"] == pytest.approx(6.75)  # (3 + 10 + 10 + 4) / 4
    assert desk["meeting_wait_days"] == 0.0  # offices decide when the review finishes
    assert math.isnan(desk["rework_days"])
    assert (board["visits"], board["revisions"], board["withdrawals"]) == (4, 1, 1)
    assert board["queue_wait_days"] == pytest.approx(0.5)  # (1 + 0 + 1 + 0) / 4
    assert board["review_days"] == pytest.approx(4.875)  # (4 + 4.5 + 9 + 2) / 4
    assert board["meeting_wait_days"] == pytest.approx(5.75)  # (3.5 + 2.5 + 13.5 + 3.5) / 4
    assert board["rework_days"] == pytest.approx(7.0)  # revised 63.5, back 70.5


def test_step_times_per_step_and_visits(events, scenario):
    table = metrics.step_times(events, scenario, by="step")
    assert list(table.index) == [("p", "desk"), ("p", "board")]
    assert table.loc[("p", "board"), "body"] == "board"
    rounds = metrics.visits(events, scenario)
    revised = rounds[rounds["decision"] == "revise"]
    assert len(revised) == 1 and revised["rework_days"].iloc[0] == pytest.approx(7.0)
    assert rounds["decision"].isna().sum() == 1  # proposal 3 still at the desk
    with pytest.raises(ValueError, match="by must be"):
        metrics.step_times(events, scenario, by="pathway")


def test_utilization_clips_to_window(events, scenario):
    table = metrics.utilization(events, scenario)
    # desk: 3.5 (10-40 clipped at 36.5) + 3 + 10 + 5 (360-370 clipped at 365) + 4
    assert table.loc["desk", "busy_days"] == pytest.approx(25.5)
    assert table.loc["desk", "utilization"] == pytest.approx(25.5 / (1 * 328.5 * 2))
    # board, 2 members: 2 + 4 + 4.5 + 9 + 2
    assert table.loc["board", "busy_days"] == pytest.approx(21.5)
    assert table.loc["board", "utilization"] == pytest.approx(21.5 / (2 * 328.5 * 2))
    assert table.loc["board", "capacity"] == 2
    assert table.loc["board", "kind"] == "committee"


def test_sla_share_of_first_responses(events, scenario):
    table = metrics.sla(events, scenario)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["body"], row["sla_days"], row["steps"]) == ("board", 14.0, "p/board")
    # first responses after warm-up: 8.5 (met), 23.5 (missed), 5.5 (met) days
    assert (row["decisions"], row["met"]) == (3, 2)
    assert row["share_met"] == pytest.approx(2 / 3)


def test_sla_empty_without_sla_steps(events):
    scenario = make_scenario(pathways={"p": ["desk", "board"]})
    assert metrics.sla(events, scenario).empty


def test_wip_counts_proposals_in_system(events, scenario):
    table = metrics.wip(events, scenario, freq_days=10).set_index("time")
    assert list(table.columns) == ["date", "pathway", "wip"]
    assert table.loc[40.0, "wip"] == pytest.approx(1.0)  # one in each replication
    assert table.loc[50.0, "wip"] == pytest.approx(0.5)
    assert table.loc[130.0, "wip"] == pytest.approx(0.5)
    assert table.loc[360.0, "wip"] == pytest.approx(0.5)
    assert table.loc[0.0, "wip"] == 0.0
    assert table.loc[40.0, "date"] == pd.Timestamp(START) + pd.Timedelta(days=40)


def test_metrics_of_a_run_without_events(scenario):
    empty = events_frame([])
    assert list(empty.columns) == list(COLUMNS)
    assert metrics.cycle_summary(empty, scenario).loc["p", "approved"] == 0
    assert metrics.utilization(empty, scenario)["utilization"].eq(0.0).all()
    assert metrics.step_times(empty, scenario)["visits"].eq(0).all()
    assert metrics.sla(empty, scenario)["decisions"].eq(0).all()


def test_step_labels_match_the_model():
    scenario = make_scenario(
        demand={"p": {"per_year": 40}},
        pathways={"p": ["desk", {"parallel": ["board", {"body": "desk", "name": "check"}]},
                        "desk"]},
    )
    labels = metrics.step_labels(scenario)
    assert list(labels["step"]) == ["desk", "board", "check", "desk (2)"]
    logged = set(events_frame([simulate(scenario, 1)])["step"]) - {""}
    assert logged == set(labels["step"])


def test_fixed_times_without_queues_give_exact_step_times():
    scenario = make_scenario(
        demand={"p": {"per_year": 20}},
        bodies={"desk": {"kind": "office", "staff": 50, "review_days": 3}},
        pathways={"p": ["desk", {"body": "desk", "name": "again"}]},
    )
    frame = events_frame([simulate(scenario, 3, k) for k in range(2)])
    cycle = metrics.cycle_summary(frame, scenario).loc["p"]
    assert cycle["cycle_days_mean"] == pytest.approx(6.0)
    assert cycle["cycle_days_p90"] == pytest.approx(6.0)
    times = metrics.step_times(frame, scenario, by="step")
    assert np.allclose(times["queue_wait_days"], 0.0)
    assert np.allclose(times["review_days"], 3.0)
