"""Chances, demand rates and seasonality: exact intervals and tests on known truths."""

import numpy as np
import pandas as pd
import pytest

from simlib.fitting.chances import (
    Chance,
    month_exposure,
    poisson_rate,
    rounds_differ,
    seasonality,
)


def test_a_chance_has_an_exact_interval():
    chance = Chance(3, 10)
    assert chance.value == pytest.approx(0.3)
    low, high = chance.ci95
    assert low == pytest.approx(0.0667, abs=1e-3) and high == pytest.approx(0.6525, abs=1e-3)
    assert Chance(0, 0).ci95 == (0.0, 1.0)


@pytest.mark.slow
def test_chance_intervals_hold_the_truth_at_least_95_percent_of_the_time():
    rng = np.random.default_rng(1)
    held = sum(lo <= 0.25 <= hi for lo, hi in
               (Chance(int(rng.binomial(40, 0.25)), 40).ci95 for _ in range(400)))
    assert held >= 380


def test_rounds_that_differ_are_found_and_equal_ones_are_not():
    assert rounds_differ(Chance(40, 100), Chance(2, 50)) < 0.01
    assert rounds_differ(Chance(30, 100), Chance(15, 50)) > 0.5
    assert rounds_differ(Chance(3, 10), Chance(0, 0)) == 1.0


def test_a_poisson_rate_per_year():
    rate, (low, high) = poisson_rate(20, 730.0)
    assert rate == pytest.approx(10.0)
    assert low == pytest.approx(6.108, abs=0.01) and high == pytest.approx(15.444, abs=0.01)


def test_months_are_counted_by_their_days():
    exposure = month_exposure(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31"))
    assert exposure[1] == 29 and exposure.sum() == 366


def _arrivals(weights, years, per_year, seed):
    rng = np.random.default_rng(seed)
    days = pd.date_range("2020-01-01", periods=365 * years, freq="D")
    rate = per_year / 365 * np.asarray(weights)[days.month - 1] * 12 / sum(weights)
    counts = rng.poisson(rate)
    return pd.Series(np.repeat(days.to_numpy(), counts)), days[0], days[-1]


def test_seasonality_is_found_when_months_differ():
    weights = [1.0, 1.3, 1.3, 1.1, 0.6, 0.3, 0.3, 0.8, 1.3, 1.3, 1.1, 0.8]
    arrivals, start, end = _arrivals(weights, 8, 60, 2)
    found = seasonality(arrivals, start, end)
    assert found is not None
    fitted, intervals, _ = found
    truth = np.asarray(weights) * 12 / sum(weights)
    assert np.mean(fitted) == pytest.approx(1.0, abs=0.03)
    assert sum(lo <= t <= hi for t, (lo, hi) in zip(truth, intervals, strict=True)) >= 11


def test_no_seasonality_from_flat_demand_or_a_short_record():
    arrivals, start, end = _arrivals([1.0] * 12, 8, 30, 3)
    assert seasonality(arrivals, start, end) is None
    arrivals, start, end = _arrivals([1, 1, 1, 1, 0.1, 0.1, 0.1, 1, 1, 1, 1, 1], 2, 30, 4)
    assert seasonality(arrivals, start, end) is None  # under 3 years: keep the base's
