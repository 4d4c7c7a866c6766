"""The "cheapest fix" spec: which changes a planner could make, what each costs, and the target.

A spec file (YAML) names a base scenario, a list of decisions (``changes``), each with
options that change the base and cost something, and a target such as "nine in ten
credit-bearing proposals approved within 180 days, with 95% confidence"::

    base: ../baseline.yaml            # relative to the spec file
    cost_unit: staff hours per year   # one unit for every cost
    changes:
      - name: owd_staff
        label: OWD reviewers
        path: bodies.owd.staff        # a decision about one value: options give `value`
        options: [{value: 1, cost: 0}, {value: 2, cost: 100}]
      - name: senate_review
        options:                      # else options give `set` or a what-if file
          - {label: in turn, set: {}, cost: 0}
          - {label: at once, what_if: ../parallel-senate-review.yaml, cost: 40}
    target: {pathway: credit, metric: p90, below_days: 180, confidence: 0.95}
    replications: 100

A spec for the frontier of days against faculty hours (``mcsim optimize --pareto``, see
:mod:`~simlib.optimize._frontier`) has a ``frontier:`` block (``outside_terms: true`` adds
faculty hours outside terms as a third axis); its options may then leave out ``cost`` (and
the spec ``cost_unit``), because the frontier prices each configuration by the hours its
simulated work takes. Costs are all or none.

A configuration picks one option per decision; its cost is the sum of the options' costs,
and its scenario is the base with the options' changes applied in the order the decisions
are listed (as a what-if's ``set``). Every problem is one line naming the spec file and the
key path (:class:`~simlib.formats.yamlfile.ScenarioError`).
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from simlib.errors import InputError, ScenarioError
from simlib.formats.files import regular_input
from simlib.formats.frozen import Frozen
from simlib.formats.keypaths import apply_scale, apply_set, value_at
from simlib.formats.numbers import bounded
from simlib.formats.validation import format_validation_error
from simlib.formats.yamlfile import read_yaml_mapping
from simlib.scenario import Scenario, inherit_from_base, load_scenario, validate_scenario

CHANGE_KINDS = ("value", "set", "what_if")
MAX_CONFIGURATIONS = 2000  # combinations of options a search may simulate
MAX_REPLICATIONS = 10_000  # per configuration
MAX_COST = 1e9  # in the spec's cost unit, either sign
MAX_SEED = 2**63 - 1


class Option(Frozen):
    """One choice of a decision: a ``value`` (for a decision with a ``path``), a ``set`` of
    {dotted.key.path: value} changes, or a ``what_if`` file whose ``set`` is used; and its
    ``cost`` (in the spec's ``cost_unit``; negative for a saving; only a spec with a
    ``frontier`` block may leave it out)."""

    label: str = ""
    cost: bounded(MAX_COST, "(the spec's cost_unit)", ge=-MAX_COST) | None = None
    value: Any = None
    set: dict[str, Any] | None = None
    what_if: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> Option:
        given = [kind for kind in CHANGE_KINDS if kind in self.model_fields_set]
        if len(given) != 1:
            raise PydanticCustomError(
                "option", f"give exactly one of value, set or what_if, got {given or 'none'}"
            )
        if given == ["what_if"] and not self.what_if:
            raise PydanticCustomError("option", "what_if: give a what-if file name")
        return self


def _word(text: str) -> str:
    """Validate a decision name: a word (letters, digits, _ or -) starting with a letter."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", text):
        raise PydanticCustomError(
            "name", f"must be one word (letters, digits, _ or -), e.g. owd_staff, got {text!r}"
        )
    return text


class Decision(Frozen):
    """A decision variable: a ``name`` (a word used in tables), a ``label`` for people, an
    optional ``path`` (then every option gives a ``value`` for it) and its ``options``."""

    name: Annotated[str, AfterValidator(_word)]
    label: str = ""
    path: str | None = None
    options: tuple[Option, ...] = Field(min_length=1)


class FixTarget(Frozen):
    """What "fixed" means: ``metric`` (``mean`` or ``p90`` of the days from submission to
    approval) of ``pathway`` below ``below_days`` with one-sided ``confidence``."""

    pathway: str
    metric: Literal["mean", "p90"]
    below_days: bounded(36500.0, "days", gt=0.0)
    confidence: bounded(ge=0.5, lt=1.0) = 0.95


