"""What we don't know, in words: the sentence each report page gives beside its CI.

Every answer has two intervals (:mod:`simlib.experiments.uncertainty`): the 95% CI says
what luck does to the simulation's estimate; the 95% range adds what the documented
averages (or an office's record) leave open about the model's numbers. A page names the
uncertain number that moves its answer most, the range it may lie in, and how far that
moves the answer.
"""

from __future__ import annotations

import math

import numpy as np

from simlib.experiments.studies import Unknowns
from simlib.experiments.uncertainty import Draws, Split, drivers
from simlib.formats.words import day_count, pathway_words, span
from simlib.reports.words import assumption_value, demand_words, without_source
from simlib.scenario import Scenario, note_words

RANGE = "95% range (what we don't know)"  # the column of a figure's range
OVER_DRAWS = "averaged over what we don't know"  # a mean pooled over the posterior draws



def parameter_words(scenario: Scenario, path: str) -> str:
    """An uncertain number as readers name it: its assumption's note, else its path."""
    for assumption in scenario.assumptions:
        if assumption.path == path and assumption.note:
            words = without_source(note_words(assumption.note))[0]
            return words.replace(" mc ", " MC ").replace(" owd ", " OWD ")
    return path


def source_words(draws: Draws) -> tuple[str, str]:
    """Where the draws come from, with its verb: ("the documented averages", "leave") or
    ("the office's record", "leaves")."""
    if "bootstrap" in draws.method:
        return "the office's record", "leaves"
    return "the documented averages", "leave"


def moves_by(figure: Split) -> float:
    """How far the 95% range reaches from the answer (days)."""
    low, high = figure.predictive95
    return max(figure.value - low, high - figure.value)


def range_words(figure: Split) -> str:
    """"150 to 195 days" (the 95% range)."""
    return span(*figure.predictive95)


def unknowns_sentence(scenario: Scenario, draws: Draws, figure: Split,
                      values: np.ndarray, what: str) -> str:
    """One plain sentence on what we don't know about ``what`` (e.g. "the credit-bearing
    mean"), whose answer over the draws is ``figure`` and whose value at each draw is
    ``values``."""
    if draws.fixed:
        return (f"What we don't know is not shown: the scenario carries no draws of its "
                f"uncertain numbers, so the interval of {what} is luck alone (mcsim calibrate "
                "--posterior adds them).")
    if not all(math.isfinite(bound) for bound in figure.predictive95):
        return f"What we don't know: too few draws gave {what} to say how far it moves."
    found = drivers(draws, values)
    source, verb = source_words(draws)
    if found and abs(found[0].correlation) >= 0.3 and found[0].p_value < 0.05:
        top = found[0]
        lead = (f"{source[0].upper()}{source[1:]} {verb} the "
                f"{parameter_words(scenario, top.path)} anywhere between "
                f"{assumption_value(top.path, top.low)} and "
                f"{assumption_value(top.path, top.high)}; with the other uncertain numbers, "
                "this moves ")
    else:
        lead = f"What {source} {verb} open moves "
    return (f"{lead}{what} by up to {day_count(moves_by(figure))}: 95% range "
            f"{range_words(figure)}, against a 95% CI of {span(*figure.ci95)} from luck "
            "alone.")


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
