"""Figures for leadership reports: how long approval takes, where the time goes, the whole
journey to the first badges, what each change would do, how offices and committees cope as
demand grows, which assumptions matter, when to submit, whether the model reproduces the
record, what the targets say about the model's numbers, and which governance changes are
worth their faculty hours.

Every figure takes tidy data (a :class:`pandas.DataFrame`; days are calendar days, loads
are fractions, 1 = full) and returns one :class:`matplotlib.figure.Figure`: 9.5 inches wide
at 100 dpi, fonts of 10 pt or more, Okabe-Ito colours (safe for colour-blind readers),
constrained layout. Each figure is closed in pyplot before it is returned, so a notebook
cell that ends with the call shows it exactly once. Nothing here saves files or prints; no
backend is chosen. The page modules (:mod:`simlib.reports.today` and the others) call these
with their answer's data.
"""

from simlib.reports.figures._capacity import (
    cycle_by_demand,
    load_by_demand,
    queue_growth,
    queue_over_time,
    response_curves,
    utilization_curves,
)
from simlib.reports.figures._deadline import deadline_curve
from simlib.reports.figures._frontier import FACULTY_HOURS, frontier_plot
from simlib.reports.figures._posterior import prior_and_posterior, ridge
from simlib.reports.figures._record import cycle_cdfs, step_comparison
from simlib.reports.figures._style import DPI, OKABE_ITO, WIDTH, pathway_name
from simlib.reports.figures._today import (
    TIME_PARTS,
    cycle_time_distribution,
    journey_timeline,
    time_breakdown,
    time_breakdown_compared,
)
from simlib.reports.figures._tornado import SWING_RANGE, tornado
from simlib.reports.figures._whatifs import CI_WORDS, RANGE_WORDS, forest

__all__ = [
    "CI_WORDS", "DPI", "FACULTY_HOURS", "OKABE_ITO", "RANGE_WORDS", "SWING_RANGE", "TIME_PARTS",
    "WIDTH", "cycle_by_demand", "cycle_cdfs", "cycle_time_distribution", "deadline_curve",
    "forest", "frontier_plot", "journey_timeline", "load_by_demand", "pathway_name",
    "prior_and_posterior", "queue_growth", "queue_over_time", "response_curves", "ridge",
    "step_comparison", "time_breakdown", "time_breakdown_compared", "tornado", "utilization_curves",
]
