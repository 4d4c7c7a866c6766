"""Whether items fell into categories as their own chances say: Pearson's chi-square
statistic against the expected counts, its p-value by Monte Carlo.

Each item has its own chances (a proposal's chance of being approved, withdrawn or still
open by its age), so the counts are a sum of unequal multinomials and the chi-square
distribution holds only roughly, and not at all for small expected counts. The p-value is
the share of draws (each item's category drawn from its own chances) whose statistic is at
least the observed one, counting the observed as one draw: Hope (1968), "A simplified Monte
Carlo significance test procedure", JRSS B 30(3), 582-598; Davison and Hinkley (1997),
*Bootstrap Methods and their Application*, section 4.2.
"""

from __future__ import annotations

import numpy as np

CHUNK = 250  # draws held in memory at once


def chi_square(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """Pearson's statistic of ``observed`` counts (..., categories) against ``expected``
    (categories); a category expected never (0) but observed makes it inf."""
    observed = np.asarray(observed, dtype=float)
    some = expected > 0
    terms = np.where(some, (observed - expected) ** 2 / np.where(some, expected, 1.0), 0.0)
    impossible = np.any((observed > 0) & ~some, axis=-1)
    return np.where(impossible, np.inf, terms.sum(axis=-1))


def outcome_test(observed: np.ndarray, chances: np.ndarray, rng: np.random.Generator,
                 draws: int = 2000) -> tuple[np.ndarray, float]:
    """(expected counts, p-value) of the category counts ``observed`` (categories) of items
    whose chances are the rows of ``chances`` (items x categories, each row adding up to
    1): the Monte Carlo test of the module docstring, with ``draws`` draws from ``rng``.
    p-value 1.0 without an item."""
    chances = np.asarray(chances, dtype=float)
    expected = chances.sum(axis=0)
    if not len(chances):
        return expected, 1.0
    statistic = chi_square(observed, expected)
    bounds = np.cumsum(chances, axis=1)[:, :-1]
    at_least = 0
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        uniforms = rng.random((size, len(chances), 1))
        categories = (uniforms > bounds[None, :, :]).sum(axis=2)
        counts = np.stack([(categories == k).sum(axis=1)
                           for k in range(chances.shape[1])], axis=1)
        at_least += int((chi_square(counts, expected) >= statistic - 1e-9).sum())
    return expected, (at_least + 1) / (draws + 1)
