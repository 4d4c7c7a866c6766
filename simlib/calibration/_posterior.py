"""Posterior calibration: which values of a scenario's free assumptions the documented
targets leave possible, as draws, by history matching and importance sampling.

The point calibration (:mod:`simlib.calibration._point`) gives one consistent set of
values; this gives their spread. The prior of each free parameter is uniform on its
assumption's [low, high]; the work is done in the scaled box [0, 1]^d. A mean-cycle target
z is a mean of n real proposals, so it carries an observation sd: ``sd_days`` when the
scenario gives one, else the sd of cycle days of a pilot run at the scenario's values over
sqrt(n), n = the pathway's proposals a year x ``covers_years`` (default 3 years).

1. History matching in waves (Vernon, Goldstein & Bower 2010; Andrianakis et al. 2015,
   PLOS Comput Biol). Wave k simulates a space-filling design inside the region not yet
   ruled out (a Latin hypercube in wave 1), each point with replications 0..R-1 of one seed
   (common random numbers), fits one Gaussian-process emulator per target on every run so
   far inside that region (:mod:`simlib.calibration._emulator`) and rules out
   every point whose implausibility exceeds 3 for some target. About three waves; it stops
   early when a wave shrinks the region by less than a tenth.
2. Importance sampling: tens of thousands of prior points, the non-implausible ones kept,
   each weighted by the likelihood of the targets under the last wave's emulators
   (Gaussian for a mean, Phi((share - bound) / s) for a bound such as the committee's
   promise); ``draws`` points by systematic resampling. The effective sample size (Kish)
   of the weights says how many independent points the draws are worth.
3. A posterior predictive check: each draw simulated (a few replications of its own),
   observation noise added, and the 95% predictive interval compared with the documented
   figure.

A parameter whose posterior spread is more than 0.8 of the prior's is not identified by the
targets; two parameters whose draws are rank-correlated (|Spearman| >= 0.4) trade off: the
targets fix a combination of them (the ridge). All randomness comes from one
``numpy.random.default_rng(seed)``, so a seed gives the same draws serially or in parallel.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from simlib.calibration._emulator import (
    Emulator,
    Figures,
    Observed,
    design,
    fit_emulator,
    inside,
    observations,
    out_of_reach,
)
from simlib.calibration._point import (
    FitTarget,
    FreeParameter,
    check_free,
    fit_targets,
    free_parameters,
)
from simlib.errors import CalibrationError
from simlib.experiments.results import replication_summary
from simlib.experiments.runner import local_pool, run, show_progress
from simlib.metrics.summary import Replication
from simlib.scenario import Scenario, note_words
from simlib.scenario.calibration import MAX_DRAWS, Posterior
from simlib.version import __version__

MAX_WAVES = 3
SHRINK = 0.1  # stop when a wave rules out less than this share of the region left
BUDGET_PER_PARAMETER = 800  # default replications of all waves, per free parameter
POINTS_PER_PARAMETER = 10  # design points a wave per parameter that R is chosen for
MIN_POINTS_PER_PARAMETER = 5  # fewer design points a wave cannot fit an emulator
REPLICATIONS = (10, 20)  # R, the replications of a design point: at least, at most
PRIOR_SAMPLE = 40_000  # prior points that measure how much each wave rules out
REGION_BATCH = 40_000  # prior points per batch for the importance sample...
REGION_SAMPLE = 4_000  # ... drawn until this many are non-implausible...
PRIOR_BATCHES = 10  # ... or this many batches were drawn
PREDICTIVE_REPLICATIONS = 4  # replications of each draw in the predictive check
MIN_ESS = 20
IDENTIFIED = 0.8  # identified when the posterior sd is at most this share of the prior's
RIDGE = 0.4  # |Spearman correlation| of two parameters' draws that makes a ridge
PRIOR_SD = 1.0 / np.sqrt(12.0)  # sd of a uniform prior on [0, 1]


@dataclass(frozen=True)
class ParameterSummary:
    """A free parameter's prior range and posterior median, 95% interval (2.5 and 97.5
    percentiles of the draws) and whether the targets identify it."""

    path: str
    label: str
    prior: tuple[float, float]
    median: float
    ci95: tuple[float, float]
    sd_ratio: float  # posterior sd / prior sd, in the scaled box
    identified: bool


@dataclass(frozen=True)
class TargetSummary:
    """A target, its observation sd, and the posterior predictive median and 95% interval
    of the figure; ``inside``: the documented value lies in it (for a bound: it can be met,
    and ``meets`` is the predictive chance that it is)."""

    observed: Observed
    median: float | None  # None when no draw approved anything
    ci95: tuple[float | None, float | None]
    inside: bool
    meets: float | None = None


@dataclass(frozen=True)
class Ridge:
    """Two parameters whose draws are rank-correlated: the targets fix a combination."""

    first: str
    second: str
    correlation: float


@dataclass(frozen=True)
class PosteriorFit:
    """A finished posterior calibration: the ``scenario`` with its draws recorded under
    ``calibration.posterior``, the ``posterior`` record, summaries per parameter and target,
    and the ridge pairs."""

    scenario: Scenario
    posterior: Posterior
    parameters: tuple[ParameterSummary, ...]
    targets: tuple[TargetSummary, ...]
    ridge: tuple[Ridge, ...]

    def to_dict(self) -> dict:
        """JSON-ready: ``posterior`` (per path: label, median, ci95, prior, identified),
        ``targets`` (per key), ``draws``, ``method``, ``seed``, ``diagnostics``, ``ridge``."""
        record = self.posterior
        return {
            "scenario": self.scenario.name, "method": record.method,
            "date": record.date.isoformat() if record.date else None, "seed": record.seed,
            "posterior": {p.path: {"label": p.label, "median": p.median, "ci95": list(p.ci95),
                                   "prior": list(p.prior), "sd_ratio": p.sd_ratio,
                                   "identified": p.identified} for p in self.parameters},
            "targets": {t.observed.key: _target_dict(t) for t in self.targets},
            "draws": {path: list(values) for path, values in record.draws.items()},
            "diagnostics": dict(record.diagnostics),
            "ridge": [_ridge_dict(r, self.parameters) for r in self.ridge],
        }


def _target_dict(summary: TargetSummary) -> dict:
    target = summary.observed
    return {"label": target.label, "value": target.value,
            "bound": "at_least" if target.at_least else "equal",
            "sd": None if target.sd is None else round(target.sd, 3),
            "sd_source": target.sd_source, "predictive_median": summary.median,
            "predictive_ci95": list(summary.ci95), "inside": summary.inside,
            "meets": summary.meets}


def _ridge_dict(ridge: Ridge, parameters: Sequence[ParameterSummary]) -> dict:
    labels = {p.path: p.label for p in parameters}
    return {"first": ridge.first, "second": ridge.second, "first_label": labels[ridge.first],
            "second_label": labels[ridge.second], "correlation": ridge.correlation}


@dataclass
class _Simulator:
    """Runs scaled points through the runner and reads the targets' figures."""

    scenario: Scenario
    parameters: list[FreeParameter]
    targets: list[FitTarget]
    seed: int
    executor: cf.Executor | None
    jobs: int | None
    progress: bool
    simulations: int = 0

    def __post_init__(self) -> None:
        self.parts = Figures.of(self.scenario, self.targets)

    def variant(self, values: Sequence[float]) -> Scenario:
        return self.scenario.variant(
            {p.path: value for p, value in zip(self.parameters, values, strict=True)})

    def values(self, point: np.ndarray) -> tuple[float, ...]:
        return tuple(p.value(u) for p, u in zip(self.parameters, point, strict=True))

    def summaries(self, variants: list[tuple[Scenario, range]],
                  desc: str) -> list[list[Replication]]:
        self.simulations += sum(len(numbers) for _, numbers in variants)
        return run(variants, replication_summary, self.seed, self.executor, self.jobs,
                   self.progress, desc=f"posterior {self.scenario.name}: {desc}")

    def figures(self, runs: list[list[Replication]]) -> tuple[np.ndarray, np.ndarray]:
        """(means, noise variances), points x targets, of each point's replications."""
        found = np.array([self.parts.read(reps) for reps in runs], dtype=float)
        return found.reshape(len(runs), 2, len(self.targets)).transpose(1, 0, 2)


