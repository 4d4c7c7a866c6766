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

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


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
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise PydanticCustomError(
        "holiday", f"must be 'MM-DD' (every year) or 'YYYY-MM-DD' (once), got {text!r}"
    )


class FloatingHoliday(Frozen):
    """A holiday on the ``nth`` ``weekday`` of ``month`` every year (``nth: -1``: the last),
    lasting ``days`` days, e.g. Thanksgiving: ``{month: 11, nth: 4, weekday: thu, days: 2}``."""

    month: int = Field(ge=1, le=12)
    nth: Literal[1, 2, 3, 4, -1]
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days: int = Field(default=1, ge=1, le=31)


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
    start: dt.date
    workdays: tuple[Weekday, ...] = Field(default=WEEKDAYS[:5], min_length=1)
    holidays: tuple[Holiday, ...] = ()
    terms: tuple[tuple[MonthDay, MonthDay], ...] = Field(min_length=1)


class ContinuousCalendar(Frozen):
    """Every day is a working day and committees meet all year (for checks against theory)."""

    kind: Literal["continuous"]
    start: dt.date = dt.date(2025, 1, 6)


Calendar = Annotated[AcademicCalendar | ContinuousCalendar, Field(discriminator="kind")]


class Meets(Frozen):
    """When a committee meets: every N weeks on a weekday, or the Nth weekday of each month.

    ``nth: -1`` is the last such weekday of the month. Meetings fall only inside terms and
    never on holidays unless ``outside_terms: true``. ``first`` is the earliest meeting date.
    ``skip_months`` lists months (1-12) without a meeting.
    """

    weekday: Weekday
    every_weeks: int | None = Field(default=None, ge=1)
    nth: Literal[1, 2, 3, 4, -1] | None = None
    outside_terms: bool = False
    first: dt.date | None = None
    skip_months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = ()

    @model_validator(mode="after")
    def _one_rule(self) -> Meets:
        if (self.every_weeks is None) == (self.nth is None):
            raise PydanticCustomError(
                "meets", "give exactly one of every_weeks (e.g. 2) or nth (1-4, or -1 for last)"
            )
        return self


