"""Model time to calendar dates: one conversion (floor), the same in every place."""

from __future__ import annotations

import datetime as dt

import numpy as np

from simlib.engine.calendar import calendar_date, work_calendar
from simlib.engine.eventlog import EventLog
from simlib.scenario import AcademicCalendar

START = dt.date(2025, 8, 25)
TIMES = [-1.5, -1.0, -0.5, -1e-9, 0.0, 0.5, 0.999, 1.0, 364.5]
EXPECTED = [START + dt.timedelta(days=d) for d in (-2, -1, -1, -1, 0, 0, 0, 1, 364)]


def test_negative_times_fall_on_the_days_before_the_start():
    assert calendar_date(START, -0.5) == dt.date(2025, 8, 24)
    assert [calendar_date(START, t) for t in TIMES] == EXPECTED
    dates = calendar_date(START, np.array(TIMES))
    assert dates.dtype == np.dtype("datetime64[D]")
    assert dates.tolist() == EXPECTED


def test_event_log_records_and_frame_agree_on_dates_for_negative_times():
    rows = tuple((i, "p", "", "", "", "submit", t, 0) for i, t in enumerate(TIMES))
    log = EventLog(rows, 0, START, "dates")
    assert [event.date for event in log] == EXPECTED
    frame = log.to_frame()
    assert [d.date() for d in frame["date"]] == EXPECTED


def test_work_calendar_uses_the_same_conversion():
    calendar = work_calendar(
        AcademicCalendar(kind="academic", start=START, terms=[["08-25", "12-19"]]), 30
    )
    assert [calendar.date_of(t) for t in TIMES] == EXPECTED
