"""``mcsim plan``: to launch on a date, by when must a proposal be submitted?

Prints the latest submission date that still gives the asked confidence of approval before
the launch, and the curve behind it (probability of approval for every Monday over the 18
months before the launch, then every day within two weeks of the answer, with its 95%
interval), or one JSON object with ``--format json``; with ``--ics FILE``, also the
submit-by date as an all-day event in an iCalendar file (new, or replaced with ``--force``).
The same code plans each launch of notebook 06's deadline study, so both give the same date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from pathlib import Path
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
from simlib.formats.printable import MAX_LINE, printable

UNTIL_CHOICES = ("approval", "badge", "first-badge")  # simlib.planning.deadlines.UNTIL

if TYPE_CHECKING:
    pass


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


def launch_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date the planner can plan with (its range)."""
    from simlib.errors import PlanError
    from simlib.planning.deadlines import check_date

    day = iso_date(text)
    try:
        return check_date(day, "")
    except PlanError as error:
        raise argparse.ArgumentTypeError(str(error).strip()) from None


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim plan`` to the subcommands."""
    parser = commands.add_parser(
        "plan", help="to launch on a date, by when must a proposal be submitted?")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    parser.add_argument("--pathway", required=True, metavar="NAME",
                        help="the proposal's pathway, e.g. credit")
    parser.add_argument("--level", metavar="LEVEL",
                        help="its level, e.g. undergraduate (when the pathway has levels)")
    parser.add_argument("--launch", required=True, type=launch_date, metavar="DATE",
                        help="the date it must be approved by (YYYY-MM-DD), e.g. a term start "
                        "(with --until: the date its badge must be live, or its first badges "
                        "issued, by)")
    parser.add_argument("--until", choices=UNTIL_CHOICES, default="approval",
                        help="what must happen before the launch date: approval (default), "
                        "badge (the badge live, e.g. when enrolment opens) or first-badge "
                        "(the first learners hold their badges)")
    parser.add_argument("--confidence", type=share, default=PLAN_CONFIDENCE, metavar="P",
                        help="the chance of approval in time that you want (default: "
                        f"{PLAN_CONFIDENCE:g})")
    add_run_options(parser)
    add_uncertainty_options(parser, "plan")
    add_format_option(parser)
    parser.add_argument("--ics", metavar="FILE", help="also write the submit-by date as an "
                        "iCalendar file (an all-day event, for a calendar app)")
    parser.add_argument("--force", action="store_true", help="replace the --ics FILE if it "
                        "exists")
    parser.set_defaults(handler=command_plan)


def command_plan(args: argparse.Namespace) -> int:
    """``mcsim plan``: print the latest safe submission date and the curve."""
    from simlib.answers import plan
    from simlib.scenario import load_scenario

    uncertainty_settings(args)
    scenario = load_scenario(args.scenario)
    if args.pathway not in scenario.pathways:
        known = ", ".join(printable(name) for name in scenario.pathways)
        raise CommandError(f"mcsim: --pathway: no pathway {args.pathway!r} in "
                           f"{printable(args.scenario, MAX_LINE)}; have: {known}")
    ics = ics_output(args) if args.ics is not None else None
    from simlib.reports.console import plan_text

    answer = plan(scenario, args.pathway, args.level, args.launch, args.confidence,
                  args.replications, args.seed, jobs=args.jobs, uncertainty=args.uncertainty,
                  draws=args.draws, until=args.until)
    status = print_result(args.format, answer.to_dict, lambda: plan_text(answer))
    if ics is not None:
        write_ics(answer, ics, quiet=args.format == "json")
    return status


def ics_output(args: argparse.Namespace) -> Path:
    """The ``--ics`` file, if it may be written: none of the scenario's files (nor a
    calendar they read), not a folder, pipe or device, and new unless ``--force``
    (:func:`~simlib.formats.files.checked_output`; checked before the plan runs)."""
    from simlib.formats.files import checked_output
    from simlib.scenario import source_files

    out = checked_output(Path(args.ics), source_files(args.scenario), option="--ics")
    if out.exists() and not args.force:
        raise CommandError(f"mcsim: --ics {printable(out, MAX_LINE)}: exists; add --force to "
                           "replace it")
    return out


def write_ics(answer, out: Path, quiet: bool = False) -> None:
    """Write the answer's submit-by dates (:func:`~simlib.reports.console.plan_events`) to
    ``out`` as iCalendar, whole or not at all; say so unless ``quiet``."""
    from simlib.formats.files import write_text_atomic
    from simlib.formats.ics import calendar_bytes
    from simlib.reports.console import plan_events

    events = plan_events(answer)
    try:
        write_text_atomic(out, calendar_bytes(events, "mcsim plan").decode("utf-8"))
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {printable(out, MAX_LINE)}: "
                           f"{error.strerror or error}") from None
    if not quiet:
        count = f"{len(events)} submit-by date{'' if len(events) == 1 else 's'}"
        print(f"wrote {count} to {printable(out, MAX_LINE)}")
