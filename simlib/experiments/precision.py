"""How many replications: run until every pathway's mean cycle time is known precisely enough.

The sequential "replication algorithm" of Hoad, Robinson and Davies (2010), "Automated
selection of the number of replications for a discrete-event simulation", Journal of the
Operational Research Society 61(11), 1632-1644: the confidence-interval method with a
look-ahead. After ``n`` replications (at least 3) the relative precision ``d_n`` is the 95%
confidence-interval half-width divided by the mean. The answer is the first ``n`` with
``d_n`` at or below the target that *stays* there for the next ``f(n)`` replications, where
``f(n)`` is the look-ahead ``k_limit`` (5) while ``n <= 100`` and ``floor(n * k_limit / 100)``
beyond, so a lucky early interval does not stop the run too soon.

Here the output is each pathway's pooled mean cycle time (days) with the interval that the
tables print (:func:`~simlib.statistics.ratio_interval`; the widths:
:func:`~simlib.statistics.relative_half_widths`), and the rule must hold for every pathway
(and, in a comparison, for every scenario) at once. Replications are run in batches on the
executor; the answer depends only on the seed, not on the batching, because replication
``k`` is always the same and the rule is evaluated replication by replication.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from tqdm import tqdm

from simlib.errors import InputError
from simlib.experiments.results import Results, replication_summary
from simlib.experiments.runner import local_pool, run, run_settings, show_progress
from simlib.metrics.pooled import approved_frame
from simlib.metrics.summary import Replication
from simlib.scenario import Scenario
from simlib.statistics import relative_half_widths

MIN_REPLICATIONS = 3  # HRD's first look at the interval
K_LIMIT = 5  # HRD's recommended look-ahead while n <= 100


def cycle_totals(results: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per replication (rows, 0..replications-1) and pathway (columns, scenario order): the
    sum of the cycle days of proposals approved after warm-up (days) and their number.
    Replications without approvals have zeros."""
    return summary_totals(results.summaries, results.scenario, range(results.replications))


