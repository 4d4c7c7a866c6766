"""The OCEL 2.0 export (JSON): proposals and committee meetings as objects.

Objects: each ``proposal`` (id the case id, ``r0-P00001``; attributes pathway, level,
replication) and each ``meeting`` of a committee that decided something (id
``r<replication>-<body>@<YYYY-MM-DD>``; attributes body, resource, date, replication).
Events, by type: ``submit``; ``arrive``, ``start review``, ``finish review`` (attributes
step, round, resource); ``decide`` (attributes step, resource): at an office one per visit,
related to its proposal, and at a committee **one per meeting**, related to the meeting
(qualifier ``meeting``) and to every proposal decided there (qualifier: the decision,
``approve``, ``revise`` or ``withdraw``); ``approved`` / ``withdrawn`` (the proposal leaves).
Times are UTC with their offset; events are by replication (each replication is a run of its
own), then in order of time, ids ``e1``, ``e2``, ...; written a batch of replications at a
time, so a log of any size never sits in memory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from typing import TextIO

import pandas as pd

from simlib.engine.eventlog import DECISIONS, EventLog, events_frame
from simlib.metrics.events import body_labels
from simlib.records.activities import (
    case_labels,
    case_numbers,
    iso_text,
    log_batches,
    model_timestamps,
)

INITIAL_TIME = "1970-01-01T00:00:00Z"  # an OCEL 2.0 object attribute's value from the start
VISIT_ATTRIBUTES = (("step", "string"), ("round", "integer"), ("resource", "string"))
EVENT_TYPES = {
    "submit": (), "arrive": VISIT_ATTRIBUTES, "start review": VISIT_ATTRIBUTES,
    "finish review": VISIT_ATTRIBUTES, "pause review": VISIT_ATTRIBUTES,
    "resume review": VISIT_ATTRIBUTES, "decide": (("step", "string"), ("resource", "string")),
    "approved": (), "withdrawn": (),
}
OBJECT_TYPES = {
    "proposal": (("pathway", "string"), ("level", "string"), ("replication", "integer")),
    "meeting": (("body", "string"), ("resource", "string"), ("date", "string"),
                ("replication", "integer")),
}
# The event type of each event kind of the model's log.
EVENT_KINDS = {"submit": "submit", "arrive": "arrive", "start": "start review",
               "finish": "finish review", "pause": "pause review",
               "resume": "resume review", "approve": "decide", "revise": "decide",
               "withdraw": "decide", "approved": "approved", "withdrawn": "withdrawn"}
# The qualifier relating a proposal to the events that are not decisions.
PROPOSAL_QUALIFIERS = {"submit": "submitted", "approved": "approved", "withdrawn": "withdrawn"}


def _types(declared: dict) -> list[dict]:
    """Object or event types in the OCEL 2.0 layout: name and typed attributes."""
    return [{"name": name, "attributes": [{"name": key, "type": kind} for key, kind in pairs]}
            for name, pairs in declared.items()]


def _attributes(pairs: Iterable[tuple[str, object]], timed: bool = False) -> list[dict]:
    """OCEL 2.0 attribute values; an object's (``timed``) hold from :data:`INITIAL_TIME`."""
    return [{"name": key, "value": value, **({"time": INITIAL_TIME} if timed else {})}
            for key, value in pairs]


def labelled_events(logs: list[EventLog], scenario) -> pd.DataFrame:
    """The events of ``logs`` by replication, then in order of time (in the order they
    happened), with ``case_id``, ``stamp`` (ISO text, UTC), ``resource`` (the body's label)
    and ``meeting`` (``r<replication>-<body>@<YYYY-MM-DD>`` for a committee's decision,
    else "")."""
    events = events_frame(logs)
    events["case_id"] = case_labels(events["replication"], case_numbers(events))
    start = logs[0].start if logs else scenario.calendar.start
    events["stamp"] = iso_text(pd.Series(model_timestamps(start, events["time"].to_numpy()),
                                         index=events.index))
    events["resource"] = events["body"].map(body_labels(scenario)).fillna("").astype(str)
    committees = [name for name, body in scenario.bodies.items() if body.kind == "committee"]
    at_meeting = events["kind"].isin(DECISIONS) & events["body"].isin(committees)
    meeting = ("r" + events["replication"].astype(str) + "-" + events["body"].astype(str)
               + "@" + events["date"].dt.strftime("%Y-%m-%d"))
    events["meeting"] = meeting.where(at_meeting, "")
    return events.sort_values(["replication", "time"], kind="stable").reset_index(drop=True)


def proposal_objects(events: pd.DataFrame) -> list[dict]:
    """One ``proposal`` object per proposal submitted in ``events``."""
    cases = events[events["kind"] == "submit"].drop_duplicates("case_id")
    return [{"id": case.case_id, "type": "proposal",
             "attributes": _attributes((("pathway", case.pathway), ("level", case.level),
                                        ("replication", int(case.replication))), timed=True)}
            for case in cases.itertuples(index=False)]


def meeting_objects(events: pd.DataFrame) -> list[dict]:
    """One ``meeting`` object per committee meeting that decided something in ``events``."""
    meetings = events[events["meeting"] != ""].drop_duplicates("meeting")
    return [{"id": meeting.meeting, "type": "meeting",
             "attributes": _attributes((("body", meeting.body), ("resource", meeting.resource),
                                        ("date", meeting.meeting.rsplit("@", 1)[1]),
                                        ("replication", int(meeting.replication))),
                                       timed=True)}
            for meeting in meetings.itertuples(index=False)]


