"""Further ``mcsim`` subcommands, one module each.

Every module here defines ``register(commands)``, which adds its subparser to the
``argparse`` subparsers ``commands`` and sets ``handler`` (a function of the parsed
arguments returning the exit status). :func:`simlib.cli.build_parser` finds them all, so a
new command is a new module and no shared file changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def command_modules() -> list[ModuleType]:
    """The command modules of this package, in name order."""
    return [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name)
        if not info.name.startswith("_")
    ]