class FrontierSettings(Frozen):
    """The ``frontier:`` block: ``outside_terms`` adds faculty hours outside terms (summer
    and breaks) as a third axis of the frontier (``mcsim optimize --pareto``)."""

    outside_terms: bool = False


class Screening(Frozen):
    """When and how to screen: exhaustive search up to ``exhaustive_up_to`` configurations;
    beyond, a first stage of ``first_stage_replications`` each, screened with overall
    ``confidence`` (see :mod:`simlib.optimize._search`)."""

    exhaustive_up_to: bounded(MAX_CONFIGURATIONS, "configurations", whole=True, ge=1) = 24
    first_stage_replications: bounded(MAX_REPLICATIONS, "replications", whole=True, ge=2) = 20
    confidence: bounded(ge=0.5, lt=1.0) = 0.95


class Spec(Frozen):
    """A validated spec file (see the module docstring)."""

    name: str = ""
    title: str = ""
    description: str = ""
    base: str
    cost_unit: str | None = Field(None, min_length=1)
    changes: tuple[Decision, ...] = Field(min_length=1)
    target: FixTarget
    replications: bounded(MAX_REPLICATIONS, "replications", whole=True, ge=2) = 100
    seed: bounded(MAX_SEED, whole=True, ge=0) | None = None
    screening: Screening = Screening()
    frontier: FrontierSettings | None = None

    @property
    def has_costs(self) -> bool:
        """True when the options give costs (every one does, then)."""
        return self.cost_unit is not None

    @model_validator(mode="after")
    def _consistent(self) -> Spec:
        for path, problem in _spec_problems(self):
            raise PydanticCustomError("reference", "{problem}", {"path": path, "problem": problem})
        return self


def _spec_problems(spec: Spec) -> list[tuple[str, str]]:
    """(key path, problem) for too many combinations, names used twice and options that do
    not fit their decision."""
    combinations = math.prod(len(decision.options) for decision in spec.changes)
    if combinations > MAX_CONFIGURATIONS:
        shown = f"{combinations:,}" if combinations < 10**15 else "more than 10^15"
        return [("changes", f"{shown} combinations of options; at most "
                 f"{MAX_CONFIGURATIONS:,} can be searched: drop decisions or options")]
    problems, names = _cost_problems(spec), set()
    for i, decision in enumerate(spec.changes):
        if decision.name in names:
            problems.append((f"changes.{i}.name", f"{decision.name!r} is used twice; rename one"))
        names.add(decision.name)
        labels = [option_label(decision, option) for option in decision.options]
        for j, option in enumerate(decision.options):
            place = f"changes.{i}.options.{j}"
            if decision.path is None and "value" in option.model_fields_set:
                problems.append((f"{place}.value", "needs a path on the decision; add path: "
                                 "(e.g. bodies.owd.staff) or give set: instead"))
            elif decision.path is not None and "value" not in option.model_fields_set:
                problems.append((place, f"the decision has path {decision.path}, so give "
                                 "value: (or remove the decision's path)"))
            elif labels.count(labels[j]) > 1:
                problems.append((f"{place}.label", f"{labels[j]!r} is used twice; give "
                                 "each option its own label"))
    return problems


def _cost_problems(spec: Spec) -> list[tuple[str, str]]:
    """Costs are all or none, with a ``cost_unit`` when given; none only with a
    ``frontier`` block."""
    places = [(f"changes.{i}.options.{j}.cost", option.cost is not None)
              for i, decision in enumerate(spec.changes)
              for j, option in enumerate(decision.options)]
    priced = any(given for _, given in places)
    if spec.frontier is not None and not priced:
        return ([("cost_unit", "no option gives a cost; remove cost_unit")]
                if spec.cost_unit is not None else [])
    missing = "required key is missing" + ("" if spec.frontier is None else
                                           " (costs are all or none)")
    problems = [(place, missing) for place, given in places if not given]
    if spec.cost_unit is None:
        problems.append(("cost_unit", missing))
    return problems


def option_label(decision: Decision, option: Option) -> str:
    """An option's name in tables: its label, else its value, what-if file or "no change"."""
    if option.label:
        return option.label
    if "value" in option.model_fields_set:
        return str(option.value)
    if option.what_if is not None:
        return Path(option.what_if).stem
    return "no change" if not option.set else f"option {decision.options.index(option) + 1}"


