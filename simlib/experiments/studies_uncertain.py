"""The report pages' studies over what we don't know: each page's headline figure run at the
posterior draws of its scenario (:mod:`simlib.experiments.uncertainty`), beside the study's
own runs.

- a comparison (page 02): :func:`compare_unknowns`, every what-if at every draw;
- a capacity sweep (page 03): :func:`step_unknowns`, the days saved by the capacity step the
  sweep's advice rests on (:meth:`~simlib.experiments.studies.Sweep.headline_step`);
- demand growth (page 04): :func:`growth_unknowns`, the means at the highest demand;
- sensitivity (page 05): :func:`sensitivity_unknowns`, every swing over the draws of the
  other parameters, and today's means over the draws.

Each takes ``uncertainty`` and returns None when it is False (the study alone, as before),
so a notebook calls it whatever its parameters say. A scenario without posterior draws
runs its draws at its own values: the 95% range is then the noise CI exactly. A path a
variant sets (a capacity, a demand multiplier, an assumption's end) is held at that value
in every draw.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simlib.experiments.compare import Comparison, compare
from simlib.experiments.sensitivity import Sensitivity, sensitivity
from simlib.experiments.studies import DemandGrowth, Sweep, with_demand
from simlib.experiments.uncertainty import (
    Draws,
    Split,
    UncertainRun,
    difference,
    difference_means,
    run_uncertain,
)
from simlib.scenario import Scenario


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


def compare_unknowns(
    base: Scenario, alternatives: Sequence[Scenario], uncertainty: bool = True,
    draws: int | None = None, replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Comparison | None:
    """The comparison over the base's posterior draws (``draws`` x ``replications`` per
    draw; its ``uncertain`` runs give each difference's 95% range and ``p_shorter``), or
    None without ``uncertainty``."""
    if not uncertainty:
        return None
    return compare(base, alternatives, replications, seed, executor, jobs, progress=False,
                   uncertainty=True, draws=draws)


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


def sensitivity_unknowns(
    scenario: Scenario, replications: int | None = None, seed: int | None = None,
    uncertainty: bool = True, draws: int | None = None,
    draw_replications: int | None = None, executor: cf.Executor | None = None,
    jobs: int | None = None,
) -> tuple[Sensitivity, Unknowns | None]:
    """The sensitivity study and today's means over the draws.

    Without ``uncertainty``: :func:`~simlib.experiments.sensitivity.sensitivity` with
    ``replications``, and None. With it, the study runs at ``draws`` posterior draws of
    ``draw_replications`` each instead (every swing with its 95% range over the draws of
    the other parameters; its means pooled over all ``draws x draw_replications`` runs,
    which are the plain study's runs when nothing is drawn and the counts multiply to
    ``replications``), and today's means over what we don't know are its base's runs."""
    if not uncertainty:
        return sensitivity(scenario, replications, seed, executor, jobs,
                           progress=False), None
    study = sensitivity(scenario, draw_replications, seed, executor, jobs, progress=False,
                        uncertainty=True, draws=draws)
    return study, Unknowns((study.base_over_draws,), next(iter(scenario.pathways)))