def calibrate_posterior(
    scenario: Scenario, draws: int = 200, seed: int | None = None,
    executor: cf.Executor | None = None, jobs: int | None = None,
    progress: bool | None = None, budget: int | None = None,
) -> PosteriorFit:
    """Posterior draws of ``scenario.calibration.free`` given its targets (module docstring).

    ``seed`` (default ``calibration.seed``, else the scenario's) seeds the simulations and
    every random choice. ``executor`` / ``jobs`` as in
    :func:`simlib.experiments.results.replicate` (default: one local process pool).
    ``budget``: replications for all waves together (default 800 per free parameter; the
    predictive check adds 4 per draw). Raises :class:`CalibrationError` when it cannot run.
    """
    check_free(scenario)
    if not 2 <= draws <= MAX_DRAWS:
        raise CalibrationError(f"draws: give from 2 to {MAX_DRAWS:,}, got {draws:,}")
    targets = fit_targets(scenario)
    if not targets:
        raise CalibrationError("targets: nothing to calibrate to; give targets.<pathway>."
                               "mean_cycle_days (with sd_days) or calibration.sla")
    parameters = free_parameters(scenario)
    spec = scenario.calibration
    seed = seed if seed is not None else (spec.seed if spec.seed is not None else scenario.seed)
    replications, points = _plan(len(parameters), budget)
    rng = np.random.default_rng(seed)
    with local_pool(executor, jobs) as (pool, workers):
        simulator = _Simulator(scenario, parameters, targets, seed, pool, workers,
                               show_progress(progress))
        observed, waves, sizes = _history_match(simulator, rng, replications, points)
        region, acceptance, sampled = _region(rng, waves, len(parameters))
        chosen, ess = _resample(rng, waves[-1], region, draws, budget, simulator)
        values = [simulator.values(point) for point in chosen]
        checks = _predictive(simulator, rng, observed, values)
    diagnostics = {"ess": round(ess, 1), "acceptance": round(acceptance, 4),
                   "waves": len(waves), "simulations": simulator.simulations,
                   "replications": replications, "prior_points": sampled,
                   **{f"design_points_wave_{k}": n for k, n in enumerate(sizes, 1)}}
    return _fit(simulator, chosen, values, checks, seed, diagnostics)