_EXTRA_KEY_PROBLEM = (r"unknown key; did you mean '[^']*'\?|unknown key; remove it"
                      r"|not allowed here; remove it")
_SPEC_KEYS = {key for model in (Spec, Decision, Option, FixTarget, Screening, FrontierSettings)
              for key in model.model_fields}


def _spec_error(error: ValidationError, data: dict, source: str) -> ScenarioError:
    """One line for a spec validation error; unknown keys are matched against spec keys."""
    line = format_validation_error(error, data, source)
    extra = [p for p in error.errors(include_url=False) if p["type"] == "extra_forbidden"]
    if extra:
        key = str(extra[0]["loc"][-1])
        close = difflib.get_close_matches(key, _SPEC_KEYS, n=1)
        hint = ("not allowed here; remove it" if key in _SPEC_KEYS else
                f"unknown key; did you mean {close[0]!r}?" if close else "unknown key; remove it")
        line = re.sub(_EXTRA_KEY_PROBLEM, hint, line, count=1)
    return ScenarioError(line)


@dataclass(frozen=True, eq=False)
class Configuration:
    """One option per decision: ``choices`` ((decision name, option label), in spec order),
    total ``cost`` (spec's cost unit; 0 when the spec gives no costs) and the resulting
    ``scenario``."""

    index: int
    choices: tuple[tuple[str, str], ...]
    cost: float
    scenario: Scenario

    @property
    def label(self) -> str:
        """E.g. ``owd_staff=2, mc_meetings=weekly``."""
        return ", ".join(f"{name}={option}" for name, option in self.choices)


@dataclass(frozen=True, eq=False)
class Study:
    """A loaded spec: its file, the validated :class:`Spec`, the base scenario, and every
    configuration (the product of the options, first decision varying slowest)."""

    path: Path
    spec: Spec
    base: Scenario
    configurations: tuple[Configuration, ...]

    @property
    def seed(self) -> int:
        """The spec's seed, else the base scenario's."""
        return self.base.seed if self.spec.seed is None else self.spec.seed

    def run_settings(self, replications: int | None = None,
                     seed: int | None = None) -> tuple[int, int]:
        """(replications per configuration, seed): the given ones, else the spec's (the
        seed: else the base's). ValueError for fewer than 2 replications (no confidence
        bound), :class:`InputError` for more than :data:`MAX_REPLICATIONS`."""
        count = self.spec.replications if replications is None else int(replications)
        if count < 2:
            raise ValueError(f"replications must be >= 2 for a confidence bound, got {count}")
        if count > MAX_REPLICATIONS:
            raise InputError(f"mcsim: replications: at most {MAX_REPLICATIONS:,} per "
                             f"configuration, got {count:,}")
        return count, self.seed if seed is None else int(seed)


def load_study(path: str | Path) -> Study:
    """Read and validate a spec file, its base and every configuration (nothing simulated).

    Raises :class:`~simlib.formats.yamlfile.ScenarioError` (one line: file, key path, problem).
    """
    path = Path(path)
    data = read_yaml_mapping(regular_input(path, "yaml"))
    if "base" not in data and ("bodies" in data or "extends" in data):
        raise ScenarioError(f"{path}: base: missing; this looks like a scenario, not a spec "
                            "(see scenarios/specs/cheapest-fix.yaml)")
    try:
        spec = Spec.model_validate(data)
    except ValidationError as error:
        raise _spec_error(error, data, str(path)) from None
    if not spec.name:
        spec = spec.model_copy(update={"name": path.stem})
    base_path = path.parent / spec.base
    _regular(base_path, f"{path}: base: scenario file")
    base = load_scenario(base_path)
    if spec.target.pathway not in base.pathways:
        raise ScenarioError(f"{path}: target.pathway: {spec.target.pathway!r} is not a pathway "
                            f"of {spec.base} (have: {', '.join(base.pathways)})")
    changes = _option_changes(path, spec, base_path, base)
    return Study(path, spec, base, _configurations(path, spec, base, changes))


