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

from simlib.experiments.uncertainty import Draws, Split, UncertainRun, drivers
from simlib.formats.words import day_count, pathway_words, span
from simlib.reports.notebooks import Markdown
from simlib.reports.words import assumption_value, without_source
from simlib.scenario import Scenario, note_words


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


def run_unknowns(run: UncertainRun | None) -> Markdown:
    """What we don't know about each pathway's mean time to approval (a run over the
    draws), one sentence for the first pathway and the ranges of the others; nothing
    without a run (the page was built without uncertainty)."""
    if run is None:
        return Markdown("")
    scenario = run.scenario
    first, *others = list(scenario.pathways)
    text = unknowns_sentence(scenario, run.draws, run.cycle(first), run.draw_means(first),
                             f"the {pathway_words(first)} mean")
    if others and not run.draws.fixed:
        text += " " + "; ".join(
            f"The {pathway_words(name)} mean's 95% range is {range_words(run.cycle(name))} "
            f"days (95% CI {span(*run.cycle(name).ci95)})" for name in others) + "."
    return Markdown(text)
