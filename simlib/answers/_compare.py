"""What would make it faster? What-ifs against a baseline, as paired differences
(``mcsim compare``, report 02)."""

from __future__ import annotations

import concurrent.futures as cf
import copy
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from simlib.answers._figure import Figure
from simlib.experiments.compare import Comparison
from simlib.experiments.compare import compare as paired_comparison
from simlib.experiments.runner import Progress
from simlib.formats.jsonout import json_ready
from simlib.scenario import Scenario


@dataclass(frozen=True, eq=False)
class ComparisonAnswer:
    """Each what-if's paired differences against the baseline.

    ``comparison``: the runs whose differences and CIs the readers show; ``over_draws``:
    the same comparison at the base's posterior draws (with ``uncertainty``), whose spread
    gives each difference's range (``comparison`` itself with ``mcsim compare
    --uncertainty``: every figure is then over the draws)."""

    comparison: Comparison
    over_draws: Comparison | None = None

    @property
    def from_draws(self) -> bool:
        """True when the differences shown are those over the draws themselves."""
        return self.over_draws is self.comparison

    @property
    def fixed(self) -> bool:
        """True when the draws fix every parameter (each range is then the CI itself)."""
        runs = self.over_draws.uncertain if self.over_draws is not None else None
        return all(run.draws.fixed for run in runs or ())

    @cached_property
    def _plain(self) -> dict:
        return self.comparison.to_dict()

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """(what-if name, pathway) of every difference, in the comparison's order."""
        return [(name, pathway) for name, entry in self._plain["alternatives"].items()
                for pathway in entry["pathways"]]

    def difference(self, name: str, pathway: str) -> Figure:
        """The mean days that what-if ``name`` changes on ``pathway`` (what-if minus base),
        with its CI, its range over what we don't know and the chance it is a saving."""
        if self.from_draws:
            return Figure.over_draws(self.comparison.over_draws[(name, pathway)][0], True)
        row = self._plain["alternatives"][name]["pathways"][pathway]
        drawn = (None if self.over_draws is None
                 else self.over_draws.over_draws[(name, pathway)][0])
        return Figure.with_range(_number(row["mean_diff_days"]), _pair(row["ci95"]), drawn,
                                 self.fixed, chance=True)

    def hours_change(self, name: str, hours: str) -> Figure | None:
        """The person-hours a year ``hours`` (``faculty``, ``faculty_outside_terms``,
        ``staff`` or ``total``) that what-if ``name`` changes (what-if minus base), with its
        CI, its range over what we don't know and the chance it frees hours; None when
        neither side's bodies have hours."""
        entry = self._plain["alternatives"][name]["hours"]
        if not entry["priced"]:
            return None
        if self.from_draws:
            return Figure.over_draws(self.comparison.hours_over_draws[(name, hours)], True)
        item = entry[f"{hours}_per_year"]
        drawn = (None if self.over_draws is None
                 else self.over_draws.hours_over_draws[(name, hours)])
        return Figure.with_range(_number(item["change"]), _pair(item["ci95"]), drawn,
                                 self.fixed, chance=True)

    def time_breakdown(self) -> pd.DataFrame:
        """Where the time goes in the base and in each what-if: the rows of
        :func:`simlib.metrics.calendar.time_breakdown` (mean days per approved proposal at
        each step, by kind of wait) of each scenario, with its name in a first column
        ``scenario`` (the base first). Uses the logs kept by ``compare(...,
        keep_events=True)``, else simulates them again (the same logs)."""
        runs = (self.comparison.base, *self.comparison.alternatives)
        table = pd.concat([run.time_breakdown.assign(scenario=run.scenario.name)
                           for run in runs], ignore_index=True)
        return table[["scenario", *table.columns.drop("scenario")]]

    def to_dict(self) -> dict:
        """The JSON of ``mcsim compare``; with draws, each difference's
        ``difference_predictive95`` and ``p_shorter`` over what we don't know, and each
        change in hours its ``predictive95`` and ``p_fewer``."""
        if self.over_draws is None or self.from_draws or self.fixed:
            return self._plain
        result = copy.deepcopy(self._plain)
        for name, entry in result["alternatives"].items():
            for pathway, row in entry["pathways"].items():
                figure = self.difference(name, pathway)
                row.update(difference_predictive95=list(figure.range95),
                           p_shorter=figure.p_below_zero)
            for key, item in entry["hours"].items():
                if key.endswith("_per_year"):
                    figure = self.hours_change(name, key.removesuffix("_per_year"))
                    item.update(predictive95=list(figure.range95), p_fewer=figure.p_below_zero)
        return json_ready(result)


def _number(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def _pair(values: list) -> tuple[float, float]:
    return _number(values[0]), _number(values[1])


def compare(
    base: Scenario, alternatives: Sequence[Scenario], replications: int | str | None = None,
    seed: int | None = None, *, uncertainty: bool = False, draws: int | None = None,
    draw_replications: int | None = None, precision: float = 0.02,
    max_replications: int = 1000, executor: cf.Executor | None = None,
    jobs: int | None = None, progress: Progress = None, keep_events: bool = False,
) -> ComparisonAnswer:
    """Compare each of ``alternatives`` with ``base`` (common random numbers).

    ``replications``: a count (default: the base's) or ``"auto"`` (see
    :func:`simlib.experiments.compare.compare`). With ``uncertainty`` the comparison also
    runs at ``draws`` posterior draws of the base with ``draw_replications`` runs each, for
    each difference's range (:func:`with_range`); without ``draw_replications`` the answer
    is those runs alone, ``replications`` per draw (as ``mcsim compare --uncertainty``).
    ``progress``: a bar, or a function of (done, total) that may raise to stop the run
    (:data:`simlib.experiments.runner.Progress`). ``keep_events``: keep the event logs, for
    :meth:`ComparisonAnswer.time_breakdown` without simulating again."""
    options = {"executor": executor, "jobs": jobs, "precision": precision,
               "max_replications": max_replications}
    if uncertainty and draw_replications is None:
        found = paired_comparison(base, alternatives, replications, seed, progress=progress,
                                  uncertainty=True, draws=draws, **options)
        return ComparisonAnswer(found, found)
    found = paired_comparison(base, alternatives, replications, seed, progress=progress,
                              keep_events=keep_events, **options)
    answer = ComparisonAnswer(found)
    if not uncertainty:
        return answer
    return with_range(answer, draws, draw_replications, executor=executor, jobs=jobs,
                      progress=False)


def with_range(
    answer: ComparisonAnswer, draws: int | None, draw_replications: int, *,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: Progress = None,
) -> ComparisonAnswer:
    """``answer`` (a comparison without draws) with each figure's range over what we don't
    know: the same scenarios, seed and common random numbers run at ``draws`` posterior
    draws of the base, ``draw_replications`` runs each. The explorer shows ``answer`` first
    and this when it arrives; :func:`compare` with ``uncertainty`` and ``draw_replications``
    is the two at once."""
    found = answer.comparison
    drawn = paired_comparison(found.base.scenario,
                              [alt.scenario for alt in found.alternatives], draw_replications,
                              found.seed, executor=executor, jobs=jobs, progress=progress,
                              uncertainty=True, draws=draws)
    return ComparisonAnswer(found, drawn)
