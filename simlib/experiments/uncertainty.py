"""What luck does and what we don't know: a scenario run at each of its posterior draws.

A scenario may carry draws of its uncertain parameters (``calibration.posterior``, from
``mcsim calibrate --posterior`` or a history fit); a what-if inherits them. Draw ``d`` runs
the scenario with that draw's values and replications ``d*R .. d*R+R-1`` of one seed, so
every draw sees its own random numbers, and a what-if compared with its base sees the same
draws and the same random numbers (common random numbers, draw by draw).

For each figure (a pathway's mean cycle days, or a paired difference of two scenarios) the
draws give ``m_d`` (the figure at draw ``d``, estimated from its ``R`` replications) and
``v_d`` (the simulation-noise variance of that estimate: the spread of the replications'
ratio residuals, divided by ``R``). Then, by the law of total variance (a one-way
random-effects split, as in Barton, Nelson & Xie 2014 for input uncertainty;
:func:`simlib.statistics.variance_split`, with :func:`metamodel` as its smoother):

- the answer is ``g = mean_d m_d`` (the figure averaged over what we don't know);
- its **noise CI** is ``g +- 1.96 sqrt(mean_d v_d / D)``: what luck does to this estimate;
- the draws with their noise removed: a metamodel (a ridge regression of ``m_d`` on the
  draws' parameters and their squares, :func:`metamodel`) averages the noise out across
  draws, and what it leaves unexplained is kept only beyond the noise ``v_d`` explains;
  the parameters' variance ``s2`` is the spread of these denoised draws;
- the **predictive 95% interval** takes the 2.5% and 97.5% points of the denoised draws,
  widened in quadrature by the noise CI's half-width. Without draws (every parameter
  fixed) ``s2`` is 0 and the predictive interval is the noise CI exactly;
- ``p_shorter`` (for a difference) is the chance that the shrunk difference is below zero,
  each draw smoothed by the estimate's noise.

Per proposal, ``spread`` splits the variance of one proposal's cycle days into luck (the
mean variance within a draw) and parameters (``s2``), as shares.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from simlib.defaults import defaults
from simlib.experiments.results import Results, hours_figure, hours_paths, replication_summary
from simlib.experiments.runner import Progress, check_replications, run
from simlib.formats.jsonout import json_ready
from simlib.metrics.pooled import hours_frame, hours_totals
from simlib.metrics.summary import Replication
from simlib.scenario import Scenario
from simlib.statistics import (
    Split,
    paired_difference,
    ratio_estimate,
    variance_shares,
    variance_split,
)


@dataclass(frozen=True)
class Draws:
    """The parameter values of each draw (``values``: one {path: value} per draw, all
    empty when nothing varies) and where they come from (``source``, for the reader)."""

    values: tuple[dict[str, float], ...]
    source: str
    method: str = ""

    @property
    def fixed(self) -> bool:
        """True when no parameter varies across the draws."""
        return not any(self.values)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(self.values[0]) if self.values else ()

    @property
    def matrix(self) -> np.ndarray | None:
        """The draws' values, draws x paths (None when nothing varies)."""
        if self.fixed:
            return None
        return np.array([[draw[path] for path in self.paths] for draw in self.values])


def scenario_draws(scenario: Scenario, count: int | None = None) -> Draws:
    """The first ``count`` (default: ``run``'s in :data:`simlib.defaults.DEFAULTS`, at most
    all) posterior draws of ``scenario``; ``count`` copies of its own values when it has
    no posterior."""
    wanted = check_replications(count or defaults("run").draws, "draws")
    posterior = scenario.calibration.posterior if scenario.calibration else None
    if posterior is None:
        free = scenario.calibration.free if scenario.calibration else ()
        source = ("none: the scenario has no posterior draws, so every parameter is held "
                  "at its value" + (" (run mcsim calibrate --posterior to make them)"
                                    if free else ""))
        return Draws(tuple({} for _ in range(max(2, wanted))), source)
    used = min(wanted, posterior.count)
    return Draws(tuple(posterior.draw(index) for index in range(used)),
                 f"calibration.posterior ({posterior.count} draws)", posterior.method)


