"""How precise a pooled mean is after each number of replications: the widths that the
replication-count rule of Hoad, Robinson & Davies (2010) watches.

Reference: Hoad, Robinson & Davies (2010), "Automated selection of the number of
replications for a discrete-event simulation", Journal of the Operational Research Society
61(11), 1632-1644 (the relative precision ``d_n``: the confidence interval's half-width
over the mean).
"""

from __future__ import annotations

import numpy as np

from simlib.statistics._intervals import t_half_width
from simlib.statistics._ratio import ratio_estimate


def relative_half_widths(sums: np.ndarray, counts: np.ndarray, level: float = 0.95) -> np.ndarray:
    """``d[m - 1, j]``: half-width of the ``level`` interval of the pooled mean of output
    ``j`` (:func:`~simlib.statistics.ratio_estimate`) from the first ``m`` replications,
    as a fraction of that mean; NaN for ``m = 1`` or no values yet.

    ``sums`` and ``counts``: arrays (replications x outputs) of per-replication totals.
    """
    sums = np.ascontiguousarray(np.asarray(sums, dtype=float).T)
    counts = np.ascontiguousarray(np.asarray(counts, dtype=float).T)
    widths = np.full((sums.shape[1], sums.shape[0]), np.nan)
    for m in range(2, sums.shape[1] + 1):
        mean, variance = ratio_estimate(sums[:, :m], counts[:, :m])
        half = t_half_width(variance, m, level)
        with np.errstate(invalid="ignore", divide="ignore"):
            widths[m - 1] = np.where(half == 0.0, 0.0, half / np.abs(mean))
    return widths
