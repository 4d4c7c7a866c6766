"""Report 04, what if demand grows? The page of a :class:`~simlib.answers.GrowthAnswer`:
its bottom line, summary, the load table and the figures of cycle times, loads and queues
at each demand level, and what we don't know about the means at the highest. Every function
takes the answer."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import GrowthAnswer
from simlib.experiments.studies import FULL
from simlib.formats.words import (
    day_count,
    days,
    interval,
    pathway_title,
    pathway_words,
    percent,
    span,
    times,
)
from simlib.reports import figures
from simlib.reports.readable import BottomLine, bullet_summary, rows_at, run_count, shown_whole
from simlib.reports.unknowns import mean_range, mean_sentence
from simlib.reports.words import Markdown, demand_words

__all__ = ["bottom_line", "cycle_figure", "load_figure", "load_table", "queue_figure",
           "summary"]


def bottom_line(answer: GrowthAnswer) -> BottomLine:
    """Demand growth: the first pathway's mean at the highest demand, which body fills
    first, and where to add capacity. With the highest demand run at the posterior draws,
    that mean's 95% range and the page's sentence on it."""
    study, unknowns = answer.growth, answer.over_draws
    low, high = study.factors[0], study.factors[-1]
    pathway = next(iter(study.scenario.pathways))
    start = rows_at(study.cycles, demand=low, pathway=pathway).iloc[0]
    end = rows_at(study.cycles, demand=high, pathway=pathway).iloc[0]
    filling = study.first_to_fill()
    headline = (f"At {times(high)} today's submissions, a {pathway_words(pathway)} proposal would "
                f"take {day_count(end['mean_days'])} on average instead of "
                f"{day_count(start['mean_days'])} at {demand_words(low)}")
    if len(filling):
        first = filling.iloc[0]
        headline += (f"; the {first['body_label']} fills up first (past {percent(FULL)} of its "
                   f"capacity at {times(first['demand'])}).")
        todo = (f"Add capacity at the {first['body_label']} before submissions reach "
                f"{times(first['demand'])} today's; the staffing report shows how much.")
    else:
        headline += f"; no office or committee passes {percent(FULL)} of its capacity."
        todo = f"No capacity is needed for growth up to {times(high)} today's submissions."
    sure = (f"95% CI {span(end['ci95_low'], end['ci95_high'])} days at {times(high)} "
            f"({run_count(study.replications)} per level, the same at every level); loads rest on "
            "assumed review times, so treat the order of filling as firmer than the dates.")
    if unknowns is not None:
        sure += " " + mean_sentence(unknowns)
    return BottomLine(headline, sure, todo)


def summary(answer: GrowthAnswer) -> Markdown:
    """The executive summary of demand growth: cycle times at the lowest and highest
    multiplier (with the highest run at the posterior draws: their 95% range), and which
    body fills up first."""
    study, unknowns = answer.growth, answer.over_draws
    low, high = study.factors[0], study.factors[-1]
    lines = []
    for pathway in study.scenario.pathways:
        start = rows_at(study.cycles, demand=low, pathway=pathway).iloc[0]
        end = rows_at(study.cycles, demand=high, pathway=pathway).iloc[0]
        lines.append(
            f"**{pathway_title(pathway)}:** {days(start['mean_days'])} days on "
            f"average at {times(low)} today's submissions, {days(end['mean_days'])} at "
            f"{times(high)} "
            f"({interval(end['ci95_low'], end['ci95_high'])}{mean_range(unknowns, pathway)}"
            f"); one in ten then takes longer "
            f"than {days(end['p90_days'])} days.")
    filling = study.first_to_fill()
    if len(filling):
        first = filling.iloc[0]
        lines.append(f"**The {first['body_label']} fills up first:** its load passes "
                     f"{percent(FULL)} at {times(first['demand'])} demand "
                     f"({percent(first['load'])}).")
    else:
        top = rows_at(study.load, demand=high).sort_values("load", ascending=False).iloc[0]
        lines.append(f"No body passes {percent(FULL)} load up to {times(high)} demand; the "
                     f"busiest is the {top['body_label']} at {percent(top['load'])}.")
    return bullet_summary(lines)


def load_table(answer: GrowthAnswer) -> pd.DataFrame:
    """Each body's load (% of capacity, whole percentages) at each demand multiplier (rows:
    bodies; columns: "1x", ...)."""
    study = answer.growth
    table = study.load.assign(column=study.load["demand"].map(times))
    wide = table.pivot_table(index="body_label", columns="column", values="load", sort=False)
    wide = wide[[times(factor) for factor in study.factors]].map(percent)
    return shown_whole(wide.rename_axis(index="Load (% of capacity)", columns=None))


def cycle_figure(answer: GrowthAnswer) -> Figure:
    """Mean days to approval per pathway at each demand level, with their 95% CIs."""
    return figures.cycle_by_demand(answer.growth.cycles)


def load_figure(answer: GrowthAnswer) -> Figure:
    """Each body's load at each demand level."""
    return figures.load_by_demand(answer.growth.load)


def queue_figure(answer: GrowthAnswer) -> Figure:
    """The busiest bodies' queues over time at each demand level."""
    return figures.queue_growth(answer.growth)
