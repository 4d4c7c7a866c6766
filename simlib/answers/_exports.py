"""Runs kept whole for other tools (``mcsim eventlog``): a computation the command line
asks for that is not a report's question, kept here so the command line never simulates
by itself."""

from __future__ import annotations

from simlib.experiments.results import Results, replicate
from simlib.records.history import History, simulated_history
from simlib.scenario import Scenario


def event_logs(scenario: Scenario, replications: int | None = None, seed: int | None = None,
               *, jobs: int | None = None) -> Results:
    """``scenario`` replicated with every event log kept (for the event-log exports)."""
    return replicate(scenario, replications, seed, jobs=jobs, keep_events=True)


def office_history(scenario: Scenario, seed: int | None = None) -> History:
    """Replication 0 of ``scenario`` as an office's history file would record it."""
    return simulated_history(scenario, seed)
