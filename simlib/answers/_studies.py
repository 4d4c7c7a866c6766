"""How much capacity, and what happens as demand grows? The staffing sweep (report 03) and
demand growth (report 04), each with its headline figure over what we don't know."""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Sequence
from dataclasses import dataclass

from simlib.experiments import studies
from simlib.experiments.studies import DemandGrowth, Sweep, Unknowns, growth_unknowns, step_unknowns
from simlib.scenario import Scenario


@dataclass(frozen=True, eq=False)
class SweepAnswer:
    """A capacity sweep (``sweep``: the grid of capacity x demand) and, with
    ``uncertainty``, the days its headline step saves over the posterior draws
    (``over_draws``; None without draws or without a step); ``threshold_days``: a step
    that saves less than this stops helping."""

    sweep: Sweep
    threshold_days: float
    over_draws: Unknowns | None = None


@dataclass(frozen=True, eq=False)
class GrowthAnswer:
    """Demand growth (``growth``: cycle times, load and queues at each multiplier) and,
    with ``uncertainty``, the means at the highest demand over the posterior draws."""

    growth: DemandGrowth
    over_draws: Unknowns | None = None


def sweep(
    scenario: Scenario, path: str, values: Sequence[float], demand_factors: Sequence[float],
    replications: int | None = None, seed: int | None = None, *, threshold_days: float = 3.0,
    uncertainty: bool = False, draws: int | None = None, draw_replications: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: bool | None = None,
) -> SweepAnswer:
    """The capacity at ``path`` set to each of ``values`` at each demand multiplier (see
    :func:`simlib.experiments.studies.sweep`); with ``uncertainty`` its headline step
    again at ``draws`` posterior draws, ``draw_replications`` runs each."""
    found = studies.sweep(scenario, path, values, demand_factors, replications, seed,
                          executor, jobs, progress)
    drawn = step_unknowns(found, threshold_days, uncertainty, draws, draw_replications,
                          executor, jobs)
    return SweepAnswer(found, threshold_days, drawn)


def growth(
    scenario: Scenario, factors: Sequence[float] = (1, 2, 3, 4, 5),
    replications: int | None = None, seed: int | None = None, *, uncertainty: bool = False,
    draws: int | None = None, draw_replications: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: bool | None = None,
) -> GrowthAnswer:
    """``scenario`` at each demand multiplier in ``factors`` (see
    :func:`simlib.experiments.studies.demand_growth`); with ``uncertainty`` the highest
    demand again at ``draws`` posterior draws, ``draw_replications`` runs each."""
    found = studies.demand_growth(scenario, factors, replications, seed, executor=executor,
                                  jobs=jobs, progress=progress)
    drawn = growth_unknowns(found, uncertainty, draws, draw_replications, executor, jobs)
    return GrowthAnswer(found, drawn)
