"""Reading user input files and turning every problem into one line the user can act on.

Each message names the file, the place in it, and what is wrong, e.g.
``scenarios/x.yaml: bodies.mc.meets.every_weeks: must be >= 1, got 0``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError


class InputError(ValueError):
    """Bad user input; the message is one line naming the file, place and problem."""


class ScenarioError(InputError):
    """A scenario file that cannot be used as written."""


class _PlainLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so a bad date is reported at its key path."""


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml_mapping(path: Path) -> dict:
    """Read a YAML file that must hold a mapping; raise :class:`ScenarioError` otherwise."""
    if not path.exists():
        raise ScenarioError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise ScenarioError(f"{path}: is a folder; give a .yaml file")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    try:
        data = yaml.load(text, Loader=_PlainLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise ScenarioError(f"{path}: {place}YAML syntax error: {problem}") from None
    if data is None:
        raise ScenarioError(f"{path}: file is empty; a scenario needs at least name and bodies")
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: must be a mapping of keys (name: ..., bodies: ...), "
            f"got a {type(data).__name__}"
        )
    return data


def _child(node: Any, item: Any) -> tuple[bool, Any]:
    """(found, child) for one step of a location into the raw data."""
    if isinstance(node, dict) and item in node:
        return True, node[item]
    if isinstance(node, list | tuple) and isinstance(item, int) and 0 <= item < len(node):
        return True, node[item]
    return False, None


def _place(loc: tuple, data: Any) -> str:
    """Dotted key path for a pydantic location, dropping union tags absent from the data."""
    parts = []
    node = data
    for item in loc:
        found, child = _child(node, item)
        is_tag = (isinstance(node, dict) and node.get("kind") == item) or item in _TAGS
        if not found and is_tag:
            continue
        node = child
        parts.append(str(item))
    return ".".join(parts)


_TAGS = {"step", "parallel", "function-after[_check_cv(), Distribution]"}


def _known_keys() -> set[str]:
    from simlib import scenario

    keys: set[str] = set()
    for value in vars(scenario).values():
        if isinstance(value, type) and issubclass(value, scenario.Frozen):
            keys.update(value.model_fields)
    return keys


def _describe(error: dict) -> str:
    """The problem part of one pydantic error, in the user's terms."""
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    shown = repr(value) if isinstance(value, str) else value
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, _known_keys(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; remove it"
        return f"unknown key{hint}"
    if kind == "missing":
        return "required key is missing; add it"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        sign = {"greater_than_equal": ">=", "greater_than": ">",
                "less_than_equal": "<=", "less_than": "<"}[kind]
        bound = next(iter(ctx.values()))
        return f"must be {sign} {bound}, got {shown}"
    if kind == "literal_error":
        return f"must be one of {ctx['expected']}, got {shown}"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = ctx.get("expected_tags", "")
        found = f", got {ctx['tag']!r}" if "tag" in ctx else " is missing"
        return f"{ctx.get('discriminator', 'kind')} must be one of {tags}{found}".replace(
            "'kind'", "kind"
        )
    if kind.startswith("int_") or kind.startswith("float_") or kind.startswith("bool_"):
        wanted = {"int": "a whole number", "float": "a number", "bool": "true or false"}
        return f"must be {wanted[kind.split('_')[0]]}, got {shown}"
    if kind.startswith("date_"):
        return f"must be a real date YYYY-MM-DD, got {shown}"
    if kind in ("too_short", "too_long"):
        return f"{error['msg'].lower()}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping (key: value), got {shown}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, got {shown}"
    if kind == "string_type":
        return f"must be text, got {shown}"
    message = error["msg"].removeprefix("Value error, ")
    return message[0].lower() + message[1:]


def format_validation_error(error: ValidationError, data: Any, source: str) -> str:
    """One line for the first problem of ``error``; the count of the others is appended."""
    problems = error.errors(include_url=False)
    first = problems[0]
    if first["type"] == "reference":
        place, problem = first["ctx"]["path"], first["ctx"]["problem"]
    else:
        place, problem = _place(first["loc"], data), _describe(first)
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{source}: {place or 'top level'}: {problem}{more}"
