"""``mcsim report``: run the notebooks of a report config and write HTML pages for leadership.

``reports.yaml`` lists the notebooks in the order they run and their parameters. Each one
runs with papermill in its own folder; ``OUT/<stem>.html`` shows its text, tables and figures
without code, ``OUT/<stem>-code.html`` with the code, ``OUT/<stem>.ipynb`` keeps the executed
notebook for planners, and ``OUT/index.html`` opens with every report's bottom line, then
links each report (and the manual, built into ``OUT/manual/`` when a ``mkdocs.yml`` sits
beside the config). A notebook with an ``as_of`` parameter ("today") gets ``--as-of``, else
the config's value, else the day the report is built. An output folder that holds a
notebook of the config is refused before anything runs. A notebook that fails
stops the command (exit status 1) with one line naming it, the cell and the error; its
executed copy is kept as ``OUT/<stem>.failed.ipynb`` and earlier reports stay as they were.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from simlib.errors import CommandError, NotebookFailed
from simlib.formats.files import write_text_atomic
from simlib.formats.words import plural, whole
from simlib.reports.build import (
    MANUAL_CONFIG,
    ReportEntry,
    build_manual,
    build_report,
    check_out_folder,
    index_page,
    load_report_config,
    with_today,
)

DEFAULT_CONFIG = "reports.yaml"
NOTEBOOK_FAILED = 1


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim report`` to the subcommands."""
    parser = commands.add_parser(
        "report", help="run the report notebooks and write HTML pages for leadership")
    parser.add_argument("--config", metavar="FILE",
                        help=f"notebooks to run and their parameters (default: {DEFAULT_CONFIG} "
                        "in this folder)")
    parser.add_argument("--out", default="reports", metavar="DIR",
                        help="output folder (default: reports)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="the date taken as today by notebooks with an as_of parameter "
                        "(default: the config's as_of, else today)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress line per notebook on stderr")
    parser.set_defaults(handler=command_report)


def _as_of(given: str | None) -> str:
    """``--as-of`` checked (YYYY-MM-DD), else today's date."""
    if given is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(given).isoformat()
    except ValueError:
        raise CommandError(f"mcsim: report: --as-of {given}: not a date; give YYYY-MM-DD, "
                           f"e.g. --as-of {dt.date.today().isoformat()}") from None


def command_report(args: argparse.Namespace) -> int:
    """``mcsim report``: build every report in the config's order, then ``index.html``."""
    config = _config_path(args.config)
    as_of = _as_of(args.as_of)
    entries = with_today(load_report_config(config), as_of, args.as_of is not None)
    out = Path(args.out)
    check_out_folder(out, entries, config)
    _build_manual(config.parent, out, args.quiet)
    try:
        for entry in entries:
            _build(entry, out, args.quiet)
    except NotebookFailed as failure:
        print(failure, file=sys.stderr)
        return NOTEBOOK_FAILED
    finally:
        write_text_atomic(out / "index.html", index_page(entries, out))
    print(f"wrote {out / 'index.html'} and the reports of {plural(len(entries), 'notebook')}")
    return 0


def _config_path(given: str | None) -> Path:
    """The config named by ``--config``, else ``reports.yaml`` here (which must exist)."""
    if given is not None:
        return Path(given)
    if not Path(DEFAULT_CONFIG).is_file():
        raise CommandError(f"mcsim: report: no {DEFAULT_CONFIG} in {Path.cwd()}; run from the "
                           "project folder or give --config FILE")
    return Path(DEFAULT_CONFIG)


def _build_manual(project: Path, out: Path, quiet: bool) -> None:
    """Build the project's manual into ``out/manual`` (when ``project`` has one), with a
    progress line on stderr; a manual that cannot be built is one line, and no failure."""
    if not (project / MANUAL_CONFIG).is_file():
        return
    if not quiet:
        print("building the manual ... ", end="", file=sys.stderr, flush=True)
    started = time.monotonic()
    problem = build_manual(project, out)
    if not quiet:
        print("failed" if problem else f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    if problem:
        print(f"mcsim: report: {problem}", file=sys.stderr)


def _build(entry: ReportEntry, out: Path, quiet: bool) -> None:
    """Build one report with a progress line on stderr ("running NAME ... 41 s")."""
    if not quiet:
        print(f"running {entry.stem} ... ", end="", file=sys.stderr, flush=True)
    started, outcome = time.monotonic(), "failed"
    try:
        build_report(entry.notebook, entry.parameters, out)
        outcome = f"{whole(time.monotonic() - started)} s"
    finally:
        if not quiet:
            print(outcome, file=sys.stderr)
