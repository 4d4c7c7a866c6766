"""The text of ``mcsim calibrate``: the documented targets against the calibrated model
(days to one decimal, shares as percentages) and the fitted assumptions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from simlib.formats.printable import printable
from simlib.formats.words import BLANK, fixed, percent, points, signed
from simlib.reports.console._table import MAX_CELL, text_table

if TYPE_CHECKING:
    from simlib.calibration import Calibrated

TARGET_HEADERS = ("target", "documented", "simulated", "95% CI", "error")
PARAMETER_HEADERS = ("parameter", "prior", "fitted", "low", "high", "moved")


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
        printable(calibrated.scenario.title or calibrated.scenario.name, MAX_CELL),
        f"calibration of {printable(calibrated.scenario.name)}: "
        f"{len(calibrated.parameters)} free parameters, {len(calibrated.targets)} targets; "
        f"{fit.evaluations} simulations of "
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
        lines.append(f"wrote {printable(out, None)} (fitted values in place; the fit is under "
                     "calibration.fit)")
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
