"""The ratio estimator on hand-worked cases, and against the t interval of per-replication
means when every replication counts the same number of values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simlib.statistics import ratio_estimate, ratio_interval, ratio_residuals, ratio_variance


def test_pooled_mean_weights_each_value_not_each_replication():
    # replication 0: values 10 and 20; replication 1: value 40; replication 2: none
    sums, counts = np.array([30.0, 40.0, 0.0]), np.array([2.0, 1.0, 0.0])
    mean, residuals = ratio_residuals(sums, counts)
    assert mean == pytest.approx(70.0 / 3.0)  # not (15 + 40) / 2
    # e_k = (S_k - R N_k) / Nbar with Nbar = 1
    assert residuals == pytest.approx([30 - 140 / 3, 40 - 70 / 3, 0.0])
    assert residuals.sum() == pytest.approx(0.0, abs=1e-12)


def test_variance_is_the_spread_of_the_residuals_over_n_minus_1_and_n():
    residuals = np.array([-1.0, 3.0, -2.0])
    assert ratio_variance(residuals) == pytest.approx((1 + 9 + 4) / 2 / 3)
    assert math.isnan(ratio_variance(np.array([5.0])))


def test_proportional_sums_have_no_spread():
    mean, variance = ratio_estimate(np.array([10.0, 20.0, 30.0]), np.array([1.0, 2.0, 3.0]))
    assert (mean, variance) == pytest.approx((10.0, 0.0))


def test_equal_counts_give_the_variance_of_the_mean_of_the_means():
    means = np.array([3.0, 5.0, 10.0, 6.0])
    mean, variance = ratio_estimate(means * 4, np.full(4, 4.0))
    assert mean == pytest.approx(means.mean())
    assert variance == pytest.approx(stats.sem(means) ** 2)


def test_nothing_counted_is_nan():
    mean, variance = ratio_estimate(np.zeros(3), np.zeros(3))
    assert math.isnan(mean) and math.isnan(variance)


def test_rows_are_estimated_one_by_one():
    rng = np.random.default_rng(4)
    counts = rng.integers(0, 6, size=(5, 8)).astype(float)
    sums = counts * 10 + rng.normal(0, 3, size=(5, 8))
    means, variances = ratio_estimate(sums, counts)
    for row in range(5):
        mean, variance = ratio_estimate(sums[row], counts[row])
        assert (means[row], variances[row]) == (mean, variance)


def test_interval_pads_missing_replications_with_zeros():
    totals = pd.DataFrame(
        {"sum": [30.0, 40.0, 12.0, 18.0], "count": [2, 1, 1, 1]},
        index=pd.MultiIndex.from_tuples([("p", 0), ("p", 1), ("q", 0), ("q", 2)],
                                        names=["pathway", "replication"]))
    table = ratio_interval(totals, "pathway", replications=3)
    assert list(table.index) == ["p", "q"]
    pooled = 70.0 / 3.0
    residuals = np.array([30.0 - 2 * pooled, 40.0 - pooled, 0.0])
    half = stats.t.ppf(0.975, 2) * np.sqrt(residuals @ residuals / 2 / 3)
    assert table.loc["p"].to_numpy() == pytest.approx([pooled, pooled - half, pooled + half])
    assert table.loc["q", "mean"] == pytest.approx(15.0)


def test_interval_equals_the_t_interval_of_means_when_counts_are_equal():
    means = np.array([3.0, 5.0, 10.0, 6.0])
    totals = pd.DataFrame(
        {"sum": means * 4, "count": [4, 4, 4, 4]},
        index=pd.MultiIndex.from_product([["p"], range(4)], names=["pathway", "replication"]))
    row = ratio_interval(totals, "pathway", replications=4).loc["p"]
    expected = stats.t.interval(0.95, 3, loc=means.mean(), scale=stats.sem(means))
    assert (row["low"], row["high"]) == pytest.approx(expected)


def test_interval_needs_two_replications():
    totals = pd.DataFrame({"sum": [10.0], "count": [1]},
                          index=pd.MultiIndex.from_tuples([("p", 0)], names=["by", "rep"]))
    row = ratio_interval(totals, "by", replications=1).loc["p"]
    assert row["mean"] == 10.0 and math.isnan(row["low"]) and math.isnan(row["high"])


def test_interval_rejects_more_replications_than_given():
    totals = pd.DataFrame({"sum": [1.0, 2.0], "count": [1, 1]},
                          index=pd.MultiIndex.from_tuples([("p", 0), ("p", 1)],
                                                          names=["by", "rep"]))
    with pytest.raises(ValueError, match="2 replications, more than the 1 given"):
        ratio_interval(totals, "by", replications=1)
