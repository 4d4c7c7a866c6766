"""The forest plot of the what-ifs (report 02): each change's paired difference in the
mean, its 95% CI (luck alone) and, with draws, its 95% range over what we don't know."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simlib.reports.figures import _style as house


def _faster_side(ax: Axes, top: float) -> None:
    """Shade the left of 0 (faster) and write which side is faster at height ``top``."""
    left, right = ax.get_xlim()
    span = right - left
    left, right = min(left, -0.3 * span), max(right, 0.3 * span)
    ax.axvspan(left, 0, color=house.OKABE_ITO[2], alpha=0.08, linewidth=0)
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
              color=house.OKABE_ITO[0], linewidth=5.0 if ranges else 2.5,
              label=CI_WORDS if ranges else None, zorder=3)
    if ranges:  # behind the CI's bar
        drawn = rows[["range_low", "range_high"]].notna().all(axis=1).to_numpy()
        ax.hlines(y[drawn], rows["range_low"][drawn], rows["range_high"][drawn],
                  color=house.OKABE_ITO[6], linewidth=1.2, label=RANGE_WORDS, zorder=2)
    ax.plot(rows["mean_diff_days"], y, "o", color=house.OKABE_ITO[0], markersize=7,
            markeredgecolor="white", zorder=4)
    _faster_side(ax, -0.8)
    ax.grid(axis="x")


@house.report
def forest(table: pd.DataFrame) -> Figure:
    """Per pathway (side by side), each alternative's change in mean days to approval against
    its base (point, days) with its 95% CI (bar; none when the CI is NaN). Left of 0 is faster.
    With a ``kind`` column, the rows of kind "stress test" (more proposals: not a change to
    make) are drawn in their own panels below, on their own scale, so they do not squeeze
    the real changes' intervals.

    With range_low and range_high columns (the 95% range over what we don't know, from
    :func:`simlib.reports.whatifs.differences` given the comparison over the posterior
    draws), each what-if also has a thin, longer bar for its range behind the thick bar of
    its CI, and a legend says which is which.

    ``table``: columns alternative, pathway, mean_diff_days, ci95_low, ci95_high, optional
    kind ("change" or "stress test"), optional range_low, range_high.
    """
    pathways = house.in_order(table["pathway"])
    kinds = table["kind"] if "kind" in table else pd.Series("change", index=table.index)
    groups = [(name, table[kinds == kind]) for kind, name in
              (("change", "changes"), ("stress test", "more proposals"))
              if (kinds == kind).any()]
    if not groups:  # unknown kinds: one panel row of everything
        groups = [("changes", table)]
    counts = [rows["alternative"].nunique() for _, rows in groups]
    labels = {alternative: house.wrap(alternative, 40) for alternative in table["alternative"]}
    lines = sum(label.count("\n") + 1 for label in labels.values())
    fig, axes = house.new_figure("What each change would do", len(groups), len(pathways),
                        1.9 + 0.22 * lines + 0.2 * sum(counts) + 0.5 * len(groups),
                        sharey="row", height_ratios=[count + 1.2 for count in counts])
    for row_axes, (name, rows) in zip(axes, groups, strict=True):
        alternatives = house.in_order(rows["alternative"])
        where = {alternative: index for index, alternative in enumerate(alternatives)}
        for ax, pathway in zip(row_axes, pathways, strict=True):
            _forest_panel(ax, rows[rows["pathway"] == pathway], where)
            ax.set_title(house.pathway_name(pathway) if name == "changes"
                         else f"{house.pathway_name(pathway)} (stress tests)")
        row_axes[0].set_yticks(np.arange(len(alternatives)),
                               [labels[alternative] for alternative in alternatives])
        row_axes[0].set_ylim(len(alternatives) - 0.5, -1.2)
        row_axes[0].set_ylabel(name if name != "changes" else "change (what if)")
    if {"range_low", "range_high"} <= set(table.columns):
        for ax in axes.flat:  # each row its own label: a figure label runs into the legend
            ax.set_xlabel("change in mean days to approval")
        house.legend(fig, axes, ncols=2)
    else:
        fig.supxlabel("change in mean days to approval (95% CI)")
    return fig
