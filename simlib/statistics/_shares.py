"""Intervals of a share (a proportion): the Wilson score interval, and the share of hits
over replications whose copies are not independent.

References: Wilson (1927), "Probable inference, the law of succession, and statistical
inference", JASA 22(158), 209-212; Newcombe (1998), "Two-sided confidence intervals for the
single proportion", Statistics in Medicine 17(8), 857-872 (method 3); for the effective
sample size of clustered hits, Kish (1965), *Survey Sampling*, section 8.2 (design effect).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special


def wilson(successes: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """(low, high): the Wilson score interval of the share ``successes / n`` at ``level``
    (fractions; ``n`` may be fractional, an effective sample size); NaN when ``n <= 0``."""
    if n <= 0:
        return math.nan, math.nan
    z = special.ndtri(0.5 + level / 2.0)  # the standard normal's quantile
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def clustered_share(hits: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """(share, low, high): the share of True in ``hits`` (replications x copies; the
    copies of one replication share its background) with a Wilson interval at the effective
    sample size that the spread of the per-replication shares implies (between one per
    replication and one per copy); fractions."""
    replications, copies = hits.shape
    shares = hits.mean(axis=1)
    p = float(shares.mean())
    total = replications * copies
    variance = float(shares.var(ddof=1)) / replications if replications > 1 else math.nan
    if not math.isfinite(variance) or variance <= 0.0:
        effective = float(total)
    else:
        effective = min(max(p * (1.0 - p) / variance, replications), total)
    low, high = wilson(p * effective, effective, level)
    return p, min(low, p), max(high, p)  # rounding must not put the share outside
