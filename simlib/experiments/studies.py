"""Planning studies behind the notebooks: a sweep of one body's capacity against demand growth,
and demand growth alone, each with its headline figure over what we don't know.

Every scenario of a study runs with the same seed and replication numbers (common random
numbers), so differences between neighbouring settings are paired. Results are tidy tables
ready for :mod:`simlib.reports.figures`: days are calendar days, loads are fractions (1 =
full).

Over what we don't know, a study runs its headline again at the posterior draws of its
scenario (:mod:`simlib.experiments.uncertainty`), as an :class:`Unknowns`:
:func:`step_unknowns` (the days saved by the capacity step the sweep's advice rests on,
:meth:`Sweep.headline_step`) and :func:`growth_unknowns` (the means at the highest demand).
Each takes ``uncertainty`` and returns None when it is False. A scenario without posterior
draws runs its draws at its own values: the 95% range is then the noise CI exactly. A path
a variant sets (a capacity, a demand multiplier) is held at that value in every draw.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from simlib.errors import ScenarioError
from simlib.experiments.precision import cycle_totals
from simlib.experiments.results import Results, replicate_all
from simlib.experiments.runner import run_settings
from simlib.experiments.uncertainty import (
    Draws,
    Split,
    UncertainRun,
    difference,
    difference_means,
    run_uncertain,
)
from simlib.metrics import events as metrics
from simlib.scenario import Scenario
from simlib.statistics import paired_mean_difference

# How the last key of a swept path reads on an axis.
CAPACITY_WORDS = {
    "staff": "reviewers",
    "members": "members",
    "every_weeks": "weeks between meetings",
    "agenda_limit": "agenda places per meeting",
    "agenda_lead_days": "agenda deadline (days before the meeting)",
}
FULL = 0.85  # a load above which queues grow fast (M/M/1: waits are 5.7x the service time)


def with_demand(scenario: Scenario, factor: float) -> Scenario:
    """``scenario`` with every pathway's submissions a year multiplied by ``factor``."""
    changes = {f"demand.{name}.per_year": spec.per_year * factor
               for name, spec in scenario.demand.items()}
    return scenario.variant(changes, name=f"{scenario.name} at {factor:g}x demand")


def _run_all(
    scenarios: Sequence[Scenario], replications: int | None, seed: int | None,
    executor: cf.Executor | None, jobs: int | None, progress: bool | None,
    keep_events: bool = False,
) -> list[Results]:
    """Replicate every scenario with the same seed and replication numbers (default: the
    first scenario's), all at once (``keep_events``: for metrics that need the logs)."""
    count, seed = run_settings(scenarios[0], replications, seed, jobs)
    return replicate_all(scenarios, count, seed, executor, jobs, progress, keep_events)


def _cycle_rows(results: Results) -> pd.DataFrame:
    """Per pathway: mean_days, ci95_low, ci95_high, p90_days, approved (count)."""
    table = results.pathways
    return pd.DataFrame({
        "pathway": table.index,
        "mean_days": table["cycle_days_mean"].to_numpy(),
        "ci95_low": table["cycle_days_ci95_low"].to_numpy(),
        "ci95_high": table["cycle_days_ci95_high"].to_numpy(),
        "p90_days": table["cycle_days_p90"].to_numpy(),
        "approved": table["approved"].to_numpy(),
    })


def _totals(results: Results) -> tuple[pd.DataFrame, pd.DataFrame]:
    return cycle_totals(results)


