"""Durations from censored observations: each registered family fitted by maximum
likelihood, the family chosen by AIC, mean and cv with 95% intervals.

An observation is an interval (``lower``, ``upper``] of days that holds the duration
(``upper`` inf: right-censored, the visit still open). Dates have whole-day resolution, so
every duration of a record is interval-censored; fitting the intervals (not their
midpoints) removes the bias of measuring a few-day review from dates. The likelihood is
sum log(F(upper) - F(lower)) with F the family's distribution function in the scenario's
parameterisation (mean, cv); where a duration starts somewhere inside its first day (an
office review begun after another office's decision), the whole days counted are the
duration plus a uniform fraction rounded down, so the weight over (lower, upper] is a
triangle, integrated exactly with the family's integrated distribution function.

Intervals: Wald on log(mean) and log(cv) from the observed information (with the t
quantile for n less the parameters), given the chosen family. The families compared are
the registry's smooth ones (exponential, gamma, lognormal, weibull): the bounded ones'
(uniform, triangular) likelihood has corners at the ends of their support, where ML
intervals do not hold. A ``cv`` given
to :func:`fit_duration` is held (only the mean is fitted).

A constant duration (``fixed``: every review the same, e.g. zero days) is compared too, with
one parameter, when the record resolves each duration to within :data:`NARROW` days and
they all share a value (a range at most :data:`CONSTANT_SPREAD` wide): the smooth families
cannot hold such a record (their ML runs to a cv or a mean of 0, and their Wald intervals
to absurd widths), while the constant holds it with likelihood 1 on flat intervals. Its
interval is the likelihood-ratio one (the values whose log-likelihood is within
chi-square(1) 95% / 2 of the best). Coarse intervals (a committee's reading, known only
between two meetings) can share a value by chance, so they keep the smooth fit, unless it
runs to a mean under :data:`SHORTEST` days: then every duration lay below the shortest
interval's end, and the fit is the constant 0 (with that end as its interval's). A smooth
fit that wins by running to a cv under :data:`FLATTEST` has found the constant too (its
Wald interval spans dozens of orders of magnitude): the constant is taken, or, when the
record does not pin one, the smooth fit's mean as a constant, with the values every
interval holds as its interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from simlib.scenario.distributions import FAMILIES, Weibull

FLOOR = 1e-300  # probabilities below this count as this (log stays finite)
BOUNDED_LIMIT = {"uniform": 1 / math.sqrt(3), "triangular": 1 / math.sqrt(6)}
ONE_PARAMETER = {"exponential"}
SMOOTH = ("exponential", "gamma", "lognormal", "weibull")
FIT_FAMILIES = tuple(name for name in FAMILIES if name in SMOOTH)  # registry order
NO_CV = {"exponential", "fixed"}  # families whose spec has no cv
CONSTANT_SPREAD = 1.0  # days: a constant is tried when the intervals pin it this closely
NARROW = 2.0  # days: ... and each interval is at most this wide
SHORTEST = 0.01  # days: a smooth fit's mean below this has run to 0
FLATTEST = 0.01  # a smooth fit's cv below this has run to a constant
CONSTANT_POINTS = 400  # values tried between the ends of a constant's possible range
LR_95 = float(special.gammaincinv(0.5, 0.95))  # chi2(1) 95% / 2: a 95% LR interval's drop


@dataclass(frozen=True)
class DurationFit:
    """A fitted duration: ``family``, ``mean`` (days) and ``cv`` with 95% intervals
    (``cv_ci95`` None for a family whose cv is fixed), ``n`` observations of which
    ``censored`` right-censored, the maximised log-likelihood and ``aic``."""

    family: str
    mean: float
    cv: float
    mean_ci95: tuple[float, float]
    cv_ci95: tuple[float, float] | None
    n: int
    censored: int
    loglik: float
    aic: float

    def spec(self, digits: int = 3) -> dict:
        """The scenario's ``{dist, mean, cv}`` mapping, rounded to ``digits`` significant
        digits (no cv for a family whose cv is fixed)."""
        spec = {"dist": self.family, "mean": round_significant(self.mean, digits)}
        if self.family not in NO_CV:
            spec["cv"] = (self.cv if self.cv_ci95 is None
                          else round_significant(self.cv, digits))
        return spec


def round_significant(value: float, digits: int = 3) -> float:
    """``value`` rounded to ``digits`` significant digits."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def cdf(family: str, mean: float, cv: float, days: np.ndarray) -> np.ndarray:
    """P(duration <= ``days``) for ``family`` with ``mean`` (days) and ``cv``."""
    x = np.maximum(np.asarray(days, dtype=float), 0.0)
    if family == "exponential":
        return -np.expm1(-x / mean)
    if family == "gamma":
        shape = 1.0 / (cv * cv)
        return special.gammainc(shape, x / (mean / shape))
    if family == "lognormal":
        sigma = math.sqrt(math.log1p(cv * cv))
        mu = math.log(mean) - 0.5 * sigma * sigma
        with np.errstate(divide="ignore"):
            return special.ndtr((np.log(x) - mu) / sigma)
    if family == "weibull":
        k = Weibull.shape(cv)
        scale = mean / special.gamma(1.0 + 1.0 / k)
        return -np.expm1(-((x / scale) ** k))
    if family == "uniform":
        half = mean * cv * math.sqrt(3.0)
        return np.clip((x - mean + half) / (2.0 * half), 0.0, 1.0)
    if family == "triangular":
        half = mean * cv * math.sqrt(6.0)
        left = np.clip(x - mean + half, 0.0, half) ** 2 / (2 * half * half)
        right = np.clip(mean + half - x, 0.0, half) ** 2 / (2 * half * half)
        return np.where(x <= mean, left, 1.0 - right)
    raise KeyError(f"no fitting rule for family {family!r}")


