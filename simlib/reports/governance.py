"""Report 08, which governance changes are worth their faculty hours? The page of a
:class:`~simlib.answers.FrontierAnswer` (every combination of a spec's changes on days to
approval against faculty hours a year): its bottom line, summary, the frontier, the levers,
every other combination with the one that beats it, and the frontier figure. With the
frontier at the posterior draws, each frontier point also has its 95% range over what we
don't know. Every function takes the answer."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import FrontierAnswer
from simlib.formats.words import days, pathway_words, plural, span
from simlib.optimize import Lever, Point
from simlib.reports import figures
from simlib.reports.readable import BottomLine, bullet_summary, labelled_by, run_count
from simlib.reports.unknowns import RANGE, unknowns_sentence
from simlib.reports.words import (
    Markdown,
    changes_words,
    lever_days,
    lever_hours,
    per_hundred_hours,
)

__all__ = ["bottom_line", "excluded_table", "frontier_figure", "frontier_table",
           "lever_table", "points", "summary"]

METRIC_WORDS = {"mean": "mean", "p90": "P90"}


def _label(answer: FrontierAnswer, point: Point) -> str:
    """``point``'s changes from today ("MC e-votes + senate at once"), or :data:`TODAY`."""
    return changes_words({"changes": dict(answer.frontier.changes(point))})


def _metric(answer: FrontierAnswer) -> str:
    """"credit-bearing mean" (the target's pathway and metric)."""
    target = answer.frontier.study.spec.target
    return f"{pathway_words(target.pathway)} {METRIC_WORDS[target.metric]}"


def _figures(answer: FrontierAnswer, point: Point) -> str:
    """"95 days (95% CI 93 to 96), 946 faculty hours a year (95% CI 936 to 957)"."""
    found = [answer.figure(point, axis) for axis in ("days", "faculty_hours")]
    return (f"{days(found[0].value)} days (95% CI {span(*found[0].ci95)}), "
            f"{days(found[1].value)} faculty hours a year (95% CI {span(*found[1].ci95)})")


def points(answer: FrontierAnswer) -> pd.DataFrame:
    """One row per combination (configuration order): label (its changes from today),
    days, days_low, days_high (the target's metric and 95% CI, days), hours, hours_low,
    hours_high (faculty hours a year and 95% CI), outside_hours (of them outside terms),
    on_frontier, knee, today, meets (the spec's aim); with draws, days_range_low,
    days_range_high, hours_range_low, hours_range_high (frontier points; NaN for others)."""
    found = answer.frontier
    front, knee = set(map(id, found.front)), found.knee
    rows = []
    for point in found.points:
        row = {"label": _label(answer, point)}
        for axis, name in (("days", "days"), ("faculty_hours", "hours")):
            figure = answer.figure(point, axis)
            row.update({name: figure.value, f"{name}_low": figure.ci95[0],
                        f"{name}_high": figure.ci95[1]})
            if answer.over_draws is not None:
                low, high = figure.range95 or (math.nan, math.nan)
                row.update({f"{name}_range_low": low, f"{name}_range_high": high})
        target = found.study.spec.target
        row.update(outside_hours=point.outside_hours.point, on_frontier=id(point) in front,
                   knee=point is knee, today=point is found.today,
                   meets=point.days.bound(target.confidence) < target.below_days)
        rows.append(row)
    return pd.DataFrame(rows)


def bottom_line(answer: FrontierAnswer) -> BottomLine:
    """The frontier in three lines: how many combinations are worth a look and what the knee
    buys against today; how sure (paired runs, the knee's CI, and with draws what we don't
    know); what to do (the changes that save days for no hours first, then the one that
    buys most days per hour, up to the knee)."""
    found = answer.frontier
    if not found.priced:
        fastest = min(found.front, key=lambda point: point.days.point)
        return BottomLine(
            "The scenario prices no committee work in hours (its committees have no hours:), "
            "so every combination costs 0 faculty hours and the fastest, "
            f"{_label(answer, fastest)}, beats the others.",
            _how_sure(answer),
            "Give the committees hours: (per review, per meeting, per item) to weigh days "
            "against faculty time.")
    return BottomLine(_headline(answer), _how_sure(answer), _what_to_do(answer))


