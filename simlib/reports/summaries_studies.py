"""Plain words and readable tables of the studies: the capacity sweep, demand growth and
sensitivity (see :mod:`simlib.reports.summaries`, which also exports them)."""

from __future__ import annotations

import math

import pandas as pd

from simlib.experiments.sensitivity import Sensitivity
from simlib.experiments.studies import FULL, DemandGrowth, Sweep
from simlib.experiments.studies_uncertain import Unknowns
from simlib.formats.words import (
    change,
    days,
    interval,
    pathway_title,
    pathway_words,
    percent,
    signed,
    span,
    times,
)
from simlib.reports.notebooks import Markdown
from simlib.reports.readable import bullet_summary, labelled_by, rows_at, shown_whole
from simlib.reports.summaries_unknowns import (
    OVER_DRAWS,
    RANGE,
    mean_range,
    sensitivity_fixed,
)
from simlib.reports.words import assumption_value, without_source
from simlib.scenario import note_words

# --- capacity sweep ------------------------------------------------------------------------


def sweep_summary(study: Sweep, threshold_days: float = 3.0) -> Markdown:
    """The executive summary of a capacity sweep: per demand level, the mean days at the
    smallest and largest capacity, where more stops helping, and the body's load."""
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
def sweep_table(study: Sweep) -> pd.DataFrame:
    """The sweep for people: demand, capacity, pathway, mean days (95% CI), what this step
    more does to the mean ("4 days shorter (95% CI 3 to 4)", "no change"), the body's load."""
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


# --- demand growth -------------------------------------------------------------------------


def growth_summary(study: DemandGrowth, unknowns: Unknowns | None = None) -> Markdown:
    """The executive summary of demand growth: cycle times at the lowest and highest
    multiplier (with ``unknowns``, the means at the highest over the posterior draws: their
    95% range), and which body fills up first."""
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


def load_table(study: DemandGrowth) -> pd.DataFrame:
    """Each body's load (% of capacity, whole percentages) at each demand multiplier (rows:
    bodies; columns: "1x", ...)."""
    table = study.load.assign(column=study.load["demand"].map(times))
    wide = table.pivot_table(index="body_label", columns="column", values="load", sort=False)
    wide = wide[[times(factor) for factor in study.factors]].map(percent)
    return shown_whole(wide.rename_axis(index="Load (% of capacity)", columns=None))


# --- sensitivity ---------------------------------------------------------------------------


def sensitivity_summary(study: Sensitivity, count: int = 3) -> Markdown:
    """The executive summary of a sensitivity analysis: per pathway the ``count`` assumptions
    whose range moves the mean most, with the swing in days."""
    table = study.summary()
    drawn = not sensitivity_fixed(study)
    over = f", {OVER_DRAWS}" if drawn else ""
    lines = [f"Each of {table['assumption'].nunique()} uncertain assumptions was set to the "
             f"low and the high end of its plausible range, one at a time "
             f"({study.replications} paired runs each"
             + (f": {study.uncertainty['replications_per_draw']} at each of "
                f"{study.uncertainty['draws']} draws of the other uncertain numbers"
                if drawn else "") + ")."]
    for pathway in study.scenario.pathways:
        rows = table[table["pathway"] == pathway].head(count)
        if rows.empty:
            continue
        parts = [f"{assumption_words(row)} ({_range(row)}: "
                 f"{span(row['mean_low'], row['mean_high'])} days)"
                 for _, row in rows.iterrows()]
        lines.append(f"**{pathway_title(pathway)}** (now "
                     f"{days(rows['mean_base'].iloc[0])} days{over}) depends most on "
                     + "; ".join(parts) + ".")
    lines.append("Assumptions at the bottom of the chart barely matter; those at the top are "
                 "worth measuring.")
    return bullet_summary(lines)


def assumption_words(row: pd.Series) -> str:
    """An assumption's note in plain words, without its source mark or bracketed source
    (the source goes in its own column or a footnote)."""
    note = row["note"] if isinstance(row["note"], str) and row["note"] else row["assumption"]
    return without_source(note_words(str(note)))[0]


def assumption_source(row: pd.Series) -> str:
    """The source of an assumption's range: its note's bracketed source, else "assumed"."""
    note = row["note"] if isinstance(row["note"], str) else ""
    return without_source(note_words(note))[1] or "assumed"


def _range(row: pd.Series) -> str:
    path = str(row["assumption"])
    return f"{assumption_value(path, row['low'])} to {assumption_value(path, row['high'])}"


@labelled_by(2)
def sensitivity_table(study: Sensitivity, top: int = 10) -> pd.DataFrame:
    """The ``top`` largest swings per pathway for people: pathway, assumption (its note),
    range, mean days at the low end, now, at the high end, the swing with its 95% CI (and,
    for a study over posterior draws, its 95% range over what we don't know) and the
    source of the range."""
    table = study.summary()
    table = table[table["rank"] <= top]
    readable = pd.DataFrame({
        "Pathway": table["pathway"].map(pathway_title),
        "Assumption": [assumption_words(row) for _, row in table.iterrows()],
        "Range": [_range(row) for _, row in table.iterrows()],
        "Mean days at low": table["mean_low"].map(days),
        "Now": table["mean_base"].map(days),
        "At high": table["mean_high"].map(days),
        "Swing in days (95% CI)": [
            f"{signed(swing)} ({span(low, high)})"
            for swing, low, high in zip(table["swing_mean"], table["swing_mean_ci95_low"],
                                        table["swing_mean_ci95_high"], strict=True)],
    })
    if "swing_mean_predictive95_low" in table:
        readable[f"Swing {RANGE}"] = [
            span(low, high) for low, high in zip(table["swing_mean_predictive95_low"],
                                                 table["swing_mean_predictive95_high"],
                                                 strict=True)]
    readable["Source of the range"] = [assumption_source(row) for _, row in table.iterrows()]
    return readable
