"""The explorer's levers: one control per value a planner may change, generated from a
scenario and from the schema (never a fixed list of bodies).

Each :class:`Lever` is a dotted path of a what-if's ``set`` (``bodies.mc.meets.every_weeks``)
with the base's value, its bounds and its help text, both read from the schema
(:mod:`simlib.scenario.schema`: each field's ``description``; a number's lower bound from
pydantic, its upper one from :class:`~simlib.formats.numbers.AtMost`). :func:`levers` lists
them in the order the explorer shows them: per office its staff, review time and hours; per
committee its members, review time, meeting rule, weekday, meetings outside terms, agenda
limit and deadline, its ways of deciding (e-vote, consent agenda, tabling, delegation to the
chair) and hours; per pathway the demand (as a multiplier) and, per step, its revision chance,
who skips it (a fast track) and whether it is removed or reviewed at once with the next step;
then summer authority. :func:`changes` turns the values of the controls into the ``set`` of a
what-if, base values left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from annotated_types import Ge, Gt, Le
from pydantic import BaseModel

from simlib.formats.keypaths import apply_set, value_at
from simlib.formats.numbers import AtMost
from simlib.scenario import Committee, Distribution, Office, Parallel, Scenario, Step
from simlib.scenario.governance import Consent, Delegate, EVote, Hours
from simlib.scenario.schema import Demand, Revise

# The values a way of deciding starts with when the planner switches it on (then changed with
# its own controls): an e-vote decides 6 in 10 within 5 working days, nothing is pulled from
# a consent agenda, the chair decides in about 3 working days.
STARTING_BLOCKS = {
    "evote": {"p": 0.6, "within_days": 5},
    "consent": {"pull_p": 0.1},
    "delegate": {"to": "chair", "review_days": {"dist": "lognormal", "mean": 3, "cv": 0.5}},
}
MEETING_RULES = (  # the meeting rules offered, as the keys of ``meets`` they set
    ("every week", {"every_weeks": 1}), ("every 2 weeks", {"every_weeks": 2}),
    ("every 3 weeks", {"every_weeks": 3}), ("every 4 weeks", {"every_weeks": 4}),
    ("1st of the month", {"nth": 1}), ("2nd of the month", {"nth": 2}),
    ("1st and 3rd of the month", {"nth": [1, 3]}), ("last of the month", {"nth": -1}),
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
MAX_DEMAND_FACTOR = 10.0
KEEP, REMOVE, AT_ONCE = "keep", "remove", "at once"  # what becomes of a step


@dataclass(frozen=True)
class Lever:
    """One control: ``path`` (a dotted path of ``set``), the ``section`` it is shown in and
    its ``label``; ``kind``: ``whole``, ``number``, ``switch`` (true/false), ``choice`` (one
    of ``choices``, (label, value) pairs), ``block`` (a way of deciding, on or off: its value
    is the block's mapping or None), ``factor`` (a multiple of the base's number) or
    ``step`` (keep, remove or at once with the next step); ``base``: the base's value;
    ``low``/``high``: a number's bounds; ``help``: what it means (from the schema);
    ``block``: the path of the block lever it belongs to ("" for none)."""

    path: str
    section: str
    label: str
    kind: str
    base: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[tuple[str, Any], ...] = ()
    block: str = ""
    optional: bool = False

    @property
    def start(self) -> Any:
        """The control's value when it shows the base: the base's value (1 for a factor,
        0 for an optional number the base does not have)."""
        if self.kind == "factor":
            return 1.0
        return 0 if self.optional and self.base is None else self.base

    def value(self, shown: Any) -> Any:
        """What the control's value ``shown`` sets: a factor times the base, 0 as none for
        an optional number; else ``shown``."""
        if self.kind == "factor":
            return _times(self.base, shown)
        return None if self.optional and shown == 0 else shown

    @property
    def key(self) -> str:
        """The lever's path as a CSS class name (``bodies-mc-meets-every_weeks``)."""
        return "".join(c if c.isalnum() or c in "_-" else "-" for c in self.path)


def _metadata(annotation: Any) -> list[Any]:
    """The metadata of a field's type, inside ``X | None`` too."""
    if get_origin(annotation) is Annotated:
        return list(get_args(annotation)[1:])
    return [item for arg in get_args(annotation) for item in _metadata(arg)]


