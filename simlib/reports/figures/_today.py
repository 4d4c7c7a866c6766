"""Figures of today's process (report 01): how long approval takes, where the time goes
and the whole journey to the first badges.

The conventions of every figure (one :class:`matplotlib.figure.Figure` from tidy frames,
days in calendar days, closed in pyplot before it is returned) are in
:mod:`simlib.reports.figures`."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simlib.formats.words import whole
from simlib.metrics.calendar import BREAKDOWN_COLUMNS
from simlib.reports.figures import _style as house
from simlib.reports.words import BREAKDOWN_WORDS, JOURNEY_WORDS, step_words

TIME_COLOURS = {"queue_wait_days": house.OKABE_ITO[1], "review_days": house.OKABE_ITO[0],
                "meeting_wait_days": house.OKABE_ITO[2], "closed_days": "#BBBBBB",
                "rework_days": house.OKABE_ITO[3]}


TIME_PARTS = {  # column: (legend name, colour)
    column: (BREAKDOWN_WORDS[column], TIME_COLOURS[column]) for column in BREAKDOWN_COLUMNS
}


def _summary_lines(ax: Axes, days: np.ndarray, target: float | None) -> None:
    """Vertical lines at the mean, median and P90 of ``days`` (and the documented target)."""
    marks = [("mean", np.mean(days), house.OKABE_ITO[5], "-"),
             ("median", np.median(days), house.OKABE_ITO[1], "-."),
             ("P90", np.quantile(days, 0.9), house.OKABE_ITO[3], ":")]
    if target is not None:
        marks.append(("documented average", target, "black", "--"))
    for name, value, color, style in marks:
        ax.axvline(value, color=color, linestyle=style, linewidth=2,
                   label=f"{name} {whole(value)} d")


def _distribution_row(hist_ax: Axes, share_ax: Axes, days: np.ndarray,
                      target: float | None) -> None:
    """Histogram and cumulative share approved of ``days``, with the summary lines."""
    hist_ax.set(xlabel=house.DAYS_TO_APPROVAL, ylabel="number of proposals")
    share_ax.set(xlabel=house.DAYS_TO_APPROVAL, ylabel="share of proposals approved (%)",
                 ylim=(0, 102))
    if not days.size:
        hist_ax.text(0.5, 0.5, "no approved proposals", transform=hist_ax.transAxes,
                     ha="center")
        return
    hist_ax.hist(days, bins=min(40, max(8, int(np.sqrt(days.size)))), color=house.OKABE_ITO[4],
                 edgecolor="white")
    share_ax.step(np.sort(days), 100 * np.arange(1, days.size + 1) / days.size, where="post",
                  color=house.OKABE_ITO[0], linewidth=2)
    share_ax.grid(axis="y")
    for ax in (hist_ax, share_ax):
        _summary_lines(ax, days, target)
    share_ax.legend(loc="lower right")


@house.report
def cycle_time_distribution(cycles: pd.DataFrame,
                            targets: dict[str, float] | None = None) -> Figure:
    """Per pathway, a histogram (number of proposals) and the cumulative share approved (%)
    of days from submission to approval, with the mean, median and P90 marked (days) and the
    documented average from ``targets`` (days, keyed by pathway) when given.

    ``cycles``: columns pathway, cycle_days (one row per approved proposal; NaN dropped).
    """
    pathways = house.in_order(cycles["pathway"])
    fig, axes = house.new_figure("How long approval takes", len(pathways), 2,
                                 0.8 + 3.2 * len(pathways))
    for (hist_ax, share_ax), pathway in zip(axes, pathways, strict=True):
        days = cycles.loc[cycles["pathway"] == pathway, "cycle_days"].dropna().to_numpy(float)
        hist_ax.set_title(f"{house.pathway_name(pathway)}: {days.size:,} proposals approved",
                          loc="left")
        _distribution_row(hist_ax, share_ax, days, (targets or {}).get(pathway))
    return fig


def _step_names(rows: pd.DataFrame) -> list[str]:
    """Step names for y ticks, as the tables name them (:func:`words.step_words`: a body
    met twice in a route is told apart by its step's name, "(final)"); without step and
    body columns, a body met again gets "(visit 2)", ..."""
    if {"step", "body"} <= set(rows.columns):
        return [house.wrap(step_words(str(label), str(step), str(body)), 28) for label, step, body
                in zip(rows["body_label"], rows["step"], rows["body"], strict=True)]
    seen: dict[str, int] = {}
    names = []
    for label in rows["body_label"].astype(str):
        seen[label] = seen.get(label, 0) + 1
        names.append(house.wrap(label if seen[label] == 1 else f"{label} (visit {seen[label]})",
                                28))
    return names


def _stacked_bars(ax: Axes, rows: pd.DataFrame) -> np.ndarray:
    """One horizontal bar per step, stacked by TIME_PARTS; returns the totals (days)."""
    ends = np.zeros(len(rows))
    for column, (label, color) in TIME_PARTS.items():
        days = rows[column].fillna(0.0).to_numpy(float)
        ax.barh(np.arange(len(rows)), days, left=ends, height=0.65, color=color, label=label)
        ends = ends + days
    for position, total in enumerate(ends):
        ax.annotate(f"{whole(total)} d", (total, position), xytext=(4, 0),
                    textcoords="offset points", va="center")
    return ends


@house.report
def time_breakdown(table: pd.DataFrame) -> Figure:
    """Per pathway, one horizontal bar per step (route order, first at the top) stacked into
    mean days per proposal waiting for a reviewer, under review, waiting for a meeting, in
    summer recess and holidays, and revising; each bar's total (days) at its end.

    ``table``: columns pathway, step, body_label, queue_wait_days, review_days,
    meeting_wait_days, closed_days, rework_days (NaN counts as 0); with a body column,
    steps are named as in :func:`simlib.reports.today.breakdown_table`.
    """
    return _breakdown_figure(table, _step_names)


@house.report
def time_breakdown_compared(table: pd.DataFrame, sides: dict[str, str]) -> Figure:
    """:func:`time_breakdown` of several scenarios side by side: per step, one bar per
    scenario (in the order of ``sides``), each named by its step and ``sides[scenario]``
    (e.g. "today", "with the change"); a step one scenario lacks has its bar only.

    ``table``: the columns of :func:`time_breakdown` and ``scenario`` (a key of ``sides``;
    :meth:`simlib.answers.ComparisonAnswer.time_breakdown`).
    """
    order = {name: index for index, name in enumerate(sides)}
    table = table[table["scenario"].isin(order)].copy()
    table["_step"] = table.groupby("pathway", sort=False)["step"].transform(
        lambda steps: pd.factorize(steps)[0])
    table["_side"] = table["scenario"].map(order)
    table = table.sort_values(["_step", "_side"], kind="stable").drop(columns=["_step", "_side"])

    def names(rows: pd.DataFrame) -> list[str]:
        return [f"{name} ({sides[scenario]})"
                for name, scenario in zip(_step_names(rows), rows["scenario"], strict=True)]

    return _breakdown_figure(table, names)


def _breakdown_figure(table: pd.DataFrame, names: Callable[[pd.DataFrame], list[str]]
                      ) -> Figure:
    """The figure of :func:`time_breakdown`, each pathway's bars named by ``names(rows)``."""
    pathways = house.in_order(table["pathway"])
    counts = [int((table["pathway"] == pathway).sum()) for pathway in pathways]
    fig, axes = house.new_figure("Where the time goes", len(pathways), 1,
                        1.5 + 0.45 * sum(counts) + 0.5 * len(pathways), sharex=True,
                        height_ratios=counts)
    longest = 0.0
    for ax, pathway in zip(axes[:, 0], pathways, strict=True):
        rows = table[table["pathway"] == pathway]
        longest = max(longest, float(_stacked_bars(ax, rows).max()))
        ax.set_yticks(np.arange(len(rows)), names(rows))
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_title(house.pathway_name(pathway), loc="left")
        ax.set_ylabel("step (route order)")
        ax.grid(axis="x")
    axes[0, 0].set_xlim(0, 1.12 * longest or 1.0)
    axes[-1, 0].set_xlabel("mean days per proposal")
    house.legend(fig, axes[:1], ncols=3)
    return fig


JOURNEY_TITLE = "The whole journey: from submission to the first badges"
JOURNEY_BAR = "P10 to P90 (eight proposals in ten)"


def _journey_bars(ax: Axes, rows: pd.DataFrame) -> None:
    """One row per milestone (first at the top): a bar from its P10 to its P90 and a dot
    at its median, the medians joined in order and labelled in days."""
    positions = np.arange(len(rows))
    low, median, high = (rows[column].to_numpy(float) for column in ("p10", "median", "p90"))
    ax.barh(positions, high - low, left=low, height=0.5, color=house.OKABE_ITO[4],
            label=JOURNEY_BAR)
    ax.plot(median, positions, color=house.OKABE_ITO[0], marker="o", markersize=8,
            linestyle=":", linewidth=1.5, label="median")
    for position, (middle, end) in enumerate(zip(median, high, strict=True)):
        ax.annotate(f"median {whole(middle)} d", (end, position), xytext=(6, 0),
                    textcoords="offset points", va="center")
    ax.set_yticks(positions, [JOURNEY_WORDS[name] for name in rows["milestone"]])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.grid(axis="x")


@house.report
def journey_timeline(table: pd.DataFrame) -> Figure:
    """Per pathway, the whole journey from submission: one row per milestone reached
    (approval, the badge live, the first offering's start, the first badges issued; in
    that order, top to bottom), with a bar from the P10 to the P90 of the days from
    submission to it and a dot at its median (labelled in days).

    ``table``: columns pathway, milestone (a key of
    :data:`simlib.reports.words.JOURNEY_WORDS`), p10, median, p90 (days from submission;
    :meth:`simlib.answers.RunAnswer.journey`).
    """
    pathways = house.in_order(table["pathway"])
    counts = [int((table["pathway"] == pathway).sum()) for pathway in pathways]
    fig, axes = house.new_figure(JOURNEY_TITLE, len(pathways), 1,
                                 1.6 + 0.55 * sum(counts) + 0.5 * len(pathways), sharex=True,
                                 height_ratios=counts)
    for ax, pathway in zip(axes[:, 0], pathways, strict=True):
        _journey_bars(ax, table[table["pathway"] == pathway])
        ax.set_title(house.pathway_name(pathway), loc="left")
    axes[0, 0].set_xlim(0, 1.2 * float(table["p90"].max()) or 1.0)
    axes[-1, 0].set_xlabel("days from submission")
    house.legend(fig, axes[:1], ncols=3)
    return fig
