"""Paired comparison of what-if scenarios against a baseline, with common random numbers.

Replication ``k`` of every scenario uses the same seed and replication number, so each
source of randomness (arrivals, reviews, decisions, rework) draws the same numbers in every
scenario. Differences are therefore computed replication by replication (paired), which
removes most of the noise that two independent runs would carry.

- Mean cycle time (days): the difference of pooled means, alternative minus baseline, with a
  t-interval (n - 1 degrees of freedom) from the per-replication paired residuals of the
  ratio estimator (:func:`simlib.statistics.paired_mean_difference`):
  ``e_k = (S_alt_k - R_alt N_alt_k) / Nbar_alt - (S_base_k - R_base N_base_k) / Nbar_base``
  (``S``: sum of cycle days, ``N``: approvals in replication ``k``; ``R``: pooled mean).
- P90 cycle time (days): the difference of pooled P90s, with a paired bootstrap interval:
  replications are resampled with replacement (the same ones for both scenarios), the
  pooled P90s are recomputed, and the 2.5% and 97.5% points of the difference are taken.
- The journey after approval (per pathway with steps after approval in both): for each
  of :data:`~simlib.metrics.events.MILESTONES` (days from approval to the badge going live,
  from submission to the first offering and to the first badges), the paired difference of
  the means over the proposals that reached it, as for the mean cycle time.
- SLA: the difference of the shares of first responses within the promise (fractions).
- Changes: every value each alternative's simulation sees differently from the base's
  (:func:`simlib.scenario.what_changed`), e.g. ``bodies.dean.staff: 6 -> 2``.
- Hours (person-hours a year: faculty, faculty outside terms, staff, total): the paired
  change with its t interval, and per pathway what the days saved cost in faculty hours
  (:mod:`simlib.experiments.price`); when neither side's bodies have hours, only
  ``priced: false`` and a note.

A scenario compared with an identical copy gives bit-identical logs, so every difference
and interval is exactly 0.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from simlib.engine.randomness import generator
from simlib.errors import ComparisonError
from simlib.experiments.precision import PreciseRun, approved_totals, replicate_until_precise
from simlib.experiments.price import hours_block, hours_change_over_draws, trade
from simlib.experiments.results import UNPRICED, Results, journeys, replicate_all
from simlib.experiments.runner import Progress, run_settings
from simlib.experiments.uncertainty import (
    Split,
    UncertainRun,
    difference,
    difference_means,
    hours_difference,
    run_uncertain,
    uncertainty_settings,
)
from simlib.formats.jsonout import json_ready
from simlib.metrics.events import MILESTONES
from simlib.metrics.pooled import hours_frame
from simlib.metrics.summary import HOURS, priced
from simlib.scenario import Change, Scenario, what_changed
from simlib.statistics import paired_mean_difference, paired_quantile_interval, ratio_estimate
from simlib.version import __version__

BOOTSTRAP_RESAMPLES = 1000
LEVEL = 0.95
P90_METHOD = "paired bootstrap over replications (1000 resamples, percentile interval)"



def paired_p90_interval(
    base: tuple[np.ndarray, np.ndarray], alt: tuple[np.ndarray, np.ndarray],
    replications: int, rng: np.random.Generator, resamples: int = BOOTSTRAP_RESAMPLES,
    level: float = LEVEL,
) -> tuple[float, float]:
    """Percentile bootstrap interval of P90(alt) - P90(base) (days), resampling whole
    replications with replacement, the same ones for both scenarios
    (:func:`simlib.statistics.paired_quantile_interval`).

    ``base`` and ``alt``: (cycle days, replication number 0..replications-1) of each
    approved proposal.
    """
    if replications < 2:
        return math.nan, math.nan
    draws = rng.multinomial(replications, np.full(replications, 1.0 / replications), resamples)
    return paired_quantile_interval(base, alt, draws, 0.9, level)


def verdict(low: float, high: float) -> str:
    """``shorter`` or ``longer`` when the interval excludes 0, else ``no clear change``."""
    if math.isnan(low) or math.isnan(high) or low <= 0.0 <= high:
        return "no clear change"
    return "shorter" if high < 0.0 else "longer"


@dataclass(frozen=True)
class _Side:
    """One scenario's approved proposals and their per-replication totals (days)."""

    sums: pd.DataFrame
    counts: pd.DataFrame
    approved: pd.DataFrame

    @classmethod
    def of(cls, results: Results, metric: str = "cycle_days") -> _Side:
        """The side of ``results`` for ``metric`` (cycle days, or a journey's milestone:
        the proposals that reached it)."""
        table = results.proposals
        approved = table[table["outcome"] == "approved"]
        sums, counts = approved_totals(approved, list(results.scenario.pathways),
                                       range(results.replications), metric)
        return cls(sums, counts, approved)

    def totals(self, pathway: str) -> tuple[np.ndarray, np.ndarray]:
        """(sums, counts) per replication of ``pathway`` (days, approvals)."""
        return self.sums[pathway].to_numpy(), self.counts[pathway].to_numpy()

    def cycles(self, pathway: str) -> tuple[np.ndarray, np.ndarray]:
        """(cycle days, replication number) of each approved proposal of ``pathway``."""
        mine = self.approved[self.approved["pathway"] == pathway]
        return (mine["cycle_days"].to_numpy(dtype=float),
                mine["replication"].to_numpy(dtype=np.int64))


