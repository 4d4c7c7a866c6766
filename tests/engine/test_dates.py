"""Model time to calendar dates: one conversion (floor), the same in every place."""

from __future__ import annotations

import datetime as dt

import numpy as np

from simlib.engine.calendar import calendar_date, work_calendar
from simlib.engine.eventlog import EventLog
from simlib.scenario import AcademicCalendar, Meets

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


def _meeting_dates(meets: dict, days: int = 120, **calendar: object) -> list[dt.date]:
    spec = AcademicCalendar(kind="academic", start=START, terms=[["08-25", "12-19"]],
                            **calendar)
    work = work_calendar(spec, days)
    return [work.date_of(time) for time in work.meeting_times(Meets(**meets))]


def test_nth_list_meets_on_the_first_and_third_monday_of_each_month():
    # September 2025 starts on a Monday, October on a Wednesday, November on a Saturday
    assert _meeting_dates({"nth": [1, 3], "weekday": "mon"}) == [
        dt.date(2025, 9, 1), dt.date(2025, 9, 15), dt.date(2025, 10, 6),
        dt.date(2025, 10, 20), dt.date(2025, 11, 3), dt.date(2025, 11, 17),
        dt.date(2025, 12, 1), dt.date(2025, 12, 15),
    ]


def test_nth_list_order_and_last_week_and_fifth_weekday():
    # -1 and 5 on the same day meet once (September has five Mondays); months without a
    # 5th Monday skip it; the start, 25 August, is the last Monday of August
    dates = _meeting_dates({"nth": [-1, 5, 2], "weekday": "mon"})
    assert dates == [
        dt.date(2025, 8, 25), dt.date(2025, 9, 8), dt.date(2025, 9, 29), dt.date(2025, 10, 13),
        dt.date(2025, 10, 27), dt.date(2025, 11, 10), dt.date(2025, 11, 24),
        dt.date(2025, 12, 8),
    ]
    assert _meeting_dates({"nth": 1, "weekday": "mon"}) == _meeting_dates(
        {"nth": [1], "weekday": "mon"})


def test_nth_list_skips_holidays_and_the_meetings_before_first():
    dates = _meeting_dates({"nth": [1, 3], "weekday": "mon", "first": "2025-09-10"},
                           holidays=["10-20"])
    assert dates[:3] == [dt.date(2025, 9, 15), dt.date(2025, 10, 6), dt.date(2025, 11, 3)]


def test_listed_meetings_are_held_on_their_dates_even_outside_terms_and_on_holidays():
    listed = ["2025-09-03", "2025-12-25", "2025-12-31"]  # the last two outside the term
    assert _meeting_dates({"dates": listed}, days=140, holidays=["12-25"]) == [
        dt.date(2025, 9, 3), dt.date(2025, 12, 25), dt.date(2025, 12, 31)]


def test_listed_meetings_repeat_in_blocks_of_52_weeks_before_and_after_the_list():
    # a list from 2026-09-02 (a Wednesday) to 2027-01-06 spans under 52 weeks: it repeats
    # every 364 days, so the copies fall on Wednesdays too, also before the list
    listed = [dt.date(2026, 9, 2), dt.date(2026, 11, 4), dt.date(2027, 1, 6)]
    dates = _meeting_dates({"dates": [day.isoformat() for day in listed]}, days=3 * 365)
    block = dt.timedelta(days=364)
    assert dates == sorted(
        day + shift for day in listed for shift in (-block, dt.timedelta(0), block)
        if START <= day + shift < START + dt.timedelta(days=3 * 365))
    assert {day.weekday() for day in dates} == {2}
    assert dates[0] == dt.date(2025, 9, 3)
