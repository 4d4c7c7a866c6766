"""Cross-checks a scenario's models cannot make alone: names that must refer to each other
(bodies in pathways, pathways in demand and targets, levels in conditions), the warm-up
within the horizon, and assumptions naming numbers of the scenario. Each problem is a
(key path, message) pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.keypaths import value_at

if TYPE_CHECKING:
    from simlib.scenario.schema import Scenario

MAX_PROPOSALS = 200_000  # expected submissions of one replication (about a minute to run)


def reference_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Cross-references the models cannot check alone: bodies, pathways, levels, years."""
    problems = []
    known = sorted(scenario.bodies)
    for pathway, steps in scenario.pathways.items():
        levels = set(scenario.demand[pathway].mix) if pathway in scenario.demand else set()
        for index, item in enumerate(steps):
            branches = getattr(item, "parallel", (item,))
            for branch_index, step in enumerate(branches):
                where = f"pathways.{pathway}.{index}"
                if hasattr(item, "parallel"):
                    where += f".parallel.{branch_index}"
                if step.body not in scenario.bodies:
                    problems.append(
                        (f"{where}.body", f"unknown body {step.body!r}; bodies are: "
                         + ", ".join(known))
                    )
                wanted = step.when.get("level")
                for level in (wanted,) if isinstance(wanted, str) else wanted or ():
                    if level not in levels:
                        problems.append(
                            (f"{where}.when.level", f"{level!r} is not a level in "
                             f"demand.{pathway}.mix ({', '.join(sorted(levels)) or 'none'})")
                        )
                for key in step.when:
                    if key != "level":
                        problems.append((f"{where}.when.{key}", "only 'level' can be tested"))
    for section in ("demand", "targets"):
        for pathway in getattr(scenario, section):
            if pathway not in scenario.pathways:
                problems.append(
                    (f"{section}.{pathway}", f"no pathway named {pathway!r}; pathways are: "
                     + ", ".join(sorted(scenario.pathways)))
                )
    expected = sum(demand.per_year for demand in scenario.demand.values())
    if expected * scenario.horizon_years > MAX_PROPOSALS:
        problems.append(
            ("horizon_years", f"{scenario.horizon_years:g} years of {expected:g} proposals a "
             f"year are {expected * scenario.horizon_years:.3g} submissions a replication; "
             f"keep it at most {MAX_PROPOSALS} (fewer years or proposals)")
        )
    if scenario.warmup_years >= scenario.horizon_years:
        problems.append(
            ("warmup_years", f"must be less than horizon_years ({scenario.horizon_years:g}), "
             f"got {scenario.warmup_years:g}")
        )
    problems.extend(_assumption_problems(scenario))
    problems.extend(_calibration_problems(scenario))
    return problems


def _assumption_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Each assumption must name a number of the scenario (a what-if may move it outside
    the range: the range describes the base's uncertainty)."""
    problems: list[tuple[str, str]] = []
    if not scenario.assumptions:
        return problems
    data = scenario.model_dump(mode="json")
    for index, assumption in enumerate(scenario.assumptions):
        where = f"assumptions.{index}.path"
        try:
            value = value_at(data, assumption.path)
        except KeyError as error:
            problems.append((where, f"{assumption.path!r} does not exist: {error.args[0]}"))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = repr(value) if isinstance(value, str | bool) else type(value).__name__
            problems.append((where, f"{assumption.path!r} is not a number, got {shown}"))
    return problems


def _calibration_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """The calibration block must name assumptions of the scenario, bodies with promises
    and at least one target."""
    calibration = scenario.calibration
    if calibration is None:
        return []
    problems = []
    data = scenario.model_dump(mode="json")
    uncertain = {assumption.path for assumption in scenario.assumptions}
    for index, path in enumerate(calibration.free):
        try:
            value_at(data, path)
        except KeyError as error:
            problems.append((f"calibration.free.{index}",
                             f"{path!r} does not exist: {error.args[0]}"))
            continue
        if path not in uncertain:
            problems.append((f"calibration.free.{index}", f"{path!r} is not among the "
                             "assumptions; add it there with its range (low, high)"))
    problems.extend(_sla_target_problems(scenario))
    problems.extend(_posterior_problems(calibration.posterior, data))
    targets = [name for name, target in scenario.targets.items() if target.mean_cycle_days]
    if calibration.free and not targets and not calibration.sla:
        problems.append(("calibration", "no targets to fit: give targets.<pathway>."
                         "mean_cycle_days or calibration.sla"))
    return problems


def _posterior_problems(posterior, data: dict) -> list[tuple[str, str]]:
    """Each path of ``calibration.posterior.draws`` must be a number of the scenario."""
    problems = []
    for path in posterior.draws if posterior is not None else ():
        where = f"calibration.posterior.draws.{path}"
        try:
            value = value_at(data, path)
        except KeyError as error:
            problems.append((where, f"{path!r} does not exist: {error.args[0]}"))
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems.append((where, f"{path!r} is not a number; draws vary numbers only"))
    return problems


def _sla_target_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Each ``calibration.sla`` body must have a step with ``sla_days``."""
    promised = {
        step.body
        for items in scenario.pathways.values()
        for item in items
        for step in getattr(item, "parallel", (item,))
        if step.sla_days is not None
    }
    problems = []
    for body in scenario.calibration.sla if scenario.calibration else ():
        if body not in scenario.bodies:
            problems.append((f"calibration.sla.{body}", f"unknown body {body!r}; bodies are: "
                             + ", ".join(sorted(scenario.bodies))))
        elif body not in promised:
            problems.append((f"calibration.sla.{body}", f"no step at {body!r} has sla_days; "
                             "give the promise as sla_days on its steps"))
    return problems
