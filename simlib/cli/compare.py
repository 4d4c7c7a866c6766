"""``mcsim compare BASE ALT...``: what each what-if changes, as paired differences.

Prints what each alternative changes (``path: base -> new``), one row per alternative and
pathway (base mean, alternative mean, difference with its 95% CI, P90 difference, verdict),
the change in each response promise, and one plain sentence per alternative and pathway; or
one JSON object with ``--format json`` (each alternative's ``changes``: path, base, new).
"""

from __future__ import annotations

import argparse
import json
import sys

from simlib.cli.options import add_run_options, add_uncertainty_options, uncertainty_settings
from simlib.errors import CommandError, ComparisonError
from simlib.formats.printable import MAX_LINE, printable, printable_lines
from simlib.formats.words import percent

EXAMPLE = "e.g. mcsim compare scenarios/baseline.yaml scenarios/mc-weekly.yaml"


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim compare`` to the subcommands."""
    parser = commands.add_parser(
        "compare", help="what-ifs against a baseline: paired differences with 95%% CIs")
    parser.add_argument("base", metavar="BASE", help="baseline scenario YAML file")
    parser.add_argument("alternatives", metavar="ALT", nargs="*",
                        help="what-if scenario files to compare with BASE")
    add_run_options(parser, auto=True, scheduler=True)
    add_uncertainty_options(parser, "compare")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_compare)


def command_compare(args: argparse.Namespace) -> int:
    """``mcsim compare``: print the paired comparison table (or JSON)."""
    from simlib.answers import compare
    from simlib.experiments.executors import dask_executor
    from simlib.scenario import load_scenario

    if not args.alternatives:
        raise CommandError(f"mcsim: compare needs at least one what-if scenario (ALT) to compare "
                           f"with {printable(args.base, MAX_LINE)}, {EXAMPLE}")
    uncertainty_settings(args)
    base = load_scenario(args.base)
    alternatives = [load_scenario(path) for path in args.alternatives]
    try:
        with dask_executor(args.scheduler) as (executor, workers):
            answer = compare(base, alternatives, args.replications, args.seed,
                             uncertainty=args.uncertainty, draws=args.draws,
                             precision=args.precision, max_replications=args.max_replications,
                             executor=executor, jobs=args.jobs or workers)
    except ComparisonError as error:  # checked before anything runs
        raise CommandError(f"mcsim: compare: {error}") from None
    auto = answer.comparison.auto
    if auto is not None and not auto.converged:
        print(f"mcsim: note: after {auto.replications} replications the 95% CIs are within "
              f"{percent(auto.achieved, 1)} of the means, not {percent(auto.precision, 1)}",
              file=sys.stderr)
    from simlib.reports.console import comparison_json, comparison_text

    if args.format == "json":
        print(json.dumps(comparison_json(answer), indent=2, allow_nan=False))
    else:
        print(printable_lines(comparison_text(answer)), end="")
    return 0
