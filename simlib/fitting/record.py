"""The record as the fit reads it: each visit with its body, revision round and day numbers on
the base scenario's calendar, plus working-time arithmetic on that calendar.

Day numbers count from the record's first arrival (day 0). The calendar is the base's (its
weekdays, holidays and terms repeat every year), started on that day, so a record from other
years than the base's is measured on the same kind of calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simlib.engine.calendar import MEETING_HOUR, WorkCalendar
from simlib.formats.keypaths import item_name
from simlib.records.history import History
from simlib.scenario import Committee, Scenario, Step, labelled_steps

SPAN_MARGIN_DAYS = 400  # calendar days past as_of kept on the calendar (open visits' bounds)
NAME_IN_PATH = re.compile(r"[A-Za-z_][A-Za-z0-9_+-]*")  # a step name a set path can hold


def step_specs(base: Scenario) -> dict[tuple[str, str], Step]:
    """(pathway, step label) -> the base's :class:`Step` for every step of every pathway."""
    found = {}
    for pathway, items in base.pathways.items():
        for branches in labelled_steps(items):
            for label, step in branches:
                found[(pathway, label)] = step
    return found


def _addresses(items: list, prefix: str) -> list[str]:
    """The ``set`` path of each of ``items`` (a pathway's items or a group's branches, as
    dumped): by its name when that is a plain word naming no other item, else by index."""
    names = [item_name(item) for item in items]
    return [f"{prefix}.{name}" if NAME_IN_PATH.fullmatch(name) and names.count(name) == 1
            else f"{prefix}.{index}" for index, name in enumerate(names)]


def step_paths(base: Scenario) -> dict[tuple[str, str], str]:
    """(pathway, step label) -> the ``set`` path of that step in a what-if of ``base``,
    e.g. ``pathways.credit.mc``, ``pathways.credit.3.parallel.0`` (a branch of an unnamed
    group), ``pathways.credit.6`` (a second ``owd`` step: a label like "owd (2)" is no
    path)."""
    dumped = base.model_dump(mode="json")["pathways"]
    found = {}
    for pathway, items in base.pathways.items():
        places = _addresses(dumped[pathway], f"pathways.{pathway}")
        for place, item, branches in zip(places, dumped[pathway], labelled_steps(items),
                                         strict=True):
            paths = (_addresses(item["parallel"], f"{place}.parallel") if "parallel" in item
                     else [place])
            for path, (label, _) in zip(paths, branches, strict=True):
                found[(pathway, label)] = path
    return found


@dataclass(frozen=True)
class Record:
    """The visits of a history prepared for fitting.

    ``visits``: the history's frame plus ``body`` (the base's body name), ``committee``
    (bool), ``round`` (0, 1, ... per proposal and step by arrival order), ``arrived_day`` and
    ``decided_day`` (day numbers from ``start``; decided_day -1 while open),
    ``arrival_hour`` (the fraction of the arrival day, when known: NaN if not). Visits of steps
    the base does not have are left out. ``calendar``: the base's calendar from ``start``.
    """

    visits: pd.DataFrame = field(repr=False)
    start: dt.date
    as_of: dt.date
    calendar: WorkCalendar = field(repr=False)
    cumulative: np.ndarray = field(repr=False)  # working days before each day number
    working: np.ndarray = field(repr=False)  # 1.0 on a working day, else 0.0

    @property
    def as_of_day(self) -> int:
        """The day number of ``as_of``."""
        return (self.as_of - self.start).days

    @property
    def span_days(self) -> float:
        """Calendar days from the first arrival to the end of ``as_of``."""
        return self.as_of_day + 1.0

    def working_time(self, time: np.ndarray) -> np.ndarray:
        """Working days from the start of day 0 to ``time`` (days, fractional)."""
        time = np.asarray(time, dtype=float)
        day = np.clip(np.floor(time).astype(int), 0, len(self.working) - 1)
        return self.cumulative[day] + (time - day) * self.working[day]

    def day_start(self, day: np.ndarray) -> np.ndarray:
        """Working days before day number ``day``."""
        return self.cumulative[np.clip(np.asarray(day, dtype=int), 0, len(self.working) - 1)]

    def arrival_bounds(self, visits: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """(earliest, latest) working time (working days from day 0) of each visit's
        arrival: anywhere in its day, or at its ``arrival_hour`` when known."""
        day = visits["arrived_day"].to_numpy()
        hour = visits["arrival_hour"].to_numpy()
        start, work = self.day_start(day), self.day_work(day)
        known = ~np.isnan(hour)
        return (start + np.where(known, hour, 0.0) * work,
                start + np.where(known, hour, 1.0) * work)

    def day_work(self, day: np.ndarray) -> np.ndarray:
        """1.0 where day number ``day`` is a working day, else 0.0."""
        return self.working[np.clip(np.asarray(day, dtype=int), 0, len(self.working) - 1)]


def _arrival_hour(frame: pd.DataFrame) -> np.ndarray:
    """Per visit (``frame`` in arrival order): the fraction of its day at which it arrived
    when the record tells (0.5: on the day a committee approved the proposal's previous
    step, at its noon meeting), else NaN."""
    previous = frame.groupby("proposal")[["decided_day", "committee", "decision"]].shift(1)
    known = ((previous["decided_day"] == frame["arrived_day"])
             & (previous["committee"] == True)  # noqa: E712 (NaN for the first visit)
             & (previous["decision"] == "approve"))
    return np.where(known.to_numpy(dtype=bool), MEETING_HOUR, np.nan)


def prepare(history: History, base: Scenario) -> Record:
    """The :class:`Record` of ``history`` read against ``base``."""
    specs = step_specs(base)
    frame = history.visits.copy()
    known = [(p, s) in specs for p, s in zip(frame["pathway"], frame["step"], strict=True)]
    frame = frame[np.asarray(known, dtype=bool)].copy()
    start = frame["arrived"].min().date() if len(frame) else history.as_of
    frame["body"] = [specs[(p, s)].body for p, s in zip(frame["pathway"], frame["step"],
                                                         strict=True)]
    frame["committee"] = [isinstance(base.bodies[b], Committee) for b in frame["body"]]
    origin = pd.Timestamp(start)
    frame["arrived_day"] = (frame["arrived"].dt.normalize() - origin).dt.days.astype(int)
    decided = (frame["decided"].dt.normalize() - origin).dt.days
    frame["decided_day"] = decided.fillna(-1).astype(int)
    frame = frame.sort_values(["arrived", "row"], kind="stable")
    frame["round"] = frame.groupby(["proposal", "step"]).cumcount()
    frame["arrival_hour"] = _arrival_hour(frame)
    spec = base.calendar.model_copy(update={"start": start})
    n_days = max((history.as_of - start).days, 0) + SPAN_MARGIN_DAYS
    calendar = WorkCalendar(spec, n_days)
    working = np.asarray(calendar.working, dtype=float)
    cumulative = np.concatenate([[0.0], np.cumsum(working)])[:-1]
    return Record(frame.reset_index(drop=True), start, history.as_of, calendar,
                  cumulative, working)
