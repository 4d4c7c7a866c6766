"""The ``calibration`` block of a scenario: which assumptions a fit may move, which extra
targets it must meet, and the record of the last fit (written by ``mcsim calibrate``).

The targets of a fit are the scenario's ``targets.<pathway>.mean_cycle_days`` (days) and
the first-response promises of ``calibration.sla``. A free parameter must be one of the
scenario's ``assumptions``: its prior is the value the scenario gives it (before any
recorded fit) and its bounds are the assumption's ``low`` and ``high``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from simlib.formats.frozen import Frozen
from simlib.formats.numbers import bounded
from simlib.formats.printable import printable


class SlaTarget(Frozen):
    """A first-response promise as a target: at least ``at_least`` (a share in (0, 1]) of
    the body's first decisions come within the ``sla_days`` of its steps. A bound, not a
    value to hit: it adds to the fit's error only when the share falls below it."""

    at_least: bounded(gt=0.0, le=1.0)
    source: str = ""


class FittedParameter(Frozen):
    """A free parameter of a recorded fit: ``prior`` (its value before calibration),
    ``fitted`` (the value now in the scenario) and its bounds ``low``, ``high``."""

    prior: float
    fitted: float
    low: float
    high: float


class FittedTarget(Frozen):
    """A target of a recorded fit, simulated with the fitted values: ``target``,
    ``simulated`` (mean over the fit's replications), ``ci95`` (its 95% confidence
    interval; None when nothing was approved), ``error`` (simulated - target; 0 for a bound
    that is met). Days for cycle times, shares in [0, 1] for SLA bounds."""

    target: float
    simulated: float | None
    ci95: tuple[float | None, float | None]
    error: float
    bound: Literal["equal", "at_least"] = "equal"


class Fit(Frozen):
    """The record of a calibration: when, with which replications and seed (the fit used
    replications 0..replications-1 of ``seed`` in every evaluation), how many evaluations,
    the final objective, and the parameters and targets."""

    date: dt.date
    replications: int = Field(ge=2)
    seed: int = Field(ge=0)
    evaluations: int = Field(ge=1)
    objective: float = Field(ge=0.0)
    simlib_version: str = ""
    parameters: dict[str, FittedParameter]
    targets: dict[str, FittedTarget]


MAX_DRAWS = 10_000  # posterior draws a scenario may carry


class Posterior(Frozen):
    """Draws of the free parameters that the targets (or an office's record) leave
    possible, written by ``mcsim calibrate --posterior`` or ``mcsim fit``: ``draws`` maps
    each parameter's path to its values (draw ``i`` is the ``i``-th value of every path),
    ``method`` names how they were made, with the ``seed`` and ``diagnostics`` (e.g.
    effective sample size, acceptance) of that run; ``prior`` the range each was drawn in.
    ``mcsim run/compare/plan/sensitivity --uncertainty`` run the scenario at each draw."""

    method: str
    date: dt.date | None = None
    seed: bounded(2**63 - 1, "", whole=True, ge=0) | None = None
    draws: dict[str, tuple[float, ...]] = Field(min_length=1)
    prior: dict[str, tuple[float, float]] = Field(default_factory=dict)
    diagnostics: dict[str, int | float] = Field(default_factory=dict)
    simlib_version: str = ""

    @field_validator("draws", "prior", mode="before")
    @classmethod
    def _numbers_only(cls, value: object, info) -> object:
        """Refuse true/false among the draws or prior bounds (YAML reads yes and no as
        true and false: never a number here)."""
        for path, values in value.items() if isinstance(value, dict) else ():
            for index, item in enumerate(values if isinstance(values, list | tuple) else ()):
                if isinstance(item, bool):
                    which = (f"draw {index + 1}" if info.field_name == "draws"
                             else ("low", "high")[min(index, 1)])
                    raise PydanticCustomError(
                        "draws", f"{printable(path)}: {which} is {str(item).lower()}, not a "
                        "number (yes, no, true and false are not numbers); write a number")
        return value

    @field_validator("draws")
    @classmethod
    def _same_count(cls, draws: dict[str, tuple[float, ...]]) -> dict:
        counts = {len(values) for values in draws.values()}
        if len(counts) > 1:
            raise PydanticCustomError(
                "draws", "every path needs the same number of draws, got "
                + ", ".join(f"{printable(path)}: {len(values)}" for path, values in draws.items()))
        count = counts.pop()
        if not 2 <= count <= MAX_DRAWS:
            raise PydanticCustomError(
                "draws", f"give from 2 to {MAX_DRAWS:,} draws per path, got {count:,}")
        for path, values in draws.items():
            if not all(math.isfinite(value) for value in values):
                raise PydanticCustomError("draws", f"{printable(path)}: every draw must be a "
                                          "finite number")
        return draws

    @property
    def count(self) -> int:
        """How many draws."""
        return len(next(iter(self.draws.values())))

    def draw(self, index: int) -> dict[str, float]:
        """Draw ``index`` as {path: value}."""
        return {path: values[index] for path, values in self.draws.items()}

    def without(self, paths: set[str]) -> Posterior | None:
        """These draws without ``paths`` (a what-if that sets a path fixes it); None when
        nothing is left."""
        kept = {path: values for path, values in self.draws.items() if path not in paths}
        if not kept:
            return None
        prior = {path: bounds for path, bounds in self.prior.items() if path in kept}
        return self.model_copy(update={"draws": kept, "prior": prior})


class Calibration(Frozen):
    """What calibration may change and must match.

    ``free``: dotted paths of assumptions the fit may move (within their ranges).
    ``replications`` and ``seed`` (default: the scenario's seed): the common random numbers
    of every evaluation. ``prior_weight``: moving a parameter across its whole range costs
    as much as missing a target by this share (0.01: by 1%). ``sla``: first-response
    promises per body (:class:`SlaTarget`). ``fit``: the last fit's record. ``posterior``:
    draws of the free parameters (:class:`Posterior`), which what-ifs inherit.
    """

    free: tuple[str, ...] = ()
    replications: bounded(10_000, "", whole=True, ge=2) = 100
    seed: bounded(2**63 - 1, "", whole=True, ge=0) | None = None
    prior_weight: bounded(1e6, "", ge=0.0) = 0.01
    sla: dict[str, SlaTarget] = Field(default_factory=dict)
    fit: Fit | None = None
    posterior: Posterior | None = None

    @field_validator("free")
    @classmethod
    def _once_each(cls, paths: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({path for path in paths if paths.count(path) > 1})
        if repeated:
            raise PydanticCustomError(
                "free", f"{repeated[0]!r} is listed twice; list each parameter once"
            )
        return paths