# --- capacity sweep ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Sweep:
    """One body's capacity swept against demand growth.

    ``table``: one row per (capacity, demand, pathway): capacity (the swept value),
    capacity_label (what it counts, in words), demand
    (multiplier of today's submissions), pathway, mean_days, ci95_low, ci95_high, p90_days,
    approved, load (the swept body's load, a fraction), and gain_days with
    gain_ci95_low/_high: how many days of mean cycle time this value saves against the
    previous one (paired; NaN for the first value).
    """

    scenario: Scenario
    path: str
    body: str
    values: tuple
    demand_factors: tuple[float, ...]
    replications: int
    seed: int
    table: pd.DataFrame

    @property
    def body_label(self) -> str:
        """The swept body's readable name."""
        return self.scenario.bodies[self.body].label or self.body

    @property
    def capacity_label(self) -> str:
        """What the swept number is, in words (for an axis)."""
        return _capacity_words(self.path)

    def knees(self, threshold_days: float = 3.0) -> pd.DataFrame:
        """Per (pathway, demand): the capacity after which the next step saves less than
        ``threshold_days`` of mean cycle time, or a saving whose 95% CI includes 0 (columns
        pathway, demand, capacity, next_gain_days). Settings where every step still helps
        have no row."""
        rows = []
        for (pathway, demand), group in self.table.groupby(["pathway", "demand"], sort=False):
            gains = group["gain_days"].to_numpy()[1:]
            lows = group["gain_ci95_low"].to_numpy()[1:]
            small = (gains < threshold_days) | ~(lows > 0.0)
            if small.any():
                at = int(np.argmax(small))
                rows.append((pathway, demand, group["capacity"].iloc[at], float(gains[at])))
        return pd.DataFrame(rows, columns=["pathway", "demand", "capacity", "next_gain_days"])

    def enough(self, threshold_days: float = 3.0) -> dict[float, float | None]:
        """Per demand factor: the capacity beyond which one more step saves under
        ``threshold_days`` for every pathway (None when the last step still helps one)."""
        knees = self.knees(threshold_days)
        found: dict[float, float | None] = {}
        for factor in self.demand_factors:
            rows = knees[knees["demand"] == factor]
            needed = [rows.loc[rows["pathway"] == pathway, "capacity"]
                      for pathway in self.scenario.pathways]
            found[factor] = (None if any(part.empty for part in needed)
                             else max(float(part.iloc[0]) for part in needed))
        return found

    def headline_step(self, threshold_days: float = 3.0) -> tuple[float, Any, Any, str] | None:
        """The capacity step the sweep's advice rests on, as (demand, before, after,
        pathway): where every step still helps at today's demand, its last step there;
        else the step beyond today's enough capacity, at the first demand that needs more
        (or at the highest demand, where it does not pay). ``pathway``: the one that step
        saves most. None with fewer than two values."""
        if len(self.values) < 2:
            return None
        enough = self.enough(threshold_days)
        low = self.demand_factors[0]
        if enough[low] is None:
            factor, at = low, len(self.values) - 2
        else:
            later = [factor for factor in self.demand_factors
                     if enough[factor] is None or enough[factor] > enough[low]]
            factor = later[0] if later else self.demand_factors[-1]
            at = next(index for index, value in enumerate(self.values)
                      if value == enough[low])
        before, after = self.values[at], self.values[at + 1]
        rows = self.table[(self.table["demand"] == factor) & (self.table["capacity"] == after)]
        gains = rows.set_index("pathway")["gain_days"].dropna()
        pathway = str(gains.idxmax()) if len(gains) else next(iter(self.scenario.pathways))
        return factor, before, after, pathway


def _capacity_words(path: str) -> str:
    key = path.rsplit(".", 1)[-1]
    return CAPACITY_WORDS.get(key, key.replace("_", " "))


def _swept_body(scenario: Scenario, path: str) -> str:
    parts = path.split(".")
    if len(parts) < 3 or parts[0] != "bodies" or parts[1] not in scenario.bodies:
        names = ", ".join(scenario.bodies)
        raise ScenarioError(
            f"sweep path {path!r}: give bodies.<body>.<number>, e.g. bodies.owd.staff "
            f"(bodies: {names})")
    try:
        value = scenario.value_at(path)
    except KeyError:
        raise ScenarioError(f"sweep path {path!r}: {scenario.name} has no such key") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"sweep path {path!r}: holds {value!r}, not a number")
    return parts[1]


