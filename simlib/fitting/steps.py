"""Per-step estimates: ``revise.p`` (and whether it changes by round), ``withdraw_p`` and
``revise.rework_days`` (methods in :mod:`simlib.fitting.chances` and
:mod:`simlib.fitting.observations`; a rework time from fewer than 5 returns is not fitted,
the base's stays)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simlib.fitting.chances import Chance, rounds_differ
from simlib.fitting.durations import fit_duration
from simlib.fitting.observations import rework_intervals
from simlib.fitting.record import Record, step_specs
from simlib.fitting.result import Parameter, Setting
from simlib.fitting.reviews import MIN_OBSERVATIONS, duration_entries
from simlib.formats.words import fixed, significant, significant_span
from simlib.scenario import Scenario, Step

CHANCE_METHOD = "share of decided visits, Clopper-Pearson"
ROUNDS_DIFFER = 0.01  # p-value of the by-round test: strict, as every step is tested


def fit_steps(record: Record, base: Scenario) -> tuple[list[Parameter], list[Setting]]:
    """The decision and rework parameters and settings of every step the record visits."""
    parameters, settings = [], []
    for (pathway, label), step in step_specs(base).items():
        visits = record.visits[(record.visits["pathway"] == pathway)
                               & (record.visits["step"] == label)]
        decided = visits[visits["decision"] != ""]
        if decided.empty:
            continue
        prefix = f"pathways.{pathway}.{label}"
        found = _revise(record, prefix, step, visits, decided)
        parameters += found[0]
        settings += found[1]
        withdraw = Chance(int((decided["decision"] == "withdraw").sum()), len(decided))
        parameters.append(Parameter(f"{prefix}.withdraw_p", round(withdraw.value, 3),
                                    withdraw.ci95, withdraw.n, CHANCE_METHOD, step.withdraw_p))
        if withdraw.k or step.withdraw_p:
            settings.append(_chance_setting(f"{prefix}.withdraw_p", withdraw))
    return parameters, settings


def _chance_setting(path: str, chance: Chance, note: str = "") -> Setting:
    return Setting(path, round(chance.value, 3), f"95% CI {significant_span(*chance.ci95)}, "
                   f"n={chance.n}, {CHANCE_METHOD}{note}")


def _by_round(decided: pd.DataFrame) -> tuple[dict, str]:
    """Revision chances of round 0 and later rounds, when a likelihood-ratio test says they
    differ: (JSON details, comment note); else ({}, "")."""
    revised = decided["decision"] == "revise"
    first = decided["round"] == 0
    chances = (Chance(int(revised[first].sum()), int(first.sum())),
               Chance(int(revised[~first].sum()), int((~first).sum())))
    pvalue = rounds_differ(*chances)
    if pvalue >= ROUNDS_DIFFER:
        return {}, ""
    extra = {"by_round": {"0": round(chances[0].value, 3), "1+": round(chances[1].value, 3),
                          "p_value": pvalue}}
    note = (f"; differs by round (round 0: {fixed(chances[0].value, 3)}, later: "
            f"{fixed(chances[1].value, 3)}, LR test p={significant(pvalue, 2)}), one chance for "
            "all rounds")
    return extra, note


def _revise(record: Record, prefix: str, step: Step, visits: pd.DataFrame,
            decided: pd.DataFrame) -> tuple[list, list]:
    """revise.p and rework_days of one step."""
    chance = Chance(int((decided["decision"] == "revise").sum()), len(decided))
    base_p = step.revise.p if step.revise else 0.0
    extra, note = _by_round(decided)
    parameters = [Parameter(f"{prefix}.revise.p", round(chance.value, 3), chance.ci95,
                            chance.n, CHANCE_METHOD, base_p, extra)]
    if not chance.k:
        settings = [_chance_setting(f"{prefix}.revise.p", chance, note)] if step.revise else []
        return parameters, settings
    lower, upper, peaked = rework_intervals(record, visits)
    few = np.isfinite(upper).sum() < MIN_OBSERVATIONS and step.revise is not None
    rework = None if few else fit_duration(lower, upper, peaked=peaked)
    if rework is None:  # too few reworks to fit: the base's rework time stays
        settings = [_chance_setting(f"{prefix}.revise.p", chance, note)] if step.revise else []
        return parameters, settings
    base_rework = step.revise.rework_days if step.revise else None
    found = duration_entries(f"{prefix}.revise.rework_days", rework, base_rework,
                             "calendar days")
    parameters += found[0]
    if step.revise is None:
        whole = {"p": round(chance.value, 3), "rework_days": rework.spec()}
        comment = (f"p 95% CI {significant_span(*chance.ci95)}, n={chance.n}; "
                   f"{found[1][0].comment}")
        return parameters, [Setting(f"{prefix}.revise", whole, comment)]
    return parameters, [_chance_setting(f"{prefix}.revise.p", chance, note), *found[1]]
