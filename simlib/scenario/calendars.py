"""Calendars in scenario files: working days, holidays, terms and committee meeting rules."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simlib.formats.frozen import Frozen
from simlib.formats.numbers import bounded

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
FIRST_DATE = dt.date(1900, 1, 1)  # dates of a scenario lie in this range, so a run of
LAST_DATE = dt.date(2999, 12, 31)  # up to 100 years (and its drain) stays in the calendar
NTH = (1, 2, 3, 4, 5, -1)  # the nth weekday of a month: 5th (where there is one) or last
MAX_HOLIDAY_DAYS = 366


def _in_range(day: dt.date) -> dt.date:
    """A date between :data:`FIRST_DATE` and :data:`LAST_DATE`."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise PydanticCustomError(
            "calendar_range", f"must be a date between {FIRST_DATE} and {LAST_DATE}, got {day}")
    return day


Date = Annotated[dt.date, AfterValidator(_in_range)]
Month = bounded(12, "", whole=True, ge=1)


def _month_day(text: Any) -> str:
    """Validate a 'MM-DD' string (a day that exists in a leap year)."""
    if not isinstance(text, str):
        raise PydanticCustomError(
            "month_day", f"must be a month-day 'MM-DD' in quotes, got {text!r}"
        )
    try:
        dt.date.fromisoformat(f"2024-{text}")
    except ValueError:
        raise PydanticCustomError(
            "month_day", f"must be a real month-day 'MM-DD', e.g. '08-25', got {text!r}"
        ) from None
    return text


MonthDay = Annotated[str, AfterValidator(_month_day), Field(json_schema_extra={"format": "MM-DD"})]


def _holiday_day(text: Any) -> str:
    """Validate one holiday day: 'MM-DD' (every year) or 'YYYY-MM-DD' (once)."""
    if isinstance(text, str) and len(text) == 5:
        return _month_day(text)
    if isinstance(text, str) and len(text) == 10:
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            _in_range(day)
            return text
    raise PydanticCustomError(
        "holiday", f"must be 'MM-DD' (every year) or 'YYYY-MM-DD' (once), got {text!r}"
    )


def _shown(item: Any) -> str:
    """A value as a message quotes it (true/false as YAML writes them; at most 40 chars)."""
    return str(item).lower() if isinstance(item, bool) else repr(item)[:40]


def _not_true_or_false(value: Any) -> Any:
    """Refuse yes/no where a number goes (pydantic would read true as 1)."""
    if isinstance(value, bool):
        raise PydanticCustomError("number", f"must be a number, got {_shown(value)} "
                                  "(YAML reads yes/no as true/false)")
    return value


class FloatingHoliday(Frozen):
    """A holiday on the ``nth`` ``weekday`` of ``month`` every year (``nth: -1``: the last),
    lasting ``days`` days, e.g. Thanksgiving: ``{month: 11, nth: 4, weekday: thu, days: 2}``."""

    month: Month
    nth: Annotated[Literal[1, 2, 3, 4, -1], BeforeValidator(_not_true_or_false)]
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days: bounded(31, "days", whole=True, ge=1) = 1


def _holiday(value: Any) -> str | tuple[str, str]:
    """Validate a holiday: one day, or a [first, last] range of days of the same form."""
    if not isinstance(value, list | tuple):
        return _holiday_day(value)
    if len(value) != 2:
        raise PydanticCustomError(
            "holiday", f"a holiday range needs 2 days [first, last], got {list(value)!r}"
        )
    first, last = _holiday_day(value[0]), _holiday_day(value[1])
    if len(first) != len(last):
        raise PydanticCustomError(
            "holiday", f"both ends of a range must be 'MM-DD' or both 'YYYY-MM-DD', got "
            f"{[first, last]!r}"
        )
    if len(first) == 10 and last < first:
        raise PydanticCustomError(
            "holiday", f"range ends before it starts: {[first, last]!r}; swap them"
        )
    if len(first) == 10:
        length = (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1
        if length > MAX_HOLIDAY_DAYS:
            raise PydanticCustomError(
                "holiday", f"a holiday range is at most {MAX_HOLIDAY_DAYS} days, got "
                f"{length} days {[first, last]!r}; shorten it"
            )
    return (first, last)


Holiday = Annotated[
    Annotated[Annotated[str | tuple[str, str], BeforeValidator(_holiday)], Tag("day")]
    | Annotated[FloatingHoliday, Tag("floating")],
    Discriminator(lambda v: "floating" if isinstance(v, dict | FloatingHoliday) else "day"),
]


class AcademicCalendar(Frozen):
    """Working weekdays, holidays and terms repeating every year from ``start``.

    ``holidays`` items are 'MM-DD' (every year), 'YYYY-MM-DD' (once), a two-item range of
    either form, or a :class:`FloatingHoliday` such as the 1st Monday of September.
    ``terms`` are ['MM-DD', 'MM-DD'] ranges (inclusive) in which committees meet.
    """

    kind: Literal["academic"]
    start: Date
    workdays: tuple[Weekday, ...] = Field(default=WEEKDAYS[:5], min_length=1)
    holidays: tuple[Holiday, ...] = ()
    terms: tuple[tuple[MonthDay, MonthDay], ...] = Field(min_length=1)


class ContinuousCalendar(Frozen):
    """Every day is a working day and committees meet all year (for checks against theory)."""

    kind: Literal["continuous"]
    start: Date = dt.date(2025, 1, 6)


Calendar = Annotated[AcademicCalendar | ContinuousCalendar, Field(discriminator="kind")]


def _nth(value: Any) -> Any:
    """``nth``: one of :data:`NTH`, or a list of them without repeats (a tuple), or None."""
    if value is None:
        return None
    several = isinstance(value, list | tuple)
    items = tuple(value) if several else (value,)
    if not items:
        raise PydanticCustomError("nth", "needs at least one week of the month, e.g. [1, 3]")
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int) or item not in NTH:
            raise PydanticCustomError(
                "nth", "must be 1-5 (the 1st to 5th weekday of the month) or -1 (the last), "
                f"or a list of them such as [1, 3]; got {_shown(item)}")
    repeated = sorted({item for item in items if items.count(item) > 1})
    if repeated:
        raise PydanticCustomError("nth", f"lists {repeated[0]} twice; list each week once")
    return items if several else value


