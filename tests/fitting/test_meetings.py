"""Meeting rules and lists recovered from the decision dates of simulated records."""

import datetime as dt

import numpy as np
import pytest

from simlib.engine.calendar import WorkCalendar
from simlib.fitting.meetings import BLOCK_DAYS, fit_meetings
from simlib.fitting.record import prepare
from simlib.fitting.reviews import fit_all_meetings
from simlib.records.history import simulated_history
from simlib.scenario import Meets


@pytest.fixture(scope="module")
def office_meetings(office_truth):
    record = prepare(simulated_history(office_truth, seed=21), office_truth)
    return record, fit_all_meetings(record, office_truth)


def test_the_nth_rule_is_recovered(office_meetings):
    _, found = office_meetings
    assert found["mc"].meets == Meets(nth=(1, 3), weekday="tue")
    assert found["grad_council"].meets == Meets(nth=1, weekday="mon")
    assert found["mc"].explained == 1.0


def test_an_every_weeks_rule_keeps_its_phase(office_meetings, office_truth):
    record, found = office_meetings
    fitted = found["fs_executive"].meets
    assert (fitted.every_weeks, fitted.weekday) == (2, "tue")
    calendar = WorkCalendar(office_truth.calendar, 4000)
    offset = (office_truth.calendar.start - record.start).days
    truth = calendar.meeting_times(office_truth.bodies["fs_executive"].meets)
    truth_days = {int(t) + offset for t in truth}
    fitted_days = set(found["fs_executive"].days.tolist())
    assert len(fitted_days) > 50 and fitted_days <= truth_days


def test_irregular_dates_are_listed_one_block_of_52_weeks(irregular_truth):
    record = prepare(simulated_history(irregular_truth, seed=22), irregular_truth)
    found = fit_all_meetings(record, irregular_truth)["fs_program_review"]
    assert found.meets.dates is not None
    listed = [(day - record.start).days for day in found.meets.dates]
    assert max(listed) - min(listed) < BLOCK_DAYS
    truth = irregular_truth.bodies["fs_program_review"].meets.dates
    truth_days = {(day - record.start).days % BLOCK_DAYS for day in truth}
    assert {day % BLOCK_DAYS for day in listed} <= truth_days  # never invented
    assert len(listed) >= len(truth) - 2  # and few missed
    assert found.explained >= 0.9


def test_a_scattered_record_is_listed_date_by_date(office_truth):
    record = prepare(simulated_history(office_truth, seed=23), office_truth)
    rng = np.random.default_rng(5)
    decided = np.sort(rng.choice(np.arange(10, 300), size=12, replace=False))
    found = fit_meetings(record, decided)
    assert found.meets.dates == tuple(record.start + dt.timedelta(days=int(d)) for d in decided)
    assert "every decision date" in found.method
    assert fit_meetings(record, []) is None
