"""Demand estimates: per pathway ``per_year``, the level ``mix`` and monthly
``seasonality`` (methods in :mod:`simlib.fitting.chances`)."""

from __future__ import annotations

import pandas as pd

from simlib.fitting.chances import Chance, poisson_rate, seasonality
from simlib.fitting.durations import round_significant
from simlib.fitting.record import Record
from simlib.fitting.result import Parameter, Setting
from simlib.formats.words import significant, significant_span
from simlib.scenario import Scenario


def first_arrivals(record: Record) -> pd.DataFrame:
    """One row per proposal: pathway, level and the date of its first arrival."""
    visits = record.visits.sort_values(["arrived", "row"], kind="stable")
    return visits.groupby("proposal", sort=False)[["pathway", "level", "arrived"]].first()


def fit_demand(record: Record, base: Scenario) -> tuple[list[Parameter], list[Setting]]:
    """The demand parameters and settings of every pathway of ``base``."""
    proposals = first_arrivals(record)
    earliest = proposals["arrived"].idxmin() if len(proposals) else None
    parameters, settings = [], []
    for pathway, demand in base.demand.items():
        mine = proposals[proposals["pathway"] == pathway]
        count = len(mine) - (1 if earliest in mine.index else 0)
        if count <= 0:
            continue
        rate, ci95 = poisson_rate(count, record.span_days - 0.5)
        path = f"demand.{pathway}.per_year"
        parameters.append(Parameter(path, round_significant(rate), ci95, count,
                                    "arrivals per 365 days, exact Poisson", demand.per_year))
        settings.append(Setting(path, round_significant(rate), f"95% CI {significant_span(*ci95)}, "
                                f"n={count} proposals, exact Poisson"))
        found = _mix(pathway, mine, demand.mix)
        parameters += found[0]
        settings += found[1]
        found = _seasonality(record, pathway, mine, demand.seasonality)
        parameters += found[0]
        settings += found[1]
    return parameters, settings


def _mix(pathway: str, mine: pd.DataFrame, mix: dict) -> tuple[list, list]:
    """The level shares of ``pathway`` (Clopper-Pearson) when the base has a mix."""
    levels = mine[mine["level"].isin(list(mix))]["level"]
    if not mix or levels.empty:
        return [], []
    parameters, shares, notes = [], {}, []
    for level in mix:
        chance = Chance(int((levels == level).sum()), len(levels))
        path = f"demand.{pathway}.mix.{level}"
        parameters.append(Parameter(path, round(chance.value, 3), chance.ci95, chance.n,
                                    "share of proposals, Clopper-Pearson", mix[level]))
        shares[level] = round(chance.value, 3)
        notes.append(f"{level} {significant_span(*chance.ci95)}")
    last = list(shares)[-1]
    shares[last] = round(1.0 - sum(v for k, v in shares.items() if k != last), 3)
    comment = f"95% CI {', '.join(notes)}, n={len(levels)}, Clopper-Pearson"
    return parameters, [Setting(f"demand.{pathway}.mix", shares, comment)]


def _seasonality(record: Record, pathway: str, mine: pd.DataFrame, base) -> tuple[list, list]:
    """The monthly weights of ``pathway`` when the record shows months differ."""
    start = pd.Timestamp(record.start)
    found = seasonality(mine["arrived"], start, pd.Timestamp(record.as_of))
    if found is None:
        return [], []
    weights, intervals, pvalue = found
    counts = mine["arrived"].dt.month.value_counts()
    parameters = [
        Parameter(f"demand.{pathway}.seasonality.{month}", round(weight, 2), ci95,
                  int(counts.get(month + 1, 0)), "monthly rate over the mean rate, exact "
                  "Poisson", None if base is None else round(base[month] * 12 / sum(base), 3))
        for month, (weight, ci95) in enumerate(zip(weights, intervals, strict=True))]
    comment = (f"months differ (chi-square p={significant(pvalue, 2)}), n={len(mine)} proposals; "
               "weights average 1, each month's 95% CI in the fit's JSON")
    rounded = [round(weight, 2) for weight in weights]
    return parameters, [Setting(f"demand.{pathway}.seasonality", rounded, comment)]
