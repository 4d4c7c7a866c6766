"""The censored intervals hold the true durations of a simulated run (known from its event
log), and the record's rounds and day numbers are right."""

import numpy as np
import pandas as pd
import pytest

from simlib.engine.model import simulate
from simlib.fitting.observations import (
    busy_until,
    committee_intervals,
    full_meetings,
    office_frame,
    rework_intervals,
)
from simlib.fitting.record import prepare
from simlib.fitting.reviews import fit_all_meetings
from simlib.records.history import history_from_events


@pytest.fixture(scope="module")
def run(office_truth):
    log = simulate(office_truth, 11, 0)
    as_of = office_truth.calendar.start + pd.Timedelta(days=int(office_truth.horizon_days))
    record = prepare(history_from_events(log, as_of), office_truth)
    events = log.to_frame()
    order = {n: i for i, n in enumerate(events.loc[events["kind"] == "submit", "proposal"]
                                        .unique(), start=1)}
    events["proposal"] = [f"P{order[n]:05d}" for n in events["proposal"]]
    events["time"] += (office_truth.calendar.start - record.start).days
    return record, events


def _true(events, kinds, body):
    """Per (proposal, step, round): the times of two event kinds at ``body``."""
    mine = events[(events["body"] == body) & events["kind"].isin(kinds)]
    return mine.pivot_table(index=["proposal", "step", "round"], columns="kind",
                            values="time", aggfunc="first")


def _bounds_hold(lower, upper, truth):
    assert len(truth) > 20
    assert np.all(lower <= truth + 1e-9) and np.all(truth <= upper + 1e-9)


@pytest.mark.parametrize("body,staff", [("dean", 6), ("owd", 1)])
def test_office_intervals_hold_the_true_reviews(run, body, staff):
    record, events = run
    times = _true(events, ["start", "finish"], body).dropna()
    visits = record.visits[record.visits["body"] == body]
    frame = office_frame(record, visits, staff)
    frame = frame[np.isfinite(frame["upper"])]
    keys = pd.MultiIndex.from_frame(visits.loc[frame.index, ["proposal", "step", "round"]])
    worked = (record.working_time(times.loc[keys, "finish"])
              - record.working_time(times.loc[keys, "start"]))
    _bounds_hold(frame["lower"].to_numpy(), frame["upper"].to_numpy(), worked)


def test_committee_intervals_hold_the_true_readings(run, office_truth):
    record, events = run
    meetings = fit_all_meetings(record, office_truth)["mc"]
    times = _true(events, ["start", "finish"], "mc").dropna()
    visits = record.visits[(record.visits["body"] == "mc") & (record.visits["decided_day"] >= 0)]
    spec = office_truth.bodies["mc"]
    full = full_meetings(record.visits[record.visits["body"] == "mc"], spec.agenda_limit)
    assert len(full)  # the summer's backlog fills the first meetings of the fall
    lower, upper = committee_intervals(record, visits, meetings.days, spec.agenda_lead_days,
                                       full)
    times = times.loc[pd.MultiIndex.from_frame(visits[["proposal", "step", "round"]])]
    read = record.working_time(times["finish"]) - record.working_time(times["start"])
    _bounds_hold(lower, upper, np.asarray(read))
    assert np.mean(upper - lower) < 20  # informative (a gap between meetings), not 0 to inf


def test_rework_intervals_hold_the_true_reworks(run):
    record, events = run
    visits = record.visits[(record.visits["pathway"] == "credit")
                           & (record.visits["step"] == "ug_education")]
    lower, upper, _ = rework_intervals(record, visits)
    mine = events[(events["step"] == "ug_education") & (events["pathway"] == "credit")
                  & (events["time"] < record.as_of_day + 1)]
    revised = mine[mine["kind"] == "revise"].set_index(["proposal", "round"])["time"]
    back = mine[mine["kind"] == "arrive"].set_index(["proposal", "round"])["time"]
    back.index = pd.MultiIndex.from_arrays([back.index.get_level_values(0),
                                            back.index.get_level_values(1) - 1])
    gaps = (back.reindex(revised.index) - revised).sort_index()
    returned = np.isfinite(upper)
    _bounds_hold(lower[returned], upper[returned], gaps.dropna().to_numpy())


def test_rounds_count_the_visits_of_a_proposal_to_a_step(run):
    record, _ = run
    visits = record.visits
    counts = visits.groupby(["proposal", "step"])["round"].agg(["min", "max", "count"])
    assert (counts["min"] == 0).all()
    assert (counts["max"] == counts["count"] - 1).all()
    assert counts["count"].max() >= 2  # revisions happened


def test_a_review_waits_for_the_staff_to_be_free():
    # one reviewer: the third item waits for the second's decision (day 9)
    assert busy_until(np.array([5, 9, 12]), 1).tolist() == [-1, 5, 9]
    # two reviewers: the third starts after the earlier of the two decisions
    assert busy_until(np.array([5, 9, 12]), 2).tolist() == [-1, -1, 5]
    # an open visit holds its reviewer: nothing after it can have started
    assert busy_until(np.array([-1, 3]), 1)[1] == np.inf