def mean_difference(base: _Side, alt: _Side, pathway: str) -> dict:
    """Pooled means of one pathway and their paired difference with its 95% CI (days)."""
    difference, low, high = paired_mean_difference(base.totals(pathway), alt.totals(pathway))
    means = [float(ratio_estimate(*side.totals(pathway))[0]) for side in (base, alt)]
    return {"base_mean_days": means[0], "alt_mean_days": means[1],
            "mean_diff_days": difference, "ci95": [low, high]}


def p90_difference(base: _Side, alt: _Side, pathway: str, replications: int,
                   rng: np.random.Generator) -> dict:
    """Pooled P90s of one pathway and their difference with its paired bootstrap 95%
    interval (days; see the module)."""
    base_cycles, alt_cycles = base.cycles(pathway), alt.cycles(pathway)
    p90 = [float(np.quantile(values, 0.9)) if len(values) else math.nan
           for values, _ in (base_cycles, alt_cycles)]
    p90_low, p90_high = paired_p90_interval(base_cycles, alt_cycles, replications, rng)
    return {"base_p90_days": p90[0], "alt_p90_days": p90[1],
            "p90_diff_days": p90[1] - p90[0], "p90_ci95": [p90_low, p90_high]}


def sla_difference(base: Results, alt: Results) -> dict:
    """Per SLA (keyed as in ``Results.to_dict()["sla"]``, e.g. ``mc``) present in both:
    base_share, alt_share and share_diff (fractions of first responses within the promise)."""
    base_sla, alt_sla = base.to_dict()["sla"], alt.to_dict()["sla"]
    result = {}
    for key in base_sla.keys() & alt_sla.keys():
        shares = [base_sla[key]["share_met"], alt_sla[key]["share_met"]]
        shares = [math.nan if share is None else share for share in shares]
        result[key] = {"base_share": shares[0], "alt_share": shares[1],
                       "share_diff": shares[1] - shares[0]}
    return dict(sorted(result.items()))


