"""Dates a record's other dates make implausible, refused before a fit (``mcsim fit``): a
mistyped year moves the record's span (and with it every rate fitted over it) or turns a
review of days into one of years, without breaking any rule of the format.

- An isolated date: separated by more than :data:`ISOLATED_DAYS` from every other date of
  the record, on the far side of a gap holding at most :data:`ISOLATED_ROWS` rows while
  the near side holds at least :data:`MAJORITY` times as many.
- A visit far longer than the others at its step: :data:`LONG_VISIT_DAYS` or more and more
  than :data:`LONG_VISIT_FACTOR` times the longest other visit there (to its decision, or
  to the export date while open).

Each is a :class:`~simlib.records.history_checks.Problem` naming the row and the column.
"""

from __future__ import annotations

import datetime as dt

from simlib.records.history_checks import Problem

ISOLATED_DAYS = 730  # two years without any recorded date
ISOLATED_ROWS = 3
MAJORITY = 4
LONG_VISIT_DAYS = 365
LONG_VISIT_FACTOR = 3


def implausible_dates(visits: list[dict], as_of: dt.date) -> list[Problem]:
    """The problems of :func:`isolated_dates` and :func:`long_visits` of ``visits`` (dicts
    of the format's columns, dates as dates, and ``row``), one per row at most."""
    found = isolated_dates(visits)
    flagged = {problem.row for problem in found}
    return found + [problem for problem in long_visits(visits, as_of)
                    if problem.row not in flagged]


def isolated_dates(visits: list[dict]) -> list[Problem]:
    """A problem for each date on the small far side of a gap of over two years (see the
    module docstring)."""
    dates = sorted((visit[name], visit["row"], name) for visit in visits
                   for name in ("arrived", "decided") if visit[name] is not None)
    clusters: list[list[tuple]] = []
    for entry in dates:
        if clusters and (entry[0] - clusters[-1][-1][0]).days <= ISOLATED_DAYS:
            clusters[-1].append(entry)
        else:
            clusters.append([entry])
    if len(clusters) < 2:
        return []
    main = max(clusters, key=len)
    first, last = main[0][0].isoformat(), main[-1][0].isoformat()
    found = []
    for cluster in clusters:
        rows = {row for _, row, _ in cluster}
        if cluster is main or len(rows) > ISOLATED_ROWS or len(main) < MAJORITY * len(cluster):
            continue
        for date, row, name in cluster:
            years = min(abs((date - main[0][0]).days), abs((date - main[-1][0]).days)) / 365.25
            side = "before" if date < main[0][0] else "after"
            found.append(Problem(row, name, f"{date.isoformat()} is {years:.1f} years {side} "
                                 f"every other date of the record ({first} to {last}): a "
                                 "mistyped year? check it"))
    return found


def long_visits(visits: list[dict], as_of: dt.date) -> list[Problem]:
    """A problem for each visit a year long or more and over three times the longest
    other visit to its step (see the module docstring)."""
    lengths: dict[tuple[str, str], list[tuple[int, dict]]] = {}
    for visit in visits:
        end = visit["decided"] or as_of
        lengths.setdefault((visit["pathway"], visit["step"]), []).append(
            ((end - visit["arrived"]).days, visit))
    found = []
    for (_, step), items in lengths.items():
        ordered = sorted(items, key=lambda item: item[0], reverse=True)
        days, visit = ordered[0]  # only the longest can be three times the longest other
        others = ordered[1][0] if len(ordered) > 1 else 0
        if days >= LONG_VISIT_DAYS and days > LONG_VISIT_FACTOR * others:
            found.append(_long(visit, step, days, others))
    return found


def _long(visit: dict, step: str, days: int, others: int) -> Problem:
    """The problem of one visit far longer than the others at its step."""
    if visit["decided"] is None:
        return Problem(visit["row"], "arrived", f"{visit['arrived'].isoformat()}: this {step} "
                       f"visit is still open after {days:,} days, more than "
                       f"{LONG_VISIT_FACTOR} times the longest other ({others:,} days): a "
                       "mistyped year? check it, or record the proposal's withdrawal if it "
                       "was abandoned")
    return Problem(visit["row"], "decided", f"{visit['decided'].isoformat()}: this {step} "
                   f"visit took {days:,} days from {visit['arrived'].isoformat()}, more than "
                   f"{LONG_VISIT_FACTOR} times the longest other ({others:,} days): a "
                   "mistyped year? check both dates")
