"""iCalendar files (RFC 5545), read and written with the icalendar library: the start dates
of a calendar's events (a committee's published meetings), and all-day events for dated
items (the submit-by dates of a plan).

Reading costs bounded time and memory: the file must be a regular file (never a pipe or a
device) of at most :data:`MAX_BYTES` bytes of UTF-8 text starting ``BEGIN:VCALENDAR``. An
event's date is its start's date (a date-time's own date in its time zone; a UTC time in the
calendar's ``X-WR-TIMEZONE`` when it names one). A repeating event (``RRULE``) is expanded:
its occurrences up to its ``UNTIL`` or ``COUNT``, with its ``RDATE`` dates, without its
``EXDATE`` dates and the occurrences another event moves (``RECURRENCE-ID``); a rule that
never ends, repeats more often than daily or runs past :data:`MAX_RULE_YEARS` years is
refused, as is a file with more than :data:`MAX_RULES` repeating events. Cancelled events
(``STATUS:CANCELLED``) hold no date.

Writing is deterministic, so the same items give the same bytes: each event's ``UID`` is a
hash of its item's ``uid_seed`` and date, and ``DTSTAMP`` is the fixed :data:`STAMP`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import warnings
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simlib.errors import InputError
from simlib.formats.files import regular_input
from simlib.formats.printable import MAX_LINE, printable, quoted
from simlib.version import __version__

MAX_BYTES = 2_000_000  # a committee's calendar of many years is a few hundred kilobytes
MAX_RULES = 10  # repeating events in one file (each expanded by its rule)
MAX_RULE_YEARS = 20  # a repeating event is expanded at most this long
DAILY_OR_SLOWER = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
CYCLE_DAYS = 146_097  # days in 400 Gregorian years, after which the calendar repeats
STAMP = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)  # DTSTAMP of every written event
PRODID = f"-//simlib//mcsim {__version__}//EN"
MAX_SHOWN = 120  # characters of the library's own message quoted in ours
_PARSE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError)


# --- reading ---------------------------------------------------------------------------


def event_dates(path: Path, limit: int) -> tuple[dt.date, ...]:
    """The distinct dates (sorted) on which the events of the iCalendar file ``path`` start,
    at most ``limit`` of them (see the module docstring); :class:`InputError` whose message
    is the problem and what to change (without the file's name: the caller names it)."""
    calendar = _calendar(_text(path))
    events = [part for part in calendar.subcomponents if part.name == "VEVENT"]
    if not events:
        raise InputError("holds no events (VEVENT); give the calendar of the meetings")
    zone = _zone(calendar)
    moved: dict[str, set[dt.date]] = {}  # UID -> dates of the occurrences moved away
    for number, event in enumerate(events, 1):
        if event.get("RECURRENCE-ID") is not None:
            original = _read(event, number, lambda e: _day(e["RECURRENCE-ID"].dt, zone))
            moved.setdefault(str(event.get("UID", "")), set()).add(original)
    if sum(bool(event.get("RRULE")) for event in events) > MAX_RULES:
        raise InputError(f"holds more than {MAX_RULES} repeating events (RRULE); give the "
                         "meetings of one committee, each series once")
    found: set[dt.date] = set()
    for number, event in enumerate(events, 1):
        if str(event.get("STATUS", "")).upper() == "CANCELLED":
            continue
        skipped = set() if event.get("RECURRENCE-ID") is not None else moved.get(
            str(event.get("UID", "")), set())
        found.update(_read(event, number, lambda e: _occurrences(e, zone, limit)) - skipped)
        if len(found) > limit:
            raise InputError(f"holds more than {limit} meeting dates; at most {limit} (give "
                             "the meetings of the years you simulate)")
    if not found:
        raise InputError("every event is cancelled (STATUS:CANCELLED); give the calendar of "
                         "the meetings held")
    return tuple(sorted(found))


def _text(path: Path) -> str:
    """The UTF-8 text of the regular file ``path`` of at most :data:`MAX_BYTES` bytes."""
    try:
        regular_input(path, "calendar file (.ics)")
    except InputError as error:
        raise InputError(str(error).removeprefix(f"{printable(path, MAX_LINE)}: ")) from None
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"larger than {MAX_BYTES // 1_000_000} MB; a committee's calendar "
                         "is a few hundred kilobytes: check it is the right file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text; export the calendar again as UTF-8 (iCalendar "
                         "files are UTF-8)") from None


