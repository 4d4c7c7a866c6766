"""Time breakdown (closed days apart), body load and queue lengths, checked against traces
and hand-built logs whose answers are worked out by hand from a wall calendar of 2025-26."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from support.hand_events import hand_events, make_scenario
from support.traces import START, day, noon, run_injected

import simlib
from simlib.engine.eventlog import events_frame
from simlib.engine.model import simulate
from simlib.metrics import calendar as calendar_metrics
from simlib.metrics import events as metrics
from simlib.scenario import validate_scenario

PARTS = ["queue_wait_days", "review_days", "meeting_wait_days", "closed_days", "rework_days"]


def calendar_scenario():
    """Fixed times on an academic calendar: terms 25 Aug - 19 Dec and 20 Jan - 15 May,
    holidays 1 Sep (Labor Day, a Monday in 2025) and 4 Jul (a Saturday in 2026).

    Both committees meet every other Wednesday from 27 Aug 2025 (so 24 Sep 2025, 6 May,
    20 May, 15 Jul and 26 Aug 2026 are meeting days); ``board`` only in term, ``summer``
    all year.
    """
    committee = {"kind": "committee", "members": 1, "review_days": 1,
                 "meets": {"every_weeks": 2, "weekday": "wed"}}
    data = {
        "name": "breakdown",
        "calendar": {
            "kind": "academic",
            "start": START.isoformat(),
            "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
            "holidays": ["09-01", "07-04"],
        },
        "horizon_years": 2,
        "warmup_years": 0,
        "demand": {"p": {"per_year": 0}},
        "bodies": {
            "desk": {"kind": "office", "label": "Front desk", "staff": 1, "review_days": 2},
            "clerk": {"kind": "office", "staff": 1, "review_days": 1},
            "board": committee,
            "summer": {**committee, "meets": {**committee["meets"], "outside_terms": True}},
        },
        "pathways": {
            "p": ["desk", "board"],
            "desk_only": ["desk"],
            "board_only": ["board"],
            "summer_only": ["summer"],
            "revised": [
                {"body": "clerk", "revise": {"p": 1.0, "max_rounds": 1, "rework_days": 10}}
            ],
            "refused": [{"body": "clerk", "withdraw_p": 1.0}],
            "clerk_only": ["clerk"],
        },
    }
    return validate_scenario(data, "<breakdown>")


SUBMISSIONS = [
    (day(dt.date(2025, 9, 16)), "p", ""),  # 0
    (day(dt.date(2025, 9, 16)), "p", ""),  # 1: queues behind 0 at the desk
    (day(dt.date(2025, 8, 29)), "desk_only", ""),  # 2: review over Labor Day
    (day(dt.date(2025, 8, 29)), "desk_only", ""),  # 3: queues over Labor Day
    (day(dt.date(2026, 5, 11)), "board_only", ""),  # 4: waits over the summer recess
    (day(dt.date(2026, 7, 2)), "summer_only", ""),  # 5: waits over 4 July
    (day(dt.date(2025, 8, 29)), "revised", ""),  # 6: reworks over Labor Day
    (day(dt.date(2025, 10, 6)), "refused", ""),  # 7: withdrawn
    (noon(dt.date(2025, 9, 1)), "clerk_only", ""),  # 8: arrives on Labor Day at noon
]


@pytest.fixture(scope="module")
def trace():
    scenario = calendar_scenario()
    return scenario, run_injected(scenario, SUBMISSIONS)


@pytest.fixture(scope="module")
def breakdown(trace):
    scenario, events = trace
    return calendar_metrics.time_breakdown(metrics.visits(events, scenario), scenario)


def parts(table: pd.DataFrame, pathway: str, step: str) -> list[float]:
    """The five parts and total_days of one row, rounded to 1e-9 days."""
    row = table.set_index(["pathway", "step"]).loc[(pathway, step)]
    return [round(float(row[name]), 9) for name in [*PARTS, "total_days"]]


def test_rows_follow_the_routes_with_labels(breakdown):
    assert list(breakdown.columns) == ["pathway", "step", "body", "body_label", *PARTS,
                                       "total_days"]
    assert list(zip(breakdown["pathway"], breakdown["step"], strict=True)) == [
        ("p", "desk"), ("p", "board"), ("desk_only", "desk"), ("board_only", "board"),
        ("summer_only", "summer"), ("revised", "clerk"), ("refused", "clerk"),
        ("clerk_only", "clerk"),
    ]
    assert list(breakdown["body_label"][:2]) == ["Front desk", "board"]


def test_queue_review_and_meeting_wait_per_proposal(breakdown):
    # Both submitted Tue 16 Sep. 0: desk Tue-Wed, done 00:00 Thu 18 Sep; board reads Thu,
    # done 00:00 Fri 19 Sep; meeting Wed 24 Sep noon: waits 5.5 days. 1: queues 2 days,
    # desk Thu-Fri, done 00:00 Sat 20 Sep; board reads Mon 22 (3 calendar days), done
    # 00:00 Tue 23 Sep; waits 1.5 days. No closed day from 16 to 24 Sep.
    assert parts(breakdown, "p", "desk") == [1.0, 2.0, 0.0, 0.0, 0.0, 3.0]
    assert parts(breakdown, "p", "board") == [0.0, 2.0, 3.5, 0.0, 0.0, 5.5]


def test_holiday_in_an_office_review_and_queue_moves_one_day_to_closed(breakdown):
    # 2: reviewed Fri 29 Aug and Tue 2 Sep (Mon 1 Sep is Labor Day), done 00:00 Wed 3 Sep:
    # 5 calendar days, 1 closed (the weekend is not). 3: queues those 5 days (1 closed),
    # reviewed Wed-Thu, done 00:00 Fri 5 Sep. Means: queue 4/2, review (4 + 2)/2, closed 1.
    assert parts(breakdown, "desk_only", "desk") == [2.0, 3.0, 0.0, 1.0, 0.0, 6.0]


def test_part_of_a_holiday_counts_by_the_hour(breakdown):
    # Arrives at noon on Labor Day, read on Tue 2 Sep, done 00:00 Wed 3 Sep: 1.5 days, of
    # which the afternoon of the holiday (0.5 day) is closed.
    assert parts(breakdown, "clerk_only", "clerk") == [0.0, 1.0, 0.0, 0.5, 0.0, 1.5]


def test_days_past_the_calendar_are_open():
    # The model's calendar spans the 2-year horizon plus 10 years of drain, to 22 Aug 2037.
    # Sat 4 Jul 2037 is inside it: read Mon 6 Jul, done 00:00 Tue 7 Jul, 1 of 3 days closed.
    # Sun 4 Jul 2038 is past it, where every day is a working day: read that day, none closed.
    scenario = calendar_scenario()
    events = run_injected(scenario, [(day(dt.date(2037, 7, 4)), "clerk_only", ""),
                                     (day(dt.date(2038, 7, 4)), "clerk_only", "")])
    rounds = metrics.visits(events, scenario)
    assert list(rounds["review_days"]) == [3.0, 1.0]
    table = calendar_metrics.time_breakdown(rounds, scenario)
    assert parts(table, "clerk_only", "clerk") == [0.0, (2 + 1) / 2, 0.0, (1 + 0) / 2, 0.0, 2.0]


def test_summer_recess_moves_from_meeting_wait_to_closed(breakdown):
    # Read Mon 11 May 2026, ready 00:00 Tue 12 May, after the 6 May meeting; 20 May is out
    # of term, so decided at noon on Wed 26 Aug: 106.5 days, of which 16 May - 24 Aug are
    # closed (16 + 30 + 31 + 24 = 101 days, 4 July among them, counted once).
    assert parts(breakdown, "board_only", "board") == [0.0, 1.0, 5.5, 101.0, 0.0, 107.5]


def test_committee_meeting_outside_terms_is_closed_on_holidays_only(breakdown):
    # Read Thu 2 Jul (summer, but this committee meets all year), ready 00:00 Fri 3 Jul,
    # decided noon Wed 15 Jul: 12.5 days, of which Sat 4 July is closed.
    assert parts(breakdown, "summer_only", "summer") == [0.0, 1.0, 11.5, 1.0, 0.0, 13.5]


def test_rework_is_never_closed_and_withdrawn_count_only_when_asked(trace, breakdown):
    # Read Fri 29 Aug, revised 00:00 Sat 30 Aug; 10 days of rework (over Labor Day) to Mon
    # 8 Sep; read again, approved 00:00 Tue 9 Sep. Proposal 7 is withdrawn.
    assert parts(breakdown, "revised", "clerk") == [0.0, 2.0, 0.0, 0.0, 10.0, 12.0]
    assert breakdown.set_index("pathway").loc["refused", PARTS].isna().all()
    scenario, events = trace
    every = calendar_metrics.time_breakdown(metrics.visits(events, scenario), scenario, False)
    assert parts(every, "refused", "clerk") == [0.0, 1.0, 0.0, 0.0, 0.0, 1.0]
    assert parts(every, "desk_only", "desk") == [2.0, 3.0, 0.0, 1.0, 0.0, 6.0]


def test_continuous_calendar_has_no_closed_days_and_steps_add_up():
    scenario = make_scenario(demand={"p": {"per_year": 40}})
    events = events_frame([simulate(scenario, 2, rep) for rep in range(3)])
    table = calendar_metrics.time_breakdown(metrics.visits(events, scenario), scenario)
    assert table["closed_days"].eq(0.0).all()
    cycle = metrics.cycle_summary(events, scenario).loc["p", "cycle_days_mean"]
    assert table["total_days"].sum() == pytest.approx(cycle, rel=1e-12)


@pytest.fixture(scope="module")
def baseline():
    return simlib.load_scenario("scenarios/baseline.yaml")


@pytest.fixture(scope="module")
def baseline_runs(baseline):
    demand = {f"demand.{name}.per_year": 3 * spec.per_year
              for name, spec in baseline.demand.items()}
    tripled = baseline.variant(demand, name="demand-3x")
    return [simlib.replicate(s, 4, jobs=1, progress=False) for s in (baseline, tripled)]


def test_steps_add_up_to_the_mean_cycle_time_on_the_baseline(baseline_runs):
    results = baseline_runs[0]
    totals = results.time_breakdown.groupby("pathway")["total_days"].sum()
    cycle = results.pathways["cycle_days_mean"]
    assert cycle.notna().all()
    np.testing.assert_allclose(totals.reindex(cycle.index), cycle, rtol=1e-12)
    assert (results.time_breakdown[PARTS] >= -1e-9).all().all()
    assert results.time_breakdown["closed_days"].sum() > 0.0  # committees sleep in summer


def test_parallel_branches_overlap_so_steps_add_up_to_more():
    scenario = simlib.load_scenario("scenarios/parallel-senate-review.yaml")
    results = simlib.replicate(scenario, 2, jobs=1, progress=False)
    totals = results.time_breakdown.groupby("pathway")["total_days"].sum()
    cycle = results.pathways["cycle_days_mean"]
    assert totals["credit"] > cycle["credit"] + 1.0
    assert totals["noncredit"] == pytest.approx(cycle["noncredit"], rel=1e-12)


# --- body load ----------------------------------------------------------------------


def agenda_board(agenda_limit: int | None, **extra) -> dict:
    """The hand-built log's board (weekly on Wednesdays) with an agenda limit."""
    return {"kind": "committee", "members": 2, "review_days": 2, "agenda_limit": agenda_limit,
            "meets": {"every_weeks": 1, "weekday": "wed"}, **extra}


