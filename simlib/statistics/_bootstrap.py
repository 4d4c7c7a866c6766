"""The pooled quantile of resampled replications, and the paired bootstrap interval of a
difference of two such quantiles.

Values within a replication are not independent (they share its queues), so the bootstrap
resamples whole replications with replacement: a resample is a weight per replication (how
often it is drawn), and its pooled quantile is the quantile of every value repeated by its
replication's weight, with linear interpolation (``numpy.quantile``'s default, Hyndman &
Fan 1996 type 7). Paired: both sides use the same resamples, and the percentile interval of
the differences is taken. Reference: Efron & Tibshirani (1993), *An Introduction to the
Bootstrap*, chapter 13 (percentile intervals); Davison & Hinkley (1997), *Bootstrap Methods
and their Application*, section 3.8 (resampling whole clusters).
"""

from __future__ import annotations

import math

import numpy as np

BLOCK_CELLS = 2_000_000  # resamples x values worked on at once (bounds memory)


def draw_weights(draws: np.ndarray, replications: int) -> np.ndarray:
    """How often each of ``replications`` replications is drawn in each row of ``draws``
    (resamples x draws, replication numbers): resamples x replications whole numbers."""
    draws = np.asarray(draws, dtype=np.int64)
    offsets = np.arange(len(draws))[:, None] * replications
    counted = np.bincount((draws + offsets).ravel(), minlength=len(draws) * replications)
    return counted.reshape(len(draws), replications)


def pooled_quantiles(values: np.ndarray, replication: np.ndarray, weights: np.ndarray,
                     q: float = 0.9) -> np.ndarray:
    """For each row of ``weights`` (resamples x replications, whole numbers): the ``q``
    quantile of ``values`` each repeated by the weight of its replication (``replication``:
    a number 0..replications-1 per value), i.e. ``np.quantile`` of the pooled values of
    the drawn replications; the values' units, NaN where a resample holds no value."""
    values = np.asarray(values, dtype=float)
    weights = np.asarray(weights)
    if not values.size or not len(weights):
        return np.full(len(weights), math.nan)
    order = np.argsort(values, kind="stable")
    values, owner = values[order], np.asarray(replication, dtype=np.int64)[order]
    rows = max(1, BLOCK_CELLS // values.size)
    return np.concatenate([_quantiles(values, owner, weights[start:start + rows], q)
                           for start in range(0, len(weights), rows)])


def _quantiles(values: np.ndarray, owner: np.ndarray, weights: np.ndarray,
               q: float) -> np.ndarray:
    """:func:`pooled_quantiles` of sorted ``values`` for a block of resamples: the order
    statistics found from the cumulative weights."""
    cumulative = np.cumsum(weights[:, owner], axis=1)
    last = np.maximum(cumulative[:, -1] - 1, 0)  # position of the largest drawn value
    position = q * last
    below = np.floor(position)
    low = np.minimum((cumulative <= below[:, None]).sum(axis=1), values.size - 1)
    high = np.minimum((cumulative <= np.minimum(below + 1, last)[:, None]).sum(axis=1),
                      values.size - 1)
    result = values[low] + (position - below) * (values[high] - values[low])
    return np.where(cumulative[:, -1] > 0, result, math.nan)


Side = tuple[np.ndarray, np.ndarray]  # (values, replication number of each value)


def paired_quantile_interval(base: Side, alt: Side, weights: np.ndarray, q: float = 0.9,
                             level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of ``quantile(alt) - quantile(base)`` (the values'
    units) over the resamples ``weights`` (see :func:`pooled_quantiles`), the same for both
    sides; NaN when no resample has values on both sides."""
    differences = pooled_quantiles(*alt, weights, q) - pooled_quantiles(*base, weights, q)
    if np.isnan(differences).all():
        return math.nan, math.nan
    tail = 100.0 * (1.0 - level) / 2.0
    low, high = np.nanpercentile(differences, [tail, 100.0 - tail])
    return float(low), float(high)
