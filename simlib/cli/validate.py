"""``mcsim validate``: check scenario files, one line each (``ok`` or the problem)."""

from __future__ import annotations

import argparse
import sys

from simlib.cli.options import BAD_INPUT, one_line
from simlib.errors import InputError
from simlib.formats.printable import MAX_LINE, printable


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim validate`` to the subcommands."""
    validate = commands.add_parser("validate", help="check scenario files")
    validate.add_argument("scenarios", metavar="SCENARIO", nargs="+", help="scenario YAML files")
    validate.set_defaults(handler=command_validate)


def command_validate(args: argparse.Namespace) -> int:
    """``mcsim validate``: one line per file, ``ok`` or its problem; status 2 if any is bad."""
    from simlib.scenario import load_scenario

    status = 0
    for path in args.scenarios:
        try:
            scenario = load_scenario(path)
        except (InputError, OSError) as error:
            print(one_line(error), file=sys.stderr)
            status = BAD_INPUT
        else:
            print(f"ok  {printable(path, MAX_LINE)}  "
                  f"({printable(scenario.title or scenario.name, MAX_LINE)})")
    return status
