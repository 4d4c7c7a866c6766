"""The Pareto frontier of points to be minimised on every axis, and its knee.

A point *dominates* another when it is at least as good (no larger) on every axis and
better (smaller) on one. The *frontier* is the points no other point dominates; equal
points dominate neither each other, so both stay. Each dominated point is assigned the
frontier point that dominates it with the least on the second axis (then the first, then
the lowest index): the cheapest way to do at least as well on every axis. Such a point
exists: among the points that dominate it, one with the least sum of its axes is dominated
by none.

The *knee* is read on the first two axes (days and hours in :mod:`~simlib.optimize._frontier`;
a third axis takes part in dominance only). Let ``A`` be the frontier point with the least
on the second axis (the cheapest; ties: the least on the first) and ``B`` the one with the
least on the first (the fastest; ties: the cheapest). Both axes are scaled to [0, 1] over
the frontier's range, and the knee is the frontier point farthest from the straight line
``A``-``B`` on the side of the origin: where the trade-off bends most, so that moving from
it either way buys least. This is the largest-distance-to-the-chord rule (Das 1999,
"On characterizing the knee of the Pareto curve based on normal-boundary intersection",
Structural Optimization 18(2-3), 107-115; the "Kneedle" of Satopää et al. 2011 on one
curve). A single frontier point (or ``A`` = ``B``) is the knee itself; with no point
strictly inside the chord's origin side (two points, or a straight or outward-bent
trade-off) there is none. Distances equal to nine decimals are a tie, won by the cheaper
point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

KNEE_TOLERANCE = 1e-9  # a distance to the chord (scaled axes) below this is on the chord


@dataclass(frozen=True)
class ParetoSet:
    """The frontier of some points: ``front`` (indices of the points no other dominates,
    by the second axis then the first), ``dominated_by`` (per point: the frontier point
    assigned to dominate it, None on the frontier) and ``knee`` (an index of ``front``, or
    None); see the module docstring."""

    front: tuple[int, ...]
    dominated_by: tuple[int | None, ...]
    knee: int | None


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """True when ``a`` is no larger than ``b`` on every axis and smaller on one."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return bool(np.all(a <= b) and np.any(a < b))


def pareto_set(points: Sequence[Sequence[float]]) -> ParetoSet:
    """The :class:`ParetoSet` of ``points`` (n points x k >= 2 axes, every value finite;
    lower is better on every axis)."""
    values = np.asarray(points, float)
    if values.ndim != 2 or values.shape[1] < 2:
        raise ValueError(f"points: need n x k values with k >= 2 axes, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError("points: every value must be finite")
    count = len(values)
    beaten = [[j for j in range(count) if dominates(values[j], values[i])] for i in range(count)]
    front = sorted((i for i in range(count) if not beaten[i]),
                   key=lambda i: (values[i, 1], values[i, 0], i))
    on_front = set(front)
    dominated_by = tuple(
        None if i in on_front else
        min((j for j in beaten[i] if j in on_front), key=lambda j: (values[j, 1], values[j, 0], j))
        for i in range(count))
    return ParetoSet(tuple(front), dominated_by, knee(values, front))


def knee(points: Sequence[Sequence[float]], front: Sequence[int]) -> int | None:
    """The knee of the frontier ``front`` (indices into ``points``) on the first two axes
    (the module docstring's rule), or None."""
    if not front:
        return None
    values = np.asarray(points, float)[:, :2]
    cheapest = min(front, key=lambda i: (values[i, 1], values[i, 0], i))
    fastest = min(front, key=lambda i: (values[i, 0], values[i, 1], i))
    if cheapest == fastest:
        return cheapest
    chosen = values[list(front)]
    low, span = chosen.min(axis=0), np.ptp(chosen, axis=0)
    scaled = {i: (values[i] - low) / span for i in front}
    start, end = scaled[cheapest], scaled[fastest]
    chord = end - start
    length = float(np.hypot(*chord))

    def cross(point: np.ndarray) -> float:  # signed distance to the chord's line
        offset = point - start
        return float(chord[0] * offset[1] - chord[1] * offset[0]) / length

    side = np.sign(cross(np.zeros(2)))  # the origin (the ideal point) is off the chord

    def distance(i: int) -> float:  # positive on the origin's side of the chord
        return side * cross(scaled[i])

    inside = [i for i in front if distance(i) > KNEE_TOLERANCE]
    if not inside:
        return None
    return max(inside, key=lambda i: (round(distance(i), 9), -values[i, 1], -i))
