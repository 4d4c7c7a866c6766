"""Times to an event when some are not over yet: the Kaplan-Meier estimate.

A proposal still open when the record was exported has taken *at least* its days so far
(right-censored). Dropping it would make the record look faster than it is (the slow ones
are the ones still open); the Kaplan-Meier estimator (``scipy.stats.ecdf`` of
``scipy.stats.CensoredData``) uses it for as long as it was seen. Days are calendar days.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class KaplanMeier:
    """The Kaplan-Meier estimate of the distribution of times (days) from ``completed``
    (times that ended) and ``censored`` (times still running when last seen)."""

    completed: np.ndarray = field(repr=False)
    censored: np.ndarray = field(repr=False)
    times: np.ndarray = field(repr=False)  # the distinct times, increasing (days)
    cdf: np.ndarray = field(repr=False)  # share ended by each time
    cdf_low: np.ndarray = field(repr=False)  # Greenwood 95% band of cdf
    cdf_high: np.ndarray = field(repr=False)

    @property
    def n(self) -> int:
        """All the times, ended or not."""
        return len(self.completed) + len(self.censored)

    def quantile(self, share: float) -> float:
        """The time (days) by which ``share`` of the times have ended: the first time the
        estimated CDF reaches ``share``; NaN when it never does (too many still running)."""
        return _first_reaching(self.times, self.cdf, share)

    def quantile_interval(self, share: float) -> tuple[float, float]:
        """A 95% interval (days) for :meth:`quantile`: where the Greenwood band of the CDF
        reaches ``share`` (an end is NaN when its side of the band never does)."""
        return (_first_reaching(self.times, self.cdf_high, share),
                _first_reaching(self.times, self.cdf_low, share))

    def cdf_at(self, days: np.ndarray) -> np.ndarray:
        """The estimated share ended by each of ``days`` (a step function, 0 before the
        first time)."""
        where = np.searchsorted(self.times, np.asarray(days, dtype=float), side="right") - 1
        return np.where(where >= 0, self.cdf[np.clip(where, 0, None)], 0.0)

    @property
    def restricted(self) -> bool:
        """True when the longest time is still running: the estimate stops short of 1, and a
        mean from it would only be the mean restricted to the longest time seen."""
        return bool(len(self.censored)) and (
            not len(self.completed) or self.censored.max() >= self.completed.max())


def _first_reaching(times: np.ndarray, cdf: np.ndarray, share: float) -> float:
    """The first of ``times`` where ``cdf`` reaches ``share`` (NaN if none)."""
    reached = np.flatnonzero(np.nan_to_num(cdf, nan=0.0) >= share - 1e-12)
    return float(times[reached[0]]) if len(reached) else float("nan")


def kaplan_meier(completed: np.ndarray, censored: np.ndarray = ()) -> KaplanMeier:
    """The :class:`KaplanMeier` estimate from ``completed`` times and ``censored`` times
    (days; still running when last seen). ValueError when there is no completed time."""
    completed = np.asarray(completed, dtype=float)
    censored = np.asarray(censored, dtype=float)
    if not len(completed):
        raise ValueError("Kaplan-Meier needs at least one completed time")
    data = stats.CensoredData(uncensored=completed, right=censored)
    result = stats.ecdf(data)
    with warnings.catch_warnings():  # undefined where the estimate reaches 1: NaN there
        warnings.simplefilter("ignore", RuntimeWarning)
        band = result.cdf.confidence_interval(0.95, method="linear")
    times = np.asarray(result.cdf.quantiles, dtype=float)
    return KaplanMeier(
        completed, censored, times, np.asarray(result.cdf.probabilities, dtype=float),
        np.clip(band.low.evaluate(times), 0.0, 1.0), np.clip(band.high.evaluate(times), 0.0, 1.0),
    )
