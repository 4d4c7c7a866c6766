"""Per-replication summaries: what every experiment needs of one replication, in a few hundred
numbers instead of its whole event log, and the tables pooled from many of them.

:func:`summarise` reads one :class:`~simlib.engine.eventlog.EventLog` once (a pure function
of the log, like every metric) into a :class:`Replication`: per proposal submitted after
warm-up its pathway, outcome and cycle days; per pathway step the visit counts and the sums
and counts of each time part; per body the reviewer-busy days and the decisions inside the
post-warm-up window; per step with a promise the first responses and how many were in time.
Workers send these back instead of event logs, so memory stays flat in the number of
replications. The ``*_table`` functions pool them into the tables of
:mod:`simlib.metrics.events` and :mod:`simlib.metrics.calendar` (same columns and index;
counts and cycle-time statistics identical, mean durations equal up to the order of the
floating-point sums).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simlib.engine.eventlog import EventLog
from simlib.metrics.calendar import model_calendar
from simlib.metrics.events import MILESTONES, OUTCOMES, window_years
from simlib.scenario import Scenario

_OUTCOME_CODES = {name: code for code, name in enumerate(OUTCOMES)}
_APPROVED = _OUTCOME_CODES["approved"]


@dataclass(frozen=True, eq=False)
class Replication:
    """One replication, summarised (days; see the module docstring).

    ``pathway``, ``outcome`` (codes into the scenario's pathways and :data:`OUTCOMES`),
    ``cycle_days`` (NaN unless approved) and ``ended_days`` (to its approval or withdrawal,
    NaN while in progress): one entry per proposal submitted after warm-up, in proposal
    order. ``step_counts`` (steps x 3: visits, revisions, withdrawals),
    ``step_sums`` and ``step_numbers`` (steps x 4, :data:`TIME_COLUMNS`): per step of
    :func:`~simlib.metrics.events.step_labels`. ``busy_days`` and ``decided`` per body
    (scenario order). ``sla`` (steps x 2: first responses, in time). ``effort`` (bodies x
    :data:`EFFORT` x 2, in term then outside terms): the person-units of work done in the
    window, which :func:`body_hours` prices in hours.
    """

    replication: int
    pathway: np.ndarray
    outcome: np.ndarray
    cycle_days: np.ndarray
    step_counts: np.ndarray
    step_sums: np.ndarray
    step_numbers: np.ndarray
    busy_days: np.ndarray
    decided: np.ndarray
    sla: np.ndarray
    effort: np.ndarray
    ended_days: np.ndarray
    milestones: np.ndarray

    @property
    def badge_days(self) -> np.ndarray:
        """Per proposal: days from approval to its badge going live (NaN if it did not)."""
        return self.milestones[:, 0]

    @property
    def offering_days(self) -> np.ndarray:
        """Per proposal: days from submission to its first offering's start (else NaN)."""
        return self.milestones[:, 1]

    @property
    def first_badge_days(self) -> np.ndarray:
        """Per proposal: days from submission to its first badges issued (else NaN)."""
        return self.milestones[:, 2]

    def days(self, metric: str, pathway: int) -> np.ndarray:
        """Days of ``metric`` (``cycle_days`` or one of the :data:`MILESTONES`) of the
        proposals of the scenario's pathway number ``pathway`` that reached it."""
        if metric == "cycle_days":
            return self.approved_days(pathway)
        values = self.milestones[self.pathway == pathway, MILESTONES.index(metric)]
        return values[~np.isnan(values)]

    def approved_days(self, pathway: int) -> np.ndarray:
        """Cycle days (days) of the approved proposals of the scenario's pathway number
        ``pathway``, in proposal order."""
        return self.cycle_days[(self.pathway == pathway) & (self.outcome == _APPROVED)]


# What a body's work is counted in, with the ``hours`` key that prices each: reviews done
# (one reviewer each), members at meetings held, members x items discussed (at a meeting or
# in an e-vote).
EFFORT = ("reviews", "member_meetings", "member_items")
PRICES = ("per_review", "per_meeting", "per_item")


def body_hours(replication: Replication, scenario: Scenario) -> np.ndarray:
    """Person-hours of each body's work in the window [warmup_days, horizon_days] of one
    replication (bodies in scenario order x 2: in term, outside terms): its
    :attr:`Replication.effort` priced by the body's ``hours``."""
    prices = np.array([[getattr(body.hours, price) for price in PRICES]
                       for body in scenario.bodies.values()], dtype=float)
    return np.einsum("bet,be->bt", replication.effort, prices)


def priced(scenario: Scenario) -> bool:
    """True when some body's work has a price in hours (a ``hours`` value above 0)."""
    return any(getattr(body.hours, price) > 0.0 for body in scenario.bodies.values()
               for price in PRICES)


def body_hours_per_year(replication: Replication, scenario: Scenario) -> np.ndarray:
    """:func:`body_hours` a year of the window (person-hours a year; bodies x 2: in term,
    outside terms)."""
    return body_hours(replication, scenario) / window_years(scenario)


HOURS = ("faculty", "faculty_outside_terms", "staff", "total")


def hours_per_year(replication: Replication, scenario: Scenario) -> dict[str, float]:
    """Person-hours a year (over the window [warmup_days, horizon_days]) of one replication,
    by :data:`HOURS`: ``faculty`` at committees (their members are faculty; a chair's
    delegated decisions included), ``faculty_outside_terms`` the part of it outside the
    terms (summer and breaks, when most faculty are off contract), ``staff`` at offices,
    and ``total``."""
    hours = body_hours_per_year(replication, scenario)
    committee = np.array([body.kind == "committee" for body in scenario.bodies.values()])
    return {"faculty": float(hours[committee].sum()),
            "faculty_outside_terms": float(hours[committee, 1].sum()),
            "staff": float(hours[~committee].sum()), "total": float(hours.sum())}


def approved_per_year(replication: Replication, scenario: Scenario) -> float:
    """Proposals submitted after warm-up and approved, per year of the window (the
    ``approvals_per_year`` of the cycle table, all pathways together, of one replication)."""
    return float(np.count_nonzero(replication.outcome == _APPROVED)) / window_years(scenario)


def approved_days(replication: Replication, scenario: Scenario) -> dict[str, np.ndarray]:
    """Per pathway (scenario order): :meth:`Replication.approved_days`."""
    return {name: replication.approved_days(index)
            for index, name in enumerate(scenario.pathways)}


@dataclass(frozen=True)
class _Layout:
    """Where a scenario's pathways, steps and bodies go in the arrays of a summary."""

    pathways: dict[str, int]
    steps: dict[tuple[str, str], int]
    step_body: list[int]
    sla_days: list[float]
    bodies: dict[str, int]
    marks: dict[int, int]  # step index -> 0 (its approval: badge live) or 2 (first badges)
    offering: frozenset[int]  # the steps whose start is a first offering's

    @classmethod
    def of(cls, scenario: Scenario) -> _Layout:
        """The layout of ``scenario`` (about 10 microseconds: no need to keep it): every
        step of each pathway's journey (:meth:`~simlib.scenario.Scenario.journey`)."""
        bodies = {name: index for index, name in enumerate(scenario.bodies)}
        steps, step_body, sla_days, marks, offering = {}, [], [], {}, set()
        for pathway in scenario.pathways:
            journey = scenario.journey(pathway)
            approval = len(scenario.pathways[pathway])
            for position, item in enumerate(journey):
                for label, step in item:
                    index = steps[(pathway, label)] = len(steps)
                    step_body.append(bodies[step.body])
                    sla_days.append(math.nan if step.sla_days is None else float(step.sla_days))
                    if step.marks == "badge_live":
                        marks[index] = 0
                    elif position == len(journey) - 1 and position >= approval:
                        marks[index] = 2
                    if step.starts is not None:
                        offering.add(index)
        return cls({name: index for index, name in enumerate(scenario.pathways)}, steps,
                   step_body, sla_days, bodies, marks, frozenset(offering))


def summarise(log: EventLog, scenario: Scenario) -> Replication:
    """The :class:`Replication` summary of one replication's event log."""
    return _Reader(_Layout.of(scenario), scenario).read(log)


class _Reader:
    """One pass over a log's rows (in time order) that fills a summary's arrays. Plain
    Python lists while reading (an element update of a numpy array costs more than a whole
    row of the log), arrays at the end."""

    def __init__(self, layout: _Layout, scenario: Scenario):
        self.layout = layout
        self.warmup = scenario.warmup_days
        self.low, self.high = scenario.warmup_days, scenario.horizon_days
        n_steps, n_bodies = len(layout.steps), len(layout.bodies)
        self.counts = [[0, 0, 0] for _ in range(n_steps)]  # visits, revisions, withdrawals
        self.sums = [[0.0] * 4 for _ in range(n_steps)]
        self.numbers = [[0] * 4 for _ in range(n_steps)]
        self.busy = [0.0] * n_bodies
        self.decided = [0] * n_bodies
        self.sla = [[0, 0] for _ in range(n_steps)]
        self.effort = [[[0.0, 0.0] for _ in EFFORT] for _ in range(n_bodies)]
        self.in_term = model_calendar(scenario).in_term

    def read(self, log: EventLog) -> Replication:
        """Fill the summary from ``log``. Busy days are summed as +finish -start (each
        clipped to the window) per body, with the window's end for reviews still running."""
        layout, warmup, low, high = self.layout, self.warmup, self.low, self.high
        steps, bodies, sla_days = layout.steps, layout.bodies, layout.sla_days
        busy, decided, counts = self.busy, self.decided, self.counts
        sums, numbers, sla = self.sums, self.numbers, self.sla
        reviews, in_term = [counts[0] for counts in self.effort], self.in_term
        marks, offering = layout.marks, layout.offering
        reached: dict[int, list[float]] = {}  # proposal -> milestone times (MILESTONES)
        running = [0] * len(bodies)  # reviews started and not finished, per body
        submitted: dict[int, tuple[str, float]] = {}
        ended: dict[int, tuple[str, float]] = {}
        kept: set[int] = set()
        # (proposal, step label, round) -> [arrive, start, finish, step index]: a proposal
        # follows one pathway, so its step labels are unique without the pathway
        visits: dict[tuple, list] = {}
        revised: dict[tuple, float] = {}  # (proposal, step) -> time of the revise decision
        for proposal, pathway, _, step, body, kind, time, round_ in log.rows:
            if kind == "start":
                where = bodies[body]
                running[where] += 1
                busy[where] -= low if time < low else (high if time > high else time)
                if proposal in kept:
                    visit = visits[proposal, step, round_]
                    visit[1] = time
                    if visit[3] in offering:
                        times = reached.setdefault(proposal, [math.nan] * 3)
                        if times[1] != times[1]:  # NaN: the first start is the offering's
                            times[1] = time
            elif kind == "pause" or kind == "resume":  # a review after approval gives way
                where = bodies[body]
                clipped = low if time < low else (high if time > high else time)
                if kind == "pause":
                    running[where] -= 1
                    busy[where] += clipped
                else:
                    running[where] += 1
                    busy[where] -= clipped
            elif kind == "finish":
                where = bodies[body]
                running[where] -= 1
                busy[where] += low if time < low else (high if time > high else time)
                if low <= time <= high:
                    reviews[where][0 if in_term[int(time)] else 1] += 1
                if proposal in kept:
                    visits[proposal, step, round_][2] = time
            elif kind == "arrive":
                if proposal in kept:
                    index = steps[pathway, step]
                    counts[index][0] += 1
                    if round_ > 0:
                        back = revised.pop((proposal, index), None)
                        if back is not None:
                            sums[index][3] += time - back
                            numbers[index][3] += 1
                    visits[proposal, step, round_] = [time, math.nan, math.nan, index]
            elif kind == "submit":
                submitted[proposal] = (pathway, time)
                if time >= warmup:
                    kept.add(proposal)
            elif kind == "approved" or kind == "withdrawn":
                ended[proposal] = (kind, time)
            else:  # a decision
                if low <= time <= high:
                    decided[bodies[body]] += 1
                if proposal not in kept:
                    continue
                arrive, start, finish, index = visits.pop((proposal, step, round_))
                total, number = sums[index], numbers[index]
                total[0] += start - arrive
                total[1] += finish - start
                total[2] += time - finish
                number[0] += 1
                number[1] += 1
                number[2] += 1
                if kind == "revise":
                    counts[index][1] += 1
                    revised[(proposal, index)] = time
                elif kind == "approve" and index in marks:
                    reached.setdefault(proposal, [math.nan] * 3)[marks[index]] = time
                elif kind == "withdraw":
                    counts[index][2] += 1
                promise = sla_days[index]
                if round_ == 0 and promise == promise:  # not NaN: the step has a promise
                    sla[index][0] += 1
                    sla[index][1] += (time - arrive) <= promise
        self._work(log.work)
        for where, open_reviews in enumerate(running):  # reviews still running at the end
            busy[where] += open_reviews * high
        for times in visits.values():  # visits still open at the end
            self._open(times)
        return self._result(log.replication, submitted, ended, sorted(kept), reached)

    def _outside(self, time: float) -> int:
        """1 if day ``time`` is outside the terms, else 0."""
        return 0 if self.in_term[int(time)] else 1

    def _work(self, work: tuple) -> None:
        """Count the meetings held and e-votes taken in the window (``EventLog.work``)."""
        bodies, low, high, effort = self.layout.bodies, self.low, self.high, self.effort
        for body, activity, time, people, items in work:
            if low <= time <= high:
                where, outside = effort[bodies[body]], self._outside(time)
                if activity == "meeting":
                    where[1][outside] += people
                where[2][outside] += people * items

    def _add(self, step: int, column: int, days: float) -> None:
        self.sums[step][column] += days
        self.numbers[step][column] += 1

    def _open(self, times: list) -> None:
        arrive, start, finish, index = times
        if not math.isnan(start):
            self._add(index, 0, start - arrive)
        if not math.isnan(finish):
            self._add(index, 1, finish - start)

    def _result(self, replication: int, submitted: dict, ended: dict,
                kept: list[int], reached: dict[int, list[float]]) -> Replication:
        pathways, outcomes, cycle, ends, milestones = [], [], [], [], []
        nothing = (math.nan,) * 3
        for proposal in kept:
            pathway, time = submitted[proposal]
            outcome, finished = ended.get(proposal, ("in_progress", math.nan))
            pathways.append(self.layout.pathways[pathway])
            outcomes.append(_OUTCOME_CODES[outcome])
            ends.append(finished - time)
            cycle.append(ends[-1] if outcome == "approved" else math.nan)
            live, offered, issued = reached.get(proposal, nothing)
            milestones.append((live - finished, offered - time, issued - time))
        return Replication(
            replication, np.array(pathways, dtype=np.int16), np.array(outcomes, dtype=np.int8),
            np.array(cycle, dtype=float), np.array(self.counts, dtype=np.int64),
            np.array(self.sums, dtype=float), np.array(self.numbers, dtype=np.int64),
            np.array(self.busy, dtype=float), np.array(self.decided, dtype=np.int64),
            np.array(self.sla, dtype=np.int64), np.array(self.effort, dtype=float),
            np.array(ends, dtype=float),
            np.array(milestones, dtype=float).reshape(len(kept), len(MILESTONES)),
        )
