"""Experiments: many replications of a scenario, run serially or on any executor.

Replication ``k`` is ``simulate(scenario, seed, k)``, so results are identical whether run
serially, on a local process pool, on threads or on a Dask cluster
(``client.get_executor()``): only ``Executor.submit`` and the futures it returns are used.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from simlib import calendar_metrics, metrics
from simlib.eventlog import EventLog, events_frame
from simlib.model import simulate
from simlib.scenario import Scenario

TASKS_PER_WORKER = 4  # batches per worker: few enough to amortise overhead, enough to balance
MAX_BATCH = 8  # replications per task at most, so progress and Ctrl-C stay responsive


def run_batch(scenario: Scenario, seed: int, replications: Sequence[int]) -> list[EventLog]:
    """Event logs of the given replications of ``scenario`` (one task on a worker)."""
    return [simulate(scenario, seed, k) for k in replications]


def batches(replications: int, workers: int) -> list[tuple[int, ...]]:
    """Replication numbers 0..replications-1 split into consecutive batches, about
    :data:`TASKS_PER_WORKER` per worker and at most :data:`MAX_BATCH` replications each."""
    size = math.ceil(replications / (max(1, workers) * TASKS_PER_WORKER))
    size = min(max(1, size), MAX_BATCH)
    return [tuple(range(i, min(i + size, replications))) for i in range(0, replications, size)]


def _gather(executor: cf.Executor, scenario: Scenario, seed: int, parts: list, bar: Any) -> list:
    """Submit one task per batch to ``executor``; collect every log as futures finish."""
    futures = [executor.submit(run_batch, scenario, seed, part) for part in parts]
    logs: list[EventLog] = []
    try:
        for future in cf.as_completed(futures):
            batch = future.result()
            logs.extend(batch)
            bar.update(len(batch))
    except BaseException:
        for future in futures:
            future.cancel()
        raise
    return logs


def _show_progress(progress: bool | None) -> bool:
    """Show a bar when asked, or by default when stderr is a terminal."""
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def run_settings(
    scenario: Scenario, replications: int | None = None, seed: int | None = None,
    jobs: int | None = None,
) -> tuple[int, int]:
    """(replications, seed): the given ones, else the scenario's. ValueError for fewer than
    one replication or job."""
    count = scenario.replications if replications is None else int(replications)
    seed = scenario.seed if seed is None else int(seed)
    if count < 1:
        raise ValueError(f"replications must be >= 1, got {count}")
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    return count, seed


def replicate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    jobs: int | None = None,
    progress: bool | None = None,
) -> Results:
    """Run ``replications`` replications (default: the scenario's) with ``seed`` (default:
    the scenario's) and return their :class:`Results`, ordered by replication.

    ``executor``: any ``concurrent.futures.Executor`` (e.g. a Dask ``client.get_executor()``);
    ``jobs`` then says how many workers to plan batches for. Without an executor: a local
    process pool of ``jobs`` workers (default: the CPU count), or this process alone when
    ``jobs`` is 1 or there is a single batch. ``progress``: show a progress bar (default: when
    stderr is a terminal).
    """
    count, seed = run_settings(scenario, replications, seed, jobs)
    shown = _show_progress(progress)
    with tqdm(total=count, unit="rep", desc=scenario.name, disable=not shown) as bar:
        logs = _collect(scenario, seed, count, executor, jobs, bar)
    logs.sort(key=lambda log: log.replication)
    return Results(scenario, seed, count, tuple(logs))


def _collect(
    scenario: Scenario, seed: int, count: int, executor: cf.Executor | None,
    jobs: int | None, bar: Any,
) -> list[EventLog]:
    """The logs of replications 0..count-1, in any order (see :func:`replicate`)."""
    workers = min(jobs or os.cpu_count() or 1, count)
    parts = batches(count, workers)
    if executor is not None:
        return _gather(executor, scenario, seed, parts, bar)
    if workers == 1 or len(parts) == 1:
        logs = []
        for k in range(count):
            logs.extend(run_batch(scenario, seed, (k,)))
            bar.update(1)
        return logs
    pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    try:
        return _gather(pool, scenario, seed, parts, bar)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ignore_interrupts() -> None:
    """In pool workers: leave Ctrl-C to the parent, which cancels the remaining work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def json_ready(value: Any) -> Any:
    """A JSON-ready value: numpy scalars to Python, NaN and infinities to None."""
    if isinstance(value, dict):
        return {str(key): json_ready(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(item) for item in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True, eq=False, repr=False)
class Results:
    """The event logs of a set of replications, with their metrics (computed once).

    Times are calendar days; utilization and shares are fractions in [0, 1].
    """

    scenario: Scenario
    seed: int
    replications: int
    logs: tuple[EventLog, ...]

    def __repr__(self) -> str:
        events = sum(len(log) for log in self.logs)
        return (f"Results(scenario={self.scenario.name!r}, replications={self.replications}, "
                f"seed={self.seed}, events={events})")

    @cached_property
    def events(self) -> pd.DataFrame:
        """Every event of every replication (columns :data:`simlib.eventlog.COLUMNS`)."""
        return events_frame(self.logs)

    @cached_property
    def visits(self) -> pd.DataFrame:
        """One row per round of a proposal at a step (see :func:`simlib.metrics.visits`)."""
        return metrics.visits(self.events, self.scenario)

    @cached_property
    def pathways(self) -> pd.DataFrame:
        """Cycle times per pathway (see :func:`simlib.metrics.cycle_summary`)."""
        return metrics.cycle_summary(self.events, self.scenario, self.replications)

    @cached_property
    def bodies(self) -> pd.DataFrame:
        """Per body: utilization and mean days per round (queue, review, meeting, rework)."""
        usage = metrics.utilization(self.events, self.scenario, self.replications)
        return usage.join(metrics.visit_summary(self.visits, self.scenario, "body"))

    @cached_property
    def steps(self) -> pd.DataFrame:
        """Per (pathway, step): mean days per round (see :func:`simlib.metrics.step_times`)."""
        return metrics.visit_summary(self.visits, self.scenario, "step")

    @cached_property
    def time_breakdown(self) -> pd.DataFrame:
        """Mean days per approved proposal at each (pathway, step), closed days apart
        (see :func:`simlib.calendar_metrics.time_breakdown`)."""
        return calendar_metrics.time_breakdown(self.visits, self.scenario)

    @cached_property
    def load(self) -> pd.DataFrame:
        """Per body: share of capacity used after warm-up, reviewer time at offices, agenda
        places at committees (see :func:`simlib.calendar_metrics.body_load`)."""
        return calendar_metrics.body_load(self.events, self.scenario, self.replications)

    @cached_property
    def sla(self) -> pd.DataFrame:
        """Share of first responses within ``sla_days`` per body (:func:`simlib.metrics.sla`)."""
        return metrics.sla_from_visits(self.visits, self.scenario)

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
        """A JSON-ready dict: run settings, ``pathways``, ``bodies`` and ``sla`` (days; NaN
        as None)."""
        from simlib import __version__

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
        }
        return json_ready(result)

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
