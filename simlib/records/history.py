"""The history format: one row per visit of a proposal to a step (one row per round).

Columns :data:`COLUMNS`: ``proposal`` (an id), ``pathway`` and ``step`` (names from the
base scenario: ``credit``, ``mc``, ``owd_initial``, ...), ``level`` (may be blank),
``arrived`` and ``decided`` (dates; ``decided`` blank while the step is still open) and
``decision`` (``approve``, ``revise`` or ``withdraw``; blank while open). A history is read
from an office's export (:mod:`simlib.records.history_files`) or made from a simulated run
(:func:`simulated_history`), and both give the same :class:`History`. It is the record of
the approval pipeline; the forecast also reads rows at the steps after approval (a badge
built, reviewed and published, ...: an approved proposal whose badge is on its way), which a
simulated history leaves out and a fit refuses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from simlib.engine.eventlog import DECISIONS, EventLog

COLUMNS = ("proposal", "pathway", "level", "step", "arrived", "decided", "decision")
# The frame of a History: the columns above, then the row of the file each visit came from
# (as a spreadsheet numbers it, the header being row 1).
FRAME_COLUMNS = (*COLUMNS, "row")


@dataclass(frozen=True, repr=False)
class History:
    """An office's record of its proposals' visits, up to the export date ``as_of``.

    ``visits``: a DataFrame with :data:`FRAME_COLUMNS`, in the file's order: ``proposal``,
    ``pathway``, ``step``, ``decision`` as str (``level`` and ``decision`` "" when blank),
    ``arrived`` and ``decided`` as datetime64 (``decided`` NaT while open), ``row`` int.
    ``ignored_columns``: columns of the file that are not part of the format;
    ``worksheet``: which sheet of a workbook of several was read, in words ("" otherwise).
    """

    visits: pd.DataFrame = field(repr=False)
    as_of: dt.date
    source: str = ""
    ignored_columns: tuple[str, ...] = ()
    worksheet: str = ""

    def __repr__(self) -> str:
        return (f"History(source={self.source!r}, proposals={self.proposals}, "
                f"rows={len(self.visits)}, as_of={self.as_of.isoformat()})")

    @property
    def proposals(self) -> int:
        """The number of proposals in the record."""
        return int(self.visits["proposal"].nunique())

    @property
    def open_visits(self) -> pd.DataFrame:
        """The visits still open at ``as_of`` (no decision yet)."""
        return self.visits[self.visits["decided"].isna()]

    def to_frame(self) -> pd.DataFrame:
        """The record as the file holds it (:data:`COLUMNS`; dates as datetime64)."""
        return self.visits[list(COLUMNS)].reset_index(drop=True)


def history_from_events(log: EventLog, as_of: dt.date, source: str = "") -> History:
    """The history an office would have exported on ``as_of`` from the run ``log``: one row
    per arrival of a proposal at a step, decided by the body's decision at that step and
    round; what happens after ``as_of`` is not known yet (those visits are open, later
    arrivals absent). Proposal ids are ``P00001``, ``P00002``, ... in order of submission.
    The record is of the approval pipeline: the steps after approval (a badge's) are left
    out."""
    events = log.to_frame()
    approved = (events["kind"] == "approved").groupby(events["proposal"]).cumsum()
    events = events[approved.to_numpy() == 0]  # up to approval (its own row, not needed)
    cut = pd.Timestamp(as_of)
    events = events[events["date"] <= cut]
    key = ["proposal", "step", "round"]
    arrived = events[events["kind"] == "arrive"]
    decided = events[events["kind"].isin(DECISIONS)][[*key, "date", "kind"]]
    decided = decided.rename(columns={"date": "decided", "kind": "decision"})
    visits = arrived.merge(decided, on=key, how="left", validate="one_to_one")
    order = {number: index for index, number in
             enumerate(events.loc[events["kind"] == "submit", "proposal"].unique(), start=1)}
    order.update({number: len(order) + index for index, number in enumerate(
        sorted(set(visits["proposal"]) - set(order)), start=1)})
    frame = pd.DataFrame({
        "proposal": [f"P{order[number]:05d}" for number in visits["proposal"]],
        "pathway": visits["pathway"].astype(str),
        "level": visits["level"].astype(str),
        "step": visits["step"].astype(str),
        "arrived": visits["date"].to_numpy(),
        "decided": pd.to_datetime(visits["decided"]).to_numpy(),
        "decision": visits["decision"].fillna("").astype(str),
    })
    frame["row"] = range(2, len(frame) + 2)
    return History(frame.reset_index(drop=True), as_of, source)


def simulated_history(scenario, seed: int | None = None, replication: int = 0,
                      as_of: dt.date | None = None) -> History:
    """The history of one simulated office: replication ``replication`` of ``scenario``
    (a :class:`~simlib.scenario.Scenario`), exported on ``as_of`` (default: the end of the
    scenario's horizon, the last day proposals are submitted)."""
    from simlib.engine.model import simulate

    log = simulate(scenario, seed, replication)
    if as_of is None:
        as_of = scenario.calendar.start + dt.timedelta(days=int(scenario.horizon_days))
    return history_from_events(log, as_of, source=f"simulated {scenario.name}")
