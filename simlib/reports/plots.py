"""Figures for leadership reports: how long approval takes, where the time goes, what each
change would do, and how offices and committees cope as demand grows.

Every public function takes a tidy :class:`pandas.DataFrame` (days are calendar days; loads
are fractions, 1 = full) and returns one :class:`matplotlib.figure.Figure`: 9.5 inches wide
at 100 dpi, fonts of 10 pt or more, Okabe-Ito colours (safe for colour-blind readers),
constrained layout. Each figure is closed in pyplot before it is returned, so a notebook cell
that ends with the call shows it exactly once and figures do not pile up. Nothing here saves
files or prints; no backend is chosen.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from simlib.metrics.calendar import BREAKDOWN_WORDS
from simlib.experiments.compare import pathway_title
from simlib.scenario import note_words

WIDTH = 9.5  # inches: about 950 pixels at DPI
DPI = 100
BUSY = 0.85  # a load above which queues grow fast (M/M/1: waits are 5.7x the service time)
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
             "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P")
DAYS_TO_APPROVAL = "days from submission to approval"
MEAN_DAYS = "mean days to approval"
CAPACITY_USED = "capacity in use (%)"
CI_NOTE = "shaded: 95% CI"
TIME_COLOURS = {"queue_wait_days": OKABE_ITO[1], "review_days": OKABE_ITO[0],
                "meeting_wait_days": OKABE_ITO[2], "closed_days": "#BBBBBB",
                "rework_days": OKABE_ITO[3]}
TIME_PARTS = {  # column: (legend name, colour)
    column: (words, TIME_COLOURS[column]) for column, words in BREAKDOWN_WORDS.items()
}
_STYLE = {
    "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10,
    "ytick.labelsize": 10, "legend.fontsize": 10, "legend.title_fontsize": 10,
    "figure.titlesize": 15, "figure.titleweight": "bold", "figure.labelsize": 11,
    "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    "axes.prop_cycle": cycler(color=OKABE_ITO), "grid.color": "#E5E5E5",
    "grid.linewidth": 0.7, "axes.axisbelow": True,
}


# --- shared helpers ------------------------------------------------------------------------


def pathway_name(name: object) -> str:
    """The name readers see for a pathway ("credit" -> "Credit-bearing")."""
    return pathway_title(str(name))


def _wrap(text: object, width: int = 40) -> str:
    return textwrap.fill(str(text), width, break_long_words=False)


def _in_order(values: Iterable) -> list:
    """Distinct values in order of first appearance."""
    return list(dict.fromkeys(values))


def _times(factor: float) -> str:
    return f"{factor:g}x"


def _number(value: object) -> str:
    """An assumption value, short: 0.333, 12.5, 1,200."""
    if not isinstance(value, int | float | np.number):
        return str(value)
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _series(index: int) -> dict:
    """Colour and marker of the ``index``-th line (markers tell lines apart without colour)."""
    return {"color": OKABE_ITO[index % len(OKABE_ITO)], "marker": MARKERS[index % len(MARKERS)]}


def _report(draw: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw under the house style, then close every figure ``draw`` opened (also on error)."""

    @functools.wraps(draw)
    def wrapper(*args, **kwargs) -> Figure:
        before = set(plt.get_fignums())
        try:
            with plt.rc_context(_STYLE):
                return draw(*args, **kwargs)
        finally:
            for number in set(plt.get_fignums()) - before:
                plt.close(number)

    return wrapper


def _figure(title: str, nrows: int = 1, ncols: int = 1, height: float = 4.6,
            **kwargs) -> tuple[Figure, np.ndarray]:
    """A titled figure WIDTH inches wide with a 2-D array of axes."""
    if nrows < 1 or ncols < 1:
        raise ValueError(f"{title}: the table has no rows to draw")
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH, min(height, 14.0)), dpi=DPI,
                             squeeze=False, layout="constrained", **kwargs)
    fig.suptitle(title)
    return fig, axes


def _legend(fig: Figure, axes: np.ndarray, ncols: int = 5, **kwargs) -> None:
    """One legend under the figure for the labelled artists of all ``axes`` (first label
    wins). Under, not beside: beside, it can run into the figure title."""
    entries: dict = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    fig.legend(entries.values(), entries.keys(), loc="outside lower center",
               ncols=min(ncols, len(entries)), **kwargs)


