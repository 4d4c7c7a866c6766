"""The paired difference of two pooled means over the same replications (common random
numbers).

Replication ``k`` of both sides shares its random numbers, so the difference of the pooled
means ``R_alt - R_base`` has the linearised residuals ``e_alt_k - e_base_k`` (see
:mod:`simlib.statistics._ratio`), whose spread gives its variance; the shared noise
cancels. Reference: Law (2015), *Simulation Modeling and Analysis*, 5th ed., section 10.2
(the paired-t confidence interval) and section 11.2 (common random numbers).
"""

from __future__ import annotations

import math

import numpy as np

from simlib.statistics._intervals import t_half_width
from simlib.statistics._ratio import ratio_residuals, ratio_variance

Totals = tuple[np.ndarray, np.ndarray]  # (sums, counts) per replication


def paired_difference(base: Totals, alt: Totals) -> tuple[np.ndarray, np.ndarray]:
    """(difference, its variance) of pooled means, ``alt`` minus ``base``; each side is
    (sums, counts) per replication, paired by position along the last axis. Units: the
    values' and their square; NaN when a side counted nothing (variance: under 2
    replications)."""
    base_mean, base_residuals = ratio_residuals(*base)
    alt_mean, alt_residuals = ratio_residuals(*alt)
    return alt_mean - base_mean, ratio_variance(alt_residuals - base_residuals)


def paired_mean_difference(base: Totals, alt: Totals,
                           level: float = 0.95) -> tuple[float, float, float]:
    """(difference, low, high): ``alt`` minus ``base`` pooled mean (the values' units) and
    its ``level`` paired t interval on n - 1 degrees of freedom; NaN bounds with fewer than
    2 replications or no values."""
    difference, variance = paired_difference(base, alt)
    difference = float(difference)
    replications = len(base[0])
    if replications < 2 or not math.isfinite(difference):
        return difference, math.nan, math.nan
    half = float(t_half_width(variance, replications, level))
    return difference, difference - half, difference + half
