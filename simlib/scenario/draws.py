"""Posterior draws checked whole, and what a what-if does to the draws it inherits.

A scenario's draws (``calibration.posterior``) are checked when it is loaded
(:func:`draw_problems`), every draw of every path at once, never one scenario per draw:

- each drawn number must be one its key allows in every draw (a whole number of staff,
  meetings every whole number of weeks, a chance in [0, 1]), and the numbers drawn under
  one parent (a step's ``revise``, a body's ``review_days``) must make a valid parent
  together: each parent is validated once per draw, all draws in one call;
- one number is drawn under one path only (``pathways.credit.mc.revise.p`` and
  ``pathways.credit.2.revise.p`` are the same number);
- a draw lies in its path's ``prior`` range when the posterior gives one.

A what-if inherits its base's draws (:func:`inherited_draws`), and its own ``set`` and
``scale`` meet them thus:

- a value the what-if sets, at a drawn path or above it (a whole ``review_days``), is
  fixed: that path's draws are dropped and the what-if's value holds in every draw;
- a drawn path the what-if scales keeps its draws, each multiplied by the factor;
- a drawn path whose step the what-if removes loses its draws.

A what-if with a ``calibration`` block of its own carries its own draws, which hold as
written (its ``set`` gives their point value).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError

from simlib.formats.keypaths import _list_index, index_path, value_at
from simlib.formats.numbers import shown
from simlib.formats.validation import problem_text

if TYPE_CHECKING:
    from simlib.scenario.calibration import Posterior
    from simlib.scenario.schema import Scenario

PRIOR_SLACK = 1e-9  # relative: a draw written to 15 digits may sit a hair outside its range


def _canonical(data: dict, paths: Iterable[str]) -> dict[str, str]:
    """{path: its :func:`index_path`} for each of ``paths`` that exists in ``data``."""
    found = {}
    for path in paths:
        try:
            found[path] = index_path(data, str(path))
        except KeyError:
            continue
    return found


def inherited_posterior(posterior: dict, data: dict, fixed: Iterable[str] = (),
                        factors: dict | None = None) -> dict | None:
    """The posterior block (a mapping) a what-if keeps of its base's ``posterior``, given
    its data after ``set`` and ``scale`` (``data``), the paths it sets (``fixed``) and its
    scale ``factors`` (see the module for the rules; a scaled path's prior range is scaled
    with its draws); None when no draw is left. Paths are compared however they are spelt
    (a step by its name or by its index)."""
    draws, prior = posterior.get("draws") or {}, dict(posterior.get("prior") or {})
    drawn = _canonical(data, draws)
    set_paths = set(_canonical(data, fixed).values())
    scaled = {index: factors[path] for path, index in _canonical(data, factors or {}).items()}
    kept = {}
    for path, values in draws.items():
        place = drawn.get(path)
        if place is None or any(place == other or place.startswith(other + ".")
                                for other in set_paths):
            prior.pop(path, None)
            continue
        factor = scaled.get(place)
        kept[path] = values
        if factor is not None and _numbers(values) and _numbers(prior.get(path, ())):
            kept[path] = [value * factor for value in values]
            if path in prior:
                prior[path] = sorted(bound * factor for bound in prior[path])
    if not kept:
        return None
    return {**posterior, "draws": kept, **({"prior": prior} if "prior" in posterior else {})}


def _numbers(values: Any) -> bool:
    """True for a list of numbers (not true/false): what can be scaled."""
    return isinstance(values, list | tuple) and all(
        isinstance(value, int | float) and not isinstance(value, bool) for value in values)


def _object_at(scenario: Scenario, data: dict, parts: list[str]) -> Any:
    """The object at the key path ``parts`` of the scenario (list items by name or index,
    resolved in ``data``, the scenario's dump)."""
    node, item = data, scenario
    for part in parts:
        if isinstance(node, list):
            index = _list_index(node, part)
            node, item = node[index], item[index]
        else:
            node = node[part]
            item = item[part] if isinstance(item, dict) else getattr(item, part)
    return item


def _model_parent(scenario: Scenario, data: dict, path: str) -> str:
    """The path of the nearest model above ``path`` (a body, a duration, a step's
    ``revise``, a demand holding a ``mix``); "" for the scenario itself."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        if isinstance(_object_at(scenario, data, parts[:cut]), BaseModel):
            return ".".join(parts[:cut])
    return ""


def _with(record: Any, parts: list[str], value: float) -> Any:
    """A copy of ``record`` (a dump) with ``value`` at the relative key path ``parts``:
    only the containers along the path are copied, the rest is shared."""
    copied = record.copy()
    node = copied
    for depth, part in enumerate(parts):
        key = _list_index(node, part) if isinstance(node, list) else part
        if depth == len(parts) - 1:
            node[key] = value
        else:
            node[key] = node[key].copy()
            node = node[key]
    return copied


def _same_number(posterior: Posterior, data: dict) -> list[tuple[str, str]]:
    """A problem for each path that names a number another path already draws."""
    problems, seen = [], {}
    for path, place in _canonical(data, posterior.draws).items():
        if place in seen:
            problems.append((f"calibration.posterior.draws.{path}", f"is the same number as "
                             f"{seen[place]!r} (drawn twice); keep one of the two"))
        seen.setdefault(place, path)
    return problems


def _outside_prior(posterior: Posterior) -> list[tuple[str, str]]:
    """A problem for each path with a draw outside its ``prior`` range (or a range whose
    low is above its high)."""
    problems = []
    for path, (low, high) in posterior.prior.items():
        where = f"calibration.posterior.prior.{path}"
        if low > high:
            problems.append((where, f"low {shown(low)} is above high {shown(high)}; "
                             "give [low, high]"))
            continue
        if path not in posterior.draws:
            continue
        values = np.asarray(posterior.draws[path], dtype=float)
        slack = PRIOR_SLACK * max(abs(low), abs(high), 1.0)
        outside = np.flatnonzero((values < low - slack) | (values > high + slack))
        if outside.size:
            first = int(outside[0])
            problems.append((f"calibration.posterior.draws.{path}", f"draw {first + 1} is "
                             f"{shown(values[first])}, outside its prior range {shown(low)} "
                             f"to {shown(high)} ({outside.size:,} of {values.size:,} draws "
                             "outside); correct the draws or the range"))
    return problems


def _invalid_draws(scenario: Scenario, posterior: Posterior,
                   data: dict) -> list[tuple[str, str]]:
    """A problem for each model (a body, a duration, a step's ``revise``) that some draw
    makes invalid: each validated at every draw in one call; a drawn top-level number
    (``horizon_years``) by its own type."""
    groups: dict[str, list[str]] = {}
    for path in _canonical(data, posterior.draws):
        if isinstance(value_at(data, path), int | float):
            parent = _model_parent(scenario, data, path)
            groups.setdefault(parent or path, []).append(path)
    problems = []
    for parent, paths in groups.items():
        if parent in paths:  # top level
            field = type(scenario).model_fields[parent]
            adapter = TypeAdapter(list[field.rebuild_annotation()])
            records = list(posterior.draws[parent])
        else:
            adapter = TypeAdapter(list[type(_object_at(scenario, data, parent.split(".")))])
            records = [value_at(data, parent)] * posterior.count
            for path in paths:
                relative = path.split(".")[parent.count(".") + 1:]
                records = [_with(record, relative, value) for record, value
                           in zip(records, posterior.draws[path], strict=True)]
        try:
            adapter.validate_python(records)
        except ValidationError as error:
            problems.append(_draw_problem(error, parent, paths))
    return problems


def _draw_problem(error: ValidationError, parent: str, paths: list[str]) -> tuple[str, str]:
    """The place and problem of the first invalid draw of the ``paths`` under ``parent``."""
    found = error.errors(include_url=False)
    first = found[0]
    place = ".".join(str(part) for part in first["loc"][1:])
    full = f"{parent}.{place}"
    path = next((path for path in paths if full == path or full.startswith(f"{path}.")), None)
    bad = len({item["loc"][0] for item in found})
    more = f" ({bad:,} draws are invalid)" if bad > 1 else ""
    together = ""
    if path is None:  # a rule across several numbers (e.g. a mix that adds up to 1)
        path = paths[0]
        others = [repr(other) for other in paths if other != path]
        together = f" (with the draws of {', '.join(others)})" if others else ""
    return (f"calibration.posterior.draws.{path}",
            f"draw {int(first['loc'][0]) + 1}{together}: {problem_text(first)}{more}; "
            "correct or remove the draws")


def draw_problems(scenario: Scenario) -> list[tuple[str, str]]:
    """Every problem of the scenario's posterior draws (see the module): (key path,
    message) pairs; empty without draws."""
    posterior = scenario.calibration.posterior if scenario.calibration else None
    if posterior is None:
        return []
    data = scenario.model_dump(mode="json")
    return [*_same_number(posterior, data), *_outside_prior(posterior),
            *_invalid_draws(scenario, posterior, data)]
