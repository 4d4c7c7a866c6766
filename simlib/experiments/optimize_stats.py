"""Evidence about a configuration's metric: estimates, standard errors, confidence bounds.

The metric is the pooled ``mean`` or ``p90`` of days from submission to approval over all
replications (as ``mcsim run``). Its standard error comes from the spread between whole
replications, because proposals within a replication share queues and meetings:

- mean: the ratio estimator of :func:`simlib.metrics.statistics.ratio_interval`, written as
  per-replication linearised values ``m + (sum_k - m count_k) / mean count``, whose
  standard deviation / sqrt(R) is the standard error (the same 95% CI as ``mcsim run``);
- p90: a bootstrap over replications: :data:`BOOTSTRAP_RESAMPLES` resamples of whole
  replications, the pooled P90 of each; their standard deviation is the standard error.
  The resamples depend only on the seed and R, so every configuration uses the same ones
  and paired differences keep the common-random-numbers pairing.

Bounds are ``point +- t(confidence, R - 1) x standard error``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from simlib.engine.randomness import generator

BOOTSTRAP_RESAMPLES = 1000  # resamples of whole replications for the P90's standard error


@dataclass(frozen=True, eq=False)
class Evidence:
    """What R replications say about one configuration's metric, in days.

    ``point``: the estimate; ``spread``: values whose standard deviation times ``scale`` is
    the standard error (per-replication linearised values for the mean, with scale
    1 / sqrt(R); bootstrap replicates for the P90, with scale 1).
    """

    point: float
    spread: np.ndarray
    scale: float
    replications: int

    @property
    def standard_error(self) -> float:
        """Standard error of ``point`` (days); bootstrap resamples without any approved
        proposal are left out; NaN with fewer than two values."""
        finite = self.spread[np.isfinite(self.spread)]
        return float(np.std(finite, ddof=1) * self.scale) if finite.size > 1 else math.nan

    def bound(self, confidence: float, upper: bool = True) -> float:
        """One-sided confidence bound (days): Student t on R - 1 degrees of freedom."""
        quantile = stats.t.ppf(confidence, self.replications - 1)
        sign = 1.0 if upper else -1.0
        return float(self.point + sign * quantile * self.standard_error)

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Two-sided confidence interval (days) at ``level``."""
        one_sided = 0.5 + level / 2.0
        return self.bound(one_sided, upper=False), self.bound(one_sided)

    def minus(self, other: Evidence) -> Evidence:
        """The paired (CRN) difference ``self - other``; both need the same replications."""
        if other.replications != self.replications:
            raise ValueError("paired differences need the same replications")
        return Evidence(self.point - other.point, self.spread - other.spread, self.scale,
                        self.replications)


def measure(cycle_days: Sequence[np.ndarray], metric: str, seed: int) -> Evidence:
    """Evidence about ``metric`` (``mean`` or ``p90``, days) from per-replication arrays of
    cycle days; the P90's bootstrap is seeded by ``seed`` and the number of replications."""
    count = len(cycle_days)
    if metric == "mean":
        sums = np.array([float(np.sum(days)) for days in cycle_days])
        counts = np.array([len(days) for days in cycle_days], dtype=float)
        if counts.sum() == 0:
            return Evidence(math.nan, np.full(count, math.nan), 1.0, count)
        mean = sums.sum() / counts.sum()
        linearised = mean + (sums - mean * counts) / counts.mean()
        return Evidence(float(mean), linearised, 1.0 / math.sqrt(count), count)
    pooled = np.concatenate(cycle_days)
    if pooled.size == 0:
        return Evidence(math.nan, np.full(2, math.nan), 1.0, count)
    draws = generator(seed, count, "optimize.bootstrap").integers(
        0, count, size=(BOOTSTRAP_RESAMPLES, count))
    blocks = range(0, BOOTSTRAP_RESAMPLES, 100)  # bounds memory: 100 x (values) at a time
    replicates = np.concatenate([pooled_p90s(cycle_days, draws[i:i + 100]) for i in blocks])
    return Evidence(float(np.quantile(pooled, 0.9)), replicates, 1.0, count)


def pooled_p90s(cycle_days: Sequence[np.ndarray], draws: np.ndarray) -> np.ndarray:
    """For each row of ``draws`` (replication numbers, with repeats): the P90 (days; linear
    interpolation as numpy and pandas) of the pooled values of those replications, i.e.
    ``np.quantile(np.concatenate([cycle_days[k] for k in row]), 0.9)``, NaN if empty.

    Vectorised: the pooled values sorted once, each replication weighted by how often a row
    draws it; the order statistics are found from the cumulative weights.
    """
    count = len(cycle_days)
    values = np.concatenate(cycle_days)
    if not values.size:
        return np.full(len(draws), math.nan)
    owner = np.repeat(np.arange(count), [len(days) for days in cycle_days])
    order = np.argsort(values, kind="stable")
    values, owner = values[order], owner[order]
    offsets = np.arange(len(draws))[:, None] * count
    weights = np.bincount((draws + offsets).ravel(), minlength=draws.size).reshape(draws.shape)
    cumulative = np.cumsum(weights[:, owner], axis=1)
    last = np.maximum(cumulative[:, -1] - 1, 0)  # position of the largest drawn value
    position = 0.9 * last
    below = np.floor(position)
    low = np.minimum((cumulative <= below[:, None]).sum(axis=1), values.size - 1)
    high = np.minimum((cumulative <= np.minimum(below + 1, last)[:, None]).sum(axis=1),
                      values.size - 1)
    result = values[low] + (position - below) * (values[high] - values[low])
    return np.where(cumulative[:, -1] > 0, result, math.nan)


def interval_method(metric: str) -> str:
    """How the confidence bounds of ``metric`` are computed, in one sentence."""
    if metric == "mean":
        return ("pooled mean of approved proposals; standard error from the spread between "
                "replications (ratio estimator, as mcsim run); Student t, R-1 df")
    return (f"pooled P90 of approved proposals; standard error from a bootstrap over whole "
            f"replications ({BOOTSTRAP_RESAMPLES} resamples, the same for every "
            f"configuration); Student t, R-1 df")
