"""Duration distributions given by mean and coefficient of variation, sampled by inversion.

Every draw is the inverse CDF of one uniform number from the sampler's own stream, so two
scenarios that differ only in a distribution's parameters still draw matching quantiles
(common random numbers stay in step). Uniforms are drawn and transformed in blocks for speed.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import special

from simlib.scenario import Distribution

BLOCK = 256


def inverse_cdf(spec: Distribution) -> Callable[[np.ndarray], np.ndarray]:
    """The quantile function of ``spec``: uniforms in [0, 1) to durations in days (>= 0)."""
    mean = spec.mean
    cv = spec.spread
    if spec.dist == "fixed" or mean == 0.0:
        return lambda u: np.full_like(u, mean)
    if spec.dist == "exponential":
        return lambda u: -mean * np.log1p(-u)
    if spec.dist == "uniform":
        half_width = mean * cv * math.sqrt(3.0)
        return lambda u: mean + half_width * (2.0 * u - 1.0)
    if spec.dist == "triangular":
        half_width = mean * cv * math.sqrt(6.0)
        return lambda u: np.where(
            u < 0.5,
            mean - half_width + half_width * np.sqrt(2.0 * u),
            mean + half_width - half_width * np.sqrt(2.0 * (1.0 - u)),
        )
    if spec.dist == "lognormal":
        sigma = math.sqrt(math.log1p(cv * cv))
        mu = math.log(mean) - 0.5 * sigma * sigma
        return lambda u: np.exp(mu + sigma * special.ndtri(u))
    shape = 1.0 / (cv * cv)
    scale = mean / shape
    return lambda u: scale * special.gammaincinv(shape, u)


class Sampler:
    """Draws one value at a time from ``transform(uniforms)`` using generator ``rng``."""

    __slots__ = ("_buffer", "_index", "_rng", "_transform")

    def __init__(self, rng: np.random.Generator, transform: Callable | None = None):
        self._rng = rng
        self._transform = transform
        self._buffer: list[float] = []
        self._index = 0

    def __call__(self) -> float:
        if self._index >= len(self._buffer):
            uniforms = self._rng.random(BLOCK)
            values = uniforms if self._transform is None else self._transform(uniforms)
            self._buffer = values.tolist()
            self._index = 0
        value = self._buffer[self._index]
        self._index += 1
        return value


def duration_sampler(spec: Distribution, rng: np.random.Generator) -> Callable[[], float]:
    """A zero-argument callable returning durations (days) drawn from ``spec``."""
    if spec.dist == "fixed" or spec.mean == 0.0:
        mean = spec.mean
        return lambda: mean
    return Sampler(rng, inverse_cdf(spec))


def uniform_sampler(rng: np.random.Generator) -> Callable[[], float]:
    """A zero-argument callable returning uniform numbers in [0, 1)."""
    return Sampler(rng)
