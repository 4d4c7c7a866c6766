"""What a what-if changes: every value the simulation sees differently from its base.

:func:`what_changed` compares two loaded scenarios value by value and lists each
difference as a :class:`Change`, e.g. ``bodies.dean.staff: 6 -> 2``. Paths are the dotted
paths of ``set``, pathway steps named by their step (``pathways.credit.mc.revise.p``; a
parallel group by its branches, ``grad_council+fs_program_review``; a name seen before in
the pathway gets a number, ``owd (2)``, as in the event log). When steps are added, removed
or reordered, the pathway itself is listed with its steps in order, then each step only one
side has.
Descriptive keys (name, title, description, assumptions, calibration) and the run settings
a comparison does not use (seed, replications) are left out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simlib.formats.keypaths import item_name

if TYPE_CHECKING:
    from simlib.scenario.schema import Scenario

NOT_COMPARED = ("name", "title", "description", "assumptions", "calibration", "seed",
                "replications")
ABSENT = "(none)"  # how a value that one side does not have is shown
MAX_SHOWN = 100  # characters of a list or mapping in a change line (the JSON has it all)


@dataclass(frozen=True)
class Change:
    """One value that differs: its dotted ``path``, the ``base``'s value and the ``new``
    one (None where a side does not have it, e.g. a removed step)."""

    path: str
    base: Any
    new: Any

    def __str__(self) -> str:
        """``path: base -> new``, e.g. ``bodies.dean.staff: 6 -> 2`` (long values cut); a
        step or block only one side has is ``path: removed`` or ``path: added {...}``."""
        if self.new is None and isinstance(self.base, dict | list):
            return f"{self.path}: removed"
        if self.base is None and isinstance(self.new, dict | list):
            return f"{self.path}: added {_text(self.new)}"
        return f"{self.path}: {_text(self.base)} -> {_text(self.new)}"

    def to_dict(self) -> dict:
        """``{path, base, new}`` (JSON-ready values)."""
        return {"path": self.path, "base": self.base, "new": self.new}


def _number(value: float) -> str:
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def _text(value: Any) -> str:
    """A value as a change line shows it: numbers to 6 significant digits, true/false,
    lists and mappings as compact JSON."""
    if value is None:
        return ABSENT
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return value
    text = json.dumps(value, separators=(", ", ": "), default=str)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _label(item: Any) -> str:
    """A list item's name in a change's path: a step's name or body, a parallel group's
    branches joined by ``+``; "" when it has none."""
    if isinstance(item, dict) and isinstance(item.get("parallel"), list) and not item.get("name"):
        return "+".join(_label(branch) for branch in item["parallel"])
    return item_name(item)


def _keyed(items: list) -> dict[str, Any]:
    """Items of a list keyed by their labels (a label seen before gets a number, as in the
    event log: ``owd (2)``; an item without one is keyed by its index)."""
    keyed: dict[str, Any] = {}
    for index, item in enumerate(items):
        label, count = _label(item) or str(index), 2
        while label in keyed:
            label, count = f"{_label(item) or index} ({count})", count + 1
        keyed[label] = item
    return keyed


def _compact(value: Any) -> Any:
    """``value`` without its empty entries (defaults such as ``when: {}``), to show a step
    that only one side has."""
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()
                if item not in (None, "", {}, [])}
    if isinstance(value, list):
        return [_compact(item) for item in value]
    return value


def _differences(base: Any, new: Any, path: str, found: list[Change]) -> None:
    """Append to ``found`` every difference between ``base`` and ``new`` under ``path``."""
    if base == new:
        return
    if isinstance(base, dict) and isinstance(new, dict):
        for key in [*base, *(key for key in new if key not in base)]:
            _differences(base.get(key), new.get(key), f"{path}.{key}".lstrip("."), found)
        return
    if (isinstance(base, list) and isinstance(new, list) and base + new
            and all(isinstance(item, dict) for item in base + new)):
        old, fresh = _keyed(base), _keyed(new)
        if list(old) != list(fresh):  # steps added, removed or reordered
            found.append(Change(path, ", ".join(old), ", ".join(fresh)))
        for key, item in old.items():
            if key in fresh:
                _differences(item, fresh[key], f"{path}.{key}", found)
            else:
                found.append(Change(f"{path}.{key}", _compact(item), None))
        found.extend(Change(f"{path}.{key}", None, _compact(item))
                     for key, item in fresh.items() if key not in old)
        return
    found.append(Change(path, base, new))


def what_changed(base: Scenario, other: Scenario) -> list[Change]:
    """Every value the simulation of ``other`` sees differently from ``base``, in the
    order of the base's keys (then the keys only ``other`` has); see the module."""
    found: list[Change] = []
    old, new = (scenario.model_dump(mode="json") for scenario in (base, other))
    for key in NOT_COMPARED:
        old.pop(key, None)
        new.pop(key, None)
    _differences(old, new, "", found)
    return found
