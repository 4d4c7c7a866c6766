"""``mcsim calibrate SCENARIO``: fit the scenario's free assumptions to its targets, print the
fit table and the fitted parameters, and with ``--out`` write the calibrated scenario file
(the original text with the fitted values and the fit record; comments kept)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from simlib.cli.options import MAX_DRAWS, add_run_options, whole_number
from simlib.defaults import defaults
from simlib.errors import CalibrationError, CommandError, YamlTextError
from simlib.formats.files import checked_output, write_text_atomic
from simlib.formats.words import BLANK, fixed, percent, points, signed
from simlib.reports.tables import text_table

if TYPE_CHECKING:
    from simlib.calibration import Calibrated

TARGET_HEADERS = ("target", "documented", "simulated", "95% CI", "error")
PARAMETER_HEADERS = ("parameter", "prior", "fitted", "low", "high", "moved")
MAX_EVALUATIONS = 100_000


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``calibrate`` to the ``mcsim`` subcommands."""
    parser = commands.add_parser(
        "calibrate", help="fit a scenario's free assumptions to its documented targets")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file with a "
                        "calibration block")
    parser.add_argument("--out", metavar="FILE.yaml", help="write the calibrated scenario "
                        "here (may name SCENARIO itself to update it in place)")
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
    from simlib.scenario import load_scenario
    from simlib.scenario.loading import source_files

    if args.draws is not None and not args.posterior:
        raise CommandError("mcsim: --draws needs --posterior; add --posterior or drop --draws")
    out = checked_output(Path(args.out), option="--out") if args.out else None
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
        raise CommandError(f"{args.scenario}: {error}") from None
    if out is not None:
        from simlib.scenario.calibration_file import calibrated_text

        _write(Path(args.scenario), out, lambda text: calibrated_text(text, calibrated.fit))
    if args.format == "json":
        print(json.dumps({**calibrated.to_dict(), "out": str(out) if out else None},
                         indent=2, allow_nan=False))
    else:
        print(calibration_text(calibrated, out), end="")
    return 0


def _posterior(args: argparse.Namespace, scenario, out: Path | None) -> int:
    """``mcsim calibrate --posterior``: draws of the free assumptions, written into
    ``calibration.posterior`` of ``--out``; the table (or JSON) of what they say."""
    from simlib.answers import calibrate_posterior
    from simlib.experiments.executors import dask_executor
    from simlib.reports.tables_posterior import posterior_text
    from simlib.scenario.calibration_file import with_posterior

    try:
        with dask_executor(args.scheduler) as (executor, workers):
            fit = calibrate_posterior(scenario, args.draws, args.seed, executor=executor,
                                      jobs=args.jobs or workers)
    except CalibrationError as error:
        raise CommandError(f"{args.scenario}: {error}") from None
    if out is not None:
        _write(Path(args.scenario), out, lambda text: with_posterior(text, fit.posterior))
    result = fit.to_dict()
    if args.format == "json":
        print(json.dumps({**result, "out": str(out) if out else None}, indent=2,
                         allow_nan=False))
    else:
        text = posterior_text(result)
        if out is not None:
            text += f"wrote {out} (the draws are under calibration.posterior)\n"
        print(text, end="")
    return 0


def _write(source: Path, out: Path, edit) -> None:
    """Write ``edit(text of source)`` to ``out`` atomically."""
    try:
        text = edit(source.read_text(encoding="utf-8"))
    except YamlTextError as error:
        raise CommandError(f"{source}: {error}") from None
    try:
        write_text_atomic(out, text)
    except OSError as error:
        raise CommandError(f"mcsim: cannot write {out}: {error.strerror or error}") from None


def target_rows(calibrated: Calibrated) -> list[list[str]]:
    """Rows of :data:`TARGET_HEADERS`: days to one decimal, shares as percentages."""
    rows = []
    for target in calibrated.targets:
        item = calibrated.fit.targets[target.key]
        if target.at_least:
            simulated, low, high = (None if v is None else 100 * v
                                    for v in (item.simulated, *item.ci95))
            rows.append([target.label, f">= {percent(item.target)}",
                         f"{fixed(simulated, 1, BLANK)}%",
                         f"[{fixed(low, 1, BLANK)}, {fixed(high, 1, BLANK)}]%",
                         "met" if item.error == 0 else points(item.error)])
        else:
            low, high = item.ci95
            rows.append([target.label, f"{item.target:g}", fixed(item.simulated, 1, BLANK),
                         f"[{fixed(low, 1, BLANK)}, {fixed(high, 1, BLANK)}]",
                         signed(item.error, 1)])
    return rows


def parameter_rows(calibrated: Calibrated) -> list[list[str]]:
    """Rows of :data:`PARAMETER_HEADERS`; ``moved``: the change as a share of the range."""
    rows = []
    for parameter in calibrated.parameters:
        item = calibrated.fit.parameters[parameter.path]
        share = (item.fitted - item.prior) / (item.high - item.low)
        rows.append([parameter.path, f"{item.prior:g}", f"{item.fitted:g}", f"{item.low:g}",
                     f"{item.high:g}", f"{signed(100 * share)}% of range" if abs(share) > 0.01
                     else "no"])
    return rows


def calibration_text(calibrated: Calibrated, out: Path | None) -> str:
    """The planner's view of a calibration: settings, fit table, fitted parameters, a note
    on what the targets can and cannot pin down, and where the file was written."""
    fit = calibrated.fit
    equal = sum(not target.at_least for target in calibrated.targets)
    moved = calibrated.moved()
    lines = [
        f"{calibrated.scenario.title or calibrated.scenario.name}",
        f"calibration of {calibrated.scenario.name}: {len(calibrated.parameters)} free "
        f"parameters, {len(calibrated.targets)} targets; {fit.evaluations} simulations of "
        f"{fit.replications} replications each (seed {fit.seed}, the same in every one)",
        "",
        "Fit: documented targets against the calibrated model",
        text_table(TARGET_HEADERS, target_rows(calibrated)),
        "",
        "Fitted parameters (prior: the value before calibration; low-high: its assumed range)",
        text_table(PARAMETER_HEADERS, parameter_rows(calibrated)),
        "",
        _identification_note(len(calibrated.parameters), equal, len(moved)),
    ]
    if not calibrated.converged:
        lines.append(f"note: the search stopped early ({calibrated.message}); "
                     "raise --max-evaluations")
    if out is not None:
        lines.append(f"wrote {out} (fitted values in place; the fit is under calibration.fit)")
    return "\n".join(lines) + "\n"


def _identification_note(parameters: int, figures: int, moved: int) -> str:
    """What the targets can say about the parameters."""
    if parameters <= figures:
        return (f"{figures} documented figures for {parameters} parameters: the targets can "
                "pin them down if each figure depends on different parameters.")
    kept = (f"moved {moved} of them and left {parameters - moved} at their prior"
            if moved < parameters else f"moved all {parameters} a little")
    return (f"{figures} documented figures cannot identify {parameters} parameters: many "
            f"combinations fit, and the fit took the one closest to the priors ({kept}). "
            "Read the fitted values as one consistent set, not as measurements.")
