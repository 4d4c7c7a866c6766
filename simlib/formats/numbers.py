"""Numbers in input files: finite, never ``yes``/``no`` or text, and within a sane bound.

:func:`bounded` makes a pydantic type for one kind of setting, e.g.
``bounded(10_000, "proposals a year", ge=0)``; a value past the bound is refused with the
bound in the message (``must be at most 10000 proposals a year, got 1e+09``), so a typo
cannot make a run take for ever. Lower bounds use pydantic's own ``ge``/``gt`` (messages
``must be >= 1, got 0``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

LARGE = 10**15  # whole numbers past this are shown as 1e+15


def shown(value: float) -> str:
    """A number as a message shows it: whole numbers as written up to 10^15, others as
    ``%g`` (never the digits of a huge whole number)."""
    if isinstance(value, int) and abs(value) < LARGE:
        return str(value)
    try:
        return f"{float(value):g}"
    except OverflowError:
        return "a number too large to show"


def _plain_number(whole: bool):
    """A before-validator: refuse true/false, text, infinity and NaN (and fractions where
    ``whole``), naming what was given."""

    def check(value: Any) -> Any:
        wanted = "a whole number" if whole else "a number"
        if isinstance(value, bool):
            raise PydanticCustomError("number", f"must be {wanted}, got {str(value).lower()} "
                                      "(YAML reads yes/no as true/false)")
        if not isinstance(value, int | float):
            given = repr(value) if isinstance(value, str) else type(value).__name__
            raise PydanticCustomError("number", f"must be {wanted}, got {given[:60]}")
        if isinstance(value, float) and not math.isfinite(value):
            raise PydanticCustomError("number", f"must be a finite number, got {value}")
        if whole and isinstance(value, float):
            if not value.is_integer():
                raise PydanticCustomError("number", f"must be a whole number, got {value:g}")
            value = int(value)
        return value

    return check


def _at_most(high: float, unit: str):
    def check(value: float) -> float:
        if value > high:
            words = f"{shown(high)} {unit}".rstrip()
            raise PydanticCustomError(
                "too_large", f"must be at most {words}, got {shown(value)}")
        return value

    return check


@dataclass(frozen=True)
class AtMost:
    """The upper bound of a :func:`bounded` number, kept in its type's metadata for readers
    of the schema (the explorer's controls); pydantic ignores it."""

    high: float
    unit: str


def bounded(high: float | None = None, unit: str = "", *, whole: bool = False,
            **lower: Any) -> Any:
    """A number type: finite, not true/false or text; at most ``high`` (in ``unit``, e.g.
    ``"days"``) when given; ``lower``: pydantic bounds such as ``ge=0`` or ``gt=0`` (and
    ``le`` for a bound whose message needs no unit, e.g. a probability)."""
    kind = int if whole else float
    checks: list[Any] = [BeforeValidator(_plain_number(whole)), Field(**lower)]
    if high is not None:
        checks += [AfterValidator(_at_most(high, unit)), AtMost(high, unit)]
    return Annotated[kind, *checks]


Probability = bounded(ge=0.0, le=1.0)
