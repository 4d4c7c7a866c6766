"""The ``mcsim`` command line: run, validate and eventlog; the other commands are plugins
in :mod:`simlib.commands`.

Bad input (a missing or invalid scenario, a bad option, an output that cannot be written)
prints exactly one line on stderr, starting with ``mcsim:`` or the file's path, and exits
with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from simlib.cli.options import BAD_INPUT, Parser, add_run_options, one_line, writable_file
from simlib.errors import CommandError, InputError
from simlib.experiments.executors import dask_executor
from simlib.experiments.precision import replicate_until_precise
from simlib.experiments.results import replicate
from simlib.formats.files import write_csv_atomic
from simlib.reports import tables
from simlib.scenario import Scenario, load_scenario
from simlib.version import __version__


def build_parser() -> Parser:
    """The ``mcsim`` argument parser with its subcommands."""
    parser = Parser(prog="mcsim", description="Simulate microcredential approval pipelines.")
    parser.add_argument("--version", action="version", version=f"mcsim {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser("run", help="replicate a scenario and print its metrics")
    run.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_run_options(run, auto=True, scheduler=True)
    run.add_argument("--format", choices=("table", "json"), default="table",
                     help="table for people (default) or one JSON object")
    run.set_defaults(handler=command_run)
    validate = commands.add_parser("validate", help="check scenario files")
    validate.add_argument("scenarios", metavar="SCENARIO", nargs="+", help="scenario YAML files")
    validate.set_defaults(handler=command_validate)
    eventlog = commands.add_parser("eventlog", help="write every event of a run as CSV")
    eventlog.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    eventlog.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write")
    add_run_options(eventlog)
    eventlog.set_defaults(handler=command_eventlog)
    for module in command_modules():
        module.register(commands)
    return parser


def _run_auto_or_remote(scenario: Scenario, args: argparse.Namespace) -> dict:
    """Replicate ``scenario`` with the command line's options, including ``--replications
    auto`` (adds ``replications_auto``) and ``--scheduler``; the result as a dict, and a note
    on stderr when the precision was not reached."""
    with dask_executor(args.scheduler) as (executor, workers):
        jobs = args.jobs or workers
        if args.replications != "auto":
            results = replicate(scenario, args.replications, args.seed, executor=executor,
                                jobs=jobs)
            return results.to_dict()
        run = replicate_until_precise(scenario, args.precision, args.max_replications,
                                      args.seed, executor=executor, jobs=jobs)
    if not run.converged:
        print(f"mcsim: note: after {run.replications} replications the 95% CI is within "
              f"{run.achieved:.1%} of the mean, not {run.precision:.1%}", file=sys.stderr)
    return run.to_dict()


def command_run(args: argparse.Namespace) -> int:
    """``mcsim run``: print a planner's table (or JSON) of one scenario's metrics."""
    summary = _run_auto_or_remote(load_scenario(args.scenario), args)
    if args.format == "json":
        print(json.dumps(summary, indent=2, allow_nan=False))
    else:
        print(tables.run_text(summary), end="")
    return 0


def command_validate(args: argparse.Namespace) -> int:
    """``mcsim validate``: one line per file, ``ok`` or its problem; status 2 if any is bad."""
    status = 0
    for path in args.scenarios:
        try:
            scenario = load_scenario(path)
        except (InputError, OSError) as error:
            print(one_line(error), file=sys.stderr)
            status = BAD_INPUT
        else:
            print(f"ok  {path}  ({scenario.title or scenario.name})")
    return status



def command_eventlog(args: argparse.Namespace) -> int:
    """``mcsim eventlog``: write the events of every replication to a CSV file."""
    out = writable_file(Path(args.out))
    scenario = load_scenario(args.scenario)
    results = replicate(scenario, args.replications, args.seed, jobs=args.jobs)
    try:
        write_csv_atomic(results.events, out)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {out}: {error.strerror or error}") from None
    count = results.replications
    print(f"wrote {len(results.events)} events of {count} replication"
          f"{'' if count == 1 else 's'} to {out}")
    return 0



def main(argv: Sequence[str] | None = None) -> int:
    """Run ``mcsim`` with ``argv`` (default: the command line); return the exit status."""
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args)
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # e.g. `mcsim run ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (CommandError, InputError, OSError) as error:
        print(one_line(error), file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        print("mcsim: interrupted", file=sys.stderr)
        return 130



def command_modules() -> list[ModuleType]:
    """The command modules of :mod:`simlib.cli` besides this one and the shared options, in
    name order; each defines ``register(commands)``, so a new command is a new module."""
    skip = {"main", "options"}
    return [
        importlib.import_module(f"simlib.cli.{info.name}")
        for info in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]),
                           key=lambda info: info.name)
        if not info.name.startswith("_") and info.name not in skip
    ]


if __name__ == "__main__":
    sys.exit(main())
