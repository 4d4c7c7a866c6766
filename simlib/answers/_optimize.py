"""The cheapest fix (``mcsim optimize``): the cheapest combination of changes that meets a
target; and the frontier (``mcsim optimize --pareto``, report 08): the combinations no
other beats on both days and faculty hours, and the knee of that trade-off."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import dataclass

from simlib.answers._figure import Figure
from simlib.experiments.uncertainty import uncertainty_settings
from simlib.formats.jsonout import json_ready
from simlib.optimize import Frontier, FrontierUnknowns, Outcome, Point, Study, frontier_unknowns
from simlib.optimize import frontier as evaluate
from simlib.optimize import optimize as search


def optimize(study: Study, replications: int | None = None, seed: int | None = None, *,
             jobs: int | None = None, executor: cf.Executor | None = None,
             progress: bool | None = None) -> Outcome:
    """The cheapest configuration of ``study`` that meets its target; see
    :func:`simlib.optimize.optimize`."""
    return search(study, replications, seed, jobs, executor, progress)


@dataclass(frozen=True, eq=False)
class FrontierAnswer:
    """The frontier of a spec (``frontier``: every configuration as a point of days and
    faculty hours a year, the frontier, the dominators, the knee and the levers) and, with
    ``uncertainty``, its points at the posterior draws (``over_draws``)."""

    frontier: Frontier
    over_draws: FrontierUnknowns | None = None

    def figure(self, point: Point, axis: str) -> Figure:
        """``point``'s figure on ``axis`` (days, or faculty hours a year) with its 95% CI
        and, for a frontier point with draws, its 95% range over what we don't know."""
        evidence = point.evidence(axis)
        drawn = None
        if self.over_draws is not None:
            drawn = self.over_draws.splits.get(point.configuration.index, {}).get(axis)
        fixed = self.over_draws is not None and self.over_draws.draws.fixed
        return Figure.with_range(evidence.point, evidence.interval(0.95), drawn, fixed)

    def to_dict(self) -> dict:
        """The JSON of ``mcsim optimize --pareto``: :meth:`Frontier.to_dict` with, under
        draws, each frontier point's ``range95`` per axis and the ``uncertainty`` block."""
        result = self.frontier.to_dict()
        if self.over_draws is None:
            return result
        for point, item in zip(self.frontier.front, result["frontier"], strict=True):
            for axis in self.frontier.axes:
                item[axis]["range95"] = list(self.figure(point, axis).range95)
        result["uncertainty"] = uncertainty_settings(self.over_draws.draws,
                                                     self.over_draws.replications)
        return json_ready(result)


def frontier(study: Study, replications: int | None = None, seed: int | None = None, *,
             outside_terms: bool | None = None, uncertainty: bool = False,
             draws: int | None = None, draw_replications: int | None = None,
             jobs: int | None = None, executor: cf.Executor | None = None,
             progress: bool | None = None) -> FrontierAnswer:
    """Every configuration of ``study`` on days and faculty hours a year, and the frontier;
    see :func:`simlib.optimize.frontier`. With ``uncertainty`` the frontier's points run
    again at ``draws`` posterior draws, ``draw_replications`` runs each (defaults:
    ``optimize``'s in :data:`simlib.defaults.DEFAULTS`), for each one's 95% range."""
    found = evaluate(study, replications, seed, outside_terms, jobs, executor, progress)
    drawn = frontier_unknowns(found, uncertainty, draws, draw_replications, executor, jobs)
    return FrontierAnswer(found, drawn)
