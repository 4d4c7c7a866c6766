"""What the documented averages say about the unknown numbers: the calibration
(``mcsim calibrate``) and its posterior draws (``mcsim calibrate --posterior``)."""

from __future__ import annotations

import concurrent.futures as cf

from simlib import calibration
from simlib.calibration import Calibrated, PosteriorFit
from simlib.defaults import defaults
from simlib.scenario import Scenario


def calibrate(scenario: Scenario, replications: int | None = None, seed: int | None = None,
              *, max_evaluations: int | None = None, executor: cf.Executor | None = None,
              jobs: int | None = None, progress: bool | None = None) -> Calibrated:
    """The free assumptions fitted to the scenario's targets (a point estimate, at most
    ``max_evaluations`` settings tried); see :func:`simlib.calibration.calibrate`."""
    return calibration.calibrate(scenario, replications, seed, executor, jobs, max_evaluations,
                           progress)


def calibrate_posterior(scenario: Scenario, draws: int | None = None,
                        seed: int | None = None, *, executor: cf.Executor | None = None,
                        jobs: int | None = None, progress: bool | None = None) -> PosteriorFit:
    """Posterior draws of the free assumptions given the targets (default
    :data:`~simlib.defaults.DEFAULTS` draws); see
    :func:`simlib.calibration.calibrate_posterior`."""
    return calibration.calibrate_posterior(scenario, draws or defaults("calibrate").draws, seed,
                                         executor, jobs, progress)
