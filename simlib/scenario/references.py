"""Cross-checks a scenario's models cannot make alone: names that must refer to each other
(bodies in pathways, pathways in demand and targets, levels in conditions), the warm-up
within the horizon, and assumptions naming numbers of the scenario. Each problem is a
(key path, message) pair.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.keypaths import value_at
from simlib.scenario.governance import ROUND_KEY

if TYPE_CHECKING:
    from simlib.scenario.schema import Scenario

MAX_PROPOSALS = 200_000  # expected submissions of one replication (about a minute to run)


def reference_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Cross-references the models cannot check alone: bodies, pathways, levels, years."""
    problems = []
    known = sorted(scenario.bodies)
    for pathway, steps in scenario.pathways.items():
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
                for key in ("when", "skip_when"):
                    problems.extend(condition_problems(
                        getattr(step, key), _values({pathway: scenario.demand.get(pathway)}),
                        f"{where}.{key}"))
                for key, what in (("starts", "a start date"), ("marks", "a milestone")):
                    if getattr(step, key) is not None:
                        problems.append((f"{where}.{key}", f"{what} belongs to a step after "
                                         f"approval; move the step under after_approval."
                                         f"{pathway}"))
                if step.revise is not None and step.revise.back_to is not None:
                    problems.append((f"{where}.revise.back_to", "a revision goes back to an "
                                     "earlier step only after approval; here it returns to "
                                     "the same body (leave back_to out)"))
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
    problems.extend(_rule_problems(scenario))
    problems.extend(_after_problems(scenario))
    problems.extend(_assumption_problems(scenario))
    problems.extend(_calibration_problems(scenario))
    return problems


def _values(demands: dict) -> dict[str, tuple[set[str], str]]:
    """Per attribute a condition can test in the pathways of ``demands`` (pathway: demand
    or None): the values it can take and where they are declared."""
    name = next(iter(demands)) if len(demands) == 1 else "<pathway>"
    values: dict[str, tuple[set[str], str]] = {
        "pathway": (set(demands), "pathways"), "level": (set(), f"demand.{name}.mix")}
    for demand in demands.values():
        if demand is None:
            continue
        values["level"][0].update(demand.mix)
        for attribute, shares in demand.attributes.items():
            values.setdefault(attribute, (set(), f"demand.{name}.attributes.{attribute}"))
            values[attribute][0].update(shares)
    return values


def condition_problems(condition: dict, values: dict[str, tuple[set[str], str]],
                       where: str) -> list[tuple[str, str]]:
    """Each attribute a condition tests must exist, with values it can take."""
    problems = []
    for key, allowed in condition.items():
        if key == ROUND_KEY:
            continue
        if key not in values:
            names = ", ".join(sorted({*values, ROUND_KEY}))
            problems.append((f"{where}.{key}", f"no attribute {key!r}; conditions can test: "
                             f"{names} (declare attributes under demand.<pathway>.attributes)"))
            continue
        known, source = values[key]
        for value in (allowed,) if isinstance(allowed, str) else allowed:
            if value not in known:
                problems.append((f"{where}.{key}", f"{value!r} is not a {key} in {source} "
                                 f"({', '.join(sorted(known)) or 'none'})"))
    return problems


def _rule_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """A committee rule's conditions test attributes of some pathway; summer authority
    names committees, and its body meets outside terms."""
    problems = []
    values = _values({name: scenario.demand.get(name) for name in scenario.pathways})
    for name, body in scenario.bodies.items():
        for rule in ("evote", "consent", "delegate"):
            spec = getattr(body, rule, None)
            if spec is not None:
                problems.extend(condition_problems(spec.when, values,
                                                   f"bodies.{name}.{rule}.when"))
    authority = scenario.summer_authority
    if authority is None:
        return problems
    committees = sorted(name for name, body in scenario.bodies.items()
                        if body.kind == "committee")
    for where, name in [("summer_authority.body", authority.body),
                        *((f"summer_authority.for.{i}", n) for i, n in
                          enumerate(authority.for_))]:
        if name not in committees:
            problems.append((where, f"{name!r} is not a committee; committees are: "
                             + ", ".join(committees)))
    body = scenario.bodies.get(authority.body)
    if body is not None and body.kind == "committee":
        if authority.body in authority.for_:
            problems.append(("summer_authority.for", f"{authority.body!r} cannot act for "
                             "itself"))
        if not body.meets.outside_terms:
            problems.append(("summer_authority.body", f"{authority.body!r} holds no meetings "
                             f"outside terms; set bodies.{authority.body}.meets."
                             "outside_terms: true"))
    return problems


def _after_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """``after_approval`` chains: for a pathway; steps at offices or the proposer (a
    committee's meetings serve approvals); one step marks the badge live, at most one
    waits for a start date, and ``revise.back_to`` names an earlier step of the chain."""
    problems = []
    for pathway, steps in scenario.after_approval.items():
        where = f"after_approval.{pathway}"
        if pathway not in scenario.pathways:
            problems.append((where, f"no pathway named {pathway!r}; pathways are: "
                             + ", ".join(sorted(scenario.pathways))))
            continue
        values = _values({pathway: scenario.demand.get(pathway)})
        labels = scenario.after_labels(pathway)
        seen: set[str] = set()
        for index, (label, step) in enumerate(zip(labels, steps, strict=True)):
            here = f"{where}.{index}"
            body = scenario.bodies.get(step.body)
            if body is None:
                problems.append((f"{here}.body", f"unknown body {step.body!r}; bodies are: "
                                 + ", ".join(sorted(scenario.bodies))))
            elif body.kind == "committee":
                problems.append((f"{here}.body", f"{step.body!r} is a committee; after "
                                 "approval only offices and the proposer work (give an "
                                 "office or a body of kind proposer)"))
            for key in ("when", "skip_when"):
                problems.extend(condition_problems(getattr(step, key), values,
                                                   f"{here}.{key}"))
            back = step.revise.back_to if step.revise is not None else None
            if back is not None and back not in seen:
                earlier = ", ".join(sorted(seen)) or "none"
                problems.append((f"{here}.revise.back_to", f"{back!r} is not an earlier step "
                                 f"of {where} (earlier steps: {earlier})"))
            seen.update((label, step.label))
        for key, most, what in (("marks", 1, "marks: badge_live"), ("starts", 1, "starts")):
            count = sum(getattr(step, key) is not None for step in steps)
            if count > most:
                problems.append((where, f"{count} steps have {what}; give it to one step"))
        if not any(step.marks == "badge_live" for step in steps):
            problems.append((where, "no step publishes the badge: give the step that does "
                             "marks: badge_live"))
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
