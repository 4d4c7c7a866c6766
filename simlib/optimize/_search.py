"""The cheapest fix: the least costly configuration of a spec that meets its target.

A spec (:mod:`~simlib.optimize._spec`) lists decisions with options and
costs, and a target such as "the P90 of credit-bearing days to approval below 180 days,
with 95% confidence".
Every configuration (one option per decision) is simulated with the same seed, so
replication k of every configuration sees the same random numbers (CRN) and differences
between configurations are due to the changes, not to luck.

**Judging the target.** The metric is the pooled ``mean`` or ``p90`` of the days from
submission to approval of the target pathway's proposals submitted after warm-up, over all
replications (the figures ``mcsim run`` prints). A configuration *meets* the target when the
one-sided upper confidence bound ``point + t(confidence, R - 1) x standard error`` is below
``below_days`` (R replications); the standard error comes from the spread between whole
replications (mean: the ratio estimator of ``mcsim run``; p90: a bootstrap over
replications, the same resamples for every configuration; see
:mod:`~simlib.optimize._evidence`).
The judgement is per configuration, one-sided at the target's ``confidence``.

The cheapest configuration that meets the target is the answer; equal costs are broken by
the better (lower) metric. When none meets it, the closest (lowest metric) is reported.

**Search.** Up to ``screening.exhaustive_up_to`` configurations: every one gets all
replications. Beyond: a two-stage screen-then-select procedure in the spirit of Nelson,
Swann, Goldsman and Song (2001), "Simple procedures for selecting the best simulated system
when the number of alternatives is large", Operations Research 49(6), 950-963. Their
first stage gives every system n0 replications and keeps system i only if no other system
is better by more than a t-based margin on the (CRN-paired) difference, with a Bonferroni
split of the screening error; the survivors then get a second stage. Here the goal is
constrained (cheapest configuration below a threshold), so the first stage
(``first_stage_replications`` each) discards configuration i when

1. its lower confidence bound is at or above ``below_days`` (it clearly fails), or
2. a configuration j costing no more is clearly better: the upper bound of the paired
   difference ``metric_j - metric_i`` is below 0 (at or below 0 if j is strictly cheaper),
   so i can never be the cheapest that meets the target, or
3. a strictly cheaper configuration j clearly meets the target.

Each test is one-sided at level ``1 - (1 - screening.confidence) / (2 K - 1)`` for K
configurations: the true answer faces at most 2 K - 1 tests that could discard it, so it
survives with probability at least ``screening.confidence`` (Bonferroni). Survivors are
simulated up to ``replications`` (a fixed second stage, where Nelson et al. use Rinott's
indifference-zone sample sizes) and judged as in the exhaustive search. Screened-out
configurations are reported with their first-stage evidence.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simlib.errors import InputError
from simlib.experiments.results import replication_summary
from simlib.experiments.runner import local_pool, run
from simlib.formats.jsonout import json_ready
from simlib.optimize._evidence import Evidence, interval_method, measure
from simlib.optimize._spec import Configuration, Study

# --- simulation --------------------------------------------------------------------------


def _simulate(study: Study, indices: Sequence[int], replications: range, seed: int,
              pool: cf.Executor | None, workers: int,
              progress: bool | None) -> dict[int, list[np.ndarray]]:
    """Cycle days of the target pathway per replication (in order) of the configurations
    ``indices``, through the runner."""
    scenarios = [study.configurations[index].scenario for index in indices]
    runs = run([(scenario, replications) for scenario in scenarios], replication_summary,
               seed, pool, workers, progress, desc=study.spec.name)
    result = {}
    for index, scenario, summaries in zip(indices, scenarios, runs, strict=True):
        pathway = list(scenario.pathways).index(study.spec.target.pathway)
        result[index] = [summary.approved_days(pathway) for summary in summaries]
    return result


# --- screening and selection -------------------------------------------------------------


def screening_confidence(configurations: int, confidence: float) -> float:
    """Per-test one-sided confidence of the first-stage screen (Bonferroni over the
    2 K - 1 tests that could discard the answer among K configurations)."""
    return 1.0 - (1.0 - confidence) / (2 * configurations - 1)


def screen(configurations: Sequence[Configuration], evidence: dict[int, Evidence],
           below_days: float, confidence: float) -> dict[int, str]:
    """Per configuration index: why the first stage discards it, or "" if it survives
    (rules 1-3 of the module docstring, each one-sided at ``confidence``)."""
    return {config.index: _screen_reason(config, configurations, evidence, below_days,
                                         confidence) for config in configurations}


def _screen_reason(config: Configuration, configurations: Sequence[Configuration],
                   evidence: dict[int, Evidence], below_days: float, confidence: float) -> str:
    own = evidence[config.index]
    if math.isnan(own.point):
        return "screened out: no proposal approved"
    if not own.bound(confidence, upper=False) < below_days:
        return f"screened out: clearly not below {below_days:g} days"
    for other in configurations:
        if other is config or other.cost > config.cost:
            continue
        theirs, cheaper = evidence[other.index], other.cost < config.cost
        if cheaper and theirs.bound(confidence) < below_days:
            return f"screened out: cheaper {other.label} clearly meets the target"
        gap = theirs.minus(own).bound(confidence)
        if cheaper and gap <= 0:
            return f"screened out: {other.label} costs less and is at least as good"
        if gap < 0:
            return f"screened out: {other.label} costs the same and is clearly better"
    return ""


@dataclass(frozen=True, eq=False)
class Candidate:
    """A configuration with its evidence; ``screened_out`` says why it got only the first
    stage ("" when it got every replication)."""

    configuration: Configuration
    evidence: Evidence
    screened_out: str = ""

    def meets(self, below_days: float, confidence: float) -> bool:
        """True when the one-sided upper bound is below ``below_days``."""
        return self.evidence.bound(confidence) < below_days

    def verdict(self, below_days: float, confidence: float) -> str:
        """``meets``, ``fails`` (the lower bound is at or above the target) or ``unclear``
        (more replications might decide)."""
        if self.meets(below_days, confidence):
            return "meets"
        lower = self.evidence.bound(confidence, upper=False)
        return "fails" if math.isnan(lower) or lower >= below_days else "unclear"


def rank(candidates: Sequence[Candidate], below_days: float,
         confidence: float) -> list[Candidate]:
    """Fully evaluated configurations first, then those screened out; within each, those
    meeting the target (cheapest first, then the better metric), then the others (by
    metric, then cost)."""
    def key(candidate: Candidate) -> tuple:
        meets = candidate.meets(below_days, confidence)
        cost = candidate.configuration.cost
        return (bool(candidate.screened_out), not meets, cost if meets else 0.0,
                _sortable(candidate.evidence.point), cost, candidate.configuration.index)
    return sorted(candidates, key=key)


@dataclass(frozen=True, eq=False)
class Outcome:
    """The result of :func:`optimize`: the study, the run settings, and every candidate
    ranked (see :func:`rank`). Days for metrics; the spec's ``cost_unit`` for costs."""

    study: Study
    seed: int
    replications: int
    first_stage_replications: int
    simulated_replications: int
    candidates: tuple[Candidate, ...]

    @property
    def method(self) -> str:
        """``exhaustive`` (every configuration fully evaluated) or ``screening``."""
        return "screening" if self.first_stage_replications < self.replications else "exhaustive"

    @property
    def best(self) -> Candidate | None:
        """The cheapest fully evaluated configuration meeting the target, if any."""
        target = self.study.spec.target
        first = self.candidates[0]
        if first.screened_out or not first.meets(target.below_days, target.confidence):
            return None
        return first

    @property
    def closest(self) -> Candidate:
        """The best, else the fully evaluated configuration with the lowest metric."""
        evaluated = [c for c in self.candidates if not c.screened_out] or list(self.candidates)
        return self.best or min(evaluated, key=lambda c: (_sortable(c.evidence.point),
                                                          c.configuration.cost))

    def describe(self, candidate: Candidate) -> dict:
        """One candidate as a JSON-ready dict (days, cost in the spec's unit)."""
        target = self.study.spec.target
        low, high = candidate.evidence.interval(0.95)
        config = candidate.configuration
        return json_ready({
            "configuration": dict(config.choices),
            "cost": config.cost,
            "metric": candidate.evidence.point,
            "ci95": [low, high],
            "upper_bound": candidate.evidence.bound(target.confidence),
            "meets": candidate.meets(target.below_days, target.confidence),
            "verdict": candidate.verdict(target.below_days, target.confidence),
            "replications": candidate.evidence.replications,
            "screened_out": candidate.screened_out or None,
        })

    def to_dict(self) -> dict:
        """A JSON-ready summary: settings, ``target``, ``best`` (None when no configuration
        meets the target), ``closest`` and ranked ``candidates``."""
        spec, best = self.study.spec, self.best
        return {
            "spec": str(self.study.path), "name": spec.name, "title": spec.title,
            "base": self.study.base.name, "cost_unit": spec.cost_unit,
            "target": spec.target.model_dump(mode="json"),
            "method": self.method, "interval": interval_method(spec.target.metric),
            "seed": self.seed, "replications": self.replications,
            "first_stage_replications": self.first_stage_replications,
            "configurations": len(self.candidates),
            "simulated_replications": self.simulated_replications,
            "found": best is not None,
            "best": None if best is None else self.describe(best),
            "closest": self.describe(self.closest),
            "candidates": [self.describe(candidate) for candidate in self.candidates],
        }


