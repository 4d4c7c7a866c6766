"""Demand estimates: per pathway ``per_year``, the level ``mix`` and monthly
``seasonality`` (methods in :mod:`simlib.fitting.chances`), fitted over the record's span
(its first arrival to its export date, stated in each comment). A rate needs at least
:data:`MIN_PROPOSALS` proposals over :data:`MIN_SPAN_DAYS` days; below that the base's
demand stays and the shortfall is said."""

from __future__ import annotations

import pandas as pd

from simlib.fitting.chances import Chance, poisson_rate, seasonality
from simlib.fitting.durations import round_significant
from simlib.fitting.record import Record
from simlib.fitting.result import Estimates, Parameter, Setting
from simlib.formats.words import fixed, significant, significant_span
from simlib.scenario import Scenario

MIN_PROPOSALS = 5  # after the first: fewer, and a rate is not fitted
MIN_SPAN_DAYS = 90  # calendar days of record a rate needs


def first_arrivals(record: Record) -> pd.DataFrame:
    """One row per proposal: pathway, level and the date of its first arrival."""
    visits = record.visits.sort_values(["arrived", "row"], kind="stable")
    return visits.groupby("proposal", sort=False)[["pathway", "level", "arrived"]].first()


def span_words(record: Record) -> str:
    """The span demand is fitted over, e.g. "over 2018-09-05 to 2026-08-18 (7.95 years)"."""
    return (f"over {record.start.isoformat()} to {record.as_of.isoformat()} "
            f"({fixed(record.span_days / 365.25, 2)} years)")


def fit_demand(record: Record, base: Scenario) -> Estimates:
    """The demand parameters, settings and shortfalls of every pathway of ``base``."""
    proposals = first_arrivals(record)
    earliest = proposals["arrived"].idxmin() if len(proposals) else None
    found = Estimates()
    for pathway, demand in base.demand.items():
        mine = proposals[proposals["pathway"] == pathway]
        count = len(mine) - (1 if earliest in mine.index else 0)
        path = f"demand.{pathway}.per_year"
        if count < MIN_PROPOSALS or record.span_days < MIN_SPAN_DAYS:
            if len(mine):
                found.shortfalls.append(
                    f"{path}: {max(count, 0)} arrivals after the record's first "
                    f"{span_words(record)}; a rate needs {MIN_PROPOSALS} over "
                    f"{MIN_SPAN_DAYS} days or more: the base's "
                    f"{significant(demand.per_year, 3)} a year stays")
            continue
        rate, ci95 = poisson_rate(count, record.span_days - 0.5)
        found.parameters.append(Parameter(path, round_significant(rate), ci95, count,
                                          "arrivals per 365 days, exact Poisson",
                                          demand.per_year))
        found.settings.append(Setting(path, round_significant(rate),
                                      f"95% CI {significant_span(*ci95)}, n={count} proposals "
                                      f"{span_words(record)}, exact Poisson"))
        for parameters, settings in (_mix(pathway, mine, demand.mix),
                                     _seasonality(record, pathway, mine, demand.seasonality)):
            found.parameters += parameters
            found.settings += settings
    return found


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
