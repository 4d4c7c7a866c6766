"""The deadline curve (report 06): the chance of approval in time by submission date, the
chance wanted and the latest safe date (with its band over what we don't know)."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from simlib.formats.words import percent
from simlib.reports.figures import _style as house


@house.report
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
    fig, axes = house.new_figure(f"Submit by when to launch on {launch.day} {launch:%B %Y}?",
                                 height=4.8)
    ax = axes[0, 0]
    days = pd.to_datetime(curve["submitted"])
    style = house.series(0)
    ax.plot(days, 100 * curve["p_approved"], linewidth=2, markersize=4,
            label="chance of approval in time", **style)
    ax.fill_between(days, 100 * curve["ci95_low"], 100 * curve["ci95_high"],
                    color=style["color"], alpha=0.18, linewidth=0, label="95% CI")
    ax.axhline(100 * confidence, color="#555555", linestyle="--", linewidth=1.2,
               label=f"wanted: {percent(confidence)}")
    if latest_range is not None:
        early, late = (pd.Timestamp(day) for day in latest_range)
        why = "luck alone" if luck_only else "what we don't know"
        ax.axvspan(early, late + pd.Timedelta(days=1), color=house.OKABE_ITO[1], alpha=0.25,
                   linewidth=0, label=f"latest safe date with {why}: {_day_span(early, late)}")
    if latest is not None:
        latest = pd.Timestamp(latest)
        ax.axvline(latest, color=house.OKABE_ITO[5], linewidth=2,
                   label=f"latest safe date: {latest.day} {latest:%b %Y}")
    else:
        ax.set_title(f"No date in the window reaches {percent(confidence)}", loc="left",
                     fontsize=10)
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    ax.set(xlabel="submission date", ylabel="approved before launch (%)", ylim=(0, 102))
    ax.grid(axis="y")
    house.legend(fig, axes, ncols=3 if latest_range is not None else 4)
    return fig


def _day_span(early: pd.Timestamp, late: pd.Timestamp) -> str:
    """"3-20 Nov 2026", "30 Oct-20 Nov 2026" or "20 Dec 2026-3 Jan 2027"."""
    if early.year != late.year:
        return f"{early.day} {early:%b %Y}\u2013{late.day} {late:%b %Y}"
    if early.month != late.month:
        return f"{early.day} {early:%b}\u2013{late.day} {late:%b %Y}"
    return f"{early.day}\u2013{late.day} {late:%b %Y}"