def test_committee_load_is_decisions_over_agenda_places():
    desk = {"kind": "office", "staff": 1, "review_days": 3}
    scenario = make_scenario(bodies={"desk": desk, "board": agenda_board(2)})
    table = calendar_metrics.body_load(hand_events(), scenario)
    assert list(table.columns) == ["kind", "body_label", "load", "load_basis",
                                   "capacity_per_year", "decided_per_year"]
    # From Mon 6 Jan 2025 the board meets on Wednesdays at noon; the window is day 36.5
    # (Tue 11 Feb) to 365: Wed 12 Feb to Wed 31 Dec, 47 meetings. Decisions in it: 42.5,
    # 63.5, 77.5, 133.5 (replication 0) and 49.5 (replication 1).
    board = table.loc["board"]
    assert board["load"] == pytest.approx(5 / (2 * 47 * 2))
    assert board["load_basis"] == "agenda places"
    assert board["capacity_per_year"] == pytest.approx(2 * 47 / 0.9)
    assert board["decided_per_year"] == pytest.approx(5 / (2 * 0.9))
    # The desk: busy 25.5 days of 2 x 328.5 (see test_metrics); decided at 40, 55, 110, 44.
    row = table.loc["desk"]
    assert row["load"] == pytest.approx(25.5 / (328.5 * 2))
    assert row["load"] == metrics.utilization(hand_events(), scenario).loc["desk", "utilization"]
    assert (row["load_basis"], row["kind"]) == ("reviewer time", "office")
    assert math.isnan(row["capacity_per_year"])
    assert row["decided_per_year"] == pytest.approx(4 / (2 * 0.9))


