"""Calibration: move a scenario's free assumptions, within their ranges, until the simulated
figures match its documented targets.

Every evaluation simulates replications 0..R-1 of the same seed (common random numbers),
so the objective is a deterministic function of the parameters and a small change in a
parameter gives a small change in the figures. The objective is

    sum over targets of (error / target)^2  +  sum over parameters of (w * (u - u_prior))^2

where ``error`` is simulated - target (for a bound such as "at least half of first
responses within the promise", only the shortfall), ``u`` is a parameter scaled to [0, 1]
over its range and ``w`` is ``calibration.prior_weight``: moving a parameter across its whole
range costs as much as missing a target by ``w`` (0.01: by 1%). Targets dominate; the pull
towards the prior only decides what the targets leave open. Two or three targets cannot
identify many parameters: the fit is one consistent set of values near the priors, and it
shows which parameters had to move.

The minimiser is Nelder-Mead (:func:`scipy.optimize.minimize`) on the scaled parameters,
evaluated on a grid of a thousandth of each range (the values written to the file), so the
recorded fit is reproduced exactly by simulating the calibrated scenario.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize
from tqdm import tqdm

from simlib.errors import CalibrationError, ScenarioError
from simlib.experiments.results import Results, replicate
from simlib.experiments.runner import local_pool, show_progress
from simlib.metrics import events as metrics
from simlib.scenario import Scenario
from simlib.scenario.calibration import Fit, FittedParameter, FittedTarget
from simlib.statistics import ratio_interval
from simlib.version import __version__

SIMPLEX_STEP = 0.1  # first simplex: each parameter moved by a tenth of its range
X_TOLERANCE = 1e-3  # stop when the simplex spans less than a thousandth of every range...
F_TOLERANCE = 1e-8  # ... and the objective differs by less than this across it
MOVED = 0.01  # a parameter "moved" when it changed by more than 1% of its range
EVALUATIONS_PER_PARAMETER = 200  # default budget of simulations



@dataclass(frozen=True)
class FitTarget:
    """A figure to reproduce: ``key`` (its key path in the scenario), ``label`` (for
    tables), ``value`` (days, or a share in [0, 1]), and whether it is a lower bound."""

    key: str
    label: str
    value: float
    at_least: bool = False

    def error(self, simulated: float) -> float:
        """Simulated - target (days or share); for a bound only the shortfall (else 0)."""
        gap = simulated - self.value
        return min(gap, 0.0) if self.at_least else gap


@dataclass(frozen=True)
class FreeParameter:
    """A parameter the fit may move: its key ``path``, ``prior`` (the value before any
    calibration; the search starts there) and the assumption's range [``low``, ``high``]."""

    path: str
    prior: float
    low: float
    high: float

    @property
    def decimals(self) -> int:
        """Decimals of fitted values: a thousandth of the range, or finer."""
        return max(0, math.ceil(-math.log10((self.high - self.low) / 1000.0)))

    def value(self, scaled: float) -> float:
        """The value (rounded, see :attr:`decimals`) at ``scaled`` in [0, 1] of the range."""
        share = min(max(float(scaled), 0.0), 1.0)
        return round(self.low + share * (self.high - self.low), self.decimals)

    def scaled(self, value: float) -> float:
        """Where ``value`` lies in the range: 0 at ``low``, 1 at ``high``."""
        return (value - self.low) / (self.high - self.low)


@dataclass(frozen=True)
class Estimate:
    """A simulated figure: mean over the replications and its 95% confidence interval."""

    mean: float
    low: float
    high: float


def check_free(scenario: Scenario) -> None:
    """:class:`CalibrationError` unless the scenario lists assumptions to fit."""
    if scenario.calibration is None or not scenario.calibration.free:
        raise CalibrationError("calibration.free: no assumptions to fit; add calibration: "
                               "{free: [paths of assumptions to fit]}")