def _legend_beside(ax: Axes) -> None:
    """The legend right of ``ax`` (for many long body names), top-aligned with it."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))


def _band_line(ax: Axes, x: pd.Series, rows: pd.DataFrame, style: dict, label: str) -> None:
    """``rows.mean_days`` against ``x`` with a shaded 95% CI (ci95_low..ci95_high)."""
    ax.plot(x, rows["mean_days"], label=label, linewidth=2, **style)
    ax.fill_between(x, rows["ci95_low"], rows["ci95_high"], color=style["color"], alpha=0.18,
                    linewidth=0)


def _mark_full(ax: Axes, loads: pd.Series) -> None:
    """Percent y axis with a line at 100% (full) and a light band above 85%."""
    top = max(110.0, 108.0 * float(np.nanmax(loads)))
    ax.axhspan(100 * BUSY, top, color=OKABE_ITO[5], alpha=0.1, linewidth=0,
               label=f"above {100 * BUSY:.0f}%: queues grow fast")
    ax.axhline(100, color="black", linestyle="--", linewidth=1.2, label="full (100%)")
    ax.set_ylim(0, top)
    ax.set_ylabel(CAPACITY_USED)
    ax.grid(axis="y")


def _demand_axis(ax: Axes, demands: pd.Series) -> None:
    """x ticks at each demand multiplier, written "1x", "2x", ..."""
    ticks = sorted(set(demands))
    ax.set_xticks(ticks, [_times(value) for value in ticks])
    ax.set_xlabel("demand (multiple of today's submissions)")


def _capacity_label(table: pd.DataFrame) -> str:
    if "capacity_label" in table and table["capacity_label"].notna().any():
        return str(table["capacity_label"].dropna().iloc[0])
    return "reviewers"


# --- how long approval takes -----------------------------------------------------------------


def _summary_lines(ax: Axes, days: np.ndarray, target: float | None) -> None:
    """Vertical lines at the mean, median and P90 of ``days`` (and the documented target)."""
    marks = [("mean", np.mean(days), OKABE_ITO[5], "-"),
             ("median", np.median(days), OKABE_ITO[1], "-."),
             ("P90", np.quantile(days, 0.9), OKABE_ITO[3], ":")]
    if target is not None:
        marks.append(("documented average", target, "black", "--"))
    for name, value, color, style in marks:
        ax.axvline(value, color=color, linestyle=style, linewidth=2, label=f"{name} {value:.0f} d")


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


def _step_names(labels: pd.Series) -> list[str]:
    """Body labels for y ticks; a body met again in the route gets "(visit 2)", ..."""
    seen: dict[str, int] = {}
    names = []
    for label in labels.astype(str):
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
        ax.annotate(f"{total:.0f} d", (total, position), xytext=(4, 0),
                    textcoords="offset points", va="center")
    return ends


@_report
def time_breakdown(table: pd.DataFrame) -> Figure:
    """Per pathway, one horizontal bar per step (route order, first at the top) stacked into
    mean days per proposal waiting for a reviewer, under review, waiting for a meeting, in
    summer recess and holidays, and revising; each bar's total (days) at its end.

    ``table``: columns pathway, step, body_label, queue_wait_days, review_days,
    meeting_wait_days, closed_days, rework_days (NaN counts as 0).
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
        ax.set_yticks(np.arange(len(rows)), _step_names(rows["body_label"]))
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


