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
from simlib.errors import CommandError, HistoryError, InputError
from simlib.formats.printable import MAX_LINE, printable


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
    """``mcsim fit``: write the fitted what-if, print the parameters (table or JSON). A
    record with nothing to fit, or a what-if that would not load as ``mcsim validate``
    loads it, is refused and nothing is written."""
    from simlib.answers import fit as fit_record
    from simlib.formats.files import checked_output, write_text_atomic
    from simlib.reports.console import fit_text
    from simlib.scenario import load_scenario, source_files

    base = load_scenario(args.base)
    out = checked_output(Path(args.out), inputs=(args.history, *source_files(args.base)),
                         kind="yaml", force=args.force)
    history = read_history_args(args, base, plausible=True)
    fit, posterior = fit_record(history, base)
    if not fit.parameters:
        raise HistoryError(f"{printable(args.history, MAX_LINE)}: nothing to fit: "
                           f"{nothing_words(fit)}; give a longer record")
    reference = Path(os.path.relpath(Path(args.base).resolve(), out.resolve().parent))
    text = fit.whatif_yaml(reference.as_posix(), Path(args.history).name, posterior)
    _check_loads(text, out)
    print_history_notes(args, replace(history, ignored_columns=()))  # the table lists them
    try:
        write_text_atomic(out, text)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {out}: {error.strerror or error}") from None
    return print_result(args.format, lambda: {**fit.to_dict(), "out": str(out)},
                        lambda: fit_text(fit, out))


def nothing_words(fit) -> str:
    """Why a fit found nothing: the record's size and the evidence each estimate needs."""
    from simlib.fitting.demand import MIN_PROPOSALS, MIN_SPAN_DAYS
    from simlib.fitting.reviews import MIN_OBSERVATIONS
    from simlib.fitting.steps import MIN_DECISIONS
    from simlib.formats.words import plural

    span = (f" from {fit.span[0].isoformat()} to {fit.span[1].isoformat()}"
            if fit.span else "")
    return (f"{plural(fit.proposals, 'proposal')} and {plural(fit.rows, 'row')}{span}, while a "
            f"rate needs {MIN_PROPOSALS} arrivals over {MIN_SPAN_DAYS} days, a review time "
            f"{MIN_OBSERVATIONS} ended reviews and a step's chances {MIN_DECISIONS} decisions")


def _check_loads(text: str, out: Path) -> None:
    """Load ``text`` as the file ``out`` with the loader ``mcsim validate`` uses;
    :class:`CommandError` saying what would not load (nothing is written)."""
    from simlib.scenario import load_scenario_text

    try:
        load_scenario_text(text, out)
    except InputError as error:
        problem = str(error).splitlines()[0].removeprefix(f"{out}: ")
        raise CommandError(f"mcsim: --out {out}: the fitted what-if would not load ({problem}); "
                           "nothing was written: check the names in the base and the record"
                           ) from None