def fit_targets(scenario: Scenario) -> list[FitTarget]:
    """The targets of a calibration: each pathway's documented mean cycle days, then the
    first-response promises of ``calibration.sla`` (shares)."""
    targets = [
        FitTarget(f"targets.{pathway}.mean_cycle_days", f"{pathway}: mean days to approval",
                  target.mean_cycle_days)
        for pathway, target in scenario.targets.items() if target.mean_cycle_days
    ]
    labels = metrics.step_labels(scenario).dropna(subset=["sla_days"])
    promises = scenario.calibration.sla if scenario.calibration else {}
    for body, promise in promises.items():
        days = "/".join(f"{d:g}" for d in sorted(set(labels.loc[labels["body"] == body,
                                                                 "sla_days"])))
        targets.append(FitTarget(f"calibration.sla.{body}.at_least",
                                 f"{body}: share of first responses within {days} days",
                                 promise.at_least, at_least=True))
    return targets


def free_parameters(scenario: Scenario) -> list[FreeParameter]:
    """The free parameters of ``scenario.calibration``. The prior is the value before the
    recorded fit when the scenario still holds that fit's value, else the value now."""
    ranges = {assumption.path: assumption for assumption in scenario.assumptions}
    recorded = scenario.calibration.fit.parameters if scenario.calibration.fit else {}
    parameters = []
    for index, path in enumerate(scenario.calibration.free):
        value, assumption = float(scenario.value_at(path)), ranges[path]
        if not assumption.low <= value <= assumption.high:
            raise CalibrationError(
                f"calibration.free.{index}: {path} is {value:g}, outside its assumption range "
                f"[{assumption.low:g}, {assumption.high:g}]; widen the range or change the value"
            )
        fit = recorded.get(path)
        kept = fit is not None and fit.fitted == value
        prior = fit.prior if kept and assumption.low <= fit.prior <= assumption.high else value
        parameters.append(FreeParameter(path, prior, assumption.low, assumption.high))
    _check_continuous(scenario, parameters)
    return parameters


def _check_continuous(scenario: Scenario, parameters: list[FreeParameter]) -> None:
    """Calibration moves numbers continuously: each parameter must accept a fraction."""
    for index, parameter in enumerate(parameters):
        try:
            scenario.variant({parameter.path: parameter.value(0.377)})
        except ScenarioError as error:
            reason = str(error).split(": ", 2)[-1]
            raise CalibrationError(
                f"calibration.free.{index}: {parameter.path}: {reason}; calibration fits "
                "numbers that can take any value in their range"
            ) from None


def estimates(results: Results, targets: list[FitTarget]) -> dict[str, Estimate]:
    """The simulated value of each target (days or share) with its 95% CI."""
    found: dict[str, Estimate] = {}
    cycle = results.pathways
    shares = _sla_shares(results) if any(t.at_least for t in targets) else None
    for target in targets:
        parts = target.key.split(".")  # targets.<pathway>... or calibration.sla.<body>...
        if parts[0] == "targets":
            row = cycle.loc[parts[1]]
            found[target.key] = Estimate(row["cycle_days_mean"], row["cycle_days_ci95_low"],
                                         row["cycle_days_ci95_high"])
        else:
            body = parts[2]
            row = shares.loc[body] if shares is not None and body in shares.index else None
            found[target.key] = Estimate(*(row[["mean", "low", "high"]] if row is not None
                                           else (np.nan,) * 3))
    return found


def _sla_shares(results: Results) -> pd.DataFrame:
    """Per body (index): share of round-0 decisions within their step's ``sla_days``, with a
    95% CI over replications (columns mean, low, high); as :func:`simlib.metrics.events.sla`."""
    labels = metrics.step_labels(results.scenario).dropna(subset=["sla_days"])
    visits = results.visits
    first = visits[(visits["round"] == 0) & visits["decided"].notna()]
    first = first.merge(labels[["pathway", "step", "sla_days"]], on=["pathway", "step"])
    met = ((first["decided"] - first["arrive"]) <= first["sla_days"]).astype(float)
    totals = met.groupby([first["body"], first["replication"]]).agg(["sum", "count"])
    totals.index.names = ["body", "replication"]
    return ratio_interval(totals, "body", results.replications)


