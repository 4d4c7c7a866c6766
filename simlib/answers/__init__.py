"""The answer layer: one answer per question, computed once by one function.

Each function below runs what its question needs and returns one immutable answer that
holds everything its readers show: the figures with their 95% CI (what luck does) and,
when asked with ``uncertainty``, their 95% range over what we don't know. The command
line, the report pages and notebooks, and the Python API only render answers; none of them
computes or simulates (the architecture test holds them to it).

- how long does a proposal take? :func:`run` gives a :class:`RunAnswer`;
- what would make it faster? :func:`compare`, a :class:`ComparisonAnswer` (and
  :func:`with_range`, its range over what we don't know, added after the first answer);
- how much capacity is enough? :func:`sweep`, a :class:`SweepAnswer`;
- what if demand grows? :func:`growth`, a :class:`GrowthAnswer`;
- which assumption matters most? :func:`sensitivity`, a :class:`SensitivityAnswer`;
- when must we submit? :func:`plan`, a :class:`PlanAnswer`;
- when will the proposals in progress be approved? :func:`forecast` (or
  :func:`forecast_file`, from a pipeline file), a ``Forecast``;
- does the model reproduce our record? :func:`backtest`, a ``Backtest``;
- what does our record say about the process? :func:`fit`, a ``HistoryFit`` and its draws;
- what do the documented averages say? :func:`calibrate` (``Calibrated``) and
  :func:`calibrate_posterior` (``PosteriorFit``);
- which governance changes are worth their faculty hours? :func:`frontier`, a
  :class:`FrontierAnswer`.

:func:`event_logs`, :func:`event_log_stream` (any number of replications in constant
memory), :func:`office_history` and :func:`optimize` serve the event-log exports and
``mcsim optimize``. Defaults (draws, replications per draw, confidence) are in
:mod:`simlib.defaults`.
"""

from __future__ import annotations

import importlib
from typing import Any

_PUBLIC = {  # name -> the private module that defines it (imported on first use, so that a
    # command asking for one answer loads only what that answer needs)
    "Figure": "_figure",
    "RunAnswer": "_run", "run": "_run",
    "ComparisonAnswer": "_compare", "compare": "_compare", "with_range": "_compare",
    "SweepAnswer": "_studies", "GrowthAnswer": "_studies", "sweep": "_studies",
    "growth": "_studies",
    "SensitivityAnswer": "_sensitivity", "sensitivity": "_sensitivity",
    "PlanAnswer": "_plan", "plan": "_plan",
    "forecast": "_records", "forecast_file": "_records", "backtest": "_records", "fit": "_records",
    "calibrate": "_calibration", "calibrate_posterior": "_calibration",
    "event_logs": "_exports", "event_log_stream": "_exports", "office_history": "_exports",
    "optimize": "_optimize", "FrontierAnswer": "_optimize", "frontier": "_optimize",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simlib.answers' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"simlib.answers.{_PUBLIC[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