def _plan(d: int, budget: int | None) -> tuple[int, int]:
    """(R, design points a wave) for ``d`` parameters within ``budget`` replications."""
    budget = BUDGET_PER_PARAMETER * d if budget is None else int(budget)
    low, high = REPLICATIONS
    replications = int(np.clip(budget // (MAX_WAVES * POINTS_PER_PARAMETER * d), low, high))
    points = budget // (MAX_WAVES * replications)
    if points < MIN_POINTS_PER_PARAMETER * d:
        needed = MAX_WAVES * low * MIN_POINTS_PER_PARAMETER * d
        raise CalibrationError(f"budget: {budget:,} replications give {points} design points "
                               f"a wave for {d} free parameters; give at least {needed:,}")
    return replications, points


def _history_match(simulator: _Simulator, rng: np.random.Generator, replications: int,
                   points: int) -> tuple[list[Observed], list[list[Emulator]], list]:
    """The waves' emulators (and the targets with their sds, and the design sizes)."""
    d, numbers = len(simulator.parameters), range(replications)
    waves: list[list[Emulator]] = []
    sizes: list[int] = []  # design points of each wave
    xs, ys, vs = np.empty((0, d)), np.empty((0, len(simulator.targets))), None
    acceptance, sample = 1.0, rng.random((PRIOR_SAMPLE, d))
    kept = np.ones(len(sample), dtype=bool)
    for wave in range(1, MAX_WAVES + 1):
        design_points = design(rng, d, points, waves)
        if len(design_points) == 0:
            break
        variants = [(simulator.variant(simulator.values(x)), numbers) for x in design_points]
        pilot = [(simulator.scenario, numbers)] if wave == 1 else []
        runs = simulator.summaries(pilot + variants, f"wave {wave}")
        if wave == 1:
            observed = observations(simulator.scenario, simulator.targets, runs.pop(0))
        means, noise = simulator.figures(runs)
        xs, ys = np.vstack([xs, design_points]), np.vstack([ys, means])
        vs = noise if vs is None else np.vstack([vs, noise])
        train = inside(waves, xs)
        waves.append([fit_emulator(o, xs[train], ys[train, j], vs[train, j],
                                   int(rng.integers(2**31 - 1)))
                      for j, o in enumerate(observed)])
        sizes.append(len(design_points))
        where = np.flatnonzero(kept)
        kept[where] = inside(waves[-1:], sample[where])
        shrunk, acceptance = 1.0 - kept.mean() / acceptance, kept.mean()
        if acceptance == 0:
            raise CalibrationError(out_of_reach(simulator.targets, ys))
        if wave > 1 and shrunk < SHRINK:
            break
    return observed, waves, sizes


def _region(rng: np.random.Generator, waves: list[list[Emulator]],
            d: int) -> tuple[np.ndarray, float, int]:
    """Non-implausible prior points (batches until enough), their share, the points drawn."""
    found, drawn = [], 0
    for _ in range(PRIOR_BATCHES):
        batch = rng.random((REGION_BATCH, d))
        found.append(batch[inside(waves, batch)])
        drawn += len(batch)
        if sum(len(part) for part in found) >= REGION_SAMPLE:
            break
    region = np.concatenate(found)
    return region, len(region) / drawn, drawn


def _resample(rng: np.random.Generator, wave: list[Emulator], region: np.ndarray,
              draws: int, budget: int | None, simulator: _Simulator) -> tuple[np.ndarray, float]:
    """``draws`` points of the region by systematic resampling of the likelihood weights,
    and the weights' effective sample size."""
    weights = np.zeros(len(region))
    if len(region):
        log_weights = sum(emulator.log_likelihood(region) for emulator in wave)
        weights = np.exp(log_weights - np.max(log_weights))
    ess = float(weights.sum() ** 2 / (weights**2).sum()) if len(region) else 0.0
    if ess < MIN_ESS:
        shown = budget or BUDGET_PER_PARAMETER * len(simulator.parameters)
        raise CalibrationError(f"posterior: effective sample size {ess:.1f}, below {MIN_ESS}: "
                               f"the emulators are too unsure; raise budget (now {shown:,} "
                               "replications)")
    positions = (rng.random() + np.arange(draws)) / draws
    index = np.searchsorted(np.cumsum(weights) / weights.sum(), positions)
    return region[np.minimum(index, len(region) - 1)], ess


def _predictive(simulator: _Simulator, rng: np.random.Generator, observed: list[Observed],
                values: list[tuple[float, ...]]) -> list[TargetSummary]:
    """Each draw simulated (replications of its own), observation noise added to the
    means: the predictive median and 95% interval of each target figure."""
    r = PREDICTIVE_REPLICATIONS
    variants = [(simulator.variant(v), range(i * r, (i + 1) * r)) for i, v in enumerate(values)]
    means, _ = simulator.figures(simulator.summaries(variants, "predictive check"))
    checks = []
    for j, target in enumerate(observed):
        figure = means[:, j] + rng.normal(0.0, target.sd or 0.0, size=len(values))
        figure = figure[np.isfinite(figure)]
        if not figure.size:
            checks.append(TargetSummary(target, None, (None, None), False))
            continue
        digits = 4 if target.at_least else 1
        low, median, high = (round(float(x), digits)
                             for x in np.percentile(figure, [2.5, 50.0, 97.5]))
        if target.at_least:
            meets, fits = round(float(np.mean(figure >= target.value)), 3), high >= target.value
        else:
            meets, fits = None, low <= target.value <= high
        checks.append(TargetSummary(target, median, (low, high), fits, meets))
    return checks


def _fit(simulator: _Simulator, chosen: np.ndarray, values: list[tuple[float, ...]],
         checks: list[TargetSummary], seed: int, diagnostics: dict) -> PosteriorFit:
    """The :class:`PosteriorFit` of the resampled draws."""
    parameters = simulator.parameters
    posterior = Posterior(
        method=f"history matching (GP emulator, {diagnostics['waves']} waves) + "
               "importance sampling",
        date=dt.date.today(), seed=seed, simlib_version=__version__,
        draws={p.path: tuple(v[j] for v in values) for j, p in enumerate(parameters)},
        prior={p.path: (p.low, p.high) for p in parameters},
        diagnostics={key: float(value) for key, value in diagnostics.items()},
    )
    scenario = simulator.scenario.variant(
        {"calibration.posterior": posterior.model_dump(mode="json")})
    summaries = tuple(_parameter(simulator.scenario, p, chosen[:, j],
                                 posterior.draws[p.path]) for j, p in enumerate(parameters))
    return PosteriorFit(scenario, posterior, summaries, tuple(checks),
                        _ridge(parameters, chosen))


def _parameter(scenario: Scenario, parameter: FreeParameter, scaled: np.ndarray,
               values: tuple[float, ...]) -> ParameterSummary:
    notes = {a.path: note_words(a.note) for a in scenario.assumptions}
    low, median, high = np.percentile(values, [2.5, 50.0, 97.5])
    ratio = float(np.std(scaled) / PRIOR_SD)
    digits = parameter.decimals
    return ParameterSummary(
        parameter.path, notes.get(parameter.path) or parameter.path,
        (parameter.low, parameter.high), round(float(median), digits),
        (round(float(low), digits), round(float(high), digits)), round(ratio, 3),
        ratio <= IDENTIFIED)


def _ridge(parameters: Sequence[FreeParameter], chosen: np.ndarray) -> tuple[Ridge, ...]:
    """Pairs of parameters whose draws have |Spearman correlation| >= :data:`RIDGE`."""
    pairs = []
    for a, b in itertools.combinations(range(len(parameters)), 2):
        if np.ptp(chosen[:, a]) == 0 or np.ptp(chosen[:, b]) == 0:
            continue
        rho = float(stats.spearmanr(chosen[:, a], chosen[:, b]).statistic)
        if abs(rho) >= RIDGE:
            pairs.append(Ridge(parameters[a].path, parameters[b].path, round(rho, 2)))
    return tuple(sorted(pairs, key=lambda pair: -abs(pair.correlation)))

