"""Per-step estimates: ``revise.p`` (and whether it changes by round), ``withdraw_p`` and
``revise.rework_days`` (methods in :mod:`simlib.fitting.chances` and
:mod:`simlib.fitting.observations`).

Minimum evidence, each shortfall said in one line: chances need :data:`MIN_DECISIONS`
decisions at the step and at least one approval (chances of a step that never approves
would stop its pathway: such a step, or a whole pathway where nothing was approved, is
reported and the base's chances stay); a rework time needs 5 returns (the base's stays, or
with none in the base, ``revise`` is not set).

The settings address each step by its ``set`` path (:func:`~simlib.fitting.record.step_paths`);
a step the base gives by its body alone (``- dean``, a single value in the file) gains its
fitted values as one mapping (``pathways.credit.dean: {body: dean, withdraw_p: 0.05}``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simlib.fitting.chances import Chance, rounds_differ
from simlib.fitting.durations import fit_duration
from simlib.fitting.observations import rework_intervals
from simlib.fitting.record import Record, step_paths, step_specs
from simlib.fitting.result import Estimates, Parameter, Setting
from simlib.fitting.reviews import MIN_OBSERVATIONS, duration_entries, few_words
from simlib.formats.words import fixed, plural, significant, significant_span
from simlib.scenario import Scenario, Step

CHANCE_METHOD = "share of decided visits, Clopper-Pearson"
ROUNDS_DIFFER = 0.01  # p-value of the by-round test: strict, as every step is tested
MIN_DECISIONS = 5  # decisions at a step its chances need


def fit_steps(record: Record, base: Scenario) -> Estimates:
    """The decision and rework parameters, settings and shortfalls of every step the record
    decides."""
    found = Estimates()
    visits = record.visits
    approving = set(visits.loc[visits["decision"] == "approve", "pathway"])
    for pathway in sorted(set(visits.loc[visits["decision"] != "", "pathway"]) - approving):
        found.shortfalls.append(
            f"pathways.{pathway}: no decision in the record approved (every one withdraw or "
            "revise): its steps' chances are not fitted, the base's stay; check the "
            "record's decisions")
    paths = step_paths(base)
    for (pathway, label), step in step_specs(base).items():
        mine = visits[(visits["pathway"] == pathway) & (visits["step"] == label)]
        decided = mine[mine["decision"] != ""]
        if decided.empty or pathway not in approving:
            continue
        found.add(_step(record, paths[(pathway, label)], step, mine, decided))
    return found


def _step(record: Record, prefix: str, step: Step, visits: pd.DataFrame,
          decided: pd.DataFrame) -> Estimates:
    """The estimates of one step (``prefix``: its set path) from its ``visits``."""
    if len(decided) < MIN_DECISIONS or not (decided["decision"] == "approve").any():
        how = ("none approved, so the step would never approve"
               if len(decided) >= MIN_DECISIONS else f"its chances need {MIN_DECISIONS}")
        return Estimates(shortfalls=[f"{prefix}: {plural(len(decided), 'decision')} in the "
                                     f"record; {how}: the base's revise and withdraw_p stay"])
    found = _revise(record, prefix, step, visits, decided)
    withdraw = Chance(int((decided["decision"] == "withdraw").sum()), len(decided))
    found.parameters.append(Parameter(f"{prefix}.withdraw_p", round(withdraw.value, 3),
                                      withdraw.ci95, withdraw.n, CHANCE_METHOD,
                                      step.withdraw_p))
    if withdraw.k or step.withdraw_p:
        found.settings.append(_chance_setting(f"{prefix}.withdraw_p", withdraw))
    if step.model_dump(exclude_defaults=True) == {"body": step.body} and found.settings:
        found.settings = [_as_mapping(prefix, step, found.settings)]
    return found


def _as_mapping(prefix: str, step: Step, settings: list[Setting]) -> Setting:
    """One setting of the whole step (a plain step in the base: its body, and the fitted
    values under their keys), its comment joining theirs."""
    value: dict = {"body": step.body}
    for setting in settings:
        value[setting.path.removeprefix(f"{prefix}.")] = setting.value
    comment = "; ".join(f"{setting.path.removeprefix(f'{prefix}.')} {setting.comment}"
                        for setting in settings)
    return Setting(prefix, value, comment)


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
            decided: pd.DataFrame) -> Estimates:
    """revise.p and rework_days of one step."""
    chance = Chance(int((decided["decision"] == "revise").sum()), len(decided))
    base_p = step.revise.p if step.revise else 0.0
    extra, note = _by_round(decided)
    found = Estimates([Parameter(f"{prefix}.revise.p", round(chance.value, 3), chance.ci95,
                                 chance.n, CHANCE_METHOD, base_p, extra)])
    only_p = [_chance_setting(f"{prefix}.revise.p", chance, note)] if step.revise else []
    if not chance.k:
        found.settings = only_p
        return found
    lower, upper, peaked = rework_intervals(record, visits)
    returns = int(np.isfinite(upper).sum())
    rework = (fit_duration(lower, upper, peaked=peaked) if returns >= MIN_OBSERVATIONS
              else None)
    if rework is None:  # too few reworks to fit: the base's rework time stays
        found.settings = only_p
        found.shortfalls.append(
            few_words(f"{prefix}.revise.rework_days", returns, "return", "a rework time",
                      " from revision") if step.revise else
            f"{prefix}.revise: {plural(chance.k, 'revise decision')} but "
            f"{plural(returns, 'return')} in the record; a rework time needs "
            f"{MIN_OBSERVATIONS}, and the base has none: revise is not set")
        return found
    base_rework = step.revise.rework_days if step.revise else None
    parameters, settings = duration_entries(f"{prefix}.revise.rework_days", rework,
                                            base_rework, "calendar days")
    found.parameters += parameters
    if step.revise is None:
        whole = {"p": round(chance.value, 3), "rework_days": rework.spec()}
        comment = (f"p 95% CI {significant_span(*chance.ci95)}, n={chance.n}; "
                   f"{settings[0].comment}")
        found.settings = [Setting(f"{prefix}.revise", whole, comment)]
    else:
        found.settings = [*only_p, *settings]
    return found
