"""``mcsim plan --ics FILE``: the submit-by date the answer gives, as an all-day event
described by the answer's own sentence; read back, its date is the JSON's
``latest_submission``; the same run writes the same bytes; an existing file is replaced
only with ``--force``."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
from support.scenarios import office, small_scenario, write_scenario

from simlib.answers import PlanAnswer
from simlib.cli.main import main
from simlib.planning import deadlines
from simlib.reports.console import plan_events, plan_text

OFFICE = {"name": "fixed", "horizon_years": 3, "warmup_years": 1, "replications": 3,
          "per_year": 4, "bodies": {"desk": office(100, 10.0)}, "pathways": ["desk"]}
LAUNCH = "2026-06-01"


def _events(path) -> list:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [part for part in calendar.subcomponents if part.name == "VEVENT"]


def _plan(capsys, *argv) -> str:
    status = main(["plan", *map(str, argv), "--pathway", "p", "--launch", LAUNCH,
                   "--jobs", "1"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return captured.out


def test_the_written_date_is_the_json_date_and_the_description_the_printed_sentence(
        tmp_path, capsys):
    scenario = write_scenario(tmp_path, **OFFICE)
    out = tmp_path / "plan.ics"
    answer = json.loads(_plan(capsys, scenario, "--format", "json", "--ics", out))
    (event,) = _events(out)
    assert event.start.isoformat() == answer["latest_submission"]
    assert str(event["SUMMARY"]) == (f"Submit by (90% confidence): a p proposal for approval "
                                     f"before {LAUNCH}")
    written = out.read_bytes()
    text = _plan(capsys, scenario, "--ics", out, "--force")
    sentence = text.split("\n\n")[0]
    assert str(event["DESCRIPTION"]) == sentence
    assert f"submit a p proposal by {answer['latest_submission']}" in sentence
    assert text.endswith(f"wrote 1 submit-by date to {out}\n")
    assert out.read_bytes() == written  # the same run, the same file


def test_an_existing_file_is_kept_without_force(tmp_path, capsys):
    scenario = write_scenario(tmp_path, **OFFICE)
    out = tmp_path / "plan.ics"
    out.write_text("my own calendar")
    status = main(["plan", str(scenario), "--pathway", "p", "--launch", LAUNCH,
                   "--ics", str(out)])
    assert status == 2
    assert capsys.readouterr().err == f"mcsim: --ics {out}: exists; add --force to replace " \
                                      "it\n"
    assert out.read_text() == "my own calendar"


def test_one_event_per_launch_with_a_date_each_with_its_own_sentence():
    launches = (dt.date(2026, 6, 1), dt.date(2026, 9, 1))
    result = deadlines.plan(small_scenario(**OFFICE), "p", None, launches, 0.9,
                            replications=3, jobs=1)
    events = plan_events(PlanAnswer(result))
    assert [item.day for item in events] == list(result.deadlines()["latest_submission"])
    assert [f"before {launch}" in item.title for item, launch in
            zip(events, launches, strict=True)] == [True, True]
    assert events[0].description == plan_text(PlanAnswer(result)).split("\n\n")[0]
    assert f"approved before {launches[1]}" in events[1].description
    assert len({item.uid for item in events}) == 2
