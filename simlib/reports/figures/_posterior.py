"""Figures of a scenario's posterior draws (notebook 01): each free assumption's draws
against its prior range, and the pair of assumptions that trade off most (the ridge). Each
returns a closed :class:`matplotlib.figure.Figure` in the house style
(:mod:`simlib.reports.figures._style`).
"""

from __future__ import annotations

import math
import textwrap

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from simlib.formats.words import signed
from simlib.reports.figures import _style as house
from simlib.reports.unknowns import parameter_words
from simlib.scenario import Scenario

PRIOR = "#999999"  # neutral grey: the flat prior
POSTERIOR = house.OKABE_ITO[4]
COLUMNS = 3
TITLE_WIDTH = 30  # characters a panel's title holds on one line


def posterior_frame(scenario: Scenario) -> pd.DataFrame:
    """One row per draw, one column per drawn assumption (its path); empty without draws."""
    posterior = scenario.calibration.posterior if scenario.calibration else None
    if posterior is None:
        return pd.DataFrame()
    return pd.DataFrame({path: list(values) for path, values in posterior.draws.items()})


def prior_ranges(scenario: Scenario) -> dict[str, tuple[float, float]]:
    """Each drawn assumption's prior range: the posterior's record, else its assumption's."""
    posterior = scenario.calibration.posterior
    ranges = {a.path: (a.low, a.high) for a in scenario.assumptions}
    return {path: tuple(posterior.prior.get(path, ranges.get(path, (math.nan, math.nan))))
            for path in posterior.draws}


def _scale(path: str) -> float:
    """Chances are shown as percentages."""
    return 100.0 if path.endswith(".p") else 1.0


@house.report
def prior_and_posterior(scenario: Scenario) -> Figure:
    """Per drawn assumption, a histogram of its draws over its prior range (the flat prior
    drawn as the band it is uniform on); a narrow histogram is an assumption the targets
    pin down, a flat one an assumption they leave open."""
    frame = posterior_frame(scenario)
    ranges = prior_ranges(scenario)
    rows = math.ceil(len(frame.columns) / COLUMNS)
    fig, axes = house.new_figure("What the documented figures say about each assumption", rows,
                        COLUMNS, 3.3 * rows + 1.0)
    for ax, path in zip(axes.flat, frame.columns, strict=False):
        low, high = (bound * _scale(path) for bound in ranges[path])
        values = frame[path].to_numpy() * _scale(path)
        bins = np.linspace(low, high, 21)
        ax.axhspan(0, 1.0 / (high - low), color=PRIOR, alpha=0.25, label="prior (flat)")
        ax.hist(values, bins=bins, density=True, color=POSTERIOR, alpha=0.8,
                label="posterior draws")
        unit = "%" if _scale(path) == 100.0 else ""
        ax.set(xlim=(low, high), yticks=[], xlabel="%" if unit else "")
        ax.set_title(textwrap.fill(parameter_words(scenario, path), TITLE_WIDTH), fontsize=10)
    for ax in list(axes.flat)[len(frame.columns):]:
        ax.set_visible(False)
    house.legend(fig, axes, ncols=2)
    return fig


def ridge_pair(scenario: Scenario) -> tuple[str, str, float] | None:
    """The two drawn assumptions whose draws are most correlated (Spearman), with the
    correlation; None with fewer than two."""
    frame = posterior_frame(scenario)
    best = None
    for i, first in enumerate(frame.columns):
        for second in frame.columns[i + 1:]:
            rho = float(stats.spearmanr(frame[first], frame[second]).statistic)
            if math.isfinite(rho) and (best is None or abs(rho) > abs(best[2])):
                best = (first, second, rho)
    return best


@house.report
def ridge(scenario: Scenario) -> Figure:
    """The draws of the two assumptions that trade off most: a band of points means the
    targets fix a combination of the two, not each."""
    first, second, rho = ridge_pair(scenario)
    frame = posterior_frame(scenario)
    ranges = prior_ranges(scenario)
    fig, axes = house.new_figure("Assumptions that trade off", 1, 1, 4.4)
    ax = axes[0][0]
    ax.scatter(frame[first] * _scale(first), frame[second] * _scale(second), s=14,
               color=POSTERIOR, alpha=0.7, label=f"posterior draws (correlation {signed(rho, 2)})")
    ax.set(xlim=tuple(b * _scale(first) for b in ranges[first]),
           ylim=tuple(b * _scale(second) for b in ranges[second]),
           xlabel=_axis(scenario, first), ylabel=_axis(scenario, second))
    ax.grid(True)
    house.legend(fig, axes, ncols=1)
    return fig


def _axis(scenario: Scenario, path: str) -> str:
    unit = " (%)" if _scale(path) == 100.0 else ""
    return f"{parameter_words(scenario, path)}{unit}"
