"""Statistics of replicated outputs: confidence intervals of means and pooled (ratio) means.

Every interval here is computed from the spread *between independent replications*, the
unit of independence of a simulation experiment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special


def t_interval(values: pd.Series, by: str, level: float = 0.95) -> pd.DataFrame:
    """Student-t confidence interval of the mean of ``values`` within each group ``by``.

    ``values`` are per-replication means (one per row, in the same units as the result).
    Returns columns mean, low, high, n; low and high are NaN for groups with fewer than 2 values.
    """
    grouped = values.groupby(level=by, sort=False).agg(["mean", "std", "count"])
    count = grouped["count"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = special.stdtrit(np.where(count > 1, count - 1, np.nan), 0.5 + level / 2.0)
        half = quantile * grouped["std"].to_numpy() / np.sqrt(count)
    mean = grouped["mean"].to_numpy()
    return pd.DataFrame(
        {"mean": mean, "low": mean - half, "high": mean + half, "n": count.astype(int)},
        index=grouped.index,
    )


def ratio_interval(
    totals: pd.DataFrame, by: str, replications: int, level: float = 0.95
) -> pd.DataFrame:
    """Confidence interval of a pooled mean (sum of values / number of values over all
    replications) from per-replication ``sum`` and ``count`` columns, grouped by ``by``.

    The classical ratio estimator: the interval is centred on the pooled mean, and its
    width comes from the spread of the per-replication residuals ``sum - mean * count``
    across ``replications`` replications (those with no value count as zero residuals).
    Returns columns mean, low, high (NaN with fewer than 2 replications).
    """
    grouped = totals.groupby(level=by, sort=False)
    total, number = grouped["sum"].sum(), grouped["count"].sum()
    mean = total / number
    expected = mean.reindex(totals.index.get_level_values(by)).to_numpy() * totals["count"]
    residual = totals["sum"] - expected
    n = float(replications)
    squares = (residual**2).groupby(level=by, sort=False).sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        degrees = n - 1.0 if n > 1 else np.nan
        quantile = special.stdtrit(degrees, 0.5 + level / 2.0)
        half = quantile * np.sqrt(squares / degrees / n) / (number / n)
    return pd.DataFrame({"mean": mean, "low": mean - half, "high": mean + half})
