"""Pydantic validation errors as one line in the user's terms.

Each message names the file, the place in it, and what is wrong, e.g.
``my-scenario.yaml: bodies.mc.meets.every_weeks: must be >= 1, got 0``.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import ValidationError

from simlib.formats.frozen import Frozen

MAX_SHOWN = 60  # characters of a given value (or key) quoted in a message


def _shown(value: Any) -> str:
    """A given value as a message quotes it: text in quotes, true/false as YAML writes
    them, huge numbers as 1e+20; at most :data:`MAX_SHOWN` characters."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        if abs(value) < 10**15:
            return str(value)
        try:
            return f"{float(value):g}"
        except OverflowError:
            return "a number too large to show"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _child(node: Any, item: Any) -> tuple[bool, Any]:
    """(found, child) for one step of a location into the raw data."""
    if isinstance(node, dict) and item in node:
        return True, node[item]
    if isinstance(node, list | tuple) and isinstance(item, int) and 0 <= item < len(node):
        return True, node[item]
    return False, None


def _place(loc: tuple, data: Any) -> str:
    """Dotted key path for a pydantic location, dropping the names pydantic gives union
    members (``office``, ``step``, ``str``...), which are not keys of the data."""
    parts = []
    node = data
    previous: Any = None
    for item in loc:
        if _is_tag(node, item, previous):
            previous = item
            continue
        found, child = _child(node, item)
        if not found and isinstance(item, str) and not isinstance(node, dict):
            continue  # a member of a union of plain types, e.g. 'str' in 'str | list'
        node, previous = child, item
        parts.append(str(item)[:MAX_SHOWN])
    return ".".join(parts)


# a pathway item is a step or a parallel group; a holiday is a day (range) or floating
_STEP_TAGS = {"step", "parallel", "day", "floating"}
_FUNCTION_TAG = re.compile(r"^function-(after|before|wrap|plain)\[")


def _is_tag(node: Any, item: Any, previous: Any) -> bool:
    """True when ``item`` of a location names a union member rather than a key."""
    if isinstance(node, dict) and isinstance(item, str) and node.get("kind") == item:
        return True
    if item in _STEP_TAGS and isinstance(previous, int):
        return True
    return isinstance(item, str) and bool(_FUNCTION_TAG.match(item))


_KIND_CHOICES = {"calendar": "academic or continuous", "bodies": "office or committee"}


def _known_keys() -> set[str]:
    """Every key of every input model defined so far (a typo is matched against them)."""
    keys: set[str] = set()
    models = list(Frozen.__subclasses__())
    while models:
        model = models.pop()
        keys.update(model.model_fields)
        models.extend(model.__subclasses__())
    return keys


def _describe(error: dict) -> str:
    """The problem part of one pydantic error, in the user's terms."""
    kind, ctx, value = error["type"], error.get("ctx", {}), error.get("input")
    shown = _shown(value)
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])[:MAX_SHOWN]
        if key in _known_keys():
            return "not allowed here; remove it"
        close = difflib.get_close_matches(key, _known_keys(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else "; remove it"
        return f"unknown key{hint}"
    if kind == "missing" and isinstance(error["loc"][-1], int):
        return f"too few items (got {error['loc'][-1]}); a range is [first, last]"
    if kind == "missing":
        return "required key is missing; add it"
    if kind == "union_tag_not_found":
        choices = _KIND_CHOICES.get(str(error["loc"][0]), "")
        return f"kind is missing; add kind: {choices}".rstrip(": ")
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
        least = "at least" if kind == "too_short" else "at most"
        bound = ctx.get("min_length", ctx.get("max_length"))
        count = len(value) if hasattr(value, "__len__") else "?"
        return f"needs {least} {bound} item{'s' * (bound != 1)}, got {count}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"must be a mapping (key: value), got {shown}"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list, got {shown}"
    if kind == "string_type":
        return f"must be text, got {shown}"
    message = error["msg"].removeprefix("Value error, ")[:300]
    return message[0].lower() + message[1:]


def _is_echo(problem: dict) -> bool:
    """True for a 'too short' that only echoes bad items (the list was long enough)."""
    value, least = problem.get("input"), problem.get("ctx", {}).get("min_length")
    return (
        problem["type"] == "too_short"
        and hasattr(value, "__len__")
        and least is not None
        and len(value) >= least
    )


def problem_text(error: dict) -> str:
    """The problem of one pydantic error (an item of ``ValidationError.errors()``) in the
    user's terms, without its place: "must be >= 1, got 0"."""
    return _describe(error)


def format_validation_error(error: ValidationError, data: Any, source: str) -> str:
    """One line for the first problem of ``error``; the count of the others is appended."""
    problems = error.errors(include_url=False)
    problems = [p for p in problems if not _is_echo(p)] or problems
    first = problems[0]
    if first["type"] == "reference":
        place, problem = first["ctx"]["path"], first["ctx"]["problem"]
    elif first["type"] == "missing" and isinstance(first["loc"][-1], int):
        place, problem = _place(first["loc"][:-1], data), _describe(first)
    else:
        place, problem = _place(first["loc"], data), _describe(first)
    others = {_place(p["loc"], data) for p in problems[1:]} - {place}
    more = f" (and {len(others)} more problem{'s' * (len(others) > 1)})" if others else ""
    return f"{source}: {place or 'top level'}: {problem}{more}"
