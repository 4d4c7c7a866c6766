"""The ``mcsim`` command line: run, validate and eventlog; the other commands are plugins
in :mod:`simlib.commands`.

Bad input (a missing or invalid scenario, a bad option, an output that cannot be written)
prints exactly one line on stderr, starting with ``mcsim:`` or the file's path, and exits
with status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from simlib import tables
from simlib.commands import command_modules
from simlib.eventlog import write_csv_atomic
from simlib.executors import dask_executor
from simlib.experiment import replicate
from simlib.inputs import InputError
from simlib.precision import replicate_until_precise
from simlib.scenario import Scenario, load_scenario

BAD_INPUT = 2


class CommandError(Exception):
    """A problem the user can fix; the message is the single line to print."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        """Raise :class:`CommandError` instead of printing usage and exiting."""
        raise CommandError(f"mcsim: {message} (see '{self.prog} --help')")


def whole_number(minimum: int):
    """An argparse type: a whole number >= ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"must be a whole number >= {minimum}, got {text!r}"
            )
        return value

    return parse


positive_int = whole_number(1)
seed_int = whole_number(0)


def replication_count(text: str) -> int | str:
    """An argparse type: ``auto`` or a whole number >= 1."""
    return "auto" if text.strip().lower() == "auto" else positive_int(text)


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
    parser.add_argument("--replications", type=replication_count if auto else positive_int,
                        metavar="N|auto" if auto else "N",
                        help=f"number of replications (default: {replications_default})"
                        + ("; auto: until every mean is precise (see --precision)" if auto else ""))
    parser.add_argument("--seed", type=seed_int, metavar="S",
                        help="random seed (default: the scenario's)")
    parser.add_argument("--jobs", type=positive_int, metavar="J",
                        help="worker processes (default: one per CPU; 1 runs in this process)")
    if auto:
        parser.add_argument("--precision", type=precision_fraction, default=0.02, metavar="F",
                            help="with --replications auto: 95%% CI half-width wanted, as a "
                            "fraction of each mean (default: 0.02)")
        parser.add_argument("--max-replications", type=whole_number(3), default=1000,
                            metavar="N", help="with --replications auto: at most N (default 1000)")
    if scheduler:
        parser.add_argument("--scheduler", metavar="ADDRESS",
                            help="run on the Dask scheduler at ADDRESS, e.g. tcp://host:8786 "
                            "(needs pip install 'simlib[dask]')")


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """--format table|json (default table)."""
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")


def print_result(format_: str, as_dict: Callable[[], dict], as_text: Callable[[], str]) -> int:
    """Print ``as_dict()`` as JSON (``format_`` "json") or ``as_text()``; exit status 0."""
    if format_ == "json":
        print(json.dumps(as_dict(), indent=2, allow_nan=False))
    else:
        print(as_text(), end="")
    return 0


def build_parser() -> Parser:
    """The ``mcsim`` argument parser with its subcommands."""
    from simlib import __version__

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


def writable_file(path: Path) -> Path:
    """``path`` if a file can be created there; else :class:`CommandError`."""
    folder = path.parent
    if path.is_dir():
        raise CommandError(f"mcsim: cannot write {path}: it is a folder; give a file name")
    if not folder.is_dir():
        raise CommandError(
            f"mcsim: cannot write {path}: folder {folder} does not exist; create it first"
        )
    if not os.access(folder, os.W_OK):
        raise CommandError(f"mcsim: cannot write {path}: folder {folder} is not writable")
    return path


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


def one_line(error: BaseException) -> str:
    """The first line of an error's message (OS errors as 'file: reason')."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"mcsim: {where}{error.strerror}"
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


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


if __name__ == "__main__":
    sys.exit(main())
