"""How long does a proposal take today? One scenario replicated (``mcsim run``, report 01)."""

from __future__ import annotations

import concurrent.futures as cf
from dataclasses import dataclass

import pandas as pd

from simlib.answers._figure import Figure
from simlib.experiments.precision import PreciseRun, replicate_until_precise
from simlib.experiments.results import Results, hours_figure, hours_paths, replicate
from simlib.experiments.uncertainty import UncertainRun, run_uncertain, uncertainty_settings
from simlib.formats.jsonout import json_ready
from simlib.metrics.events import journey_table
from simlib.scenario import Scenario


@dataclass(frozen=True, eq=False)
class RunAnswer:
    """One scenario's cycle times, where the time goes, load and promises.

    ``results``: the runs whose tables the readers show; ``over_draws``: the scenario at
    its posterior draws (with ``uncertainty``), whose spread gives each mean's range;
    ``auto``: the automatic replication count, when it chose the count."""

    results: Results
    over_draws: UncertainRun | None = None
    auto: PreciseRun | None = None

    @property
    def from_draws(self) -> bool:
        """True when ``results`` are the runs at the draws pooled (``mcsim run
        --uncertainty``): every figure is then over the draws."""
        return self.over_draws is not None and self.results is self.over_draws.pooled

    @property
    def fixed(self) -> bool:
        """True when the draws fix every parameter (each range is then the CI itself)."""
        return self.over_draws is not None and self.over_draws.draws.fixed

    @property
    def scenario(self) -> Scenario:
        """The scenario that was run."""
        return self.results.scenario

    def cycle(self, pathway: str, metric: str = "cycle_days") -> Figure:
        """The mean days from submission to approval of ``pathway`` (or of the journey's
        ``metric``: ``badge_days`` from approval to the badge going live,
        ``offering_days`` and ``first_badge_days`` from submission to the first offering's
        start and to the first badges), with its CI and (with draws) its range over what
        we don't know."""
        if self.from_draws:
            return Figure.over_draws(self.over_draws.cycle(pathway, metric))
        row = self.results.pathways.loc[pathway]
        ci95 = (float(row[f"{metric}_ci95_low"]), float(row[f"{metric}_ci95_high"]))
        drawn = None if self.over_draws is None else self.over_draws.cycle(pathway, metric)
        return Figure.with_range(float(row[f"{metric}_mean"]), ci95, drawn, self.fixed)

    def journey(self) -> pd.DataFrame:
        """The whole journey of the approved proposals, per pathway: the P10, median and
        P90 of the days from submission to approval, to the badge going live, to the first
        offering's start and to the first badges (one row per milestone reached;
        :func:`simlib.metrics.events.journey_table` of ``results.proposals``)."""
        return journey_table(self.results.proposals, self.scenario)

    def hours(self, name: str) -> Figure:
        """The hours figure ``name`` (a row of :func:`simlib.metrics.pooled.hours_table`:
        ``faculty``, ``faculty_outside_terms``, ``staff``, ``total``, ``<body>.in_term``,
        ``<body>.outside_terms`` in person-hours a year, or ``per_approved`` in hours per
        approved proposal) with its CI and (with draws) its range over what we don't
        know."""
        if self.from_draws:
            return Figure.over_draws(self.over_draws.hours(name))
        row = self.results.hours.loc[name]
        drawn = None if self.over_draws is None else self.over_draws.hours(name)
        return Figure.with_range(float(row["mean"]), (float(row["low"]), float(row["high"])),
                                 drawn, self.fixed)

    def to_dict(self) -> dict:
        """The JSON of ``mcsim run``: run settings, ``pathways``, ``bodies``, ``sla`` and
        ``hours``; with draws, each pathway's and each priced hours figure's
        ``predictive95``, and the ``uncertainty`` block."""
        if self.auto is not None:
            return self.auto.to_dict()
        if self.from_draws:
            return self.over_draws.to_dict()
        result = self.results.to_dict()
        if self.over_draws is not None:
            for name, item in result["pathways"].items():
                item["cycle_days"]["predictive95"] = list(self.cycle(name).range95)
                for metric, entry in item.get("journey", {}).items():
                    entry["predictive95"] = list(self.cycle(name, metric).range95)
            if result["hours"]["priced"]:
                for name, path in hours_paths(self.scenario).items():
                    hours_figure(result["hours"], path)["predictive95"] = list(
                        self.hours(name).range95)
            result["uncertainty"] = uncertainty_settings(self.over_draws.draws,
                                                         self.over_draws.replications)
        return json_ready(result)


def run(
    scenario: Scenario, replications: int | str | None = None, seed: int | None = None, *,
    uncertainty: bool = False, draws: int | None = None, draw_replications: int | None = None,
    precision: float = 0.02, max_replications: int = 1000,
    executor: cf.Executor | None = None, jobs: int | None = None, progress: bool | None = None,
) -> RunAnswer:
    """Replicate ``scenario`` and answer how long its proposals take.

    ``replications``: a count (default: the scenario's) or ``"auto"`` (the count at which
    every pathway's 95% CI is within ``precision`` of its mean, at most
    ``max_replications``). With ``uncertainty`` the scenario also runs at ``draws``
    posterior draws with ``draw_replications`` runs each, for each mean's range; without
    ``draw_replications`` the answer is those runs alone, ``replications`` per draw (as
    ``mcsim run --uncertainty``). ``seed``: default the scenario's."""
    if uncertainty and draw_replications is None:
        [drawn] = run_uncertain([scenario], draws, replications, seed, executor, jobs,
                                progress)
        return RunAnswer(drawn.pooled, drawn)
    if replications == "auto":
        precise = replicate_until_precise(scenario, precision, max_replications, seed,
                                          executor=executor, jobs=jobs, progress=progress)
        return RunAnswer(precise.results[0], auto=precise)
    results = replicate(scenario, replications, seed, executor=executor, jobs=jobs,
                        progress=progress)
    if not uncertainty:
        return RunAnswer(results)
    [drawn] = run_uncertain([scenario], draws, draw_replications, results.seed, executor,
                            jobs, progress=False)
    return RunAnswer(results, drawn)
