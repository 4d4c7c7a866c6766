"""Student t intervals: the quantile, the half-width of a mean whose variance is known from
``n`` replications, and the classical interval of a sample mean.

Reference: Student (1908), "The probable error of a mean", Biometrika 6(1), 1-25; any
textbook, e.g. Law (2015), *Simulation Modeling and Analysis*, 5th ed., section 4.5.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special


def t_quantile(probability: float, degrees: float | np.ndarray) -> float | np.ndarray:
    """The ``probability`` quantile of Student's t with ``degrees`` degrees of freedom
    (as ``scipy.stats.t.ppf``; NaN for fewer than 1 degree)."""
    return special.stdtrit(degrees, probability)


def t_half_width(variance: float | np.ndarray, replications: int,
                 level: float = 0.95) -> float | np.ndarray:
    """Half-width of the two-sided ``level`` interval of an estimate whose variance is
    ``variance``, estimated from ``replications`` independent replications (t on
    ``replications - 1`` degrees of freedom); in the estimate's units, NaN under 2."""
    if replications < 2:
        return np.full(np.shape(variance), math.nan)[()]
    return t_quantile(0.5 + level / 2.0, replications - 1.0) * np.sqrt(variance)


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """(low, high): the ``level`` t interval of the mean of ``values``,
    ``mean +- t(n - 1) s / sqrt(n)`` (``s``: sample standard deviation); in the values'
    units, NaN under 2 values."""
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        return math.nan, math.nan
    half = (t_quantile(0.5 + level / 2.0, values.size - 1) * values.std(ddof=1)
            / np.sqrt(values.size))
    mean = values.mean()
    return float(mean - half), float(mean + half)
