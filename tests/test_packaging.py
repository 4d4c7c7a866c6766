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
    # every notes file (*.md) that the README, a scenario or the code cites is one the
    # repository holds (machine paths: tests/test_docs.py)
    assert (ROOT / "docs" / "sources.md").is_file()
    held = {path.name for path in ROOT.rglob("*.md") if ".venv" not in path.parts}
    cited = [ROOT / "README.md", *sorted((ROOT / "scenarios").rglob("*.yaml")),
             *sorted((ROOT / "examples").rglob("*.yaml")),
             *sorted((ROOT / "simlib").rglob("*.py"))]
    outside = sorted({f"{path.relative_to(ROOT)}: {name}" for path in cited
                      for name in re.findall(r"\b[\w-]+\.md\b", path.read_text())
                      if name not in held})
    assert not outside, f"cite docs/sources.md instead in: {outside}"
    assert "sources.md" in (ROOT / "scenarios" / "baseline.yaml").read_text()