@dataclass
class Evaluator:
    """Simulates the scenario at parameter values with fixed seeds; remembers every result.

    ``objective(scaled)`` is the calibration objective (see the module docstring) of the
    scaled parameters; ``best`` holds the values with the lowest objective so far.
    """

    scenario: Scenario
    parameters: list[FreeParameter]
    targets: list[FitTarget]
    replications: int
    seed: int
    executor: cf.Executor | None = None
    jobs: int | None = None
    bar: tqdm | None = None
    seen: dict[tuple[float, ...], tuple[float, dict[str, Estimate]]] = field(
        default_factory=dict
    )

    def simulate(self, values: tuple[float, ...]) -> dict[str, Estimate]:
        """The targets' estimates with the parameters at ``values`` (cached)."""
        if values not in self.seen:
            changes = {p.path: value for p, value in zip(self.parameters, values, strict=True)}
            results = replicate(self.scenario.variant(changes), self.replications, self.seed,
                                executor=self.executor, jobs=self.jobs, progress=False)
            found = estimates(results, self.targets)
            self.seen[values] = (self.score(values, found), found)
            if self.bar is not None:
                self.bar.update(1)
                self.bar.set_postfix(objective=f"{self.best[1]:.2e}")
        return self.seen[values][1]

    def score(self, values: tuple[float, ...], found: dict[str, Estimate]) -> float:
        """Squared relative target errors plus the pull towards the priors."""
        misfit = 0.0
        for target in self.targets:
            simulated = found[target.key].mean
            error = target.error(0.0 if np.isnan(simulated) else simulated)
            misfit += (error / target.value) ** 2
        weight = self.scenario.calibration.prior_weight
        pull = sum((weight * (p.scaled(value) - p.scaled(p.prior))) ** 2
                   for p, value in zip(self.parameters, values, strict=True))
        return float(misfit + pull)

    def values(self, scaled: np.ndarray) -> tuple[float, ...]:
        """Parameter values (rounded) at scaled positions."""
        return tuple(p.value(u) for p, u in zip(self.parameters, scaled, strict=True))

    def objective(self, scaled: np.ndarray) -> float:
        """The objective at scaled parameters (each in [0, 1])."""
        values = self.values(scaled)
        self.simulate(values)
        return self.seen[values][0]

    @property
    def best(self) -> tuple[tuple[float, ...], float, dict[str, Estimate]]:
        """(values, objective, estimates) of the best evaluation so far."""
        values = min(self.seen, key=lambda key: self.seen[key][0])
        return values, self.seen[values][0], self.seen[values][1]


@dataclass(frozen=True)
class Calibrated:
    """A finished calibration: the calibrated ``scenario`` (fitted values and
    ``calibration.fit``), its ``fit`` record, the targets and parameters, and whether the
    minimiser met its tolerances (``converged``, ``message``)."""

    scenario: Scenario
    fit: Fit
    targets: tuple[FitTarget, ...]
    parameters: tuple[FreeParameter, ...]
    converged: bool
    message: str

    def moved(self) -> list[str]:
        """Paths of the parameters that moved by more than 1% of their range."""
        return [p.path for p in self.parameters
                if abs(p.scaled(self.fit.parameters[p.path].fitted) - p.scaled(p.prior)) > MOVED]

    def to_dict(self) -> dict:
        """JSON-ready: settings, ``targets`` and ``parameters`` as in the fit record (days
        or shares), ``moved`` and ``converged``."""
        record = self.fit.model_dump(mode="json")
        for key, label in ((t.key, t.label) for t in self.targets):
            record["targets"][key] = {"label": label, **record["targets"][key]}
        return {"scenario": self.scenario.name, **record, "moved": self.moved(),
                "converged": self.converged, "message": self.message}


