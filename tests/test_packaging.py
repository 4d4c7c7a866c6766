"""environment.yml (for conda users) lists the same packages as pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# conda-forge splits these pip packages: dask[distributed] is dask plus distributed
CONDA_NAMES = {"dask[distributed]": {"dask", "distributed"}}


def names(requirements: list[str]) -> set[str]:
    result = set()
    for requirement in requirements:
        name = re.split(r"[<>=!~ ]", requirement, maxsplit=1)[0].lower()
        result |= CONDA_NAMES.get(name, {name})
    return result


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = names(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted |= names(extra)
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = names([item for item in environment["dependencies"] if isinstance(item, str)])
    assert wanted == listed - {"python", "pip"}
