"""Calendars: which days are working days, which lie inside terms, and when committees meet.

Simulation time is in days since 00:00 of the calendar's ``start`` date. Office work advances
only on working days; committees decide at noon on their meeting days.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import math
from typing import Any

import numpy as np

from simlib.scenario import WEEKDAYS, AcademicCalendar, ContinuousCalendar, FloatingHoliday, Meets

MEETING_HOUR = 0.5  # committees decide at noon, so work finished that morning is on time


def calendar_date(start: Any, time: Any) -> Any:
    """The calendar date at model time ``time`` (days since 00:00 of ``start``): ``start``
    plus floor(``time``) days, so -0.5 is the day before ``start``. The one conversion from
    model time to dates: a number gives a :class:`datetime.date` (``start`` a date); an array
    of times gives a datetime64[D] array (``start`` a date or an array of them, one per time).
    """
    if np.ndim(time) == 0:
        return start + dt.timedelta(days=math.floor(time))
    days = np.floor(np.asarray(time, dtype=float)).astype("int64").astype("timedelta64[D]")
    return np.asarray(start, dtype="datetime64[D]") + days


class WorkCalendar:
    """Working days, term days and meeting days for ``n_days`` days from ``spec.start``.

    ``continuous`` calendars make every day a working, term day; working time then equals
    calendar time.
    """

    def __init__(self, spec: AcademicCalendar | ContinuousCalendar, n_days: int):
        self.start = spec.start
        self.n_days = n_days
        self.continuous = isinstance(spec, ContinuousCalendar)
        if self.continuous:
            self.working = [True] * n_days
            self.in_term = [True] * n_days
            self._holidays: set[int] = set()
        else:
            holidays = _holiday_days(spec, n_days)
            self._holidays = holidays
            workdays = {WEEKDAYS.index(day) for day in spec.workdays}
            first_weekday = spec.start.weekday()
            self.working = [
                (first_weekday + i) % 7 in workdays and i not in holidays for i in range(n_days)
            ]
            terms = _term_days(spec, n_days)
            self.in_term = [i in terms for i in range(n_days)]
        self._meetings: dict[Meets, tuple[float, ...]] = {}
        self._term_clock: tuple[list[bool], list[float]] | None = None
        self._cumulative = [0.0]
        for flag in self.working:
            self._cumulative.append(self._cumulative[-1] + (1.0 if flag else 0.0))

    @property
    def holidays(self) -> frozenset[int]:
        """Day indices (0 <= day < ``n_days``) of the holidays: every body is closed then."""
        return frozenset(day for day in self._holidays if 0 <= day < self.n_days)

    def date_of(self, time: float) -> dt.date:
        """The calendar date at simulation time ``time`` (days): :func:`calendar_date`."""
        return calendar_date(self.start, time)

    def day_of(self, date: dt.date) -> int:
        """The day index of ``date`` (0 for the start date)."""
        return (date - self.start).days

    def _clock(self, in_term_only: bool) -> tuple[list[bool], list[float]]:
        """The days that count and their running count: working days, or (``in_term_only``)
        working days in term (built on first use)."""
        if not in_term_only:
            return self.working, self._cumulative
        if self._term_clock is None:
            flags = [w and t for w, t in zip(self.working, self.in_term, strict=True)]
            cumulative = [0.0]
            for flag in flags:
                cumulative.append(cumulative[-1] + (1.0 if flag else 0.0))
            self._term_clock = (flags, cumulative)
        return self._term_clock

    def working_time(self, time: float, in_term_only: bool = False) -> float:
        """Working days (``in_term_only``: in term) elapsed from the start up to ``time``."""
        flags, cumulative = self._clock(in_term_only)
        day = int(time)
        if day >= self.n_days:
            return cumulative[-1] + (time - self.n_days)
        return cumulative[day] + ((time - day) if flags[day] else 0.0)

    def add_working_days(self, time: float, working_days: float,
                         in_term_only: bool = False) -> float:
        """The time at which ``working_days`` of work begun at ``time`` is done.

        Work pauses on weekends, holidays and other non-working days (``in_term_only``: and
        outside the terms). Past the end of the precomputed span every day counts as
        working.
        """
        if self.continuous or working_days <= 0.0:
            return time + working_days
        _, cumulative = self._clock(in_term_only)
        target = self.working_time(time, in_term_only) + working_days
        if target > cumulative[-1]:
            return self.n_days + (target - cumulative[-1])
        day = bisect.bisect_left(cumulative, target) - 1
        # max: work too small to move the working clock (rounding) must not end in the past
        return max(time, day + (target - cumulative[day]))

    @functools.cached_property
    def term_starts(self) -> tuple[int, ...]:
        """The first day of each term (a term day after a day outside the terms; day 0 if
        the calendar starts in term)."""
        flags = self.in_term
        return tuple(day for day in range(self.n_days)
                     if flags[day] and (day == 0 or not flags[day - 1]))

    def next_start(self, time: float, starts: Any) -> float:
        """When something reached at ``time`` that starts on ``starts`` begins (a first
        offering): ``"term"``, the first term start on or after the day of ``time``; a list
        of dates, the first of them on or after that day, else the next term start. Never
        before ``time`` (the same day: at once); ``time`` itself when no start is left."""
        day = math.floor(time)
        if starts != "term":
            later = [self.day_of(date) for date in starts if self.day_of(date) >= day]
            if later:
                return max(time, float(min(later)))
        index = bisect.bisect_left(self.term_starts, day)
        if index < len(self.term_starts):
            return max(time, float(self.term_starts[index]))
        return time

    def meeting_times(self, meets: Meets) -> tuple[float, ...]:
        """Times (days, at noon) of every meeting held under the ``meets`` rule (worked out
        once per rule: every replication of a run asks for the same dates)."""
        cached = self._meetings.get(meets)
        if cached is None:
            cached = self._meetings[meets] = tuple(self._meeting_times(meets))
        return cached

    def _meeting_times(self, meets: Meets) -> list[float]:
        if meets.dates is not None:
            return [day + MEETING_HOUR for day in self._listed_days(meets.dates)]
        if meets.every_weeks is not None:
            days = self._weekly_days(meets)
        else:
            days = self._monthly_days(meets)
        held = []
        for day in days:
            month = (self.start + dt.timedelta(days=day)).month
            if month in meets.skip_months:
                continue
            if not self.continuous and not meets.outside_terms and not self.in_term[day]:
                continue
            if day in self._holidays:
                continue
            held.append(day + MEETING_HOUR)
        return held

    def _listed_days(self, dates: tuple[dt.date, ...]) -> list[int]:
        """The days of the listed meeting dates, the pattern repeated before and after them
        in whole blocks of 52 weeks (364 days: weekdays stay), within 0..n_days - 1."""
        listed = [self.day_of(date) for date in dates]
        period = 364 * (1 + (listed[-1] - listed[0]) // 364)
        shift = -((listed[0] // period) + 1) * period if listed[0] >= 0 else 0
        days = set()
        while listed[0] + shift < self.n_days:
            days.update(day + shift for day in listed if 0 <= day + shift < self.n_days)
            shift += period
        return sorted(days)

    def _first_day(self, meets: Meets) -> int:
        first = max(self.start, meets.first) if meets.first else self.start
        offset = (WEEKDAYS.index(meets.weekday) - first.weekday()) % 7
        return self.day_of(first) + offset

    def _weekly_days(self, meets: Meets) -> range:
        return range(self._first_day(meets), self.n_days, 7 * meets.every_weeks)

    def _monthly_days(self, meets: Meets) -> list[int]:
        days = []
        earliest = max(0, self.day_of(meets.first)) if meets.first else 0
        year, month = self.start.year, self.start.month
        weekday = WEEKDAYS.index(meets.weekday)
        while self.day_of(dt.date(year, month, 1)) < self.n_days:
            dates = {_nth_weekday(year, month, weekday, nth) for nth in meets.nths}
            for day in sorted(self.day_of(date) for date in dates if date.month == month):
                if earliest <= day < self.n_days:
                    days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return days


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The ``nth`` (1-5, or -1 for the last) ``weekday`` (0 = Monday) of a month; a 5th
    that the month does not have falls in the next month (callers skip it)."""
    if nth == -1:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = following - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _span_years(start: dt.date, n_days: int) -> range:
    end = start + dt.timedelta(days=n_days)
    return range(start.year - 1, end.year + 1)


