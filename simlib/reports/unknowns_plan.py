"""What we don't know on the deadline planner's page (06): the headline launch planned over
the scenario's posterior draws (:func:`simlib.planning.deadlines.plan_unknowns`), its band
of latest safe dates for the figure, and its words.

The page's answer and its other launches stay those of
:func:`~simlib.planning.deadlines.deadline_study`; the plan over the draws adds the range
of the latest safe date (each draw's own date, its noise removed). The per-draw dates are
read back from the plan's probes exactly as ``plan`` computes them (same
resamples), so the sentence's numbers are those of ``latest_range``. Nothing here runs a
simulation.
"""

from __future__ import annotations

import numpy as np

from simlib.experiments.uncertainty import Draws, Split
from simlib.formats.words import date_span, long_date, percent
from simlib.planning.deadlines import Plan
from simlib.reports.unknowns import unknowns_sentence

LEAD_WORDS = "how many days before the launch to submit"


def lead_figure(plan: Plan) -> tuple[Split, np.ndarray, Draws]:
    """The latest safe date of the plan over the draws, in days before its launch: its
    :class:`~simlib.experiments.uncertainty.Split`, each draw's own value (NaN where a draw
    has no safe date) and the draws (as :func:`~simlib.planning.deadlines.plan`
    worked them out)."""
    found = plan.over_draws
    return found.figure, found.leads, found.draws


def plan_fixed(plan: Plan) -> bool:
    """True when the plan drew nothing (its band is luck alone)."""
    return bool((plan.uncertainty or {}).get("fixed"))


def plan_band(plan: Plan | None) -> dict:
    """The figure's band of latest safe dates: ``{"latest_range": (early, late),
    "luck_only": ...}`` for :func:`simlib.reports.plots.deadline_curve`, or {}."""
    if plan is None or plan.latest_range is None:
        return {}
    return {"latest_range": plan.latest_range, "luck_only": plan_fixed(plan)}


def plan_clause(plan: Plan | None) -> str:
    """"; not knowing the process's numbers, the safe date could be anywhere from 3 to 20
    November 2026" ("" without a plan over varying draws)."""
    if plan is None or plan_fixed(plan):
        return ""
    if plan.latest_range is None:
        return "; over what we don't know, too many draws have no safe date to give a range"
    return ("; not knowing the process's numbers, the safe date could be anywhere from "
            f"{date_span(*plan.latest_range)}")


def plan_sentence(plan: Plan) -> str:
    """The page's sentence on what we don't know about how early to submit."""
    figure, leads, chosen = lead_figure(plan)
    return unknowns_sentence(plan.scenario, chosen, figure, leads, LEAD_WORDS)


def plan_line(plan: Plan | None) -> str | None:
    """The summary's line on the plan over the draws: the latest date whose chance,
    averaged over what we don't know, is still the one wanted (None without varying
    draws)."""
    if plan is None or plan_fixed(plan):
        return None
    latest = plan.latest_submission()
    wanted = percent(plan.confidence)
    if latest is None:
        return (f"Averaged over what we don't know, no date gives a {wanted} chance of "
                "approval in time.")
    share = plan.uncertainty["draws_without_a_safe_date"]
    missing = (f" ({share} of {plan.uncertainty['draws']} draws have no safe date)"
               if share else "")
    return (f"Averaged over what we don't know, the chance stays at {wanted} up to "
            f"{long_date(latest)}{missing}.")
