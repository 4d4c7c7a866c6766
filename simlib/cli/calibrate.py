"""``mcsim calibrate SCENARIO``: fit the scenario's free assumptions to its targets, print the
fit table and the fitted parameters, and with ``--out`` write the calibrated scenario file
(the original text with the fitted values and the fit record; comments kept)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from simlib.cli.options import MAX_DRAWS, add_run_options, whole_number
from simlib.defaults import defaults
from simlib.errors import CalibrationError, CommandError, InputError, YamlTextError
from simlib.formats.files import checked_output, write_text_atomic
from simlib.formats.printable import MAX_LINE, printable, printable_lines

MAX_EVALUATIONS = 100_000


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``calibrate`` to the ``mcsim`` subcommands."""
    parser = commands.add_parser(
        "calibrate", help="fit a scenario's free assumptions to its documented targets")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file with a "
                        "calibration block")
    parser.add_argument("--out", metavar="FILE.yaml", help="write the calibrated scenario "
                        "here (may name SCENARIO itself to update it in place; the file is "
                        "replaced only once the new one loads)")
    parser.add_argument("--force", action="store_true", help="replace --out even when it "
                        "holds something other than YAML")
    add_run_options(
        parser, scheduler=True, replications_default="the scenario's calibration.replications"
    )
    parser.add_argument("--max-evaluations", type=whole_number(1, MAX_EVALUATIONS), metavar="N",
                        help="stop after N simulations (default: 200 per free parameter)")
    parser.add_argument("--posterior", action="store_true",
                        help="a Bayesian calibration instead: draws of the free assumptions "
                        "that the targets (with their uncertainty) leave possible, written "
                        "under calibration.posterior for --uncertainty to run")
    parser.add_argument("--draws", type=whole_number(2, MAX_DRAWS), metavar="N",
                        help="with --posterior: how many draws to write "
                        f"({defaults('calibrate').help_text()})")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_calibrate)


def command_calibrate(args: argparse.Namespace) -> int:
    """Run the calibration; print the result; write ``--out`` if given."""
    from simlib.answers import calibrate
    from simlib.experiments.executors import dask_executor
    from simlib.reports.console import calibration_text
    from simlib.scenario import load_scenario
    from simlib.scenario.loading import source_files

    if args.draws is not None and not args.posterior:
        raise CommandError("mcsim: --draws needs --posterior; add --posterior or drop --draws")
    out = (checked_output(Path(args.out), option="--out", kind="yaml", force=args.force)
           if args.out else None)
    scenario = load_scenario(args.scenario)
    if out is not None:  # SCENARIO itself may be updated in place; the files it extends not
        checked_output(out, source_files(args.scenario)[1:], option="--out")
    if args.posterior:
        return _posterior(args, scenario, out)
    try:
        with dask_executor(args.scheduler) as (executor, workers):
            calibrated = calibrate(scenario, args.replications, args.seed, executor=executor,
                                   jobs=args.jobs or workers,
                                   max_evaluations=args.max_evaluations)
    except CalibrationError as error:
        raise CommandError(f"{printable(args.scenario, MAX_LINE)}: {error}") from None
    if out is not None:
        from simlib.scenario.calibration_file import calibrated_text

        _write(Path(args.scenario), out, lambda text: calibrated_text(text, calibrated.fit))
    if args.format == "json":
        print(json.dumps({**calibrated.to_dict(), "out": str(out) if out else None},
                         indent=2, allow_nan=False))
    else:
        print(printable_lines(calibration_text(calibrated, out)), end="")
    return 0


def _posterior(args: argparse.Namespace, scenario, out: Path | None) -> int:
    """``mcsim calibrate --posterior``: draws of the free assumptions, written into
    ``calibration.posterior`` of ``--out``; the table (or JSON) of what they say."""
    from simlib.answers import calibrate_posterior
    from simlib.experiments.executors import dask_executor
    from simlib.reports.console import posterior_text
    from simlib.scenario.calibration_file import with_posterior

    try:
        with dask_executor(args.scheduler) as (executor, workers):
            fit = calibrate_posterior(scenario, args.draws, args.seed, executor=executor,
                                      jobs=args.jobs or workers)
    except CalibrationError as error:
        raise CommandError(f"{printable(args.scenario, MAX_LINE)}: {error}") from None
    if out is not None:
        _write(Path(args.scenario), out, lambda text: with_posterior(text, fit.posterior))
    result = fit.to_dict()
    if args.format == "json":
        print(json.dumps({**result, "out": str(out) if out else None}, indent=2,
                         allow_nan=False))
    else:
        text = posterior_text(fit)
        if out is not None:
            text += f"wrote {out} (the draws are under calibration.posterior)\n"
        print(printable_lines(text), end="")
    return 0


def _write(source: Path, out: Path, edit) -> None:
    """Write ``edit(text of source)`` to ``out`` atomically, once the new file loads as a
    scenario (so ``--out SCENARIO`` never leaves a file that does not load)."""
    try:
        text = edit(source.read_text(encoding="utf-8"))
    except YamlTextError as error:
        raise CommandError(f"{printable(source, MAX_LINE)}: {error}") from None
    try:
        write_text_atomic(out, text, check=lambda written: _loads(written, out))
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {printable(out, MAX_LINE)}: "
                           f"{error.strerror or error}") from None


def _loads(written: Path, out: Path) -> None:
    """Refuse the ``written`` file (to become ``out``) unless it loads as a scenario."""
    from simlib.scenario import load_scenario

    try:
        load_scenario(written)
    except InputError as error:
        problem = str(error).removeprefix(f"{printable(written, MAX_LINE)}: ")
        raise CommandError(f"mcsim: --out {printable(out, MAX_LINE)}: the calibrated file "
                           f"would not load ({problem}); nothing written") from None
