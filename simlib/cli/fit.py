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

WIDE_NOTE = "intervals are wide: the record is short"


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
    add_history_options(parser)
    add_format_option(parser)
    parser.set_defaults(handler=command_fit)


def command_fit(args: argparse.Namespace) -> int:
    """``mcsim fit``: write the fitted what-if, print the parameters (table or JSON)."""
    from simlib.fitting import fit_history
    from simlib.formats.files import checked_output, write_text_atomic
    from simlib.scenario import load_scenario, source_files

    base = load_scenario(args.base)
    out = checked_output(Path(args.out), inputs=(args.history, *source_files(args.base)))
    history = read_history_args(args, base)
    print_history_notes(args, replace(history, ignored_columns=()))  # the table lists them
    fit = fit_history(history, base)
    reference = Path(os.path.relpath(Path(args.base).resolve(), out.resolve().parent))
    text = fit.whatif_yaml(reference.as_posix(), Path(args.history).name)
    try:
        write_text_atomic(out, text)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {out}: {error.strerror or error}") from None
    return print_result(args.format, lambda: {**fit.to_dict(), "out": str(out)},
                        lambda: fit_table(fit, out))


def _shown(value) -> str:
    """A parameter's value as the table shows it."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def fit_table(fit, out: Path) -> str:
    """The table of ``mcsim fit``: one line per parameter (path, base value, fitted value,
    95% CI, n, method), then the meetings, the ignored columns, and where the what-if went."""
    width = max([len(p.path) for p in fit.parameters] + [9])
    lines = [f"{fit.source}: {fit.proposals} proposals, {fit.rows} rows, as of "
             f"{fit.as_of.isoformat()}", "",
             f"{'parameter':<{width}}  {'base':>8}  {'fitted':>8}  {'95% CI':>19}  "
             f"{'n':>5}  method"]
    for p in fit.parameters:
        interval = f"{p.ci95[0]:.3g} to {p.ci95[1]:.3g}"
        lines.append(f"{p.path:<{width}}  {_shown(p.base):>8}  {_shown(p.value):>8}  "
                     f"{interval:>19}  {p.n:>5}  {p.method}")
    lines += ["", "meetings (decisions fall on meeting days):"]
    for body, found in fit.meetings.items():
        how = found.get("rule") or f"{len(found['dates'])} listed dates"
        lines.append(f"  {body}: {how}, explains {found['explained']:.0%} of "
                     f"{found['decision_dates']} decision dates")
    if fit.ignored_columns:
        lines.append(f"ignored columns: {', '.join(fit.ignored_columns)}")
    if fit.wide:
        lines.append(WIDE_NOTE)
    lines.append(f"wrote the fitted what-if to {out}")
    return "\n".join(lines) + "\n"
