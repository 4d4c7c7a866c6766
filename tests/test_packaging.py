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


def test_sources_are_cited_from_inside_the_repository():
    assert (ROOT / "docs" / "sources.md").is_file()
    cited = [ROOT / "README.md", *sorted((ROOT / "scenarios").rglob("*.yaml")),
             *sorted((ROOT / "simlib").rglob("*.py"))]
    outside = [str(path.relative_to(ROOT)) for path in cited
               if "FACTS.md" in path.read_text()]  # machine paths: tests/test_docs.py
    assert not outside, f"cite docs/sources.md instead in: {outside}"
    assert "sources.md" in (ROOT / "scenarios" / "baseline.yaml").read_text()