def _unpack(family: str, theta: np.ndarray, held: float | None = None) -> tuple[float, float]:
    """(mean, cv) from the optimiser's coordinates (log mean, then log cv or logit cv;
    only log mean when the cv is ``held``)."""
    mean = math.exp(min(theta[0], 30.0))
    if family in ONE_PARAMETER:
        return mean, 1.0
    if held is not None:
        return mean, held
    if family in BOUNDED_LIMIT:
        return mean, BOUNDED_LIMIT[family] * float(special.expit(theta[1]))
    return mean, math.exp(min(max(theta[1], -8.0), 4.5))


def moment_cdf(family: str, mean: float, cv: float, days: np.ndarray) -> np.ndarray:
    """E[duration; duration <= ``days``] / mean: the distribution function of the
    size-biased family (days in days)."""
    x = np.maximum(np.asarray(days, dtype=float), 0.0)
    if family in ("exponential", "gamma"):
        shape = 1.0 if family == "exponential" else 1.0 / (cv * cv)
        return special.gammainc(shape + 1.0, x / (mean / shape))
    if family == "lognormal":
        sigma = math.sqrt(math.log1p(cv * cv))
        mu = math.log(mean) - 0.5 * sigma * sigma
        with np.errstate(divide="ignore"):
            return special.ndtr((np.log(x) - mu - sigma * sigma) / sigma)
    if family == "weibull":
        k = Weibull.shape(cv)
        scale = mean / special.gamma(1.0 + 1.0 / k)
        return special.gammainc(1.0 + 1.0 / k, (x / scale) ** k)
    raise KeyError(f"no size-biased form for family {family!r}")


def integrated_cdf(family: str, mean: float, cv: float, days: np.ndarray) -> np.ndarray:
    """The integral of the distribution function from 0 to ``days`` (0 below 0)."""
    x = np.maximum(np.asarray(days, dtype=float), 0.0)
    return x * cdf(family, mean, cv, x) - mean * moment_cdf(family, mean, cv, x)


def loglik(family: str, mean: float, cv: float, lower: np.ndarray, upper: np.ndarray,
           peaked: np.ndarray | None = None) -> float:
    """The log-likelihood of the observations (days) under ``family``: the duration lies
    in (``lower``, ``upper``], evenly (flat), or where ``peaked`` with the triangular
    weight peaking mid-way (a start somewhere in its day: the whole days counted are the
    duration plus a uniform fraction, rounded down)."""
    finite = np.where(np.isinf(upper), 0.0, upper)
    high = np.where(np.isinf(upper), 1.0, cdf(family, mean, cv, finite))
    chance = high - cdf(family, mean, cv, lower)
    if peaked is not None and peaked.any():
        low, top = lower[peaked], upper[peaked]
        half = (top - low) / 2
        ramps = (integrated_cdf(family, mean, cv, top)
                 - 2 * integrated_cdf(family, mean, cv, low + half)
                 + integrated_cdf(family, mean, cv, low)) / half
        chance = chance.copy()
        chance[peaked] = ramps
    return float(np.sum(np.log(np.maximum(chance, FLOOR))))


