"""``mcsim optimize SPEC.yaml``: the cheapest configuration of a spec that meets its target;
with ``--pareto``, the frontier of days against faculty hours a year.

Prints a planner's table (or one JSON object with ``--format json``). The cheapest fix: the
target, how the search went, the answer (or a clear "no configuration meets the target" and
the closest), and the best few configurations with their cost, metric, 95% CI and
evidence. The frontier: today, the knee, the lever that buys most days per hour, the
configurations no other beats (95% CIs; with ``--uncertainty`` also 95% ranges over the
posterior draws), every other one with the configuration that dominates it, and the levers.
Exit status 0 whether or not a configuration meets the target; 2 for bad input.
"""

from __future__ import annotations

import argparse
import json

from simlib.cli.options import MAX_DRAWS, add_run_options, whole_number
from simlib.defaults import defaults
from simlib.errors import CommandError
from simlib.formats.printable import printable_lines


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``optimize`` subcommand."""
    parser = commands.add_parser(
        "optimize", help="find the cheapest combination of changes that meets a target, or "
        "(--pareto) the frontier of days against faculty hours",
        epilog="--replications and --seed default to the spec's (the seed: else the base's).")
    parser.add_argument("spec", metavar="SPEC", help="spec YAML file (see scenarios/specs/)")
    add_run_options(parser, scheduler=True, replications_default="the spec's replications")
    parser.add_argument("--pareto", action="store_true",
                        help="the frontier instead of the cheapest fix: every configuration "
                        "on the target's days against faculty hours a year, those no other "
                        "beats, the knee and the lever that buys most days per hour")
    parser.add_argument("--outside-terms", action="store_true",
                        help="with --pareto: faculty hours outside terms as a third axis "
                        "(default: the spec's frontier.outside_terms)")
    chosen = defaults("optimize")
    parser.add_argument("--uncertainty", action="store_true",
                        help="with --pareto: also run each frontier point at the base's "
                        "posterior draws (calibration.posterior) for a 95%% range beside "
                        "its CI; --replications still counts the runs per configuration")
    parser.add_argument("--draws", type=whole_number(2, MAX_DRAWS), metavar="N",
                        help=f"with --uncertainty: run N posterior draws ({chosen.help_text()})")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_optimize)


def _check(args: argparse.Namespace) -> None:
    """Refuse options that do not go together, and replication counts out of range."""
    from simlib.optimize import MAX_REPLICATIONS

    if not args.pareto and (args.outside_terms or args.uncertainty):
        raise CommandError("mcsim: --outside-terms and --uncertainty need --pareto")
    if args.draws is not None and not args.uncertainty:
        raise CommandError("mcsim: --draws needs --uncertainty; add --uncertainty or drop "
                           "--draws")
    if args.replications is not None and args.replications < 2:
        raise CommandError("mcsim: argument --replications: must be >= 2 for a confidence "
                           "bound, got 1")
    if args.replications is not None and args.replications > MAX_REPLICATIONS:
        raise CommandError(f"mcsim: argument --replications: at most {MAX_REPLICATIONS:,} per "
                           f"configuration, got {args.replications:,}")


def command_optimize(args: argparse.Namespace) -> int:
    """Run the search (or the frontier); print the table or JSON. Status 0 even if nothing
    meets the target."""
    from simlib.answers import frontier, optimize
    from simlib.experiments.executors import dask_executor
    from simlib.optimize import load_study
    from simlib.reports.console import frontier_text, optimize_text

    _check(args)
    study = load_study(args.spec)
    with dask_executor(args.scheduler) as (executor, workers):
        if args.pareto:
            answer = frontier(study, args.replications, args.seed,
                              outside_terms=args.outside_terms or None,
                              uncertainty=args.uncertainty, draws=args.draws,
                              jobs=args.jobs or workers, executor=executor)
        else:
            answer = optimize(study, args.replications, args.seed, jobs=args.jobs or workers,
                              executor=executor)
    if args.format == "json":
        print(json.dumps(answer.to_dict(), indent=2, allow_nan=False))
    else:
        print(printable_lines((frontier_text if args.pareto else optimize_text)(answer)),
              end="")
    return 0
