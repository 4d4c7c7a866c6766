"""The event log: one immutable record per event, the single source of truth for metrics.

Times are in days since the calendar's start date (day 0 starts at 00:00 of ``start``);
``date`` is the calendar date on which the event happened
(:func:`~simlib.engine.calendar.calendar_date`: a time of -0.5 is the day before ``start``).

Event kinds, per proposal:

- ``submit``: the proposal enters the pipeline (step and body empty);
- ``arrive``: it reaches a step's body (``round`` 0 first, +1 after each revision);
- ``start`` / ``finish``: a reviewer (office staff or committee member) begins / ends the review;
- ``approve`` / ``revise`` / ``withdraw``: the body's decision (a committee's, at a meeting);
- ``approved`` / ``withdrawn``: the proposal leaves the approval pipeline (step and body
  empty);
- after ``approved``, the steps of its pathway's ``after_approval`` chain (a badge built,
  reviewed and published, the first offering, the first badges issued) log the same kinds,
  and an office's review there may ``pause`` (an approval review took its reviewer) and
  ``resume``.

After ``revise`` the proposer reworks it; the next ``arrive`` at the same step ends the rework
(after approval a revision may go back to an earlier step: ``revise.back_to``).

Besides the proposals' events, ``work`` records what the bodies did that is nobody's event,
for the hours their work costs: one ``(body, activity, time, people, items)`` tuple per
committee ``meeting`` held that had items of the pipeline (``people``: its members,
``items``: the items it discussed, those that took an agenda place; a meeting that only
passed consent items has 0) and per ``evote`` that decided an item (``items`` 1).
Reviews are the ``finish`` events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from simlib.engine.calendar import calendar_date

KINDS = (
    "submit", "arrive", "start", "finish", "pause", "resume", "approve", "revise", "withdraw",
    "approved", "withdrawn",
)
DECISIONS = ("approve", "revise", "withdraw")
COLUMNS = (
    "replication", "proposal", "pathway", "level", "step", "body", "kind", "time", "date",
    "round",
)
# The order of fields in the model's raw rows (replication and date are added on output).
RAW_FIELDS = ("proposal", "pathway", "level", "step", "body", "kind", "time", "round")
WORK_FIELDS = ("body", "activity", "time", "people", "items")


class Event(NamedTuple):
    """One thing that happened to one proposal."""

    replication: int
    proposal: int
    pathway: str
    level: str
    step: str
    body: str
    kind: str
    time: float
    date: dt.date
    round: int


@dataclass(frozen=True, repr=False)
class EventLog:
    """The events of one replication, in the order they happened.

    ``rows`` hold the raw tuples in :data:`RAW_FIELDS` order; iterate for :class:`Event`
    records, or call :meth:`to_frame` for a pandas DataFrame with the :data:`COLUMNS`.
    ``work``: the meetings held and e-votes taken, as :data:`WORK_FIELDS` tuples.
    """

    rows: tuple[tuple, ...] = field(repr=False)
    replication: int
    start: dt.date
    scenario: str = ""
    work: tuple[tuple, ...] = field(default=(), repr=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return (
            f"EventLog(scenario={self.scenario!r}, replication={self.replication}, "
            f"events={len(self.rows)}, start={self.start.isoformat()})"
        )

    def __iter__(self) -> Iterator[Event]:
        start, rep = self.start, self.replication
        for proposal, pathway, level, step, body, kind, time, round_ in self.rows:
            date = calendar_date(start, time)
            yield Event(rep, proposal, pathway, level, step, body, kind, time, date, round_)

    def to_frame(self) -> pd.DataFrame:
        """All events as a DataFrame with the :data:`COLUMNS` (``date`` as datetime64)."""
        return events_frame([self])


def events_frame(logs: Iterable[EventLog]) -> pd.DataFrame:
    """One DataFrame (columns :data:`COLUMNS`) of the events of several replications."""
    logs = list(logs)
    rows = [row for log in logs for row in log.rows]
    frame = pd.DataFrame.from_records(rows, columns=list(RAW_FIELDS))
    frame = frame.astype({"proposal": "int64", "round": "int64", "time": "float64"})
    replication = np.repeat([log.replication for log in logs], [len(log) for log in logs])
    frame.insert(0, "replication", replication.astype("int64"))
    starts = np.repeat(
        np.array([np.datetime64(log.start, "D") for log in logs], dtype="datetime64[D]"),
        [len(log) for log in logs],
    )
    frame["date"] = pd.to_datetime(calendar_date(starts, frame["time"].to_numpy()))
    return frame[list(COLUMNS)]


