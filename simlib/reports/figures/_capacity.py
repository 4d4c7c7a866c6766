"""Figures of capacity and demand (reports 03 and 04): the mean days and the load at each
capacity of the staffing sweep, and the cycle times, loads and queues as demand grows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simlib.experiments.studies import FULL as BUSY
from simlib.experiments.studies import DemandGrowth
from simlib.formats.words import percent, times, whole
from simlib.reports.figures import _style as house

YEAR = 365.25  # days


def _band_line(ax: Axes, x: pd.Series, rows: pd.DataFrame, style: dict, label: str) -> None:
    """``rows.mean_days`` against ``x`` with a shaded 95% CI (ci95_low..ci95_high)."""
    ax.plot(x, rows["mean_days"], label=label, linewidth=2, **style)
    ax.fill_between(x, rows["ci95_low"], rows["ci95_high"], color=style["color"], alpha=0.18,
                    linewidth=0)


def _mark_full(ax: Axes, loads: pd.Series) -> None:
    """Percent y axis with a line at 100% (full) and a light band above 85%."""
    top = max(110.0, 108.0 * float(np.nanmax(loads)))
    ax.axhspan(100 * BUSY, top, color=house.OKABE_ITO[5], alpha=0.1, linewidth=0,
               label=f"above {percent(BUSY)}: queues grow fast")
    ax.axhline(100, color="black", linestyle="--", linewidth=1.2, label="full (100%)")
    ax.set_ylim(0, top)
    ax.set_ylabel(house.CAPACITY_USED)
    ax.grid(axis="y")


def _demand_axis(ax: Axes, demands: pd.Series) -> None:
    """x ticks at each demand multiplier, written "1x", "2x", ..."""
    ticks = sorted(set(demands))
    ax.set_xticks(ticks, [times(value) for value in ticks])
    ax.set_xlabel("demand (multiple of today's submissions)")


def _capacity_label(table: pd.DataFrame) -> str:
    if "capacity_label" in table and table["capacity_label"].notna().any():
        return str(table["capacity_label"].dropna().iloc[0])
    return "reviewers"


def _mark_knees(ax: Axes, rows: pd.DataFrame, knees: pd.DataFrame) -> None:
    """A star where more capacity stops helping (knees: demand, capacity)."""
    points = rows.merge(knees[["demand", "capacity"]], on=["demand", "capacity"])
    ax.plot(points["capacity"], points["mean_days"], linestyle="none", marker="*",
            markersize=18, color="black", markerfacecolor="white", markeredgewidth=1.5,
            label="more stops helping", zorder=5)


@house.report
def response_curves(table: pd.DataFrame, body_label: str,
                    knees: pd.DataFrame | None = None) -> Figure:
    """Per pathway, mean days to approval (95% CI shaded) against the swept capacity (number
    of reviewers, members or meetings a month), one line per demand multiplier; a star where
    more capacity stops helping when ``knees`` (pathway, demand, capacity) is given.

    ``table``: columns capacity, demand, pathway, mean_days, ci95_low, ci95_high and,
    optionally, capacity_label (the x axis's words; default "reviewers").
    """
    pathways = house.in_order(table["pathway"])
    demands = sorted(set(table["demand"]))
    fig, axes = house.new_figure(f"Time to approval as the {body_label} grows", 1,
                                 len(pathways), 4.8)
    for ax, pathway in zip(axes[0], pathways, strict=True):
        rows = table[table["pathway"] == pathway].sort_values("capacity")
        for index, demand in enumerate(demands):
            line = rows[rows["demand"] == demand]
            _band_line(ax, line["capacity"], line, house.series(index), f"{times(demand)} demand")
        if knees is not None:
            _mark_knees(ax, rows, knees[knees["pathway"] == pathway])
        ax.set(title=house.pathway_name(pathway), xlabel=_capacity_label(table),
               ylabel=house.MEAN_DAYS)
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y")
    house.legend(fig, axes, title=house.CI_NOTE)
    return fig


@house.report
def utilization_curves(table: pd.DataFrame, body_label: str) -> Figure:
    """The swept body's load (% of its capacity in use) against its capacity, one line per
    demand multiplier, with 100% (full) and the band above 85% (queues grow fast) marked.

    ``table``: columns capacity, demand, load (fraction; rows repeated per pathway are
    averaged) and, optionally, capacity_label.
    """
    load = table.groupby(["demand", "capacity"], as_index=False)["load"].mean()
    fig, axes = house.new_figure(f"How busy the {body_label} is")
    ax = axes[0, 0]
    for index, (demand, line) in enumerate(load.groupby("demand")):
        ax.plot(line["capacity"], 100 * line["load"], linewidth=2, label=f"{times(demand)} demand",
                **house.series(index))
    _mark_full(ax, load["load"])
    ax.set_xlabel(_capacity_label(table))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    house.legend(fig, axes)
    return fig


def _first_to_fill(table: pd.DataFrame) -> str:
    """Which body first passes BUSY, at which demand (for a subtitle)."""
    over = table[table["load"] > BUSY].sort_values(["demand", "load"], ascending=[True, False])
    if over.empty:
        return f"None passes {percent(BUSY)} up to {times(table['demand'].max())} demand"
    first = over.iloc[0]
    return (f"First past {percent(BUSY)}: {first['body_label']} at "
            f"{times(first['demand'])} demand ({percent(first['load'])})")


@house.report
def load_by_demand(table: pd.DataFrame) -> Figure:
    """Each office's or committee's load (% of capacity in use: reviewer time busy, or
    agenda places used) against the demand multiplier, with 100% and the band above 85%
    marked; the subtitle names the body that first passes 85%. Legend: fullest first.

    ``table``: columns demand, body_label, load (fraction).
    """
    at_most = table[table["demand"] == table["demand"].max()]
    bodies = house.in_order(at_most.sort_values("load", ascending=False)["body_label"])
    bodies += [body for body in house.in_order(table["body_label"]) if body not in bodies]
    fig, axes = house.new_figure("Which office or committee fills up first", height=5.0)
    ax = axes[0, 0]
    for index, body in enumerate(bodies):
        line = table[table["body_label"] == body].sort_values("demand")
        ax.plot(line["demand"], 100 * line["load"], linewidth=2, label=house.wrap(body, 28),
                **house.series(index))
    _mark_full(ax, table["load"])
    _demand_axis(ax, table["demand"])
    ax.set_title(_first_to_fill(table), loc="left", fontsize=11)
    house.legend_beside(ax)
    return fig


@house.report
def queue_over_time(table: pd.DataFrame, title: str, bodies: int = 4, smooth: int = 4,
                    warmup_days: float = 0.0) -> Figure:
    """Mean proposals waiting at the ``bodies`` offices or committees with the longest
    average queue against years from the simulation's start (not calendar dates: this is
    not a forecast), as a rolling mean of ``smooth`` samples (weeks, for weekly samples) so
    the trend shows through the meeting cycle; longest queue first in the legend; the first
    ``warmup_days`` (the warm-up, left out of every result) shaded and labelled. The other
    bodies are named in the subtitle.

    ``table``: columns time (days from the start) or date (datetime64), body_label,
    waiting (mean proposals waiting).
    """
    if "time" not in table:
        dates = pd.to_datetime(table["date"])
        table = table.assign(time=(dates - dates.min()).dt.days)
    waiting = table.groupby(["body_label", "time"], sort=False, as_index=False)["waiting"].mean()
    busiest = waiting.groupby("body_label", sort=False)["waiting"].mean()
    busiest = busiest.sort_values(ascending=False, kind="stable").index
    drawn, others = list(busiest[:bodies]), [str(body) for body in busiest[bodies:]]
    fig, axes = house.new_figure(title)
    ax = axes[0, 0]
    if warmup_days > 0:
        ax.axvspan(0, warmup_days / YEAR, color="#DDDDDD", alpha=0.6, linewidth=0,
                   label="warm-up (left out of the results)")
    for index, body in enumerate(drawn):
        line = waiting[waiting["body_label"] == body].sort_values("time")
        level = line["waiting"].rolling(smooth, min_periods=1).mean()
        ax.plot(line["time"] / YEAR, level, linewidth=2,
                markevery=max(1, len(line) // 12), label=house.wrap(body, 28),
                **house.series(index))
    if others:
        ax.set_title(house.wrap("Shorter queues at: " + ", ".join(others), 110), loc="left",
                     fontsize=10)
    spacing = pd.Series(waiting["time"].unique()).sort_values().diff().median()
    span = f"{whole(smooth * spacing)}-day" if pd.notna(spacing) else f"{smooth}-sample"
    average = f" ({span} average)" if smooth > 1 else ""
    ax.set(xlabel="years from the start of the simulation", ylabel=f"proposals waiting{average}")
    ax.set_xlim(left=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    house.legend_beside(ax)
    return fig


def queue_growth(study: DemandGrowth, bodies: int = 4, smooth: int = 4) -> Figure:
    """:func:`queue_over_time` at the study's highest demand, with its warm-up shaded."""
    factor = max(study.factors)
    return queue_over_time(study.queues_at(factor),
                           f"Proposals waiting at {times(factor)} today's demand", bodies,
                           smooth, warmup_days=study.scenario.warmup_days)


@house.report
def cycle_by_demand(table: pd.DataFrame) -> Figure:
    """Mean days from submission to approval (95% CI shaded) against the demand multiplier,
    one line per pathway; the P90 (days within which 9 in 10 are approved) dotted when
    ``p90_days`` is present.

    ``table``: columns demand, pathway, mean_days, ci95_low, ci95_high, optional p90_days.
    """
    fig, axes = house.new_figure("Time to approval as demand grows")
    ax = axes[0, 0]
    for index, pathway in enumerate(house.in_order(table["pathway"])):
        rows = table[table["pathway"] == pathway].sort_values("demand")
        style = house.series(index)
        _band_line(ax, rows["demand"], rows, style, f"{house.pathway_name(pathway)}: mean")
        if "p90_days" in rows and rows["p90_days"].notna().any():
            ax.plot(rows["demand"], rows["p90_days"], linestyle=":", linewidth=2,
                    label=f"{house.pathway_name(pathway)}: P90", **style)
    _demand_axis(ax, table["demand"])
    ax.set_ylabel(house.DAYS_TO_APPROVAL)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    house.legend(fig, axes, title=house.CI_NOTE)
    return fig
