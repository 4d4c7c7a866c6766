"""Durations in scenario files, given by their mean (and coefficient of variation) in days."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import (
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simlib.formats.frozen import Frozen


class Distribution(Frozen):
    """A duration in days given by its mean (and coefficient of variation ``cv``).

    ``fixed`` and ``exponential`` need only ``mean``. ``uniform`` and ``triangular`` are
    symmetric around the mean with the given ``cv``; ``lognormal`` and ``gamma`` need ``cv > 0``.
    A bare number in a scenario file means ``fixed``.
    """

    dist: Literal["fixed", "exponential", "uniform", "triangular", "lognormal", "gamma"]
    mean: float = Field(ge=0.0)
    cv: float | None = Field(default=None, ge=0.0)

    @model_validator(mode="before")
    @classmethod
    def _number_is_fixed(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"dist": "fixed", "mean": value}
        return value

    @model_validator(mode="after")
    def _check_cv(self) -> Distribution:
        limits = {"uniform": 1 / math.sqrt(3), "triangular": 1 / math.sqrt(6)}
        if self.dist in ("fixed", "exponential"):
            if self.cv is not None and self.cv != (0.0 if self.dist == "fixed" else 1.0):
                raise PydanticCustomError(
                    "cv", "{dist} has no cv to set; remove cv or pick another dist",
                    {"dist": self.dist},
                )
        elif self.cv is None:
            raise PydanticCustomError("cv", "{dist} needs a cv, e.g. cv: 0.5", {"dist": self.dist})
        elif self.dist in limits and self.cv > limits[self.dist] + 1e-12:
            raise PydanticCustomError(
                "cv",
                f"cv of a {self.dist} must be <= {limits[self.dist]:.3f} "
                f"(else durations go negative), got {self.cv:g}",
            )
        elif self.dist in ("lognormal", "gamma") and self.cv <= 0:
            raise PydanticCustomError(
                "cv", "cv of a {dist} must be > 0 (use dist: fixed for no spread)",
                {"dist": self.dist},
            )
        return self

    @property
    def spread(self) -> float:
        """The coefficient of variation (0 for fixed, 1 for exponential)."""
        return {"fixed": 0.0, "exponential": 1.0}.get(self.dist, self.cv or 0.0)


