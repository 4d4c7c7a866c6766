"""The cheapest fix (``mcsim optimize``): the cheapest combination of changes that meets a
target."""

from __future__ import annotations

import concurrent.futures as cf

from simlib.optimize import Outcome, Study
from simlib.optimize import optimize as search


def optimize(study: Study, replications: int | None = None, seed: int | None = None, *,
             jobs: int | None = None, executor: cf.Executor | None = None,
             progress: bool | None = None) -> Outcome:
    """The cheapest configuration of ``study`` that meets its target; see
    :func:`simlib.optimize.optimize`."""
    return search(study, replications, seed, jobs, executor, progress)