def _headline(answer: FrontierAnswer) -> str:
    found, metric = answer.frontier, _metric(answer)
    today = found.today
    count = len(found.front)
    worth = (f"Of {len(found.points)} combinations of changes, {count} "
             f"{'is' if count == 1 else 'are'} worth a look: no other is both faster and "
             "lighter on faculty hours.")
    knee = found.knee
    if knee is None:
        cheapest, fastest = found.front[0], found.front[-1]
        return (f"{worth} They run from {_label(answer, cheapest)} "
                f"({days(cheapest.days.point)} days, {days(cheapest.faculty_hours.point)} "
                f"hours) to {_label(answer, fastest)} ({days(fastest.days.point)} days, "
                f"{days(fastest.faculty_hours.point)} hours), with no clear knee.")
    return (f"{worth} The knee, {_label(answer, knee)}, brings the {metric} from "
            f"{days(today.days.point)} days today to {days(knee.days.point)}, for "
            f"{days(knee.faculty_hours.point)} faculty hours a year against "
            f"{days(today.faculty_hours.point)} today.")


def _how_sure(answer: FrontierAnswer) -> str:
    found = answer.frontier
    headline = found.knee or found.front[0]
    figure = answer.figure(headline, "days")
    which = "the knee's" if found.knee is not None else "the first frontier point's"
    sure = (f"Every combination ran the same {run_count(found.replications)} (common random "
            "numbers), so the differences between them are the changes', not luck's")
    drawn = answer.over_draws
    if drawn is None:
        return f"{sure}; {which} days are within {span(*figure.ci95)} (95% CI)."
    index = headline.configuration.index
    what = f"{which} {_metric(answer)}"
    return f"{sure}. " + unknowns_sentence(headline.configuration.scenario, drawn.draws,
                                          drawn.splits[index]["days"],
                                          drawn.values[index]["days"], what)


def _what_to_do(answer: FrontierAnswer) -> str:
    found = answer.frontier
    free = [lever for lever in found.levers if lever.kind == "free"]
    parts = []
    if free:
        names = ", ".join(lever.option for lever in free)
        parts.append(f"Start with {names}: {'each saves' if len(free) > 1 else 'it saves'} "
                     "days with no clear rise in faculty hours.")
    best = found.best_buy
    if best is not None:
        parts.append(f"Of the changes that cost hours, {best.option} buys the most days per "
                     f"hour: {_lever_words(best)} "
                     f"({per_hundred_hours(best.days_per_hour)} days per 100 hours).")
    if found.knee is not None and found.knee is not found.front[-1]:
        parts.append(f"Beyond the knee ({_label(answer, found.knee)}) each hour buys fewer "
                     "days.")
    return " ".join(parts) or "No single change saves days clearly; see the frontier."


def summary(answer: FrontierAnswer) -> Markdown:
    """Today, each frontier point (fewest hours first; the knee marked), the changes that
    save days for no hours and the one that buys most days per hour."""
    found = answer.frontier
    spec = found.study.spec
    lines = [f"{len(found.points)} combinations of {len(spec.changes)} decisions (the first "
             "option of each is today's), each over the same "
             f"{run_count(found.replications)}: the {_metric(answer)} days from submission "
             "to approval against the faculty hours a year of the committees' reviews, "
             "meetings and items.",
             f"**Today:** {_figures(answer, found.today)}."]
    for number, point in enumerate(found.front, start=1):
        knee = " (the knee)" if point is found.knee else ""
        lines.append(f"**{number}. {_label(answer, point)}{knee}:** {_figures(answer, point)}.")
    for lever in found.levers:
        if lever.kind == "free":
            lines.append(f"**{lever.option}** alone: {_lever_words(lever)}.")
    if found.best_buy is not None:
        lines.append(f"**Most days per hour:** {found.best_buy.option} alone, "
                     f"{_lever_words(found.best_buy)} "
                     f"({per_hundred_hours(found.best_buy.days_per_hour)} days per 100 "
                     "hours).")
    lines.append(f"{plural(len(found.excluded), 'other combination')} are beaten: another is "
                 "at least as fast for no more hours (last table).")
    return bullet_summary(lines)


