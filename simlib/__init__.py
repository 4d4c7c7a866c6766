"""Simulation of microcredential approval pipelines."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("simlib")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

from simlib.compare import Comparison, compare
from simlib.eventlog import EventLog
from simlib.experiment import Results, replicate
from simlib.model import simulate
from simlib.precision import replicate_until_precise
from simlib.scenario import Scenario, load_scenario
from simlib.sensitivity import Sensitivity, sensitivity

__all__ = [
    "Comparison",
    "EventLog",
    "Results",
    "Scenario",
    "Sensitivity",
    "__version__",
    "compare",
    "load_scenario",
    "replicate",
    "replicate_until_precise",
    "sensitivity",
    "simulate",
]
