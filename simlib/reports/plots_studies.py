"""Figures of the studies: staffing sweeps, demand growth, sensitivity and the deadline
planner (see :mod:`simlib.reports.plots` for the conventions; it also exports these)."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simlib.experiments.studies import FULL as BUSY
from simlib.experiments.studies import DemandGrowth
from simlib.formats.words import percent, times, whole
from simlib.reports.plot_style import (
    CAPACITY_USED,
    CI_NOTE,
    DAYS_TO_APPROVAL,
    MEAN_DAYS,
    OKABE_ITO,
    _figure,
    _in_order,
    _legend,
    _legend_beside,
    _report,
    _series,
    _wrap,
    pathway_name,
)
from simlib.reports.words import assumption_value, without_source
from simlib.scenario import note_words

YEAR = 365.25  # days


def _band_line(ax: Axes, x: pd.Series, rows: pd.DataFrame, style: dict, label: str) -> None:
    """``rows.mean_days`` against ``x`` with a shaded 95% CI (ci95_low..ci95_high)."""
    ax.plot(x, rows["mean_days"], label=label, linewidth=2, **style)
    ax.fill_between(x, rows["ci95_low"], rows["ci95_high"], color=style["color"], alpha=0.18,
                    linewidth=0)


def _mark_full(ax: Axes, loads: pd.Series) -> None:
    """Percent y axis with a line at 100% (full) and a light band above 85%."""
    top = max(110.0, 108.0 * float(np.nanmax(loads)))
    ax.axhspan(100 * BUSY, top, color=OKABE_ITO[5], alpha=0.1, linewidth=0,
               label=f"above {percent(BUSY)}: queues grow fast")
    ax.axhline(100, color="black", linestyle="--", linewidth=1.2, label="full (100%)")
    ax.set_ylim(0, top)
    ax.set_ylabel(CAPACITY_USED)
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



# --- staffing sweeps and demand growth --------------------------------------------------------


def _mark_knees(ax: Axes, rows: pd.DataFrame, knees: pd.DataFrame) -> None:
    """A star where more capacity stops helping (knees: demand, capacity)."""
    points = rows.merge(knees[["demand", "capacity"]], on=["demand", "capacity"])
    ax.plot(points["capacity"], points["mean_days"], linestyle="none", marker="*",
            markersize=18, color="black", markerfacecolor="white", markeredgewidth=1.5,
            label="more stops helping", zorder=5)


@_report
def response_curves(table: pd.DataFrame, body_label: str,
                    knees: pd.DataFrame | None = None) -> Figure:
    """Per pathway, mean days to approval (95% CI shaded) against the swept capacity (number
    of reviewers, members or meetings a month), one line per demand multiplier; a star where
    more capacity stops helping when ``knees`` (pathway, demand, capacity) is given.

    ``table``: columns capacity, demand, pathway, mean_days, ci95_low, ci95_high and,
    optionally, capacity_label (the x axis's words; default "reviewers").
    """
    pathways = _in_order(table["pathway"])
    demands = sorted(set(table["demand"]))
    fig, axes = _figure(f"Time to approval as the {body_label} grows", 1, len(pathways), 4.8)
    for ax, pathway in zip(axes[0], pathways, strict=True):
        rows = table[table["pathway"] == pathway].sort_values("capacity")
        for index, demand in enumerate(demands):
            line = rows[rows["demand"] == demand]
            _band_line(ax, line["capacity"], line, _series(index), f"{times(demand)} demand")
        if knees is not None:
            _mark_knees(ax, rows, knees[knees["pathway"] == pathway])
        ax.set(title=pathway_name(pathway), xlabel=_capacity_label(table), ylabel=MEAN_DAYS)
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(axis="y")
    _legend(fig, axes, title=CI_NOTE)
    return fig


@_report
def utilization_curves(table: pd.DataFrame, body_label: str) -> Figure:
    """The swept body's load (% of its capacity in use) against its capacity, one line per
    demand multiplier, with 100% (full) and the band above 85% (queues grow fast) marked.

    ``table``: columns capacity, demand, load (fraction; rows repeated per pathway are
    averaged) and, optionally, capacity_label.
    """
    load = table.groupby(["demand", "capacity"], as_index=False)["load"].mean()
    fig, axes = _figure(f"How busy the {body_label} is")
    ax = axes[0, 0]
    for index, (demand, line) in enumerate(load.groupby("demand")):
        ax.plot(line["capacity"], 100 * line["load"], linewidth=2, label=f"{times(demand)} demand",
                **_series(index))
    _mark_full(ax, load["load"])
    ax.set_xlabel(_capacity_label(table))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    _legend(fig, axes)
    return fig


def _first_to_fill(table: pd.DataFrame) -> str:
    """Which body first passes BUSY, at which demand (for a subtitle)."""
    over = table[table["load"] > BUSY].sort_values(["demand", "load"], ascending=[True, False])
    if over.empty:
        return f"None passes {percent(BUSY)} up to {times(table['demand'].max())} demand"
    first = over.iloc[0]
    return (f"First past {percent(BUSY)}: {first['body_label']} at "
            f"{times(first['demand'])} demand ({percent(first['load'])})")


@_report
def load_by_demand(table: pd.DataFrame) -> Figure:
    """Each office's or committee's load (% of capacity in use: reviewer time busy, or
    agenda places used) against the demand multiplier, with 100% and the band above 85%
    marked; the subtitle names the body that first passes 85%. Legend: fullest first.

    ``table``: columns demand, body_label, load (fraction).
    """
    at_most = table[table["demand"] == table["demand"].max()]
    bodies = _in_order(at_most.sort_values("load", ascending=False)["body_label"])
    bodies += [body for body in _in_order(table["body_label"]) if body not in bodies]
    fig, axes = _figure("Which office or committee fills up first", height=5.0)
    ax = axes[0, 0]
    for index, body in enumerate(bodies):
        line = table[table["body_label"] == body].sort_values("demand")
        ax.plot(line["demand"], 100 * line["load"], linewidth=2, label=_wrap(body, 28),
                **_series(index))
    _mark_full(ax, table["load"])
    _demand_axis(ax, table["demand"])
    ax.set_title(_first_to_fill(table), loc="left", fontsize=11)
    _legend_beside(ax)
    return fig


@_report
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
    fig, axes = _figure(title)
    ax = axes[0, 0]
    if warmup_days > 0:
        ax.axvspan(0, warmup_days / YEAR, color="#DDDDDD", alpha=0.6, linewidth=0,
                   label="warm-up (left out of the results)")
    for index, body in enumerate(drawn):
        line = waiting[waiting["body_label"] == body].sort_values("time")
        level = line["waiting"].rolling(smooth, min_periods=1).mean()
        ax.plot(line["time"] / YEAR, level, linewidth=2,
                markevery=max(1, len(line) // 12), label=_wrap(body, 28), **_series(index))
    if others:
        ax.set_title(_wrap("Shorter queues at: " + ", ".join(others), 110), loc="left",
                     fontsize=10)
    spacing = pd.Series(waiting["time"].unique()).sort_values().diff().median()
    span = f"{whole(smooth * spacing)}-day" if pd.notna(spacing) else f"{smooth}-sample"
    average = f" ({span} average)" if smooth > 1 else ""
    ax.set(xlabel="years from the start of the simulation", ylabel=f"proposals waiting{average}")
    ax.set_xlim(left=0)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    _legend_beside(ax)
    return fig


def queue_growth(study: DemandGrowth, bodies: int = 4, smooth: int = 4) -> Figure:
    """:func:`queue_over_time` at the study's highest demand, with its warm-up shaded."""
    factor = max(study.factors)
    return queue_over_time(study.queues_at(factor),
                           f"Proposals waiting at {times(factor)} today's demand", bodies,
                           smooth, warmup_days=study.scenario.warmup_days)


@_report
def cycle_by_demand(table: pd.DataFrame) -> Figure:
    """Mean days from submission to approval (95% CI shaded) against the demand multiplier,
    one line per pathway; the P90 (days within which 9 in 10 are approved) dotted when
    ``p90_days`` is present.

    ``table``: columns demand, pathway, mean_days, ci95_low, ci95_high, optional p90_days.
    """
    fig, axes = _figure("Time to approval as demand grows")
    ax = axes[0, 0]
    for index, pathway in enumerate(_in_order(table["pathway"])):
        rows = table[table["pathway"] == pathway].sort_values("demand")
        style = _series(index)
        _band_line(ax, rows["demand"], rows, style, f"{pathway_name(pathway)}: mean")
        if "p90_days" in rows and rows["p90_days"].notna().any():
            ax.plot(rows["demand"], rows["p90_days"], linestyle=":", linewidth=2,
                    label=f"{pathway_name(pathway)}: P90", **style)
    _demand_axis(ax, table["demand"])
    ax.set_ylabel(DAYS_TO_APPROVAL)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    _legend(fig, axes, title=CI_NOTE)
    return fig


# --- sensitivity ---------------------------------------------------------------------------


SOURCED = "\u2020"  # marks an assumption whose range has a source (named in the footnote)


def _note(row: pd.Series) -> tuple[str, str]:
    """(words, source) of an assumption's note, without its source mark."""
    note = row["note"] if isinstance(row["note"], str) and row["note"] else row["assumption"]
    return without_source(note_words(str(note)))


def _assumption_label(row: pd.Series) -> str:
    """The tick label of an assumption: its words (no source; a dagger when its range has
    one) and its range, chances as percentages."""
    text, source = _note(row)
    path = str(row["assumption"])
    return (f"{_wrap(text, 48)}{SOURCED if source else ''}\n"
            f"({assumption_value(path, row['low'])}\u2013{assumption_value(path, row['high'])})")


SWING_RANGE = "95% range of the swing (with what we don't know)"
SWING_COLUMNS = ["swing_mean", "swing_mean_predictive95_low", "swing_mean_predictive95_high"]


def _swing_ranges(ax: Axes, rows: pd.DataFrame, y: np.ndarray) -> None:
    """Thin bars at heights ``y``: each swing's 95% range placed around the tip of its
    high-end bar (mean_high + range - swing); none without the range columns."""
    if not set(SWING_COLUMNS) <= set(rows.columns):
        return
    shown = rows[SWING_COLUMNS].notna().all(axis=1).to_numpy()
    if not shown.any():
        return
    tip = rows["mean_high"] - rows["swing_mean"]
    ax.hlines(y[shown], (tip + rows["swing_mean_predictive95_low"])[shown],
              (tip + rows["swing_mean_predictive95_high"])[shown], color=OKABE_ITO[6],
              linewidth=1.5, label=SWING_RANGE, zorder=3)


@_report
def tornado(table: pd.DataFrame, top: int = 10) -> Figure:
    """Per pathway, the ``top`` assumptions that swing mean days to approval the most (largest
    at the top): bars from the base mean to the mean with the assumption at its low end and
    at its high end (days); a line at the base mean. With the swing's 95% range over what
    we don't know (a study over posterior draws), a thin black bar at the tip of each
    high-end bar spans where that end could lie, the low end held: the range of the swing
    around its value.

    ``table``: columns pathway, rank (1 = largest swing), assumption, note, low, high,
    mean_low, mean_base, mean_high (days); optional swing_mean,
    swing_mean_predictive95_low, swing_mean_predictive95_high (days).
    """
    pathways = _in_order(table["pathway"])
    chosen = [table[table["pathway"] == pathway].sort_values("rank", kind="stable").head(top)
              for pathway in pathways]
    counts = [len(rows) for rows in chosen]
    fig, axes = _figure("Which assumptions matter most", len(pathways), 1,
                        1.6 + 0.5 * sum(counts) + 0.5 * len(pathways), height_ratios=counts)
    for ax, pathway, rows in zip(axes[:, 0], pathways, chosen, strict=True):
        y, base = np.arange(len(rows)), float(rows["mean_base"].iloc[0])
        for column, shift, color, label in (
                ("mean_low", -0.19, OKABE_ITO[0], "assumption at its low end"),
                ("mean_high", 0.19, OKABE_ITO[1], "at its high end")):
            ax.barh(y + shift, rows[column] - base, left=base, height=0.36, color=color,
                    label=label)
        _swing_ranges(ax, rows, y + 0.19)
        ax.axvline(base, color="black", linewidth=1.2)
        ax.set_yticks(y, [_assumption_label(row) for _, row in rows.iterrows()])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set(title=f"{pathway_name(pathway)} (today {whole(base)} d)", xlabel=MEAN_DAYS,
               ylabel="assumption (low\u2013high)")
        ax.grid(axis="x")
    sourced = any(_note(row)[1] for rows in chosen for _, row in rows.iterrows())
    _legend(fig, axes[:1], ncols=3,
            title=(f"{SOURCED} range from a published source (named in the table below); the "
                   "other ranges are assumptions") if sourced else None)
    return fig


@_report
def deadline_curve(curve: pd.DataFrame, launch: object, confidence: float,
                   latest: object = None, latest_range: tuple | None = None,
                   luck_only: bool = False) -> Figure:
    """The chance of approval before ``launch`` against the submission date (95% CI
    shaded), the ``confidence`` wanted as a dashed line, and the latest submission date
    that still meets it marked (``latest``; None when no date does). ``latest_range``
    (early, late): the band of the latest safe date over what we don't know, shaded
    (``luck_only``: nothing was drawn, so the band is what luck does).

    ``curve``: columns submitted (date), p_approved, ci95_low, ci95_high (fractions).
    """
    launch = pd.Timestamp(launch)
    fig, axes = _figure(f"Submit by when to launch on {launch.day} {launch:%B %Y}?", height=4.8)
    ax = axes[0, 0]
    days = pd.to_datetime(curve["submitted"])
    style = _series(0)
    ax.plot(days, 100 * curve["p_approved"], linewidth=2, markersize=4,
            label="chance of approval in time", **style)
    ax.fill_between(days, 100 * curve["ci95_low"], 100 * curve["ci95_high"],
                    color=style["color"], alpha=0.18, linewidth=0, label="95% CI")
    ax.axhline(100 * confidence, color="#555555", linestyle="--", linewidth=1.2,
               label=f"wanted: {percent(confidence)}")
    if latest_range is not None:
        early, late = (pd.Timestamp(day) for day in latest_range)
        why = "luck alone" if luck_only else "what we don't know"
        ax.axvspan(early, late + pd.Timedelta(days=1), color=OKABE_ITO[1], alpha=0.25,
                   linewidth=0, label=f"latest safe date with {why}: {_day_span(early, late)}")
    if latest is not None:
        latest = pd.Timestamp(latest)
        ax.axvline(latest, color=OKABE_ITO[5], linewidth=2,
                   label=f"latest safe date: {latest.day} {latest:%b %Y}")
    else:
        ax.set_title(f"No date in the window reaches {percent(confidence)}", loc="left",
                     fontsize=10)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set(xlabel="submission date", ylabel="approved before launch (%)", ylim=(0, 102))
    ax.grid(axis="y")
    _legend(fig, axes, ncols=3 if latest_range is not None else 4)
    return fig


def _day_span(early: pd.Timestamp, late: pd.Timestamp) -> str:
    """"3-20 Nov 2026", "30 Oct-20 Nov 2026" or "20 Dec 2026-3 Jan 2027"."""
    if early.year != late.year:
        return f"{early.day} {early:%b %Y}\u2013{late.day} {late:%b %Y}"
    if early.month != late.month:
        return f"{early.day} {early:%b}\u2013{late.day} {late:%b %Y}"
    return f"{early.day}\u2013{late.day} {late:%b %Y}"