def _month_day(year: int, text: str) -> dt.date:
    month, day = int(text[:2]), int(text[3:])
    if (month, day) == (2, 29) and not _is_leap(year):
        day = 28
    return dt.date(year, month, day)


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _yearly_ranges(start: dt.date, n_days: int, first: str, last: str) -> set[int]:
    """Day indices inside the inclusive month-day range [first, last] in every year."""
    days = set()
    for year in _span_years(start, n_days):
        begin = _month_day(year, first)
        end = _month_day(year + (1 if last < first else 0), last)
        for offset in range((end - begin).days + 1):
            index = (begin - start).days + offset
            if 0 <= index < n_days:
                days.add(index)
    return days


def _floating_days(start: dt.date, n_days: int, holiday: FloatingHoliday) -> set[int]:
    """Day indices of a floating holiday (e.g. the 4th Thursday of November) every year."""
    weekday = WEEKDAYS.index(holiday.weekday)
    days = set()
    for year in _span_years(start, n_days):
        first = (_nth_weekday(year, holiday.month, weekday, holiday.nth) - start).days
        days.update(d for d in range(first, first + holiday.days) if 0 <= d < n_days)
    return days


def _holiday_days(spec: AcademicCalendar, n_days: int) -> set[int]:
    days: set[int] = set()
    for item in spec.holidays:
        if isinstance(item, FloatingHoliday):
            days |= _floating_days(spec.start, n_days, item)
            continue
        first, last = item if isinstance(item, tuple) else (item, item)
        if len(first) == 5:
            days |= _yearly_ranges(spec.start, n_days, first, last)
        else:
            begin = dt.date.fromisoformat(first)
            end = dt.date.fromisoformat(last)
            for offset in range((end - begin).days + 1):
                days.add((begin - spec.start).days + offset)
    return days