@_report
def forest(table: pd.DataFrame) -> Figure:
    """Per pathway (side by side), each alternative's change in mean days to approval against
    its base (point, days) with its 95% CI (bar; none when the CI is NaN). Left of 0 is faster.

    ``table``: columns alternative, pathway, mean_diff_days, ci95_low, ci95_high.
    """
    alternatives = _in_order(table["alternative"])
    pathways = _in_order(table["pathway"])
    labels = [_wrap(alternative, 40) for alternative in alternatives]
    lines = sum(label.count("\n") + 1 for label in labels)
    fig, axes = _figure("What each change would do", 1, len(pathways),
                        1.9 + 0.22 * lines + 0.2 * len(alternatives), sharey=True)
    where = {alternative: index for index, alternative in enumerate(alternatives)}
    for ax, pathway in zip(axes[0], pathways, strict=True):
        rows = table[table["pathway"] == pathway]
        y = rows["alternative"].map(where).to_numpy(float)
        ranged = rows[["ci95_low", "ci95_high"]].notna().all(axis=1).to_numpy()
        ax.hlines(y[ranged], rows["ci95_low"][ranged], rows["ci95_high"][ranged],
                  color=OKABE_ITO[0], linewidth=2.5)
        ax.plot(rows["mean_diff_days"], y, "o", color=OKABE_ITO[0], markersize=7)
        _faster_side(ax, -0.8)
        ax.set_title(pathway_name(pathway))
        ax.grid(axis="x")
    axes[0, 0].set_yticks(np.arange(len(alternatives)), labels)
    axes[0, 0].set_ylim(len(alternatives) - 0.5, -1.2)
    axes[0, 0].set_ylabel("change (what if)")
    fig.supxlabel("change in mean days to approval (95% CI)")
    return fig


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
            _band_line(ax, line["capacity"], line, _series(index), f"{_times(demand)} demand")
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
        ax.plot(line["capacity"], 100 * line["load"], linewidth=2, label=f"{_times(demand)} demand",
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
        return f"None passes {100 * BUSY:.0f}% up to {_times(table['demand'].max())} demand"
    first = over.iloc[0]
    return (f"First past {100 * BUSY:.0f}%: {first['body_label']} at "
            f"{_times(first['demand'])} demand ({100 * first['load']:.0f}%)")


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
def queue_over_time(table: pd.DataFrame, title: str, bodies: int = 4, smooth: int = 4) -> Figure:
    """Mean proposals waiting at the ``bodies`` offices or committees with the longest
    average queue, over the calendar, as a rolling mean of ``smooth`` samples (weeks, for
    weekly samples) so the trend shows through the meeting cycle; longest queue first in
    the legend. The other bodies are named in the subtitle.

    ``table``: columns date (datetime64), body_label, waiting (mean proposals waiting).
    """
    waiting = table.groupby(["body_label", "date"], sort=False, as_index=False)["waiting"].mean()
    busiest = waiting.groupby("body_label", sort=False)["waiting"].mean()
    busiest = busiest.sort_values(ascending=False, kind="stable").index
    drawn, others = list(busiest[:bodies]), [str(body) for body in busiest[bodies:]]
    fig, axes = _figure(title)
    ax = axes[0, 0]
    for index, body in enumerate(drawn):
        line = waiting[waiting["body_label"] == body].sort_values("date")
        level = line["waiting"].rolling(smooth, min_periods=1).mean()
        ax.plot(pd.to_datetime(line["date"]), level, linewidth=2,
                markevery=max(1, len(line) // 12), label=_wrap(body, 28), **_series(index))
    if others:
        ax.set_title(_wrap("Shorter queues at: " + ", ".join(others), 110), loc="left",
                     fontsize=10)
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=9))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    spacing = pd.Series(pd.to_datetime(waiting["date"].unique())).sort_values().diff().median()
    span = f"{smooth * spacing.days}-day" if pd.notna(spacing) else f"{smooth}-sample"
    average = f" ({span} average)" if smooth > 1 else ""
    ax.set(xlabel="month", ylabel=f"proposals waiting{average}")
    ax.set_ylim(bottom=0)
    ax.grid(axis="y")
    _legend_beside(ax)
    return fig


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


def _assumption_label(row: pd.Series) -> str:
    note = row["note"] if isinstance(row["note"], str) and row["note"] else row["assumption"]
    text = _wrap(note_words(str(note)), 48)
    return f"{text}\n({_number(row['low'])}\u2013{_number(row['high'])})"


@_report
def tornado(table: pd.DataFrame, top: int = 10) -> Figure:
    """Per pathway, the ``top`` assumptions that swing mean days to approval the most (largest
    at the top): bars from the base mean to the mean with the assumption at its low end and
    at its high end (days); a line at the base mean.

    ``table``: columns pathway, rank (1 = largest swing), assumption, note, low, high,
    mean_low, mean_base, mean_high (days).
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
        ax.axvline(base, color="black", linewidth=1.2)
        ax.set_yticks(y, [_assumption_label(row) for _, row in rows.iterrows()])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set(title=f"{pathway_name(pathway)} (base {base:.0f} d)", xlabel=MEAN_DAYS,
               ylabel="assumption (low\u2013high)")
        ax.grid(axis="x")
    _legend(fig, axes[:1], ncols=2)
    return fig


@_report
def deadline_curve(curve: pd.DataFrame, launch: object, confidence: float,
                   latest: object = None) -> Figure:
    """The chance of approval before ``launch`` against the submission date (95% CI
    shaded), the ``confidence`` wanted as a dashed line, and the latest submission date
    that still meets it marked (``latest``; None when no date does).

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
               label=f"wanted: {100 * confidence:.0f}%")
    if latest is not None:
        latest = pd.Timestamp(latest)
        ax.axvline(latest, color=OKABE_ITO[5], linewidth=2,
                   label=f"latest safe date: {latest.day} {latest:%b %Y}")
    else:
        ax.set_title(f"No date in the window reaches {100 * confidence:.0f}%", loc="left",
                     fontsize=10)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set(xlabel="submission date", ylabel="approved before launch (%)", ylim=(0, 102))
    ax.grid(axis="y")
    _legend(fig, axes, ncols=4)
    return fig