MAX_MEETING_DATES = 2000  # about 40 years of weekly meetings


def _dates(value: Any) -> Any:
    """``dates``: a non-empty list of distinct dates, sorted (a tuple), or None."""
    if value is None:
        return None
    if not isinstance(value, list | tuple) or not value:
        raise PydanticCustomError("dates", "must be a list of meeting dates, e.g. "
                                  "[2026-09-09, 2026-09-23]")
    if len(value) > MAX_MEETING_DATES:
        raise PydanticCustomError("dates", f"lists {len(value)} meetings; at most "
                                  f"{MAX_MEETING_DATES}")
    return tuple(value)


def _distinct(value: tuple[dt.date, ...] | None) -> tuple[dt.date, ...] | None:
    """The meeting dates in order; a date listed twice is an error."""
    if value is None:
        return None
    repeated = sorted({day for day in value if value.count(day) > 1})
    if repeated:
        raise PydanticCustomError("dates", f"lists {repeated[0].isoformat()} twice; list "
                                  "each meeting once")
    return tuple(sorted(value))


class Meets(Frozen):
    """When a committee meets: every N weeks on a weekday, the Nth weekday of each month, or
    on a list of dates.

    ``nth`` is 1-5 (a month without a 5th such weekday has no meeting that week) or -1,
    the last such weekday of the month; a list, e.g. ``[1, 3]``, meets in each of those
    weeks (the 1st and 3rd). Meetings fall only inside terms and never on holidays unless
    ``outside_terms: true``. ``first`` is the earliest meeting date. ``skip_months`` lists
    months (1-12) without a meeting.

    ``dates`` (e.g. what a history fit found, when no rule explains the record) lists the
    meetings as they were held: no term, holiday or month filter applies. Before the first
    and after the last listed date the same pattern repeats in whole blocks of 52 weeks
    (the list's span rounded up), so each meeting keeps its weekday and a simulation longer
    than the list still has meetings. ``weekday`` is not given with ``dates``. A scenario
    file's ``meets: {ics: FILE}`` (a published calendar) becomes ``dates`` when it is loaded
    (:func:`simlib.scenario.loading.with_meeting_calendars`): this model reads no file.
    """

    weekday: Weekday | None = Field(None, description="the day of the week it meets")
    every_weeks: bounded(52, "weeks", whole=True, ge=1) | None = Field(
        None, description="weeks between meetings")
    nth: Annotated[int | tuple[int, ...] | None, BeforeValidator(_nth)] = Field(
        None, description="meets on the Nth such weekday of each month (-1: the last)")
    dates: Annotated[tuple[Date, ...] | None, BeforeValidator(_dates),
                     AfterValidator(_distinct)] = None
    outside_terms: bool = Field(
        False, description="also meets outside terms (summer and winter breaks)")
    first: Date | None = None
    skip_months: tuple[Month, ...] = ()

    @model_validator(mode="after")
    def _one_rule(self) -> Meets:
        rules = [self.every_weeks is not None, self.nth is not None, self.dates is not None]
        if sum(rules) != 1:
            raise PydanticCustomError(
                "meets", "give exactly one of every_weeks (e.g. 2), nth (1-5, -1 for the "
                "last, or a list such as [1, 3]) or dates (a list of YYYY-MM-DD)"
            )
        if self.dates is None and self.weekday is None:
            raise PydanticCustomError("meets", "needs a weekday, e.g. weekday: wed")
        if self.dates is not None and (self.weekday is not None or self.first is not None
                                       or self.skip_months or self.outside_terms):
            raise PydanticCustomError(
                "meets", "dates lists the meetings as held: leave out weekday, first, "
                "skip_months and outside_terms")
        return self

    @property
    def nths(self) -> tuple[int, ...]:
        """The weeks of the month of an ``nth`` rule, as a tuple (empty for every_weeks)."""
        if self.nth is None:
            return ()
        return self.nth if isinstance(self.nth, tuple) else (self.nth,)
