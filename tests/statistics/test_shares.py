"""Wilson intervals against Newcombe's (1998) worked examples, and shares of hits that are
clustered in replications."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simlib.statistics import clustered_share, wilson


@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    # Newcombe (1998), table I, method 3 (score interval without continuity correction)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombe(successes, n, low, high):
    assert wilson(successes, n) == pytest.approx((low, high), abs=5e-5)


def test_wilson_of_half_is_symmetric_and_needs_a_sample():
    low, high = wilson(5, 10)
    assert low + high == pytest.approx(1.0)
    assert all(math.isnan(bound) for bound in wilson(0, 0))


def test_clustered_share_counts_replications_not_copies_when_they_agree():
    together = np.repeat([[True], [False]], 4, axis=1).repeat(5, axis=0)  # 10 x 4
    apart = np.tile([True, False, True, False], (10, 1))
    p_together, low_together, high_together = clustered_share(together)
    p_apart, low_apart, high_apart = clustered_share(apart)
    assert p_together == p_apart == 0.5
    # every copy of a replication agrees: 10 effective samples; they differ: 40
    assert (low_together, high_together) == pytest.approx(wilson(5, 10))
    assert (low_apart, high_apart) == pytest.approx(wilson(20, 40))


def test_clustered_share_keeps_the_share_inside_its_interval():
    hits = np.ones((6, 3), dtype=bool)
    share, low, high = clustered_share(hits)
    assert share == 1.0 and low <= share <= high == 1.0
