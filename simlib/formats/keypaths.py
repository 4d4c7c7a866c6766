"""Dotted key paths into scenario data, as used by ``set`` in what-if files.

``bodies.mc.meets.every_weeks`` names a value; list items are addressed by index or, for
pathway steps, by step name (the step's ``name``, else its body), e.g.
``pathways.credit.mc.revise.p``.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from simlib.errors import ScenarioError

MAX_FACTOR = 1000  # a scale factor past this is a typo
MAX_SHOWN = 60  # characters of a value or a key quoted in a message


def _brief(value: Any) -> str:
    """``repr(value)`` cut to :data:`MAX_SHOWN` characters for a message."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _keys(node: dict) -> str:
    """The keys of a mapping for a message: the first few, then how many more."""
    names = [str(key)[:MAX_SHOWN] for key in node]
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    return shown or "nothing"


def item_name(item: Any) -> str:
    """The name a pathway item goes by in a ``set`` path: its name, or its body's."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return str(item.get("name") or item.get("body") or "")
    return ""


def _list_index(items: list, part: str) -> int | None:
    """Index of ``part`` in ``items``: a number, or the name of exactly one step."""
    if part.lstrip("-").isdigit():
        if len(part) > 18:
            return None
        index = int(part)
        return index if -len(items) <= index < len(items) else None
    matches = [i for i, item in enumerate(items) if item_name(item) == part]
    return matches[0] if len(matches) == 1 else None


def value_at(data: Any, path: str) -> Any:
    """The value at dotted key ``path`` in scenario data; KeyError naming the missing part."""
    node = data
    for part in path.split("."):
        if isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                raise KeyError(f"no item {part!r}")
            node = node[index]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(f"no key {part!r}")
    return node


def index_path(data: Any, path: str) -> str:
    """``path`` with every list item named by its index (``pathways.credit.mc.revise.p`` ->
    ``pathways.credit.2.revise.p``; a negative index counted from the start): one spelling
    per number, to tell when two paths name the same one. KeyError as :func:`value_at`."""
    node, parts = data, []
    for part in path.split("."):
        if isinstance(node, list):
            index = _list_index(node, part)
            if index is None:
                raise KeyError(f"no item {part!r}")
            index %= len(node)
            node, part = node[index], str(index)
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise KeyError(f"no key {part!r}")
        parts.append(part)
    return ".".join(parts)


def unshared(value: Any) -> Any:
    """A copy of ``value`` (mappings, lists and scalars) in which no two places share an
    object: a YAML anchor's uses become copies of their own, so setting one changes only
    it (``copy.deepcopy`` would keep them shared)."""
    if isinstance(value, dict):
        return {key: unshared(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [unshared(item) for item in value]
    return copy.copy(value)


def apply_set(data: dict, changes: Any, where: str) -> dict:
    """Return a copy of ``data`` with each ``{dotted.key.path: value}`` of ``changes`` set.

    A value of ``None`` (YAML ``null``) removes the key or list item, e.g. a step.
    Every part of a path but the last must exist; list items are addressed by index or,
    for pathway steps, by step name (its ``name``, else its body), e.g.
    ``pathways.credit.mc.revise.p``; a step given by its body's name alone becomes a
    mapping when a path sets a key of it (``pathways.credit.fs_executive.skip_when``).
    Raises :class:`ScenarioError` naming ``where`` and the bad path.
    """
    if not isinstance(changes, dict):
        raise ScenarioError(f"{where}: set: must be a mapping of dotted.key.path: value")
    result = unshared(data)
    for dotted, value in changes.items():
        parts = str(dotted).split(".")
        shown = str(dotted) if len(str(dotted)) <= MAX_SHOWN else str(dotted)[:MAX_SHOWN] + "..."
        node: Any = result
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            so_far = ".".join(parts[:depth])[:MAX_SHOWN] or "the top level"
            if isinstance(node, list):
                key: Any = _list_index(node, part)
                if key is None:
                    names = ", ".join(filter(None, map(item_name, node)))[:200]
                    raise ScenarioError(
                        f"{where}: set.{shown}: path does not exist: {so_far} has "
                        f"{len(node)} items; use an index 0-{len(node) - 1}"
                        + (f" or a step name ({names})" if names else "")
                        + f", not {_brief(part)}"
                    )
            elif isinstance(node, dict):
                if part not in node and (not last or value is None):
                    raise ScenarioError(
                        f"{where}: set.{shown}: path does not exist: no {_brief(part)} under "
                        f"{so_far} (have: {_keys(node)})"
                    )
                key = part
            else:
                raise ScenarioError(
                    f"{where}: set.{shown}: path does not exist: {so_far} is a single "
                    f"value, not a mapping"
                )
            if (not last and isinstance(node, list) and isinstance(node[key], str)
                    and parts[0] in ("pathways", "after_approval")):
                node[key] = {"body": node[key]}  # a step named by its body gains a key
            if last and value is None:
                del node[key]  # null removes a key or a list item (e.g. a step)
            elif last:
                node[key] = copy.deepcopy(value)
            else:
                node = node[key]
    return result


def apply_scale(data: dict, factors: Any, where: str) -> dict:
    """Return a copy of ``data`` with the number at each ``{dotted.key.path: factor}``
    multiplied by ``factor`` (``scale:`` in a what-if: "halve", "three times").

    Each path must exist and hold a number; whole numbers stay whole when the product is.
    """
    if not isinstance(factors, dict):
        raise ScenarioError(f"{where}: scale: must be a mapping of dotted.key.path: factor")
    changes = {}
    for dotted, factor in factors.items():
        place = f"{where}: scale.{str(dotted)[:MAX_SHOWN]}"
        try:
            value = value_at(data, str(dotted))
        except KeyError as error:
            raise ScenarioError(f"{place}: path does not exist: {error.args[0][:100]}") from None
        numbers = (value, factor)
        if any(isinstance(n, bool) or not isinstance(n, int | float) for n in numbers):
            raise ScenarioError(
                f"{place}: both the value ({_brief(value)}) and the factor ({_brief(factor)}) "
                "must be numbers"
            )
        if not (math.isfinite(factor) and abs(factor) <= MAX_FACTOR):
            shown = f"{factor:g}" if isinstance(factor, float) else f"{float(factor):g}"
            raise ScenarioError(f"{place}: the factor must be a number from -{MAX_FACTOR} to "
                                f"{MAX_FACTOR}, got {shown}")
        product = value * factor
        whole = isinstance(value, int) and float(product).is_integer()
        changes[dotted] = int(product) if whole else product
    return apply_set(data, changes, where)