def _field(model: type[BaseModel], name: str) -> tuple[str, float | None, float | None]:
    """(help, low, high) of field ``name`` of ``model``, read from its schema; a duration's
    bounds are those of its mean."""
    info = model.model_fields[name]
    if info.annotation is Distribution:
        return info.description or "", *_field(Distribution, "mean")[1:]
    low = high = None
    for item in [*info.metadata, *_metadata(info.annotation)]:
        if isinstance(item, Ge | Gt):
            low = float(item.ge if isinstance(item, Ge) else item.gt)
        elif isinstance(item, Le):
            high = float(item.le)
        elif isinstance(item, AtMost):
            high = float(item.high)
    return info.description or "", low, high


def _number(path: str, section: str, label: str, model: type[BaseModel], name: str,
            base: Any, whole: bool = False, block: str = "") -> Lever:
    """A number's lever; an optional number (``None`` in the base, e.g. no agenda limit)
    shows as 0, which means none."""
    help_text, low, high = _field(model, name)
    kind = "whole" if whole else "number"
    if model.model_fields[name].default is None and not model.model_fields[name].is_required():
        return Lever(path, section, label, kind, base, f"{help_text} (0: none)", 0.0, high,
                     block=block, optional=True)
    return Lever(path, section, label, kind, base, help_text, low, high, block=block)


def _hours(path: str, section: str, hours: Hours, committee: bool) -> list[Lever]:
    names = ("per_review", "per_meeting", "per_item") if committee else ("per_review",)
    return [_number(f"{path}.hours.{name}", section, f"hours {name.replace('_', ' ')}",
                    Hours, name, getattr(hours, name)) for name in names]


def _office(name: str, body: Office, section: str) -> list[Lever]:
    path = f"bodies.{name}"
    return [_number(f"{path}.staff", section, "staff", Office, "staff", body.staff, True),
            _number(f"{path}.review_days.mean", section, "review days (mean)", Office,
                    "review_days", body.review_days.mean),
            *_hours(path, section, body.hours, committee=False)]


def _meeting_levers(path: str, section: str, body: Committee) -> list[Lever]:
    meets = body.meets
    if meets.dates is not None:  # meetings as held (a record or a calendar file)
        return []
    rule = ({"every_weeks": meets.every_weeks} if meets.every_weeks is not None
            else {"nth": list(meets.nth) if isinstance(meets.nth, tuple) else meets.nth})
    choices = MEETING_RULES if rule in [value for _, value in MEETING_RULES] else (
        ("as today", rule), *MEETING_RULES)
    meets_help = Committee.model_fields["meets"].description or ""
    weekday_help = _field(type(meets), "weekday")[0]
    outside_help = _field(type(meets), "outside_terms")[0]
    return [Lever(f"{path}.meets", section, "meets", "choice", rule, meets_help,
                  choices=choices),
            Lever(f"{path}.meets.weekday", section, "on", "choice", meets.weekday,
                  weekday_help, choices=tuple((day, day) for day in WEEKDAYS)),
            Lever(f"{path}.meets.outside_terms", section, "meets outside terms", "switch",
                  meets.outside_terms, outside_help)]


def _block(path: str, section: str, label: str, name: str, current: BaseModel | None,
           scenario: Scenario) -> list[Lever]:
    """A way of deciding (``evote``, ``consent`` or ``delegate``): a block lever and the
    levers of its numbers."""
    start = dict(STARTING_BLOCKS[name])
    if name == "consent" or name == "delegate":
        start["when"] = _first_condition(scenario) if name == "consent" else {
            "round_at_least": 1}
    base = None if current is None else current.model_dump(mode="json", by_alias=True)
    values = base or start
    block_path = f"{path}.{name}"
    found = [Lever(block_path, section, label, "block", base,
                   Committee.model_fields[name].description or "", choices=(("on", start),))]
    model = {"evote": EVote, "consent": Consent, "delegate": Delegate}[name]
    if name == "evote":
        found += [_number(f"{block_path}.p", section, "e-vote decides (chance)", model, "p",
                          values["p"], block=block_path),
                  _number(f"{block_path}.within_days", section, "e-vote window (working days)",
                          model, "within_days", values["within_days"], block=block_path)]
    elif name == "consent":
        found.append(_number(f"{block_path}.pull_p", section, "item pulled (chance)", model,
                             "pull_p", values.get("pull_p", 0.0), block=block_path))
    else:
        found.append(_number(f"{block_path}.review_days.mean", section,
                             "chair's days (mean)", model, "review_days",
                             values["review_days"]["mean"], block=block_path))
    return found


