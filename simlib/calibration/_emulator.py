"""Gaussian-process emulators of the simulated target figures, for history matching
(:mod:`simlib.calibration._posterior`), and the figures they emulate.

Each target's figure is read from replication summaries (:class:`Figures`): a pathway's
mean cycle days, or a body's share of first responses within its promise, pooled over the
replications with its variance (the ratio estimator,
:func:`simlib.statistics.ratio_estimate`). Each equal-target gets an observation sd
(:func:`observations`): ``sd_days`` when given, else the sd of cycle days of a pilot run
over sqrt(n), n = the pathway's proposals a year x ``covers_years`` (default 3).

An emulator stands in for the simulator: fitted to the target figure simulated at a few
dozen design points (each the mean of R replications with common random numbers), it
predicts the figure anywhere in the scaled parameter box [0, 1]^d with an uncertainty. It
is scikit-learn's ``GaussianProcessRegressor`` with the kernel ``C x RBF + White`` (one
length scale per parameter, so a parameter the figure ignores gets a long one, and a white
term for the simulation noise left in the design means), ``normalize_y=True``, seeded.

:meth:`Emulator.predict` gives the mean and the variance of the figure's *expected* value
(the white term taken out). The implausibility of a point for an equal-target is

    I(x) = |mu(x) - z| / sqrt(emulator variance + observation sd^2 + noise variance)

(Vernon, Goldstein & Bower 2010), where the noise variance is the mean over the design of
the replications' spread / R; for a bound ("at least z") only a shortfall counts and there
is no observation sd. A point is non-implausible when every target of every wave has
I < :data:`CUTOFF` (3, Pukelsheim's three-sigma rule). :func:`design` picks the next wave's
design points inside that region: Latin hypercube candidates (scipy's ``LatinHypercube``)
kept by rejection, and the most spread-out (maximin) of several random subsets of them.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.stats import qmc
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

from simlib.calibration._point import FitTarget
from simlib.errors import CalibrationError
from simlib.metrics.events import step_labels
from simlib.metrics.summary import Replication
from simlib.scenario import Scenario
from simlib.statistics import ratio_estimate

CUTOFF = 3.0  # implausibility above which a point is ruled out
RESTARTS = 2  # extra starts of the kernel's hyperparameter search
CANDIDATES = 20_000  # Latin hypercube candidates per try when designing inside the region
CANDIDATE_TRIES = 5  # tries (each CANDIDATES points) to find enough design points
SUBSETS = 40  # random subsets compared for the maximin design
PREDICT_CHUNK = 20_000  # points per prediction call (memory stays small)
COVERS_YEARS = 3.0  # years of proposals a documented mean covers when the target says not


@dataclass(frozen=True)
class Observed:
    """A target as the posterior sees it: ``key`` and ``label`` (as
    :class:`~simlib.calibration._point.FitTarget`), ``value`` (days or a share),
    ``at_least`` (a bound), ``sd`` (the observation sd of an equal-target, days; None for a
    bound) and ``sd_source`` (where that sd comes from, in words)."""

    key: str
    label: str
    value: float
    at_least: bool
    sd: float | None
    sd_source: str

    @property
    def variance(self) -> float:
        """The observation variance (0 for a bound)."""
        return (self.sd or 0.0) ** 2


def observations(scenario: Scenario, targets: Sequence[FitTarget],
                 pilot: Sequence[Replication]) -> list[Observed]:
    """Each target with its observation sd: given (``sd_days``), derived from ``pilot`` (the
    replications of a run at the scenario's values), or none (a bound)."""
    found = []
    for target in targets:
        if target.at_least:
            found.append(Observed(target.key, target.label, target.value, True, None,
                                  f"a bound: at least {target.value:g}"))
            continue
        pathway = target.key.split(".")[1]
        given = scenario.targets[pathway].sd_days
        if given is not None:
            sd, source = float(given), f"given: targets.{pathway}.sd_days"
        else:
            number = list(scenario.pathways).index(pathway)
            days = np.concatenate([rep.approved_days(number) for rep in pilot])
            sd, source = _derived(scenario, pathway, days)
        found.append(Observed(target.key, target.label, target.value, False, sd, source))
    return found


def _derived(scenario: Scenario, pathway: str, days: np.ndarray) -> tuple[float, str]:
    """The sd of a documented mean of n proposals, sd of cycle days / sqrt(n), in words."""
    demand = scenario.demand.get(pathway)
    per_year = demand.per_year if demand else 0.0
    covers = scenario.targets[pathway].covers_years
    years = COVERS_YEARS if covers is None else float(covers)
    n = per_year * years
    if n < 1 or len(days) < 2:
        raise CalibrationError(f"targets.{pathway}.sd_days: cannot derive it (too few "
                               "proposals); give sd_days, the standard error of the mean")
    spread = float(np.std(days, ddof=1))
    default = f"; covers_years not given, {years:g} assumed" if covers is None else ""
    return spread / np.sqrt(n), (f"derived: {n:g} proposals ({per_year:g} a year over "
                                 f"{years:g} years{default}), sd of cycle days {spread:.0f}")


@dataclass(frozen=True)
class Figures:
    """Where each target's figure is in a replication summary: a pathway number (cycle
    days) or a mask of the steps with a promise at the body (first responses)."""

    pathways: tuple[int | None, ...]
    steps: tuple[np.ndarray | None, ...]

    @classmethod
    def of(cls, scenario: Scenario, targets: Sequence[FitTarget]) -> Figures:
        """Where the ``targets`` of ``scenario`` (and of its variants) are."""
        labels = step_labels(scenario)
        names = list(scenario.pathways)
        pathways, steps = [], []
        for target in targets:
            parts = target.key.split(".")  # targets.<pathway>... or calibration.sla.<body>...
            pathways.append(None if target.at_least else names.index(parts[1]))
            steps.append(((labels["body"] == parts[2]) & labels["sla_days"].notna()).to_numpy()
                         if target.at_least else None)
        return cls(tuple(pathways), tuple(steps))

    def read(self, reps: Sequence[Replication]) -> tuple[np.ndarray, np.ndarray]:
        """(mean, variance of the mean) of each target over ``reps``."""
        found = np.array([ratio_estimate(*self._totals(reps, j)) for j in range(len(self.steps))],
                         dtype=float).reshape(len(self.steps), 2)
        return found[:, 0], found[:, 1]

    def _totals(self, reps: Sequence[Replication], j: int) -> tuple[np.ndarray, np.ndarray]:
        """Per replication: (sum, count) of target ``j``'s values."""
        if self.steps[j] is not None:
            sla = np.array([rep.sla[self.steps[j]].sum(axis=0) for rep in reps], dtype=float)
            return sla[:, 1], sla[:, 0]
        days = [rep.approved_days(self.pathways[j]) for rep in reps]
        return (np.array([d.sum() for d in days]), np.array([len(d) for d in days], float))


@dataclass(frozen=True, eq=False)
class Emulator:
    """A fitted GP for one target, with the mean noise variance of its design means."""

    target: Observed
    gp: GaussianProcessRegressor
    y_scale: float
    noise_var: float

    def predict(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(mean, variance) of the expected figure at scaled ``points`` (n x d)."""
        means, variances = [], []
        white = self.gp.kernel_.k2.noise_level * self.y_scale**2
        for start in range(0, len(points), PREDICT_CHUNK):
            mean, std = self.gp.predict(points[start:start + PREDICT_CHUNK], return_std=True)
            means.append(mean)
            variances.append(np.maximum(std**2 - white, 0.0))
        return np.concatenate(means), np.concatenate(variances)

    def spread(self, variance: np.ndarray) -> np.ndarray:
        """The sd that compares a prediction with the target: emulator, noise, observation."""
        return np.sqrt(variance + self.noise_var + self.target.variance)

    def implausibility(self, points: np.ndarray) -> np.ndarray:
        """I(x) of each point (for a bound, only a shortfall counts)."""
        mean, variance = self.predict(points)
        gap = self.target.value - mean
        gap = np.maximum(gap, 0.0) if self.target.at_least else np.abs(gap)
        return gap / self.spread(variance)

    def log_likelihood(self, points: np.ndarray) -> np.ndarray:
        """Log of the target's likelihood factor: Gaussian for an equal-target, the soft
        bound Phi((share - bound) / s) for a bound."""
        mean, variance = self.predict(points)
        scale = self.spread(variance)
        if self.target.at_least:
            return stats.norm.logcdf((mean - self.target.value) / scale)
        return stats.norm.logpdf(self.target.value, loc=mean, scale=scale)


def fit_emulator(target: Observed, points: np.ndarray, means: np.ndarray,
                 noise: np.ndarray, seed: int) -> Emulator:
    """The GP of ``means`` (one per design point, NaN ones left out) at scaled ``points``."""
    kept = np.isfinite(means)
    x, y = points[kept], means[kept]
    d = points.shape[1]
    kernel = (ConstantKernel(1.0, (1e-3, 1e3))
              * RBF(np.full(d, 0.5), length_scale_bounds=(1e-2, 1e2))
              + WhiteKernel(1e-2, noise_level_bounds=(1e-8, 1.0)))
    gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=RESTARTS,
                                  random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        gp.fit(x, y)
    scale = float(np.std(y)) or 1.0  # as normalize_y scales the figures
    return Emulator(target, gp, scale, float(np.mean(noise[kept])))


def implausibility(waves: Sequence[Sequence[Emulator]], points: np.ndarray) -> np.ndarray:
    """The largest implausibility of each point over every target of every wave."""
    worst = np.zeros(len(points))
    for wave in waves:
        for emulator in wave:
            worst = np.maximum(worst, emulator.implausibility(points))
    return worst


def inside(waves: Sequence[Sequence[Emulator]], points: np.ndarray) -> np.ndarray:
    """Which points are non-implausible under every wave (True when there is no wave)."""
    keep = np.ones(len(points), dtype=bool)
    for wave in waves:
        for emulator in wave:
            where = np.flatnonzero(keep)
            if where.size:
                keep[where] = emulator.implausibility(points[where]) < CUTOFF
    return keep


def design(rng: np.random.Generator, d: int, n: int,
           waves: Sequence[Sequence[Emulator]]) -> np.ndarray:
    """``n`` design points in the non-implausible region of ``waves`` (the whole box when
    there is none): a Latin hypercube, or the maximin subset of region candidates (fewer
    than ``n`` when the region is very small; none when it is empty)."""
    if not waves:
        return qmc.LatinHypercube(d, seed=rng).random(n)
    found: list[np.ndarray] = []
    for _ in range(CANDIDATE_TRIES):
        candidates = qmc.LatinHypercube(d, seed=rng).random(CANDIDATES)
        found.append(candidates[inside(waves, candidates)])
        if sum(len(part) for part in found) >= 5 * n:
            break
    pool = np.concatenate(found)
    if len(pool) <= n:
        return pool
    return _maximin(rng, pool, n)


def _maximin(rng: np.random.Generator, pool: np.ndarray, n: int) -> np.ndarray:
    """Of :data:`SUBSETS` random ``n``-point subsets of ``pool``, the one whose closest two
    points are farthest apart."""
    best, best_gap = pool[:n], -1.0
    for _ in range(SUBSETS):
        subset = pool[rng.choice(len(pool), size=n, replace=False)]
        gaps = np.linalg.norm(subset[:, None, :] - subset[None, :, :], axis=-1)
        gap = float(np.min(gaps[np.triu_indices(n, k=1)]))
        if gap > best_gap:
            best, best_gap = subset, gap
    return best


def out_of_reach(targets: Sequence[FitTarget], simulated: np.ndarray) -> str:
    """The message when no point of the prior is non-implausible (``simulated``: the
    design's figures, points x targets)."""
    ranges = "; ".join(f"{t.key} is {t.value:g}, simulated {np.nanmin(simulated[:, j]):.3g} "
                       f"to {np.nanmax(simulated[:, j]):.3g}" for j, t in enumerate(targets))
    return ("the targets cannot be met inside the assumption ranges: widen the ranges "
            f"(assumptions low/high) of calibration.free or check the targets ({ranges})")