def _term_days(spec: AcademicCalendar, n_days: int) -> set[int]:
    days: set[int] = set()
    for first, last in spec.terms:
        days |= _yearly_ranges(spec.start, n_days, first, last)
    return days


@functools.lru_cache(maxsize=32)
def work_calendar(spec: AcademicCalendar | ContinuousCalendar, n_days: int) -> WorkCalendar:
    """A cached :class:`WorkCalendar` (calendars are read-only once built)."""
    return WorkCalendar(spec, n_days)


START_SEARCH_DAYS = 800  # days after the calendar start in which first_start looks for a term


def first_start(spec: AcademicCalendar | ContinuousCalendar, time: float, starts: Any) -> float:
    """:meth:`WorkCalendar.next_start` of something reached at ``time`` (days since
    ``spec.start``; it may be before the start: a pipeline entry reached its step in the
    past), so the result may be negative. It is counted on the calendar begun the day before
    the day of ``time``, so a calendar begun in term does not make its first day a term
    start; term starts are looked for up to :data:`START_SEARCH_DAYS` after ``spec.start``."""
    origin = math.floor(time) - 1
    earlier = spec.model_copy(update={"start": spec.start + dt.timedelta(days=origin)})
    calendar = work_calendar(earlier, START_SEARCH_DAYS - origin)
    return calendar.next_start(time - origin, starts) + origin
