"""The deadline planner over what we don't know (``mcsim plan --uncertainty``): how far
the latest safe date moves across the scenario's posterior draws.

:func:`simlib.planning.deadlines.plan` runs each posterior draw of the scenario
(:mod:`simlib.experiments.uncertainty`) with replications ``d*R .. d*R+R-1`` (its own
random numbers); pooling every draw's probes gives the chance of approval in time
*integrated over the posterior*, whose latest safe date is the plan's answer. Here each
draw's own latest safe date (from its ``R`` replications; their noise measured by
resampling them) gives the spread: the draws' dates, their noise removed and widened by it
as for every other answer (:func:`~simlib.experiments.uncertainty.split`), are
``latest_submission_range``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from simlib.engine.randomness import generator
from simlib.experiments.uncertainty import Draws, Split, split, uncertainty_settings
from simlib.planning.probes import latest_index

if TYPE_CHECKING:
    from simlib.planning.deadlines import LaunchProbes

RESAMPLES = 40  # resamples of a draw's replications that measure its date's noise


@dataclass(frozen=True, eq=False)
class DrawLeads:
    """The latest safe date of one launch over the draws, in days before the launch: its
    ``figure`` (:class:`~simlib.experiments.uncertainty.Split`), each draw's own ``leads``
    (NaN where a draw has no safe date), the ``draws`` and the replications of each
    (``per_draw``)."""

    launch: dt.date
    figure: Split
    leads: np.ndarray
    draws: Draws
    per_draw: int

    @property
    def settings(self) -> dict:
        """The plan's ``uncertainty`` block: the draws run, and how many have no safe date."""
        return {**uncertainty_settings(self.draws, self.per_draw),
                "draws_without_a_safe_date": int(np.isnan(self.leads).sum())}

    @property
    def latest_range(self) -> tuple[dt.date, dt.date] | None:
        """(earliest, latest) safe date over what we don't know; None when too many draws
        have no safe date to bound it."""
        if not all(math.isfinite(bound) for bound in self.figure.predictive95):
            return None
        early, late = self.figure.predictive95[1], self.figure.predictive95[0]
        return (self.launch - dt.timedelta(days=math.ceil(early)),
                self.launch - dt.timedelta(days=math.floor(late)))


def latest_lead(hits: np.ndarray, dates: tuple[dt.date, ...], launch: dt.date,
                confidence: float) -> float:
    """Days before ``launch`` of the latest date safe by ``hits`` (replications x dates x
    copies; :func:`~simlib.planning.probes.latest_index`); NaN when none is."""
    index = latest_index(hits.mean(axis=2).mean(axis=0), confidence)
    return math.nan if index is None else float((launch - dates[index]).days)


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


def over_the_draws(found: LaunchProbes, chosen: Draws, per_draw: int, confidence: float,
                   seed: int) -> DrawLeads:
    """The latest safe date of ``found``'s launch over the draws ``chosen`` (each draw's
    probes are ``per_draw`` consecutive replications of ``found``)."""
    rng = generator(seed, chosen.count, "plan.uncertainty")
    leads, noise = draw_leads(found, chosen.count, per_draw, confidence, rng)
    return DrawLeads(found.launch, split(leads, noise, chosen.fixed, chosen.matrix), leads,
                     chosen, per_draw)
