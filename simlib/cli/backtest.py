"""``mcsim backtest``: does a (fitted) scenario reproduce an office's record?

Replicates the scenario and compares it with the history file (see
:mod:`simlib.fitting.backtest`): per pathway the recorded and simulated cycle times (mean,
median, P90), the KS test, the Wasserstein distance and the share of recorded proposals
inside the simulated 5-95% band; per step the recorded and simulated days per visit; and one
sentence, "The model reproduces the record" or where it misses it and by how many days.
"""

from __future__ import annotations

import argparse

from simlib.cli.history_options import add_history_options, history_from_args
from simlib.cli.options import add_format_option, add_run_options, print_result


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim backtest`` to the subcommands."""
    parser = commands.add_parser(
        "backtest", help="does a (fitted) scenario reproduce an office's record?")
    parser.add_argument("scenario", metavar="FITTED.yaml",
                        help="the scenario to check (e.g. the what-if `mcsim fit` wrote)")
    parser.add_argument("history", metavar="HISTORY",
                        help="the office's record: a history file (CSV or xlsx)")
    add_history_options(parser)
    add_run_options(parser)
    add_format_option(parser)
    parser.set_defaults(handler=command_backtest)


def command_backtest(args: argparse.Namespace) -> int:
    """``mcsim backtest``: print the backtest table (or one JSON object)."""
    from simlib.scenario import load_scenario

    scenario = load_scenario(args.scenario)
    history = history_from_args(args, scenario)  # read and checked before simulating
    from simlib.answers import backtest
    from simlib.reports.console import backtest_json, backtest_text

    result = backtest(scenario, history, args.replications, args.seed, jobs=args.jobs)
    return print_result(args.format, lambda: backtest_json(result),
                        lambda: backtest_text(result))
