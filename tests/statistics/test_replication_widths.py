"""The widths the replication-count rule watches: at each count, the t interval of the
pooled mean after that many replications."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simlib.statistics import ratio_estimate, relative_half_widths, t_half_width


def test_one_value_per_replication_gives_the_t_interval_over_the_mean():
    values = np.array([2.0, 6.0, 4.0, 5.0])
    widths = relative_half_widths(values[:, None], np.ones((4, 1)))
    assert np.isnan(widths[0, 0])
    for m in (2, 3, 4):
        sample = values[:m]
        low, high = stats.t.interval(0.95, m - 1, loc=sample.mean(), scale=stats.sem(sample))
        assert widths[m - 1, 0] == pytest.approx((high - low) / 2 / sample.mean())


def test_each_count_is_the_interval_of_the_first_replications():
    rng = np.random.default_rng(8)
    counts = rng.integers(0, 5, size=(12, 3)).astype(float)
    sums = counts * np.array([10.0, 50.0, 3.0]) + rng.normal(0, 4, size=(12, 3)) * counts
    widths = relative_half_widths(sums, counts, level=0.9)
    for m in (2, 7, 12):
        mean, variance = ratio_estimate(sums[:m].T, counts[:m].T)
        expected = t_half_width(variance, m, 0.9) / np.abs(mean)
        assert widths[m - 1] == pytest.approx(expected)


def test_no_spread_is_zero_width_and_no_values_is_nan():
    widths = relative_half_widths(np.array([[5.0, 0.0], [10.0, 0.0]]),
                                  np.array([[1.0, 0.0], [2.0, 0.0]]))
    assert widths[1, 0] == 0.0 and np.isnan(widths[1, 1])
