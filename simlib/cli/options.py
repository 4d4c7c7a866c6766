"""Options and helpers shared by the ``mcsim`` commands: one-line argument errors, number
types, the run options (--replications, --seed, --jobs, --scheduler), --format, printing a
result, writable output files. Light on purpose: every command imports it at start-up.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import NoReturn

from simlib.defaults import defaults
from simlib.errors import CommandError
from simlib.formats.printable import MAX_LINE, printable, printable_lines

BAD_INPUT = 2


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Raise :class:`CommandError` instead of printing usage and exiting."""
        raise CommandError(f"mcsim: {message} (see '{self.prog} --help')")


MAX_REPLICATIONS = 100_000  # as simlib.experiments.runner.MAX_REPLICATIONS (a test checks)
MAX_SEED = 2**63 - 1
MAX_JOBS = 1024


def _shown(text: str) -> str:
    """``text`` as an error message quotes it: at most 30 characters."""
    return repr(text if len(text) <= 30 else f"{text[:27]}...")


def whole_number(minimum: int, maximum: int | None = None):
    """An argparse type: a whole number >= ``minimum`` (and <= ``maximum`` when given);
    the message says the range and never echoes more than 30 characters of the text."""
    wanted = (f"a whole number >= {minimum}" if maximum is None
              else f"a whole number from {minimum} to {maximum:,}")

    def parse(text: str) -> int:
        digits = text.strip().lstrip("+-")
        if not digits.isdigit() or not digits.isascii():
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {_shown(text)}")
        if maximum is not None and len(digits.lstrip("0")) > len(str(maximum)):
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {_shown(text)} "
                                             f"(more than {maximum:,})")
        value = int(text)
        if value < minimum or (maximum is not None and value > maximum):
            raise argparse.ArgumentTypeError(f"must be {wanted}, got {_shown(text)}")
        return value

    return parse


positive_int = whole_number(1)


seed_int = whole_number(0, MAX_SEED)


replications_int = whole_number(1, MAX_REPLICATIONS)


def replication_count(text: str) -> int | str:
    """An argparse type: ``auto`` or a whole number from 1 to :data:`MAX_REPLICATIONS`."""
    return "auto" if text.strip().lower() == "auto" else replications_int(text)


def precision_fraction(text: str) -> float:
    """An argparse type: a fraction of the mean strictly between 0 and 1 (0.02 = 2%)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(
            f"must be a fraction between 0 and 1, e.g. 0.02, got {text!r}"
        )
    return value


def add_run_options(
    parser: argparse.ArgumentParser, auto: bool = False, scheduler: bool = False,
    replications_default: str = "the scenario's",
) -> None:
    """--replications, --seed, --jobs; with ``auto``, ``--replications auto`` and its
    --precision and --max-replications; with ``scheduler``, --scheduler (Dask).
    ``replications_default`` says in the help where the default count comes from."""
    parser.add_argument("--replications", type=replication_count if auto else replications_int,
                        metavar="N|auto" if auto else "N",
                        help=f"number of replications (default: {replications_default})"
                        + ("; auto: until every mean is precise (see --precision)" if auto else ""))
    parser.add_argument("--seed", type=seed_int, metavar="S",
                        help="random seed (default: the scenario's)")
    parser.add_argument("--jobs", type=whole_number(1, MAX_JOBS), metavar="J",
                        help="worker processes (default: one per CPU; 1 runs in this process)")
    if auto:
        parser.add_argument("--precision", type=precision_fraction, default=0.02, metavar="F",
                            help="with --replications auto: 95%% CI half-width wanted, as a "
                            "fraction of each mean (default: 0.02)")
        parser.add_argument("--max-replications", type=whole_number(3, MAX_REPLICATIONS),
                            default=1000,
                            metavar="N", help="with --replications auto: at most N (default 1000)")
    if scheduler:
        parser.add_argument("--scheduler", metavar="ADDRESS",
                            help="run on the Dask scheduler at ADDRESS, e.g. tcp://host:8786 "
                            "(needs pip install 'simlib[dask]')")


MAX_DRAWS = 10_000  # as simlib.scenario.calibration.MAX_DRAWS


def add_uncertainty_options(parser: argparse.ArgumentParser, question: str) -> None:
    """--uncertainty and --draws: run the scenario at each of its posterior draws (the
    defaults of ``question`` in :data:`simlib.defaults.DEFAULTS`)."""
    chosen = defaults(question)
    parser.add_argument("--uncertainty", action="store_true",
                        help="also say what we don't know: run the scenario at each of its "
                        "posterior draws (calibration.posterior; make them with mcsim "
                        "calibrate --posterior) and give a 95%% range over them beside the "
                        "noise CI; --replications then counts replications per draw "
                        f"(default {chosen.replications_per_draw})")
    parser.add_argument("--draws", type=whole_number(2, MAX_DRAWS), metavar="N",
                        help=f"with --uncertainty: run N posterior draws ({chosen.help_text()})")
    parser.set_defaults(question=question)


def uncertainty_settings(args: argparse.Namespace) -> None:
    """Refuse --draws without --uncertainty, and --replications auto with it."""
    if getattr(args, "draws", None) is not None and not args.uncertainty:
        raise CommandError("mcsim: --draws needs --uncertainty; add --uncertainty or drop "
                           "--draws")
    if args.uncertainty and getattr(args, "replications", None) == "auto":
        per_draw = defaults(args.question).replications_per_draw
        raise CommandError("mcsim: --uncertainty runs a fixed number of replications per "
                           f"draw; give --replications N (default {per_draw}) instead of auto")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """--format table|json (default table)."""
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")


def print_result(format_: str, as_dict: Callable[[], dict], as_text: Callable[[], str]) -> int:
    """Print ``as_dict()`` as JSON (``format_`` "json") or ``as_text()`` (no control
    character from an input reaches the terminal: :func:`printable_lines`); exit status 0."""
    if format_ == "json":
        print(json.dumps(as_dict(), indent=2, allow_nan=False))
    else:
        print(printable_lines(as_text()), end="")
    return 0


def iso_date(text: str) -> dt.date:
    """An argparse type: a YYYY-MM-DD date."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def one_line(error: BaseException) -> str:
    """An error's message as one printable line (OS errors as 'file: reason'): a line break
    or control character in it (from an input) escaped, at most :data:`MAX_LINE`
    characters (:func:`~simlib.formats.printable.printable`)."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return printable(f"mcsim: {where}{error.strerror}", MAX_LINE)
    return printable(str(error).strip() or type(error).__name__, MAX_LINE)


