"""The frontier of days against faculty hours (``mcsim optimize SPEC --pareto``).

Every configuration of a spec (one option per decision) is simulated with the same seed and
replications, so replication k of every configuration sees the same random numbers (common
random numbers). Each configuration is then a point on two axes, both lower-is-better:

- **days**: the spec's target metric (``mean`` or ``p90`` of the target pathway's days from
  submission to approval, pooled over the replications, as ``mcsim run`` prints it), its
  95% CI as in :mod:`~simlib.optimize._evidence`;
- **faculty hours a year**: the ``faculty`` hours of
  :func:`~simlib.metrics.summary.hours_per_year` (committee members' reviews, meetings and
  items), averaged over the replications, with its 95% CI;
- with ``outside_terms`` (the spec's ``frontier.outside_terms``), a third axis: the part of
  those hours outside the terms (summer and breaks, when most faculty are off contract).

The frontier, the dominator of each excluded configuration and the knee are those of
:func:`~simlib.optimize._pareto.pareto_set` on the point estimates (the knee on days and
faculty hours). A configuration with no proposal approved has no days and is left out.

**Levers.** The first option of every decision is today's, so configuration 0 is today.
A *lever* is one option changed from today's alone: the days it saves (today minus it) and
the faculty hours it adds (it minus today), both paired differences with their 95% CIs,
and the days saved per hour added. A lever is *clearly* faster (or adds hours) when the
paired 95% CI lies above zero. :attr:`Frontier.levers` ranks them: those clearly faster
without clearly adding hours first (most days saved first), then those buying days with
hours (most days per hour first), then those not clearly faster.

**What we don't know.** :func:`frontier_unknowns` runs the frontier's configurations again
at the base scenario's posterior draws (a configuration keeps them, as a what-if does;
see :mod:`simlib.experiments.uncertainty`), giving each frontier point a 95% range on each
axis over the draws.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simlib.defaults import defaults
from simlib.experiments.price import MORE, hours_verdict
from simlib.experiments.results import replication_summary
from simlib.experiments.runner import local_pool, run
from simlib.experiments.uncertainty import Draws, Split, run_uncertain, split
from simlib.formats.jsonout import json_ready
from simlib.metrics.summary import Replication, hours_per_year
from simlib.optimize._evidence import Evidence, interval_method, mean_evidence, measure
from simlib.optimize._pareto import ParetoSet, pareto_set
from simlib.optimize._spec import Configuration, Study

AXES = ("days", "faculty_hours", "faculty_hours_outside_terms")
KNEE_RULE = ("the frontier point farthest from the straight line joining its cheapest and "
             "its fastest point, both axes scaled to their range on the frontier")


@dataclass(frozen=True, eq=False)
class Point:
    """A configuration with its evidence on each axis: ``days`` (the spec's metric, days),
    ``faculty_hours`` and ``outside_hours`` (faculty hours a year, all and outside terms)."""

    configuration: Configuration
    days: Evidence
    faculty_hours: Evidence
    outside_hours: Evidence

    def evidence(self, axis: str) -> Evidence:
        """The evidence on ``axis`` (one of :data:`AXES`)."""
        return {"days": self.days, "faculty_hours": self.faculty_hours,
                "faculty_hours_outside_terms": self.outside_hours}[axis]


@dataclass(frozen=True, eq=False)
class Lever:
    """One option changed from today's alone (``decision`` name, ``option`` label): its
    ``point``, the ``days_saved`` (today's days minus its; paired) and the
    ``extra_hours`` (its faculty hours a year minus today's; paired)."""

    decision: str
    option: str
    point: Point
    days_saved: Evidence
    extra_hours: Evidence

    @property
    def kind(self) -> str:
        """``free`` (clearly faster without clearly more hours), ``buys`` (clearly faster
        for clearly more hours) or ``no_gain`` (not clearly faster); "clearly": the paired
        95% CI lies above zero (for the hours, :func:`~simlib.experiments.price.hours_verdict`
        as a comparison's price reads it)."""
        if not self.days_saved.interval(0.95)[0] > 0:
            return "no_gain"
        return "buys" if hours_verdict(*self.extra_hours.interval(0.95)) == MORE else "free"

    @property
    def days_per_hour(self) -> float:
        """Days saved per faculty hour a year added (NaN unless it buys days with hours)."""
        if self.kind != "buys":
            return math.nan
        return self.days_saved.point / self.extra_hours.point

    def to_dict(self) -> dict:
        """The lever as a JSON-ready dict: days saved and extra faculty hours a year, each
        with its 95% CI, days per hour and its kind."""
        return json_ready({
            "decision": self.decision, "option": self.option, "kind": self.kind,
            "days_saved": {"value": self.days_saved.point,
                           "ci95": list(self.days_saved.interval(0.95))},
            "extra_faculty_hours": {"value": self.extra_hours.point,
                                    "ci95": list(self.extra_hours.interval(0.95))},
            "days_per_hour": self.days_per_hour,
        })


def _lever_order(lever: Lever) -> tuple:
    kind = lever.kind
    if kind == "free":
        return (0, -lever.days_saved.point)
    if kind == "buys":
        return (1, -lever.days_per_hour)
    return (2, -_finite(lever.days_saved.point))


@dataclass(frozen=True, eq=False)
class Frontier:
    """The frontier of a study: its settings, every configuration's :class:`Point` (in
    configuration order), the :class:`~simlib.optimize._pareto.ParetoSet` over them (indices
    are configuration indices) and the configurations ``left_out`` (no proposal approved).
    Days for the metric; faculty hours a year for the hours."""

    study: Study
    seed: int
    replications: int
    outside_terms: bool
    points: tuple[Point, ...]
    pareto: ParetoSet
    left_out: tuple[int, ...]

    @property
    def axes(self) -> tuple[str, ...]:
        """The axes of dominance (the first two also of the knee)."""
        return AXES if self.outside_terms else AXES[:2]

    @property
    def today(self) -> Point:
        """Configuration 0: every decision at its first option."""
        return self.points[0]

    @property
    def front(self) -> list[Point]:
        """The frontier's points, fewest faculty hours first."""
        return [self.points[index] for index in self.pareto.front]

    @property
    def knee(self) -> Point | None:
        """The knee (see :mod:`~simlib.optimize._pareto`), or None."""
        return None if self.pareto.knee is None else self.points[self.pareto.knee]

    @property
    def excluded(self) -> list[Point]:
        """The dominated points, in configuration order."""
        return [point for point, by in zip(self.points, self.pareto.dominated_by, strict=True)
                if by is not None]

    def dominator(self, point: Point) -> Point | None:
        """The frontier point assigned to dominate ``point`` (None on the frontier)."""
        index = self.pareto.dominated_by[point.configuration.index]
        return None if index is None else self.points[index]

    @property
    def priced(self) -> bool:
        """False when every configuration has zero faculty hours (the scenario prices no
        committee work: its committees have no ``hours``)."""
        return any(point.faculty_hours.point > 0 for point in self.points)

    def changes(self, point: Point) -> list[tuple[str, str]]:
        """(decision name, option label) of each decision ``point`` sets otherwise than
        today, in spec order (empty for today)."""
        today = dict(self.today.configuration.choices)
        return [(name, option) for name, option in point.configuration.choices
                if today[name] != option]

    @cached_property
    def levers(self) -> tuple[Lever, ...]:
        """Each option changed from today's alone, best first (module docstring)."""
        today = self.today
        found = []
        for point in self.points[1:]:
            changed = self.changes(point)
            if len(changed) != 1 or point.configuration.index in self.left_out:
                continue
            found.append(Lever(*changed[0], point, today.days.minus(point.days),
                               point.faculty_hours.minus(today.faculty_hours)))
        return tuple(sorted(found, key=_lever_order))

    @property
    def best_buy(self) -> Lever | None:
        """The lever that buys the most days per faculty hour added, if any adds hours
        and saves days."""
        return next((lever for lever in self.levers if lever.kind == "buys"), None)

    @property
    def simulated_replications(self) -> int:
        """Replications simulated in all (configurations x replications each)."""
        return self.replications * len(self.points)

    def describe(self, point: Point) -> dict:
        """One point as a JSON-ready dict: its configuration, its changes from today, each
        axis's value and 95% CI, whether it meets the spec's target, and where it stands."""
        target = self.study.spec.target
        item = {"configuration": dict(point.configuration.choices),
                "changes": dict(self.changes(point))}
        for axis in self.axes:
            evidence = point.evidence(axis)
            item[axis] = {"value": evidence.point, "ci95": list(evidence.interval(0.95))}
        item["meets_target"] = point.days.bound(target.confidence) < target.below_days
        dominator = self.dominator(point)
        item["on_frontier"] = point in self.front
        item["knee"] = point is self.knee
        item["dominated_by"] = (None if dominator is None
                                else dict(dominator.configuration.choices))
        return json_ready(item)

    def to_dict(self) -> dict:
        """A JSON-ready summary: settings, ``today``, the ``frontier`` (fewest hours first),
        the ``knee``, every ``excluded`` point with its dominator, those ``left_out`` and
        the ``levers`` (best first)."""
        spec = self.study.spec
        return {
            "spec": str(self.study.path), "name": spec.name, "title": spec.title,
            "base": self.study.base.name, "target": spec.target.model_dump(mode="json"),
            "metric": spec.target.metric, "interval": interval_method(spec.target.metric),
            "axes": list(self.axes), "knee_rule": KNEE_RULE, "seed": self.seed,
            "replications": self.replications, "configurations": len(self.points),
            "simulated_replications": self.simulated_replications, "priced": self.priced,
            "today": self.describe(self.today),
            "frontier": [self.describe(point) for point in self.front],
            "knee": None if self.knee is None else self.describe(self.knee),
            "excluded": [self.describe(point) for point in self.excluded],
            "left_out": [dict(self.points[index].configuration.choices)
                         for index in self.left_out],
            "levers": [lever.to_dict() for lever in self.levers],
        }


def _finite(value: float) -> float:
    return value if math.isfinite(value) else -math.inf


def point_of(configuration: Configuration, summaries: Sequence[Replication], pathway: str,
             metric: str, seed: int) -> Point:
    """The :class:`Point` of ``configuration`` from its replications' summaries."""
    scenario = configuration.scenario
    number = list(scenario.pathways).index(pathway)
    hours = [hours_per_year(summary, scenario) for summary in summaries]
    return Point(configuration,
                 measure([summary.approved_days(number) for summary in summaries], metric, seed),
                 mean_evidence([item["faculty"] for item in hours]),
                 mean_evidence([item["faculty_outside_terms"] for item in hours]))


def frontier(study: Study, replications: int | None = None, seed: int | None = None,
             outside_terms: bool | None = None, jobs: int | None = None,
             executor: cf.Executor | None = None, progress: bool | None = None) -> Frontier:
    """Every configuration of ``study`` simulated ``replications`` times (default: the
    spec's) with ``seed`` (default: the spec's, else the base's) for all (CRN), and the
    frontier of days against faculty hours (and, with ``outside_terms``, default the spec's
    ``frontier.outside_terms``, faculty hours outside terms). ``executor``, ``jobs`` and
    ``progress`` as for :func:`~simlib.optimize.optimize`."""
    spec = study.spec
    count, seed = study.run_settings(replications, seed)
    if outside_terms is None:
        outside_terms = spec.frontier is not None and spec.frontier.outside_terms
    configurations = study.configurations
    with local_pool(executor, jobs) as (pool, workers):
        runs = run([(config.scenario, range(count)) for config in configurations],
                   replication_summary, seed, pool, workers, progress, desc=spec.name)
    points = tuple(point_of(config, summaries, spec.target.pathway, spec.target.metric, seed)
                   for config, summaries in zip(configurations, runs, strict=True))
    axes = AXES if outside_terms else AXES[:2]
    kept = [point.configuration.index for point in points if math.isfinite(point.days.point)]
    left_out = tuple(sorted(set(range(len(points))) - set(kept)))
    return Frontier(study, seed, count, outside_terms, points, _pareto_of(points, kept, axes),
                    left_out)


def _pareto_of(points: Sequence[Point], kept: list[int], axes: Sequence[str]) -> ParetoSet:
    """The Pareto set on ``axes`` of the points numbered ``kept`` (those with days), in
    configuration indices (the others neither on the frontier nor dominated)."""
    found = pareto_set([[points[index].evidence(axis).point for axis in axes]
                        for index in kept]) if kept else ParetoSet((), (), None)
    dominated_by: list[int | None] = [None] * len(points)
    for position, by in enumerate(found.dominated_by):
        dominated_by[kept[position]] = None if by is None else kept[by]
    return ParetoSet(tuple(kept[index] for index in found.front), tuple(dominated_by),
                     None if found.knee is None else kept[found.knee])


@dataclass(frozen=True, eq=False)
class FrontierUnknowns:
    """The frontier's points at the posterior draws: ``draws`` (the base's, as each
    configuration keeps them), ``replications`` per draw and, per configuration index of
    the frontier, a :class:`~simlib.experiments.uncertainty.Split` per axis."""

    draws: Draws
    replications: int
    splits: dict[int, dict[str, Split]]
    values: dict[int, dict[str, np.ndarray]]


def frontier_unknowns(found: Frontier, uncertainty: bool = True, draws: int | None = None,
                      replications: int | None = None, executor: cf.Executor | None = None,
                      jobs: int | None = None) -> FrontierUnknowns | None:
    """The frontier's configurations run at ``draws`` posterior draws (default:
    ``optimize``'s in :data:`simlib.defaults.DEFAULTS`), ``replications`` each, with the
    frontier's seed; None without ``uncertainty`` or without a frontier."""
    if not uncertainty or not found.front:
        return None
    chosen = defaults("optimize")
    per_draw = replications or chosen.replications_per_draw
    runs = run_uncertain([point.configuration.scenario for point in found.front],
                         draws or chosen.draws, per_draw, found.seed, executor, jobs,
                         progress=False)
    target = found.study.spec.target
    splits, values = {}, {}
    for point, drawn in zip(found.front, runs, strict=True):
        index = point.configuration.index
        splits[index], values[index] = {}, {}
        for axis, evidence in _draw_evidence(point, drawn.summaries, target.pathway,
                                             target.metric, found.seed, found.axes).items():
            values[index][axis] = np.array([item.point for item in evidence])
            noise = np.array([item.standard_error ** 2 for item in evidence])
            splits[index][axis] = split(values[index][axis], noise, drawn.draws.fixed,
                                        drawn.draws.matrix)
    return FrontierUnknowns(runs[0].draws, per_draw, splits, values)


def _draw_evidence(point: Point, summaries: Sequence[Sequence[Replication]], pathway: str,
                   metric: str, seed: int, axes: Sequence[str]) -> dict[str, list[Evidence]]:
    """Per axis, the evidence at each draw about ``point``'s figure (from that draw's
    replications)."""
    per_draw = [point_of(point.configuration, draw, pathway, metric, seed) for draw in summaries]
    return {axis: [item.evidence(axis) for item in per_draw] for axis in axes}
