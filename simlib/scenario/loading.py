"""Loading scenario files: ``extends`` chains, ``set`` and ``scale`` of what-ifs, overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simlib.errors import ScenarioError
from simlib.formats.keypaths import apply_scale, apply_set
from simlib.formats.yamlfile import read_yaml_mapping
from simlib.scenario.schema import Scenario, _inherit, validate_scenario


def _resolve(path: Path, chain: tuple[Path, ...]) -> dict:
    """Read ``path``, following ``extends`` (validating each base on the way)."""
    resolved = path.resolve()
    if resolved in chain:
        names = " -> ".join(p.name for p in (*chain, resolved))
        raise ScenarioError(f"{path}: extends: cycle {names}; remove one of the extends")
    raw = read_yaml_mapping(path)
    raw.setdefault("name", path.stem)
    if "extends" not in raw:
        for key in ("set", "scale"):
            if key in raw:
                raise ScenarioError(
                    f"{path}: {key}: only a what-if with 'extends: BASE.yaml' can {key}"
                )
        return raw
    base_name = raw.pop("extends")
    if not isinstance(base_name, str):
        raise ScenarioError(f"{path}: extends: must be a file name, e.g. baseline.yaml")
    base_path = path.parent / base_name
    if not base_path.exists():
        raise ScenarioError(f"{path}: extends: base file {str(base_path)!r} not found")
    base = _resolve(base_path, (*chain, resolved))
    validate_scenario(base, str(base_path))
    changes = raw.pop("set", {})
    factors = raw.pop("scale", {})
    merged = apply_set(
        apply_scale({**base, **raw}, factors, str(path)), changes, str(path)
    )
    if "calibration" not in raw and "calibration" not in str(changes):
        merged.pop("calibration", None)  # the base's fit is in its numbers; a what-if is not fitted
    return _inherit(merged, f"{' '.join(raw)} {changes}")


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, resolve ``extends``/``set``, apply ``overrides`` and validate a scenario file."""
    path = Path(path)
    data = _resolve(path, ())
    if overrides:
        data = apply_set(data, overrides, f"{path} (overrides)")
    return validate_scenario(data, str(path))


