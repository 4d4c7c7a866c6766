"""Student t intervals against the t table and ``scipy.stats.t.interval``."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from support.textbook import DRUG_ONE, DRUG_TWO, SLEEP_CI95

from simlib.statistics import t_half_width, t_interval, t_quantile


def test_t_quantile_matches_the_t_table():
    assert t_quantile(0.975, 9) == pytest.approx(2.262, abs=5e-4)
    assert t_quantile(0.975, 1) == pytest.approx(12.706, abs=5e-4)
    assert t_quantile(0.95, 30) == pytest.approx(1.697, abs=5e-4)
    assert math.isnan(t_quantile(0.975, 0))


def test_t_interval_of_the_sleep_data():
    low, high = t_interval(DRUG_TWO - DRUG_ONE)
    assert (low, high) == pytest.approx(SLEEP_CI95, abs=1e-7)


@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_t_interval_matches_scipy(level):
    values = np.random.default_rng(3).gamma(2.0, 5.0, 17)
    expected = stats.t.interval(level, 16, loc=values.mean(), scale=stats.sem(values))
    assert t_interval(values, level) == pytest.approx(expected, rel=1e-12)


def test_t_interval_needs_two_values():
    assert all(math.isnan(bound) for bound in t_interval(np.array([4.0])))


def test_half_width_of_a_known_variance():
    # variance of a mean 0.25 from 10 replications: t(0.975, 9) x 0.5
    assert t_half_width(0.25, 10) == pytest.approx(2.262157 * 0.5, rel=1e-6)
    widths = t_half_width(np.array([1.0, 4.0]), 10, 0.9)
    assert widths == pytest.approx(stats.t.ppf(0.95, 9) * np.array([1.0, 2.0]))
    assert math.isnan(t_half_width(1.0, 1))
