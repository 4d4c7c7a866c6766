"""The options of commands that read an office's history file (``--columns``, ``--as-of``)
and reading it: every problem of the file is printed, one line each, then the command exits
with status 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from simlib.cli.options import iso_date
from simlib.formats.printable import MAX_LINE, listed, printable

if TYPE_CHECKING:
    from simlib.records.history import History
    from simlib.scenario import Scenario

COLUMNS_HELP = ("map the format's columns to the file's own headers, e.g. "
                "'proposal=Proposal ID,arrived=Entered Step'")


def add_history_options(parser: argparse.ArgumentParser, as_of: bool = True) -> None:
    """Add ``--columns`` (and, unless ``as_of`` is False, ``--as-of``) to ``parser``."""
    parser.add_argument("--columns", metavar="NAME=HEADER,...", default="",
                        help=COLUMNS_HELP)
    if as_of:
        parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                            help="the history's export date (default: its latest date, "
                            "which may not be after today; give it for a record dated ahead)")


def history_from_args(args: argparse.Namespace, base: Scenario) -> History:
    """The history in ``args.history`` (see :func:`read_history_args`), its notes printed
    (:func:`print_history_notes`)."""
    history = read_history_args(args, base)
    print_history_notes(args, history)
    return history


def read_history_args(args: argparse.Namespace, base: Scenario,
                      plausible: bool = False, after_approval: bool = False) -> History:
    """The history in ``args.history`` read with ``args.columns`` and ``args.as_of``
    against ``base`` (``plausible``: its dates checked as a fit needs them;
    ``after_approval``: rows at the steps after approval read, as the forecast needs them,
    else refused); :class:`~simlib.errors.HistoryError` listing every problem (``mcsim``
    prints them all, a line each)."""
    from simlib.records.history_files import parse_columns, read_history

    columns = parse_columns(args.columns) if getattr(args, "columns", "") else None
    return read_history(args.history, base, columns, getattr(args, "as_of", None),
                        plausible=plausible, after_approval=after_approval)


def print_history_notes(args: argparse.Namespace, history: History) -> None:
    """Note on stderr which worksheet of a workbook of several was read, the columns of the
    file that were ignored (once) and the export date when ``--as-of`` was not given."""
    if history.worksheet:
        print(f"{printable(args.history, MAX_LINE)}: read {history.worksheet}",
              file=sys.stderr)
    if history.ignored_columns:
        print(f"ignored columns: {listed(history.ignored_columns)}", file=sys.stderr)
    if getattr(args, "as_of", None) is None:
        print(f"{printable(args.history, MAX_LINE)}: as of {history.as_of.isoformat()}, its "
              "latest date (give --as-of for another export date)", file=sys.stderr)
