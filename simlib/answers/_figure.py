"""A figure as every reader shows it: its value, its 95% CI (what luck does) and, when the
scenario has posterior draws, its 95% range over what we don't know."""

from __future__ import annotations

from dataclasses import dataclass

from simlib.experiments.uncertainty import Split


@dataclass(frozen=True)
class Figure:
    """One figure of an answer, in days unless its name says otherwise.

    ``ci95``: the 95% confidence interval from the simulation's noise; ``range95``: the
    95% range with what we don't know as well (None when the answer ran no draws; the CI
    itself when the draws fix every parameter); ``p_below_zero``: for a difference, the
    chance over what we don't know that it is below zero (None without draws)."""

    value: float
    ci95: tuple[float, float]
    range95: tuple[float, float] | None = None
    p_below_zero: float | None = None

    @classmethod
    def over_draws(cls, split: Split, chance: bool = False) -> Figure:
        """A figure estimated over the draws alone: its mean over them, the noise CI and
        the predictive range of ``split`` (and the chance it is below zero)."""
        return cls(split.value, tuple(split.ci95), tuple(split.predictive95),
                   split.p_below(0.0) if chance else None)

    @classmethod
    def with_range(cls, value: float, ci95: tuple[float, float], split: Split | None,
                   fixed: bool, chance: bool = False) -> Figure:
        """A figure whose value and CI come from its own runs and whose range comes from
        runs at the draws (``split``); when nothing is drawn (``fixed``) the range is the
        CI itself. No range without ``split``."""
        if split is None:
            return cls(value, ci95)
        range95 = ci95 if fixed else tuple(split.predictive95)
        return cls(value, ci95, range95, split.p_below(0.0) if chance else None)
