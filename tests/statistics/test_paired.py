"""The paired difference of two pooled means: a textbook paired t-test, a constant shift,
and noise that the pairing cancels."""

from __future__ import annotations

import math

import numpy as np
import pytest
from support.textbook import DRUG_ONE, DRUG_TWO, SLEEP_CI95

from simlib.statistics import paired_difference, paired_mean_difference, ratio_estimate


def test_one_value_per_replication_is_the_paired_t_test():
    ones = np.ones(10)
    difference, low, high = paired_mean_difference((DRUG_ONE, ones), (DRUG_TWO, ones))
    assert difference == pytest.approx(1.58)
    assert (low, high) == pytest.approx(SLEEP_CI95, abs=1e-7)


def test_a_constant_shift_has_no_spread():
    counts = np.array([3.0, 5.0, 4.0])
    sums = np.array([30.0, 55.0, 41.0])
    difference, low, high = paired_mean_difference((sums, counts), (sums + 2 * counts, counts))
    assert (difference, low, high) == pytest.approx((2.0, 2.0, 2.0))


def test_shared_noise_cancels():
    rng = np.random.default_rng(7)
    counts = rng.integers(5, 15, 30).astype(float)
    base = counts * 100 + rng.normal(0, 200, 30)  # noise each replication shares
    alt = base + counts * 3 + rng.normal(0, 1, 30)
    difference, variance = paired_difference((base, counts), (alt, counts))
    apart = ratio_estimate(base, counts)[1] + ratio_estimate(alt, counts)[1]
    assert difference == pytest.approx(3.0, abs=0.5)
    assert variance < apart / 100


def test_rows_are_paired_one_by_one():
    rng = np.random.default_rng(2)
    counts = rng.integers(1, 5, size=(3, 6)).astype(float)
    base, alt = counts * 5 + rng.normal(size=(3, 6)), counts * 6 + rng.normal(size=(3, 6))
    differences, variances = paired_difference((base, counts), (alt, counts))
    for row in range(3):
        one = paired_difference((base[row], counts[row]), (alt[row], counts[row]))
        assert (differences[row], variances[row]) == one


def test_undefined_cases_are_nan():
    one = (np.array([4.0]), np.array([1.0]))
    assert paired_mean_difference(one, one)[0] == 0.0
    assert all(math.isnan(bound) for bound in paired_mean_difference(one, one)[1:])
    empty = (np.zeros(3), np.zeros(3))
    assert all(math.isnan(value) for value in paired_mean_difference(empty, empty))
