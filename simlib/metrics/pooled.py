"""Tables pooled from per-replication summaries (:mod:`simlib.metrics.summary`).

Each function gives the table its event-log counterpart gives (same columns, index and
units; see :mod:`simlib.metrics.events` and :mod:`simlib.metrics.calendar`) from a sequence
of :class:`~simlib.metrics.summary.Replication` in replication order; the hours tables
(:func:`hours_frame`, :func:`hours_table`) price the bodies' work with the definitions of
:mod:`simlib.metrics.summary` (which have no event-log counterpart).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from simlib.metrics import calendar as calendar_metrics
from simlib.metrics import events
from simlib.metrics.events import MILESTONES, OUTCOMES, TIME_COLUMNS
from simlib.metrics.summary import (
    HOURS,
    Replication,
    approved_per_year,
    body_hours_per_year,
    hours_per_year,
)
from simlib.scenario import Scenario
from simlib.statistics import ratio_estimate, t_half_width, t_interval


def approved_frame(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """One row per proposal submitted after warm-up (replication, proposal order): columns
    replication, pathway, outcome, cycle_days (days; NaN unless approved), ended_days
    (days to its approval or withdrawal; NaN while in progress) and the journey after
    approval (:data:`~simlib.metrics.events.MILESTONES`, days; NaN where not reached)."""
    names = np.array(list(scenario.pathways), dtype=object)
    outcomes = np.array(OUTCOMES, dtype=object)
    sizes = [len(rep.pathway) for rep in replications]
    numbers = np.repeat([rep.replication for rep in replications], sizes).astype(np.int64)
    pathway = np.concatenate([rep.pathway for rep in replications]) if sizes else []
    outcome = np.concatenate([rep.outcome for rep in replications]) if sizes else []
    cycle = np.concatenate([rep.cycle_days for rep in replications]) if sizes else []
    ends = np.concatenate([rep.ended_days for rep in replications]) if sizes else []
    reached = (np.concatenate([rep.milestones for rep in replications]) if sizes
               else np.empty((0, len(MILESTONES))))
    return pd.DataFrame({
        "replication": numbers,
        "pathway": names[np.asarray(pathway, dtype=np.int64)],
        "outcome": outcomes[np.asarray(outcome, dtype=np.int64)],
        "cycle_days": np.asarray(cycle, dtype=float),
        "ended_days": np.asarray(ends, dtype=float),
        **{name: reached[:, index] for index, name in enumerate(MILESTONES)},
    })


def cycle_table(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """:func:`simlib.metrics.events.cycle_summary`, pooled."""
    table = approved_frame(replications, scenario)
    return events.cycle_table(table, scenario, max(1, len(replications)))


def _step_totals(replications: Sequence[Replication]) -> tuple[np.ndarray, ...]:
    counts = sum(rep.step_counts for rep in replications)
    sums = sum(rep.step_sums for rep in replications)
    numbers = sum(rep.step_numbers for rep in replications)
    return counts, sums, numbers


def _visit_table(counts: np.ndarray, sums: np.ndarray, numbers: np.ndarray,
                 index: pd.Index) -> pd.DataFrame:
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(numbers > 0, sums / np.where(numbers > 0, numbers, 1), np.nan)
    frame = pd.DataFrame(counts.astype(int), index=index,
                         columns=["visits", "revisions", "withdrawals"])
    frame[list(TIME_COLUMNS)] = means
    return frame


def step_table(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """:func:`simlib.metrics.events.visit_summary` by ``"step"``, pooled."""
    labels = events.step_labels(scenario)
    counts, sums, numbers = _step_totals(replications)
    index = pd.MultiIndex.from_frame(labels[["pathway", "step"]])
    result = _visit_table(counts, sums, numbers, index)
    result.insert(0, "body", labels["body"].to_numpy())
    return result


def body_table(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """:func:`simlib.metrics.events.utilization` joined with the visit summary by body."""
    labels = events.step_labels(scenario)
    counts, sums, numbers = _step_totals(replications)
    rows = pd.Index(list(scenario.bodies), name="body").get_indexer(labels["body"])
    shape = len(scenario.bodies)
    per_body = [np.zeros((shape, part.shape[1]), dtype=part.dtype)
                for part in (counts, sums, numbers)]
    for total, part in zip(per_body, (counts, sums, numbers), strict=True):
        np.add.at(total, rows, part)
    visits = _visit_table(*per_body, pd.Index(list(scenario.bodies), name="body"))
    return usage_table(replications, scenario).join(visits)


def usage_table(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """:func:`simlib.metrics.events.utilization`, pooled."""
    busy = pd.Series(sum(rep.busy_days for rep in replications),
                     index=pd.Index(list(scenario.bodies), name="body"))
    return events.usage_frame(busy, scenario, max(1, len(replications)))


def load_table(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """:func:`simlib.metrics.calendar.body_load`, pooled."""
    usage = usage_table(replications, scenario)
    decided = pd.Series(sum(rep.decided for rep in replications), index=usage.index)
    return calendar_metrics.load_table(usage, decided, scenario, max(1, len(replications)))


def sla_table(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """:func:`simlib.metrics.events.sla`, pooled."""
    labels = events.step_labels(scenario)
    columns = ["body", "sla_days", "steps", "decisions", "met", "share_met"]
    with_sla = labels["sla_days"].notna().to_numpy()
    if not with_sla.any():
        return pd.DataFrame(columns=columns)
    totals = sum(rep.sla for rep in replications)
    frame = labels[with_sla].assign(
        name=lambda t: t["pathway"] + "/" + t["step"],
        decisions=totals[with_sla, 0], met=totals[with_sla, 1],
    )
    grouped = frame.groupby(["body", "sla_days"], sort=False)
    result = grouped.agg(steps=("name", ", ".join), decisions=("decisions", "sum"),
                         met=("met", "sum"))
    result[["decisions", "met"]] = result[["decisions", "met"]].astype(int)
    with np.errstate(invalid="ignore", divide="ignore"):
        result["share_met"] = result["met"] / result["decisions"].replace(0, np.nan)
    return result.reset_index()[columns]


PARTS = ("in_term", "outside_terms")  # the columns of a body's hours in :func:`hours_frame`
PER_APPROVED = "per_approved"  # the row of :func:`hours_table` of hours per approval


def hours_frame(replications: Sequence[Replication], scenario: Scenario) -> pd.DataFrame:
    """One row per replication (in order, indexed by its number): person-hours a year of
    each total of :data:`~simlib.metrics.summary.HOURS`
    (:func:`~simlib.metrics.summary.hours_per_year`), of each body in term and outside
    terms (columns ``<body>.in_term``, ``<body>.outside_terms``), and ``approved_per_year``
    (proposals approved a year)."""
    bodies = [f"{name}.{part}" for name in scenario.bodies for part in PARTS]
    rows = [[*hours_per_year(rep, scenario).values(),
             *body_hours_per_year(rep, scenario).ravel(), approved_per_year(rep, scenario)]
            for rep in replications]
    index = pd.Index([rep.replication for rep in replications], name="replication")
    return pd.DataFrame(rows, index=index, columns=[*HOURS, *bodies, "approved_per_year"],
                        dtype=float)


def hours_totals(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(sums, counts) per replication of an :func:`hours_frame` whose pooled ratio is the
    figure ``name`` of :func:`hours_table`: its hours a year over ones (a plain mean), or
    for :data:`PER_APPROVED` the total hours a year over the approvals a year (hours per
    approved proposal); :mod:`simlib.statistics` gives its mean, interval and paired
    difference."""
    if name == PER_APPROVED:
        return frame["total"].to_numpy(), frame["approved_per_year"].to_numpy()
    return frame[name].to_numpy(), np.ones(len(frame))


def hours_table(replications: Sequence[Replication], scenario: Scenario,
                level: float = 0.95) -> pd.DataFrame:
    """Person-hours a year pooled over replications: for each hours column of
    :func:`hours_frame` (the totals, then each body in term and outside terms) its mean
    over replications and the ``level`` t interval (columns mean, low, high; NaN bounds
    under 2 replications), and row :data:`PER_APPROVED`: the total hours a year per
    proposal approved a year, by the ratio estimator (hours per approved proposal)."""
    frame = hours_frame(replications, scenario)
    rows = {name: (float(values.mean()), *t_interval(values, level))
            for name, values in frame.drop(columns="approved_per_year").items()}
    mean, variance = ratio_estimate(*hours_totals(frame, PER_APPROVED))
    half = t_half_width(variance, len(frame), level)
    rows[PER_APPROVED] = (float(mean), float(mean - half), float(mean + half))
    return pd.DataFrame(list(rows.values()), index=pd.Index(list(rows), name="hours"),
                        columns=["mean", "low", "high"], dtype=float)
