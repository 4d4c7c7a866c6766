"""Notebooks find the project's files wherever they run: in their own folder (JupyterLab,
``mcsim report``), from the project folder (``papermill notebooks/<name>.ipynb out.ipynb``) or
from anywhere else; one clear error when a file is in none of those places."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from simlib.errors import InputError
from simlib.reports.build import project_file, project_root

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
# Resolve every path parameter of a notebook as its first code cell would, in a fresh
# interpreter started in the folder under test.
RESOLVE = """
import ast, json, sys
from simlib.reports.build import project_file
values = {s.target.id: ast.literal_eval(s.value) for s in ast.parse(sys.argv[1]).body}
paths = [v for v in values.values() if isinstance(v, str) and v.endswith((".yaml", ".csv"))]
paths += [p for v in values.values() if isinstance(v, list) for p in v if isinstance(p, str)]
print(json.dumps({path: project_file(path) for path in paths}))
"""


def parameters_cell(name: str) -> str:
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    return next(cell.source for cell in notebook.cells
                if "parameters" in cell.metadata.get("tags", []))


@pytest.mark.parametrize("name", ["03-staffing", "02-compare-scenarios",
                                  "06-deadline-planner", "07-model-vs-record"])
@pytest.mark.parametrize("where", ["root", "notebooks", "elsewhere"])
def test_notebook_parameters_resolve_from_any_folder(name, where, tmp_path):
    folder = {"root": ROOT, "notebooks": NOTEBOOKS, "elsewhere": tmp_path}[where]
    done = subprocess.run([sys.executable, "-c", RESOLVE, parameters_cell(name)], cwd=folder,
                          capture_output=True, text=True, timeout=60, check=False,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    resolved = json.loads(done.stdout)
    assert resolved, name
    for given, found in resolved.items():
        assert not Path(given).is_absolute() and not given.startswith("..")  # project-relative
        assert Path(found) == (ROOT / given).resolve() and Path(found).is_file()


def test_the_parameters_name_files_relative_to_the_project():
    for path in sorted(NOTEBOOKS.glob("[0-9]*.ipynb")):
        for statement in ast.parse(parameters_cell(path.stem)).body:
            value = ast.literal_eval(statement.value)
            for item in value if isinstance(value, list) else [value]:
                assert not (isinstance(item, str) and item.startswith("../")), path.name


def test_a_file_in_the_working_directory_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    mine = tmp_path / "scenarios" / "baseline.yaml"
    mine.write_text("name: mine\n")
    assert project_file("scenarios/baseline.yaml") == str(mine.resolve())


def test_the_project_is_found_by_walking_up(tmp_path, monkeypatch):
    (tmp_path / "reports.yaml").write_text("notebooks: []\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "x.csv").write_text("a\n")
    deep = tmp_path / "notebooks" / "deeper"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert project_root() == tmp_path.resolve()
    assert project_file("data/x.csv") == str((tmp_path / "data" / "x.csv").resolve())


def test_a_missing_file_is_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as error:
        project_file("missing/nowhere.yaml")
    message = str(error.value)
    assert "\n" not in message and message.startswith("missing/nowhere.yaml: file not found")
    assert str(tmp_path.resolve()) in message and "reports.yaml" in message
    with pytest.raises(InputError, match="file not found"):
        project_file(tmp_path / "absent.yaml")
    assert project_file("") == ""  # no file (the planner's pipeline_csv)
