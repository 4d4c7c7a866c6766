"""``mcsim plan``: to launch on a date, by when must a proposal be submitted?

Prints the latest submission date that still gives the asked confidence of approval before
the launch, and the curve behind it (probability of approval for every Monday over the 18
months before the launch, then every day within two weeks of the answer, with its 95%
interval), or one JSON object with ``--format json``. The same code plans each launch of
notebook 06's deadline study, so both give the same date.
"""

from __future__ import annotations

import argparse
import math
from typing import TYPE_CHECKING

from simlib.cli.options import (
    add_format_option,
    add_run_options,
    add_uncertainty_options,
    iso_date,
    print_result,
    uncertainty_settings,
)
from simlib.defaults import PLAN_CONFIDENCE
from simlib.errors import CommandError
from simlib.formats.words import BLANK, days, percent
from simlib.reports.tables import text_table, uncertainty_lines
from simlib.reports.words import proposal_words

if TYPE_CHECKING:
    from simlib.planning.deadlines import Plan


def share(text: str) -> float:
    """An argparse type: a probability strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a probability between 0 and 1, "
                                         "e.g. 0.9")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim plan`` to the subcommands."""
    parser = commands.add_parser(
        "plan", help="to launch on a date, by when must a proposal be submitted?")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    parser.add_argument("--pathway", required=True, metavar="NAME",
                        help="the proposal's pathway, e.g. credit")
    parser.add_argument("--level", metavar="LEVEL",
                        help="its level, e.g. undergraduate (when the pathway has levels)")
    parser.add_argument("--launch", required=True, type=iso_date, metavar="DATE",
                        help="the date it must be approved by (YYYY-MM-DD), e.g. a term start")
    parser.add_argument("--confidence", type=share, default=PLAN_CONFIDENCE, metavar="P",
                        help="the chance of approval in time that you want (default: "
                        f"{PLAN_CONFIDENCE:g})")
    add_run_options(parser)
    add_uncertainty_options(parser, "plan")
    add_format_option(parser)
    parser.set_defaults(handler=command_plan)


def command_plan(args: argparse.Namespace) -> int:
    """``mcsim plan``: print the latest safe submission date and the curve."""
    from simlib.answers import plan
    from simlib.scenario import load_scenario

    uncertainty_settings(args)
    scenario = load_scenario(args.scenario)
    if args.pathway not in scenario.pathways:
        known = ", ".join(scenario.pathways)
        raise CommandError(f"mcsim: --pathway: no pathway {args.pathway!r} in "
                           f"{args.scenario}; have: {known}")
    result = plan(scenario, args.pathway, args.level, args.launch, args.confidence,
                  args.replications, args.seed, jobs=args.jobs, uncertainty=args.uncertainty,
                  draws=args.draws).plan
    return print_result(args.format, result.to_dict, lambda: plan_text(result))


def range_sentence(result: Plan) -> str:
    """" Not knowing the parameters, the latest safe date lies between ... and ..." (with
    ``--uncertainty``; else "")."""
    if result.uncertainty is None:
        return ""
    lines = uncertainty_lines({"uncertainty": result.uncertainty})
    if result.latest_range is None:
        return (" Over what we don't know, too many draws have no safe date to give a "
                f"range.\n{lines[0]}")
    early, late = result.latest_range
    if result.uncertainty["fixed"]:
        return (f" With every parameter held at its value, luck alone moves the latest safe "
                f"date between {early} and {late}.\n{lines[0]}")
    return (f" Over what we don't know (the parameters' posterior), the latest safe date "
            f"lies between {early} and {late}; the date above already allows for it.\n"
            f"{lines[0]}")


def plan_text(result: Plan) -> str:
    """The answer in one sentence, the run settings, then the curve as a table (a row a
    week, then a row a day near the answer; the latest safe date marked)."""
    launch = result.launches[0]
    latest = result.latest_submission()
    what = proposal_words(result)
    if latest is None:
        answer = (f"No submission date in the 18 months before {launch} gives {what} a "
                  f"{percent(result.confidence)} chance of approval in time.")
    else:
        median, p90 = result.cycle_days(latest)
        answer = (f"To be approved before {launch} with {percent(result.confidence)} "
                  f"confidence, submit {what} by {latest} ({latest:%A}). From then, approval "
                  f"takes {days(median)} days for half of such proposals and up to {days(p90)} "
                  "for nine in ten.")
        answer += range_sentence(result)
    settings = (f"{result.scenario.title or result.scenario.name} (scenario "
                f"{result.scenario.name}); {result.replications} replications, seed "
                f"{result.seed}; probability of approval before {launch} by submission date "
                f"(every Monday, and every day within {result.grid['daily_within']} days of the "
                "answer), "
                "with its 95% interval, and smoothed so that a later date never scores "
                "higher (the latest safe date uses the smoothed value)")
    rows = [[row.submitted.isoformat(), f"{row.submitted:%a}",
             percent(row.p_approved, missing=BLANK),
             f"{percent(row.ci95_low, missing=BLANK)} to {percent(row.ci95_high, missing=BLANK)}",
             percent(row.p_monotone, missing=BLANK),
             "<- latest safe date" if row.submitted == latest else ""]
            for row in result.curve().itertuples()]
    table = text_table(("submitted", "day", "approved in time", "95% CI", "smoothed", ""),
                       rows)
    return f"{answer}\n\n{settings}\n{table}\n"
