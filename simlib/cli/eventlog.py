"""``mcsim eventlog``: write every event of a run's replications to a CSV file.

The output is checked before the run: never the scenario or a file it extends, a folder,
a pipe or a device (:func:`~simlib.formats.files.checked_output`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from simlib.cli.options import add_run_options
from simlib.errors import CommandError
from simlib.formats.files import checked_output, write_csv_atomic


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim eventlog`` to the subcommands."""
    eventlog = commands.add_parser("eventlog", help="write every event of a run as CSV")
    eventlog.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    eventlog.add_argument("--out", required=True, metavar="FILE.csv", help="CSV file to write")
    add_run_options(eventlog)
    eventlog.set_defaults(handler=command_eventlog)


def command_eventlog(args: argparse.Namespace) -> int:
    """``mcsim eventlog``: write the events of every replication to a CSV file."""
    from simlib.experiments.results import replicate
    from simlib.scenario import load_scenario, source_files

    scenario = load_scenario(args.scenario)
    out = checked_output(Path(args.out), inputs=source_files(args.scenario))
    results = replicate(scenario, args.replications, args.seed, jobs=args.jobs,
                        keep_events=True)
    try:
        write_csv_atomic(results.events, out)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {out}: {error.strerror or error}") from None
    count = results.replications
    print(f"wrote {len(results.events)} events of {count} replication"
          f"{'' if count == 1 else 's'} to {out}")
    return 0
