"""What a what-if costs in hours: the paired change in the bodies' person-hours a year, and
the days it saves per 100 faculty hours.

Hours are those of :func:`simlib.metrics.summary.hours_per_year` (faculty at committees,
the part of it outside the terms, staff at offices, the total), per replication. Replication
``k`` of base and what-if share their random numbers (common random numbers), so the change
is the paired difference of the means with its t interval
(:func:`simlib.statistics.paired_mean_difference`); a change of prices alone (e.g. twice the
hours per meeting) leaves every event as it was, so the change is exactly the base's hours
of what was repriced.

The trade of a pathway reads the change in faculty hours beside the change in its mean days:
``days_saved_per_100_faculty_hours`` = days saved (base minus what-if mean) / added faculty
hours a year x 100, given only when the what-if clearly adds faculty hours (its CI excludes
0); otherwise None, and ``reading`` says why: it frees hours (``saves_both`` when it saves
days too), or the change in hours is not distinguishable from zero
(``no_clear_hours_change``), rather than dividing by about nothing.
"""

from __future__ import annotations

import math

import pandas as pd

from simlib.metrics.pooled import hours_totals
from simlib.metrics.summary import HOURS
from simlib.statistics import Split, paired_mean_difference, ratio_estimate

MORE, FEWER, UNCLEAR = "more", "fewer", "no clear change"
TRADES = {  # (faculty hours verdict, days verdict) -> reading
    (MORE, "shorter"): "costs_hours_saves_days", (MORE, "longer"): "costs_both",
    (MORE, UNCLEAR): "costs_hours", (FEWER, "shorter"): "saves_both",
    (FEWER, "longer"): "frees_hours_costs_days", (FEWER, UNCLEAR): "frees_hours",
}
NO_CLEAR_HOURS = "no_clear_hours_change"
PER_100 = "days_saved_per_100_faculty_hours"


def hours_verdict(low: float, high: float) -> str:
    """``more`` or ``fewer`` hours when the interval excludes 0, else ``no clear change``."""
    if not (math.isfinite(low) and math.isfinite(high)) or low <= 0.0 <= high:
        return UNCLEAR
    return FEWER if high < 0.0 else MORE


def _item(base: float, alt: float, change: float, low: float, high: float) -> dict:
    return {"base": base, "alt": alt, "change": change, "ci95": [low, high],
            "verdict": hours_verdict(low, high)}


def hours_change(base: pd.DataFrame, alt: pd.DataFrame, name: str) -> dict:
    """Hours a year ``name`` (one of :data:`~simlib.metrics.summary.HOURS`) of the base and
    the what-if (their :func:`~simlib.metrics.pooled.hours_frame`, replications paired by
    position), and the paired change (what-if minus base) with its 95% CI and verdict;
    person-hours a year."""
    base_totals, alt_totals = hours_totals(base, name), hours_totals(alt, name)
    change, low, high = paired_mean_difference(base_totals, alt_totals)
    means = [float(ratio_estimate(*totals)[0]) for totals in (base_totals, alt_totals)]
    return _item(*means, change, low, high)


def hours_change_over_draws(base: Split, alt: Split, change: Split) -> dict:
    """:func:`hours_change` over posterior draws: each side's mean over the draws and the
    change's mean and noise CI, with its 95% range (``predictive95``) and the chance it
    frees hours (``p_fewer``)."""
    item = _item(base.value, alt.value, change.value, *change.ci95)
    return {**item, "predictive95": list(change.predictive95), "p_fewer": change.p_below(0.0)}


def hours_block(base: pd.DataFrame, alt: pd.DataFrame) -> dict:
    """Every total of :data:`~simlib.metrics.summary.HOURS` as ``<name>_per_year``:
    :func:`hours_change`."""
    return {f"{name}_per_year": hours_change(base, alt, name) for name in HOURS}


def trade(days: dict, faculty: dict) -> dict:
    """What a pathway's change in mean days (``days``: a pathway row of a comparison, with
    ``mean_diff_days`` and ``verdict``) costs in faculty hours (``faculty``: a
    :func:`hours_change` item): ``days_saved_per_100_faculty_hours`` (None unless the
    faculty hours clearly rise) and ``reading`` (see the module)."""
    reading = TRADES.get((faculty["verdict"], days["verdict"]), NO_CLEAR_HOURS)
    saved = days["mean_diff_days"]
    per_100 = None
    if faculty["verdict"] == MORE and saved is not None and math.isfinite(saved):
        per_100 = -saved / faculty["change"] * 100.0
    return {PER_100: per_100, "reading": reading}
