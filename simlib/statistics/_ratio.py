"""The ratio estimator: a mean pooled over replications and its variance.

A replication ``k`` gives a sum ``S_k`` of values (e.g. cycle days of approved proposals)
and their number ``N_k``. The pooled mean is ``R = sum_k S_k / sum_k N_k``. Values within a
replication share its queues, so the variance comes from the spread *between*
replications, through the linearised residuals ``e_k = (S_k - R N_k) / Nbar`` (``Nbar``:
the mean count): ``Var(R) ~ sum_k e_k^2 / ((n - 1) n)`` over ``n`` replications, those
without values counting as zero residuals. Reference: Cochran (1977), *Sampling
Techniques*, 3rd ed., section 6.4 (the ratio estimator and its variance); for simulation
output, Law (2015), *Simulation Modeling and Analysis*, 5th ed., section 9.5.

Every function works along the last axis, so a (draws x replications) array gives one
estimate per draw.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from simlib.statistics._intervals import t_half_width


def ratio_residuals(sums: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pooled mean, linearised residuals ``e_k``) of per-replication ``sums`` and
    ``counts`` (last axis: replications). The mean is in the values' units (NaN when
    nothing was counted); the residuals are in the same units, one per replication."""
    sums, counts = np.asarray(sums, dtype=float), np.asarray(counts, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sums.sum(axis=-1) / counts.sum(axis=-1)
        residuals = ((sums - np.expand_dims(mean, -1) * counts)
                     / counts.mean(axis=-1, keepdims=True))
    return mean, residuals


def ratio_variance(residuals: np.ndarray) -> np.ndarray:
    """Variance of the pooled mean from its linearised residuals (last axis:
    replications), ``sum e_k^2 / ((n - 1) n)``, in squared units; NaN under 2."""
    residuals = np.asarray(residuals, dtype=float)
    replications = residuals.shape[-1]
    if replications < 2:
        return np.full(residuals.shape[:-1], math.nan)[()]
    with np.errstate(invalid="ignore"):
        return (residuals**2).sum(axis=-1) / (replications - 1) / replications


def ratio_estimate(sums: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pooled mean, its variance) of per-replication ``sums`` and ``counts`` (see
    :func:`ratio_residuals` and :func:`ratio_variance`)."""
    mean, residuals = ratio_residuals(sums, counts)
    return mean, ratio_variance(residuals)


def ratio_interval(
    totals: pd.DataFrame, by: str, replications: int, level: float = 0.95
) -> pd.DataFrame:
    """The ``level`` interval of each group's pooled mean, from per-replication ``sum`` and
    ``count`` columns indexed by (``by``, replication).

    Each group's replications are taken in index order, and the replications it lacks (up
    to ``replications``) count as zero sums and counts. Returns columns mean, low, high
    (the values' units; NaN bounds with fewer than 2 replications), indexed by group in
    order of first appearance.
    """
    rows = {}
    for name, part in totals.groupby(level=by, sort=False):
        missing = replications - len(part)
        if missing < 0:
            raise ValueError(f"{by} {name!r}: {len(part)} replications, more than "
                             f"the {replications} given")
        sums = np.concatenate([part["sum"].to_numpy(dtype=float), np.zeros(missing)])
        counts = np.concatenate([part["count"].to_numpy(dtype=float), np.zeros(missing)])
        mean, variance = ratio_estimate(sums, counts)
        half = t_half_width(variance, replications, level)
        rows[name] = (mean, mean - half, mean + half)
    index = pd.Index(list(rows), name=by)
    return pd.DataFrame(list(rows.values()), index=index, columns=["mean", "low", "high"],
                        dtype=float)