def summary_totals(
    summaries: Sequence[Replication], scenario: Scenario, replications: Sequence[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`cycle_totals` of the per-replication ``summaries`` (numbered ``replications``)."""
    table = approved_frame(summaries, scenario)
    return approved_totals(table[table["outcome"] == "approved"], list(scenario.pathways),
                           replications)


def approved_totals(
    approved: pd.DataFrame, pathways: Sequence[str], replications: Sequence[int],
    metric: str = "cycle_days",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`cycle_totals` from the approved rows of :func:`simlib.metrics.events.proposals`
    (of ``metric``: a journey's milestone counts the proposals that reached it)."""
    grouped = approved.groupby(["replication", "pathway"])[metric]
    shape = {"index": pd.Index(list(replications), name="replication"),
             "columns": pd.Index(list(pathways), name="pathway"), "fill_value": 0}
    sums = grouped.sum().unstack("pathway").reindex(**shape).fillna(0.0).astype(float)
    counts = grouped.count().unstack("pathway").reindex(**shape).fillna(0).astype(float)
    return sums, counts


def look_ahead(n: int, k_limit: int = K_LIMIT) -> int:
    """HRD's look-ahead after ``n`` replications: ``k_limit`` up to 100, then ``k_limit``
    per 100 replications (rounded down)."""
    return k_limit if n <= 100 else (n * k_limit) // 100


def replications_needed(
    widths: Sequence[float], precision: float, k_limit: int = K_LIMIT,
    min_replications: int = MIN_REPLICATIONS,
) -> int | None:
    """The replication count of HRD's algorithm, or None if ``widths`` are too few to tell.

    ``widths[m - 1]``: the worst relative half-width over the outputs after ``m``
    replications (NaN counts as not precise enough). The count is the smallest ``n >=
    min_replications`` whose width and the next ``look_ahead(n)`` widths are all at most
    ``precision`` (a fraction of the mean, e.g. 0.02).
    """
    met = np.nan_to_num(np.asarray(widths, dtype=float), nan=np.inf) <= precision
    for n in range(min_replications, len(met) + 1):
        if not met[n - 1]:
            continue
        end = n + look_ahead(n, k_limit)
        if end > len(met):
            return None
        if met[n - 1 : end].all():
            return n
    return None


def worst_widths(totals: Sequence[tuple[pd.DataFrame, pd.DataFrame]], level: float) -> np.ndarray:
    """Per replication count ``m``: the largest relative half-width over every output of
    every (sums, counts) pair; outputs never observed are left out (NaN when none is left)."""
    columns = []
    for sums, counts in totals:
        seen = counts.to_numpy().sum(axis=0) > 0
        widths = relative_half_widths(sums.to_numpy()[:, seen], counts.to_numpy()[:, seen], level)
        columns.append(np.nan_to_num(widths, nan=np.inf))
    stacked = np.hstack(columns) if columns else np.empty((0, 0))
    if stacked.shape[1] == 0:
        return np.full(len(stacked), np.nan)
    return stacked.max(axis=1)


@dataclass(frozen=True, eq=False)
class PreciseRun:
    """Results of scenarios replicated until precise (:func:`replicate_until_precise`).

    ``results``: one :class:`~simlib.experiments.results.Results` per scenario, each with the chosen
    ``replications``; ``precision``: the target relative half-width (fraction of the mean);
    ``achieved``: the worst relative half-width at that count; ``converged``: False when
    ``max_replications`` was reached first; ``simulated``: replications run per scenario,
    look-ahead included.
    """

    results: tuple[Results, ...]
    replications: int
    precision: float
    achieved: float
    converged: bool
    simulated: int

    def auto_dict(self) -> dict:
        """The JSON ``replications_auto`` block (fractions of the mean)."""
        return {"precision": self.precision, "achieved": float(self.achieved),
                "converged": self.converged, "simulated": self.simulated}

    def to_dict(self, index: int = 0) -> dict:
        """``results[index].to_dict()`` with the ``replications_auto`` block."""
        return {**self.results[index].to_dict(), "replications_auto": self.auto_dict()}


def _run_round(
    executor: cf.Executor | None, scenarios: Sequence[Scenario], seed: int, first: int,
    stop: int, workers: int,
) -> list[list[Replication]]:
    """Per scenario, the summaries of replications ``first..stop-1`` in order (on
    ``executor`` if given, else in this process)."""
    numbers = range(first, stop)
    return run([(scenario, numbers) for scenario in scenarios], replication_summary, seed,
               executor, jobs=workers if executor is not None else 1, progress=False)


def _next_total(done: int, width: float, precision: float, workers: int, most: int) -> int:
    """How many replications to have after the next batch: the count the current width
    projects (width shrinks like 1 / sqrt(n)) plus its look-ahead, between ``done +
    workers`` and ``4 * done``, at most ``most``."""
    if not math.isfinite(width) or width <= precision:
        wanted = done + look_ahead(done)
    else:
        projected = math.ceil(done * (width / precision) ** 2)
        wanted = projected + look_ahead(projected)
    return min(max(wanted, done + workers), 4 * done, most)


class _Tally:
    """Per-replication summaries and cycle totals of a group of scenarios, grown in rounds."""

    def __init__(self, scenarios: Sequence[Scenario]):
        self.scenarios = list(scenarios)
        self.summaries: list[list[Replication]] = [[] for _ in self.scenarios]
        self.totals: list[list[tuple[pd.DataFrame, pd.DataFrame]]] = [[] for _ in self.scenarios]
        self.done = 0

    def add(self, rounds: list[list[Replication]], stop: int) -> None:
        """Add each scenario's summaries of replications ``done..stop-1``."""
        numbers = range(self.done, stop)
        for index, (scenario, new) in enumerate(zip(self.scenarios, rounds, strict=True)):
            self.summaries[index].extend(new)
            self.totals[index].append(summary_totals(new, scenario, numbers))
        self.done = stop

    def widths(self, level: float) -> np.ndarray:
        """The worst relative half-width after each replication count 1..done."""
        joined = [(pd.concat([s for s, _ in parts]), pd.concat([c for _, c in parts]))
                  for parts in self.totals]
        return worst_widths(joined, level)


def _check(precision: float, max_replications: int, scenarios: Sequence[Scenario]) -> None:
    """Raise ValueError for settings the algorithm cannot work with."""
    if not 0.0 < precision < 1.0:
        raise ValueError(f"precision must be a fraction of the mean in (0, 1), got {precision}")
    if max_replications < MIN_REPLICATIONS:
        raise ValueError(f"max_replications must be >= {MIN_REPLICATIONS}, "
                         f"got {max_replications}")
    if not scenarios:
        raise ValueError("no scenario to replicate")


def not_estimable(scenarios: Sequence[Scenario], count: int) -> str:
    """Why ``--replications auto`` cannot choose a count: no pathway of ``scenarios`` had a
    proposal approved after warm-up in ``count`` replications, so no mean has a spread."""
    names = ", ".join(scenario.name for scenario in scenarios)
    return (f"mcsim: --replications auto: the precision of the means is not estimable: no "
            f"proposal of {names} was approved after warm-up in {count} replications; give "
            "demand, a longer horizon_years, or a fixed --replications N")


def replicate_until_precise(
    scenarios: Scenario | Sequence[Scenario], precision: float = 0.02,
    max_replications: int = 1000, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
    progress: bool | None = None, k_limit: int = K_LIMIT, level: float = 0.95,
) -> PreciseRun:
    """Replicate ``scenarios`` (one or several, with common random numbers) until the
    ``level`` confidence interval of every pathway's mean cycle time is within ``precision``
    (a fraction, 0.02 = 2%) of the mean, by the HRD algorithm (see the module docstring);
    at most ``max_replications`` each. ``seed``: default the first scenario's. ``executor``
    and ``jobs`` as in :func:`simlib.experiments.results.replicate` (one pool serves every batch).
    """
    group = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    _check(precision, max_replications, group)
    seed = run_settings(group[0], None, seed, jobs)[1]
    tally, needed, widths = _Tally(group), None, np.empty(0)
    shown = show_progress(progress)
    with local_pool(executor, jobs) as (pool, workers), \
            tqdm(unit="rep", desc="replications", disable=not shown) as bar:
        while needed is None and tally.done < max_replications:
            width = widths[-1] if len(widths) else math.nan
            start = min(MIN_REPLICATIONS + look_ahead(MIN_REPLICATIONS, k_limit), max_replications)
            stop = (_next_total(tally.done, width, precision, workers, max_replications)
                    if tally.done else start)
            tally.add(_run_round(pool, group, seed, tally.done, stop, workers), stop)
            bar.update(stop - bar.n)
            widths = tally.widths(level)
            needed = replications_needed(widths, precision, k_limit)
    count = needed or tally.done
    if not math.isfinite(widths[count - 1]):
        raise InputError(not_estimable(group, count))
    results = tuple(Results(scenario, seed, count, tuple(summaries[:count]))
                    for scenario, summaries in zip(group, tally.summaries, strict=True))
    return PreciseRun(results, count, precision, float(widths[count - 1]), needed is not None,
                      tally.done)
