"""The iCalendar writer: all-day events with stable UIDs and a fixed DTSTAMP, so the same
items give the same bytes; what it writes reads back (with icalendar, and with the reader
of meeting calendars) as the same dates and words."""

from __future__ import annotations

import datetime as dt

import icalendar

from simlib.formats.ics import PRODID, STAMP, DatedItem, calendar_bytes, event_dates

ITEMS = [
    DatedItem(dt.date(2026, 11, 2), "Submit by (90% confidence): a credit proposal",
              "To be approved before 2027-08-23, submit by 2026-11-02; then 123 days,\n"
              "up to 158 for nine in ten; café", "plan a"),
    DatedItem(dt.date(2026, 3, 30), "Submit by (90% confidence): a noncredit proposal",
              "Submit by 2026-03-30.", "plan b"),
]


def test_the_same_items_give_the_same_bytes():
    assert calendar_bytes(ITEMS, "mcsim plan") == calendar_bytes(list(ITEMS), "mcsim plan")
    assert calendar_bytes(ITEMS) != calendar_bytes(ITEMS[:1])


def test_each_item_is_an_all_day_event_that_reads_back_as_written():
    calendar = icalendar.Calendar.from_ical(calendar_bytes(ITEMS, "mcsim plan"))
    assert str(calendar["PRODID"]) == PRODID and "mcsim" in PRODID
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "mcsim plan"
    events = [part for part in calendar.subcomponents if part.name == "VEVENT"]
    assert len(events) == len(ITEMS)
    for event, item in zip(events, ITEMS, strict=True):
        assert event.start == item.day and type(event.start) is dt.date
        assert event.end == item.day + dt.timedelta(days=1)
        assert str(event["SUMMARY"]) == item.title
        assert str(event["DESCRIPTION"]) == item.description
        assert str(event["UID"]) == item.uid
        assert event["DTSTAMP"].dt == STAMP
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_uids_are_stable_and_tell_items_apart():
    first = ITEMS[0]
    assert first.uid == DatedItem(first.day, "another title", "", first.uid_seed).uid
    assert first.uid != DatedItem(first.day + dt.timedelta(days=1), first.title,
                                  first.description, first.uid_seed).uid
    assert first.uid != DatedItem(first.day, first.title, first.description, "plan c").uid
    assert first.uid.endswith("@mcsim")


def test_the_meeting_reader_reads_the_written_dates(tmp_path):
    path = tmp_path / "plan.ics"
    path.write_bytes(calendar_bytes(ITEMS))
    assert event_dates(path, 10) == (dt.date(2026, 3, 30), dt.date(2026, 11, 2))