def sweep(
    scenario: Scenario, path: str, values: Sequence[float], demand_factors: Sequence[float] = (1,),
    replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: bool | None = None,
) -> Sweep:
    """Run ``scenario`` with the number at ``path`` (``bodies.<body>.<key>``, e.g.
    ``bodies.owd.staff``) set to each of ``values``, at each demand multiplier in
    ``demand_factors``, with common random numbers, and return the :class:`Sweep`.

    ``replications`` and ``seed`` default to the scenario's; ``executor``/``jobs``/``progress``
    as in :func:`~simlib.experiments.results.replicate`. Raises ScenarioError for a bad path
    or values.
    """
    body = _swept_body(scenario, path)
    values = tuple(values)
    factors = tuple(float(factor) for factor in demand_factors)
    if not values or not factors:
        raise ScenarioError("sweep: give at least one value and one demand factor")
    grid = [(value, factor) for factor in factors for value in values]
    variants = [with_demand(scenario.variant({path: value}), factor) for value, factor in grid]
    runs = _run_all(variants, replications, seed, executor, jobs, progress)
    frames, previous = [], None
    for position, ((value, factor), results) in enumerate(zip(grid, runs, strict=True)):
        rows = _cycle_rows(results).assign(capacity=value, demand=factor)
        rows["load"] = results.load.loc[body, "load"]
        totals = _totals(results)
        first = position % len(values) == 0  # each demand factor starts afresh
        gains = [(math.nan,) * 3 if first else _gain(previous, totals, pathway)
                 for pathway in rows["pathway"]]
        rows[["gain_days", "gain_ci95_low", "gain_ci95_high"]] = gains
        frames.append(rows)
        previous = totals
    table = pd.concat(frames, ignore_index=True)
    table["capacity_label"] = _capacity_words(path)
    order = ["capacity", "capacity_label", "demand", "pathway", "mean_days", "ci95_low",
             "ci95_high", "p90_days", "approved", "load", "gain_days", "gain_ci95_low",
             "gain_ci95_high"]
    return Sweep(scenario, path, body, values, factors, runs[0].replications, runs[0].seed,
                 table[order])


def _gain(before: tuple, after: tuple, pathway: str) -> tuple[float, float, float]:
    """Days saved (before minus after) with its paired 95% CI."""
    difference, low, high = paired_mean_difference(
        tuple(part[pathway].to_numpy() for part in after),
        tuple(part[pathway].to_numpy() for part in before))
    return difference, low, high


# --- demand growth -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DemandGrowth:
    """The scenario at several demand multipliers.

    ``cycles``: per (demand, pathway): mean_days, ci95_low, ci95_high, p90_days, approved.
    ``load``: per (demand, body): body_label, load_basis, load (fraction, 1 = full).
    ``queues``: per (demand, time): proposals waiting at each body (mean over replications;
    columns demand, time, date, body, body_label, waiting).
    """

    scenario: Scenario
    factors: tuple[float, ...]
    replications: int
    seed: int
    cycles: pd.DataFrame
    load: pd.DataFrame
    queues: pd.DataFrame

    def first_to_fill(self, threshold: float = FULL) -> pd.DataFrame:
        """Bodies in the order their load first reaches ``threshold``: body, body_label,
        demand (the first multiplier at which it does), load there. Bodies that never do are
        left out."""
        over = self.load[self.load["load"] >= threshold]
        first = over.sort_values(["demand", "load"], ascending=[True, False])
        first = first.drop_duplicates("body")
        return first[["body", "body_label", "demand", "load"]].reset_index(drop=True)

    def queues_at(self, factor: float) -> pd.DataFrame:
        """The ``queues`` rows of one demand multiplier."""
        return self.queues[np.isclose(self.queues["demand"], factor)].reset_index(drop=True)


