"""The frontier of days against faculty hours (report 08): every combination of changes as a
point, the frontier's points numbered and named by their changes, the knee ringed."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from simlib.reports.figures import _style as house

FACULTY_HOURS = "faculty hours a year"


@house.report
def frontier_plot(table: pd.DataFrame, days_label: str) -> Figure:
    """Each configuration's days (y) against its faculty hours a year (x): the others as
    grey dots, the frontier's points numbered (fewest hours first) with their 95% CIs on
    both axes (the hours' thin: each combination's hours a year vary with the year's
    proposals, while the differences between combinations, paired, are much tighter) and
    joined by a line, the knee ringed and today marked; the legend under the
    figure names each numbered point by its changes. With range columns (95% ranges over
    what we don't know), a thin bar for each frontier point's days range.

    ``table``: one row per configuration, columns label (its changes from today, or
    "today"), days, days_low, days_high, hours, hours_low, hours_high, on_frontier, knee,
    today (booleans); optional days_range_low, days_range_high. ``days_label``: the y axis
    (e.g. "mean days from submission to approval")."""
    front = table[table["on_frontier"]].sort_values(["hours", "days"], kind="stable")
    others = table[~table["on_frontier"]]
    lines = sum(house.wrap(label, 80).count("\n") + 1 for label in front["label"])
    fig, axes = house.new_figure("Days against faculty hours: the frontier", 1, 1,
                                 5.2 + 0.24 * (lines + 3))
    ax = axes[0, 0]
    ax.plot(others["hours"], others["days"], "o", color="#BBBBBB", markersize=6,
            label="other combinations (another is faster and cheaper)", zorder=2)
    ax.plot(front["hours"], front["days"], "-", color=house.OKABE_ITO[0], linewidth=1.2,
            zorder=3)
    if {"days_range_low", "days_range_high"} <= set(front.columns):
        ax.vlines(front["hours"], front["days_range_low"], front["days_range_high"],
                  color=house.OKABE_ITO[6], linewidth=1.0, alpha=0.6, zorder=3,
                  label="thin: 95% range of the days (with what we don't know)")
    ax.errorbar(front["hours"], front["days"],  # the hours' CI thin: it spans the whole year's
                xerr=[front["hours"] - front["hours_low"], front["hours_high"] - front["hours"]],
                fmt="none", ecolor=house.OKABE_ITO[4], elinewidth=1.0, alpha=0.7, zorder=4)
    ax.errorbar(front["hours"], front["days"],
                yerr=[front["days"] - front["days_low"], front["days_high"] - front["days"]],
                fmt="none", ecolor=house.OKABE_ITO[0], elinewidth=2.0, zorder=4)
    for number, row in enumerate(front.itertuples(), start=1):
        ax.plot(row.hours, row.days, "o", color=house.OKABE_ITO[0], markersize=8,
                markeredgecolor="white", zorder=5,
                label=f"{number}: {house.wrap(row.label, 80)}")
        ax.annotate(str(number), (row.hours, row.days),  # alternate sides: close points
                    xytext=(7, 5) if number % 2 else (-15, -17),
                    textcoords="offset points", fontsize=11, fontweight="bold", zorder=6)
    knee = table[table["knee"]]
    ax.plot(knee["hours"], knee["days"], "o", markersize=17, markerfacecolor="none",
            markeredgecolor=house.OKABE_ITO[5], markeredgewidth=2.0, zorder=6,
            label="the knee (where the trade-off bends most)")
    today = table[table["today"]]
    ax.plot(today["hours"], today["days"], "s", color=house.OKABE_ITO[6], markersize=7,
            zorder=6, label="today")
    ax.set_xlabel(f"{FACULTY_HOURS} (thin bars: 95% CI)")
    ax.set_ylabel(f"{days_label} (95% CI bars)")
    ax.grid(True)
    house.legend(fig, axes, ncols=1)
    return fig
