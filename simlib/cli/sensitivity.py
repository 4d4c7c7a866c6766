"""``mcsim sensitivity``: which uncertain assumption moves the cycle times most.

Prints, per pathway, a plain one-line answer and a table of the scenario's assumptions in
tornado order (largest swing of the mean first), or one JSON object with ``--format json``.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from simlib.cli.options import (
    add_run_options,
    add_uncertainty_options,
    positive_int,
    uncertainty_settings,
)
from simlib.errors import CommandError
from simlib.formats.printable import printable_lines

if TYPE_CHECKING:
    from simlib.scenario import Scenario


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim sensitivity`` to the subcommands."""
    parser = commands.add_parser(
        "sensitivity", help="swing each assumption over its range; which matters most")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_run_options(parser)
    add_uncertainty_options(parser, "sensitivity")
    parser.add_argument("--pathway", metavar="NAME", help="only this pathway (default: all)")
    parser.add_argument("--top", type=positive_int, metavar="K",
                        help="only the K assumptions with the largest swings per pathway")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_sensitivity)


def _pathways(scenario: Scenario, path: str, wanted: str | None) -> list[str]:
    """The pathways to show; CommandError for an unknown one or a scenario without
    assumptions (checked before any simulation runs)."""
    if not scenario.assumptions:
        raise CommandError(
            f"mcsim: {path}: no assumptions to swing; add an 'assumptions:' block of uncertain "
            "numbers, e.g. '- {path: bodies.owd.review_days.mean, low: 1, high: 8}'"
        )
    if wanted is None:
        return list(scenario.pathways)
    if wanted not in scenario.pathways:
        known = ", ".join(scenario.pathways)
        raise CommandError(f"mcsim: --pathway: no pathway {wanted!r} in {path}; have: {known}")
    return [wanted]


def command_sensitivity(args: argparse.Namespace) -> int:
    """``mcsim sensitivity``: print the tornado table (or JSON) of a scenario."""
    from simlib.answers import sensitivity
    from simlib.scenario import load_scenario

    uncertainty_settings(args)
    scenario = load_scenario(args.scenario)
    pathways = _pathways(scenario, args.scenario, args.pathway)
    from simlib.reports.console import sensitivity_text

    answer = sensitivity(scenario, args.replications, args.seed, jobs=args.jobs,
                         uncertainty=args.uncertainty, draws=args.draws)
    if args.format == "json":
        print(json.dumps(answer.to_dict(args.top, pathways), indent=2, allow_nan=False))
    else:
        print(printable_lines(sensitivity_text(answer, pathways, args.top)), end="")
    return 0
