"""Reader words in one place: how pathways, the parts of a proposal's time, days, intervals
and dates read, and the plain sentences about a comparison or a planned proposal.

The other layers compute and name their outputs (column names, JSON keys, verdicts); this
module says them to people. It imports nothing from simlib at run time, so any layer's
presentation code may use it cheaply (the policy's rules table does).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simlib.experiments.compare import Comparison
    from simlib.planning.deadlines import Plan

PATHWAY_WORDS = {"credit": "credit-bearing", "noncredit": "non-credit"}
BREAKDOWN_WORDS = {  # simlib.metrics.calendar.BREAKDOWN_COLUMNS, as readers read them
    "queue_wait_days": "waiting for a reviewer",
    "review_days": "under review",
    "meeting_wait_days": "waiting for a meeting",
    "closed_days": "summer recess and holidays",
    "rework_days": "revising (proposer)",
}


# --- pathways ------------------------------------------------------------------------------


def pathway_words(pathway: str) -> str:
    """How a pathway reads in a sentence: "credit-bearing", "non-credit", or its name."""
    return PATHWAY_WORDS.get(pathway, pathway)


def pathway_title(pathway: str) -> str:
    """A pathway as a title or label: "Credit-bearing", "Non-credit", else its name."""
    words = PATHWAY_WORDS.get(pathway)
    return pathway if words is None else words[:1].upper() + words[1:]


# --- numbers and dates ---------------------------------------------------------------------


def days(value: float) -> str:
    """Whole days ("170"), or "n/a" for a missing value."""
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.0f}"


def interval(low: float, high: float) -> str:
    """A 95% interval in days ("95% CI 168 to 172"), or "no interval"."""
    if any(v is None or not math.isfinite(v) for v in (low, high)):
        return "no interval"
    return f"95% CI {days(low)} to {days(high)}"


def long_date(day: dt.date) -> str:
    """"6 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """"6 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


def _days(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


# --- comparisons ---------------------------------------------------------------------------


def sentence(title: str, pathway: str, row: dict) -> str:
    """One plain sentence about the mean time to approval of ``pathway`` under the
    alternative titled ``title`` (``row``: a pathway entry of
    :meth:`~simlib.experiments.compare.Comparison.to_dict`, NaN as None)."""
    what = f"the {pathway_words(pathway)} mean time to approval"
    difference, (low, high) = row["mean_diff_days"], row["ci95"]
    if difference is None:
        return f"{title}: {what} cannot be compared (no approvals)."
    decimals = 0 if abs(difference) >= 10 else 1
    if low is None:
        return f"{title}: {what} changes by {_days(difference, decimals)} days (no interval)."
    if row["verdict"] == "no clear change":
        return (f"{title}: no clear change in {what} ({difference:+.{decimals}f} days, "
                f"95% CI {_days(low, decimals)} to {_days(high, decimals)}).")
    verb = "falls" if difference < 0 else "rises"
    near, far = sorted((abs(low), abs(high)))
    return (f"{title}: {what} {verb} by {_days(abs(difference), decimals)} days "
            f"(95% CI {_days(near, decimals)} to {_days(far, decimals)}), "
            f"from {row['base_mean_days']:.0f} to {row['alt_mean_days']:.0f} days.")


def with_sentences(summary: dict) -> dict:
    """A comparison's JSON dict (:meth:`Comparison.to_dict`) with ``sentence`` added last to
    every pathway entry of every alternative (changed in place and returned)."""
    for name, entry in summary["alternatives"].items():
        for pathway, row in entry["pathways"].items():
            row["sentence"] = sentence(entry["title"] or name, pathway, row)
    return summary


def summary_sentences(summary: dict) -> list[str]:
    """One plain sentence per alternative and pathway of a comparison's JSON dict."""
    return [sentence(entry["title"] or name, pathway, row)
            for name, entry in summary["alternatives"].items()
            for pathway, row in entry["pathways"].items()]


def comparison_sentences(comparison: Comparison) -> list[str]:
    """One plain sentence per alternative and pathway of ``comparison``, for reports."""
    return summary_sentences(comparison.to_dict())


# --- planning ------------------------------------------------------------------------------


def proposal_words(plan: Plan) -> str:
    """The proposal planned for, in words: "an undergraduate credit-bearing proposal"."""
    words = " ".join(filter(None, (plan.level, pathway_words(plan.pathway))))
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words} proposal"
