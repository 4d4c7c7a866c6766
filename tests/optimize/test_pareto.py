"""The Pareto set on hand-made points: dominance, ties, the dominator of each excluded point,
the knee (largest distance to the chord between the cheapest and the fastest frontier point,
both axes scaled to the frontier's range) and its edge cases. Axis 0 is days, axis 1 hours."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simlib.optimize import dominates, pareto_set

# A convex trade-off of four points and one point worse than two of them.
CURVE = [[1, 100], [2, 50], [4, 25], [12, 8.3], [5, 100]]


def test_dominance_needs_no_worse_everywhere_and_better_somewhere():
    assert dominates([1, 1], [2, 2])
    assert dominates([1, 2], [1, 3])  # equal days, fewer hours
    assert not dominates([1, 1], [1, 1])  # equal points dominate neither
    assert not dominates([1, 3], [2, 2])  # a trade-off
    assert dominates([1, 1, 0], [1, 1, 1]) and not dominates([1, 1, 2], [2, 2, 1])


def test_the_frontier_keeps_the_trade_off_and_names_a_dominator_for_the_rest():
    found = pareto_set(CURVE)
    assert found.front == (3, 2, 1, 0)  # fewest hours first
    # [5, 100] is beaten by [1, 100], [2, 50] and [4, 25]: the one with fewest hours is named
    assert found.dominated_by == (None, None, None, None, 2)


def test_equal_points_both_stay_on_the_frontier():
    found = pareto_set([[3, 10], [3, 10], [4, 10], [3, 11]])
    assert found.front == (0, 1)
    assert found.dominated_by == (None, None, 0, 0)  # ties among dominators: lowest index


def test_a_tie_on_one_axis_is_dominated_by_the_better_other_axis():
    found = pareto_set([[5, 10], [5, 12], [6, 10]])
    assert found.front == (0,)
    assert found.dominated_by == (None, 0, 0)


def test_a_third_axis_keeps_points_only_it_favours():
    two = pareto_set([[1, 10], [2, 20]])
    three = pareto_set([[1, 10, 5], [2, 20, 0]])
    assert two.front == (0,) and three.front == (0, 1)


def test_the_knee_is_the_point_farthest_inside_the_chord():
    # scaled: hours (8.3, 100) -> (0, 1); days (1, 12) -> (0, 1); the chord is x + y = 1.
    # [2, 50]: 0.09 + 0.46 = 0.55; [4, 25]: 0.27 + 0.18 = 0.45 -> the farthest inside
    assert pareto_set(CURVE).knee == 2


def test_the_knee_does_not_depend_on_the_axes_units():
    points = np.array(CURVE, float)
    assert pareto_set(points * [1, 1000]).knee == pareto_set(points * [24, 1]).knee == 2


def test_a_straight_or_outward_trade_off_has_no_knee():
    assert pareto_set([[0, 2], [1, 1], [2, 0]]).knee is None  # on the chord
    assert pareto_set([[0, 2], [1.5, 1.5], [2, 0]]).knee is None  # bent away from the origin
    assert pareto_set([[0, 2], [2, 0]]).knee is None  # two points: both are the chord's ends


def test_one_point_best_on_both_axes_is_the_knee():
    assert pareto_set([[1, 1], [2, 2], [3, 0.5]]).knee is None  # [3, 0.5]: two ends only
    assert pareto_set([[1, 1], [2, 2]]).knee == 0  # a frontier of one point
    # with a third axis the frontier holds [2, 2, 0] too, but [1, 1, 1] is cheapest and
    # fastest on the knee's two axes
    found = pareto_set([[1, 1, 1], [2, 2, 0]])
    assert found.front == (0, 1) and found.knee == 0


def test_equal_distances_choose_the_cheaper_point():
    # symmetric about the chord's middle: [1, 1.5] and [1.5, 1] lie equally far inside it
    found = pareto_set([[0, 3], [1, 1.5], [1.5, 1], [3, 0]])
    assert found.knee == 2  # fewer hours


@pytest.mark.parametrize("points", [[[1, np.nan]], [[1, np.inf], [2, 2]], [[1, 2, 3][:1]],
                                    [1, 2]])
def test_non_finite_or_malformed_points_are_refused(points):
    with pytest.raises(ValueError, match="points"):
        pareto_set(points)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=1, max_size=25))
def test_the_frontier_is_exactly_the_undominated_points(points):
    found = pareto_set(points)
    front = set(found.front)
    for index, point in enumerate(points):
        beaten = any(dominates(other, point) for other in points)
        assert (index in front) == (not beaten)
        by = found.dominated_by[index]
        assert (by is None) == (index in front)
        if by is not None:
            assert by in front and dominates(points[by], point)
    assert found.knee is None or found.knee in front
