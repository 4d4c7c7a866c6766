"""Fitting a scenario to an office's history (:func:`fit_history`), one estimator per
module: :mod:`~simlib.fitting.record` (the visits on the base's calendar),
:mod:`~simlib.fitting.observations` (censored intervals), :mod:`~simlib.fitting.durations`
(censored ML by family), :mod:`~simlib.fitting.meetings` (meeting rules or dates),
:mod:`~simlib.fitting.chances` (chances, demand), :mod:`~simlib.fitting.result` (the JSON and
the fitted what-if)."""

from simlib.fitting.fit import fit_history
from simlib.fitting.result import HistoryFit, Parameter, Setting

__all__ = ["HistoryFit", "Parameter", "Setting", "fit_history"]
