"""``mcsim forecast``: when will the proposals now in the pipeline be approved, and their
badges go live?

Reads a pipeline CSV (see :mod:`simlib.planning.forecast`) or an office's history file
(its open visits are the pipeline, on its export date; rows at the steps after approval are
read too), simulates from the forecast date with those proposals in progress, and prints
per proposal its median and P90 approval dates and the chance of approval before each of
the next four term starts, then, for a pathway with steps after approval, the median and
P90 dates its badge goes live and its first badges are issued (or one JSON object). A
proposal may be approved already: at a step after approval.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from simlib.cli.history_options import (
    add_history_options,
    print_history_notes,
    read_history_args,
)
from simlib.cli.options import add_format_option, add_run_options, iso_date, print_result
from simlib.errors import CommandError, InputError
from simlib.formats.printable import MAX_LINE, printable

if TYPE_CHECKING:
    pass


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim forecast`` to the subcommands."""
    parser = commands.add_parser(
        "forecast", help="when will the proposals now in the pipeline be approved, and "
        "their badges go live?")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    given = parser.add_mutually_exclusive_group(required=True)
    given.add_argument("--pipeline", metavar="CSV",
                       help="proposals in progress: id, pathway, level, submitted, "
                       "current_step (a step, or one after approval), step_since, round")
    given.add_argument("--history", metavar="FILE",
                       help="an office's history (.csv or .xlsx: proposal, pathway, level, "
                       "step, arrived, decided, decision); its open visits are the pipeline")
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help="the forecast date (default: today; with --history, the "
                        "history's export date, by default its latest date)")
    add_history_options(parser, as_of=False)
    add_run_options(parser)
    add_format_option(parser)
    parser.set_defaults(handler=command_forecast)


def command_forecast(args: argparse.Namespace) -> int:
    """``mcsim forecast``: print the forecast table (or JSON)."""
    from simlib.planning.pipeline import check_as_of, pipeline_from_history, read_pipeline
    from simlib.scenario import load_scenario

    if args.columns and not args.history:
        raise CommandError("mcsim: --columns maps a history file's headers; use it with "
                           "--history")
    as_of = args.as_of or (None if args.history else dt.date.today())
    try:
        if as_of is not None:
            check_as_of(as_of, "--as-of")
    except InputError as error:
        raise CommandError(f"mcsim: {error}") from None
    scenario = load_scenario(args.scenario)
    if args.history:  # both read before the simulation loads
        history = read_history_args(args, scenario, after_approval=True)
        as_of = check_as_of(history.as_of, f"{printable(args.history, MAX_LINE)}: export date")
        proposals = pipeline_from_history(history, scenario)
        print_history_notes(args, history)
    else:
        proposals = read_pipeline(args.pipeline, scenario, as_of)
    from simlib.answers import forecast
    from simlib.reports.console import forecast_text

    result = forecast(scenario, proposals, as_of, args.replications, args.seed, jobs=args.jobs)
    return print_result(args.format, result.to_dict, lambda: forecast_text(result))
