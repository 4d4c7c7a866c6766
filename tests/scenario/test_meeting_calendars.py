"""``meets: {ics: FILE}``: a committee's published calendar gives its meeting dates exactly
as ``meets: {dates: [...]}`` does (read when the scenario is loaded, relative to the file
that names it), so the simulation cannot tell them apart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from support.scenarios import scenario_data

import simlib
from simlib.cli.main import main
from simlib.errors import ScenarioError
from simlib.scenario import source_files

# A committee's calendar as a calendar app exports it: two single meetings (one at a time
# of day, one in UTC late in the evening in New York), listed out of order and one twice.
SINGLE = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example University//Committee calendar//EN
X-WR-TIMEZONE:America/New_York
BEGIN:VEVENT
UID:mc-2025-10-08@example.edu
DTSTAMP:20250801T120000Z
DTSTART;TZID=America/New_York:20251008T150000
DTEND;TZID=America/New_York:20251008T163000
SUMMARY:Microcredential Committee
END:VEVENT
BEGIN:VEVENT
UID:mc-2025-09-10@example.edu
DTSTAMP:20250801T120000Z
DTSTART;VALUE=DATE:20250910
SUMMARY:Microcredential Committee
END:VEVENT
BEGIN:VEVENT
UID:mc-2025-11-12@example.edu
DTSTAMP:20250801T120000Z
DTSTART:20251113T010000Z
SUMMARY:Microcredential Committee (evening)
END:VEVENT
BEGIN:VEVENT
UID:mc-2025-09-10b@example.edu
DTSTAMP:20250801T120000Z
DTSTART;VALUE=DATE:20250910
SUMMARY:Microcredential Committee (room change)
END:VEVENT
END:VCALENDAR
"""
SINGLE_DATES = ["2025-09-10", "2025-10-08", "2025-11-12"]

# A series every other Wednesday through the autumn term: one meeting cancelled (EXDATE),
# one moved to the Thursday (RECURRENCE-ID), one extra (RDATE), and a cancelled event.
SERIES = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example University//Committee calendar//EN
BEGIN:VEVENT
UID:mc-series@example.edu
DTSTAMP:20250801T120000Z
DTSTART;TZID=Europe/Berlin:20250903T140000
DTEND;TZID=Europe/Berlin:20250903T160000
RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;UNTIL=20251210T130000Z
EXDATE;TZID=Europe/Berlin:20251001T140000
RDATE;VALUE=DATE:20251218
SUMMARY:Microcredential Committee
END:VEVENT
BEGIN:VEVENT
UID:mc-series@example.edu
DTSTAMP:20250801T120000Z
RECURRENCE-ID;TZID=Europe/Berlin:20251029T140000
DTSTART;TZID=Europe/Berlin:20251030T140000
SUMMARY:Microcredential Committee (moved)
END:VEVENT
BEGIN:VEVENT
UID:mc-retreat@example.edu
DTSTAMP:20250801T120000Z
DTSTART;VALUE=DATE:20251022
STATUS:CANCELLED
SUMMARY:Committee retreat
END:VEVENT
END:VCALENDAR
"""
SERIES_DATES = ["2025-09-03", "2025-09-17", "2025-10-15", "2025-10-30", "2025-11-12",
                "2025-11-26", "2025-12-10", "2025-12-18"]


def _write(folder: Path, name: str, meets: dict, **changes) -> Path:
    """A small academic scenario whose committee ``board`` meets as ``meets``."""
    data = scenario_data(name="listed", calendar="academic", horizon_years=1, replications=2,
                         seed=5, **changes)
    data["bodies"]["board"]["meets"] = meets
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _ics(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


@pytest.mark.parametrize(("text", "dates"), [(SINGLE, SINGLE_DATES), (SERIES, SERIES_DATES)],
                         ids=["single events", "a series"])
def test_the_calendar_gives_the_dates_of_its_events(tmp_path, text, dates):
    _ics(tmp_path, "board.ics", text)
    scenario = simlib.load_scenario(_write(tmp_path, "from-ics.yaml", {"ics": "board.ics"}))
    assert scenario.bodies["board"].meets.dates == tuple(map(dt.date.fromisoformat, dates))


def test_a_calendar_and_its_dates_written_out_give_the_same_event_log(tmp_path, capsys):
    _ics(tmp_path, "board.ics", SERIES)
    from_ics = _write(tmp_path, "from-ics.yaml", {"ics": "board.ics"})
    listed = _write(tmp_path, "listed.yaml", {"dates": SERIES_DATES})
    assert simlib.load_scenario(from_ics) == simlib.load_scenario(listed)
    for replication in (0, 1):
        assert simlib.simulate(simlib.load_scenario(from_ics), 9, replication) == \
            simlib.simulate(simlib.load_scenario(listed), 9, replication)
    for scenario, out in ((from_ics, "from-ics.csv"), (listed, "listed.csv")):
        status = main(["eventlog", str(scenario), "--out", str(tmp_path / out), "--jobs", "1"])
        assert status == 0, capsys.readouterr().err
    assert (tmp_path / "from-ics.csv").read_bytes() == (tmp_path / "listed.csv").read_bytes()
    assert len((tmp_path / "listed.csv").read_text().splitlines()) > 50


def test_the_file_is_found_beside_the_file_that_names_it(tmp_path):
    """A base's calendar is relative to the base; a what-if's to the what-if (in another
    folder), which replaces the whole ``meets`` block."""
    _ics(tmp_path, "board.ics", SINGLE)
    base = _write(tmp_path, "base.yaml", {"ics": "board.ics"})
    (tmp_path / "whatifs").mkdir()
    _ics(tmp_path / "whatifs", "board.ics", SERIES)
    whatif = tmp_path / "whatifs" / "series.yaml"
    whatif.write_text("extends: ../base.yaml\nname: series\n"
                      "set:\n  bodies.board.meets: {ics: board.ics}\n")
    same = tmp_path / "whatifs" / "same.yaml"
    same.write_text("extends: ../base.yaml\nname: same\nset:\n  bodies.board.review_days: 3\n")
    dates = {path.name: [day.isoformat() for day in
                         simlib.load_scenario(path).bodies["board"].meets.dates]
             for path in (base, whatif, same)}
    assert dates == {"base.yaml": SINGLE_DATES, "series.yaml": SERIES_DATES,
                     "same.yaml": SINGLE_DATES}
    assert source_files(whatif) == (whatif, tmp_path / "whatifs" / "../base.yaml",
                                    tmp_path / "whatifs" / "../board.ics",
                                    tmp_path / "whatifs" / "board.ics")


def test_setting_ics_beside_a_rule_names_the_block_to_replace(tmp_path):
    base = _write(tmp_path, "base.yaml", {"every_weeks": 2, "weekday": "wed"})
    _ics(tmp_path, "board.ics", SINGLE)
    whatif = tmp_path / "whatif.yaml"
    whatif.write_text(f"extends: {base.name}\nname: w\nset:\n  bodies.board.meets.ics: "
                      "board.ics\n")
    with pytest.raises(ScenarioError) as caught:
        simlib.load_scenario(whatif)
    assert str(caught.value) == (
        f"{whatif}: bodies.board.meets.ics: the calendar file gives the meetings alone: leave "
        "out every_weeks, weekday (in a what-if, set the whole block: bodies.board.meets: "
        "{ics: FILE})")


def test_validate_reads_the_calendar(tmp_path, capsys):
    _ics(tmp_path, "board.ics", SERIES)
    path = _write(tmp_path, "from-ics.yaml", {"ics": "board.ics"})
    assert main(["validate", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"ok  {path}")