def draw_scenarios(scenario: Scenario, draws: Draws) -> list[Scenario]:
    """``scenario`` with each draw's values set (the scenario itself when nothing varies)."""
    if draws.fixed:
        return [scenario] * draws.count
    return [scenario.variant(values) for values in draws.values]


def split(values: np.ndarray, noise: np.ndarray, fixed: bool = False,
          inputs: np.ndarray | None = None) -> Split:
    """:func:`simlib.statistics.variance_split` of per-draw estimates ``values`` (noise
    variances ``noise``; ``fixed``: no parameter varies) with :func:`metamodel` of the
    draws' parameters ``inputs`` as its smoother."""
    return variance_split(values, noise, fixed, inputs, smoother=metamodel)


def metamodel(values: np.ndarray, inputs: np.ndarray | None) -> np.ndarray:
    """The figure at each draw as a smooth function of the draw's parameters: a ridge
    regression on the standardised parameters and their squares, its penalty chosen by
    leave-one-out error (scikit-learn's ``RidgeCV``); the mean of ``values`` when there are
    no inputs or too few draws. A metamodel across draws is how Barton, Nelson & Xie (2014)
    separate input uncertainty from simulation noise."""
    centre = np.full(values.size, float(values.mean()))
    if inputs is None or inputs.ndim != 2 or values.size < 8:
        return centre
    varying = inputs[:, np.ptp(inputs, axis=0) > 0]
    if not varying.shape[1]:
        return centre
    from sklearn.linear_model import RidgeCV

    scaled = (varying - varying.mean(axis=0)) / varying.std(axis=0)
    features = np.hstack([scaled, scaled**2])
    model = RidgeCV(alphas=np.logspace(-3, 4, 15)).fit(features, values)
    return model.predict(features)


def totals(runs: Sequence[Sequence[Replication]], pathway: int,
           metric: str = "cycle_days") -> tuple[np.ndarray, ...]:
    """(sums, counts) of ``metric`` (approved cycle days, or one of the journey's
    :data:`~simlib.metrics.events.MILESTONES`) of pathway number ``pathway``: draws x
    reps."""
    days = [[rep.days(metric, pathway) for rep in draw] for draw in runs]
    sums = np.array([[values.sum() for values in draw] for draw in days])
    counts = np.array([[values.size for values in draw] for draw in days])
    return sums.astype(float), counts.astype(float)