def demand_growth(
    scenario: Scenario, factors: Sequence[float] = (1, 2, 3, 4, 5),
    replications: int | None = None, seed: int | None = None, queue_freq_days: float = 7.0,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: bool | None = None,
) -> DemandGrowth:
    """Run ``scenario`` at each demand multiplier in ``factors`` (common random numbers) and
    return the :class:`DemandGrowth`: cycle times, each body's load, queues over time
    (sampled every ``queue_freq_days``)."""
    factors = tuple(float(factor) for factor in factors)
    if not factors or min(factors) <= 0:
        raise ScenarioError("demand growth: give one or more positive demand multipliers")
    runs = _run_all([with_demand(scenario, factor) for factor in factors], replications, seed,
                    executor, jobs, progress, keep_events=True)  # queues need the logs
    cycles, loads, queues = [], [], []
    for factor, results in zip(factors, runs, strict=True):
        cycles.append(_cycle_rows(results).assign(demand=factor))
        load = results.load.reset_index()[["body", "body_label", "load_basis", "load"]]
        loads.append(load.assign(demand=factor))
        waiting = metrics.queue_length(results.events, results.scenario, queue_freq_days,
                                       results.replications)
        queues.append(waiting.assign(demand=factor))
    return DemandGrowth(
        scenario, factors, runs[0].replications, runs[0].seed,
        _demand_first(pd.concat(cycles, ignore_index=True)),
        _demand_first(pd.concat(loads, ignore_index=True)),
        _demand_first(pd.concat(queues, ignore_index=True)),
    )


def _demand_first(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[["demand", *[column for column in frame.columns if column != "demand"]]]


# --- the headline over what we don't know -------------------------------------------------


@dataclass(frozen=True, eq=False)
class Unknowns:
    """A study's headline figure over the posterior draws: the mean cycle days of one
    setting (``runs``: one run), or the days a step saves (``runs``: before, then after;
    the figure is before minus after, so a saving is positive).

    ``demand``: the demand multiplier of the runs; ``step``: the (before, after) capacity
    values of a step; ``pathway``: the pathway the page's headline is about."""

    runs: tuple[UncertainRun, ...]
    pathway: str
    demand: float = 1.0
    step: tuple[Any, Any] | None = None

    @property
    def scenario(self) -> Scenario:
        """The scenario of the (first) run."""
        return self.runs[0].scenario

    @property
    def draws(self) -> Draws:
        """The draws every run used (the first run's)."""
        return self.runs[0].draws

    @property
    def fixed(self) -> bool:
        """True when nothing was drawn (the range is then the noise CI)."""
        return all(run.draws.fixed for run in self.runs)

    def figure(self, pathway: str | None = None) -> Split:
        """The figure of ``pathway`` (default: the headline's) over the draws (days)."""
        pathway = pathway or self.pathway
        if len(self.runs) == 1:
            return self.runs[0].cycle(pathway)
        before, after = self.runs
        return difference(after, before, pathway)

    def values(self, pathway: str | None = None) -> np.ndarray:
        """The figure of ``pathway`` at each draw (from its replications: noisy)."""
        pathway = pathway or self.pathway
        if len(self.runs) == 1:
            return self.runs[0].draw_means(pathway)
        before, after = self.runs
        return difference_means(after, before, pathway)


def step_unknowns(
    study: Sweep, threshold_days: float = 3.0, uncertainty: bool = True,
    draws: int | None = None, replications: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Unknowns | None:
    """The days saved by the sweep's headline step (:meth:`Sweep.headline_step`) over the
    posterior draws: both capacities at that demand, the sweep's seed (common random
    numbers, draw by draw). None without ``uncertainty`` or without a step."""
    step = study.headline_step(threshold_days) if uncertainty else None
    if step is None:
        return None
    factor, before, after, pathway = step
    scenarios = [with_demand(study.scenario.variant({study.path: value}), factor)
                 for value in (before, after)]
    runs = run_uncertain(scenarios, draws, replications, study.seed, executor, jobs,
                         progress=False)
    return Unknowns(tuple(runs), pathway, factor, (before, after))


def growth_unknowns(
    study: DemandGrowth, uncertainty: bool = True, draws: int | None = None,
    replications: int | None = None, executor: cf.Executor | None = None,
    jobs: int | None = None,
) -> Unknowns | None:
    """The means at the study's highest demand over the posterior draws (the study's
    seed), headed by the first pathway; None without ``uncertainty``."""
    if not uncertainty:
        return None
    factor = max(study.factors)
    runs = run_uncertain([with_demand(study.scenario, factor)], draws, replications,
                         study.seed, executor, jobs, progress=False)
    return Unknowns(tuple(runs), next(iter(study.scenario.pathways)), factor)
