"""Censored observations from the record: interval bounds (lower, upper] in days of each
review and each rework, ready for :func:`simlib.fitting.durations.fit_duration`.

- Office review (working days): an item that arrived on day a and was decided on day d took
  between C(d) - C(a) - w(a) and C(d) + w(d) - C(a) working days (C: working days before a
  day, w: 1 on a working day), as arrival and decision fall somewhere in their days; an
  open visit took more than C(as_of + 1) - C(a) - w(a). With ``staff`` reviewers taking
  work first come, first served, a review starts at the later of its arrival and the
  ``staff``-th latest decision among the earlier arrivals (items decided at one meeting
  reach the next office together and queue there), so a is that later day.
- Committee reading (working days), with ``agenda_lead_days`` L held at the base's value
  (reading time and lead are not separately identified): decided at the meeting on day m,
  the item was ready by noon of m minus L but not by noon minus L of the previous meeting
  held after its arrival day (it missed that one; a meeting that decided ``agenda_limit``
  items does not count, as a ready item may have found no room), so its reading lies between the
  working time from its arrival to those two cutoffs. Open items missed every meeting held
  after their arrival day. An arrival on the day a committee approved the proposal's
  previous step came at that meeting's noon; other arrivals lie anywhere in their day.
- Rework (calendar days): from a revise decision on day d to the next arrival at the same
  step on day a': between a' - d - 1 and a' - d + 1, peaked at a' - d (committees decide
  at noon: +-0.5, flat);
  not back by as_of: more than as_of - d.
"""

from __future__ import annotations

import heapq

import numpy as np
import pandas as pd

from simlib.engine.calendar import MEETING_HOUR
from simlib.fitting.record import Record

INF = np.inf


def busy_until(decided: np.ndarray, staff: int) -> np.ndarray:
    """Per item (in arrival order): the day the ``staff``-th latest decision among the
    earlier items falls on (FIFO: the item's review starts no earlier), -1 when fewer than
    ``staff`` came earlier, inf when that one is still open (day numbers; open as -1 in
    ``decided``)."""
    latest: list[float] = []  # a min-heap of the staff latest decision days so far
    found = np.full(len(decided), -1.0)
    for index, day in enumerate(decided):
        if len(latest) == staff:
            found[index] = latest[0]
        value = INF if day < 0 else float(day)
        if len(latest) < staff:
            heapq.heappush(latest, value)
        elif value > latest[0]:
            heapq.heapreplace(latest, value)
    return found


def office_intervals(record: Record, visits: pd.DataFrame, staff: int = 1000
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, peaked) of the office reviews in ``visits``: the columns of
    :func:`office_frame`."""
    frame = office_frame(record, visits, staff)
    return (frame["lower"].to_numpy(), frame["upper"].to_numpy(),
            frame["peaked"].to_numpy())


def office_frame(record: Record, visits: pd.DataFrame, staff: int = 1000) -> pd.DataFrame:
    """``lower`` and ``upper`` working days of each office review in ``visits`` (indexed
    like ``visits``, in arrival order), from the start of each review: its arrival, or
    (FIFO, ``staff`` reviewers) the ``staff``-th latest decision among the visits that
    arrived before it; ``peaked`` where the review began inside a working day (the
    interval is then weighted as a triangle). Reviews that cannot have started by as_of
    are left out."""
    visits = visits.sort_values(["arrived_day", "row"], kind="stable")
    arrived = visits["arrived_day"].to_numpy()
    decided = visits["decided_day"].to_numpy()
    busy = busy_until(decided, staff)
    keep = np.isfinite(busy)
    index = visits.index[keep]
    arrived, decided, busy = arrived[keep], decided[keep], busy[keep].astype(int)
    open_ = decided < 0
    free = np.where(busy >= 0, busy, 0)
    earliest, latest = (bound[keep] for bound in record.arrival_bounds(visits))
    begin_low = np.maximum(earliest, np.where(busy >= 0, record.day_start(free), 0.0))
    begin_high = np.maximum(latest, np.where(
        busy >= 0, record.day_start(free) + record.day_work(free), 0.0))
    end = np.where(open_, record.as_of_day + 1, decided)
    lower = record.day_start(end) - begin_high
    upper = np.where(open_, INF, record.day_start(end) + record.day_work(end) - begin_low)
    peaked = ~open_ & (begin_high - begin_low == 1.0) & (record.day_work(end) == 1.0)
    lower = np.where(peaked, lower, np.maximum(lower, 0.0))
    return pd.DataFrame({"lower": lower, "upper": upper, "peaked": peaked}, index=index)


def _previous(meetings: np.ndarray, arrived: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Per item: the last meeting day after ``arrived`` and before ``before``; -1 if none
    (every item, when no meeting counts: each decided a full agenda)."""
    if not len(meetings):
        return np.full(len(arrived), -1)
    index = np.searchsorted(meetings, before, side="left") - 1
    found = np.where(index >= 0, meetings[np.maximum(index, 0)], -1)
    return np.where(found > arrived, found, -1)


