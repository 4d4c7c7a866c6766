"""Runs kept whole for other tools (``mcsim eventlog``): a computation the command line
asks for that is not a report's question, kept here so the command line never simulates
by itself."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from simlib.engine.eventlog import EventLog
from simlib.engine.model import simulate
from simlib.experiments.results import Results, replicate
from simlib.experiments.runner import run_in_order, run_settings
from simlib.records.history import History, simulated_history
from simlib.scenario import Scenario


def event_logs(scenario: Scenario, replications: int | None = None, seed: int | None = None,
               *, jobs: int | None = None) -> Results:
    """``scenario`` replicated with every event log kept (memory grows with the count)."""
    return replicate(scenario, replications, seed, jobs=jobs, keep_events=True)


@dataclass(frozen=True)
class EventLogStream:
    """The event logs of ``replications`` replications of ``scenario`` with ``seed``, made
    as ``logs`` is read (replication 0 first), never all held at once: the exports write
    each as it comes, so memory does not grow with the count."""

    scenario: Scenario
    replications: int
    seed: int
    logs: Iterator[EventLog]


def event_log_stream(scenario: Scenario, replications: int | None = None,
                     seed: int | None = None, *, jobs: int | None = None,
                     progress: bool | None = None) -> EventLogStream:
    """The :class:`EventLogStream` of ``scenario`` (replications and seed: the given ones,
    else the scenario's), simulated on ``jobs`` workers as its logs are read."""
    count, seed = run_settings(scenario, replications, seed, jobs)
    logs = run_in_order(scenario, count, simulate, seed, jobs, progress, desc=scenario.name)
    return EventLogStream(scenario, count, seed, logs)


def office_history(scenario: Scenario, seed: int | None = None) -> History:
    """Replication 0 of ``scenario`` as an office's history file would record it."""
    return simulated_history(scenario, seed)
