"""Simulation of microcredential approval pipelines."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("simlib")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from simlib.eventlog import EventLog
from simlib.experiment import Results, replicate
from simlib.model import simulate
from simlib.scenario import Scenario, load_scenario

__all__ = [
    "EventLog",
    "Results",
    "Scenario",
    "__version__",
    "load_scenario",
    "replicate",
    "simulate",
]
