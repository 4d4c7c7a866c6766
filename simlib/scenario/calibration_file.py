"""The calibrated scenario file: the original text with the fitted values in place and the
fit recorded under ``calibration.fit``; every comment and the layout are kept.

The edit is checked before anything is written: the edited text must read back as the
original data with exactly the fitted values and the fit record changed.
"""

from __future__ import annotations

from simlib.errors import ScenarioError, YamlTextError
from simlib.formats.keypaths import apply_set
from simlib.formats.yamlfile import load_yaml_text
from simlib.formats.yamltext import (
    replace_block,
    replace_values,
    yaml_flow,
    yaml_key,
    yaml_scalar,
)
from simlib.scenario.calibration import Fit, Posterior

FIT_COMMENT = "# written by mcsim calibrate; re-run it to refit, do not edit"
POSTERIOR_COMMENT = "# written by mcsim; draw i is the i-th value of every path"
PARAMETERS_COMMENT = "# prior: the value before calibration; low, high: its assumption range"
TARGETS_COMMENT = "# simulated with the fitted values: mean, 95% CI; error = simulated - target"
COMMENT_COLUMN = 33  # comments start in this column, as in the shipped scenario files


def scalar(value: object) -> str:
    """``value`` as a YAML scalar that reads back as the same value (floats keep a dot)."""
    return yaml_scalar(value, whole_floats=False)


def flow(mapping: dict) -> str:
    """``mapping`` as one YAML flow mapping, e.g. ``{prior: 2.0, fitted: 1.62}``."""
    return yaml_flow(mapping, whole_floats=False)


def _read_back(text: str) -> object:
    """The data of ``text`` as the tool reads it; :class:`YamlTextError` if it cannot."""
    try:
        return load_yaml_text(text, "the edited file")
    except ScenarioError as error:
        raise YamlTextError(f"{error}; nothing written") from None


def _commented(text: str, comment: str) -> str:
    return f"{text.ljust(COMMENT_COLUMN - 3)} {comment}"


def _record(fit: Fit) -> dict:
    """The fit record as plain data (lists, dates), leaving out ``bound: equal``."""
    record = fit.model_dump(mode="python")
    for item in record["targets"].values():
        item["ci95"] = list(item["ci95"])
        if item["bound"] == "equal":
            del item["bound"]
    return record


def fit_lines(fit: Fit) -> list[str]:
    """The ``fit:`` block (unindented lines) recording ``fit``."""
    record = _record(fit)
    lines = [_commented("fit:", FIT_COMMENT)]
    for key in ("date", "replications", "seed", "evaluations", "objective", "simlib_version"):
        lines.append(f"  {key}: {scalar(record[key])}")
    lines.append(_commented("  parameters:", PARAMETERS_COMMENT))
    lines += [f"    {yaml_key(path)}: {flow(item)}"
              for path, item in record["parameters"].items()]
    lines.append(_commented("  targets:", TARGETS_COMMENT))
    lines += [f"    {yaml_key(key)}: {flow(item)}" for key, item in record["targets"].items()]
    return lines


def calibrated_text(text: str, fit: Fit) -> str:
    """``text`` (the calibrated scenario's file) with the fitted values of ``fit``
    substituted and ``fit`` recorded under ``calibration.fit``. Raises
    :class:`YamlTextError` when a value is not written in the file or the edit would
    change anything else."""
    fitted = {path: item.fitted for path, item in fit.parameters.items()}
    edited = replace_values(text, {path: scalar(value) for path, value in fitted.items()})
    edited = replace_block(edited, "calibration", "fit", fit_lines(fit))
    expected = _read_back(text)
    if "extends" in expected:
        expected["set"] = {**expected.get("set", {}), **fitted}
    else:
        expected = apply_set(expected, fitted, "calibrated file")
    expected["calibration"]["fit"] = _read_back(flow(_record(fit)))
    if _read_back(edited) != expected:
        raise YamlTextError("the edited file would not read back as the calibrated scenario; "
                            "nothing written")
    return edited


def _whole(value: float) -> int | float:
    """A count written as a whole number (3, not 3.0)."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def posterior_lines(posterior: Posterior) -> list[str]:
    """The ``posterior:`` block (unindented lines) holding ``posterior``: its settings, then
    one line of draws per path."""
    record = posterior.model_dump(mode="json", exclude_defaults=True)
    if posterior.date is not None:
        record["date"] = posterior.date  # a YAML date, not a quoted text
    record["diagnostics"] = {key: _whole(value) for key, value in
                             record.get("diagnostics", {}).items()}
    lines = [_commented("posterior:", POSTERIOR_COMMENT)]
    for key in ("method", "date", "seed", "simlib_version", "diagnostics"):
        if record.get(key) not in (None, {}):
            shown = flow(record[key]) if key == "diagnostics" else scalar(record[key])
            lines.append(f"  {key}: {shown}")
    if record.get("prior"):
        lines.append("  prior:")
        lines += [f"    {yaml_key(path)}: {flow(bounds)}"
                  for path, bounds in record["prior"].items()]
    lines.append("  draws:")
    lines += [f"    {yaml_key(path)}: {flow(values)}" for path, values in record["draws"].items()]
    return lines


def with_posterior(text: str, posterior: Posterior) -> str:
    """``text`` (a scenario file with a ``calibration`` block) with ``posterior`` recorded
    as ``calibration.posterior`` (replacing any earlier one); nothing else changes.
    Raises :class:`YamlTextError` when the edit would change anything else."""
    lines = posterior_lines(posterior)
    edited = replace_block(text, "calibration", "posterior", lines)
    expected = _read_back(text)
    expected["calibration"]["posterior"] = _read_back("\n".join(lines))["posterior"]
    if _read_back(edited) != expected:
        raise YamlTextError("the edited file would not read back as the scenario with its "
                            "posterior draws; nothing written")
    return edited