def _first_condition(scenario: Scenario) -> dict:
    """The first drawn attribute's first value, e.g. ``{size: minor}`` (else none)."""
    for demand in scenario.demand.values():
        for attribute, shares in demand.attributes.items():
            return {attribute: next(iter(shares))}
    return {}


def _committee(name: str, body: Committee, section: str, scenario: Scenario) -> list[Lever]:
    path = f"bodies.{name}"
    return [
        _number(f"{path}.members", section, "members", Committee, "members", body.members,
                True),
        _number(f"{path}.review_days.mean", section, "review days (mean)", Committee,
                "review_days", body.review_days.mean),
        *_meeting_levers(path, section, body),
        _number(f"{path}.agenda_limit", section, "agenda limit", Committee, "agenda_limit",
                body.agenda_limit, True),
        _number(f"{path}.agenda_lead_days", section, "agenda deadline (days before)",
                Committee, "agenda_lead_days", body.agenda_lead_days),
        *_block(path, section, "e-vote", "evote", body.evote, scenario),
        *_block(path, section, "consent agenda", "consent", body.consent, scenario),
        _number(f"{path}.table_p", section, "item deferred (chance)", Committee, "table_p",
                body.table_p),
        *_block(path, section, "chair decides", "delegate", body.delegate, scenario),
        *_hours(path, section, body.hours, committee=True),
    ]


def _conditions(scenario: Scenario, pathway: str) -> tuple[tuple[str, Any], ...]:
    """The fast tracks offered for a step of ``pathway``: nobody, or the proposals with
    one value of a level or of a drawn attribute."""
    demand = scenario.demand.get(pathway)
    found: list[tuple[str, Any]] = [("nobody", {})]
    if demand is not None:
        found += [(f"{level} proposals", {"level": level}) for level in demand.mix]
        found += [(f"{value} proposals", {attribute: value})
                  for attribute, shares in demand.attributes.items() for value in shares]
    return tuple(found)


def _steps(scenario: Scenario, pathway: str, section: str) -> list[Lever]:
    items = scenario.pathways[pathway]
    names = [item.label for item in items]
    found = []
    for index, item in enumerate(items):
        if isinstance(item, Parallel) or names.count(item.label) > 1:
            continue  # a group's branches, and a step named twice, are changed in the file
        path = f"pathways.{pathway}.{item.label}"
        if item.revise is not None:
            found.append(_number(f"{path}.revise.p", section, f"{item.label}: revision chance",
                                 Revise, "p", item.revise.p))
        offered = _conditions(scenario, pathway)
        skip = dict(item.skip_when)
        if skip not in [value for _, value in offered]:
            offered = (("as today", skip), *offered)
        found.append(Lever(f"{path}.skip_when", section, f"{item.label}: skipped by",
                           "choice", skip, _field(Step, "skip_when")[0], choices=offered))
        following = items[index + 1] if index + 1 < len(items) else None
        fates = [("as today", KEEP), ("removed", REMOVE)]
        if isinstance(following, Step) and following.label:
            fates.append((f"at once with {following.label}", AT_ONCE))
        found.append(Lever(path, section, f"{item.label}: the step", "step", KEEP,
                           "remove the step, or have it reviewed at the same time as the "
                           "next one (both must approve)", choices=tuple(fates)))
    return found


def levers(scenario: Scenario) -> tuple[Lever, ...]:
    """Every lever of ``scenario``, in the order the explorer shows them (see the module)."""
    found: list[Lever] = []
    for name, body in scenario.bodies.items():
        section = body.label or name
        if isinstance(body, Office):
            found += _office(name, body, section)
        elif isinstance(body, Committee):
            found += _committee(name, body, section, scenario)
    for pathway in scenario.pathways:
        section = f"{pathway} pathway"
        demand = scenario.demand.get(pathway)
        if demand is not None:
            help_text, _, _ = _field(Demand, "per_year")
            found.append(Lever(f"demand.{pathway}.per_year", section,
                               "demand (times today's)", "factor", demand.per_year,
                               help_text, 0.0, MAX_DEMAND_FACTOR))
        found += _steps(scenario, pathway, section)
    found.append(_summer_authority(scenario))
    return tuple(found)


def _summer_authority(scenario: Scenario) -> Lever:
    committees = [name for name, body in scenario.bodies.items()
                  if isinstance(body, Committee)]
    base = (None if scenario.summer_authority is None
            else scenario.summer_authority.model_dump(mode="json", by_alias=True))
    choices: list[tuple[str, Any]] = [("nobody", None)]
    for name in committees:
        others = [other for other in committees if other != name
                  and not scenario.bodies[other].meets.outside_terms]
        if others:
            choices.append((f"{name} decides for the others", {"body": name, "for": others}))
    if base is not None and base not in [value for _, value in choices]:
        choices.insert(1, ("as today", base))
    return Lever("summer_authority", "all committees", "outside terms",
                 "choice", base, Scenario.model_fields["summer_authority"].description or "",
                 choices=tuple(choices))


