"""``mcsim run``: replicate a scenario and print its metrics (a table, or one JSON object)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from simlib.cli.options import add_run_options, add_uncertainty_options, uncertainty_settings
from simlib.formats.printable import printable_lines
from simlib.formats.words import percent

if TYPE_CHECKING:
    from simlib.answers import RunAnswer
    from simlib.scenario import Scenario


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim run`` to the subcommands."""
    run = commands.add_parser("run", help="replicate a scenario and print its metrics")
    run.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_run_options(run, auto=True, scheduler=True)
    add_uncertainty_options(run, "run")
    run.add_argument("--format", choices=("table", "json"), default="table",
                     help="table for people (default) or one JSON object")
    run.set_defaults(handler=command_run)


def run_answer(scenario: Scenario, args: argparse.Namespace) -> RunAnswer:
    """The answer for ``scenario`` with the command line's options (``--replications
    auto``; ``--scheduler``; ``--uncertainty``), and a note on stderr when the precision
    was not reached."""
    from simlib.answers import run
    from simlib.experiments.executors import dask_executor

    uncertainty_settings(args)
    with dask_executor(args.scheduler) as (executor, workers):
        answer = run(scenario, args.replications, args.seed, uncertainty=args.uncertainty,
                     draws=args.draws, precision=args.precision,
                     max_replications=args.max_replications,
                     executor=executor, jobs=args.jobs or workers)
    auto = answer.auto
    if auto is not None and not auto.converged:
        print(f"mcsim: note: after {auto.replications} replications the 95% CI is within "
              f"{percent(auto.achieved, 1)} of the mean, not {percent(auto.precision, 1)}",
              file=sys.stderr)
    return answer


def command_run(args: argparse.Namespace) -> int:
    """``mcsim run``: print a planner's table (or JSON) of one scenario's metrics."""
    from simlib.reports.console import run_text
    from simlib.scenario import load_scenario

    answer = run_answer(load_scenario(args.scenario), args)
    if args.format == "json":
        print(json.dumps(answer.to_dict(), indent=2, allow_nan=False))
    else:
        print(printable_lines(run_text(answer)), end="")
    return 0
