"""Chances and counts: decision chances per step, demand per pathway, level mix and
seasonality, each with an exact 95% interval.

- A chance (``revise.p``, ``withdraw_p``): k of n decided visits; Clopper-Pearson interval.
  Whether revision chances differ between round 0 and later rounds: a likelihood-ratio
  (G) test, reported when p < 0.01 (every step is tested; the scenario has one chance for
  all rounds).
- Demand: proposals (first arrivals) per 365 days; conditional on the record's first
  arrival the later ones are Poisson, so per_year = count / span x 365 with the exact
  (Garwood) Poisson interval.
- Level mix: each share k of n with its Clopper-Pearson interval.
- Seasonality: 12 monthly weights (mean 1) = each month's arrival rate over the mean rate,
  only with >= 3 years of record and a chi-square test (exposure-weighted) with p < 0.05.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

SEASONAL_YEARS = 3.0  # years of record before monthly weights are estimated
SIGNIFICANT = 0.05


@dataclass(frozen=True)
class Chance:
    """``k`` of ``n`` with the estimate ``k / n`` and its Clopper-Pearson ``ci95``."""

    k: int
    n: int

    @property
    def value(self) -> float:
        """The estimate k / n (0 when n is 0)."""
        return self.k / self.n if self.n else 0.0

    @property
    def ci95(self) -> tuple[float, float]:
        """The exact 95% interval (0 to 1 when n is 0)."""
        if not self.n:
            return (0.0, 1.0)
        k, n = self.k, self.n  # the beta quantiles of the exact binomial interval
        low = float(special.betaincinv(k, n - k + 1, 0.025)) if k else 0.0
        high = float(special.betaincinv(k + 1, n - k, 0.975)) if k < n else 1.0
        return (low, high)


def rounds_differ(first: Chance, later: Chance) -> float:
    """The p-value of the likelihood-ratio test that two chances are equal (1.0 when either
    has no observation)."""
    if not first.n or not later.n:
        return 1.0
    table = np.array([[first.k, first.n - first.k], [later.k, later.n - later.k]], float)
    if table.sum(axis=0).min() == 0:
        return 1.0
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0) / table.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(table > 0, table * np.log(table / expected), 0.0)
    return float(special.chdtrc(1, 2.0 * terms.sum()))  # G statistic, 1 degree of freedom


def poisson_rate(count: int, span_days: float) -> tuple[float, tuple[float, float]]:
    """Events per 365 days from ``count`` events in ``span_days``, with the exact 95%
    (Garwood) interval."""
    low = special.gammaincinv(count, 0.025) if count else 0.0  # chi2(2k) quantile / 2
    high = special.gammaincinv(count + 1, 0.975)
    scale = 365.0 / span_days
    return count * scale, (float(low) * scale, float(high) * scale)


def month_exposure(start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    """Days of each calendar month (January first) from ``start`` to ``end`` inclusive."""
    days = pd.date_range(start, end, freq="D")
    return np.bincount(days.month - 1, minlength=13)[:12].astype(float)


def seasonality(first_arrivals: pd.Series, start: pd.Timestamp, end: pd.Timestamp,
                ) -> tuple[list[float], list[tuple[float, float]], float] | None:
    """(weights, their 95% intervals, the chi-square p-value) of the monthly rates of
    ``first_arrivals`` (dates) from ``start`` to ``end``, weights averaging 1; None with
    under 3 years of record or no evidence that months differ."""
    exposure = month_exposure(start, end)
    if exposure.sum() < SEASONAL_YEARS * 365 or len(first_arrivals) < 12:
        return None
    counts = np.bincount(first_arrivals.dt.month - 1, minlength=13)[:12].astype(float)
    expected = counts.sum() * exposure / exposure.sum()
    pvalue = float(special.chdtrc(11, np.sum((counts - expected) ** 2 / expected)))
    if pvalue >= SIGNIFICANT:
        return None
    mean_rate = counts.sum() / exposure.sum()
    weights = counts / exposure / mean_rate
    intervals = []
    for count, days in zip(counts, exposure, strict=True):
        _, (low, high) = poisson_rate(int(count), days)
        intervals.append((low / 365 / mean_rate, high / 365 / mean_rate))
    return [float(w) for w in weights], intervals, pvalue
