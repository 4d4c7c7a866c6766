"""``mcsim eventlog``: write a run's event log in one of five formats.

- ``events`` (the default): every event of every replication, one CSV row each;
- ``history``: one replication as an office would export its record (the input of
  ``mcsim fit``): one row per visit, dated, open visits blank, as of the end of the horizon;
- ``csv``: the activity-instance table Prosimos writes and Simod reads (one row per visit);
- ``xes``: IEEE 1849 XES, one trace per proposal, lifecycle schedule/start/complete;
- ``ocel``: OCEL 2.0 JSON, proposals and committee meetings as objects.

The output is checked before the run: never the scenario or a file it extends, a folder,
a pipe or a device, nor (without ``--force``) an existing file of another kind
(:func:`~simlib.formats.files.checked_output`); it is written whole or not at all, a
symbolic link followed. The replications are written as they are simulated, a batch at a
time, so memory does not grow with ``--replications``. No CSV cell can start a spreadsheet
formula."""

from __future__ import annotations

import argparse
from pathlib import Path

from simlib.cli.options import add_run_options
from simlib.errors import CommandError
from simlib.formats.files import checked_output, write_atomic
from simlib.formats.printable import MAX_LINE, printable

FORMATS = ("events", "history", "csv", "xes", "ocel")
# The file name endings each format is written with, to catch e.g. `--out log.xes` given
# without `--format xes`.
SUFFIXES = {"events": (".csv",), "history": (".csv",), "csv": (".csv",), "xes": (".xes",),
            "ocel": (".json", ".jsonocel")}
# What each format's file holds (an existing --out holding another kind is kept unless
# --force: simlib.formats.files.checked_output).
KINDS = {"events": "csv", "history": "csv", "csv": "csv", "xes": "xml", "ocel": "json"}


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim eventlog`` to the subcommands."""
    eventlog = commands.add_parser(
        "eventlog", help="write a run's event log (events, history, csv, xes or ocel)")
    eventlog.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    eventlog.add_argument("--format", choices=FORMATS, default="events",
                          help="events: every event as CSV (default); history: one "
                          "replication as an office's record (the input of mcsim fit); "
                          "csv: one row per visit (Prosimos/Simod); xes: IEEE 1849 XES; "
                          "ocel: OCEL 2.0 JSON")
    eventlog.add_argument("--out", required=True, metavar="FILE", help="file to write "
                          "(a symbolic link is followed; a pipe or device is refused)")
    eventlog.add_argument("--force", action="store_true", help="replace --out even when it "
                          "holds another kind of file than --format writes")
    add_run_options(eventlog, replications_default="the scenario's; 1 for history")
    eventlog.set_defaults(handler=command_eventlog)


def check_suffix(format_: str, out: Path) -> None:
    """Refuse an ``out`` whose ending belongs to another format only (``log.xes`` with
    ``--format csv``), naming the format it looks like."""
    suffix = out.suffix.lower()
    if suffix in SUFFIXES[format_]:
        return
    if suffix in (".xlsx", ".xls"):
        raise CommandError(f"mcsim: --out {out}: --format {format_} writes text, not a "
                           f"workbook; give an --out ending in {SUFFIXES[format_][0]}")
    meant = [name for name in ("xes", "ocel", "csv") if suffix in SUFFIXES[name]]
    if meant:
        raise CommandError(f"mcsim: --out {out} looks like a {meant[0]} file but --format "
                           f"is {format_}; give --format {meant[0]}, or an --out ending in "
                           f"{SUFFIXES[format_][0]}")


def _write(out: Path, write) -> None:
    """Write ``out`` atomically with ``write(stream)``; an OS error as a one-line error."""
    try:
        write_atomic(out, write)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {printable(out, MAX_LINE)}: "
                           f"{error.strerror or error}") from None


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def command_eventlog(args: argparse.Namespace) -> int:
    """``mcsim eventlog``: simulate the scenario and write its log in ``--format``."""
    from simlib.scenario import load_scenario, source_files

    format_ = args.format
    if format_ == "history" and args.replications not in (None, 1):
        raise CommandError(
            f"mcsim: --format history writes one office's record, so one replication, not "
            f"{args.replications}; drop --replications (or use --seed for another record), "
            "or use --format csv, xes or ocel for several replications")
    scenario = load_scenario(args.scenario)
    out = Path(args.out)
    check_suffix(format_, out)
    out = checked_output(out, inputs=source_files(args.scenario), kind=KINDS[format_],
                         force=args.force)
    if format_ == "history":
        print(write_history(scenario, args.seed, out))
        return 0
    from simlib.answers import event_log_stream

    stream = event_log_stream(scenario, args.replications, args.seed, jobs=args.jobs)
    writer = {"events": write_events, "csv": write_activities, "xes": write_xes_log,
              "ocel": write_ocel_log}[format_]
    print(f"wrote {writer(stream.logs, scenario, out)} of "
          f"{_plural(stream.replications, 'replication')} to {printable(out, MAX_LINE)}")
    return 0


def write_history(scenario, seed: int | None, out: Path) -> str:
    """Write replication 0 of ``scenario`` as an office's history to ``out``; returns the
    line to print (proposals, rows, export date)."""
    from simlib.answers import office_history
    from simlib.formats.cells import safe_column

    history = office_history(scenario, seed)
    frame = history.to_frame()
    for column in ("proposal", "pathway", "level", "step", "decision"):
        frame[column] = safe_column(frame[column])
    _write(out, lambda stream: frame.to_csv(stream, index=False, date_format="%Y-%m-%d"))
    return (f"wrote the history of {_plural(history.proposals, 'proposal')} "
            f"({_plural(len(frame), 'row')}, {len(history.open_visits)} open) as of "
            f"{history.as_of.isoformat()} to {printable(out, MAX_LINE)}")


def write_events(logs, scenario, out: Path) -> str:
    """Write every event of ``logs`` as CSV rows to ``out``; returns what was written."""
    from simlib.records.events import write_events_csv

    counts = []
    _write(out, lambda stream: counts.append(write_events_csv(logs, stream)))
    return _plural(counts[0], "event")


def write_activities(logs, scenario, out: Path) -> str:
    """Write the activity-instance table of ``logs`` to ``out``; returns what was written."""
    from simlib.records.activities import write_activity_log

    counts = []
    _write(out, lambda stream: counts.extend(write_activity_log(logs, scenario, stream)))
    visits, proposals = counts
    return f"{_plural(visits, 'activity instance')} ({_plural(proposals, 'proposal')})"


def write_xes_log(logs, scenario, out: Path) -> str:
    """Write ``logs`` as XES to ``out``; returns what was written."""
    from simlib.records import xes

    counts = []
    _write(out, lambda stream: counts.extend(xes.write_xes_log(logs, scenario, stream)))
    events, traces, visits = counts
    return (f"{_plural(events, 'event')} in {_plural(traces, 'trace')} "
            f"({_plural(visits, 'visit')})")


def write_ocel_log(logs, scenario, out: Path) -> str:
    """Write ``logs`` as OCEL 2.0 JSON to ``out``; returns what was written."""
    from simlib.records.ocel import write_ocel

    counts = {}
    _write(out, lambda stream: counts.update(write_ocel(logs, scenario, stream)))
    return (f"{_plural(counts['events'], 'event')}, "
            f"{_plural(counts['proposal'], 'proposal')} and "
            f"{_plural(counts['meeting'], 'meeting')}")
