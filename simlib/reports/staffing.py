"""Report 03, how much capacity is enough? The page of a
:class:`~simlib.answers.SweepAnswer` (one body's capacity at each demand level): its bottom
line, summary, table and figures, and what we don't know about the step its advice rests
on. Every function takes the answer."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import SweepAnswer
from simlib.formats.words import (
    amount,
    change,
    day_count,
    days,
    pathway_title,
    pathway_words,
    percent,
    span,
    times,
)
from simlib.reports import figures
from simlib.reports.readable import BottomLine, bullet_summary, labelled_by, rows_at, run_count
from simlib.reports.unknowns import unknowns_sentence
from simlib.reports.words import Markdown, demand_words

__all__ = ["bottom_line", "response_figure", "summary", "sweep_table", "utilization_figure"]


def _step_sentence(answer: SweepAnswer) -> str:
    """The sweep page's sentence: what we don't know about the days its headline step
    saves (:meth:`~simlib.experiments.studies.Sweep.headline_step`)."""
    study, unknowns = answer.sweep, answer.over_draws
    before, after = unknowns.step or (None, None)
    label = study.capacity_label
    what = (f"the days saved by going from {amount(before, label)} to {amount(after, label)} "
            f"at {demand_words(unknowns.demand)} ({pathway_words(unknowns.pathway)} mean)")
    return unknowns_sentence(study.scenario, unknowns.draws, unknowns.figure(),
                             unknowns.values(), what)


def bottom_line(answer: SweepAnswer) -> BottomLine:
    """A capacity sweep: how much capacity is enough at today's and the highest demand, how
    sure, and when to add more. With its headline step at the posterior draws, the page's
    sentence on what we don't know about that step's saving."""
    study, threshold_days, unknowns = answer.sweep, answer.threshold_days, answer.over_draws
    label = study.capacity_label
    enough = study.enough(threshold_days)

    def needs(factor: float) -> str:
        value = enough[factor]
        return (amount(value, label) if value is not None else
                f"more than {amount(study.values[-1], label)} (every step still helps)")

    low, high = study.demand_factors[0], study.demand_factors[-1]
    headline = (f"At {demand_words(low)} the {study.body_label} needs {needs(low)}; "
                f"at {times(high)} it needs {needs(high)}. Beyond that, one more step saves under "
                f"{day_count(threshold_days)} a proposal.")
    base = rows_at(study.table, demand=low, capacity=study.values[0])
    widest = max((row.ci95_high - row.ci95_low) / 2 for row in base.itertuples())
    sure = (f"Each setting ran the same {run_count(study.replications)}; means are precise to "
            f"within about {day_count(widest)} (95% CI), so savings of a few days are real "
            "but small.")
    if unknowns is not None:
        sure += " " + _step_sentence(answer)
    later = [factor for factor in study.demand_factors if enough[factor] is None
             or (enough[low] is not None and enough[factor] > enough[low])]
    todo = (f"Keep {needs(low)} for now; plan for {needs(later[0])} before submissions reach "
            f"{times(later[0])} today's." if later and enough[low] is not None else
            f"Keep {needs(low)}: more does not pay up to {times(high)} today's submissions.")
    return BottomLine(headline, sure, todo)


def summary(answer: SweepAnswer) -> Markdown:
    """The executive summary of a capacity sweep: per demand level, the mean days at the
    smallest and largest capacity, where more stops helping, and the body's load."""
    study, threshold_days = answer.sweep, answer.threshold_days
    table, knees = study.table, study.knees(threshold_days)
    first, last = study.values[0], study.values[-1]
    lines = [f"{study.body_label}: {study.capacity_label} from {first:g} to {last:g}, at "
             + ", ".join(times(factor) for factor in study.demand_factors)
             + f" today's submissions ({study.replications} paired runs each)."]
    for factor in study.demand_factors:
        parts = []
        for pathway in study.scenario.pathways:
            low = rows_at(table, demand=factor, pathway=pathway, capacity=first)
            high = rows_at(table, demand=factor, pathway=pathway, capacity=last)
            knee = rows_at(knees, demand=factor, pathway=pathway)
            stop = (f"beyond {knee['capacity'].iloc[0]:g}, one more saves under "
                    f"{threshold_days:g} days" if len(knee) else "every step still helps")
            parts.append(f"{pathway_words(pathway)} {days(low['mean_days'].iloc[0])} → "
                         f"{days(high['mean_days'].iloc[0])} days ({stop})")
        load = rows_at(table, demand=factor, capacity=first)["load"].iloc[0]
        lines.append(f"**At {times(factor)} demand:** " + "; ".join(parts)
                     + f". With {study.capacity_label} at {first:g}, the {study.body_label} "
                       f"is {percent(load)} loaded.")
    return bullet_summary(lines)


@labelled_by(3)
def sweep_table(answer: SweepAnswer) -> pd.DataFrame:
    """The sweep for people: demand, capacity, pathway, mean days (95% CI), what this step
    more does to the mean ("4 days shorter (95% CI 3 to 4)", "no change"), the body's load."""
    study = answer.sweep
    table = study.table
    return pd.DataFrame({
        "Demand": table["demand"].map(times),
        study.capacity_label.capitalize(): table["capacity"].map(lambda value: f"{value:g}"),
        "Pathway": table["pathway"].map(pathway_title),
        "Mean days": table["mean_days"].map(days),
        "95% CI": [span(low, high)
                   for low, high in zip(table["ci95_low"], table["ci95_high"], strict=True)],
        "Change from the step before": [
            "" if not math.isfinite(gain) else change(-gain, -high, -low)
            for gain, low, high in zip(table["gain_days"], table["gain_ci95_low"],
                                       table["gain_ci95_high"], strict=True)],
        "Load": table["load"].map(percent),
    })


def response_figure(answer: SweepAnswer) -> Figure:
    """Mean days at each capacity and demand level, where one more step stops helping
    marked."""
    study = answer.sweep
    return figures.response_curves(study.table, study.body_label,
                                   study.knees(answer.threshold_days))


def utilization_figure(answer: SweepAnswer) -> Figure:
    """The body's load at each capacity and demand level."""
    return figures.utilization_curves(answer.sweep.table, answer.sweep.body_label)
