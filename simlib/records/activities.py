"""The activity-instance table: one row per visit of a proposal to a step (one per round),
the layout Prosimos writes and Simod reads, and the basis of the XES export.

Columns :data:`ACTIVITY_COLUMNS`: ``case_id`` (a proposal in one replication,
``r0-P00001``: ``P00001`` is its number in order of submission, as in the history format),
``activity`` (the step), ``enable_time`` (it arrived at the step), ``start_time`` (a
reviewer started), ``end_time`` (the decision: for a committee, its meeting), ``resource``
(the body's label, or its name), ``decision`` (``approve``, ``revise``, ``withdraw``),
``round`` (0 first, +1 after each revision), ``pathway``, ``level``, ``replication`` and
``meeting_id`` (``<body>@<YYYY-MM-DD>`` for a committee's decision, blank at offices).

Model times are days from 00:00 of the calendar's start; a fraction of a day is a time of
day. Timestamps are UTC, to the second; a time still unknown when the run ended is blank.

Every export is written :data:`BATCH` replications at a time (:func:`log_batches`), so a
log of any number of replications, read as it is simulated, never sits in memory whole.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from typing import TextIO

import numpy as np
import pandas as pd

from simlib.engine.eventlog import DECISIONS, EventLog, events_frame
from simlib.formats.cells import safe_column
from simlib.metrics.events import body_labels

ACTIVITY_COLUMNS = (
    "case_id", "activity", "enable_time", "start_time", "end_time", "resource", "decision",
    "round", "pathway", "level", "replication", "meeting_id",
)
TIME_COLUMNS = ("enable_time", "start_time", "finish_time", "end_time")
TEXT_COLUMNS = ("case_id", "activity", "resource", "decision", "pathway", "level",
                "meeting_id")
SECONDS_PER_DAY = 86_400
BATCH = 64  # replications exported together


def log_batches(logs: Iterable[EventLog], size: int | None = None) -> Iterator[list[EventLog]]:
    """``logs`` (a list, or a stream read as it comes) in consecutive lists of ``size``
    (default :data:`BATCH`)."""
    stream = iter(logs)
    while batch := list(itertools.islice(stream, size or BATCH)):
        yield batch


def model_timestamps(start: dt.date, times: np.ndarray) -> pd.DatetimeIndex:
    """The UTC instants of model ``times`` (days since 00:00 of ``start``), to the second;
    NaT where a time is NaN."""
    seconds = np.rint(np.asarray(times, dtype=float) * SECONDS_PER_DAY)
    return pd.Timestamp(start, tz="UTC") + pd.to_timedelta(seconds, unit="s")


def case_numbers(events: pd.DataFrame) -> pd.Series:
    """Each event's proposal numbered 1, 2, ... within its replication in order of
    submission (as :func:`~simlib.records.history.history_from_events` numbers them)."""
    submitted = events.loc[events["kind"] == "submit", ["replication", "proposal"]]
    submitted = submitted.drop_duplicates()
    order = submitted.groupby("replication").cumcount() + 1
    numbers = pd.Series(order.to_numpy(), index=pd.MultiIndex.from_frame(submitted))
    keys = pd.MultiIndex.from_frame(events[["replication", "proposal"]])
    found = numbers.reindex(keys).to_numpy(dtype=float, copy=True)
    missing = np.isnan(found)
    if missing.any():  # never submitted (not made by the model): numbered after the others
        extra = events.loc[missing, ["replication", "proposal"]]
        last = numbers.groupby(level=0).max()
        rank = extra.groupby("replication")["proposal"].rank(method="dense")
        found[missing] = last.reindex(extra["replication"]).fillna(0).to_numpy() + rank
    return pd.Series(found.astype("int64"), index=events.index)


def case_labels(replications: pd.Series, numbers: pd.Series) -> pd.Series:
    """Case ids ``r<replication>-P<number, 5 digits>``, unique across replications."""
    return ("r" + replications.astype(str) + "-P"
            + numbers.astype(str).str.zfill(5)).rename("case_id")


def _times_of(events: pd.DataFrame, keys: pd.Index, kinds: tuple) -> np.ndarray:
    """The time (days) of the event of one of ``kinds`` at each visit key (NaN if none)."""
    chosen = events[events["kind"].isin(kinds)]
    series = pd.Series(chosen["time"].to_numpy(dtype=float),
                       index=pd.MultiIndex.from_frame(chosen[list(keys.names)]))
    return series.reindex(keys).to_numpy()


def visit_times(logs: Iterable[EventLog]) -> pd.DataFrame:
    """One row per arrival of a proposal at a step, in order of case then arrival: columns
    replication, proposal, number (see :func:`case_numbers`), pathway, level, step, body,
    round, and the times (days) arrive, start, finish, decided (NaN when not yet),
    decision ("" when not yet). ``logs`` must share one calendar start."""
    events = events_frame(logs)
    events["number"] = case_numbers(events)
    key = ["replication", "proposal", "step", "round"]
    arrived = events[events["kind"] == "arrive"]
    frame = arrived[["replication", "proposal", "number", "pathway", "level", "step", "body",
                     "round", "time"]].rename(columns={"time": "arrive"})
    keys = pd.MultiIndex.from_frame(frame[key])
    frame["start"] = _times_of(events, keys, ("start",))
    frame["finish"] = _times_of(events, keys, ("finish",))
    frame["decided"] = _times_of(events, keys, DECISIONS)
    decisions = events[events["kind"].isin(DECISIONS)]
    decision = pd.Series(decisions["kind"].to_numpy(),
                         index=pd.MultiIndex.from_frame(decisions[key]))
    frame["decision"] = decision.reindex(keys).fillna("").to_numpy()
    frame = frame.sort_values(["replication", "number"], kind="stable")
    return frame.reset_index(drop=True)


def activity_instances(logs: Iterable[EventLog], scenario) -> pd.DataFrame:
    """The activity-instance table of ``logs`` (runs of ``scenario``): the
    :data:`ACTIVITY_COLUMNS`, then ``body`` and ``finish_time`` (the review's end). Times
    are UTC timestamps (NaT when not yet known); text is as the scenario spells it."""
    logs = list(logs)
    start = logs[0].start if logs else scenario.calendar.start
    visits = visit_times(logs)
    labels = body_labels(scenario)
    committees = {name for name, body in scenario.bodies.items() if body.kind == "committee"}
    stamps = {column: model_timestamps(start, visits[name].to_numpy())
              for column, name in zip(TIME_COLUMNS, ("arrive", "start", "finish", "decided"),
                                      strict=True)}
    decided_day = stamps["end_time"].strftime("%Y-%m-%d")
    at_meeting = visits["body"].isin(committees).to_numpy() & visits["decided"].notna()
    table = pd.DataFrame({
        "case_id": case_labels(visits["replication"], visits["number"]),
        "activity": visits["step"].astype(str),
        **{column: stamps[column] for column in ("enable_time", "start_time", "end_time")},
        "resource": visits["body"].map(labels).fillna(visits["body"]).astype(str),
        "decision": visits["decision"].astype(str),
        "round": visits["round"].astype("int64"),
        "pathway": visits["pathway"].astype(str),
        "level": visits["level"].astype(str),
        "replication": visits["replication"].astype("int64"),
        "meeting_id": np.where(at_meeting, visits["body"].astype(str) + "@"
                               + pd.Series(decided_day, index=visits.index).fillna(""), ""),
        "body": visits["body"].astype(str),
        "finish_time": stamps["finish_time"],
    })
    return table


def iso_text(stamps: pd.Series) -> pd.Series:
    """UTC timestamps as ISO 8601 text with the offset, ``2025-10-21T22:20:29+00:00``
    ("" when NaT)."""
    return stamps.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00").fillna("")


def activities_csv_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The :data:`ACTIVITY_COLUMNS` of an :func:`activity_instances` table as the CSV holds
    them: timestamps as ISO 8601 text, text cells safe in a spreadsheet."""
    frame = table[list(ACTIVITY_COLUMNS)].copy()
    for column in ("enable_time", "start_time", "end_time"):
        frame[column] = iso_text(frame[column])
    for column in TEXT_COLUMNS:
        frame[column] = safe_column(frame[column])
    return frame


def write_activities_csv(table: pd.DataFrame, stream: TextIO, header: bool = True) -> None:
    """Write an :func:`activity_instances` table to ``stream`` as CSV (a header row unless
    ``header`` is False, then one row per visit)."""
    activities_csv_frame(table).to_csv(stream, index=False, header=header)


def write_activity_log(logs: Iterable[EventLog], scenario, stream: TextIO) -> tuple[int, int]:
    """Write the activity-instance CSV of ``logs`` (runs of ``scenario``) to ``stream``,
    :data:`BATCH` replications at a time; returns (visits, proposals) written."""
    visits = proposals = 0
    for number, batch in enumerate(log_batches(logs)):
        table = activity_instances(batch, scenario)
        write_activities_csv(table, stream, header=number == 0)
        visits += len(table)
        proposals += table["case_id"].nunique()
    return visits, proposals