def _calendar(text: str) -> Any:
    """The one VCALENDAR of ``text`` (the library's warnings kept from the user)."""
    import icalendar

    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise InputError("not an iCalendar file (it must start with BEGIN:VCALENDAR); give "
                         "the calendar exported as .ics")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            calendar = icalendar.Calendar.from_ical(text)
    except _PARSE_ERRORS as error:
        raise InputError(f"cannot be read as iCalendar ({_brief(error)}); export the "
                         "calendar again as .ics") from None
    if getattr(calendar, "name", "") != "VCALENDAR":
        raise InputError("not an iCalendar file (no VCALENDAR); give the calendar exported "
                         "as .ics")
    return calendar


def _brief(error: BaseException) -> str:
    """The first line of a library error, at most :data:`MAX_SHOWN` characters."""
    text = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _zone(calendar: Any) -> zoneinfo.ZoneInfo | None:
    """The calendar's own time zone (``X-WR-TIMEZONE``, as Google Calendar writes), or None."""
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None


def _read(event: Any, number: int, read):
    """``read(event)``, a problem of the event as an :class:`InputError` naming it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return read(event)
    except InputError as error:
        raise InputError(f"{_named(event, number)}: {error}") from None
    except _PARSE_ERRORS as error:
        raise InputError(f"{_named(event, number)}: cannot read its dates ({_brief(error)}); "
                         "correct the event") from None


def _named(event: Any, number: int) -> str:
    """"event 3 ('MC meeting')", as a message names an event."""
    summary = event.get("SUMMARY")
    return f"event {number}" + (f" ({quoted(summary, 40)})" if summary else "")


def _local(value: dt.date | dt.datetime, zone: zoneinfo.ZoneInfo | None) -> dt.date:
    """``value`` as a naive local date or date-time: in its own time zone (a UTC time in
    ``zone``, the calendar's, when given)."""
    if not isinstance(value, dt.datetime) or value.tzinfo is None:
        return value
    if zone is not None and value.utcoffset() == dt.timedelta(0):
        value = value.astimezone(zone)
    return value.replace(tzinfo=None)


def _day(value: Any, zone: zoneinfo.ZoneInfo | None) -> dt.date:
    """The date of a DTSTART, RDATE, EXDATE or RECURRENCE-ID value."""
    if isinstance(value, tuple):  # an RDATE period (start, end or duration)
        value = value[0]
    if not isinstance(value, dt.date):
        raise InputError(f"has {str(value)[:40]!r} where a date goes; correct the event")
    local = _local(value, zone)
    return local.date() if isinstance(local, dt.datetime) else local


def _occurrences(event: Any, zone: zoneinfo.ZoneInfo | None, limit: int) -> set[dt.date]:
    """The dates of ``event``: its start and RDATE dates, and every occurrence of its
    rules, without its EXDATE dates."""
    start = event.start
    days = {_day(start, zone)} | {_day(value, zone) for value in event.rdates}
    for rule in event.rrules:
        days.update(_expanded(rule, start, zone, limit))
    return days - {_day(value, zone) for value in event.exdates}


def _expanded(rule: Any, start: dt.date | dt.datetime, zone: zoneinfo.ZoneInfo | None,
              limit: int) -> list[dt.date]:
    """The dates of one RRULE of an event starting on ``start`` (at most ``limit``)."""
    from dateutil import rrule

    first, last, count = _window(rule, start, zone)
    text = rule.to_ical().decode("ascii", "replace")
    parts = [part for part in text.split(";") if not part.upper().startswith(("COUNT=",
                                                                             "UNTIL="))]
    # dateutil looks for a next occurrence up to the year 9999 (all of it, for a rule that
    # has none, e.g. every 30 February): the rule is moved forward by whole 400-year cycles
    # (the same calendar, weekdays and all) to end less than 400 years before that
    shift = dt.timedelta(days=(dt.datetime.max - last).days // CYCLE_DAYS * CYCLE_DAYS)
    expanded = rrule.rrulestr(";".join(parts), dtstart=first + shift).replace(
        until=last + shift)
    wanted = limit + 1 if count is None else min(count, limit + 1)
    dates = [(moment - shift).date() for moment in itertools.islice(expanded, wanted)]
    if len(dates) > limit:
        raise InputError(f"repeats more than {limit} times; at most {limit} meetings")
    if count is not None and len(dates) < count and _until(rule) is None:
        raise InputError(f"has fewer than its COUNT of {count} meetings in "
                         f"{MAX_RULE_YEARS} years; end the series sooner")
    return dates


def _window(rule: Any, start: dt.date | dt.datetime, zone: zoneinfo.ZoneInfo | None
            ) -> tuple[dt.datetime, dt.datetime, int | None]:
    """(first, last, COUNT or None) of a rule: the naive local times it is expanded
    between (at most :data:`MAX_RULE_YEARS` years), refusing a rule that never ends or
    repeats more often than daily."""
    frequency = (rule.get("FREQ") or ["?"])[0]
    if frequency not in DAILY_OR_SLOWER:
        raise InputError(f"repeats {str(frequency).lower()}; a committee meets on days: "
                         "give a DAILY, WEEKLY, MONTHLY or YEARLY rule")
    count, until = (rule.get("COUNT") or [None])[0], _until(rule)
    if count is None and until is None:
        raise InputError("repeats without end (RRULE without UNTIL or COUNT); give the series "
                         "an end date in the calendar, or write the rule as meets: "
                         "{every_weeks: 2, weekday: wed}")
    local = _local(start, zone)
    first = local if isinstance(local, dt.datetime) else dt.datetime.combine(local, dt.time())
    horizon = first + dt.timedelta(days=round(365.25 * MAX_RULE_YEARS))
    if until is None:
        return first, horizon, int(count)
    if isinstance(until, dt.datetime) and until.tzinfo is not None and isinstance(
            start, dt.datetime) and start.tzinfo is not None:
        until = until.astimezone(start.tzinfo)  # the start's own zone (then zone, if UTC)
    local = _local(until, zone)
    last = local if isinstance(local, dt.datetime) else dt.datetime.combine(local, dt.time.max)
    if last > horizon:
        raise InputError(f"repeats for more than {MAX_RULE_YEARS} years; end the series "
                         "sooner")
    return first, last, None if count is None else int(count)


def _until(rule: Any) -> dt.date | None:
    """A rule's UNTIL, or None."""
    return (rule.get("UNTIL") or [None])[0]


# --- writing ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedItem:
    """One all-day event to write: its ``day``, ``title`` (the SUMMARY), ``description``
    and ``uid_seed`` (what makes its UID: the same seed and day give the same UID)."""

    day: dt.date
    title: str
    description: str
    uid_seed: str

    @property
    def uid(self) -> str:
        """The event's UID: a hash of ``uid_seed`` and ``day``."""
        digest = hashlib.sha256(f"{self.uid_seed}\n{self.day.isoformat()}".encode())
        return f"{digest.hexdigest()[:32]}@mcsim"


def calendar_bytes(items: Iterable[DatedItem], name: str = "") -> bytes:
    """An iCalendar file (UTF-8 bytes, CRLF lines) with one all-day event per item, in
    order: ``DTSTART`` its day, ``DTEND`` the next day, free time (``TRANSP:TRANSPARENT``),
    the fixed ``DTSTAMP`` :data:`STAMP`; ``name`` names the calendar (``X-WR-CALNAME``)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    if name:
        calendar.add("X-WR-CALNAME", name)
    for item in items:
        event = icalendar.Event()
        event.add("UID", item.uid)
        event.add("DTSTAMP", STAMP)
        event.add("DTSTART", item.day)
        event.add("DTEND", item.day + dt.timedelta(days=1))
        event.add("SUMMARY", item.title)
        event.add("DESCRIPTION", item.description)
        event.add("TRANSP", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
