"""Runs kept whole for other tools (``mcsim eventlog``) and the cheapest fix
(``mcsim optimize``): computations the command line asks for that are not a report's
question, kept here so the command line never simulates by itself."""

from __future__ import annotations

import concurrent.futures as cf

from simlib.experiments.results import Results, replicate
from simlib.optimize import Outcome, Study
from simlib.optimize import optimize as search
from simlib.records.history import History, simulated_history
from simlib.scenario import Scenario


def event_logs(scenario: Scenario, replications: int | None = None, seed: int | None = None,
               *, jobs: int | None = None) -> Results:
    """``scenario`` replicated with every event log kept (for the event-log exports)."""
    return replicate(scenario, replications, seed, jobs=jobs, keep_events=True)


def office_history(scenario: Scenario, seed: int | None = None) -> History:
    """Replication 0 of ``scenario`` as an office's history file would record it."""
    return simulated_history(scenario, seed)


def optimize(study: Study, replications: int | None = None, seed: int | None = None, *,
             jobs: int | None = None, executor: cf.Executor | None = None,
             progress: bool | None = None) -> Outcome:
    """The cheapest configuration of ``study`` that meets its target; see
    :func:`simlib.optimize.optimize`."""
    return search(study, replications, seed, jobs, executor, progress)
