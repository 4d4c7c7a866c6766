"""What the bodies' work costs in hours: the hours of a replication add up, a fixed-time
scenario's hours are its hand-counted meetings, items and reviews times their prices, and
the pooled table's means and intervals are those of the replications."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from support.scenarios import office, small_scenario

from simlib.engine.model import simulate
from simlib.metrics import pooled
from simlib.metrics.summary import body_hours, hours_per_year, priced, summarise
from simlib.statistics import t_interval

SEED, REPLICATIONS = 7, 4
DESK = {"per_review": 1.5}
BOARD = {"per_meeting": 2.0, "per_item": 0.25, "per_review": 0.5}
MEMBERS = 3


@pytest.fixture(scope="module")
def fixed_times():
    """An academic year with fixed review times: a desk (ten reviewers, 30 working days)
    then a board of three meeting every Wednesday all year (summer included) with 1-day
    reviews; the desk's reviews are so long that proposals are still going at the horizon
    (so every meeting of the window is held)."""
    board = {"kind": "committee", "members": MEMBERS, "review_days": 1,
             "meets": {"every_weeks": 1, "weekday": "wed", "outside_terms": True},
             "hours": BOARD}
    return small_scenario(calendar="academic", horizon_years=2, warmup_years=0.5,
                          per_year=60, bodies={"desk": office(10, 30, hours=DESK),
                                               "board": board})


@pytest.fixture(scope="module")
def logs(fixed_times):
    return [simulate(fixed_times, SEED, k) for k in range(REPLICATIONS)]


def in_term(date: dt.date) -> bool:
    """The terms of :data:`ACADEMIC`, by hand: 25 August to 19 December, 20 January to
    15 May."""
    day = (date.month, date.day)
    return (8, 25) <= day <= (12, 19) or (1, 20) <= day <= (5, 15)


def holiday(date: dt.date) -> bool:
    """The holidays of :data:`ACADEMIC`, by hand."""
    day = (date.month, date.day)
    return day in ((9, 1), (11, 27), (11, 28)) or day >= (12, 20) or day <= (1, 19)


def date_at(scenario, time: float) -> dt.date:
    return scenario.calendar.start + dt.timedelta(days=int(np.floor(time)))


def hand_counted(scenario, log) -> dict[str, np.ndarray]:
    """Per body: (in term, outside terms) person-hours of the window, counted by hand from
    the calendar (the Wednesdays at noon that are not holidays, where the board decided
    something: a meeting with no item of the pipeline costs it nothing) and the log's
    reviews and decisions."""
    low, high = scenario.warmup_days, scenario.horizon_days
    start = scenario.calendar.start
    decided_at = {row[6] for row in log.rows if row[4] == "board" and row[5] == "approve"}
    meetings = np.zeros(2)
    for day in range(int(high) + 1):
        date = start + dt.timedelta(days=day)
        if (date.weekday() == 2 and not holiday(date) and low <= day + 0.5 <= high
                and day + 0.5 in decided_at):
            meetings[0 if in_term(date) else 1] += 1
    counts = {(body, kind): np.zeros(2) for body in ("desk", "board")
              for kind in ("finish", "approve")}
    for _, _, _, _, body, kind, time, _ in log.rows:
        if (body, kind) in counts and low <= time <= high:
            counts[body, kind][0 if in_term(date_at(scenario, time)) else 1] += 1
    assert max(row[6] for row in log.rows) > high  # the pipeline runs past the horizon
    board = (meetings * MEMBERS * BOARD["per_meeting"]
             + counts["board", "approve"] * MEMBERS * BOARD["per_item"]
             + counts["board", "finish"] * BOARD["per_review"])
    return {"desk": counts["desk", "finish"] * DESK["per_review"], "board": board}


def test_a_fixed_time_scenarios_hours_are_its_hand_counted_work_times_its_prices(
        fixed_times, logs):
    years = (fixed_times.horizon_days - fixed_times.warmup_days) / 365.0
    for log in logs:
        expected = hand_counted(fixed_times, log)
        hours = body_hours(summarise(log, fixed_times), fixed_times)
        assert hours[0] == pytest.approx(expected["desk"])
        assert hours[1] == pytest.approx(expected["board"])
        assert expected["board"][1] > 0  # the summer's meetings are outside terms
        totals = hours_per_year(summarise(log, fixed_times), fixed_times)
        assert totals["faculty"] == pytest.approx(expected["board"].sum() / years)
        assert totals["faculty_outside_terms"] == pytest.approx(expected["board"][1] / years)
        assert totals["staff"] == pytest.approx(expected["desk"].sum() / years)


def test_the_hours_of_a_replication_add_up(fixed_times, logs):
    summaries = [summarise(log, fixed_times) for log in logs]
    frame = pooled.hours_frame(summaries, fixed_times)
    bodies = {name: frame[f"{name}.in_term"] + frame[f"{name}.outside_terms"]
              for name in fixed_times.bodies}
    np.testing.assert_allclose(frame["total"], bodies["desk"] + bodies["board"])
    np.testing.assert_allclose(frame["total"], frame["faculty"] + frame["staff"])
    np.testing.assert_allclose(frame["faculty"], bodies["board"])
    np.testing.assert_allclose(frame["faculty_outside_terms"], frame["board.outside_terms"])
    table = pooled.hours_table(summaries, fixed_times)
    assert table.loc["total", "mean"] == pytest.approx(
        sum(table.loc[f"{name}.{part}", "mean"] for name in fixed_times.bodies
            for part in pooled.PARTS))


def test_the_pooled_table_is_the_mean_and_t_interval_of_the_replications(fixed_times, logs):
    summaries = [summarise(log, fixed_times) for log in logs]
    frame = pooled.hours_frame(summaries, fixed_times)
    table = pooled.hours_table(summaries, fixed_times)
    for name in ("faculty", "staff", "board.outside_terms"):
        assert table.loc[name, "mean"] == pytest.approx(frame[name].mean())
        assert tuple(table.loc[name, ["low", "high"]]) == pytest.approx(
            t_interval(frame[name].to_numpy()))
    approved = frame["approved_per_year"]
    assert table.loc[pooled.PER_APPROVED, "mean"] == pytest.approx(
        frame["total"].sum() / approved.sum())
    low, high = table.loc[pooled.PER_APPROVED, ["low", "high"]]
    assert low < table.loc[pooled.PER_APPROVED, "mean"] < high


def test_a_scenario_without_hours_is_not_priced_and_costs_nothing(fixed_times):
    plain = small_scenario()
    assert not priced(plain) and priced(fixed_times)
    summaries = [summarise(simulate(plain, SEED, k), plain) for k in range(2)]
    assert (pooled.hours_table(summaries, plain)["mean"] == 0).all()