def _lever_words(lever: Lever) -> str:
    return f"{lever_days(lever.to_dict())}, {lever_hours(lever.to_dict())}"


def _with_ci(row: pd.Series, name: str) -> str:
    """"95 (93 to 96)": a figure of :func:`points` and its 95% CI."""
    return f"{days(row[name])} ({span(row[f'{name}_low'], row[f'{name}_high'])})"


@labelled_by(1)
def frontier_table(answer: FrontierAnswer) -> pd.DataFrame:
    """The frontier for people, fewest hours first: the combination (numbered as in the
    figure; the knee marked), its days and faculty hours a year with their 95% CIs (and,
    with draws, their 95% ranges) and whether it meets the spec's aim."""
    found, table = answer.frontier, points(answer)
    spec, ranged = found.study.spec, answer.over_draws is not None
    rows = []
    for number, point in enumerate(found.front, start=1):
        row = table.iloc[point.configuration.index]
        item = {"Combination": f"{number}. {row['label']}" + (" (knee)" if row["knee"] else ""),
                f"{METRIC_WORDS[spec.target.metric].capitalize()} days (95% CI)":
                    _with_ci(row, "days")}
        if ranged:
            item[f"Days: {RANGE}"] = span(row["days_range_low"], row["days_range_high"])
        item["Faculty hours a year (95% CI)"] = _with_ci(row, "hours")
        if ranged:
            item[f"Hours: {RANGE}"] = span(row["hours_range_low"], row["hours_range_high"])
        if found.outside_terms:
            item["Of them outside terms"] = days(row["outside_hours"])
        item[f"Below {spec.target.below_days:g} days"] = "yes" if row["meets"] else "no"
        rows.append(item)
    return pd.DataFrame(rows)


@labelled_by(2)
def lever_table(answer: FrontierAnswer) -> pd.DataFrame:
    """Each change from today alone, best first: the decision, the change, what it does to
    the days (95% CI) and to the faculty hours a year, and the days it buys per 100 hours
    (for a change that costs hours)."""
    found = answer.frontier
    labels = {decision.name: decision.label or decision.name
              for decision in found.study.spec.changes}
    return pd.DataFrame([{
        "Decision": labels[lever.decision], "Change": lever.option,
        "Days (95% CI)": lever_days(lever.to_dict()),
        "Faculty hours": lever_hours(lever.to_dict()),
        "Days per 100 hours": (per_hundred_hours(lever.days_per_hour)
                               if lever.kind == "buys" else ""),
    } for lever in found.levers], columns=["Decision", "Change", "Days (95% CI)",
                                           "Faculty hours", "Days per 100 hours"])


@labelled_by(1)
def excluded_table(answer: FrontierAnswer) -> pd.DataFrame:
    """Every combination off the frontier: its days and faculty hours a year, and the
    frontier combination that beats it (at least as fast for no more hours: of those, the
    one with fewest hours)."""
    found, table = answer.frontier, points(answer)
    number = {id(point): index for index, point in enumerate(found.front, start=1)}
    rows = []
    for point in found.excluded:
        row, by = table.iloc[point.configuration.index], found.dominator(point)
        rows.append({"Combination": row["label"], "Days": days(row["days"]),
                     "Faculty hours a year": days(row["hours"]),
                     "Beaten by": f"{number[id(by)]}. {_label(answer, by)}"})
    return pd.DataFrame(rows, columns=["Combination", "Days", "Faculty hours a year",
                                       "Beaten by"])


def frontier_figure(answer: FrontierAnswer) -> Figure:
    """Days against faculty hours: every combination, the frontier numbered and named by
    its changes, the knee ringed and today marked."""
    target = answer.frontier.study.spec.target
    return figures.frontier_plot(
        points(answer), f"{METRIC_WORDS[target.metric]} days from submission to approval")