def _start(family: str, lower: np.ndarray, upper: np.ndarray, held: float | None
           ) -> np.ndarray:
    """Starting coordinates: the mean of the interval midpoints, cv 0.5 (or near it)."""
    middle = np.where(np.isinf(upper), lower * 1.5 + 1.0, 0.5 * (lower + upper))
    theta = [math.log(max(float(np.mean(middle)), 0.05))]
    if held is not None:
        pass
    elif family in BOUNDED_LIMIT:
        theta.append(0.0)
    elif family not in ONE_PARAMETER:
        theta.append(math.log(0.5))
    return np.asarray(theta)


def _hessian(function, theta: np.ndarray, step: float = 1e-3) -> np.ndarray:
    """The central-difference Hessian of ``function`` at ``theta``."""
    size = len(theta)
    result = np.zeros((size, size))
    for i in range(size):
        for j in range(i, size):
            shift_i, shift_j = np.eye(size)[i] * step, np.eye(size)[j] * step
            value = (function(theta + shift_i + shift_j) - function(theta + shift_i - shift_j)
                     - function(theta - shift_i + shift_j) + function(theta - shift_i - shift_j))
            result[i, j] = result[j, i] = value / (4 * step * step)
    return result


def fit_family(family: str, lower: np.ndarray, upper: np.ndarray,
               held: float | None = None, peaked: np.ndarray | None = None
               ) -> DurationFit | None:
    """The maximum-likelihood fit of ``family`` to the observations (:func:`loglik`; cv
    ``held`` if given); None when the family cannot hold them (zero likelihood)."""
    def negative(theta: np.ndarray) -> float:
        mean, cv = _unpack(family, theta, held)
        with np.errstate(over="ignore", under="ignore"):  # far tails: 0 or 1, floored
            return -loglik(family, mean, cv, lower, upper, peaked)

    start = _start(family, lower, upper, held)
    method = "Nelder-Mead" if len(start) > 1 else "Powell"
    best = optimize.minimize(negative, start, method=method,
                             options={"xatol": 1e-4, "fatol": 1e-6, "maxiter": 400}
                             if method == "Nelder-Mead" else {"xtol": 1e-4})
    if not np.isfinite(best.fun) or best.fun > -len(lower) * math.log(FLOOR) * 0.5:
        return None
    theta = np.atleast_1d(best.x)
    mean, cv = _unpack(family, theta, held)
    intervals = _wald(family, negative, theta, held, len(lower))
    return DurationFit(family, mean, cv, intervals[0], intervals[1], len(lower),
                       int(np.isinf(upper).sum()), -float(best.fun),
                       2 * float(best.fun) + 2 * len(theta))


def _wald(family: str, negative, theta: np.ndarray, held: float | None, n: int) -> tuple:
    """95% intervals of (mean, cv) from the observed information at ``theta``, with the
    t quantile for ``n`` observations less the parameters (small records: wider)."""
    try:
        covariance = np.linalg.inv(_hessian(negative, theta))
        errors = np.sqrt(np.maximum(np.diag(covariance), 0.0))
    except np.linalg.LinAlgError:
        errors = np.full(len(theta), np.inf)
    errors = np.where(np.isfinite(errors), errors, 50.0)
    quantile = float(special.stdtrit(max(n - len(theta), 1), 0.975))
    low, high = theta - quantile * errors, theta + quantile * errors
    mean_ci = (_unpack(family, low, held)[0], _unpack(family, high, held)[0])
    if family in ONE_PARAMETER or held is not None:
        return mean_ci, None
    return mean_ci, (_unpack(family, low)[1], _unpack(family, high)[1])


