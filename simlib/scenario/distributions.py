"""Durations in scenario files, given by their mean (and coefficient of variation) in days.

Each distribution family is one :class:`Family` subclass, registered in :data:`FAMILIES` by
its ``name``: its cv rule (checked when a scenario loads), its ``spread`` (the cv it has) and
its quantile function (uniforms in [0, 1) to durations in days, >= 0), which the engine's
samplers call. A new family is one more subclass; ``dist`` accepts exactly the registered
names. numpy and scipy are imported only when a quantile function is built (by the engine).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import (
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simlib.formats.frozen import Frozen
from simlib.formats.numbers import bounded, shown

MAX_MEAN_DAYS = 3650  # ten years: a longer review or rework is a typo
MAX_CV = 100.0  # a larger spread is a typo (weibull's shape cannot be solved past it)

Quantile = Callable[[Any], Any]  # numpy array of uniforms -> numpy array of days

FAMILIES: dict[str, type[Family]] = {}  # name -> family, in definition order


def get_family(name: str) -> type[Family]:
    """The family registered as ``name``; KeyError naming the registered ones if none is."""
    try:
        return FAMILIES[name]
    except KeyError:
        raise KeyError(
            f"no distribution family {name!r}; registered: {', '.join(FAMILIES)}"
        ) from None


class Family:
    """A distribution family given by mean and cv. Subclasses set ``name`` (registering
    themselves) and define :meth:`quantile`; :meth:`check` and :meth:`spread` default to
    "needs a cv" and "the given cv"."""

    name: ClassVar[str]
    constant: ClassVar[bool] = False  # every draw is the mean (no uniforms needed)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            FAMILIES[cls.name] = cls

    @classmethod
    def check(cls, cv: float | None) -> None:
        """Raise a PydanticCustomError if ``cv`` does not suit the family."""
        if cv is None:
            raise PydanticCustomError("cv", "{dist} needs a cv, e.g. cv: 0.5", {"dist": cls.name})

    @classmethod
    def spread(cls, cv: float | None) -> float:
        """The coefficient of variation of a duration given ``cv``."""
        return cv or 0.0

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        """The quantile function for ``mean`` > 0 and ``cv`` (= :meth:`spread`)."""
        raise NotImplementedError


class _NoCv(Family):
    """A family whose cv is fixed by its shape; a cv given must be that one."""

    own_cv: ClassVar[float]

    @classmethod
    def check(cls, cv: float | None) -> None:
        if cv is not None and cv != cls.own_cv:
            raise PydanticCustomError(
                "cv", "{dist} has no cv to set; remove cv or pick another dist",
                {"dist": cls.name},
            )

    @classmethod
    def spread(cls, cv: float | None) -> float:
        return cls.own_cv


class _Bounded(Family):
    """A symmetric family on [mean - w, mean + w]: cv <= ``limit`` keeps durations >= 0."""

    limit: ClassVar[float]

    @classmethod
    def check(cls, cv: float | None) -> None:
        super().check(cv)
        if cv > cls.limit + 1e-12:
            raise PydanticCustomError(
                "cv",
                f"cv of a {cls.name} must be <= {cls.limit:.3f} "
                f"(else durations go negative), got {cv:g}",
            )


class _Positive(Family):
    """A family that needs cv > 0."""

    @classmethod
    def check(cls, cv: float | None) -> None:
        super().check(cv)
        if cv <= 0:
            raise PydanticCustomError(
                "cv", "cv of a {dist} must be > 0 (use dist: fixed for no spread)",
                {"dist": cls.name},
            )


class Fixed(_NoCv):
    """Always the mean."""

    name = "fixed"
    own_cv = 0.0
    constant = True

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        import numpy as np

        return lambda u: np.full_like(u, mean)


class Exponential(_NoCv):
    """Memoryless: cv 1."""

    name = "exponential"
    own_cv = 1.0

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        import numpy as np

        return lambda u: -mean * np.log1p(-u)


class Uniform(_Bounded):
    """Flat on mean +- mean x cv x sqrt(3)."""

    name = "uniform"
    limit = 1 / math.sqrt(3)

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        half_width = mean * cv * math.sqrt(3.0)
        return lambda u: mean + half_width * (2.0 * u - 1.0)


class Triangular(_Bounded):
    """Symmetric triangle on mean +- mean x cv x sqrt(6), peaked at the mean."""

    name = "triangular"
    limit = 1 / math.sqrt(6)

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        import numpy as np

        half_width = mean * cv * math.sqrt(6.0)
        return lambda u: np.where(
            u < 0.5,
            mean - half_width + half_width * np.sqrt(2.0 * u),
            mean + half_width - half_width * np.sqrt(2.0 * (1.0 - u)),
        )


class Lognormal(_Positive):
    """Right-skewed, log of the duration normal."""

    name = "lognormal"

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        import numpy as np
        from scipy import special

        sigma = math.sqrt(math.log1p(cv * cv))
        mu = math.log(mean) - 0.5 * sigma * sigma
        return lambda u: np.exp(mu + sigma * special.ndtri(u))


class Gamma(_Positive):
    """Right-skewed, shape 1 / cv^2."""

    name = "gamma"

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        from scipy import special

        shape = 1.0 / (cv * cv)
        scale = mean / shape
        return lambda u: scale * special.gammaincinv(shape, u)


class Weibull(_Positive):
    """Shape k solved from the cv (cv <= 100), scale mean / Gamma(1 + 1/k)."""

    name = "weibull"
    limit: ClassVar[float] = MAX_CV

    @classmethod
    def check(cls, cv: float | None) -> None:
        super().check(cv)
        if cv > cls.limit:
            raise PydanticCustomError(
                "cv", f"cv of a weibull must be <= {cls.limit:g}, got {cv:g}"
            )

    @staticmethod
    def shape(cv: float) -> float:
        """The shape k with sqrt(Gamma(1 + 2/k) / Gamma(1 + 1/k)^2 - 1) = ``cv``."""
        from scipy import optimize, special

        def excess(k: float) -> float:
            ratio = special.gammaln(1.0 + 2.0 / k) - 2.0 * special.gammaln(1.0 + 1.0 / k)
            return math.sqrt(max(math.expm1(ratio), 0.0)) - cv

        low, high = 0.1, 1e9  # cv about 430 and 1.3e-9
        if excess(high) >= 0.0:
            return high
        return optimize.brentq(excess, low, high, xtol=1e-14, rtol=1e-14, maxiter=500)

    @classmethod
    def quantile(cls, mean: float, cv: float) -> Quantile:
        import numpy as np
        from scipy import special

        k = cls.shape(cv)
        scale = mean / special.gamma(1.0 + 1.0 / k)
        return lambda u: scale * (-np.log1p(-u)) ** (1.0 / k)


class Distribution(Frozen):
    """A duration in days given by its mean (and coefficient of variation ``cv``).

    ``fixed`` and ``exponential`` need only ``mean``. ``uniform`` and ``triangular`` are
    symmetric around the mean with the given ``cv``; ``lognormal``, ``gamma`` and ``weibull``
    need ``cv > 0``. A bare number in a scenario file means ``fixed``. ``dist`` is one of the
    registered :data:`FAMILIES`.
    """

    dist: Literal[tuple(FAMILIES)]  # type: ignore[valid-type]
    mean: bounded(MAX_MEAN_DAYS, "days", ge=0.0) = Field(description="mean days")
    cv: bounded(ge=0.0) | None = None

    @model_validator(mode="before")
    @classmethod
    def _number_is_fixed(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"dist": Fixed.name, "mean": value}
        return value

    @model_validator(mode="after")
    def _check_cv(self) -> Distribution:
        self.family.check(self.cv)
        if self.cv is not None and self.cv > MAX_CV:
            raise PydanticCustomError(
                "cv", f"cv must be at most {MAX_CV:g}, got {shown(self.cv)}")
        return self

    @property
    def family(self) -> type[Family]:
        """The family class of ``dist``."""
        return get_family(self.dist)

    @property
    def spread(self) -> float:
        """The coefficient of variation (0 for fixed, 1 for exponential)."""
        return self.family.spread(self.cv)

    @property
    def constant(self) -> bool:
        """True if every draw is the mean (fixed, or mean 0)."""
        return self.family.constant or self.mean == 0.0

    def quantile(self) -> Quantile:
        """Uniforms in [0, 1) to durations in days (>= 0: a bounded family's lower end is
        held at 0 even where rounding a subnormal mean would put it a hair below)."""
        if self.constant:
            return Fixed.quantile(self.mean, 0.0)
        inner = self.family.quantile(self.mean, self.spread)
        return lambda uniforms: np.maximum(inner(uniforms), 0.0)
