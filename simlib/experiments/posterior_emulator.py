"""Gaussian-process emulators of the simulated target figures, for history matching
(:mod:`simlib.experiments.posterior`).

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

CUTOFF = 3.0  # implausibility above which a point is ruled out
RESTARTS = 2  # extra starts of the kernel's hyperparameter search
CANDIDATES = 20_000  # Latin hypercube candidates per try when designing inside the region
CANDIDATE_TRIES = 5  # tries (each CANDIDATES points) to find enough design points
SUBSETS = 40  # random subsets compared for the maximin design
PREDICT_CHUNK = 20_000  # points per prediction call (memory stays small)


@dataclass(frozen=True)
class Observed:
    """A target as the posterior sees it: ``key``, ``value`` (days or a share),
    ``at_least`` (a bound), ``sd`` (the observation sd of an equal-target; 0 for a bound)."""

    key: str
    value: float
    at_least: bool
    sd: float


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
        return np.sqrt(variance + self.noise_var + self.target.sd**2)

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
