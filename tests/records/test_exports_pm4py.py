"""pm4py (the ``mining`` extra) reads the XES and OCEL 2.0 files ``mcsim eventlog`` writes,
with the cases, events and objects of the run: counted here from the run's own events."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from simlib.cli.main import main
from simlib.engine.eventlog import DECISIONS, events_frame
from simlib.engine.model import simulate
from simlib.scenario import load_scenario
from tests.support.scenarios import SMALL_OFFICE as SMALL

pm4py = pytest.importorskip(
    "pm4py", reason="pm4py is not installed: pip install -e '.[mining]' (make test does)")



@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The scenario's two replications' events, and the XES and OCEL files of them."""
    folder = tmp_path_factory.mktemp("mining")
    scenario_file = folder / "small.yaml"
    scenario_file.write_text(SMALL)
    files = {"xes": folder / "log.xes", "ocel": folder / "log.json"}
    for format_, out in files.items():
        assert main(["eventlog", str(scenario_file), "--format", format_, "--out", str(out),
                     "--jobs", "1"]) == 0
    scenario = load_scenario(scenario_file)
    events = events_frame(simulate(scenario, None, replication) for replication in range(2))
    return events, files


def meetings_of(events: pd.DataFrame) -> dict[tuple[int, str], set[tuple[int, int, str]]]:
    """(replication, date) of each board meeting -> the (replication, proposal, decision)
    decided there."""
    decided = events[events["kind"].isin(DECISIONS) & (events["body"] == "board")]
    found: dict = {}
    for row in decided.itertuples():
        key = (row.replication, f"{row.date:%Y-%m-%d}")
        found.setdefault(key, set()).add((row.replication, row.proposal, row.kind))
    return found


def test_pm4py_reads_the_xes_cases_and_lifecycle_events(exported):
    events, files = exported
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        log = pm4py.read_xes(str(files["xes"]))
    assert log["case:concept:name"].nunique() == (events["kind"] == "submit").sum()
    counts = log["lifecycle:transition"].value_counts().to_dict()
    assert counts == {"schedule": (events["kind"] == "arrive").sum(),
                      "start": (events["kind"] == "start").sum(),
                      "complete": events["kind"].isin(DECISIONS).sum()}
    assert str(log["time:timestamp"].dt.tz) == "UTC"
    assert set(log["concept:name"]) == {"desk", "board"}
    assert set(log["org:resource"]) == {"Front Desk", "Review Board"}
    assert set(log["case:replication"]) == {0, 1}


def test_pm4py_reads_the_ocel_objects_and_events(exported):
    events, files = exported
    ocel = pm4py.read_ocel2_json(str(files["ocel"]))
    meetings = meetings_of(events)
    types = ocel.objects["ocel:type"].value_counts().to_dict()
    assert types == {"proposal": (events["kind"] == "submit").sum(), "meeting": len(meetings)}
    committee = events["kind"].isin(DECISIONS) & (events["body"] == "board")
    assert len(ocel.events) == len(events) - committee.sum() + len(meetings)
    activities = ocel.events["ocel:activity"].value_counts().to_dict()
    assert activities["decide"] == events["kind"].isin(DECISIONS).sum() - committee.sum() + len(
        meetings)
    assert activities["arrive"] == (events["kind"] == "arrive").sum()


def test_every_meeting_decision_relates_its_meeting_and_all_it_decided(exported):
    events, files = exported
    ocel = pm4py.read_ocel2_json(str(files["ocel"]))
    meetings = meetings_of(events)
    relations = ocel.relations[ocel.relations["ocel:activity"] == "decide"]
    at_meetings = relations[relations["ocel:type"] == "meeting"]
    assert at_meetings["ocel:eid"].is_unique and len(at_meetings) == len(meetings)
    numbers = {}  # case id -> (replication, proposal), by order of submission
    submitted = events[events["kind"] == "submit"]
    for replication, rows in submitted.groupby("replication"):
        for number, proposal in enumerate(rows["proposal"], start=1):
            numbers[f"r{replication}-P{number:05d}"] = (replication, proposal)
    for event_id, meeting in zip(at_meetings["ocel:eid"], at_meetings["ocel:oid"],
                                 strict=True):
        replication, _, date = meeting[1:].partition("-board@")
        related = relations[(relations["ocel:eid"] == event_id)
                            & (relations["ocel:type"] == "proposal")]
        decided = {(*numbers[case], qualifier) for case, qualifier in
                   zip(related["ocel:oid"], related["ocel:qualifier"], strict=True)}
        assert decided == meetings[(int(replication), date)], meeting
