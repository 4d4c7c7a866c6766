"""Exact traces: proposals submitted at chosen times into a built model (through the public
:meth:`simlib.engine.model.Model.submit`), and the wall-calendar helpers to write expected
times as dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from simlib.engine.model import Model, Proposal
from simlib.scenario import Scenario

START = dt.date(2025, 8, 25)  # a Monday, first day of the fall term


def day(date: dt.date) -> float:
    """Simulation time (days) of 00:00 on ``date``."""
    return float((date - START).days)


def noon(date: dt.date) -> float:
    """Simulation time (days) of 12:00 on ``date`` (when committees decide)."""
    return day(date) + 0.5


def run_injected(scenario: Scenario, submissions: list[tuple[float, str, str]]) -> pd.DataFrame:
    """Events of proposals submitted at the given (time, pathway, level), run to the end."""
    model = Model(scenario, seed=1)
    journeys = [model.submit(Proposal(index, pathway, level), time)
                for index, (time, pathway, level) in enumerate(submissions)]
    model.env.run(until=model.env.all_of(journeys))
    return model.event_log().to_frame()