def _event(number: int, row: tuple, related: list[tuple[str, str]], steps: str) -> dict:
    """The OCEL 2.0 event ``e<number>`` of the model's event ``row`` (a tuple of
    :data:`ROW_FIELDS`) relating the (object id, qualifier) pairs ``related``."""
    kind, _, step, round_, resource, stamp, _ = row
    if kind in DECISIONS:
        attributes = (("step", steps), ("resource", resource))
    elif kind in PROPOSAL_QUALIFIERS:
        attributes = ()
    else:
        attributes = (("step", step), ("round", int(round_)), ("resource", resource))
    return {"id": f"e{number}", "type": EVENT_KINDS[kind], "time": stamp,
            "attributes": _attributes(attributes),
            "relationships": [{"objectId": target, "qualifier": qualifier}
                              for target, qualifier in related]}


ROW_FIELDS = ("kind", "case_id", "step", "round", "resource", "stamp", "meeting")


def _meetings(rows: list[tuple]) -> dict[str, tuple[list[tuple[str, str]], str]]:
    """Per meeting id: (case id, decision) of each proposal decided there, and the steps
    decided, joined by "+"."""
    decided: dict[str, list[tuple]] = {}
    for row in rows:
        if row[-1]:
            decided.setdefault(row[-1], []).append(row)
    return {meeting: ([(case, kind) for kind, case, *_ in group],
                      "+".join(sorted({step for _, _, step, *_ in group})))
            for meeting, group in decided.items()}


def ocel_events(events: pd.DataFrame, first: int = 1) -> Iterator[dict]:
    """The OCEL 2.0 events of :func:`labelled_events` ``events``, one at a time in their
    order, ids ``e<first>``, ``e<first + 1>``, ...: a committee's decisions at one meeting
    are one ``decide`` event, placed where the first of them was."""
    rows = list(zip(*(events[name].tolist() for name in ROW_FIELDS), strict=True))
    decided_at = _meetings(rows)
    number = first - 1
    for row in rows:
        kind, case, step, meeting = row[0], row[1], row[2], row[-1]
        if meeting and meeting not in decided_at:
            continue  # written with the meeting's first decision
        number += 1
        if meeting:
            cases, steps = decided_at.pop(meeting)
            yield _event(number, row, [(meeting, "meeting"), *cases], steps)
        else:
            qualifier = kind if kind in DECISIONS else PROPOSAL_QUALIFIERS.get(kind, "proposal")
            yield _event(number, row, [(case, qualifier)], step)


def ocel_batches(logs: Iterable[EventLog], scenario) -> Iterator[tuple[list[dict], list[dict]]]:
    """The objects and events of ``logs`` (runs of ``scenario``),
    :data:`~simlib.records.activities.BATCH` replications at a time: per batch, its
    ``proposal`` then ``meeting`` objects, and its events (ids numbering on across
    batches)."""
    number = 0
    for batch in log_batches(logs):
        events = labelled_events(batch, scenario)
        converted = list(ocel_events(events, number + 1))
        number += len(converted)
        yield proposal_objects(events) + meeting_objects(events), converted


def _head() -> dict:
    """What an OCEL 2.0 document holds besides its objects and events: their types."""
    return {"objectTypes": _types(OBJECT_TYPES), "eventTypes": _types(EVENT_TYPES)}


def ocel_document(logs: Iterable[EventLog], scenario) -> dict:
    """The OCEL 2.0 JSON document (a dict) of ``logs``, runs of ``scenario``."""
    objects: list[dict] = []
    events: list[dict] = []
    for more_objects, more_events in ocel_batches(logs, scenario):
        objects += more_objects
        events += more_events
    return {**_head(), "objects": objects, "events": events}


def _items(items: list[dict], written: int) -> str:
    """JSON items to append to a list that already holds ``written`` items."""
    text = ", ".join(json.dumps(item, ensure_ascii=False, allow_nan=False) for item in items)
    return (", " if written and items else "") + text


def write_ocel(logs: Iterable[EventLog], scenario, stream: TextIO) -> dict[str, int]:
    """Write the OCEL 2.0 JSON document of ``logs`` (runs of ``scenario``) to ``stream`` a
    batch of replications at a time (the events wait in a temporary file beside the output
    until the objects are written, so memory stays flat); returns the counts of
    ``events``, ``proposal`` and ``meeting`` objects."""
    stream.write(json.dumps(_head(), ensure_ascii=False)[:-1] + ', "objects": [')
    counts = {"events": 0, "proposal": 0, "meeting": 0}
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=_folder(stream)) as spool:
        for objects, events in ocel_batches(logs, scenario):
            stream.write(_items(objects, counts["proposal"] + counts["meeting"]))
            spool.write(_items(events, counts["events"]))
            counts["events"] += len(events)
            for item in objects:
                counts[item["type"]] += 1
        stream.write('], "events": [')
        spool.seek(0)
        shutil.copyfileobj(spool, stream)
    stream.write("]}\n")
    return counts


def _folder(stream: TextIO) -> str | None:
    """The folder of the file ``stream`` writes (for a temporary file on the same disk)."""
    name = getattr(stream, "name", None)
    return os.path.dirname(os.path.abspath(name)) if isinstance(name, str) else None
