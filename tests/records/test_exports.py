"""The event-log exports (activity-instance CSV, XES, OCEL 2.0) checked against a run with
fixed durations, whose every time is known: the desk decides 3 days after it starts, the
board's members read for 2 days and the board decides at its next Wednesday meeting (noon),
a revision comes back 5 days after the decision."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from simlib.engine.eventlog import DECISIONS, EventLog, events_frame
from simlib.engine.model import simulate
from simlib.formats.cells import spreadsheet_text
from simlib.records.activities import (
    ACTIVITY_COLUMNS,
    activity_instances,
    write_activities_csv,
)
from simlib.records.history import history_from_events
from simlib.records.ocel import ocel_document, write_ocel
from simlib.records.xes import write_xes
from simlib.scenario import load_scenario
from tests.support.scenarios import SMALL_OFFICE as SMALL

START = pd.Timestamp("2024-03-04", tz="UTC")
DAY = pd.Timedelta(days=1)
ISO = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$"
XES = "{http://www.xes-standard.org/}"


def scenario_from(tmp_path_factory, text: str, name: str = "small.yaml"):
    path = tmp_path_factory.mktemp("scenario") / name
    path.write_text(text)
    return load_scenario(path)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    scenario = scenario_from(tmp_path_factory, SMALL)
    logs = [simulate(scenario, None, replication) for replication in range(2)]
    return scenario, logs, activity_instances(logs, scenario)


def next_wednesday_noon(after: pd.Timestamp) -> pd.Timestamp:
    noon = after.normalize() + pd.Timedelta(hours=12)
    days = (2 - noon.weekday()) % 7
    candidate = noon + days * DAY
    return candidate if candidate > after else candidate + 7 * DAY  # ready at noon: next week


def test_one_row_per_visit_with_the_known_times(run):
    _, logs, table = run
    events = events_frame(logs)
    assert len(table) == (events["kind"] == "arrive").sum()
    assert table["decision"].value_counts().to_dict() == (
        events.loc[events["kind"].isin(DECISIONS), "kind"].value_counts().to_dict())
    desk, board = table[table["body"] == "desk"], table[table["body"] == "board"]
    assert (desk["end_time"] - desk["start_time"] == 3 * DAY).all()
    assert (desk["resource"] == "Front Desk").all() and (desk["meeting_id"] == "").all()
    assert (board["finish_time"] - board["start_time"] == 2 * DAY).all()
    for visit in board.itertuples():
        assert visit.end_time == next_wednesday_noon(visit.finish_time), visit
        assert visit.meeting_id == f"board@{visit.end_time:%Y-%m-%d}"
    assert (board["resource"] == "Review Board").all()
    # the first arrival is model time 0 + the first gap: times count from 00:00 UTC of start
    first = events[events["kind"] == "arrive"].iloc[0]
    assert table["enable_time"].iloc[0] == START + pd.Timedelta(
        seconds=round(first["time"] * 86400))


def test_a_revision_returns_five_days_after_the_meeting(run):
    _, _, table = run
    revised = table[table["decision"] == "revise"]
    assert len(revised) > 5
    by_visit = table.set_index(["case_id", "activity", "round"])
    for visit in revised.itertuples():
        again = by_visit.loc[(visit.case_id, visit.activity, visit.round + 1)]
        assert again["enable_time"] == visit.end_time + 5 * DAY


def test_case_ids_are_unique_across_replications_and_match_the_history(run):
    _, logs, table = run
    assert table["case_id"].str.fullmatch(r"r[01]-P\d{5}").all()
    cases = table.drop_duplicates("case_id")
    assert cases["case_id"].is_unique
    assert cases.groupby("replication").size().to_dict() == {
        log.replication: sum(row[5] == "submit" for row in log.rows) for log in logs}
    history = history_from_events(logs[1], dt.date(2099, 1, 1)).visits
    mine = table[table["replication"] == 1]
    ours = sorted(zip(mine["case_id"].str[3:], mine["activity"], mine["enable_time"].dt.date,
                      mine["decision"], strict=True))
    theirs = sorted(zip(history["proposal"], history["step"], history["arrived"].dt.date,
                        history["decision"], strict=True))
    assert ours == theirs


def test_csv_has_the_prosimos_columns_and_iso_times(run):
    _, _, table = run
    text = io.StringIO()
    write_activities_csv(table, text)
    frame = pd.read_csv(io.StringIO(text.getvalue()), dtype=str, keep_default_na=False)
    assert tuple(frame.columns) == ACTIVITY_COLUMNS
    assert list(frame.columns[:6]) == ["case_id", "activity", "enable_time", "start_time",
                                       "end_time", "resource"]
    for column in ("enable_time", "start_time", "end_time"):
        assert frame[column].str.match(ISO).all(), column
    assert (pd.to_datetime(frame["end_time"]) == table["end_time"]).all()
    assert set(frame["meeting_id"]) - {""} == set(table["meeting_id"]) - {""}


@pytest.mark.parametrize(("cell", "safe"), [
    ("department", "department"), ("owd (2)", "owd (2)"), ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
    ("+1", "'+1"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("a;=b", "'a;'=b"),
    ("a, -b", "'a, '-b"), ("\tx", "'\tx"),
])
def test_a_cell_never_starts_a_formula(cell, safe):
    assert spreadsheet_text(cell) == safe


def test_step_and_body_names_from_the_scenario_are_neutralised(tmp_path_factory):
    hostile = SMALL.replace("label: Front Desk", "label: '=cmd|x'").replace(
        "    - desk\n", "    - {body: desk, name: '@SUM(1)'}\n")
    scenario = scenario_from(tmp_path_factory, hostile, "hostile.yaml")
    table = activity_instances([simulate(scenario, None, 0)], scenario)
    text = io.StringIO()
    write_activities_csv(table, text)
    frame = pd.read_csv(io.StringIO(text.getvalue()), dtype=str, keep_default_na=False)
    assert "'@SUM(1)" in set(frame["activity"]) and "'=cmd|x" in set(frame["resource"])
    assert not frame.map(lambda cell: cell.startswith(("=", "+", "-", "@"))).any().any()


def xes_root(table, name: str = "small") -> ET.Element:
    text = io.StringIO()
    write_xes(table, text, name)
    return ET.fromstring(text.getvalue().encode())


def attributes(element: ET.Element) -> dict[str, str]:
    return {child.get("key"): child.get("value") for child in element
            if child.tag != f"{XES}event"}


def test_xes_has_one_trace_per_case_and_three_events_per_visit(run):
    _, _, table = run
    root = xes_root(table)
    assert root.tag == f"{XES}log" and root.get("xes.version") == "1849-2016"
    assert {item.get("prefix") for item in root.findall(f"{XES}extension")} == {
        "concept", "lifecycle", "time", "org"}
    traces = root.findall(f"{XES}trace")
    assert [attributes(trace)["concept:name"] for trace in traces] == list(
        table["case_id"].unique())
    visits = table.groupby("case_id", sort=False).size()
    for trace in traces:
        events = [attributes(event) for event in trace.findall(f"{XES}event")]
        case = attributes(trace)["concept:name"]
        assert len(events) == 3 * visits[case]
        assert [event["lifecycle:transition"] for event in events] == [
            "schedule", "start", "complete"] * visits[case]
        stamps = [event["time:timestamp"] for event in events]
        assert all(re.match(ISO, stamp) for stamp in stamps)
        assert stamps == sorted(stamps)  # one visit after another on these pathways
        completes = [event for event in events if event["lifecycle:transition"] == "complete"]
        assert all(event["decision"] in DECISIONS for event in completes)
        assert all(("meeting_id" in event) == (event["org:resource"] == "Review Board")
                   for event in completes)


def test_xes_escapes_markup_in_names(tmp_path_factory):
    hostile = SMALL.replace("label: Front Desk", "label: 'A & B <\"desk\">'")
    scenario = scenario_from(tmp_path_factory, hostile, "markup.yaml")
    table = activity_instances([simulate(scenario, None, 0)], scenario)
    root = xes_root(table, "<log & name>")
    assert attributes(root)["concept:name"] == "<log & name>"
    resources = {attributes(event)["org:resource"] for event in root.iter(f"{XES}event")}
    assert resources == {'A & B <"desk">', "Review Board"}


def test_ocel_has_proposals_meetings_and_one_decision_per_meeting(run):
    scenario, logs, table = run
    text = io.StringIO()
    counts = write_ocel(logs, scenario, text)
    document = json.loads(text.getvalue())
    assert document == ocel_document(logs, scenario)
    objects = {item["id"]: item for item in document["objects"]}
    meetings = {f"r{row.replication}-{row.meeting_id}" for row in table.itertuples()
                if row.meeting_id}
    assert len(objects) == len(document["objects"])
    assert {key for key, item in objects.items() if item["type"] == "proposal"} == set(
        table["case_id"])
    assert {key for key, item in objects.items() if item["type"] == "meeting"} == meetings
    events = events_frame(logs)
    committee = events["kind"].isin(DECISIONS) & (events["body"] == "board")
    assert len(document["events"]) == len(events) - committee.sum() + len(meetings)
    assert counts == {"events": len(document["events"]), "meeting": len(meetings),
                      "proposal": table["case_id"].nunique()}
    ids = [event["id"] for event in document["events"]]
    assert len(set(ids)) == len(ids)
    replications = [int(objects[next(item["objectId"] for item in event["relationships"]
                                     if objects[item["objectId"]]["type"] == "proposal")]
                         ["attributes"][2]["value"]) for event in document["events"]]
    assert replications == sorted(replications)  # by replication, then in order of time
    for replication in set(replications):
        times = [pd.Timestamp(event["time"]) for event, number in
                 zip(document["events"], replications, strict=True) if number == replication]
        assert times == sorted(times)
    assert all(re.match(ISO, event["time"]) for event in document["events"])
    decided = {}  # meeting -> {proposal: decision}, from the activity table
    for row in table[table["meeting_id"] != ""].itertuples():
        decided.setdefault(f"r{row.replication}-{row.meeting_id}", {})[row.case_id] = (
            row.decision)
    seen = set()
    for event in document["events"]:
        if event["type"] != "decide":
            continue
        related = {item["objectId"]: item["qualifier"] for item in event["relationships"]}
        meeting = [key for key, qualifier in related.items() if qualifier == "meeting"]
        if not meeting:
            assert len(related) == 1 and objects[next(iter(related))]["type"] == "proposal"
            continue
        [meeting] = meeting
        seen.add(meeting)
        del related[meeting]
        assert related == decided[meeting]
        assert event["time"].startswith(meeting.split("@")[1])
    assert seen == meetings


def test_ocel_types_declare_every_attribute_used(run):
    scenario, logs, _ = run
    document = ocel_document(logs, scenario)
    declared = {item["name"]: {a["name"] for a in item["attributes"]}
                for item in document["eventTypes"] + document["objectTypes"]}
    for item in document["events"] + document["objects"]:
        assert {a["name"] for a in item["attributes"]} <= declared[item["type"]], item
    assert all(a["time"] == "1970-01-01T00:00:00Z" for item in document["objects"]
               for a in item["attributes"])


@pytest.mark.slow
def test_exports_of_many_visits_are_quick(run):
    scenario = run[0]
    many = [simulate(scenario, None, replication) for replication in range(40)]
    started = pd.Timestamp.now()
    table = activity_instances(many, scenario)
    write_xes(table, io.StringIO(), "small")
    write_activities_csv(table, io.StringIO())
    write_ocel(many, scenario, io.StringIO())
    assert len(table) > 3000
    assert pd.Timestamp.now() - started < pd.Timedelta(seconds=20)



def test_parallel_branches_interleave_in_time_order():
    root = Path(__file__).resolve().parents[2]
    scenario = load_scenario(root / "scenarios" / "parallel-senate-review.yaml")
    table = activity_instances([simulate(scenario, None, 0)], scenario)
    root = xes_root(table)
    traces = root.findall(f"{XES}trace")
    assert len(traces) == table["case_id"].nunique()
    assert len(list(root.iter(f"{XES}event"))) == 3 * len(table)
    interleaved = 0
    for trace in traces:
        events = [attributes(event) for event in trace.findall(f"{XES}event")]
        stamps = [event["time:timestamp"] for event in events]
        assert stamps == sorted(stamps)
        names = [event["concept:name"] for event in events]
        interleaved += any(names[i] != names[i + 1] and names[i] in names[i + 2:]
                           for i in range(len(names) - 2))
    assert interleaved > 0  # some branches overlap in time


def test_a_run_cut_short_leaves_unknown_times_blank(run):
    scenario, logs, _ = run
    log = logs[0]
    cut = EventLog(log.rows[: len(log.rows) // 2], log.replication, log.start, log.scenario)
    table = activity_instances([cut], scenario)
    kinds = pd.Series([row[5] for row in cut.rows])
    assert table["end_time"].isna().sum() == (kinds == "arrive").sum() - kinds.isin(
        DECISIONS).sum() > 0
    assert (table.loc[table["end_time"].isna(), ["decision", "meeting_id"]] == "").all().all()
    text = io.StringIO()
    write_activities_csv(table, text)
    frame = pd.read_csv(io.StringIO(text.getvalue()), dtype=str, keep_default_na=False)
    assert (frame["end_time"] == "").sum() == table["end_time"].isna().sum()
    events = list(xes_root(table).iter(f"{XES}event"))
    assert len(events) == table[["enable_time", "start_time", "end_time"]].notna().sum().sum()
    document = ocel_document([cut], scenario)
    assert sum(event["type"] == "arrive" for event in document["events"]) == len(table)


def test_proposals_without_a_submit_event_still_get_unique_ids(run):
    scenario, logs, table = run
    log = logs[0]
    unsubmitted = EventLog(tuple(row for row in log.rows if row[5] != "submit"),
                           log.replication, log.start, log.scenario)
    ids = activity_instances([unsubmitted], scenario).drop_duplicates("case_id")
    assert len(ids) == table[table["replication"] == 0]["case_id"].nunique()
    assert ids["case_id"].str.fullmatch(r"r0-P\d{5}").all()


def test_exports_written_a_replication_at_a_time_are_the_whole_exports(run, monkeypatch):
    """Every export is written a batch of replications at a time (so memory stays flat);
    with batches of one replication the files are those written from the whole run."""
    from simlib.records import activities, events, xes

    scenario, logs, table = run
    whole = {"csv": io.StringIO(), "xes": io.StringIO(), "events": io.StringIO()}
    write_activities_csv(table, whole["csv"])
    write_xes(table, whole["xes"], scenario.name)
    events_frame(logs).to_csv(whole["events"], index=False, date_format="%Y-%m-%d")
    monkeypatch.setattr(activities, "BATCH", 1)
    parts = {name: io.StringIO() for name in whole}
    assert activities.write_activity_log(iter(logs), scenario, parts["csv"]) == (
        len(table), table["case_id"].nunique())
    xes.write_xes_log(iter(logs), scenario, parts["xes"])
    assert events.write_events_csv(iter(logs), parts["events"]) == len(events_frame(logs))
    for name in whole:
        assert parts[name].getvalue() == whole[name].getvalue(), name
    document = ocel_document(logs, scenario)
    batched = ocel_document(iter(logs), scenario)
    assert batched["events"] == document["events"]
    assert sorted(map(json.dumps, batched["objects"])) == sorted(
        map(json.dumps, document["objects"]))