def _rule_changes(lever: Lever, value: dict) -> dict[str, Any]:
    """The ``set`` entries that change a meeting rule from the base's to ``value``: keys
    of the old rule the new one lacks removed (null), then the new rule's keys."""
    found: dict[str, Any] = {f"{lever.path}.{key}": None for key in lever.base
                             if key not in value}
    found.update({f"{lever.path}.{key}": item for key, item in value.items()
                  if lever.base.get(key) != item})
    return found


def changes(scenario: Scenario, all_levers: tuple[Lever, ...],
            values: dict[str, Any]) -> dict[str, Any]:
    """The ``set`` of the what-if the controls describe: ``values`` (lever path -> value;
    a lever not in it keeps its base value) as dotted paths and their new values, in the
    order of the levers, base values left out. A block switched on is written whole (with
    its levers' values); its levers are otherwise written one by one, and ignored while it
    is off. A step removed is ``null``; a step reviewed at once with the next one becomes a
    parallel group of both (as changed by the other levers) and the next one ``null``."""
    found: dict[str, Any] = {}
    blocks = {lever.path: lever for lever in all_levers if lever.kind == "block"}
    for lever in all_levers:
        value = values.get(lever.path, lever.start)
        if lever.kind == "block":
            if (value is None) != (lever.base is None):
                found[lever.path] = _block_value(lever, all_levers, values) if value else None
            continue
        if lever.block and _skipped(blocks[lever.block], values):
            continue
        value = lever.value(value)
        if lever.kind == "step" or value == lever.base:
            continue
        if lever.kind == "choice" and lever.path.endswith(".meets"):
            found.update(_rule_changes(lever, value))
        else:
            found[lever.path] = value
    for lever in all_levers:  # the steps last: they embed the other changes of their steps
        if lever.kind == "step" and values.get(lever.path, KEEP) != KEEP:
            found = _step_changes(scenario, lever, values[lever.path], found)
    return found


def _skipped(block: Lever, values: dict[str, Any]) -> bool:
    """True when a block's levers are not written one by one: it is off, or switched on
    here (then written whole)."""
    value = values.get(block.path, block.base)
    return value is None or block.base is None


def _block_value(block: Lever, all_levers: tuple[Lever, ...], values: dict) -> dict:
    """A block switched on: its starting mapping with its levers' values."""
    data = dict(block.choices[0][1])
    for lever in all_levers:
        if lever.block == block.path:
            key = lever.path.removeprefix(block.path + ".")
            data = apply_set(data, {key: lever.value(values.get(lever.path, lever.start))},
                             block.path)
    return data


def _times(base: float, factor: float) -> float:
    """``base`` times ``factor``, to 6 significant digits (whole when it is)."""
    value = float(f"{base * factor:.6g}")
    return int(value) if value.is_integer() else value


def _step_changes(scenario: Scenario, lever: Lever, fate: str,
                  found: dict[str, Any]) -> dict[str, Any]:
    """``found`` with the step of ``lever`` removed, or made a parallel group with the next
    step (the two steps as the changes so far leave them, their own entries dropped)."""
    inside = lever.path + "."
    if fate == REMOVE:
        kept = {path: value for path, value in found.items() if not path.startswith(inside)}
        return {**kept, lever.path: None}
    pathway = lever.path.split(".")[1]
    items = scenario.model_dump(mode="json", by_alias=True, exclude_defaults=True)["pathways"]
    data = apply_set({"pathways": items}, {path: value for path, value in found.items()
                                           if path.startswith(f"pathways.{pathway}.")},
                     "the explorer")
    route = data["pathways"][pathway]
    label = lever.path.rsplit(".", 1)[1]
    first = value_at(data, lever.path)
    following = route[[item.get("name") or item.get("body") for item in route].index(label) + 1]
    second_path = f"pathways.{pathway}.{following.get('name') or following['body']}"
    kept = {path: value for path, value in found.items()
            if not path.startswith((inside, second_path + "."))}
    group = {"name": f"{label}+{following.get('name') or following['body']}",
             "parallel": [first, following]}
    return {**kept, lever.path: group, second_path: None}
