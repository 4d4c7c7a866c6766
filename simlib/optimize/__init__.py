"""The cheapest fix (``mcsim optimize``): of the combinations of changes a spec file
offers, the cheapest whose target (a pathway's mean or P90 below so many days, with a
confidence) is met.

- :func:`load_study`: the spec file validated into a :class:`Study`;
- :func:`optimize`: screening, then ranking by cost, as an :class:`Outcome`.

The private modules: ``_spec`` (the spec file and its configurations), ``_evidence`` (what
replications say about a configuration: estimates, standard errors, bounds) and ``_search``
(screening and ranking).
"""

from simlib.optimize._search import Outcome, optimize
from simlib.optimize._spec import MAX_REPLICATIONS, Study, load_study

__all__ = ["MAX_REPLICATIONS", "Outcome", "Study", "load_study", "optimize"]
