"""What we don't know on the study pages (02 to 05), in words and table columns: each
headline figure's 95% range over the posterior draws beside its 95% CI, and the one
sentence of :func:`simlib.reports.unknowns.unknowns_sentence` a page adds.

The CIs stay those of each page's own runs (the same runs on every page of today's
process); the ranges come from the runs at the posterior draws
(:mod:`simlib.experiments.studies_uncertain`). With no draws nothing varies, so a range is
the CI itself: the tables then show the CI again and the words add no range, and the
sentence says that what we don't know is not shown.
"""

from __future__ import annotations

import math

from simlib.experiments.compare import Comparison
from simlib.experiments.sensitivity import Sensitivity
from simlib.experiments.studies import Sweep
from simlib.experiments.studies_uncertain import Unknowns
from simlib.formats.words import amount, day_count, pathway_words, span
from simlib.reports.unknowns import unknowns_sentence
from simlib.reports.words import demand_words, unknowns_clause

RANGE = "95% range (what we don't know)"  # the column of a figure's range
OVER_DRAWS = "averaged over what we don't know"  # a mean pooled over the posterior draws


# --- comparisons (page 02) -----------------------------------------------------------------


def comparison_fixed(unknowns: Comparison) -> bool:
    """True when the comparison over the draws drew nothing (every range is its CI)."""
    return all(run.draws.fixed for run in unknowns.uncertain or ())


def comparison_ranges(comparison: Comparison, unknowns: Comparison
                      ) -> dict[tuple[str, str], dict[str, float]]:
    """Per (alternative name, pathway): ``range_low``, ``range_high`` (the difference's
    95% range over the draws, days; ``comparison``'s 95% CI when nothing is drawn) and
    ``p_faster`` (the chance it is shorter over what we don't know)."""
    fixed = comparison_fixed(unknowns)
    plain = comparison.to_dict()["alternatives"]
    found = {}
    for name, entry in unknowns.to_dict()["alternatives"].items():
        for pathway, row in entry["pathways"].items():
            bounds = (plain[name]["pathways"][pathway]["ci95"] if fixed
                      else row["difference_predictive95"])
            found[(name, pathway)] = {
                "range_low": math.nan if bounds[0] is None else float(bounds[0]),
                "range_high": math.nan if bounds[1] is None else float(bounds[1]),
                "p_faster": math.nan if row["p_shorter"] is None else float(row["p_shorter"]),
            }
    return found


def range_clause(ranges: dict[str, float], fixed: bool) -> str:
    """"; with what we don't know, it saves 18 to 37 days, faster with 99% probability"
    ("" when nothing is drawn or the range is missing)."""
    if fixed:
        return ""
    row = {"difference_predictive95": [ranges["range_low"], ranges["range_high"]],
           "p_shorter": ranges["p_faster"]}
    if not all(math.isfinite(value) for value in (*row["difference_predictive95"],
                                                   ranges["p_faster"])):
        return ""
    return unknowns_clause(row, 0)


def comparison_sentence(comparison: Comparison, unknowns: Comparison, name: str,
                        pathway: str) -> str:
    """The page's sentence on what we don't know about the days the alternative ``name``
    saves on ``pathway``'s mean (over the draws of ``unknowns``)."""
    base = (unknowns.uncertain or ())[0]
    alternative = next(alt for alt in unknowns.alternatives if alt.scenario.name == name)
    title = alternative.scenario.title or name
    change, values = unknowns.over_draws[(name, pathway)]
    return unknowns_sentence(comparison.base.scenario, base.draws, change.negated(), -values,
                             f"the saving of “{title}” ({pathway_words(pathway)} mean)")


def with_ranges(summary: dict, unknowns: Comparison) -> dict:
    """A comparison's JSON dict with each pathway row's ``difference_predictive95`` and
    ``p_shorter`` over the draws of ``unknowns`` (changed in place and returned; left
    alone when nothing is drawn)."""
    if comparison_fixed(unknowns):
        return summary
    drawn = unknowns.to_dict()["alternatives"]
    for name, entry in summary["alternatives"].items():
        for pathway, row in entry["pathways"].items():
            other = drawn[name]["pathways"][pathway]
            row.update(difference_predictive95=other["difference_predictive95"],
                       p_shorter=other["p_shorter"])
    return summary


# --- the capacity sweep, demand growth and sensitivity (pages 03 to 05) --------------------


def step_sentence(study: Sweep, unknowns: Unknowns) -> str:
    """The sweep page's sentence: what we don't know about the days its headline step
    saves (:meth:`~simlib.experiments.studies.Sweep.headline_step`)."""
    before, after = unknowns.step or (None, None)
    label = study.capacity_label
    what = (f"the days saved by going from {amount(before, label)} to {amount(after, label)} "
            f"at {demand_words(unknowns.demand)} ({pathway_words(unknowns.pathway)} mean)")
    return unknowns_sentence(study.scenario, unknowns.draws, unknowns.figure(),
                             unknowns.values(), what)


def mean_sentence(unknowns: Unknowns, what: str | None = None) -> str:
    """The sentence on what we don't know about the headline pathway's mean (``what``:
    how the page names it; default "the credit-bearing mean at 5x today's
    submissions")."""
    what = what or (f"the {pathway_words(unknowns.pathway)} mean at "
                    f"{demand_words(unknowns.demand)}")
    return unknowns_sentence(unknowns.scenario, unknowns.draws, unknowns.figure(),
                             unknowns.values(), what)


def mean_range(unknowns: Unknowns | None, pathway: str) -> str:
    """"; 95% range 280 to 420 with what we don't know" for ``pathway``'s mean ("" without
    draws)."""
    if unknowns is None or unknowns.fixed:
        return ""
    low, high = unknowns.figure(pathway).predictive95
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return f"; 95% range {span(low, high)} with what we don't know"


def sensitivity_fixed(study: Sensitivity) -> bool:
    """True unless the study ran over posterior draws that vary."""
    return study.uncertainty is None or bool(study.uncertainty.get("fixed"))


def swing_range(study: Sensitivity, row: dict) -> str:
    """" (a swing of 45 days; 95% range 30 to 60 with what we don't know)" for a row of
    the study's table ("" without varying draws)."""
    if sensitivity_fixed(study) or "swing_mean_predictive95_low" not in row:
        return ""
    low, high = row["swing_mean_predictive95_low"], row["swing_mean_predictive95_high"]
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return (f" (a swing of {day_count(abs(row['swing_mean']))}; 95% range {span(low, high)} "
            "with what we don't know)")