def _option_changes(path: Path, spec: Spec, base_path: Path, base: Scenario) -> list[list[dict]]:
    """Per decision, per option: the {dotted.key.path: value} changes, each checked alone
    against the base."""
    base_data = base.model_dump(mode="json")
    result = []
    for i, decision in enumerate(spec.changes):
        if decision.path is not None:
            try:
                value_at(base_data, decision.path)
            except KeyError as missing:
                raise ScenarioError(f"{path}: changes.{i}.path: {decision.path!r} does not "
                                    f"exist in {spec.base}: {missing.args[0]}") from None
        per_option = []
        for j, option in enumerate(decision.options):
            where = f"{path}: changes.{i}.options.{j}"
            changes = _changes(where, decision, option, path.parent, base_path)
            _variant(base_data, (changes,), where)
            per_option.append(changes)
        result.append(per_option)
    return result


def _regular(path: Path, where: str) -> None:
    """ScenarioError naming ``where`` unless ``path`` is an existing regular file."""
    if not path.exists():
        raise ScenarioError(f"{where} {str(path)!r} not found")
    try:
        regular_input(path, "yaml")
    except InputError as error:
        problem = str(error).removeprefix(f"{path}: ")
        raise ScenarioError(f"{where} {str(path)!r}: {problem}") from None


def _changes(where: str, decision: Decision, option: Option, folder: Path,
             base_path: Path) -> dict:
    """The {dotted.key.path: value} changes of one option."""
    if decision.path is not None:
        return {decision.path: option.value}
    if "set" in option.model_fields_set:
        return dict(option.set or {})
    what_if = folder / str(option.what_if)
    _regular(what_if, f"{where}.what_if: file")
    raw = read_yaml_mapping(what_if)
    if not isinstance(raw.get("set", {}), dict) or not (raw.get("set") or raw.get("scale")):
        raise ScenarioError(f"{where}.what_if: {what_if} has no set: or scale: mapping of changes")
    extends = raw.get("extends")
    if not isinstance(extends, str) or (what_if.parent / extends).resolve() != base_path.resolve():
        raise ScenarioError(f"{where}.what_if: {what_if} must extend this spec's base "
                            f"{base_path.name} (it extends {extends!r})")
    return {**_scaled(raw.get("scale") or {}, base_path, str(what_if)), **(raw.get("set") or {})}


def _scaled(factors: dict, base_path: Path, where: str) -> dict:
    """A what-if's ``scale:`` as {dotted.key.path: value} changes of the base's numbers."""
    if not factors:
        return {}
    base = load_scenario(base_path).model_dump(mode="json")
    scaled = apply_scale(base, factors, where)
    return {path: value_at(scaled, str(path)) for path in factors}


def _variant(base_data: dict, changes: tuple[dict, ...], where: str,
             name: str | None = None) -> Scenario:
    """The base with each of ``changes`` applied in turn, validated. As for a what-if
    (:func:`~simlib.scenario.loading.inherit_from_base`), the base's assumptions whose
    paths no longer exist (a replaced pathway's steps) and its fit are dropped, and its
    posterior draws are kept for the paths the changes do not set."""
    data = dict(base_data)
    for change in changes:
        data = apply_set(data, change, where)
    changed = {str(key) for change in changes for key in change}
    data = inherit_from_base(data, " ".join(sorted(changed)), changed)
    if name is not None:
        data["name"] = name
    return validate_scenario(data, where)


def _configurations(path: Path, spec: Spec, base: Scenario,
                    changes: list[list[dict]]) -> tuple[Configuration, ...]:
    """Every combination of options, validated as a scenario."""
    base_data = base.model_dump(mode="json")
    result = []
    indices = itertools.product(*(range(len(d.options)) for d in spec.changes))
    for index, picks in enumerate(indices):
        options = [d.options[j] for d, j in zip(spec.changes, picks, strict=True)]
        choices = tuple((d.name, option_label(d, o))
                        for d, o in zip(spec.changes, options, strict=True))
        label = ", ".join(f"{name}={option}" for name, option in choices)
        scenario = _variant(base_data, tuple(c[j] for c, j in zip(changes, picks, strict=True)),
                            f"{path}: configuration {label}", name=f"{spec.name}: {label}")
        cost = math.fsum(option.cost or 0.0 for option in options)
        result.append(Configuration(index, choices, round(cost, 9), scenario))
    return tuple(result)