@dataclass(frozen=True, eq=False, repr=False)
class Comparison:
    """Paired differences of ``alternatives`` against ``base`` (replicated with common random
    numbers). ``auto``: the automatic replication count, when it chose the count.
    ``uncertain``: base and alternatives run at each posterior draw (``--uncertainty``);
    then each difference also has ``difference_predictive95`` and ``p_shorter``, and its
    ``ci95`` is the simulation noise of the mean over the draws."""

    base: Results
    alternatives: tuple[Results, ...]
    auto: PreciseRun | None = None
    uncertain: tuple[UncertainRun, ...] | None = None

    def __repr__(self) -> str:
        names = ", ".join(alt.scenario.name for alt in self.alternatives)
        return (f"Comparison(baseline={self.base.scenario.name!r}, alternatives=[{names}], "
                f"replications={self.replications}, seed={self.seed})")

    @property
    def replications(self) -> int:
        """Replications of each scenario."""
        return self.base.replications

    @property
    def seed(self) -> int:
        """The seed every scenario used."""
        return self.base.seed

    @cached_property
    def changes(self) -> dict[str, tuple[Change, ...]]:
        """Per alternative name, in order: what it changes against the base, one
        :class:`~simlib.scenario.Change` (``path``, ``base``, ``new``; ``str()`` gives
        ``bodies.dean.staff: 6 -> 2``) per value (see :func:`~simlib.scenario.what_changed`)."""
        return {alt.scenario.name: tuple(what_changed(self.base.scenario, alt.scenario))
                for alt in self.alternatives}

    @cached_property
    def over_draws(self) -> dict[tuple[str, str], tuple[Split, np.ndarray]]:
        """With ``uncertain``: per (alternative name, pathway), the mean's difference
        (alternative minus base, days) over the draws and its value at each draw (noisy);
        see :mod:`simlib.experiments.uncertainty`. Empty without draws."""
        if self.uncertain is None:
            return {}
        base, found = self.uncertain[0], {}
        for alt in self.uncertain[1:]:
            for pathway in shared_pathways(base.scenario, alt.scenario):
                found[(alt.scenario.name, pathway)] = (
                    difference(base, alt, pathway), difference_means(base, alt, pathway))
        return found

    @cached_property
    def hours_over_draws(self) -> dict[tuple[str, str], Split]:
        """With ``uncertain``: per (alternative name, total of
        :data:`~simlib.metrics.summary.HOURS`), the change in person-hours a year
        (alternative minus base) over the draws. Empty without draws."""
        if self.uncertain is None:
            return {}
        base = self.uncertain[0]
        return {(alt.scenario.name, name): hours_difference(base, alt, name)
                for alt in self.uncertain[1:] for name in HOURS}

    def _hours(self, number: int, base: pd.DataFrame, pathways: dict) -> dict:
        """The ``hours`` entry of alternative ``number`` (1, 2, ...; ``base``: the base's
        hours frame; ``pathways``: its pathway rows): the change in each total of hours a
        year and, per pathway, its :func:`~simlib.experiments.price.trade`."""
        alt = self.alternatives[number - 1]
        if not (priced(self.base.scenario) or priced(alt.scenario)):
            return {"priced": False, "note": UNPRICED}
        if self.uncertain is None:
            block = hours_block(base, hours_frame(alt.summaries, alt.scenario))
        else:
            sides = self.uncertain[0], self.uncertain[number]
            block = {f"{name}_per_year": hours_change_over_draws(
                         *(side.hours(name) for side in sides),
                         self.hours_over_draws[(alt.scenario.name, name)])
                     for name in HOURS}
        faculty = block["faculty_per_year"]
        return {"priced": True, **block,
                "trade": {pathway: trade(row, faculty) for pathway, row in pathways.items()}}

    @cached_property
    def _entries(self) -> dict[str, dict]:
        """Per alternative name: title, changes ({path, base, new} each), pathways (see
        :func:`mean_difference` and :func:`p90_difference`; with draws the means are
        over the draws, :meth:`_mean_over_draws`), sla and hours (:meth:`_hours`)."""
        base = _Side.of(self.base)
        base_journey = ({metric: _Side.of(self.base, metric) for metric in MILESTONES}
                        if journeys(self.base.scenario) and self.uncertain is None else {})
        base_hours = hours_frame(self.base.summaries, self.base.scenario)
        entries = {}
        for number, alt in enumerate(self.alternatives, start=1):
            side, pathways = _Side.of(alt), {}
            alt_journey = ({metric: _Side.of(alt, metric) for metric in MILESTONES}
                           if base_journey and journeys(alt.scenario) else {})
            for pathway in shared_pathways(self.base.scenario, alt.scenario):
                rng = generator(self.seed, self.replications, f"compare.p90.{pathway}")
                means, change = (self._mean_over_draws(number, pathway) if self.uncertain
                                 else (mean_difference(base, side, pathway), None))
                row = {**means, **p90_difference(base, side, pathway, self.replications, rng),
                       "verdict": verdict(*means["ci95"])}
                if change is not None:
                    row.update(_ranged(change))
                if pathway in journeys(self.base.scenario) and pathway in journeys(alt.scenario):
                    row["journey"] = self._journey(number, pathway, base_journey, alt_journey)
                pathways[pathway] = row
            entries[alt.scenario.name] = {
                "title": alt.scenario.title,
                "changes": [change.to_dict() for change in self.changes[alt.scenario.name]],
                "pathways": pathways, "sla": sla_difference(self.base, alt),
                "hours": self._hours(number, base_hours, pathways),
            }
        return entries

    def _journey(self, number: int, pathway: str, base: dict[str, _Side],
                 alt: dict[str, _Side]) -> dict:
        """Per milestone of the journey after approval (:data:`MILESTONES`): the means of
        base and alternative ``number`` (1, 2, ...) and their paired difference with its
        95% CI and verdict (days; with draws, over the draws, with the difference's range
        and the chance it is shorter). ``base``, ``alt``: each side per milestone (without
        draws)."""
        found = {}
        for metric in MILESTONES:
            if self.uncertain is None:
                means = mean_difference(base[metric], alt[metric], pathway)
            else:
                means, change = self._mean_over_draws(number, pathway, metric)
                means.update(_ranged(change))
            found[metric] = {**means, "verdict": verdict(*means["ci95"])}
        return found

    def _mean_over_draws(self, number: int, pathway: str,
                         metric: str = "cycle_days") -> tuple[dict, Split]:
        """Means of ``metric`` (cycle days, or a milestone of the journey) and their
        difference over the draws (days) for alternative ``number`` (1, 2, ...), and that
        difference's split."""
        base, alt = self.uncertain[0], self.uncertain[number]
        change = (self.over_draws[(alt.scenario.name, pathway)][0] if metric == "cycle_days"
                  else difference(base, alt, pathway, metric))
        return ({"base_mean_days": base.cycle(pathway, metric).value,
                 "alt_mean_days": alt.cycle(pathway, metric).value,
                 "mean_diff_days": change.value, "ci95": list(change.ci95)}, change)

    def summary(self) -> pd.DataFrame:
        """Tidy rows (baseline, alternative, section, name, metric, value): section
        ``pathway`` (days: base/alt mean and P90, differences and 95% bounds), ``sla``
        (fractions: base_share, alt_share, share_diff) and, where hours are priced,
        ``hours`` (person-hours a year: base, alt, change and 95% bounds of each total)."""
        rows = []
        for alternative, entry in self._entries.items():
            hours = {name: item for name, item in entry["hours"].items()
                     if name.endswith("_per_year")}
            for section, items in (("pathway", entry["pathways"]), ("sla", entry["sla"]),
                                   ("hours", hours)):
                for name, item in items.items():
                    rows += [(alternative, section, name, metric, value)
                             for metric, value in _flat(item).items()]
        frame = pd.DataFrame(rows, columns=["alternative", "section", "name", "metric", "value"])
        frame["value"] = frame["value"].astype(float)
        frame.insert(0, "baseline", self.base.scenario.name)
        return frame

    def to_dict(self) -> dict:
        """A JSON-ready dict (days and fractions; NaN as None); see the module docstring."""
        result = {
            "baseline": self.base.scenario.name, "baseline_title": self.base.scenario.title,
            "replications": self.replications, "seed": self.seed, "level": LEVEL,
            "p90_ci95_method": P90_METHOD, "simlib_version": __version__,
            "alternatives": self._entries,
        }
        if self.auto is not None:
            result["replications_auto"] = self.auto.auto_dict()
        if self.uncertain is not None:
            base = self.uncertain[0]
            result["uncertainty"] = uncertainty_settings(base.draws, base.replications)
        return json_ready(result)


