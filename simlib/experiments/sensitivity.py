"""Sensitivity analysis: which uncertain assumption moves the cycle times most.

One at a time, each assumption of a scenario (:class:`simlib.scenario.Assumption`) is set
to the low and then to the high end of its range, everything else as in the scenario. The
base and every variant run replications 0..n-1 under the same seed, so replication k of a
variant shares its random numbers with replication k of the base (common random numbers):
each swing is a paired difference, and an assumption that touches only one pathway leaves
another pathway that shares no body with it exactly unchanged. All ``2 * assumptions + 1``
scenarios' replications go through one executor as one batch of work.

Cycle times are calendar days from submission to approval, of proposals submitted after
warm-up, pooled over replications (as in :func:`simlib.metrics.events.cycle_summary`).
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simlib.defaults import defaults
from simlib.errors import ScenarioError
from simlib.experiments.results import replication_summary
from simlib.experiments.runner import run, run_settings
from simlib.experiments.uncertainty import (
    UncertainRun,
    difference,
    run_uncertain,
    uncertainty_settings,
)
from simlib.formats.jsonout import json_ready
from simlib.metrics.summary import approved_days
from simlib.scenario import Assumption, Scenario, load_scenario
from simlib.statistics import paired_mean_difference, ratio_estimate
from simlib.version import __version__

ENDS = ("low", "high")

# --- the variants ----------------------------------------------------------------------


def chosen_assumptions(
    scenario: Scenario, assumptions: Sequence[Assumption | str] | None = None
) -> tuple[Assumption, ...]:
    """The assumptions to swing: all of the scenario's that can change the time to approval
    (not its prices, :attr:`Assumption.prices`, nor the steps after approval,
    :attr:`Assumption.after_approval`), or those given (an :class:`Assumption`, or the path
    of one of the scenario's). ScenarioError when none."""
    if assumptions is None:
        assumptions = [item for item in scenario.assumptions
                       if not (item.prices or item.after_approval)]
    by_path = {assumption.path: assumption for assumption in scenario.assumptions}
    chosen = []
    for item in assumptions:
        if isinstance(item, str) and item not in by_path:
            known = ", ".join(by_path) or "none"
            raise ScenarioError(f"{scenario.name}: no assumption {item!r}; assumptions: {known}")
        chosen.append(by_path[item] if isinstance(item, str) else item)
    if not chosen:
        raise ScenarioError(
            f"{scenario.name}: no assumptions to swing; add an 'assumptions:' block, e.g. "
            "'- {path: bodies.owd.review_days.mean, low: 1, high: 8, note: OWD check}'"
        )
    return tuple(chosen)


def end_value(scenario: Scenario, assumption: Assumption, end: str) -> int | float:
    """The value a variant sets at ``end`` ("low" or "high") of the assumption's range:
    rounded to the nearest whole number where the scenario holds one (e.g. ``staff``)."""
    value = getattr(assumption, end)
    current = scenario.value_at(assumption.path)
    if isinstance(current, int) and not isinstance(current, bool):
        return math.floor(value + 0.5)
    return float(value)


def variants(scenario: Scenario, assumptions: Sequence[Assumption]) -> list[Scenario]:
    """The base, then for each assumption its variant at ``low`` and at ``high``."""
    result = [scenario]
    for assumption in assumptions:
        low, high = (end_value(scenario, assumption, end) for end in ENDS)
        if low == high:
            raise ScenarioError(
                f"{scenario.name}: assumptions: {assumption.path} takes whole numbers and "
                f"[{assumption.low:g}, {assumption.high:g}] rounds to {low} at both ends"
            )
        for value in (low, high):
            name = f"{scenario.name} [{assumption.path}={value:g}]"
            try:
                result.append(scenario.variant({assumption.path: value}, name=name))
            except ScenarioError as error:
                raise ScenarioError(
                    f"{scenario.name}: assumptions: {assumption.path} at {value:g}: {error}"
                ) from None
    return result


# --- running them ----------------------------------------------------------------------


def run_scenarios(
    scenarios: list[Scenario], count: int, seed: int, executor: cf.Executor | None = None,
    jobs: int | None = None, progress: bool | None = None,
) -> list[list[dict[str, np.ndarray]]]:
    """[scenario][replication] -> {pathway: cycle days of the approved proposals submitted
    after warm-up}, replications 0..count-1 of every scenario under ``seed``, through the
    runner (on ``executor``, else a local pool of ``jobs`` processes; 1 runs in this
    process)."""
    numbers = range(count)
    runs = run([(scenario, numbers) for scenario in scenarios], replication_summary, seed,
               executor, jobs, progress, desc="sensitivity")
    return [[approved_days(summary, scenario) for summary in summaries]
            for scenario, summaries in zip(scenarios, runs, strict=True)]


# --- statistics ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PooledCycle:
    """One scenario's cycle days for one pathway over n replications: the pooled mean and
    P90 (days, NaN without approvals), and per replication the sum of cycle days and the
    number of approvals (for paired intervals)."""

    mean: float
    p90: float
    sums: np.ndarray
    counts: np.ndarray

    @classmethod
    def of(cls, per_replication: Sequence[np.ndarray]) -> PooledCycle:
        """From the cycle days (days) of each replication."""
        sums = np.array([values.sum() for values in per_replication], dtype=float)
        counts = np.array([len(values) for values in per_replication], dtype=float)
        if counts.sum() == 0:
            return cls(math.nan, math.nan, sums, counts)
        pooled = np.concatenate(per_replication)
        return cls(float(ratio_estimate(sums, counts)[0]), float(np.quantile(pooled, 0.9)),
                   sums, counts)


def paired_interval(first: PooledCycle, second: PooledCycle) -> tuple[float, float, float]:
    """(difference, low, high): ``first.mean - second.mean`` (days) and its paired 95%
    interval across replications (:func:`simlib.statistics.paired_mean_difference`)."""
    return paired_mean_difference((second.sums, second.counts), (first.sums, first.counts))


def _swing_row(
    scenario: Scenario, assumption: Assumption, base: PooledCycle, low: PooledCycle,
    high: PooledCycle,
) -> dict[str, Any]:
    """One assumption's effect on one pathway (days), without the pathway name."""
    value = scenario.value_at(assumption.path)
    swing, swing_low, swing_high = paired_interval(high, low)
    low_diff, low_ci_low, low_ci_high = paired_interval(low, base)
    high_diff, high_ci_low, high_ci_high = paired_interval(high, base)
    return {
        "assumption": assumption.path, "note": assumption.note,
        "low": end_value(scenario, assumption, "low"),
        "high": end_value(scenario, assumption, "high"),
        "base_value": value,
        "mean_low": low.mean, "mean_base": base.mean, "mean_high": high.mean,
        "swing_mean": swing, "swing_mean_ci95_low": swing_low,
        "swing_mean_ci95_high": swing_high,
        "low_vs_base": low_diff, "low_vs_base_ci95_low": low_ci_low,
        "low_vs_base_ci95_high": low_ci_high,
        "high_vs_base": high_diff, "high_vs_base_ci95_low": high_ci_low,
        "high_vs_base_ci95_high": high_ci_high,
        "p90_low": low.p90, "p90_base": base.p90, "p90_high": high.p90,
        "swing_p90": high.p90 - low.p90,
    }


def uncertain_runs(
    scenarios: list[Scenario], draws: int | None, replications: int | None, seed: int,
    executor: cf.Executor | None = None, jobs: int | None = None,
    progress: bool | None = None,
) -> tuple[list[list[dict[str, np.ndarray]]], list[UncertainRun]]:
    """:func:`run_scenarios` over the base's posterior draws (``draws`` x ``replications``
    per draw; a variant that sets a drawn path holds its value in every draw): the
    per-replication cycle days (draw after draw) and the runs."""
    chosen = defaults("sensitivity")
    runs = run_uncertain(scenarios, draws or chosen.draws,
                         replications or chosen.replications_per_draw, seed, executor, jobs,
                         progress)
    days = [[approved_days(summary, run.scenario) for draw in run.summaries for summary in draw]
            for run in runs]
    return days, runs


def over_draws(runs: list[UncertainRun], table: pd.DataFrame,
               assumptions: Sequence[Assumption]) -> pd.DataFrame:
    """``table`` with each swing (high - low) taken over the draws: its mean, noise CI and
    ``swing_mean_predictive95_low/_high`` (see :mod:`simlib.experiments.uncertainty`)."""
    table = table.copy()
    index = {assumption.path: number for number, assumption in enumerate(assumptions)}
    for row in table.index:
        number = index[table.at[row, "assumption"]]
        swing = difference(runs[1 + 2 * number], runs[2 + 2 * number],
                           table.at[row, "pathway"])
        table.loc[row, ["swing_mean", "swing_mean_ci95_low", "swing_mean_ci95_high",
                        "swing_mean_predictive95_low", "swing_mean_predictive95_high"]] = (
            swing.value, *swing.ci95, *swing.predictive95)
    return tornado_order(table.drop(columns="rank"))


def swing_table(
    scenario: Scenario, assumptions: Sequence[Assumption], runs: list[list[dict]]
) -> pd.DataFrame:
    """One row per (pathway, assumption) from :func:`run_scenarios` output (base first,
    then each assumption's low and high variant), in tornado order (:func:`tornado_order`)."""
    rows = []
    for pathway in scenario.pathways:
        pooled = [PooledCycle.of([rep[pathway] for rep in run]) for run in runs]
        for index, assumption in enumerate(assumptions):
            low, high = pooled[1 + 2 * index], pooled[2 + 2 * index]
            row = _swing_row(scenario, assumption, pooled[0], low, high)
            rows.append({"pathway": pathway, **row})
    return tornado_order(pd.DataFrame(rows))


def tornado_order(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` sorted per pathway (pathways in their first-seen order) by the absolute
    swing of the mean, largest first (ties and NaN keep their order, NaN last), with a
    ``rank`` column (1 = largest swing of its pathway)."""
    pathways = list(dict.fromkeys(table["pathway"]))
    ordered = table.assign(
        _pathway=table["pathway"].map(pathways.index), _size=-table["swing_mean"].abs()
    ).sort_values(["_pathway", "_size"], kind="stable", na_position="last")
    ordered = ordered.drop(columns=["_pathway", "_size"]).reset_index(drop=True)
    ordered.insert(1, "rank", ordered.groupby("pathway", sort=False).cumcount() + 1)
    return ordered


# --- the result ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """One-at-a-time swings of a scenario's assumptions (days of cycle time).

    ``table``: one row per (pathway, assumption) in tornado order, see :meth:`summary`.
    """

    scenario: Scenario
    seed: int
    replications: int
    table: pd.DataFrame
    base_over_draws: UncertainRun | None = None  # with --uncertainty: the base at the draws

    @property
    def uncertainty(self) -> dict | None:
        """The draws run (``--uncertainty``), or None."""
        run = self.base_over_draws
        return None if run is None else uncertainty_settings(run.draws, run.replications)

    def __repr__(self) -> str:
        return (f"Sensitivity(scenario={self.scenario.name!r}, assumptions="
                f"{self.table['assumption'].nunique()}, replications={self.replications}, "
                f"seed={self.seed})")

    def summary(self) -> pd.DataFrame:
        """Tidy table, one row per (pathway, assumption), each pathway sorted by the absolute
        swing of its mean (tornado order; ``rank`` 1 = largest). Columns: pathway, rank,
        assumption (key path), note, low, high (values set; whole numbers where the scenario
        needs them), base_value; mean_low, mean_base, mean_high and p90_low, p90_base,
        p90_high (cycle days); swing_mean = mean_high - mean_low and swing_p90 (days);
        swing_mean_ci95_low/_high, and low_vs_base / high_vs_base (each end's mean minus
        the base mean, days) with their _ci95_low/_high: paired 95% intervals (CRN)."""
        return self.table.copy()

    def top(self, pathway: str, count: int | None = None) -> pd.DataFrame:
        """The ``count`` largest swings (default: all) of ``pathway``, largest first."""
        rows = self.table[self.table["pathway"] == pathway]
        return rows if count is None else rows.head(count)

    def to_dict(self, top: int | None = None, pathways: Sequence[str] | None = None) -> dict:
        """A JSON-ready dict: run settings, then per pathway the base mean and P90 (days) and
        its ``swings`` (rows of :meth:`summary` without the pathway, largest first; the
        ``top`` largest when given). NaN is None."""
        result: dict[str, Any] = {
            "scenario": self.scenario.name, "title": self.scenario.title,
            "replications": self.replications, "seed": self.seed,
            "simlib_version": __version__,
            "assumptions": int(self.table["assumption"].nunique()), "pathways": {},
        }
        if self.uncertainty is not None:
            result["uncertainty"] = self.uncertainty
        for pathway in pathways or list(self.scenario.pathways):
            rows = self.top(pathway, top).drop(columns="pathway")
            first = self.top(pathway).iloc[0]
            result["pathways"][pathway] = {
                "mean_base": json_ready(first["mean_base"]),
                "p90_base": json_ready(first["p90_base"]),
                "swings": [{key: json_ready(value) for key, value in row.items()}
                           for row in rows.to_dict(orient="records")],
            }
        return result


def sensitivity(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    jobs: int | None = None,
    assumptions: Sequence[Assumption | str] | None = None,
    progress: bool | None = None,
    uncertainty: bool = False,
    draws: int | None = None,
) -> Sensitivity:
    """Swing each assumption (default: all of the scenario's; or those given, as
    :class:`Assumption` or path) over its range one at a time, with ``replications``
    (default: the scenario's) under ``seed`` (default: the scenario's), and return the
    :class:`Sensitivity` of every pathway's cycle days.

    The base and all ``2 * len(assumptions)`` variants share seeds (CRN) and run as one
    batch: on ``executor`` (any ``concurrent.futures.Executor``; ``jobs`` then says how
    many workers to plan for), else a local pool of ``jobs`` processes (default: the CPU
    count; 1 runs in this process). ``progress``: a progress bar (default: when stderr is a
    terminal). ``scenario`` may be a path to its YAML file. Raises ScenarioError when there
    are no assumptions or a variant is invalid. ``uncertainty``: every scenario runs at
    ``draws`` posterior draws (default 10) with ``replications`` each (default 4), and each
    swing gains its 95% range over the draws of the other parameters.
    """
    if isinstance(scenario, str | Path):
        scenario = load_scenario(scenario)
    count, seed = run_settings(scenario, replications, seed, jobs)
    chosen = chosen_assumptions(scenario, assumptions)
    if not uncertainty:
        runs = run_scenarios(variants(scenario, chosen), count, seed, executor, jobs,
                             progress)
        return Sensitivity(scenario, seed, count, swing_table(scenario, chosen, runs))
    days, drawn = uncertain_runs(variants(scenario, chosen), draws, replications, seed,
                                 executor, jobs, progress)
    table = over_draws(drawn, swing_table(scenario, chosen, days), chosen)
    return Sensitivity(scenario, seed, len(days[0]), table, drawn[0])
