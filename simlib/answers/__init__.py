"""The answer layer: one answer per question, computed once by one function.

Each function below runs what its question needs and returns one immutable answer that
holds everything its readers show: the figures with their 95% CI (what luck does) and,
when asked with ``uncertainty``, their 95% range over what we don't know. The command
line, the report pages and notebooks, and the Python API only render answers; none of them
computes or simulates (the architecture test holds them to it).

- how long does a proposal take? :func:`run` gives a :class:`RunAnswer`;
- what would make it faster? :func:`compare`, a :class:`ComparisonAnswer`;
- how much capacity is enough? :func:`sweep`, a :class:`SweepAnswer`;
- what if demand grows? :func:`growth`, a :class:`GrowthAnswer`;
- which assumption matters most? :func:`sensitivity`, a :class:`SensitivityAnswer`;
- when must we submit? :func:`plan`, a :class:`PlanAnswer`;
- when will the proposals in progress be approved? :func:`forecast`, a ``Forecast``;
- does the model reproduce our record? :func:`backtest`, a ``Backtest``;
- what does our record say about the process? :func:`fit`, a ``HistoryFit`` and its draws;
- what do the documented averages say? :func:`calibrate` (``Calibrated``) and
  :func:`calibrate_posterior` (``PosteriorFit``).

:func:`event_logs`, :func:`office_history` and :func:`optimize` serve the event-log
exports and ``mcsim optimize``. Defaults (draws, replications per draw, confidence) are in
:mod:`simlib.defaults`.
"""

from simlib.answers._calibration import calibrate, calibrate_posterior
from simlib.answers._compare import ComparisonAnswer, compare
from simlib.answers._exports import event_logs, office_history, optimize
from simlib.answers._figure import Figure
from simlib.answers._plan import PlanAnswer, plan
from simlib.answers._records import backtest, fit, forecast
from simlib.answers._run import RunAnswer, run
from simlib.answers._sensitivity import SensitivityAnswer, sensitivity
from simlib.answers._studies import GrowthAnswer, SweepAnswer, growth, sweep

__all__ = [
    "ComparisonAnswer", "Figure", "GrowthAnswer", "PlanAnswer", "RunAnswer",
    "SensitivityAnswer", "SweepAnswer", "backtest", "calibrate", "calibrate_posterior",
    "compare", "event_logs", "fit", "forecast", "growth", "office_history", "optimize",
    "plan", "run", "sensitivity", "sweep",
]
