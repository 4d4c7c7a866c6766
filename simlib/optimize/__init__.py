"""The cheapest fix and the frontier (``mcsim optimize``): of the combinations of changes a
spec file offers, the cheapest whose target (a pathway's mean or P90 below so many days,
with a confidence) is met; or (``--pareto``) those no other beats on both days and faculty
hours a year, with the knee of that trade-off.

- :func:`load_study`: the spec file validated into a :class:`Study`;
- :func:`optimize`: screening, then ranking by cost, as an :class:`Outcome`;
- :func:`frontier`: every configuration on days and faculty hours, as a :class:`Frontier`
  (and :func:`frontier_unknowns`: its points at the posterior draws);
- :func:`pareto_set`: the frontier, dominators and knee of any points (a pure function).

The private modules: ``_spec`` (the spec file and its configurations), ``_evidence`` (what
replications say about a configuration: estimates, standard errors, bounds), ``_search``
(screening and ranking), ``_pareto`` (dominance and the knee) and ``_frontier`` (the
configurations as points of days and hours).
"""

from simlib.optimize._frontier import (
    AXES,
    Frontier,
    FrontierUnknowns,
    Lever,
    Point,
    frontier,
    frontier_unknowns,
)
from simlib.optimize._pareto import ParetoSet, dominates, pareto_set
from simlib.optimize._search import Outcome, optimize
from simlib.optimize._spec import MAX_REPLICATIONS, Study, load_study

__all__ = ["AXES", "MAX_REPLICATIONS", "Frontier", "FrontierUnknowns", "Lever", "Outcome",
           "ParetoSet", "Point", "Study", "dominates", "frontier", "frontier_unknowns",
           "load_study", "optimize", "pareto_set"]
