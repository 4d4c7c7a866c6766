"""The ``calibration`` block of a scenario: which assumptions a fit may move, which extra
targets it must meet, and the record of the last fit (written by ``mcsim calibrate``).

The targets of a fit are the scenario's ``targets.<pathway>.mean_cycle_days`` (days) and
the first-response promises of ``calibration.sla``. A free parameter must be one of the
scenario's ``assumptions``: its prior is the value the scenario gives it (before any
recorded fit) and its bounds are the assumption's ``low`` and ``high``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from simlib.formats.frozen import Frozen
from simlib.formats.numbers import bounded


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


class Calibration(Frozen):
    """What calibration may change and must match.

    ``free``: dotted paths of assumptions the fit may move (within their ranges).
    ``replications`` and ``seed`` (default: the scenario's seed): the common random numbers
    of every evaluation. ``prior_weight``: moving a parameter across its whole range costs
    as much as missing a target by this share (0.01: by 1%). ``sla``: first-response
    promises per body (:class:`SlaTarget`). ``fit``: the last fit's record.
    """

    free: tuple[str, ...] = Field(min_length=1)
    replications: bounded(10_000, "", whole=True, ge=2) = 100
    seed: bounded(2**63 - 1, "", whole=True, ge=0) | None = None
    prior_weight: bounded(1e6, "", ge=0.0) = 0.01
    sla: dict[str, SlaTarget] = Field(default_factory=dict)
    fit: Fit | None = None

    @field_validator("free")
    @classmethod
    def _once_each(cls, paths: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({path for path in paths if paths.count(path) > 1})
        if repeated:
            raise PydanticCustomError(
                "free", f"{repeated[0]!r} is listed twice; list each parameter once"
            )
        return paths