def _ranged(change: Split) -> dict:
    """A difference's range over what we don't know and the chance it is below 0."""
    return {"difference_predictive95": list(change.predictive95),
            "p_shorter": change.p_below(0.0)}


def _flat(item: dict) -> dict:
    """Numeric entries of a pathway or SLA row, intervals split into _low and _high."""
    flat = {}
    for key, value in item.items():
        if isinstance(value, list):
            flat[f"{key}_low"], flat[f"{key}_high"] = value
        elif isinstance(value, int | float):
            flat[key] = value
    return flat


def shared_pathways(base: Scenario, alt: Scenario) -> list[str]:
    """The base's pathways that the alternative also has, in the base's order."""
    return [name for name in base.pathways if name in alt.pathways]


def check_alternatives(base: Scenario, alternatives: Sequence[Scenario]) -> None:
    """Raise :class:`ComparisonError` unless there is at least one alternative, their names
    are distinct, and each shares a pathway with the base."""
    if not alternatives:
        raise ComparisonError("give at least one alternative scenario to compare with the base")
    names = [alt.name for alt in alternatives]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ComparisonError(f"alternatives need distinct names; {twice[0]!r} is given twice")
    for alt in alternatives:
        if not shared_pathways(base, alt):
            raise ComparisonError(f"{alt.name!r} shares no pathway with {base.name!r}")


