"""An office's own records: what the proposals in progress will do (``mcsim forecast``),
whether the model reproduces the record (``mcsim backtest``, report 07), and the model
fitted to it (``mcsim fit``)."""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from simlib.fitting import HistoryFit, fit_history
from simlib.fitting.draws import bootstrap_draws
from simlib.records.history import History
from simlib.scenario import Scenario
from simlib.scenario.calibration import Posterior

if TYPE_CHECKING:  # the simulating rooms: imported by the answers that run them
    from simlib.fitting.backtest import Backtest
    from simlib.planning.forecast import Forecast
    from simlib.planning.pipeline import PipelineProposal


def forecast(
    scenario: Scenario, proposals: list[PipelineProposal], as_of: dt.date,
    replications: int | None = None, seed: int | None = None, *,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Forecast:
    """When will each of ``proposals`` (in progress on ``as_of``) be approved? See
    :func:`simlib.planning.forecast.forecast`."""
    from simlib.planning import forecast as forecasts

    return forecasts.forecast(scenario, proposals, as_of, replications, seed, executor, jobs)


def forecast_file(
    scenario: Scenario, pipeline_csv: str | Path, as_of: dt.date | str | None = None,
    replications: int | None = None, seed: int | None = None, *,
    executor: cf.Executor | None = None, jobs: int | None = None,
) -> Forecast | None:
    """:func:`forecast` of the proposals in the pipeline file ``pipeline_csv`` from
    ``as_of`` (default today); None when no file is given (""). See
    :func:`simlib.planning.forecast.forecast_file`."""
    from simlib.planning import forecast as forecasts

    return forecasts.forecast_file(scenario, pipeline_csv, as_of, replications, seed,
                                   executor, jobs)


def backtest(scenario: Scenario, history: History, replications: int | None = None,
             seed: int | None = None, *, jobs: int | None = None) -> Backtest:
    """Does ``scenario`` reproduce the office's record ``history``? See
    :func:`simlib.fitting.backtest.backtest`."""
    from simlib.fitting import backtest as checks

    return checks.backtest(scenario, history, replications, seed, jobs=jobs)


def fit(history: History, base: Scenario) -> tuple[HistoryFit, Posterior | None]:
    """The model fitted to the office's record ``history`` on ``base``'s steps, bodies and
    calendar, and the draws of its estimates (a parametric bootstrap) that the fitted
    what-if carries for ``--uncertainty`` (None when nothing was fitted to draw). See
    :func:`simlib.fitting.fit_history`."""
    found = fit_history(history, base)
    return found, bootstrap_draws(found, base.variant(found.changes()))
