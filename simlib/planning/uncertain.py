"""The deadline planner over what we don't know: ``mcsim plan --uncertainty``.

Each posterior draw of the scenario (:mod:`simlib.experiments.uncertainty`) runs the
planner's probes with replications ``d*R .. d*R+R-1`` (its own random numbers). Pooling
every draw's probes gives the chance of approval in time *integrated over the posterior*;
its latest safe date is ``latest_submission``, the answer with the wanted confidence when
the parameters are uncertain. Each draw's own latest safe date (from its ``R``
replications; their noise measured by resampling them) gives the spread: the draws' dates,
their noise removed and widened by it as for every other answer
(:func:`~simlib.experiments.uncertainty.split`), are ``latest_submission_range``.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import math
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy.optimize import isotonic_regression

from simlib.engine.model import Probe
from simlib.engine.randomness import generator
from simlib.experiments.defaults import PLAN_CONFIDENCE, defaults
from simlib.experiments.runner import check_replications, run
from simlib.experiments.uncertainty import (
    Draws,
    Split,
    draw_scenarios,
    scenario_draws,
    split,
    uncertainty_settings,
)
from simlib.planning.deadlines import (
    COPIES,
    SUBMIT_HOUR,
    LaunchProbes,
    Plan,
    candidate_dates,
    check_date,
    check_question,
    latest_safe,
    planning_scenario,
    refined_dates,
)
from simlib.planning.probes import tracked_approvals
from simlib.scenario import Scenario

PLAN_DRAWS = defaults("plan").draws  # draws of --uncertainty unless --draws says otherwise
PLAN_REPLICATIONS = defaults("plan").replications_per_draw  # per draw
RESAMPLES = 40  # resamples of a draw's replications that measure its date's noise


@dataclass(frozen=True, eq=False)
class DrawLeads:
    """The latest safe date over the draws, in days before the launch: its ``figure``
    (:class:`~simlib.experiments.uncertainty.Split`), each draw's own ``leads`` (NaN where
    a draw has no safe date) and the ``draws``."""

    figure: Split
    leads: np.ndarray
    draws: Draws


def _probe_draws(variants: list[Scenario], pathway: str, level: str, launch: dt.date,
                 dates: tuple[dt.date, ...], per_draw: int, seed: int, copies: int,
                 executor: cf.Executor | None, jobs: int | None) -> LaunchProbes:
    """Probes on ``dates`` in every draw's planning scenario, stacked draw after draw:
    ``approved_at`` has shape (draws x per_draw, dates, copies)."""
    start = variants[0].calendar.start
    probes = tuple(Probe((day - start).days + SUBMIT_HOUR, pathway, level)
                   for day in dates for _ in range(copies))
    measure = partial(tracked_approvals, probes=probes)
    rows = run([(variant, range(d * per_draw, (d + 1) * per_draw))
                for d, variant in enumerate(variants)], measure, seed, executor, jobs,
               progress=False)
    approved = np.array([row for draw in rows for row in draw], dtype=float)
    return LaunchProbes(launch, start, dates,
                        approved.reshape(len(variants) * per_draw, len(dates), copies))


def latest_lead(hits: np.ndarray, dates: tuple[dt.date, ...], launch: dt.date,
                confidence: float) -> float:
    """Days before ``launch`` of the latest date whose non-increasing share of ``hits``
    (replications x dates x copies) is at least ``confidence``; NaN when none is."""
    shares = isotonic_regression(hits.mean(axis=(0, 2)), increasing=False).x
    safe = np.flatnonzero(shares >= confidence - 1e-12)
    return math.nan if not safe.size else float((launch - dates[safe[-1]]).days)


def draw_leads(found: LaunchProbes, draws: int, per_draw: int, confidence: float,
               rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Per draw: the lead (days before the launch) of its latest safe date, and that
    lead's noise variance (over resamples of its replications)."""
    deadline = (found.launch - found.start).days
    hits = found.approved_at < deadline
    leads, noise = np.full(draws, math.nan), np.full(draws, math.nan)
    for d in range(draws):
        mine = hits[d * per_draw:(d + 1) * per_draw]
        leads[d] = latest_lead(mine, found.dates, found.launch, confidence)
        picks = rng.integers(0, per_draw, size=(RESAMPLES, per_draw))
        again = np.array([latest_lead(mine[pick], found.dates, found.launch, confidence)
                          for pick in picks])
        if np.isfinite(again).sum() > 1:
            noise[d] = float(np.nanvar(again, ddof=1))
    return leads, noise


def plan_uncertain(
    scenario: Scenario, pathway: str, level: str | None, launch: dt.date,
    confidence: float = PLAN_CONFIDENCE, draws: int | None = None, replications: int | None = None,
    seed: int | None = None, copies: int = COPIES, executor: cf.Executor | None = None,
    jobs: int | None = None,
) -> Plan:
    """"By when must we submit?" over the scenario's posterior draws (module docstring):
    a :class:`Plan` whose curve pools every draw and whose ``latest_range`` is the spread
    of the latest safe date over what we don't know."""
    check_date(launch, "launch")
    level = check_question(scenario, pathway, level)
    per_draw = replications or PLAN_REPLICATIONS
    chosen = scenario_draws(scenario, draws or PLAN_DRAWS)
    check_replications(chosen.count * per_draw)
    seed = scenario.seed if seed is None else int(seed)
    weekly = tuple(candidate_dates(launch))
    variants = [planning_scenario(variant, weekly[0], launch)
                for variant in draw_scenarios(scenario, chosen)]
    found = _probe_draws(variants, pathway, level, launch, weekly, per_draw, seed, copies,
                         executor, jobs)
    daily = refined_dates(launch, latest_safe(found.curve(confidence), confidence), weekly)
    if daily:
        found = found.merged(_probe_draws(variants, pathway, level, launch, tuple(daily),
                                          per_draw, seed, copies, executor, jobs))
    rng = generator(seed, chosen.count, "plan.uncertainty")
    leads, noise = draw_leads(found, chosen.count, per_draw, confidence, rng)
    spread = split(leads, noise, chosen.fixed, chosen.matrix)
    latest_range = None
    if all(math.isfinite(bound) for bound in spread.predictive95):
        early, late = spread.predictive95[1], spread.predictive95[0]
        latest_range = (launch - dt.timedelta(days=math.ceil(early)),
                        launch - dt.timedelta(days=math.floor(late)))
    settings = {**uncertainty_settings(chosen, per_draw),
                "draws_without_a_safe_date": int(np.isnan(leads).sum())}
    return Plan(scenario, pathway, level, (launch,), confidence, chosen.count * per_draw,
                seed, copies, (found,), uncertainty=settings, latest_range=latest_range,
                over_draws=DrawLeads(spread, leads, chosen))
