"""The house style of the report figures and the helpers every figure module shares: size,
fonts, Okabe-Ito colours, axis words, and drawing under the style with the figures closed
afterwards."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Iterable

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simlib.formats.words import pathway_title

WIDTH = 9.5  # inches: about 950 pixels at DPI
DPI = 100
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
             "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P")
DAYS_TO_APPROVAL = "days from submission to approval"
MEAN_DAYS = "mean days to approval"
CAPACITY_USED = "capacity in use (%)"
CI_NOTE = "shaded: 95% CI"
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


def wrap(text: object, width: int = 40) -> str:
    return textwrap.fill(str(text), width, break_long_words=False)


def in_order(values: Iterable) -> list:
    """Distinct values in order of first appearance."""
    return list(dict.fromkeys(values))


def series(index: int) -> dict:
    """Colour and marker of the ``index``-th line (markers tell lines apart without colour)."""
    return {"color": OKABE_ITO[index % len(OKABE_ITO)], "marker": MARKERS[index % len(MARKERS)]}


def report(draw: Callable[..., Figure]) -> Callable[..., Figure]:
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


def new_figure(title: str, nrows: int = 1, ncols: int = 1, height: float = 4.6,
            **kwargs) -> tuple[Figure, np.ndarray]:
    """A titled figure WIDTH inches wide with a 2-D array of axes."""
    if nrows < 1 or ncols < 1:
        raise ValueError(f"{title}: the table has no rows to draw")
    fig, axes = plt.subplots(nrows, ncols, figsize=(WIDTH, min(height, 14.0)), dpi=DPI,
                             squeeze=False, layout="constrained", **kwargs)
    fig.suptitle(title)
    return fig, axes


def legend(fig: Figure, axes: np.ndarray, ncols: int = 5, **kwargs) -> None:
    """One legend under the figure (or where ``loc`` says) for the labelled artists of all
    ``axes`` (first label wins). Under, not beside: beside, it can run into the figure
    title."""
    entries: dict = {}
    for ax in axes.flat:
        for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
            entries.setdefault(label, handle)
    kwargs.setdefault("loc", "outside lower center")
    fig.legend(entries.values(), entries.keys(), ncols=min(ncols, len(entries)), **kwargs)


def legend_beside(ax: Axes) -> None:
    """The legend right of ``ax`` (for many long body names), top-aligned with it."""
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