def compare(
    base: Scenario, alternatives: Sequence[Scenario], replications: int | str | None = None,
    seed: int | None = None, executor: cf.Executor | None = None, jobs: int | None = None,
    progress: Progress = None, precision: float = 0.02, max_replications: int = 1000,
    uncertainty: bool = False, draws: int | None = None, keep_events: bool = False,
) -> Comparison:
    """Replicate ``base`` and every alternative with the same seed and replication numbers
    (common random numbers) and return their paired :class:`Comparison`.

    ``replications``: a count (default: the base's), or ``"auto"``: the HRD count at which
    every pathway mean of every scenario is within ``precision`` (fraction of the mean), at
    most ``max_replications`` (:func:`~simlib.experiments.precision.replicate_until_precise`).
    ``seed``: default the base's. ``executor``/``jobs``: as in
    :func:`~simlib.experiments.results.replicate`. ``uncertainty``: run every scenario at
    each of ``draws`` posterior draws of the base, ``replications`` per draw (see
    :func:`~simlib.experiments.uncertainty.run_uncertain`). ``keep_events``: keep the event
    logs of a run of a given count (for ``time_breakdown``; see
    :func:`~simlib.experiments.results.replicate`).
    """
    alternatives = list(alternatives)
    check_alternatives(base, alternatives)
    group = [base, *alternatives]
    if uncertainty:
        count = None if replications in (None, "auto") else int(replications)
        runs = run_uncertain(group, draws, count, seed, executor, jobs, progress)
        return Comparison(runs[0].pooled, tuple(run.pooled for run in runs[1:]),
                          uncertain=tuple(runs))
    if replications == "auto":
        seed = run_settings(base, None, seed, jobs)[1]
        run = replicate_until_precise(group, precision, max_replications, seed, executor,
                                      jobs, progress)
        return Comparison(run.results[0], run.results[1:], run)
    count, seed = run_settings(base, replications, seed, jobs)
    results = replicate_all(group, count, seed, executor, jobs, progress, keep_events,
                            desc="compare")
    return Comparison(results[0], tuple(results[1:]))
