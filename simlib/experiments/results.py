"""Results of many replications of a scenario, run through the one runner.

Replication ``k`` is ``simulate(scenario, seed, k)``, so results are identical whether run
serially, on a local process pool, on threads or on a Dask cluster
(``client.get_executor()``). Workers return a per-replication summary
(:class:`~simlib.metrics.summary.Replication`), not the event log, so memory stays flat in
the number of replications; the event log is simulated again only when a caller asks for it
(``events``, ``visits``, ``time_breakdown``), or kept from the first run with
``replicate(..., keep_events=True)``.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from simlib.engine.eventlog import EventLog, events_frame
from simlib.engine.model import simulate
from simlib.experiments.runner import Progress, run, run_settings
from simlib.formats.jsonout import json_ready
from simlib.metrics import calendar as calendar_metrics
from simlib.metrics import events as metrics
from simlib.metrics import pooled
from simlib.metrics.events import MILESTONES
from simlib.metrics.summary import HOURS, Replication, priced, summarise
from simlib.scenario import Scenario
from simlib.version import __version__


def replication_summary(scenario: Scenario, seed: int, replication: int) -> Replication:
    """The summary of replication ``replication`` (a measure for the runner)."""
    return summarise(simulate(scenario, seed, replication), scenario)


def summary_and_log(scenario: Scenario, seed: int,
                    replication: int) -> tuple[Replication, EventLog]:
    """The summary of a replication and its event log (a measure for the runner)."""
    log = simulate(scenario, seed, replication)
    return summarise(log, scenario), log


def replicate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    jobs: int | None = None,
    progress: bool | None = None,
    keep_events: bool = False,
) -> Results:
    """Run ``replications`` replications (default: the scenario's) with ``seed`` (default:
    the scenario's) and return their :class:`Results`, ordered by replication.

    ``executor``: any ``concurrent.futures.Executor`` (e.g. a Dask ``client.get_executor()``);
    ``jobs`` then says how many workers to plan batches for. Without an executor: a local
    process pool of ``jobs`` workers (default: the CPU count), or this process alone when
    ``jobs`` is 1 or there is a single batch. ``progress``: show a progress bar (default: when
    stderr is a terminal). ``keep_events``: keep every event log (memory grows with the
    replications; without it, asking for ``events`` simulates them again).
    """
    count, seed = run_settings(scenario, replications, seed, jobs)
    [results] = replicate_all([scenario], count, seed, executor, jobs, progress, keep_events,
                              desc=scenario.name)
    return results


def replicate_all(
    scenarios: Sequence[Scenario], replications: int, seed: int,
    executor: cf.Executor | None = None, jobs: int | None = None,
    progress: Progress = None, keep_events: bool = False, desc: str = "replications",
) -> list[Results]:
    """:func:`replicate` for several scenarios with the same ``replications`` (0..n-1) and
    ``seed`` (common random numbers), all submitted to the runner at once."""
    measure = summary_and_log if keep_events else replication_summary
    numbers = range(replications)
    runs = run([(scenario, numbers) for scenario in scenarios], measure, seed, executor, jobs,
               progress, desc=desc)
    results = []
    for scenario, done in zip(scenarios, runs, strict=True):
        if keep_events:
            summaries, logs = zip(*done, strict=True)
            results.append(Results(scenario, seed, replications, summaries, logs))
        else:
            results.append(Results(scenario, seed, replications, tuple(done)))
    return results


@dataclass(frozen=True, eq=False, repr=False)
class Results:
    """The summaries of a set of replications (0..replications-1), with their metrics
    (computed once); ``kept_logs``: their event logs, when the run kept them.

    Times are calendar days; utilization and shares are fractions in [0, 1].
    """

    scenario: Scenario
    seed: int
    replications: int
    summaries: tuple[Replication, ...]
    kept_logs: tuple[EventLog, ...] | None = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"Results(scenario={self.scenario.name!r}, replications={self.replications}, "
                f"seed={self.seed})")

    @cached_property
    def logs(self) -> tuple[EventLog, ...]:
        """The event log of every replication: kept from the run, else simulated again
        (the same logs: replication ``k`` is always ``simulate(scenario, seed, k)``)."""
        if self.kept_logs is not None:
            return self.kept_logs
        [logs] = run([(self.scenario, range(self.replications))], simulate, self.seed,
                     progress=False)
        return tuple(logs)

    @cached_property
    def events(self) -> pd.DataFrame:
        """Every event of every replication (columns :data:`simlib.engine.eventlog.COLUMNS`)."""
        return events_frame(self.logs)

    @cached_property
    def visits(self) -> pd.DataFrame:
        """One row per round of a proposal at a step (see :func:`simlib.metrics.events.visits`)."""
        return metrics.visits(self.events, self.scenario)

    @cached_property
    def proposals(self) -> pd.DataFrame:
        """One row per proposal submitted after warm-up: replication, pathway, outcome,
        cycle_days (days; NaN unless approved), ordered by replication and proposal."""
        return pooled.approved_frame(self.summaries, self.scenario)

    @cached_property
    def pathways(self) -> pd.DataFrame:
        """Cycle times per pathway (see :func:`simlib.metrics.events.cycle_summary`)."""
        return pooled.cycle_table(self.summaries, self.scenario)

    @cached_property
    def bodies(self) -> pd.DataFrame:
        """Per body: utilization and mean days per round (queue, review, meeting, rework)."""
        return pooled.body_table(self.summaries, self.scenario)

    @cached_property
    def steps(self) -> pd.DataFrame:
        """Per (pathway, step): mean days per round (see
        :func:`simlib.metrics.events.visit_summary`)."""
        return pooled.step_table(self.summaries, self.scenario)

    @cached_property
    def time_breakdown(self) -> pd.DataFrame:
        """Mean days per approved proposal at each (pathway, step), closed days apart
        (see :func:`simlib.metrics.calendar.time_breakdown`; needs the event logs)."""
        return calendar_metrics.time_breakdown(self.visits, self.scenario)

    @cached_property
    def load(self) -> pd.DataFrame:
        """Per body: share of capacity used after warm-up, reviewer time at offices, agenda
        places at committees (see :func:`simlib.metrics.calendar.body_load`)."""
        return pooled.load_table(self.summaries, self.scenario)

    @cached_property
    def sla(self) -> pd.DataFrame:
        """Share of first responses within ``sla_days`` per body
        (:func:`simlib.metrics.events.sla`)."""
        return pooled.sla_table(self.summaries, self.scenario)

    @cached_property
    def hours(self) -> pd.DataFrame:
        """Person-hours a year of the bodies' work, mean and 95% CI over replications, per
        total, per body in term and outside terms, and per approved proposal (see
        :func:`simlib.metrics.pooled.hours_table`)."""
        return pooled.hours_table(self.summaries, self.scenario)

    def summary(self) -> pd.DataFrame:
        """Tidy summary: one row per (section, name, metric) with a float ``value``.

        Sections: ``pathway`` (counts, cycle_days_mean/_ci95_low/_ci95_high/_median/_p90 in
        days, approvals_per_year), ``body`` (utilization share, capacity, mean days per round,
        counts), ``step`` (name "pathway/step"), ``sla`` (share_met, sla_days, decisions).
        """
        steps = self.steps.drop(columns="body")
        steps.index = [f"{pathway}/{step}" for pathway, step in steps.index]
        sla = self.sla.set_index(pd.Index(_sla_keys(self.sla)))
        parts = [
            ("pathway", self.pathways),
            ("body", self.bodies.drop(columns="kind")),
            ("step", steps),
            ("sla", sla),
        ]
        frames = [_long(section, table) for section, table in parts]
        result = pd.concat(frames, ignore_index=True)
        result.insert(0, "scenario", self.scenario.name)
        return result

    def to_dict(self) -> dict:
        """A JSON-ready dict: run settings, ``pathways``, ``bodies``, ``sla`` (days; NaN
        as None) and ``hours`` (see :meth:`hours_dict`)."""
        scenario = self.scenario
        result = {
            "scenario": scenario.name,
            "title": scenario.title,
            "replications": self.replications,
            "seed": self.seed,
            "warmup_days": scenario.warmup_days,
            "horizon_days": scenario.horizon_days,
            "simlib_version": __version__,
            "pathways": {name: self._pathway_dict(name) for name in self.pathways.index},
            "bodies": {name: self._body_dict(name) for name in self.bodies.index},
            "sla": {key: self._sla_dict(row) for key, (_, row) in
                    zip(_sla_keys(self.sla), self.sla.iterrows(), strict=True)},
            "hours": self.hours_dict(),
        }
        return json_ready(result)

    def hours_dict(self) -> dict:
        """The ``hours`` block (person-hours a year, each ``{mean, ci95}``):
        ``faculty_per_year``, ``faculty_outside_terms_per_year``, ``staff_per_year``,
        ``total_per_year``, ``per_approved`` (hours per approved proposal) and
        ``bodies.<name>.{in_term, outside_terms}``; ``priced`` says whether any body has
        hours. A scenario whose bodies have no hours has only ``priced: false`` and a
        ``note``: its work is not free, just not priced."""
        if not priced(self.scenario):
            return {"priced": False, "note": UNPRICED}
        block: dict = {"priced": True}
        for name, path in hours_paths(self.scenario).items():
            row = self.hours.loc[name]
            *parents, key = path
            place = block
            for parent in parents:
                place = place.setdefault(parent, {})
            place[key] = {"mean": row["mean"], "ci95": [row["low"], row["high"]]}
        return block

    def _pathway_dict(self, name: str) -> dict:
        row = self.pathways.loc[name]
        target = self.scenario.targets.get(name)
        return {
            "approved": int(row["approved"]),
            "withdrawn": int(row["withdrawn"]),
            "in_progress": int(row["in_progress"]),
            "cycle_days": {
                "mean": row["cycle_days_mean"],
                "ci95": [row["cycle_days_ci95_low"], row["cycle_days_ci95_high"]],
                "median": row["cycle_days_median"],
                "p90": row["cycle_days_p90"],
            },
            "approvals_per_year": row["approvals_per_year"],
            "target_mean_cycle_days": target.mean_cycle_days if target else None,
            **({"journey": {metric: {
                "mean": row[f"{metric}_mean"],
                "ci95": [row[f"{metric}_ci95_low"], row[f"{metric}_ci95_high"]],
                "median": row[f"{metric}_median"], "p90": row[f"{metric}_p90"],
                "count": int(row[f"{metric}_count"]),
            } for metric in MILESTONES}} if name in journeys(self.scenario) else {}),
        }

    def _body_dict(self, name: str) -> dict:
        row = self.bodies.loc[name]
        keys = ("kind", "capacity", "utilization", *metrics.TIME_COLUMNS,
                "visits", "revisions", "withdrawals")
        return {"label": self.scenario.bodies[name].label, **{key: row[key] for key in keys}}

    @staticmethod
    def _sla_dict(row: pd.Series) -> dict:
        keys = ("share_met", "sla_days", "decisions", "met", "steps")
        return {key: row[key] for key in keys}


def journeys(scenario: Scenario) -> list[str]:
    """The pathways with steps after approval (a journey to the first badges), in order."""
    return [name for name in scenario.pathways if scenario.after_approval.get(name)]


UNPRICED = ("no body has hours (bodies.<name>.hours: per_review, per_meeting, per_item), "
            "so the work is not priced")


def hours_paths(scenario: Scenario) -> dict[str, tuple[str, ...]]:
    """Each row of the hours table (:func:`simlib.metrics.pooled.hours_table`) and the
    keys of its figure in the ``hours`` block of :meth:`Results.to_dict`."""
    paths = {name: (f"{name}_per_year",) for name in HOURS}
    paths[pooled.PER_APPROVED] = ("per_approved",)
    paths.update({f"{body}.{part}": ("bodies", body, part)
                  for body in scenario.bodies for part in pooled.PARTS})
    return paths


def hours_figure(block: dict, path: tuple[str, ...]) -> dict:
    """The ``{mean, ci95}`` figure at ``path`` (from :func:`hours_paths`) of an ``hours``
    block."""
    for key in path:
        block = block[key]
    return block


def _sla_keys(table: pd.DataFrame) -> list[str]:
    """Names for SLA rows: the body, or "body (N days)" when a body has several SLAs."""
    repeated = table["body"].duplicated(keep=False)
    return [
        f"{body} ({days:g} days)" if twice else body
        for body, days, twice in zip(table["body"], table["sla_days"], repeated, strict=True)
    ]


def _long(section: str, table: pd.DataFrame) -> pd.DataFrame:
    """A wide table (index = names, columns = metrics) as section/name/metric/value rows."""
    numeric = table.select_dtypes("number").astype(float)
    numeric.index = [str(name) for name in numeric.index]
    frame = numeric.rename_axis("name").reset_index()
    frame = frame.melt(id_vars="name", var_name="metric", value_name="value")
    frame.insert(0, "section", section)
    return frame
