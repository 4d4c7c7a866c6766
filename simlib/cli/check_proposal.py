"""``mcsim check-proposal``: is a proposal a microcredential under the policy?

Prints every rule of the proposal's pathway as pass, fail or warning with the numbers
behind it, or one JSON object with ``--format json``. Exit status 0 when eligible (warnings
allowed), 1 when a rule fails, 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse

from simlib.cli.options import add_format_option, print_result
from simlib.policy.eligibility import (
    DEFAULT_MIN_CREDITS,
    MAX_CREDITS,
    check_proposal,
    load_proposal,
    read_program_names,
)
from simlib.reports.console import eligibility_text

NOT_ELIGIBLE = 1


def credit_count(text: str) -> float:
    """An argparse type: a number of credits above 0 and at most the policy's maximum."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_CREDITS:
        raise argparse.ArgumentTypeError(
            f"must be a number of credits above 0 and at most {MAX_CREDITS:g}, e.g. 8, "
            f"got {text!r}")
    return value


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim check-proposal`` to the subcommands."""
    parser = commands.add_parser(
        "check-proposal", help="check a proposal file against the policy's eligibility rules",
        description="Check a microcredential proposal (YAML) against the policy page's rules. "
        "Exit status: 0 eligible (warnings allowed), 1 a rule fails, 2 unreadable input.")
    parser.add_argument("proposal", metavar="FILE", help="proposal YAML file")
    parser.add_argument("--programs", metavar="FILE",
                        help="registered (NYSED-approved) program names, one a line; the "
                        "title must not resemble any (without it, that rule is not checked)")
    parser.add_argument("--min-credits", type=credit_count, default=DEFAULT_MIN_CREDITS,
                        metavar="N", help="credit-bearing minimum: the policy says six/eight "
                        f"(default: {DEFAULT_MIN_CREDITS:g})")
    add_format_option(parser)
    parser.set_defaults(handler=command_check_proposal)


def command_check_proposal(args: argparse.Namespace) -> int:
    """``mcsim check-proposal``: print the verdicts; 0 if eligible, 1 if not."""
    proposal = load_proposal(args.proposal)
    programs = read_program_names(args.programs) if args.programs else None
    result = check_proposal(proposal, args.min_credits, programs)
    print_result(args.format, lambda: {"file": args.proposal, **result.to_dict()},
                 lambda: eligibility_text(result, args.proposal, args.programs))
    return 0 if result.eligible else NOT_ELIGIBLE
