"""Duration distributions given by mean and coefficient of variation, sampled by inversion.

Every draw is the inverse CDF of one uniform number from the sampler's own stream, so two
scenarios that differ only in a distribution's parameters still draw matching quantiles
(common random numbers stay in step). Uniforms are drawn and transformed in blocks for speed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from simlib.scenario import Distribution

BLOCK = 256


def inverse_cdf(spec: Distribution) -> Callable[[np.ndarray], np.ndarray]:
    """The quantile function of ``spec``: uniforms in [0, 1) to durations in days (>= 0)."""
    return spec.quantile()


class Sampler:
    """Draws one value at a time from ``transform(uniforms)`` using generator ``rng``."""

    __slots__ = ("_block", "_buffer", "_index", "_rng", "_transform")

    def __init__(self, rng: np.random.Generator, transform: Callable | None = None,
                 block: int = BLOCK):
        self._rng = rng
        self._transform = transform
        self._block = block
        self._buffer: list[float] = []
        self._index = 0

    def __call__(self) -> float:
        if self._index >= len(self._buffer):
            uniforms = self._rng.random(self._block)
            values = uniforms if self._transform is None else self._transform(uniforms)
            self._buffer = values.tolist()
            self._index = 0
        value = self._buffer[self._index]
        self._index += 1
        return value


def duration_sampler(spec: Distribution, rng: np.random.Generator,
                     block: int = BLOCK) -> Callable[[], float]:
    """A zero-argument callable returning durations (days) drawn from ``spec`` (uniforms
    drawn ``block`` at a time)."""
    if spec.constant:
        mean = spec.mean
        return lambda: mean
    return Sampler(rng, inverse_cdf(spec), block)


def uniform_sampler(rng: np.random.Generator, block: int = BLOCK) -> Callable[[], float]:
    """A zero-argument callable returning uniform numbers in [0, 1)."""
    return Sampler(rng, None, block)
