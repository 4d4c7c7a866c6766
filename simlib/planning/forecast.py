"""Forecast of the proposals already in the pipeline: "when will each be approved?"

A pipeline CSV lists the proposals in progress (one row each: ``id``, ``pathway``,
``level``, ``submitted``, ``current_step``, ``step_since``, ``round``). The simulation starts
on the forecast date with those proposals at their current steps, in the order they reached
them (:class:`simlib.engine.model.InProgress`), and new proposals arriving as the scenario's demand
says; it does not start from an empty pipeline. Each proposal's review at its current step
starts afresh on the forecast date (the time it has already spent there is not credited).

Reading and checking the CSV is :mod:`simlib.planning.pipeline` (light to import, so a bad
file is refused before the simulation is loaded). An office's history file gives the same
pipeline (:func:`~simlib.planning.pipeline.pipeline_from_history`: its open visits, on its
export date), and from then on both take one path (:func:`forecast`).

A proposal may also be approved already and on its way to a badge: its current step is one
of its pathway's steps after approval (``after_approval``: the badge built, reviewed and
published, the first offering, the first badges issued). It resumes there (see
:class:`~simlib.engine.model.InProgress`: its approval is logged on its ``step_since``, the
latest day it can have been).

Per proposal: where it is (:data:`STAGES`), the chance it is approved at all (it may be
withdrawn), its median and P90 approval dates, and the chance it is approved before each of
the next term starts; for a pathway with steps after approval, also the median and P90
dates its badge goes live and its first badges are issued. The dates come from each run's
event log, at the steps :func:`~simlib.metrics.events.milestone_steps` names
(:func:`pipeline_times`), and are worked out here once for every renderer.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import math
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from simlib.engine.calendar import calendar_date
from simlib.engine.eventlog import RAW_FIELDS
from simlib.engine.model import InProgress, simulate
from simlib.experiments.runner import run, run_settings
from simlib.formats.jsonout import json_ready
from simlib.metrics.events import milestone_steps
from simlib.planning.deadlines import as_date, next_terms, term_name
from simlib.planning.pipeline import (
    COLUMNS,
    PipelineProposal,
    check_as_of,
    pipeline_from_history,
    read_pipeline,
    step_names,
)
from simlib.scenario import Scenario
from simlib.statistics import clustered_share

__all__ = ["COLUMNS", "STAGES", "Forecast", "PipelineProposal", "check_as_of", "forecast",
           "forecast_file", "forecast_history", "pipeline_from_history", "pipeline_times",
           "read_pipeline", "stage", "step_names"]
HORIZON_YEARS = 3.0  # new proposals keep arriving this long after the forecast date
TERMS = 4
# Where a proposal of the pipeline is: at a step of its pathway (in approval), at a step after
# approval before its badge is live (approved), or after the step that put it live.
STAGES = ("approval", "approved", "badge_live")
# The dates forecast per proposal, in the rows of pipeline_times: approval, the badge going
# live (the last approval of the badge_live step), the first badges issued (the last step's).
DATES = ("approved", "badge_live", "issued")
PROPOSAL, STEP, KIND, TIME = (RAW_FIELDS.index(name) for name in ("proposal", "step", "kind",
                                                                  "time"))


def forecast_scenario(scenario: Scenario, as_of: dt.date) -> Scenario:
    """``scenario`` starting on ``as_of`` with :data:`HORIZON_YEARS` of new arrivals and no
    warm-up (the pipeline is given, not empty)."""
    return scenario.variant({"calendar.start": as_of.isoformat(),
                             "horizon_years": HORIZON_YEARS, "warmup_years": 0.0})


def stage(scenario: Scenario, proposal: PipelineProposal) -> str:
    """Where ``proposal`` is (one of :data:`STAGES`): "approval" at a step of its pathway;
    "approved" at a step after approval up to the one that puts its badge live;
    "badge_live" after that one."""
    after = scenario.after_labels(proposal.pathway)
    if proposal.step not in after:
        return "approval"
    live = milestone_steps(scenario)[proposal.pathway].get("badge_live")
    if live is not None and after.index(proposal.step) > after.index(live):
        return "badge_live"
    return "approved"


def pipeline_times(scenario: Scenario, seed: int, replication: int,
                   pipeline: tuple[InProgress, ...], marks: dict[str, dict[str, str]]
                   ) -> np.ndarray:
    """The :data:`DATES` of each pipeline proposal in one replication (a measure for the
    runner: bind ``pipeline`` and ``marks``, the scenario's
    :func:`~simlib.metrics.events.milestone_steps`, with :func:`functools.partial`): shape
    (3, proposals), days since the calendar start, inf where not reached in the run (or,
    for the badge and the first badges, where the pathway has no steps after approval). As
    :func:`~simlib.metrics.events.milestones` reads them: the badge is live at the last
    approval of the step marked ``badge_live``, the first badges issued at the last
    approval of the last step."""
    result = np.full((len(DATES), len(pipeline)), np.inf)
    steps = {index: marks.get(entry.pathway, {}) for index, entry in enumerate(pipeline)}
    for row in simulate(scenario, seed, replication, pipeline=pipeline).rows:
        proposal = row[PROPOSAL]
        if not 0 <= proposal < len(pipeline):
            continue
        if row[KIND] == "approved":
            result[0, proposal] = row[TIME]
        elif row[KIND] == "approve" and row[STEP] in steps[proposal].values():
            for place, name in ((1, "badge_live"), (2, "issued")):
                if row[STEP] == steps[proposal].get(name):
                    result[place, proposal] = row[TIME]
    return result


def _quantile_days(times: np.ndarray) -> tuple[float, float]:
    """The median and P90 of ``times`` (inf beyond the share that reached it: then inf or
    NaN, which give no date)."""
    with np.errstate(invalid="ignore"):
        median, p90 = np.quantile(times, [0.5, 0.9])
    return float(median), float(p90)


@dataclass(frozen=True, eq=False)
class Forecast:
    """Simulated approval (and badge) dates of the pipeline's proposals.

    ``approved_at``, ``badge_at``, ``issued_at``: shape (replications, proposals), days since
    ``as_of`` of its approval, its badge going live and its first badges issued (inf: not
    within the run; withdrawn; for the badge already live, or a pathway without steps after
    approval, not in the run). A proposal approved already (its ``stages`` entry is not
    "approval") has its ``approved_at`` on its ``step_since`` (the latest its approval can
    have been): the table shows it approved, not a date.
    """

    scenario: Scenario
    proposals: tuple[PipelineProposal, ...]
    as_of: dt.date
    replications: int
    seed: int
    terms: tuple[dt.date, ...]
    approved_at: np.ndarray
    badge_at: np.ndarray
    issued_at: np.ndarray
    stages: tuple[str, ...]

    def _date(self, days: float) -> dt.date | None:
        return None if not math.isfinite(days) else calendar_date(self.as_of, days)

    def _dates(self, times: np.ndarray, shown: bool = True) -> tuple:
        """(median, P90) dates of ``times``; (None, None) unless ``shown``."""
        if not shown:
            return None, None
        return tuple(self._date(days) for days in _quantile_days(times))

    def table(self) -> pd.DataFrame:
        """One row per proposal: id, pathway, level, current_step, stage (:data:`STAGES`),
        after_approval (its pathway has steps after approval), p_approved, median and p90
        approval dates (None when fewer than half / a tenth are approved, and for a
        proposal approved already), badge_median_date and badge_p90_date (its badge live;
        None also when it is live already or its pathway has no badge),
        first_badges_median_date and first_badges_p90_date (None also without a badge),
        and one column per upcoming term, "before <term>", with the probability of approval
        before its first day."""
        marks = milestone_steps(self.scenario)
        rows = []
        for index, proposal in enumerate(self.proposals):
            times, where = self.approved_at[:, index], self.stages[index]
            badge = proposal.pathway in marks
            median, p90 = self._dates(times, where == "approval")
            badge_median, badge_p90 = self._dates(self.badge_at[:, index],
                                                  badge and where != "badge_live")
            first_median, first_p90 = self._dates(self.issued_at[:, index], badge)
            row = {"id": proposal.id, "pathway": proposal.pathway, "level": proposal.level,
                   "current_step": proposal.step, "stage": where, "after_approval": badge,
                   "p_approved": float(np.isfinite(times).mean()),
                   "median_date": median, "p90_date": p90,
                   "badge_median_date": badge_median, "badge_p90_date": badge_p90,
                   "first_badges_median_date": first_median,
                   "first_badges_p90_date": first_p90}
            for term in self.terms:
                row[f"before {term_name(term)}"] = float(
                    (times < (term - self.as_of).days).mean())
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        """The JSON of ``mcsim forecast``: settings, ``terms`` and per proposal its stage,
        probabilities (with 95% intervals; 1 with [1, 1] for one approved already) and
        dates: ``approval_date`` (null when approved already), ``badge_live_date`` (null
        when live already or without steps after approval) and ``first_badges_date`` (null
        without steps after approval), each ``{median, p90}`` (a date, or null when not
        reached in enough runs)."""
        proposals = []
        for index, row in self.table().iterrows():
            times = self.approved_at[:, index][:, None]
            where, badge = row["stage"], bool(row["after_approval"])
            before = {}
            for term in self.terms:
                p, low, high = clustered_share(times < (term - self.as_of).days)
                if where != "approval":  # approved already: certain, not a share of runs
                    p, low, high = 1.0, 1.0, 1.0
                before[term_name(term)] = {"p": p, "ci95": [low, high]}
            proposals.append({
                "id": row["id"], "pathway": row["pathway"], "level": row["level"] or None,
                "current_step": row["current_step"], "stage": where,
                "p_approved": row["p_approved"],
                "approval_date": _iso(row, "") if where == "approval" else None,
                "badge_live_date": (_iso(row, "badge_") if badge and where != "badge_live"
                                    else None),
                "first_badges_date": _iso(row, "first_badges_") if badge else None,
                "p_approved_before": before,
            })
        return json_ready({
            "scenario": self.scenario.name, "as_of": self.as_of.isoformat(),
            "replications": self.replications, "seed": self.seed,
            "terms": [{"name": term_name(term), "starts": term.isoformat()}
                      for term in self.terms],
            "proposals": proposals,
        })


def _iso(row: pd.Series, prefix: str) -> dict:
    """``{median, p90}`` of the row's ``<prefix>median_date`` and ``<prefix>p90_date`` as
    YYYY-MM-DD (None where not reached in enough runs)."""
    return {key: (None if row[f"{prefix}{key}_date"] is None
                  else row[f"{prefix}{key}_date"].isoformat()) for key in ("median", "p90")}


def forecast(
    scenario: Scenario, proposals: list[PipelineProposal], as_of: dt.date,
    replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Forecast:
    """Simulate the pipeline from ``as_of`` with ``proposals`` in progress (see the module
    docstring); ``replications``/``seed`` default to the scenario's."""
    check_as_of(as_of)
    count, seed = run_settings(scenario, replications, seed, jobs)
    variant = forecast_scenario(scenario, as_of)
    order = sorted(range(len(proposals)), key=lambda index: proposals[index].since)
    pipeline = tuple(
        InProgress(item.pathway, item.level, float((item.submitted - as_of).days),
                   item.step, float((item.since - as_of).days), item.round)
        for item in (proposals[index] for index in order))
    measure = partial(pipeline_times, pipeline=pipeline, marks=milestone_steps(variant))
    [rows] = run([(variant, range(count))], measure, seed, executor, jobs, progress=False)
    back = np.empty(len(order), dtype=int)
    back[order] = np.arange(len(order))
    times = np.array(rows).reshape(count, len(DATES), len(order))[:, :, back]
    return Forecast(scenario, tuple(proposals), as_of, count, seed,
                    tuple(next_terms(scenario, as_of, TERMS)), *times.transpose(1, 0, 2),
                    tuple(stage(scenario, proposal) for proposal in proposals))


def forecast_file(
    scenario: Scenario, pipeline_csv: str | Path, as_of: dt.date | str | None = None,
    replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Forecast | None:
    """:func:`forecast` of the proposals in ``pipeline_csv`` from ``as_of`` (a date or
    YYYY-MM-DD; default: today); None when ``pipeline_csv`` is "" (no pipeline given)."""
    if not str(pipeline_csv):
        return None
    today = check_as_of(dt.date.today() if as_of in (None, "") else as_date(as_of))
    proposals = read_pipeline(pipeline_csv, scenario, today)
    return forecast(scenario, proposals, today, replications, seed, executor, jobs)


def forecast_history(
    scenario: Scenario, history, replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Forecast:
    """:func:`forecast` of the proposals in progress in ``history`` (a
    :class:`~simlib.records.history.History`: its open visits) from its export date."""
    as_of = check_as_of(history.as_of)
    proposals = pipeline_from_history(history, scenario)
    return forecast(scenario, proposals, as_of, replications, seed, executor, jobs)
