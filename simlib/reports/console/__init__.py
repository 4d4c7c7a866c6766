"""The command line's text: one renderer per answer, each a pure function of it.

Each ``mcsim`` command computes its answer with :mod:`simlib.answers` and prints one of
these (or the answer's JSON); none of them computes or simulates. Importing this room stays
light (no pandas, no simulation), so that ``mcsim --help`` and the policy commands start
fast.
"""

from simlib.reports.console._calibration import calibration_text
from simlib.reports.console._compare import comparison_json, comparison_text
from simlib.reports.console._frontier import frontier_text
from simlib.reports.console._optimize import optimize_text
from simlib.reports.console._plan import plan_events, plan_text
from simlib.reports.console._policy import (
    eligibility_text,
    problems_table,
    roster_message,
    validation_text,
)
from simlib.reports.console._posterior import posterior_text
from simlib.reports.console._records import backtest_json, backtest_text, fit_text, forecast_text
from simlib.reports.console._run import run_text
from simlib.reports.console._sensitivity import sensitivity_text
from simlib.reports.console._table import text_table, uncertainty_lines

__all__ = [
    "backtest_json", "backtest_text", "calibration_text", "comparison_json", "comparison_text",
    "eligibility_text", "fit_text", "forecast_text", "frontier_text", "optimize_text",
    "plan_events", "plan_text", "posterior_text", "problems_table", "roster_message", "run_text",
    "sensitivity_text", "text_table", "uncertainty_lines", "validation_text",
]
