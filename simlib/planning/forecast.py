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

Per proposal: the chance it is approved at all (it may be withdrawn), its median and P90
approval dates, and the chance it is approved before each of the next term starts.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simlib.engine.calendar import calendar_date
from simlib.engine.model import InProgress
from simlib.experiments.runner import run_settings
from simlib.formats.jsonout import json_ready
from simlib.planning.deadlines import as_date, next_terms, term_name
from simlib.planning.pipeline import (
    COLUMNS,
    PipelineProposal,
    check_as_of,
    pipeline_from_history,
    read_pipeline,
    step_names,
)
from simlib.planning.probes import run_tracked
from simlib.scenario import Scenario
from simlib.statistics import clustered_share

__all__ = ["COLUMNS", "Forecast", "PipelineProposal", "check_as_of", "forecast",
           "forecast_file", "forecast_history", "pipeline_from_history", "read_pipeline",
           "step_names"]
HORIZON_YEARS = 3.0  # new proposals keep arriving this long after the forecast date
TERMS = 4

def forecast_scenario(scenario: Scenario, as_of: dt.date) -> Scenario:
    """``scenario`` starting on ``as_of`` with :data:`HORIZON_YEARS` of new arrivals and no
    warm-up (the pipeline is given, not empty)."""
    return scenario.variant({"calendar.start": as_of.isoformat(),
                             "horizon_years": HORIZON_YEARS, "warmup_years": 0.0})


@dataclass(frozen=True, eq=False)
class Forecast:
    """Simulated approval times of the pipeline's proposals.

    ``approved_at``: shape (replications, proposals), days since ``as_of`` (inf: withdrawn
    or not approved within the run).
    """

    scenario: Scenario
    proposals: tuple[PipelineProposal, ...]
    as_of: dt.date
    replications: int
    seed: int
    terms: tuple[dt.date, ...]
    approved_at: np.ndarray

    def _date(self, days: float) -> dt.date | None:
        return None if not math.isfinite(days) else calendar_date(self.as_of, days)

    def table(self) -> pd.DataFrame:
        """One row per proposal: id, pathway, level, current_step, p_approved, median and
        p90 approval dates (None when fewer than half / a tenth are approved), and one
        column per upcoming term, "before <term>", with the probability of approval before
        its first day."""
        rows = []
        for index, proposal in enumerate(self.proposals):
            times = self.approved_at[:, index]
            with np.errstate(invalid="ignore"):  # inf beyond the approved share
                median, p90 = np.quantile(times, [0.5, 0.9])
            row = {"id": proposal.id, "pathway": proposal.pathway, "level": proposal.level,
                   "current_step": proposal.step,
                   "p_approved": float(np.isfinite(times).mean()),
                   "median_date": self._date(median), "p90_date": self._date(p90)}
            for term in self.terms:
                row[f"before {term_name(term)}"] = float(
                    (times < (term - self.as_of).days).mean())
            rows.append(row)
        return pd.DataFrame(rows)

    def to_dict(self) -> dict:
        """The JSON of ``mcsim forecast``: settings, ``terms`` and per proposal its
        probabilities (with 95% intervals) and dates."""
        proposals = []
        for index, row in self.table().iterrows():
            times = self.approved_at[:, index][:, None]
            before = {}
            for term in self.terms:
                p, low, high = clustered_share(times < (term - self.as_of).days)
                before[term_name(term)] = {"p": p, "ci95": [low, high]}
            proposals.append({
                "id": row["id"], "pathway": row["pathway"], "level": row["level"] or None,
                "current_step": row["current_step"], "p_approved": row["p_approved"],
                "approval_date": {key: (None if row[f"{key}_date"] is None
                                        else row[f"{key}_date"].isoformat())
                                  for key in ("median", "p90")},
                "p_approved_before": before,
            })
        return json_ready({
            "scenario": self.scenario.name, "as_of": self.as_of.isoformat(),
            "replications": self.replications, "seed": self.seed,
            "terms": [{"name": term_name(term), "starts": term.isoformat()}
                      for term in self.terms],
            "proposals": proposals,
        })


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
    approved = run_tracked(variant, count, seed, pipeline=pipeline, executor=executor,
                           jobs=jobs)
    back = np.empty(len(order), dtype=int)
    back[order] = np.arange(len(order))
    return Forecast(scenario, tuple(proposals), as_of, count, seed,
                    tuple(next_terms(scenario, as_of, TERMS)), approved[:, back])


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
