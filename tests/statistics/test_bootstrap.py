"""The bootstrap over whole replications against ``numpy.quantile`` of the resampled values
written out, and the paired interval on cases whose answer is known."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simlib.statistics import draw_weights, paired_quantile_interval, pooled_quantiles


def per_replication(sizes, seed=5):
    rng = np.random.default_rng(seed)
    return [rng.exponential(30.0, size=size) for size in sizes]


def side(days):
    """(values, replication number of each value) of per-replication arrays."""
    return np.concatenate(days), np.repeat(np.arange(len(days)), [len(d) for d in days])


def test_draw_weights_count_each_replication():
    draws = np.array([[0, 0, 2], [1, 2, 1], [2, 2, 2]])
    assert draw_weights(draws, 4).tolist() == [[2, 0, 1, 0], [0, 2, 1, 0], [0, 0, 3, 0]]


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_pooled_quantiles_match_numpy_on_the_resampled_values(q):
    days = per_replication((0, 3, 1, 12, 7))
    draws = np.random.default_rng(6).integers(0, len(days), size=(300, len(days)))
    draws[0] = 0  # a resample of the empty replication only
    expected = [np.quantile(np.concatenate([days[k] for k in row]), q)
                if any(len(days[k]) for k in row) else np.nan for row in draws]
    found = pooled_quantiles(*side(days), draw_weights(draws, len(days)), q)
    np.testing.assert_allclose(found, expected, rtol=1e-12)
    assert np.isnan(found[0]) and np.isfinite(found[1:]).all()


def test_blocks_do_not_change_the_answer(monkeypatch):
    days = per_replication((4, 9, 2, 6))
    weights = np.random.default_rng(1).multinomial(4, np.full(4, 0.25), 50)
    whole = pooled_quantiles(*side(days), weights)
    monkeypatch.setattr("simlib.statistics._bootstrap.BLOCK_CELLS", 7)
    np.testing.assert_array_equal(pooled_quantiles(*side(days), weights), whole)


def test_unit_weights_give_the_quantile_of_all_values():
    days = per_replication((5, 8, 3))
    values = np.concatenate(days)
    [found] = pooled_quantiles(*side(days), np.ones((1, 3), dtype=int))
    assert found == pytest.approx(np.quantile(values, 0.9), rel=1e-12)


def test_no_values_give_nan():
    found = pooled_quantiles(np.array([]), np.array([], dtype=int), np.ones((3, 2), int))
    assert np.isnan(found).all() and found.shape == (3,)


def test_paired_interval_of_identical_sides_is_zero():
    base = side(per_replication((10, 10, 10, 10, 10)))
    weights = np.random.default_rng(2).multinomial(5, np.full(5, 0.2), 200)
    assert paired_quantile_interval(base, base, weights) == (0.0, 0.0)


def test_paired_interval_of_a_shift_is_the_shift():
    values, numbers = side(per_replication((6, 9, 7, 8)))
    weights = np.random.default_rng(3).multinomial(4, np.full(4, 0.25), 200)
    low, high = paired_quantile_interval((values, numbers), (values + 5.0, numbers), weights)
    assert (low, high) == pytest.approx((5.0, 5.0), abs=1e-9)


def test_paired_interval_holds_the_true_difference_of_p90s():
    rng = np.random.default_rng(9)
    base = [rng.exponential(10.0, 40) for _ in range(30)]
    alt = [days * 1.5 for days in base]  # the P90 grows by half
    weights = rng.multinomial(30, np.full(30, 1 / 30), 1000)
    low, high = paired_quantile_interval(side(base), side(alt), weights)
    truth = 0.5 * 10.0 * math.log(10.0)  # P90 of an exponential with mean 10 is 23.0
    assert low < truth < high and high - low < truth


def test_paired_interval_without_values_is_nan():
    empty = (np.array([]), np.array([], dtype=int))
    weights = np.ones((5, 3), dtype=int)
    assert all(math.isnan(bound) for bound in paired_quantile_interval(empty, empty, weights))
