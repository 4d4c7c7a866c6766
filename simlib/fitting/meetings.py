"""A committee's meeting dates from its decision dates (decisions fall on meeting days).

Candidate rules, on the weekday of at least 90% of the decision dates: ``every_weeks`` 1-4
(each phase) and ``nth`` (every subset of 1-5 and -1), each inside terms only or also outside
them, on the base's calendar (its terms and holidays). A rule is accepted when it explains
(holds a meeting on) at least 90% of the distinct decision dates; among those the one with
the fewest meetings without a decision wins (the sparsest rule, the likeliest). Otherwise the
dates are listed (``meets: {dates: [...]}``): when the same days of a 52-week block recur
(the engine repeats a list in 52-week blocks), one block of the recurring days, else every
decision date. A meeting where nothing was decided leaves no trace in the record, so a list
can only miss meetings, never invent them.

A rule generalises the dates to every week or month to come, so it needs evidence: at least
:data:`MIN_RULE_DATES` distinct decision dates over :data:`MIN_RULE_SPAN_DAYS` days (a
term); from fewer the dates are listed, and the fit says so (``shortfall``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np

from simlib.fitting.record import Record
from simlib.formats.words import plural
from simlib.scenario import WEEKDAYS, Meets
from simlib.scenario.calendars import NTH

EXPLAINS = 0.9  # a rule must hold a meeting on this share of the decision dates
BLOCK_DAYS = 364  # the engine repeats a listed calendar in blocks of 52 weeks
MIN_RULE_DATES = 6  # distinct decision dates a rule needs
MIN_RULE_SPAN_DAYS = 112  # days (16 weeks, a term) from the first to the last of them


@dataclass(frozen=True)
class MeetingFit:
    """A committee's fitted meetings: ``meets`` (a rule or a list), the share of distinct
    decision dates it ``explained``, the ``decision_dates`` counted, and ``days``: the
    meeting day numbers (from the record's start) up to ``as_of``; ``shortfall``: why the
    dates were not generalised to a rule, when too few ("" otherwise)."""

    meets: Meets
    explained: float
    decision_dates: int
    days: np.ndarray
    method: str
    shortfall: str = ""

    def to_dict(self) -> dict:
        """The JSON of the fit: ``rule`` or ``dates``, ``explained``, ``decision_dates``."""
        spec = self.meets.model_dump(mode="json", exclude_defaults=True)
        key = "dates" if self.meets.dates is not None else "rule"
        return {key: spec["dates"] if key == "dates" else spec,
                "explained": round(self.explained, 3), "decision_dates": self.decision_dates,
                "method": self.method}


def _candidates(weekday: str, first: dt.date) -> list[Meets]:
    """Every candidate rule on ``weekday``; every_weeks phases start from ``first``."""
    offset = (WEEKDAYS.index(weekday) - first.weekday()) % 7
    rules = []
    for outside in (False, True):
        for weeks in range(1, 5):
            for phase in range(weeks):
                start = first + dt.timedelta(days=offset + 7 * phase)
                rules.append(Meets(every_weeks=weeks, weekday=weekday, first=start,
                                   outside_terms=outside))
        for size in range(1, len(NTH) + 1):
            for weeks in itertools.combinations(NTH, size):
                nth = weeks if size > 1 else weeks[0]
                rules.append(Meets(nth=nth, weekday=weekday, outside_terms=outside))
    return rules


def _held(record: Record, meets: Meets) -> np.ndarray:
    """Day numbers of the meetings ``meets`` holds on the record's calendar up to as_of."""
    days = np.floor(np.asarray(record.calendar.meeting_times(meets))).astype(int)
    return days[days <= record.as_of_day]


def best_rule(record: Record, decided: np.ndarray) -> tuple[Meets, float, np.ndarray] | None:
    """The sparsest candidate rule explaining >= 90% of the distinct decision day numbers
    ``decided``: (rule, share explained, meeting days), or None."""
    dates = [record.start + dt.timedelta(days=int(day)) for day in decided]
    weekdays = [WEEKDAYS[date.weekday()] for date in dates]
    weekday = max(set(weekdays), key=weekdays.count)
    if weekdays.count(weekday) < EXPLAINS * len(dates):
        return None
    best, best_key = None, None
    for meets in _candidates(weekday, record.start):
        days = _held(record, meets)
        explained = np.isin(decided, days).mean()
        if explained < EXPLAINS - 1e-12:
            continue
        key = (len(days) - np.isin(days, decided).sum(), -explained, len(meets.nths))
        if best_key is None or key < best_key:
            best, best_key = (meets, float(explained), days), key
    return best


def listed_dates(record: Record, decided: np.ndarray) -> tuple[list[int], str]:
    """The meeting day numbers to list: one 52-week block of the block days that recur in
    at least two blocks when they explain >= 90% of ``decided``, else ``decided``."""
    blocks = decided // BLOCK_DAYS
    if blocks.max(initial=0) >= 1:
        positions, counts = np.unique(decided % BLOCK_DAYS, return_counts=True)
        recurring = positions[counts >= 2]
        if np.isin(decided % BLOCK_DAYS, recurring).mean() >= EXPLAINS:
            return [int(day) for day in recurring], "listed: one 52-week block of recurring dates"
    return [int(day) for day in decided], "listed: every decision date"


def fit_meetings(record: Record, decided_days) -> MeetingFit | None:
    """The meetings of a committee whose decisions fell on ``decided_days`` (day numbers);
    None without a decision."""
    decided = np.unique(np.asarray(decided_days, dtype=int))
    if not len(decided):
        return None
    span = int(decided[-1] - decided[0])
    few = len(decided) < MIN_RULE_DATES or span < MIN_RULE_SPAN_DAYS
    found = None if few else best_rule(record, decided)
    if found is not None:
        meets, explained, days = found
        return MeetingFit(meets, explained, len(decided), days,
                          "rule: the sparsest explaining >= 90% of decision dates")
    listed, method = listed_dates(record, decided)
    shortfall = (f"{plural(len(decided), 'decision date')} over {plural(span, 'day')}; a "
                 f"rule needs "
                 f"{MIN_RULE_DATES} over {MIN_RULE_SPAN_DAYS} days or more: the dates are "
                 "listed, not generalised") if few else ""
    dates = [record.start + dt.timedelta(days=day) for day in listed]
    meets = Meets(dates=dates)
    days = _held(record, meets)
    return MeetingFit(meets, float(np.isin(decided, days).mean()), len(decided), days, method,
                      shortfall)