def _constant_loglik(value: float, lower: np.ndarray, upper: np.ndarray,
                     peaked: np.ndarray) -> float:
    """The log-likelihood of a duration of exactly ``value`` days: 1 on a flat interval
    that holds it (ends included), the triangle's height on a peaked one (1 at its
    middle), else :data:`FLOOR`."""
    half = (upper - lower) / 2
    triangle = 1.0 - np.abs(value - (lower + half)) / np.where(peaked, half, 1.0)
    chance = np.where(peaked, triangle, 1.0)
    inside = (lower - 1e-9 <= value) & (value <= upper + 1e-9)
    return float(np.sum(np.log(np.maximum(np.where(inside, chance, 0.0), FLOOR))))


def fit_constant(lower: np.ndarray, upper: np.ndarray, peaked: np.ndarray
                 ) -> DurationFit | None:
    """The ``fixed`` duration that best holds every interval (see the module docstring),
    or None unless the values >= 0 inside them all span at most :data:`CONSTANT_SPREAD`."""
    low = max(float(np.max(lower)), 0.0)
    high = float(np.min(upper))
    finite = np.isfinite(upper)
    if not low <= high <= low + CONSTANT_SPREAD or np.any(upper[finite] - lower[finite]
                                                          > NARROW + 1e-9):
        return None
    middles = (lower + upper)[peaked] / 2
    values = np.unique(np.concatenate([np.linspace(low, high, CONSTANT_POINTS + 1),
                                       middles[(middles >= low) & (middles <= high)]]))
    logliks = np.array([_constant_loglik(v, lower, upper, peaked) for v in values])
    best = float(logliks.max())
    if best <= len(lower) * math.log(FLOOR) * 0.5:
        return None
    tied = values[logliks >= best - 1e-9]
    held = values[logliks >= best - LR_95]
    return DurationFit("fixed", float(np.median(tied)), 0.0,
                       (float(held.min()), float(held.max())), None, len(lower),
                       int(np.isinf(upper).sum()), best, 2.0 - 2.0 * best)


def _flat(fit: DurationFit, lower: np.ndarray, upper: np.ndarray) -> DurationFit:
    """A smooth ``fit`` that ran to a cv of 0, as the constant it found: its mean, with the
    values every finite interval holds (or the mean alone) as its interval."""
    low, high = max(float(np.max(lower)), 0.0), float(np.min(upper))
    interval = (low, high) if low <= fit.mean <= high else (fit.mean, fit.mean)
    return DurationFit("fixed", fit.mean, 0.0, interval, None, fit.n, fit.censored,
                       fit.loglik, fit.aic - 2.0)


def fit_duration(lower, upper, families: tuple[str, ...] = FIT_FAMILIES,
                 held: float | None = None, peaked=None) -> DurationFit | None:
    """The best (lowest AIC) of ``families`` and a constant (:func:`fit_constant`) fitted
    to the intervals (``lower``, ``upper``] (days; ``upper`` inf when right-censored;
    ``peaked``: a mask of the intervals weighted as a triangle, see :func:`loglik`), with
    the cv ``held`` if given; None without an interval-bounded observation."""
    upper = np.asarray(upper, dtype=float)
    peaked = (np.zeros(len(upper), dtype=bool) if peaked is None
              else np.asarray(peaked, dtype=bool) & np.isfinite(upper))
    lower = np.where(peaked, lower, np.maximum(np.asarray(lower, dtype=float), 0.0))
    upper = np.where(upper <= lower, lower + 1e-3, upper)
    if not np.isfinite(upper).any():
        return None
    constant = fit_constant(lower, upper, peaked)
    fits = [constant] if constant else []  # first: ties
    fits += [fit for family in families
             if (fit := fit_family(family, lower, upper, held, peaked))]
    best = min(fits, key=lambda fit: fit.aic) if fits else None
    if best is not None and best.family != "fixed" and best.cv < FLATTEST:
        return constant or _flat(best, lower, upper)  # not the smooth fit's absurd interval
    if best is not None and best.family != "fixed" and best.mean < SHORTEST and np.all(
            lower <= 0.0):
        end = float(np.min(upper))
        return DurationFit("fixed", 0.0, 0.0, (0.0, end), None, len(lower),
                           int(np.isinf(upper).sum()), 0.0, 2.0)
    return best
