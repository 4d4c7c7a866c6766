"""Hostile meeting calendars (``meets: {ics: FILE}``) and ``mcsim plan --ics`` outputs: each
is refused in one line (exit 2, no traceback, within the harness's time and memory limits)
that names the scenario file, the key path and the calendar file, and says what to change;
no file is replaced."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from support.hostile import HOSTILE, check_refused, run_mcsim

BASE = (HOSTILE / "whatif" / "_base.yaml").read_text()
RULE = "meets: {every_weeks: 2, weekday: wed}"
HEAD = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
TAIL = "END:VCALENDAR\r\n"
GOOD = HEAD + "BEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20250903\r\nEND:VEVENT\r\n" + TAIL


def event(*lines: str, uid: str = "1") -> str:
    return "".join(f"{line}\r\n" for line in ("BEGIN:VEVENT", f"UID:{uid}", "SUMMARY:Board",
                                              *lines, "END:VEVENT"))


def calendar(*events: str) -> str:
    return HEAD + "".join(events) + TAIL


def text(content: str) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content.encode("utf-8"))


def raw(content: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(content)


def weekly(rule: str) -> str:
    return calendar(event("DTSTART;VALUE=DATE:20250903", f"RRULE:{rule}"))


# id: (what `ics:` names, how to make it (None: nothing), what the message says)
CASES = {
    "missing": ("missing.ics", None, "not found; check the name (it is relative to this file)"),
    "folder": ("folder.ics", Path.mkdir, "not a regular file (a folder)"),
    "named pipe": ("pipe.ics", os.mkfifo, "not a regular file (a named pipe)"),
    "device": ("/dev/zero", None, "not a regular file (a device)"),
    "huge": ("huge.ics", text(GOOD + "X-PAD:" + "x" * 2_100_000 + "\r\n"),
             "larger than 2 MB"),
    "empty": ("empty.ics", text(""), "not an iCalendar file"),
    "a scenario": ("scenario.ics", text(BASE), "not an iCalendar file (it must start with "
                                               "BEGIN:VCALENDAR)"),
    "binary": ("binary.ics", raw(b"BEGIN:VCALENDAR\r\n\x00\xff\xfe" * 100), "not UTF-8 text"),
    "latin-1": ("latin.ics", raw(calendar(event("DTSTART;VALUE=DATE:20250903",
                                                "LOCATION:Caf\xe9")).encode("latin-1")),
                "not UTF-8 text; export the calendar again as UTF-8"),
    "broken": ("broken.ics", text(HEAD + "this is not a content line\r\n" + TAIL),
               "cannot be read as iCalendar"),
    "unclosed": ("unclosed.ics", text(HEAD + event("DTSTART;VALUE=DATE:20250903")),
                 "cannot be read as iCalendar"),
    "no events": ("none.ics", text(calendar()), "holds no events (VEVENT)"),
    "invalid date": ("date.ics", text(calendar(event("DTSTART;VALUE=DATE:20251340"))),
                     "event 1 ('Board'): cannot read its dates"),
    "no start": ("start.ics", text(calendar(event("LOCATION:Room 1"))), "No DTSTART"),
    "out of range": ("range.ics", text(calendar(event("DTSTART;VALUE=DATE:10661014"))),
                     "a meeting on 1066-10-14 is outside 1900-01-01 to 2999-12-31"),
    "endless rule": ("endless.ics", text(weekly("FREQ=WEEKLY;INTERVAL=2")),
                     "repeats without end (RRULE without UNTIL or COUNT)"),
    "hourly rule": ("hourly.ics", text(weekly("FREQ=HOURLY;COUNT=10")), "repeats hourly"),
    "rule of a century": ("century.ics", text(weekly("FREQ=WEEKLY;UNTIL=21250101")),
                          "repeats for more than 20 years"),
    "rule with no meetings": ("never.ics",
                              text(weekly("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=3")),
                              "has fewer than its COUNT of 3 meetings in 20 years"),
    "rule of too many": ("daily.ics", text(weekly("FREQ=DAILY;COUNT=100000")),
                         "repeats more than 2000 times"),
    "broken rule": ("rule.ics", text(weekly("FREQ=WEEKLY;BYDAY=XX;COUNT=3")),
                    "cannot read its dates"),
    "too many rules": ("rules.ics", text(calendar(*(
        event("DTSTART;VALUE=DATE:20250903", "RRULE:FREQ=WEEKLY;COUNT=2", uid=str(number))
        for number in range(11)))), "more than 10 repeating events"),
    "too many dates": ("many.ics", text(calendar(*(
        event(f"DTSTART;VALUE=DATE:{2025 + number // 300}{number % 12 + 1:02d}"
              f"{number // 12 % 25 + 1:02d}", uid=str(number)) for number in range(2400)))),
        "holds more than 2000 meeting dates"),
    "all cancelled": ("cancelled.ics", text(calendar(event("DTSTART;VALUE=DATE:20250903",
                                                           "STATUS:CANCELLED"))),
                      "every event is cancelled"),
}


@pytest.mark.parametrize(("name", "make", "says"), list(CASES.values()), ids=list(CASES))
def test_a_hostile_calendar_is_refused_in_one_line(tmp_path, name, make, says):
    (tmp_path / "cal.yaml").write_text(BASE.replace(RULE, f"meets: {{ics: {name}}}"))
    if make is not None:
        make(tmp_path / name)
    message = check_refused(run_mcsim(["validate", "cal.yaml"], tmp_path))
    assert message.startswith(f"cal.yaml: bodies.mc.meets.ics: calendar file '{name}': "), \
        message
    assert says in message, message


@pytest.mark.parametrize(("meets", "says"), [
    ("{ics: mc.ics, weekday: wed}", "the calendar file gives the meetings alone: leave out "
                                    "weekday"),
    ("{ics: mc.ics, dates: [2025-09-03]}", "leave out dates"),
    ("{ics: 3}", "must be a file name, e.g. mc-meetings.ics"),
    ("{ics: ''}", "must be a file name"),
])
def test_ics_beside_other_keys_or_not_a_name_is_refused(tmp_path, meets, says):
    (tmp_path / "mc.ics").write_text(GOOD)
    (tmp_path / "cal.yaml").write_text(BASE.replace(RULE, f"meets: {meets}"))
    message = check_refused(run_mcsim(["validate", "cal.yaml"], tmp_path))
    assert message.startswith("cal.yaml: bodies.mc.meets.ics: "), message
    assert says in message, message


def test_a_whatif_names_its_own_file_and_the_block_to_set(tmp_path):
    (tmp_path / "_base.yaml").write_text(BASE)
    (tmp_path / "mc.ics").write_text(GOOD)
    (tmp_path / "what.yaml").write_text("extends: _base.yaml\nname: what\n"
                                        "set:\n  bodies.mc.meets.ics: mc.ics\n")
    message = check_refused(run_mcsim(["validate", "what.yaml"], tmp_path))
    assert message == ("what.yaml: bodies.mc.meets.ics: the calendar file gives the meetings "
                       "alone: leave out every_weeks, weekday (in a what-if, set the whole "
                       "block: bodies.mc.meets: {ics: FILE})"), message
    (tmp_path / "what.yaml").write_text("extends: _base.yaml\nname: what\n"
                                        "set:\n  bodies.mc.meets: {ics: mc.ics}\n")
    assert run_mcsim(["validate", "what.yaml"], tmp_path).status == 0


PLAN = ["plan", "cal.yaml", "--pathway", "credit", "--level", "graduate", "--launch",
        "2026-08-24", "--replications", "2", "--jobs", "1"]


@pytest.mark.parametrize(("out", "says"), [
    ("old.ics", "mcsim: --ics old.ics: exists; add --force to replace it"),
    ("cal.yaml", "mcsim: --ics cal.yaml: is also an input of this command"),
    ("mc.ics", "mcsim: --ics mc.ics: is also an input of this command"),
    ("./mc.ics", "mcsim: --ics mc.ics: is also an input of this command"),
    ("folder", "mcsim: --ics folder: is a folder, not a file"),
    ("/dev/stdout", "mcsim: --ics /dev/stdout: is a stream this command has open"),
    ("nowhere/plan.ics", "mcsim: --ics nowhere/plan.ics: folder nowhere does not exist"),
])
def test_plan_refuses_an_ics_output_it_must_not_write(tmp_path, out, says):
    (tmp_path / "cal.yaml").write_text(BASE.replace(RULE, "meets: {ics: mc.ics}"))
    (tmp_path / "mc.ics").write_text(GOOD)
    (tmp_path / "old.ics").write_text(GOOD)
    (tmp_path / "folder").mkdir()
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    message = check_refused(run_mcsim([*PLAN, "--ics", out], tmp_path))
    assert message.startswith(says), message
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()
            if path.is_file()} == before
