"""Fit a scenario's parameters to an office's history: :func:`fit_history`.

The fit estimates, from the record, each value the record informs (demand, review times,
meeting dates, decision chances, rework times), with a 95% interval and the number of
observations behind it; open visits are censored observations, not dropped. Everything
else keeps the base's value, and so does each value the record has too little evidence
for (each such shortfall is one line of the fit). The fitted scenario simulates the
record's years: its ``calendar.start`` is the base's start day in the year of the record's
first arrival.
"""

from __future__ import annotations

import calendar
import datetime as dt

from simlib.fitting.demand import fit_demand
from simlib.fitting.record import prepare
from simlib.fitting.result import Estimates, HistoryFit, Setting
from simlib.fitting.reviews import fit_all_meetings, fit_reviews, meeting_settings
from simlib.fitting.steps import fit_steps
from simlib.records.history import History
from simlib.scenario import Scenario

NOTES = (
    "Meetings where nothing was decided leave no trace in the record: a listed calendar "
    "can miss them.",
    "Committee reading time and agenda_lead_days are not separately identified: reading "
    "is fitted with the base's lead held.",
    "Time at an office includes any wait for a free reviewer (negligible at the "
    "baseline's loads).",
)


def calendar_start(base: Scenario, first: dt.date) -> dt.date:
    """The fitted scenario's start: the last date on or before the record's ``first``
    arrival with the base's start month and day (so the year starts where the base's
    does)."""
    start = base.calendar.start
    for year in (first.year, first.year - 1):
        day = min(start.day, calendar.monthrange(year, start.month)[1])
        candidate = dt.date(year, start.month, day)
        if candidate <= first:
            return candidate
    return first


def fit_history(history: History, base: Scenario) -> HistoryFit:
    """The :class:`HistoryFit` of ``history`` read against ``base`` (its steps, bodies and
    calendar): every estimate with its 95% interval, n and method, and the fitted what-if's
    settings."""
    record = prepare(history, base)
    meetings = fit_all_meetings(record, base)
    found = Estimates()
    if len(record.visits):
        found.settings.append(Setting("calendar.start", calendar_start(base, record.start),
                                      "the base's start day in the record's first year: the "
                                      "fit simulates the record's years"))
    for part in (meeting_settings(meetings), fit_demand(record, base),
                 fit_reviews(record, base, meetings), fit_steps(record, base)):
        found.add(part)
    return HistoryFit(
        source=history.source, proposals=history.proposals, rows=len(history.visits),
        as_of=history.as_of, parameters=tuple(found.parameters),
        settings=tuple(found.settings),
        meetings={name: fit.to_dict() for name, fit in meetings.items()},
        ignored_columns=tuple(history.ignored_columns), notes=NOTES,
        span=(record.start, record.as_of) if len(record.visits) else None,
        shortfalls=tuple(found.shortfalls))
