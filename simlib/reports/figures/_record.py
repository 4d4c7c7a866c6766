"""Figures of a backtest: the recorded and simulated cycle-time CDFs of each pathway, and
each step's recorded and simulated mean days per visit. Each takes a tidy table (from
:mod:`simlib.reports.record`; days are calendar days, shares 0-1) and returns a closed
:class:`matplotlib.figure.Figure` in the house style (:mod:`simlib.reports.figures._style`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simlib.reports.figures import _style as house

RECORDED = house.OKABE_ITO[6]
SIMULATED = house.OKABE_ITO[0]


@house.report
def cycle_cdfs(frame: pd.DataFrame) -> Figure:
    """Per pathway, the share approved within each number of days: the record (Kaplan-Meier,
    open proposals counted for the days they have taken, with its 95% band) and the model.

    ``frame``: columns pathway, source (``recorded``/``simulated``), days, share, low, high.
    """
    pathways = house.in_order(frame["pathway"])
    fig, axes = house.new_figure("The model against the record: time to approval", 1, len(pathways),
                        4.4)
    for ax, pathway in zip(axes[0], pathways, strict=True):
        rows = frame[frame["pathway"] == pathway]
        recorded = rows[rows["source"] == "recorded"]
        simulated = rows[rows["source"] == "simulated"]
        ax.step(simulated["days"], 100 * simulated["share"], where="post", color=SIMULATED,
                linewidth=2, label="model (simulated)")
        if len(recorded):
            ax.fill_between(recorded["days"], 100 * recorded["low"], 100 * recorded["high"],
                            step="post", color=RECORDED, alpha=0.15,
                            label="record, 95% band")
            ax.step(recorded["days"], 100 * recorded["share"], where="post", color=RECORDED,
                    linewidth=2, linestyle="--", label="record (Kaplan-Meier)")
        ax.set(title=house.pathway_name(pathway), xlabel=house.DAYS_TO_APPROVAL,
               ylabel="share approved within (%)", ylim=(0, 102))
        ax.grid(axis="y")
    house.legend(fig, axes, ncols=3)
    return fig


@house.report
def step_comparison(table: pd.DataFrame) -> Figure:
    """Per step (rows, grouped by pathway), the recorded and simulated mean days per visit
    (arrival to decision); the bar around the record is the step's noise (family-wise 95%),
    and a step beyond it is marked.

    ``table``: columns pathway, label, recorded_mean_days, simulated_mean_days, noise_days,
    beyond_noise.
    """
    names = [f"{label} ({house.pathway_name(pathway).lower()})"
             for pathway, label in zip(table["pathway"], table["label"], strict=True)]
    fig, axes = house.new_figure("Days per visit at each step: record and model", 1, 1,
                        1.4 + 0.36 * len(table))
    ax = axes[0, 0]
    rows = np.arange(len(table))[::-1]
    ax.errorbar(table["recorded_mean_days"], rows, xerr=table["noise_days"].fillna(0.0),
                fmt="o", color=RECORDED, capsize=3, label="record (with its noise)")
    ax.plot(table["simulated_mean_days"], rows, "D", color=SIMULATED, label="model")
    beyond = table["beyond_noise"].to_numpy(bool)
    if beyond.any():
        ax.plot(table["simulated_mean_days"][beyond], rows[beyond], "D", markersize=12,
                markerfacecolor="none", markeredgecolor=house.OKABE_ITO[5], markeredgewidth=2,
                label="beyond noise")
    ax.set_yticks(rows, names)
    ax.set(xlabel="mean days per visit, arrival to decision")
    ax.grid(axis="x")
    house.legend(fig, axes, ncols=3)
    return fig
