"""Draws of a history fit's parameters: what the record leaves possible, in the form every
``--uncertainty`` answer reads (``calibration.posterior`` of the fitted what-if).

A parametric bootstrap over the estimates: each fitted number is drawn from its estimate's
sampling distribution, independently of the others:

- a chance (``revise.p``, ``withdraw_p``) seen ``k`` times in ``n`` decided visits:
  Beta(k + 1/2, n - k + 1/2) (the Jeffreys posterior, whose intervals are close to the
  Clopper-Pearson ones the fit reports);
- a positive number (a demand rate, a mean, a cv): lognormal around the estimate, with the
  spread that makes its 95% interval the fit's (the intervals of rates and durations are
  close to symmetric on the log scale).

Left out: level mixes and seasonal weights (they must add up; their draws would need a
Dirichlet), meeting rules (not numbers), and chances the record never saw (held at 0).
"""

from __future__ import annotations

import math

import numpy as np

from simlib.engine.randomness import generator
from simlib.errors import ScenarioError
from simlib.fitting.result import HistoryFit, Parameter
from simlib.scenario import Scenario
from simlib.scenario.calibration import Posterior
from simlib.version import __version__

DRAWS = 200  # draws written into a fitted what-if
METHOD = ("parametric bootstrap of the history fit (chances: Jeffreys Beta; rates, means "
          "and cvs: lognormal matching each 95% interval; independent)")
Z95 = 1.959963984540054


def drawn(parameter: Parameter) -> bool:
    """Whether the bootstrap draws ``parameter`` (see the module docstring)."""
    parts = parameter.path.split(".")
    if ".mix." in parameter.path or "seasonality" in parts:
        return False
    return parameter.n > 0 and parameter.value > 0 and parameter.ci95[0] >= 0


def _chance(parameter: Parameter) -> bool:
    return parameter.path.endswith((".p", "withdraw_p"))


def parameter_draws(parameter: Parameter, count: int, rng: np.random.Generator
                    ) -> np.ndarray:
    """``count`` draws of one fitted number."""
    if _chance(parameter):
        seen = parameter.value * parameter.n
        return rng.beta(seen + 0.5, parameter.n - seen + 0.5, count)
    low, high = parameter.ci95
    if low <= 0:
        low = parameter.value * math.exp(-(math.log(high / parameter.value)))
    sigma = (math.log(high) - math.log(low)) / (2 * Z95)
    return parameter.value * np.exp(sigma * rng.standard_normal(count))


def bootstrap_draws(fit: HistoryFit, fitted: Scenario, count: int = DRAWS,
                    seed: int = 0) -> Posterior | None:
    """The ``calibration.posterior`` of the fitted what-if: ``count`` draws of
    every drawn parameter that ``fitted`` (the fitted scenario) holds as a number, each
    rounded to 4 significant digits; draws the scenario refuses (e.g. chances adding up
    to more than 1) are drawn again. None when no parameter is drawn."""
    chosen = [p for p in fit.parameters if drawn(p) and _is_number(fitted, p.path)]
    if not chosen:
        return None
    rng = generator(seed, 0, "fit.bootstrap")
    columns = {p.path: [float(f"{v:.4g}") for v in parameter_draws(p, count, rng)]
               for p in chosen}
    for index in range(count):
        for _ in range(20):
            try:
                fitted.variant({path: values[index] for path, values in columns.items()})
                break
            except ScenarioError:
                for p in chosen:
                    columns[p.path][index] = float(f"{parameter_draws(p, 1, rng)[0]:.4g}")
    return Posterior(method=METHOD, seed=seed, draws=columns, simlib_version=__version__,
                     diagnostics={"parameters": len(chosen), "draws": count})


def _is_number(scenario: Scenario, path: str) -> bool:
    try:
        value = scenario.value_at(path)
    except KeyError:
        return False
    return isinstance(value, int | float) and not isinstance(value, bool)
