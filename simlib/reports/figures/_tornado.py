"""The tornado of the assumptions (report 05): how far each one moves the mean across its
range, with its 95% CI and, over the draws, its 95% range."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simlib.formats.words import whole
from simlib.reports.figures import _style as house
from simlib.reports.words import assumption_value, without_source
from simlib.scenario import note_words

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
    return (f"{house.wrap(text, 48)}{SOURCED if source else ''}\n"
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
              (tip + rows["swing_mean_predictive95_high"])[shown], color=house.OKABE_ITO[6],
              linewidth=1.5, label=SWING_RANGE, zorder=3)


@house.report
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
    pathways = house.in_order(table["pathway"])
    chosen = [table[table["pathway"] == pathway].sort_values("rank", kind="stable").head(top)
              for pathway in pathways]
    counts = [len(rows) for rows in chosen]
    fig, axes = house.new_figure("Which assumptions matter most", len(pathways), 1,
                        1.6 + 0.5 * sum(counts) + 0.5 * len(pathways), height_ratios=counts)
    for ax, pathway, rows in zip(axes[:, 0], pathways, chosen, strict=True):
        y, base = np.arange(len(rows)), float(rows["mean_base"].iloc[0])
        for column, shift, color, label in (
                ("mean_low", -0.19, house.OKABE_ITO[0], "assumption at its low end"),
                ("mean_high", 0.19, house.OKABE_ITO[1], "at its high end")):
            ax.barh(y + shift, rows[column] - base, left=base, height=0.36, color=color,
                    label=label)
        _swing_ranges(ax, rows, y + 0.19)
        ax.axvline(base, color="black", linewidth=1.2)
        ax.set_yticks(y, [_assumption_label(row) for _, row in rows.iterrows()])
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set(title=f"{house.pathway_name(pathway)} (today {whole(base)} d)",
               xlabel=house.MEAN_DAYS, ylabel="assumption (low\u2013high)")
        ax.grid(axis="x")
    sourced = any(_note(row)[1] for rows in chosen for _, row in rows.iterrows())
    house.legend(fig, axes[:1], ncols=3,
            title=(f"{SOURCED} range from a published source (named in the table below); the "
                   "other ranges are assumptions") if sourced else None)
    return fig
