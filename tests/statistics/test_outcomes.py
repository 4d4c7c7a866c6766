"""The Monte Carlo chi-square test of outcome counts against each item's own chances: its
statistic is Pearson's, its p-value agrees with the chi-square distribution where that holds
(many items, equal chances), it is exact where that fails (an impossible outcome), and it
rejects at about its level when the items follow their chances."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simlib.statistics import chi_square, outcome_test


def test_the_statistic_is_pearsons():
    assert chi_square(np.array([10, 20, 30]), np.array([20.0, 20.0, 20.0])) == pytest.approx(
        stats.chisquare([10, 20, 30], [20, 20, 20]).statistic)
    assert chi_square(np.array([1, 0]), np.array([0.0, 1.0])) == np.inf  # never expected


def test_with_many_items_of_equal_chances_the_p_value_is_the_chi_square_ones():
    chances = np.tile([0.5, 0.3, 0.2], (400, 1))
    observed = np.array([215, 110, 75])
    expected, p_value = outcome_test(observed, chances, np.random.default_rng(1), 20000)
    assert expected == pytest.approx([200.0, 120.0, 80.0])
    asymptotic = stats.chisquare(observed, expected).pvalue
    assert p_value == pytest.approx(asymptotic, abs=0.01)


def test_an_outcome_the_chances_rule_out_gets_the_smallest_p_value():
    chances = np.tile([0.9, 0.0, 0.1], (20, 1))
    _, p_value = outcome_test(np.array([18, 1, 1]), chances, np.random.default_rng(2), 999)
    assert p_value == pytest.approx(1 / 1000)


def test_without_items_nothing_is_rejected():
    expected, p_value = outcome_test(np.zeros(3), np.zeros((0, 3)), np.random.default_rng(3))
    assert p_value == 1.0 and list(expected) == [0.0, 0.0, 0.0]


def test_items_that_follow_their_chances_are_rejected_at_about_the_level():
    rng = np.random.default_rng(4)
    chances = rng.dirichlet([2.0, 1.0, 1.0], size=30)  # each item its own chances
    rejected = 0
    for _ in range(200):
        drawn = (rng.random((30, 1)) > np.cumsum(chances, axis=1)[:, :-1]).sum(axis=1)
        observed = np.bincount(drawn, minlength=3)
        rejected += outcome_test(observed, chances, rng, 199)[1] < 0.05
    assert rejected / 200 < 0.1
