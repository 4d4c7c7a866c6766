"""The XES export (IEEE 1849-2016): one trace per case, three events per visit.

Each visit of an :func:`~simlib.records.activities.activity_instances` table gives the
events ``schedule`` (it arrived), ``start`` (a reviewer started) and ``complete`` (the
decision; a committee's at its meeting), with ``concept:name`` the step,
``lifecycle:transition``, ``time:timestamp`` (UTC, with its offset) and ``org:resource``
(the body's label); ``round`` (int) on each, ``decision`` and, for a committee,
``meeting_id`` on ``complete``. A trace's ``concept:name`` is the case id; its pathway,
level (when not blank) and replication are trace attributes. An event that had not happened
when the run ended is left out. A trace's events are in order of time. Written one trace at a
time, a batch of replications at a time, so a large log never sits in memory.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TextIO

import pandas as pd

from simlib.engine.eventlog import EventLog
from simlib.records.activities import activity_instances, iso_text, log_batches

XES_NAMESPACE = "http://www.xes-standard.org/"
EXTENSIONS = (
    ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
    ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
    ("Time", "time", "http://www.xes-standard.org/time.xesext"),
    ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
)
# The lifecycle transition of each timestamp column of a visit, in the order they happen.
TRANSITIONS = (("enable_time", "schedule"), ("start_time", "start"), ("end_time", "complete"))
# Characters XML 1.0 cannot hold (control characters other than tab and line breaks).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;",
            "\n": "&#10;", "\r": "&#13;"}
_ESCAPED = re.compile("[&<>\"\t\n\r]")


def attribute_text(value: str) -> str:
    """``value`` as the text of a double-quoted XML attribute: markup escaped, characters
    XML cannot hold replaced by U+FFFD."""
    value = _NOT_XML.sub("\ufffd", value)
    return _ESCAPED.sub(lambda match: _ESCAPES[match.group(0)], value)


def _string(key: str, value: str) -> str:
    return f'<string key="{key}" value="{attribute_text(value)}"/>'


def header(log_name: str) -> str:
    """The XES document up to its first trace: the declaration, ``<log>``, the extensions,
    the globals, the classifiers and the log's ``concept:name``."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<log xes.version="1849-2016" xmlns="{XES_NAMESPACE}">']
    lines += [f'  <extension name="{name}" prefix="{prefix}" uri="{uri}"/>'
              for name, prefix, uri in EXTENSIONS]
    lines += ['  <global scope="trace">', f'    {_string("concept:name", "UNKNOWN")}',
              "  </global>",
              '  <global scope="event">', f'    {_string("concept:name", "UNKNOWN")}',
              f'    {_string("lifecycle:transition", "complete")}',
              '    <date key="time:timestamp" value="1970-01-01T00:00:00+00:00"/>',
              "  </global>",
              '  <classifier name="Activity" keys="concept:name"/>',
              '  <classifier name="Activity and transition" '
              'keys="concept:name lifecycle:transition"/>',
              f"  {_string('concept:name', log_name)}"]
    return "\n".join(lines) + "\n"


def _event(visit, transition: str, stamp: str) -> str:
    """One ``<event>`` of ``visit`` (a row of the text table) as XML lines."""
    parts = [_string("concept:name", visit.activity),
             _string("lifecycle:transition", transition),
             f'<date key="time:timestamp" value="{stamp}"/>',
             _string("org:resource", visit.resource),
             f'<int key="round" value="{int(visit.round)}"/>']
    if transition == "complete":
        parts.append(_string("decision", visit.decision))
        if visit.meeting_id:
            parts.append(_string("meeting_id", visit.meeting_id))
    inner = "".join(f"      {part}\n" for part in parts)
    return f"    <event>\n{inner}    </event>\n"


def _trace_start(visit) -> str:
    """The opening of the trace of ``visit``'s case, with its attributes."""
    attributes = [_string("concept:name", visit.case_id), _string("pathway", visit.pathway),
                  *([_string("level", visit.level)] if visit.level else []),
                  f'<int key="replication" value="{int(visit.replication)}"/>']
    return "  <trace>\n" + "".join(f"    {part}\n" for part in attributes)


def xes_chunks(table: pd.DataFrame, log_name: str) -> Iterator[str]:
    """The XES document of an :func:`~simlib.records.activities.activity_instances` table
    (sorted by case), in pieces: the header, then one trace at a time, then ``</log>``."""
    yield header(log_name)
    yield from trace_chunks(table)
    yield "</log>\n"


def trace_chunks(table: pd.DataFrame) -> Iterator[str]:
    """The ``<trace>`` elements of an activity-instance table (sorted by case), one at a
    time."""
    text = table[["case_id", "activity", "resource", "round", "decision", "meeting_id",
                  "pathway", "level", "replication"]].copy()
    for column, transition in TRANSITIONS:
        text[transition] = iso_text(table[column])
    case, opening, timed = None, "", []
    for visit in text.itertuples(index=False):
        if visit.case_id != case:
            if case is not None:
                yield _trace(opening, timed)
            case, opening, timed = visit.case_id, _trace_start(visit), []
        timed += [(getattr(visit, transition), _event(visit, transition,
                                                      getattr(visit, transition)))
                  for _, transition in TRANSITIONS if getattr(visit, transition)]
    if case is not None:
        yield _trace(opening, timed)


def _trace(opening: str, timed: list[tuple[str, str]]) -> str:
    """A whole ``<trace>``: its opening, then its events in order of time (parallel
    branches interleave; ties keep the order of the visits)."""
    timed.sort(key=lambda pair: pair[0])  # ISO text in one offset sorts as time; stable
    return opening + "".join(event for _, event in timed) + "  </trace>\n"


def write_xes(table: pd.DataFrame, stream: TextIO, log_name: str) -> None:
    """Write the XES document of ``table`` (see :func:`xes_chunks`) to ``stream``."""
    for chunk in xes_chunks(table, log_name):
        stream.write(chunk)


def write_xes_log(logs: Iterable[EventLog], scenario, stream: TextIO) -> tuple[int, int, int]:
    """Write the XES document of ``logs`` (runs of ``scenario``, named after it) to
    ``stream``, :data:`~simlib.records.activities.BATCH` replications at a time; returns
    (events, traces, visits) written."""
    stream.write(header(scenario.name))
    events = traces = visits = 0
    for batch in log_batches(logs):
        table = activity_instances(batch, scenario)
        for chunk in trace_chunks(table):
            stream.write(chunk)
        events += int(table[[column for column, _ in TRANSITIONS]].notna().to_numpy().sum())
        traces += table["case_id"].nunique()
        visits += len(table)
    stream.write("</log>\n")
    return events, traces, visits
