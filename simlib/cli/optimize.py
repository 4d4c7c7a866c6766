"""``mcsim optimize SPEC.yaml``: the cheapest configuration of a spec that meets its target.

Prints a planner's table (or one JSON object with ``--format json``): the target, how the
search went, the answer (or a clear "no configuration meets the target" and the closest),
and the best few configurations with their cost, metric, 95% CI and evidence. Exit status 0
whether or not a configuration meets the target; 2 for bad input.
"""

from __future__ import annotations

import argparse
import json

from simlib.cli.options import add_run_options
from simlib.errors import CommandError
from simlib.formats.printable import printable_lines


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``optimize`` subcommand."""
    parser = commands.add_parser(
        "optimize", help="find the cheapest combination of changes that meets a target",
        epilog="--replications and --seed default to the spec's (the seed: else the base's).")
    parser.add_argument("spec", metavar="SPEC", help="spec YAML file (see scenarios/specs/)")
    add_run_options(parser, scheduler=True, replications_default="the spec's replications")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_optimize)


def command_optimize(args: argparse.Namespace) -> int:
    """Run the search; print the table or JSON. Status 0 even if nothing meets the target."""
    from simlib.answers import optimize
    from simlib.experiments.executors import dask_executor
    from simlib.optimize import MAX_REPLICATIONS, load_study
    from simlib.reports.console import optimize_text

    if args.replications is not None and args.replications < 2:
        raise CommandError("mcsim: argument --replications: must be >= 2 for a confidence "
                           "bound, got 1")
    if args.replications is not None and args.replications > MAX_REPLICATIONS:
        raise CommandError(f"mcsim: argument --replications: at most {MAX_REPLICATIONS:,} per "
                           f"configuration, got {args.replications:,}")
    study = load_study(args.spec)
    with dask_executor(args.scheduler) as (executor, workers):
        outcome = optimize(study, args.replications, args.seed, jobs=args.jobs or workers,
                           executor=executor)
    if args.format == "json":
        print(json.dumps(outcome.to_dict(), indent=2, allow_nan=False))
    else:
        print(printable_lines(optimize_text(outcome)), end="")
    return 0
