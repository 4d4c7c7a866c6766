"""Simulation of microcredential approval pipelines.

The public API, imported on first use (so ``import simlib.scenario`` stays light):
:func:`load_scenario`, :class:`Scenario`, :func:`simulate`, :class:`EventLog`,
:func:`replicate`, :class:`Results`, :func:`compare`, :class:`Comparison`,
:func:`sensitivity`, :class:`Sensitivity`, :func:`replicate_until_precise`, :mod:`errors`
and ``__version__``.
"""

from __future__ import annotations

import importlib
from typing import Any

from simlib import errors
from simlib.version import __version__

_PUBLIC = {  # name -> the module that defines it
    "load_scenario": "simlib.scenario.loading",
    "Scenario": "simlib.scenario.schema",
    "simulate": "simlib.engine.model",
    "EventLog": "simlib.engine.eventlog",
    "replicate": "simlib.experiments.results",
    "Results": "simlib.experiments.results",
    "compare": "simlib.experiments.compare",
    "Comparison": "simlib.experiments.compare",
    "sensitivity": "simlib.experiments.sensitivity",
    "Sensitivity": "simlib.experiments.sensitivity",
    "replicate_until_precise": "simlib.experiments.precision",
}

__all__ = ["__version__", "errors", *sorted(_PUBLIC)]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    if name not in _PUBLIC:
        raise AttributeError(f"module 'simlib' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
