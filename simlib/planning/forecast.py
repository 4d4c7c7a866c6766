"""Forecast of the proposals already in the pipeline: "when will each be approved?"

A pipeline CSV lists the proposals in progress (one row each: ``id``, ``pathway``,
``level``, ``submitted``, ``current_step``, ``step_since``, ``round``). The simulation starts
on the forecast date with those proposals at their current steps, in the order they reached
them (:class:`simlib.engine.model.InProgress`), and new proposals arriving as the scenario's demand
says; it does not start from an empty pipeline. Each proposal's review at its current step
starts afresh on the forecast date (the time it has already spent there is not credited).

Per proposal: the chance it is approved at all (it may be withdrawn), its median and P90
approval dates, and the chance it is approved before each of the next term starts.
"""

from __future__ import annotations

import concurrent.futures as cf
import csv
import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simlib.engine.calendar import calendar_date
from simlib.engine.model import InProgress
from simlib.errors import InputError, PipelineError
from simlib.experiments.runner import run_settings
from simlib.formats.jsonout import json_ready
from simlib.planning.deadlines import (
    as_date,
    check_question,
    clustered_share,
    next_terms,
    run_tracked,
    term_name,
)
from simlib.scenario import Scenario, labelled_steps

COLUMNS = ("id", "pathway", "level", "submitted", "current_step", "step_since", "round")
HORIZON_YEARS = 3.0  # new proposals keep arriving this long after the forecast date
TERMS = 4



@dataclass(frozen=True)
class PipelineProposal:
    """One row of a pipeline CSV (dates as dates, round as a number)."""

    id: str
    pathway: str
    level: str
    submitted: dt.date
    step: str
    since: dt.date
    round: int


def step_names(scenario: Scenario, pathway: str) -> list[str]:
    """The step labels of ``pathway`` in route order, as the event log names them."""
    return [label for item in labelled_steps(scenario.pathways[pathway]) for label, _ in item]


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PipelineError(f"{where}: {text!r} is not a date; write YYYY-MM-DD, e.g. "
                            "2026-09-15") from None


def _row(values: dict, where: str, scenario: Scenario, as_of: dt.date) -> PipelineProposal:
    """One checked row; PipelineError naming the row, the column and the fix."""
    cells = {key: (values.get(key) or "").strip() for key in COLUMNS}
    if not cells["id"]:
        raise PipelineError(f"{where}, column id: empty; give each proposal an id")
    pathway = cells["pathway"]
    try:
        level = check_question(scenario, pathway, cells["level"])
    except InputError as error:
        column = "pathway" if pathway not in scenario.pathways else "level"
        raise PipelineError(f"{where}, column {column}: {error}") from None
    steps = step_names(scenario, pathway)
    if cells["current_step"] not in steps:
        raise PipelineError(f"{where}, column current_step: {cells['current_step']!r} is not a "
                            f"step of {pathway}; steps: {', '.join(steps)}")
    submitted = _date(cells["submitted"], f"{where}, column submitted")
    since = _date(cells["step_since"], f"{where}, column step_since")
    if since < submitted:
        raise PipelineError(f"{where}, column step_since: {since} is before the submission "
                            f"({submitted}); it is the date the proposal reached its step")
    if since > as_of:
        raise PipelineError(f"{where}, column step_since: {since} is after the forecast date "
                            f"{as_of}; give the date it reached the step, or a later --as-of")
    try:
        round_ = int(cells["round"] or "0")
    except ValueError:
        round_ = -1
    if round_ < 0:
        raise PipelineError(f"{where}, column round: {cells['round']!r}; write 0 for a first "
                            "submission, 1 after one revision, ...")
    return PipelineProposal(cells["id"], pathway, level, submitted, cells["current_step"],
                            since, round_)


def read_pipeline(path: str | Path, scenario: Scenario, as_of: dt.date) -> list[PipelineProposal]:
    """The proposals of a pipeline CSV (UTF-8, a header row with :data:`COLUMNS`, any
    order, extra columns ignored). PipelineError, one line naming the file, the row (as a
    spreadsheet numbers it: the header is row 1) and the column, for anything wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PipelineError(f"{path}: not found") from None
    except UnicodeDecodeError:
        raise PipelineError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    except OSError as error:
        raise PipelineError(f"{path}: cannot read: {error.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PipelineError(f"{path}: row 1: missing column(s) {', '.join(missing)}; the header "
                            f"must name {', '.join(COLUMNS)}")
    reader.fieldnames = header
    proposals, seen = [], set()
    for values in reader:
        number = reader.line_num  # as a spreadsheet numbers it (blank lines count)
        if not any((value or "").strip() for value in values.values() if isinstance(value, str)):
            continue  # a line of empty cells
        proposal = _row(values, f"{path}: row {number}", scenario, as_of)
        if proposal.id in seen:
            raise PipelineError(f"{path}: row {number}, column id: {proposal.id!r} is listed "
                                "twice; ids must be unique")
        seen.add(proposal.id)
        proposals.append(proposal)
    if not proposals:
        raise PipelineError(f"{path}: no proposals; add one row per proposal in progress")
    return proposals


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
            median, p90 = np.quantile(times, [0.5, 0.9])  # inf beyond the approved share
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
    today = dt.date.today() if as_of in (None, "") else as_date(as_of)
    proposals = read_pipeline(pipeline_csv, scenario, today)
    return forecast(scenario, proposals, today, replications, seed, executor, jobs)