@dataclass(frozen=True, eq=False)
class UncertainRun:
    """A scenario run at each draw: ``summaries[d][r]`` is replication ``d*R + r`` of draw
    ``d`` (``R``: ``replications``, per draw)."""

    scenario: Scenario
    seed: int
    draws: Draws
    replications: int
    summaries: tuple[tuple[Replication, ...], ...]

    @cached_property
    def pooled(self) -> Results:
        """Every replication of every draw as one :class:`Results` (tables averaged over
        what we don't know; its CIs treat the draws as luck, so use :meth:`cycle` for
        intervals)."""
        flat = tuple(rep for draw in self.summaries for rep in draw)
        return Results(self.scenario, self.seed, len(flat), flat)

    def cycle(self, pathway: str, metric: str = "cycle_days") -> Split:
        """Mean cycle days of ``pathway`` (or mean days of another ``metric``: one of the
        journey's :data:`~simlib.metrics.events.MILESTONES`) over the draws."""
        means, noise = ratio_estimate(*self.pathway_totals(pathway, metric))
        return split(means, noise, self.draws.fixed, self.draws.matrix)

    def draw_means(self, pathway: str) -> np.ndarray:
        """Mean cycle days of ``pathway`` at each draw (from its replications: noisy)."""
        return ratio_estimate(*self.pathway_totals(pathway))[0]

    def pathway_totals(self, pathway: str,
                       metric: str = "cycle_days") -> tuple[np.ndarray, np.ndarray]:
        """(sums, counts) of approved cycle days (or ``metric``) of ``pathway``: draws x
        replications."""
        return totals(self.summaries, list(self.scenario.pathways).index(pathway), metric)

    def hours_totals(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(sums, counts) of the hours figure ``name`` (a row of
        :func:`simlib.metrics.pooled.hours_table`), each draw priced by its own scenario:
        draws x replications (see :func:`simlib.metrics.pooled.hours_totals`)."""
        found = [hours_totals(frame, name) for frame in self.hours_frames]
        return np.array([sums for sums, _ in found]), np.array([counts for _, counts in found])

    @cached_property
    def hours_frames(self) -> tuple[pd.DataFrame, ...]:
        """Per draw, the :func:`simlib.metrics.pooled.hours_frame` of its replications."""
        scenarios = draw_scenarios(self.scenario, self.draws)
        return tuple(hours_frame(draw, scenario)
                     for draw, scenario in zip(self.summaries, scenarios, strict=True))

    def hours(self, name: str) -> Split:
        """The hours figure ``name`` (person-hours a year, or hours per approved proposal)
        over the draws."""
        means, noise = ratio_estimate(*self.hours_totals(name))
        return split(means, noise, self.draws.fixed, self.draws.matrix)

    def spread(self, pathway: str) -> dict[str, float]:
        """Shares of one proposal's cycle-day variance due to luck and to parameters."""
        number = list(self.scenario.pathways).index(pathway)
        within = [np.concatenate([rep.approved_days(number) for rep in draw])
                  for draw in self.summaries]
        return variance_shares(within, self.cycle(pathway).parameter_variance)

    def to_dict(self) -> dict:
        """The run's JSON (as ``mcsim run``) with, per pathway, ``cycle_days.mean`` and
        ``ci95`` over the draws, ``predictive95`` and ``spread``; each priced ``hours``
        figure's mean and ``ci95`` over the draws and its ``predictive95``; and
        ``uncertainty``."""
        result = self.pooled.to_dict()
        for name, item in result["pathways"].items():
            figure = self.cycle(name)
            item["cycle_days"].update(mean=figure.value, ci95=list(figure.ci95),
                                      predictive95=list(figure.predictive95),
                                      spread=self.spread(name))
            for metric, entry in item.get("journey", {}).items():
                figure = self.cycle(name, metric)
                entry.update(mean=figure.value, ci95=list(figure.ci95),
                             predictive95=list(figure.predictive95))
        if result["hours"]["priced"]:
            for name, path in hours_paths(self.scenario).items():
                figure = self.hours(name)
                hours_figure(result["hours"], path).update(
                    mean=figure.value, ci95=list(figure.ci95),
                    predictive95=list(figure.predictive95))
        result["replications"] = self.replications * self.draws.count
        result["uncertainty"] = uncertainty_settings(self.draws, self.replications)
        return json_ready(result)


def uncertainty_settings(draws: Draws, replications: int) -> dict:
    """The ``uncertainty`` block of an answer: draws, replications per draw, the source."""
    return {"draws": draws.count, "replications_per_draw": replications,
            "source": draws.source, "method": draws.method, "fixed": draws.fixed,
            "paths": list(draws.paths)}


def run_uncertain(
    scenarios: Sequence[Scenario], draws: int | None = None, replications: int | None = None,
    seed: int | None = None, executor: cf.Executor | None = None, jobs: int | None = None,
    progress: Progress = None,
) -> list[UncertainRun]:
    """Run each scenario at each of its draws, all through the runner at once. Every
    scenario runs the same number of draws, so a comparison pairs draw ``d`` with draw
    ``d``: ``draws`` (default: ``run``'s), at most as many as the scenario with the fewest
    draws has (its own posterior may hold fewer than its base's: the first ones of each
    are run)."""
    per_draw = replications or defaults("run").replications_per_draw
    seed = scenarios[0].seed if seed is None else int(seed)
    counts = [scenario_draws(scenario, draws).count for scenario in scenarios]
    count = min(counts)
    chosen = [scenario_draws(scenario, count) for scenario in scenarios]
    if count < counts[0]:  # an alternative has fewer draws of its own: say so
        fewest = scenarios[counts.index(count)].name
        chosen[0] = replace(chosen[0], source=f"{chosen[0].source}; the first {count}, as "
                            f"many as {fewest} has")
    check_replications(count * per_draw)
    variants = [(variant, range(d * per_draw, (d + 1) * per_draw))
                for scenario, mine in zip(scenarios, chosen, strict=True)
                for d, variant in enumerate(draw_scenarios(scenario, mine))]
    done = run(variants, replication_summary, seed, executor, jobs, progress,
               desc="draws x replications")
    found = []
    for index, (scenario, mine) in enumerate(zip(scenarios, chosen, strict=True)):
        mine_done = done[index * mine.count:(index + 1) * mine.count]
        found.append(UncertainRun(scenario, seed, mine, per_draw,
                                  tuple(tuple(draw) for draw in mine_done)))
    return found


@dataclass(frozen=True)
class Driver:
    """A drawn parameter and how it moves a figure: ``path``, the Spearman ``correlation``
    of its draws with the figure's, and its 95% interval over the draws (``low``,
    ``high``)."""

    path: str
    correlation: float
    low: float
    high: float
    p_value: float = 1.0  # of no correlation (with few draws, a strong one can be chance)


def drivers(draws: Draws, values: np.ndarray) -> list[Driver]:
    """The drawn parameters, the one that moves ``values`` (a figure at each draw) most
    first; empty when nothing varies."""
    from scipy import stats  # about a second to import: only where drivers are asked for

    keep = np.isfinite(values)
    if draws.fixed or keep.sum() < 3:
        return []
    found = []
    for path in draws.paths:
        column = np.array([draw[path] for draw in draws.values], dtype=float)
        low, high = np.percentile(column, [2.5, 97.5])
        varies = np.ptp(column[keep]) > 0 and np.ptp(values[keep]) > 0
        test = stats.spearmanr(column[keep], values[keep]) if varies else None
        rho, p = (float(test.statistic), float(test.pvalue)) if test else (0.0, 1.0)
        found.append(Driver(path, rho, float(low), float(high), p))
    return sorted(found, key=lambda item: -abs(item.correlation))


def difference_means(base: UncertainRun, alternative: UncertainRun,
                     pathway: str) -> np.ndarray:
    """Alternative minus base mean cycle days of ``pathway`` at each draw (noisy)."""
    return alternative.draw_means(pathway) - base.draw_means(pathway)


def difference(base: UncertainRun, alternative: UncertainRun, pathway: str,
               metric: str = "cycle_days") -> Split:
    """Mean cycle days (or ``metric``) of ``pathway``, alternative minus base, draw by draw
    (paired: the same draws and random numbers on both sides)."""
    return _paired(base, alternative, base.pathway_totals(pathway, metric),
                   alternative.pathway_totals(pathway, metric))


def hours_difference(base: UncertainRun, alternative: UncertainRun, name: str) -> Split:
    """The hours figure ``name`` (a row of :func:`simlib.metrics.pooled.hours_table`),
    alternative minus base, draw by draw (paired)."""
    return _paired(base, alternative, base.hours_totals(name), alternative.hours_totals(name))


def _paired(base: UncertainRun, alternative: UncertainRun, base_totals: tuple,
            alt_totals: tuple) -> Split:
    """The paired difference of two runs' (sums, counts) per draw, over the draws."""
    means, noise = paired_difference(base_totals, alt_totals)
    return split(means, noise, base.draws.fixed and alternative.draws.fixed,
                 base.draws.matrix)


def scenario_unknowns(
    scenario: Scenario, uncertainty: bool = True, draws: int | None = None,
    replications: int | None = None, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> UncertainRun | None:
    """``scenario`` run at its posterior draws (a report page's "what we don't know"), or
    None without ``uncertainty``, so a notebook calls it whatever its parameters say."""
    if not uncertainty:
        return None
    [found] = run_uncertain([scenario], draws, replications, seed, executor, jobs,
                            progress=False)
    return found
