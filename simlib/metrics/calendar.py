"""Calendar-aware metrics: pure functions of an events DataFrame and its scenario that need
the bodies' working calendar (meetings, holidays, terms), as :func:`model_calendar` builds it.

- :func:`body_load`: how close each body is to saturation, reviewer time at offices and agenda
  places at the meetings held at committees.
- :func:`time_breakdown`: where the time goes per proposal, with the days a body is closed
  (holidays; outside the terms for committees that meet only in term) taken apart.

Like :mod:`simlib.metrics.events` (whose helpers they build on), times and durations are calendar
days, warm-up is a filter, and nothing loops over events in Python.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simlib.engine.bodies import body_class
from simlib.engine.calendar import WorkCalendar, work_calendar
from simlib.engine.model import DRAIN_YEARS
from simlib.metrics.events import (
    DECISIONS,
    _proposal_keys,
    body_labels,
    replication_count,
    step_labels,
    utilization,
)
from simlib.scenario import Scenario

BREAKDOWN_COLUMNS = (  # the parts of a proposal's time at a step (reader words: reports.words)
    "queue_wait_days", "review_days", "meeting_wait_days", "closed_days", "rework_days",
)


def model_calendar(scenario: Scenario) -> WorkCalendar:
    """The calendar the model runs on: the horizon plus :data:`simlib.engine.model.DRAIN_YEARS`."""
    n_days = math.ceil(scenario.horizon_days) + 365 * DRAIN_YEARS
    return work_calendar(scenario.calendar, n_days)


# --- body load: how close each body is to saturation ----------------------------------


def body_load(
    events: pd.DataFrame, scenario: Scenario, replications: int | None = None
) -> pd.DataFrame:
    """Per body (index, scenario order): the share of its capacity used after warm-up, the
    saturation measure (load near 1: the body cannot keep up with more demand).

    Offices: the reviewer-busy share of [warmup_days, horizon_days], as
    :func:`~simlib.metrics.events.utilization`. Committees: the share of agenda places used,
    decisions
    at meetings in that window / (agenda_limit x meetings held in it x replications); NaN
    without an agenda limit. Meetings are those of the calendar's ``meets`` rule (in term, not
    on holidays, not in ``skip_months``); random cancellations are not in the log, so each
    scheduled meeting counts as (1 - cancel_p) of a meeting held. Columns: kind, body_label,
    load (a fraction), load_basis ("reviewer time" or "agenda places"), capacity_per_year
    (agenda places a year; NaN for offices and unlimited agendas), decided_per_year (decisions a
    year, per replication; at offices one per finished review).
    """
    usage = utilization(events, scenario, replications)
    low, high = scenario.warmup_days, scenario.horizon_days
    count = replication_count(events, replications)
    decisions = events[events["kind"].isin(DECISIONS)]
    decisions = decisions[decisions["time"].between(low, high)]
    decided = decisions.groupby("body").size().reindex(usage.index, fill_value=0)
    return load_table(usage, decided, scenario, count)


def load_table(usage: pd.DataFrame, decided: pd.Series, scenario: Scenario,
               count: int) -> pd.DataFrame:
    """:func:`body_load` from the :func:`~simlib.metrics.events.utilization` table and the
    decisions per body in [warmup_days, horizon_days] over ``count`` replications. Only
    bodies with a shared capacity have a row (not the proposer: each proposal's own
    people)."""
    usage = usage[usage["capacity"] > 0]
    decided = decided.reindex(usage.index)
    low, high = scenario.warmup_days, scenario.horizon_days
    years = (high - low) / 365.0
    places = _agenda_places(scenario, low, high).reindex(usage.index)
    bodies = [body_class(kind) for kind in usage["kind"]]
    load = [
        body.load(share, done, place, count)
        for body, share, done, place in zip(bodies, usage["utilization"], decided, places,
                                            strict=True)
    ]
    return pd.DataFrame({
        "kind": usage["kind"],
        "body_label": body_labels(scenario).reindex(usage.index),
        "load": pd.Series(load, index=usage.index, dtype=float),
        "load_basis": pd.Series([body.load_basis for body in bodies], index=usage.index),
        "capacity_per_year": places / years,
        "decided_per_year": decided / (count * years),
    }).rename_axis("body")


def _agenda_places(scenario: Scenario, low: float, high: float) -> pd.Series:
    """Per body: agenda places at the meetings held in [low, high] in one replication
    (agenda_limit x expected meetings held); NaN for offices and unlimited agendas (each body
    class's :meth:`~simlib.engine.bodies.OfficeBody.agenda_places`)."""
    calendar = model_calendar(scenario)
    places = pd.Series(np.nan, index=pd.Index(list(scenario.bodies), name="body"))
    for name, spec in scenario.bodies.items():
        places[name] = body_class(spec).agenda_places(spec, calendar, low, high)
    return places


# --- where the time goes, per proposal ------------------------------------------------


def time_breakdown(
    table: pd.DataFrame, scenario: Scenario, approved_only: bool = True
) -> pd.DataFrame:
    """Where the time goes, in mean calendar days per proposal of each pathway, from a
    :func:`~simlib.metrics.events.visits` table (proposals submitted after warm-up).

    One row per (pathway, step) in route order (:func:`~simlib.metrics.events.step_labels`),
    up to approval (the steps after it are not part of the cycle time).
    Columns:
    pathway, step, body, body_label, queue_wait_days, review_days, meeting_wait_days,
    closed_days, rework_days, total_days (their sum). Each part is summed over a proposal's
    rounds at the step, then averaged over the pathway's proposals, approved ones only when
    ``approved_only`` (else all, counting only the finished parts of an unfinished round); a
    proposal that skips a step adds 0 to it. closed_days is the part of the queue wait, review
    and meeting wait on days the body is closed (holidays; for committees that meet only in
    term, every day outside the terms), taken out of those parts; rework (time with the
    proposer) is never closed. Moving between steps takes no time, so for a pathway without
    parallel groups the total_days of its steps add up to the mean cycle time of its proposals;
    the branches of a parallel group overlap in time, so they add up to more.
    """
    labels = step_labels(scenario)
    labels = labels[~labels["after_approval"]].reset_index(drop=True)  # time to approval
    steps = pd.MultiIndex.from_frame(labels[["pathway", "step"]])
    table = table[pd.MultiIndex.from_frame(table[["pathway", "step"]]).isin(steps)]
    rounds = _approved_rounds(table) if approved_only else table
    parts = _time_parts(rounds, scenario)
    sums = parts.groupby(["pathway", "step"])[list(BREAKDOWN_COLUMNS)].sum()
    counts = rounds.drop_duplicates(["replication", "proposal"])["pathway"].value_counts()
    sums = sums.reindex(pd.MultiIndex.from_frame(labels[["pathway", "step"]]), fill_value=0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = sums.to_numpy() / counts.reindex(labels["pathway"]).to_numpy()[:, None]
    result = labels[["pathway", "step", "body"]].copy()
    result["body_label"] = result["body"].map(body_labels(scenario))
    result[list(BREAKDOWN_COLUMNS)] = means
    result["total_days"] = means.sum(axis=1)
    return result


def _approved_rounds(table: pd.DataFrame) -> pd.DataFrame:
    """The rounds of approved proposals: every round decided, none withdrawn, every revision
    followed by a new round."""
    decision = table["decision"]
    revised = (decision == "revise") & table["rework_days"].isna()
    unfinished = (decision.isna() | (decision == "withdraw") | revised).to_numpy()
    width = int(table["proposal"].max()) + 1 if len(table) else 1
    keys = _proposal_keys(table, width)
    return table[~np.isin(keys, keys[unfinished])]


def _time_parts(rounds: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Per round: pathway, step and the :data:`BREAKDOWN_COLUMNS` in days (missing parts of an
    unfinished round count as 0)."""
    edges = rounds[["arrive", "start", "finish", "decided"]].to_numpy(dtype=float)
    rows = pd.Index(list(scenario.bodies)).get_indexer(rounds["body"])
    closed_until = _closed_until(_closed_cumulative(scenario), rows[:, None], edges)
    closed = np.diff(closed_until, axis=1)
    open_parts = np.nan_to_num(np.diff(edges, axis=1) - closed)
    parts = rounds[["pathway", "step"]].copy()
    parts[list(BREAKDOWN_COLUMNS[:3])] = open_parts
    parts["closed_days"] = np.nansum(closed, axis=1)
    parts["rework_days"] = rounds["rework_days"].fillna(0.0).to_numpy()
    return parts


def _closed_cumulative(scenario: Scenario) -> np.ndarray:
    """Closed days of each body (rows, scenario order) before each day 0..n_days (columns) of
    the model's calendar. A body is closed on holidays; a committee that meets only in term
    is also closed on every day outside the terms (each body class's
    :meth:`~simlib.engine.bodies.OfficeBody.closed_days`)."""
    calendar = model_calendar(scenario)
    closed = np.zeros((len(scenario.bodies), calendar.n_days))
    for row, spec in enumerate(scenario.bodies.values()):
        closed[row] = body_class(spec).closed_days(spec, calendar)
    return np.concatenate([np.zeros((len(closed), 1)), np.cumsum(closed, axis=1)], axis=1)


def _closed_until(cumulative: np.ndarray, rows: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Closed days of bodies ``rows`` from day 0 up to ``times`` (days; NaN stays NaN): the
    count before the day plus the part of the day elapsed if it is closed. Days past the
    calendar's end are open."""
    n_days = cumulative.shape[1] - 1
    clipped = np.clip(np.nan_to_num(times), 0.0, float(n_days))
    day = np.minimum(clipped.astype(np.int64), n_days - 1)
    before, after = cumulative[rows, day], cumulative[rows, day + 1]
    return np.where(np.isnan(times), np.nan, before + (clipped - day) * (after - before))
