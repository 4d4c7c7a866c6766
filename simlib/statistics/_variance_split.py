"""What luck does and what we don't know: a figure estimated at each of several parameter
draws, its variance split into simulation noise and parameters.

Each draw ``d`` gives an estimate ``m_d`` with a noise variance ``v_d``. By the law of
total variance (a one-way random-effects split), the figure is ``g = mean_d m_d``, its noise
CI is ``g +- z sqrt(mean_d v_d / D)``, and the spread of the ``m_d`` beyond the noise is the
parameters'. A smoother (a metamodel of ``m_d`` on the draws' parameters, given by the
caller) averages the noise out across draws; what it leaves unexplained is kept only beyond
the noise (shrunk by ``sqrt(max(0, s2 - mean v) / s2)``, ``s2`` the residuals' variance).
The predictive interval takes the 2.5% and 97.5% points of the shrunk draws, widened in
quadrature by the noise CI's half-width. References: Barton, Nelson & Xie (2014),
"Quantifying input uncertainty via simulation confidence intervals", INFORMS Journal on
Computing 26(1), 74-87; Searle, Casella & McCulloch (1992), *Variance Components*,
chapter 3 (the one-way random-effects model).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

Z95 = 1.959963984540054  # the 97.5% point of the standard normal

Smoother = Callable[[np.ndarray, np.ndarray | None], np.ndarray]


@dataclass(frozen=True)
class Split:
    """A figure over the draws: ``value`` (its mean over the draws), ``ci95`` (simulation
    noise only), ``predictive95`` (noise and parameters), ``parameter_variance`` and
    ``noise_variance`` (of the estimate), and the ``shrunk`` draw values (noise removed);
    all in the figure's units (variances squared)."""

    value: float
    ci95: tuple[float, float]
    predictive95: tuple[float, float]
    parameter_variance: float
    noise_variance: float
    shrunk: np.ndarray

    def p_below(self, threshold: float = 0.0) -> float:
        """Chance (a fraction) that the figure is below ``threshold`` over what we don't
        know, each shrunk draw smoothed by the estimate's noise."""
        if not self.shrunk.size:
            return math.nan
        scale = math.sqrt(self.noise_variance)
        if scale == 0.0:
            return float(np.mean(self.shrunk < threshold))
        return float(np.mean(special.ndtr((threshold - self.shrunk) / scale)))

    def negated(self) -> Split:
        """The same figure with its sign turned (e.g. a difference read as a saving)."""
        return Split(-self.value, (-self.ci95[1], -self.ci95[0]),
                     (-self.predictive95[1], -self.predictive95[0]), self.parameter_variance,
                     self.noise_variance, -self.shrunk)


def variance_split(values: np.ndarray, noise: np.ndarray, fixed: bool = False,
                   inputs: np.ndarray | None = None,
                   smoother: Smoother | None = None) -> Split:
    """The :class:`Split` of per-draw estimates ``values`` whose noise variances are
    ``noise`` (draws with an undefined estimate are left out). ``fixed``: no parameter
    varies across the draws, so their spread is noise alone and the range is the CI.
    ``smoother(values, inputs)``: the figure at each kept draw as a smooth function of
    ``inputs`` (the draws' parameters, draws x parameters); without one, their mean."""
    keep = np.isfinite(values) & np.isfinite(noise)
    values, noise = np.asarray(values, float)[keep], np.asarray(noise, float)[keep]
    if values.size < 2:
        nan = (math.nan, math.nan)
        centre = float(values[0]) if values.size else math.nan
        return Split(centre, nan, nan, math.nan, math.nan, values)
    centre = float(values.mean())
    noise_of_mean = float(noise.mean()) / values.size
    if fixed or smoother is None:
        smooth = np.full(values.size, centre)
    else:
        smooth = smoother(values, None if inputs is None else np.asarray(inputs)[keep])
    residual = values - smooth
    spread = float(residual.var(ddof=1))
    unexplained = 0.0 if fixed else max(0.0, spread - float(noise.mean()))
    shrink = math.sqrt(unexplained / spread) if spread > 0 else 0.0
    shrunk = smooth + shrink * residual
    half = Z95 * math.sqrt(noise_of_mean)
    low, high = np.percentile(shrunk, [2.5, 97.5])
    predictive = (centre - math.hypot(centre - low, half),
                  centre + math.hypot(high - centre, half))
    return Split(centre, (centre - half, centre + half), predictive,
                 float(shrunk.var(ddof=1)), noise_of_mean, shrunk)


def variance_shares(samples: Sequence[np.ndarray],
                    parameter_variance: float) -> dict[str, float]:
    """Shares (fractions) of one value's variance due to luck (the mean variance within a
    draw, over the ``samples`` of the draws with 2 values or more) and to parameters
    (``parameter_variance``); NaN when the total is not positive."""
    luck = float(np.mean([sample.var(ddof=1) for sample in samples if sample.size > 1]))
    total = luck + parameter_variance
    if not math.isfinite(total) or total <= 0:
        return {"luck": math.nan, "parameters": math.nan}
    return {"luck": luck / total, "parameters": parameter_variance / total}