def calibrate(
    scenario: Scenario,
    replications: int | None = None,
    seed: int | None = None,
    executor: cf.Executor | None = None,
    jobs: int | None = None,
    max_evaluations: int | None = None,
    progress: bool | None = None,
) -> Calibrated:
    """Fit ``scenario.calibration.free`` to the scenario's targets (see the module docstring).

    ``replications`` (default ``calibration.replications``) and ``seed`` (default
    ``calibration.seed``, else the scenario's) are used by every evaluation. ``executor`` /
    ``jobs`` as in :func:`simlib.experiments.results.replicate` (default: one local process pool for
    the whole fit). ``max_evaluations``: at most this many simulations (default 200 per free
    parameter). Raises :class:`CalibrationError` when the scenario cannot be calibrated.
    """
    spec = scenario.calibration
    check_free(scenario)
    count = replications or spec.replications
    if count < 2:
        raise CalibrationError(f"replications: a fit needs at least 2 (for its 95% CIs), "
                               f"got {count}")
    seed = seed if seed is not None else (spec.seed if spec.seed is not None else scenario.seed)
    parameters, targets = free_parameters(scenario), fit_targets(scenario)
    budget = max_evaluations or EVALUATIONS_PER_PARAMETER * len(parameters)
    shown = show_progress(progress)
    with local_pool(executor, jobs) as (pool, workers), tqdm(
        total=budget, unit="run", desc=f"calibrate {scenario.name}", disable=not shown
    ) as bar:
        evaluator = Evaluator(scenario, parameters, targets, count, seed, pool, workers, bar)
        result = _minimize(evaluator, budget)
    return _calibrated(evaluator, result)


def _minimize(evaluator: Evaluator, budget: int) -> optimize.OptimizeResult:
    """Nelder-Mead on the scaled parameters from their priors (so calibrating a calibrated
    scenario repeats its fit)."""
    start = np.array([p.scaled(p.prior) for p in evaluator.parameters])
    simplex = [start]
    for index, position in enumerate(start):
        vertex = start.copy()
        vertex[index] += SIMPLEX_STEP if position + SIMPLEX_STEP <= 1.0 else -SIMPLEX_STEP
        simplex.append(vertex)
    return optimize.minimize(
        evaluator.objective, start, method="Nelder-Mead", bounds=[(0.0, 1.0)] * len(start),
        options={"initial_simplex": np.array(simplex), "xatol": X_TOLERANCE,
                 "fatol": F_TOLERANCE, "maxfev": budget},
    )


def _calibrated(evaluator: Evaluator, result: optimize.OptimizeResult) -> Calibrated:
    """The :class:`Calibrated` of the best evaluation."""
    values, objective, found = evaluator.best
    parameters = {
        p.path: FittedParameter(prior=p.prior, fitted=value, low=p.low, high=p.high)
        for p, value in zip(evaluator.parameters, values, strict=True)
    }
    fit = Fit(
        date=dt.date.today(), replications=evaluator.replications, seed=evaluator.seed,
        evaluations=len(evaluator.seen), objective=float(f"{objective:.3e}"),
        simlib_version=__version__, parameters=parameters,
        targets={t.key: _fitted_target(t, found[t.key]) for t in evaluator.targets},
    )
    changes = {p.path: value for p, value in zip(evaluator.parameters, values, strict=True)}
    changes["calibration.fit"] = fit.model_dump(mode="json")
    scenario = evaluator.scenario.variant(changes)
    return Calibrated(scenario, fit, tuple(evaluator.targets), tuple(evaluator.parameters),
                      bool(result.success), str(result.message))


def _fitted_target(target: FitTarget, estimate: Estimate) -> FittedTarget:
    """A target's record: days to 0.01, shares to 0.0001."""
    digits = 4 if target.at_least else 2

    def rounded(number: float) -> float | None:
        return None if np.isnan(number) else round(float(number), digits)

    simulated = rounded(estimate.mean)
    return FittedTarget(
        target=target.value, simulated=simulated,
        ci95=(rounded(estimate.low), rounded(estimate.high)),
        error=round(target.error(simulated or 0.0), digits),
        bound="at_least" if target.at_least else "equal",
    )
