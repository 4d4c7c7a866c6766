"""The ``mcsim`` command line, kept thin: the parser, finding the commands, ``main()``.

Each command is one module of :mod:`simlib.cli` with ``register(commands)``, which adds its
subparser and sets ``handler`` (a function of the parsed arguments returning the exit
status); a new command is a new module and no shared file changes. Only the module of the
command asked for is imported (all of them for ``mcsim --help`` or an unknown command), so
``mcsim check-proposal`` never loads the simulation.

Bad input (a missing or invalid scenario, a bad option, an output that cannot be written)
prints exactly one line on stderr, starting with ``mcsim:`` or the file's path, and exits
with status 2; never a traceback. Every message is printable: a line break or control
character from an input is shown escaped (:mod:`simlib.formats.printable`).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from simlib.cli.options import BAD_INPUT, Parser, one_line
from simlib.errors import HistoryError, InputError
from simlib.formats.printable import printable_lines
from simlib.version import __version__

FIRST = ("run", "validate", "eventlog")  # listed first in --help; the others by name
NOT_COMMANDS = {"main", "options", "history_options"}


def command_names() -> list[str]:
    """The command module names of :mod:`simlib.cli`, in --help order."""
    found = {info.name for info in pkgutil.iter_modules([str(Path(__file__).parent)])
             if not info.name.startswith("_") and info.name not in NOT_COMMANDS}
    return [name for name in FIRST if name in found] + sorted(found - set(FIRST))


def command_modules(argv: Sequence[str] = ()) -> list[ModuleType]:
    """The command modules to register: only the one ``argv`` asks for when it names one
    (``check-proposal`` is module ``check_proposal``), else every one."""
    names = command_names()
    asked = next((item for item in argv if not item.startswith("-")), None)
    if asked is not None and asked.replace("-", "_") in names:
        names = [asked.replace("-", "_")]
    return [importlib.import_module(f"simlib.cli.{name}") for name in names]


def build_parser(argv: Sequence[str] = ()) -> Parser:
    """The ``mcsim`` argument parser with its subcommands (see :func:`command_modules`)."""
    parser = Parser(prog="mcsim", description="Simulate microcredential approval pipelines.")
    parser.add_argument("--version", action="version", version=f"mcsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in command_modules(argv):
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mcsim`` with ``argv`` (default: the command line); return the exit status.
    No RuntimeWarning (numpy's about an empty or constant sample, whose figures the
    output shows as n/a) reaches the user's terminal."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return _run(sys.argv[1:] if argv is None else list(argv))


def _run(argv: list[str]) -> int:
    """:func:`main` for the arguments ``argv``."""
    try:
        args = build_parser(argv).parse_args(argv)
        return args.handler(args)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # e.g. `mcsim run ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except HistoryError as error:  # a file with several problems: every one, a line each
        print(printable_lines(str(error)) if len(error.problems) > 1 else one_line(error),
              file=sys.stderr)
        return BAD_INPUT
    except (InputError, OSError) as error:  # CommandError is an InputError
        print(one_line(error), file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("mcsim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
