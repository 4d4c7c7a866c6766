"""What a history fit found: its parameters (JSON) and the fitted what-if (YAML text).

Each :class:`Parameter` is one number with its 95% interval, its number of observations and
its method; each :class:`Setting` is one ``set`` line of the what-if (a number, or a whole
distribution, mix, seasonality or meeting rule), with the comment that gives its interval
and n; each shortfall is one line saying which estimate the record has too little evidence
for, and what stands instead. An estimator returns them together (:class:`Estimates`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from simlib.formats.yamltext import yaml_comment, yaml_flow, yaml_key, yaml_scalar
from simlib.scenario.calibration import Posterior
from simlib.scenario.calibration_file import posterior_lines

WIDE_HALF_WIDTH = 0.25  # a median relative half-width above this: the record is short
FEW_PROPOSALS = 60


@dataclass(frozen=True)
class Parameter:
    """One fitted number: dotted ``path`` (as in ``set``), ``value``, ``ci95``, ``n``
    observations, ``method``, the ``base`` scenario's value, and ``extra`` details (e.g.
    revision chances by round) for the JSON."""

    path: str
    value: float
    ci95: tuple[float, float]
    n: int
    method: str
    base: Any = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON of the parameter: path, value, ci95, n, method, base (and extras)."""
        return {"path": self.path, "value": self.value,
                "ci95": [float(self.ci95[0]), float(self.ci95[1])], "n": int(self.n),
                "method": self.method, "base": self.base, **self.extra}

    @property
    def relative_half_width(self) -> float:
        """Half the interval's width over the value (inf for a value of 0)."""
        if not self.value:
            return math.inf
        return (self.ci95[1] - self.ci95[0]) / 2 / abs(self.value)


@dataclass(frozen=True)
class Setting:
    """One ``set`` line of the fitted what-if: ``path: value   # comment``."""

    path: str
    value: Any
    comment: str

    def line(self) -> str:
        """The YAML line (two spaces of indent under ``set:``): the path and the value
        written by the YAML emitter (:mod:`simlib.formats.yamltext`), the comment one line."""
        return (f"  {yaml_key(self.path)}: {yaml_value(self.value)}   "
                f"# {yaml_comment(self.comment)}")


@dataclass
class Estimates:
    """What one estimator found: ``parameters``, the what-if's ``settings`` and the
    ``shortfalls`` (one line each)."""

    parameters: list[Parameter] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    shortfalls: list[str] = field(default_factory=list)

    def add(self, other: Estimates) -> Estimates:
        """This collection with ``other``'s appended (in place); returns self."""
        self.parameters += other.parameters
        self.settings += other.settings
        self.shortfalls += other.shortfalls
        return self


def yaml_value(value: Any) -> str:
    """``value`` as YAML flow text (mappings and lists inline, dates ISO, whole floats as
    whole numbers), every name quoted as it must be (:func:`~simlib.formats.yamltext.yaml_flow`)."""
    return yaml_flow(value)


@dataclass(frozen=True)
class HistoryFit:
    """The fit of a history to a base scenario: ``parameters`` (numbers), ``settings`` (the
    what-if's lines), ``meetings`` (per committee, its rule or dates and the share of
    decision dates explained), the record's size, ``span`` (the first arrival and the
    export date: the days the demand is fitted over) and ``shortfalls`` (the estimates the
    record has too little evidence for, a line each)."""

    source: str
    proposals: int
    rows: int
    as_of: dt.date
    parameters: tuple[Parameter, ...]
    settings: tuple[Setting, ...]
    meetings: dict[str, dict]
    ignored_columns: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    span: tuple[dt.date, dt.date] | None = None
    shortfalls: tuple[str, ...] = ()

    @property
    def span_years(self) -> float:
        """Years (365.25 days) from the first arrival to the end of the export date; 0
        without a visit."""
        if self.span is None:
            return 0.0
        return ((self.span[1] - self.span[0]).days + 1) / 365.25

    @property
    def wide(self) -> bool:
        """True when the intervals are wide: few proposals, or a median relative half-width
        of the demand rates and mean durations (other than 0) above 25%."""
        widths = sorted(p.relative_half_width for p in self.parameters
                        if p.path.endswith((".mean", ".per_year")) and p.value)
        median = widths[len(widths) // 2] if widths else math.inf
        return self.proposals < FEW_PROPOSALS or median > WIDE_HALF_WIDTH

    def parameter(self, path: str) -> Parameter:
        """The parameter at ``path``; KeyError if the fit has none there."""
        for item in self.parameters:
            if item.path == path:
                return item
        raise KeyError(f"no fitted parameter {path!r}")

    def changes(self) -> dict[str, Any]:
        """The what-if's ``set`` mapping {path: value}."""
        return {setting.path: setting.value for setting in self.settings}

    def to_dict(self) -> dict:
        """The JSON of the fit: proposals, rows, as_of, span (from, to, years), parameters,
        meetings, shortfalls, ignored_columns, wide (and notes)."""
        span = None if self.span is None else {
            "from": self.span[0].isoformat(), "to": self.span[1].isoformat(),
            "years": round(self.span_years, 2)}
        return {"source": self.source, "proposals": self.proposals, "rows": self.rows,
                "as_of": self.as_of.isoformat(), "span": span,
                "parameters": [p.to_dict() for p in self.parameters],
                "meetings": self.meetings, "shortfalls": list(self.shortfalls),
                "ignored_columns": list(self.ignored_columns),
                "wide": self.wide, "notes": list(self.notes)}

    def whatif_yaml(self, base_reference: str, source: str,
                    posterior: Posterior | None = None) -> str:
        """The fitted what-if's text: ``extends: base_reference`` (the base's path relative
        to the output's folder) and one commented ``set`` line per fitted value; ``source``
        names the record in the title. ``posterior``: the fit's draws
        (:func:`simlib.fitting.draws.bootstrap_draws`), written as ``calibration.posterior``
        (what-ifs of the fitted scenario inherit them)."""
        name = "fitted-" + "".join(c if c.isalnum() else "-" for c in source.rsplit("/", 1)[-1])
        lines = [
            f"# Fitted by mcsim fit from {yaml_comment(source)}: each value set below is the "
            "record's",
            "# estimate, commented with its 95% interval, its number of observations and method.",
            f"extends: {yaml_scalar(base_reference)}",
            f"name: {yaml_scalar(name)}",
            "title: " + yaml_scalar(f"Fitted to {source} ({self.proposals} proposals, as of "
                                    f"{self.as_of.isoformat()})"),
            "description: The base scenario with the values the record informs set to their "
            "estimates.",
            "set:" if self.settings else "set: {}",
            *(setting.line() for setting in self.settings),
        ]
        if posterior is not None:
            lines += ["# What the record leaves possible: draws of the fitted values, run by",
                      "# mcsim run/compare/plan/sensitivity --uncertainty.", "calibration:",
                      *(f"  {line}" for line in posterior_lines(posterior))]
        return "\n".join(lines) + "\n"