def _sortable(value: float) -> float:
    return math.inf if math.isnan(value) else value


def optimize(study: Study, replications: int | None = None, seed: int | None = None,
             jobs: int | None = None, executor: cf.Executor | None = None,
             progress: bool | None = None) -> Outcome:
    """Find the cheapest configuration of ``study`` meeting its target (module docstring).

    ``replications`` (default: the spec's) per fully evaluated configuration, ``seed``
    (default: the spec's, else the base's) shared by all (CRN). ``executor``: any
    ``concurrent.futures.Executor``; else a process pool of ``jobs`` workers (1: this
    process). ``progress``: a progress bar on stderr (default: when it is a terminal).
    """
    spec = study.spec
    if not spec.has_costs:
        raise InputError(f"{study.path}: its options give no costs (a frontier spec): run "
                         "mcsim optimize SPEC --pareto, or give every option a cost and the "
                         "spec a cost_unit")
    total, seed = study.run_settings(replications, seed)
    configs = study.configurations
    first = total
    if len(configs) > spec.screening.exhaustive_up_to:
        first = min(spec.screening.first_stage_replications, total)
    with local_pool(executor, jobs) as (pool, workers):
        days = _simulate(study, range(len(configs)), range(first), seed, pool, workers,
                         progress)
        reasons = {config.index: "" for config in configs}
        if first < total:
            reasons = _first_stage(study, days, seed, first)
            survivors = [index for index, reason in reasons.items() if not reason]
            more = _simulate(study, survivors, range(first, total), seed, pool, workers,
                             progress)
            for index in survivors:
                days[index] = days[index] + more[index]
    candidates = [Candidate(config, measure(days[config.index], spec.target.metric, seed),
                            reasons[config.index]) for config in configs]
    ranked = rank(candidates, spec.target.below_days, spec.target.confidence)
    simulated = sum(len(values) for values in days.values())
    return Outcome(study, seed, total, first, simulated, tuple(ranked))


def _first_stage(study: Study, days: dict[int, list[np.ndarray]], seed: int,
                 first: int) -> dict[int, str]:
    """Screen the configurations after ``first`` replications each (see :func:`screen`)."""
    spec = study.spec
    evidence = {index: measure(values, spec.target.metric, seed) for index, values in days.items()}
    confidence = screening_confidence(len(study.configurations), spec.screening.confidence)
    return screen(study.configurations, evidence, spec.target.below_days, confidence)