def full_meetings(visits: pd.DataFrame, agenda_limit: int | None) -> np.ndarray:
    """The day numbers of the meetings that decided ``agenda_limit`` items of ``visits``
    (all of a committee's visits): a ready item may have missed them for want of room."""
    if agenda_limit is None:
        return np.array([], dtype=int)
    counts = visits.loc[visits["decided_day"] >= 0, "decided_day"].value_counts()
    return np.sort(counts.index[counts >= agenda_limit].to_numpy(dtype=int))


def committee_intervals(record: Record, visits: pd.DataFrame, meetings: np.ndarray,
                        lead_days: float, full: np.ndarray = ()) -> tuple[np.ndarray, np.ndarray]:
    """(lower, upper) working days of the committee readings in ``visits``, given the
    committee's meeting day numbers ``meetings``, its agenda lead (calendar days) and the
    ``full`` meetings (:func:`full_meetings`; missing one says nothing of the reading);
    open items that no meeting has passed yet are left out."""
    meetings = np.setdiff1d(np.asarray(meetings, dtype=int), np.asarray(full, dtype=int))
    arrived = visits["arrived_day"].to_numpy()
    decided = visits["decided_day"].to_numpy()
    open_ = decided < 0
    before = np.where(open_, record.as_of_day + 1, decided)
    missed = _previous(meetings, arrived, before)
    earliest, latest = record.arrival_bounds(visits)
    cutoff = lambda day: record.working_time(day + MEETING_HOUR - lead_days)  # noqa: E731
    lower = np.where(missed >= 0, cutoff(missed) - latest, 0.0)
    upper = np.where(open_, INF, cutoff(np.maximum(decided, 0)) - earliest)
    keep = ~(open_ & (missed < 0))
    return np.maximum(lower[keep], 0.0), upper[keep]


def rework_intervals(record: Record, visits: pd.DataFrame
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lower, upper, peaked) calendar days of the reworks after each revise decision in
    ``visits`` (one step's visits): to the next round's arrival, or censored at as_of;
    peaked (a triangle) after an office's decision, flat after a committee's at noon."""
    ordered = visits.sort_values(["proposal", "round"])
    following = ordered.groupby("proposal")["arrived_day"].shift(-1)
    revised = ordered["decision"].to_numpy() == "revise"
    decided = ordered["decided_day"].to_numpy()[revised].astype(float)
    back = following.to_numpy()[revised]
    slack = np.where(ordered["committee"].to_numpy()[revised], 0.5, 1.0)
    returned = ~np.isnan(back)
    gap = np.where(returned, back - decided, record.as_of_day - decided)
    lower = np.where(returned, gap - slack, gap + (1.0 - slack))
    upper = np.where(returned, gap + slack, INF)
    peaked = returned & (slack == 1.0)
    return np.where(peaked, lower, np.maximum(lower, 0.0)), upper, peaked
