"""Evidence about a configuration's metric: estimates, standard errors, confidence bounds.

The metric is the pooled ``mean`` or ``p90`` of days from submission to approval over all
replications (as ``mcsim run``). Its standard error comes from the spread between whole
replications, because proposals within a replication share queues and meetings:

- mean: the ratio estimator (:func:`simlib.statistics.ratio_residuals`), written as
  per-replication linearised values ``m + (sum_k - m count_k) / mean count``, whose
  standard deviation / sqrt(R) is the standard error (the same 95% CI as ``mcsim run``);
- p90: a bootstrap over replications: :data:`BOOTSTRAP_RESAMPLES` resamples of whole
  replications, the pooled P90 of each (:func:`simlib.statistics.pooled_quantiles`); their
  standard deviation is the standard error.
  The resamples depend only on the seed and R, so every configuration uses the same ones
  and paired differences keep the common-random-numbers pairing.

Bounds are ``point +- t(confidence, R - 1) x standard error``. A per-replication figure
(faculty hours a year) is a plain mean over replications (:func:`mean_evidence`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simlib.engine.randomness import generator
from simlib.statistics import draw_weights, pooled_quantiles, ratio_residuals, t_quantile

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
        quantile = t_quantile(confidence, self.replications - 1)
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
        mean, residuals = ratio_residuals(sums, counts)
        return Evidence(float(mean), mean + residuals, 1.0 / math.sqrt(count), count)
    pooled = np.concatenate(cycle_days)
    if pooled.size == 0:
        return Evidence(math.nan, np.full(2, math.nan), 1.0, count)
    draws = generator(seed, count, "optimize.bootstrap").integers(
        0, count, size=(BOOTSTRAP_RESAMPLES, count))
    owner = np.repeat(np.arange(count), [len(days) for days in cycle_days])
    replicates = pooled_quantiles(pooled, owner, draw_weights(draws, count), 0.9)
    return Evidence(float(np.quantile(pooled, 0.9)), replicates, 1.0, count)


def mean_evidence(values: Sequence[float]) -> Evidence:
    """Evidence about the mean of one value per replication (e.g. faculty hours a year):
    its standard error is their standard deviation / sqrt(R); paired differences keep
    the common-random-numbers pairing."""
    values = np.asarray(values, float)
    return Evidence(float(values.mean()), values, 1.0 / math.sqrt(values.size), values.size)


def interval_method(metric: str) -> str:
    """How the confidence bounds of ``metric`` are computed, in one sentence."""
    if metric == "mean":
        return ("pooled mean of approved proposals; standard error from the spread between "
                "replications (ratio estimator, as mcsim run); Student t, R-1 df")
    return (f"pooled P90 of approved proposals; standard error from a bootstrap over whole "
            f"replications ({BOOTSTRAP_RESAMPLES} resamples, the same for every "
            f"configuration); Student t, R-1 df")