def test_committee_without_agenda_limit_has_no_load():
    scenario = make_scenario(bodies={"desk": {"kind": "office", "staff": 1, "review_days": 3},
                                     "board": agenda_board(None)})
    row = calendar_metrics.body_load(hand_events(), scenario).loc["board"]
    assert math.isnan(row["load"]) and math.isnan(row["capacity_per_year"])
    assert row["decided_per_year"] == pytest.approx(5 / (2 * 0.9))


def test_a_swamped_committee_fills_every_agenda_place():
    # 300 proposals a year against 2 places a week: a backlog at every meeting after warm-up.
    board = agenda_board(2, members=50, review_days=1)
    scenario = make_scenario(demand={"p": {"per_year": 300}},
                             bodies={"board": board}, pathways={"p": ["board"]})
    events = events_frame([simulate(scenario, 4, rep) for rep in range(2)])
    assert calendar_metrics.body_load(events, scenario).loc["board", "load"] == pytest.approx(1.0)


def test_load_grows_with_demand_on_the_baseline(baseline_runs):
    single, tripled = (results.load for results in baseline_runs)
    bodies = simlib.load_scenario("scenarios/baseline.yaml").bodies
    assert list(single.index) == [name for name in bodies if name != "proposer"]
    assert (tripled["load"] >= single["load"]).all()
    # decisions before approval grow with demand; OWD's badge work, behind its approvals,
    # falls behind at three times the demand
    approval = single.index != "owd"
    assert (tripled["decided_per_year"][approval] > 2 * single["decided_per_year"][approval]).all()
    assert tripled.loc["owd", "load"] > 0.95
    assert single["load"].between(0.0, 1.0).all()
    office = single.index[single["kind"] == "office"]
    np.testing.assert_allclose(single.loc[office, "load"],
                               baseline_runs[0].bodies.loc[office, "utilization"])


