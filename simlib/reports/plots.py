"""Figures for leadership reports: how long approval takes, where the time goes, what each
change would do, and how offices and committees cope as demand grows.

Every public function takes a tidy :class:`pandas.DataFrame` (days are calendar days; loads
are fractions, 1 = full) and returns one :class:`matplotlib.figure.Figure`: 9.5 inches wide
at 100 dpi, fonts of 10 pt or more, Okabe-Ito colours (safe for colour-blind readers),
constrained layout. Each figure is closed in pyplot before it is returned, so a notebook cell
that ends with the call shows it exactly once and figures do not pile up. Nothing here saves
files or prints; no backend is chosen.

Here: how long approval takes, where the time goes and what each change would do; the
staffing sweeps, demand growth, sensitivity and deadline figures are in
:mod:`simlib.reports.plots_studies` (all importable from here).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simlib.formats.words import whole
from simlib.metrics.calendar import BREAKDOWN_COLUMNS
from simlib.reports.plot_style import (
    DAYS_TO_APPROVAL,
    DPI,
    OKABE_ITO,
    WIDTH,
    _figure,
    _in_order,
    _legend,
    _report,
    _wrap,
    pathway_name,
)
from simlib.reports.plots_studies import (
    cycle_by_demand,
    deadline_curve,
    load_by_demand,
    queue_growth,
    queue_over_time,
    response_curves,
    tornado,
    utilization_curves,
)
from simlib.reports.words import BREAKDOWN_WORDS, step_words

__all__ = [  # the notebooks call plots.X; the study figures live in plots_studies
    "DPI", "OKABE_ITO", "TIME_PARTS", "WIDTH", "cycle_by_demand", "cycle_time_distribution",
    "deadline_curve", "forest", "load_by_demand", "pathway_name", "queue_growth", "queue_over_time",
    "response_curves", "time_breakdown", "tornado", "utilization_curves",
]

TIME_COLOURS = {"queue_wait_days": OKABE_ITO[1], "review_days": OKABE_ITO[0],
                "meeting_wait_days": OKABE_ITO[2], "closed_days": "#BBBBBB",
                "rework_days": OKABE_ITO[3]}
TIME_PARTS = {  # column: (legend name, colour)
    column: (BREAKDOWN_WORDS[column], TIME_COLOURS[column]) for column in BREAKDOWN_COLUMNS
}


# --- how long approval takes -----------------------------------------------------------------


def _summary_lines(ax: Axes, days: np.ndarray, target: float | None) -> None:
    """Vertical lines at the mean, median and P90 of ``days`` (and the documented target)."""
    marks = [("mean", np.mean(days), OKABE_ITO[5], "-"),
             ("median", np.median(days), OKABE_ITO[1], "-."),
             ("P90", np.quantile(days, 0.9), OKABE_ITO[3], ":")]
    if target is not None:
        marks.append(("documented average", target, "black", "--"))
    for name, value, color, style in marks:
        ax.axvline(value, color=color, linestyle=style, linewidth=2,
                   label=f"{name} {whole(value)} d")


def _distribution_row(hist_ax: Axes, share_ax: Axes, days: np.ndarray,
                      target: float | None) -> None:
    """Histogram and cumulative share approved of ``days``, with the summary lines."""
    hist_ax.set(xlabel=DAYS_TO_APPROVAL, ylabel="number of proposals")
    share_ax.set(xlabel=DAYS_TO_APPROVAL, ylabel="share of proposals approved (%)",
                 ylim=(0, 102))
    if not days.size:
        hist_ax.text(0.5, 0.5, "no approved proposals", transform=hist_ax.transAxes,
                     ha="center")
        return
    hist_ax.hist(days, bins=min(40, max(8, int(np.sqrt(days.size)))), color=OKABE_ITO[4],
                 edgecolor="white")
    share_ax.step(np.sort(days), 100 * np.arange(1, days.size + 1) / days.size, where="post",
                  color=OKABE_ITO[0], linewidth=2)
    share_ax.grid(axis="y")
    for ax in (hist_ax, share_ax):
        _summary_lines(ax, days, target)
    share_ax.legend(loc="lower right")


@_report
def cycle_time_distribution(cycles: pd.DataFrame,
                            targets: dict[str, float] | None = None) -> Figure:
    """Per pathway, a histogram (number of proposals) and the cumulative share approved (%)
    of days from submission to approval, with the mean, median and P90 marked (days) and the
    documented average from ``targets`` (days, keyed by pathway) when given.

    ``cycles``: columns pathway, cycle_days (one row per approved proposal; NaN dropped).
    """
    pathways = _in_order(cycles["pathway"])
    fig, axes = _figure("How long approval takes", len(pathways), 2, 0.8 + 3.2 * len(pathways))
    for (hist_ax, share_ax), pathway in zip(axes, pathways, strict=True):
        days = cycles.loc[cycles["pathway"] == pathway, "cycle_days"].dropna().to_numpy(float)
        hist_ax.set_title(f"{pathway_name(pathway)}: {days.size:,} proposals approved",
                          loc="left")
        _distribution_row(hist_ax, share_ax, days, (targets or {}).get(pathway))
    return fig


# --- where the time goes ---------------------------------------------------------------------


def _step_names(rows: pd.DataFrame) -> list[str]:
    """Step names for y ticks, as the tables name them (:func:`words.step_words`: a body
    met twice in a route is told apart by its step's name, "(final)"); without step and
    body columns, a body met again gets "(visit 2)", ..."""
    if {"step", "body"} <= set(rows.columns):
        return [_wrap(step_words(str(label), str(step), str(body)), 28) for label, step, body
                in zip(rows["body_label"], rows["step"], rows["body"], strict=True)]
    seen: dict[str, int] = {}
    names = []
    for label in rows["body_label"].astype(str):
        seen[label] = seen.get(label, 0) + 1
        names.append(_wrap(label if seen[label] == 1 else f"{label} (visit {seen[label]})", 28))
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


@_report
def time_breakdown(table: pd.DataFrame) -> Figure:
    """Per pathway, one horizontal bar per step (route order, first at the top) stacked into
    mean days per proposal waiting for a reviewer, under review, waiting for a meeting, in
    summer recess and holidays, and revising; each bar's total (days) at its end.

    ``table``: columns pathway, step, body_label, queue_wait_days, review_days,
    meeting_wait_days, closed_days, rework_days (NaN counts as 0); with a body column,
    steps are named as in :func:`simlib.reports.summaries.breakdown_table`.
    """
    pathways = _in_order(table["pathway"])
    counts = [int((table["pathway"] == pathway).sum()) for pathway in pathways]
    fig, axes = _figure("Where the time goes", len(pathways), 1,
                        1.5 + 0.45 * sum(counts) + 0.5 * len(pathways), sharex=True,
                        height_ratios=counts)
    longest = 0.0
    for ax, pathway in zip(axes[:, 0], pathways, strict=True):
        rows = table[table["pathway"] == pathway]
        longest = max(longest, float(_stacked_bars(ax, rows).max()))
        ax.set_yticks(np.arange(len(rows)), _step_names(rows))
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_title(pathway_name(pathway), loc="left")
        ax.set_ylabel("step (route order)")
        ax.grid(axis="x")
    axes[0, 0].set_xlim(0, 1.12 * longest or 1.0)
    axes[-1, 0].set_xlabel("mean days per proposal")
    _legend(fig, axes[:1], ncols=3)
    return fig


# --- what-if comparisons -------------------------------------------------------------------


def _faster_side(ax: Axes, top: float) -> None:
    """Shade the left of 0 (faster) and write which side is faster at height ``top``."""
    left, right = ax.get_xlim()
    span = right - left
    left, right = min(left, -0.3 * span), max(right, 0.3 * span)
    ax.axvspan(left, 0, color=OKABE_ITO[2], alpha=0.08, linewidth=0)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_xlim(left, right)
    for text, offset, align in (("\u2190 faster", -5, "right"), ("slower \u2192", 5, "left")):
        ax.annotate(text, (0, top), xytext=(offset, 0), textcoords="offset points",
                    ha=align, va="center")


CI_WORDS = "thick: 95% CI (luck alone)"
RANGE_WORDS = "thin: 95% range (with what we don't know)"


def _forest_panel(ax: Axes, rows: pd.DataFrame, where: dict) -> None:
    """Points (change in mean days) and 95% CI bars of ``rows`` at the heights ``where``;
    with range_low/range_high, a thin, longer bar for each 95% range behind its CI."""
    y = rows["alternative"].map(where).to_numpy(float)
    ranges = {"range_low", "range_high"} <= set(rows.columns)
    ranged = rows[["ci95_low", "ci95_high"]].notna().all(axis=1).to_numpy()
    ax.hlines(y[ranged], rows["ci95_low"][ranged], rows["ci95_high"][ranged],
              color=OKABE_ITO[0], linewidth=5.0 if ranges else 2.5,
              label=CI_WORDS if ranges else None, zorder=3)
    if ranges:  # behind the CI's bar
        drawn = rows[["range_low", "range_high"]].notna().all(axis=1).to_numpy()
        ax.hlines(y[drawn], rows["range_low"][drawn], rows["range_high"][drawn],
                  color=OKABE_ITO[6], linewidth=1.2, label=RANGE_WORDS, zorder=2)
    ax.plot(rows["mean_diff_days"], y, "o", color=OKABE_ITO[0], markersize=7,
            markeredgecolor="white", zorder=4)
    _faster_side(ax, -0.8)
    ax.grid(axis="x")


@_report
def forest(table: pd.DataFrame) -> Figure:
    """Per pathway (side by side), each alternative's change in mean days to approval against
    its base (point, days) with its 95% CI (bar; none when the CI is NaN). Left of 0 is faster.
    With a ``kind`` column, the rows of kind "stress test" (more proposals: not a change to
    make) are drawn in their own panels below, on their own scale, so they do not squeeze
    the real changes' intervals.

    With range_low and range_high columns (the 95% range over what we don't know, from
    :func:`simlib.reports.summaries.differences` given the comparison over the posterior
    draws), each what-if also has a thin, longer bar for its range behind the thick bar of
    its CI, and a legend says which is which.

    ``table``: columns alternative, pathway, mean_diff_days, ci95_low, ci95_high, optional
    kind ("change" or "stress test"), optional range_low, range_high.
    """
    pathways = _in_order(table["pathway"])
    kinds = table["kind"] if "kind" in table else pd.Series("change", index=table.index)
    groups = [(name, table[kinds == kind]) for kind, name in
              (("change", "changes"), ("stress test", "more proposals"))
              if (kinds == kind).any()]
    if not groups:  # unknown kinds: one panel row of everything
        groups = [("changes", table)]
    counts = [rows["alternative"].nunique() for _, rows in groups]
    labels = {alternative: _wrap(alternative, 40) for alternative in table["alternative"]}
    lines = sum(label.count("\n") + 1 for label in labels.values())
    fig, axes = _figure("What each change would do", len(groups), len(pathways),
                        1.9 + 0.22 * lines + 0.2 * sum(counts) + 0.5 * len(groups),
                        sharey="row", height_ratios=[count + 1.2 for count in counts])
    for row_axes, (name, rows) in zip(axes, groups, strict=True):
        alternatives = _in_order(rows["alternative"])
        where = {alternative: index for index, alternative in enumerate(alternatives)}
        for ax, pathway in zip(row_axes, pathways, strict=True):
            _forest_panel(ax, rows[rows["pathway"] == pathway], where)
            ax.set_title(pathway_name(pathway) if name == "changes"
                         else f"{pathway_name(pathway)} (stress tests)")
        row_axes[0].set_yticks(np.arange(len(alternatives)),
                               [labels[alternative] for alternative in alternatives])
        row_axes[0].set_ylim(len(alternatives) - 0.5, -1.2)
        row_axes[0].set_ylabel(name if name != "changes" else "change (what if)")
    if {"range_low", "range_high"} <= set(table.columns):
        for ax in axes.flat:  # each row its own label: a figure label runs into the legend
            ax.set_xlabel("change in mean days to approval")
        _legend(fig, axes, ncols=2)
    else:
        fig.supxlabel("change in mean days to approval (95% CI)")
    return fig
