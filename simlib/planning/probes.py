"""Probe proposals through the simulation, and the shares they give: the deadline planner's
machinery (the pipeline forecast reads its proposals' dates with
:func:`simlib.planning.forecast.pipeline_times`).

A probe (:class:`simlib.engine.model.Probe`) waits behind the proposals ahead of it at every
office and committee exactly as a real proposal would, but never delays anyone and draws only
from its own random streams, so the background of a replication is the same whichever probes
ride along. Shares carry their Monte Carlo uncertainty: a Wilson 95% interval whose effective
sample size comes from the spread between replications (the probes of one replication share
its background, so they are not independent; :func:`simlib.statistics.clustered_share`).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import isotonic_regression

from simlib.engine.model import InProgress, Probe, simulate
from simlib.scenario import Scenario

# positions in raw rows (simlib.engine.eventlog.RAW_FIELDS)
KIND, TIME, PROPOSAL, STEP = 5, 6, 0, 3


def tracked_approvals(
    scenario: Scenario, seed: int, replication: int, probes: tuple[Probe, ...] = (),
    pipeline: tuple[InProgress, ...] = (), step: str | None = None,
) -> np.ndarray:
    """The approval time (days since the calendar start; inf when withdrawn or never
    approved) of each probe, then of each pipeline proposal, in one replication (a measure
    for the runner: bind ``probes`` and ``pipeline`` with :func:`functools.partial`). With
    ``step`` (a step label after approval), the time of the last approval at that step
    instead: a milestone of the journey (:func:`~simlib.metrics.events.milestone_steps`)."""
    result = np.full(len(probes) + len(pipeline), np.inf)
    kind, label = ("approved", "") if step is None else ("approve", step)
    for row in simulate(scenario, seed, replication, probes=probes, pipeline=pipeline).rows:
        proposal = row[PROPOSAL]
        if row[KIND] == kind and row[STEP] == label and proposal < len(pipeline):
            result[-proposal - 1 if proposal < 0 else len(probes) + proposal] = row[TIME]
    return result


def non_increasing(shares: np.ndarray) -> np.ndarray:
    """``shares`` (in submission-date order) made non-increasing by isotonic regression:
    submitting later never helps, so their wiggles are Monte Carlo noise."""
    return isotonic_regression(np.asarray(shares, dtype=float), increasing=False).x


def latest_index(shares: np.ndarray, confidence: float) -> int | None:
    """The position of the latest submission date whose chance of approval in time
    (``shares``, oldest date first, made :func:`non_increasing`) is at least
    ``confidence``; None when no date's is. The one definition of "the latest safe date"."""
    safe = np.flatnonzero(non_increasing(shares) >= confidence - 1e-12)
    return int(safe[-1]) if safe.size else None
