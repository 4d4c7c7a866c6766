"""``mcsim fit``: estimate a scenario's parameters from an office's history.

Reads the history file against ``--base``, fits every value the record informs (with a 95%
interval and the number of observations behind it) and writes the fitted what-if to
``--out``: it ``extends`` the base and ``set``s the fitted values, each commented with its
interval and n. The output is checked before the fit: never the history, the base or a
file the base extends. Prints one line per parameter (or one JSON object).
"""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path

from simlib.cli.history_options import (
    add_history_options,
    print_history_notes,
    read_history_args,
)
from simlib.cli.options import add_format_option, print_result
from simlib.errors import CommandError


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim fit`` to the subcommands."""
    parser = commands.add_parser(
        "fit", help="estimate a scenario's parameters from an office's history")
    parser.add_argument("history", metavar="HISTORY",
                        help="the office's record: a history file (CSV or xlsx)")
    parser.add_argument("--base", required=True, metavar="SCENARIO",
                        help="the scenario whose steps, bodies and calendar the record uses")
    parser.add_argument("--out", required=True, metavar="FITTED.yaml",
                        help="the fitted what-if to write (extends the base)")
    parser.add_argument("--force", action="store_true", help="replace --out even when it "
                        "holds something other than YAML (e.g. a CSV record)")
    add_history_options(parser)
    add_format_option(parser)
    parser.set_defaults(handler=command_fit)


def command_fit(args: argparse.Namespace) -> int:
    """``mcsim fit``: write the fitted what-if, print the parameters (table or JSON)."""
    from simlib.answers import fit as fit_record
    from simlib.formats.files import checked_output, write_text_atomic
    from simlib.reports.console import fit_text
    from simlib.scenario import load_scenario, source_files

    base = load_scenario(args.base)
    out = checked_output(Path(args.out), inputs=(args.history, *source_files(args.base)),
                         kind="yaml", force=args.force)
    history = read_history_args(args, base)
    print_history_notes(args, replace(history, ignored_columns=()))  # the table lists them
    fit, posterior = fit_record(history, base)
    reference = Path(os.path.relpath(Path(args.base).resolve(), out.resolve().parent))
    text = fit.whatif_yaml(reference.as_posix(), Path(args.history).name, posterior)
    try:
        write_text_atomic(out, text)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {out}: {error.strerror or error}") from None
    return print_result(args.format, lambda: {**fit.to_dict(), "out": str(out)},
                        lambda: fit_text(fit, out))