# --- queue length -------------------------------------------------------------------


def test_queue_length_counts_arrived_and_undecided(trace):
    scenario, events = trace
    table = metrics.queue_length(events, scenario, freq_days=7)
    assert list(table.columns) == ["time", "date", "body", "body_label", "waiting"]
    waiting = table.set_index(["time", "body"])["waiting"]
    # Day 7 (Mon 1 Sep): 2 and 3 at the desk; 6 is reworking (not at the clerk).
    assert waiting[(7.0, "desk")] == 2 and waiting[(7.0, "clerk")] == 0
    # Day 28 (Mon 22 Sep): 0 waits for the 24 Sep meeting, 1 is being read.
    assert waiting[(28.0, "board")] == 2 and waiting[(28.0, "desk")] == 0
    assert table.loc[table["time"] == 21.0, "waiting"].eq(0).all()
    assert table.loc[table["time"] > noon(dt.date(2026, 8, 26)), "waiting"].eq(0).all()
    assert table["date"].iloc[1] == pd.Timestamp(START) + pd.Timedelta(days=7)
    assert set(table.loc[table["body"] == "desk", "body_label"]) == {"Front desk"}


def test_queue_length_of_the_hand_log_includes_warmup_and_averages_replications():
    scenario = make_scenario()
    table = metrics.queue_length(hand_events(), scenario, freq_days=10)
    waiting = table.set_index(["time", "body"])["waiting"]
    expected = {  # (time, body): count in replication 0 + count in replication 1, over 2
        (20.0, "desk"): 1 / 2, (40.0, "desk"): 1 / 2, (40.0, "board"): 1 / 2,
        (60.0, "board"): 1 / 2, (70.0, "board"): 0.0, (110.0, "desk"): 0.0,
        (110.0, "board"): 1 / 2, (130.0, "board"): 1 / 2, (360.0, "desk"): 1 / 2,
        (0.0, "desk"): 0.0,
    }
    assert {key: waiting[key] for key in expected} == pytest.approx(expected)


def test_queue_length_is_never_negative_on_the_baseline(baseline, baseline_runs):
    table = metrics.queue_length(baseline_runs[0].events, baseline, freq_days=30)
    assert (table["waiting"] >= 0).all()
    assert table["waiting"].max() > 0
    assert set(table["body"]) == set(baseline.bodies)
