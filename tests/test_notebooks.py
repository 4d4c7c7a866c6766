"""The shipped notebooks: thin (literal parameters, no definitions), and each runs end to end
under papermill with tiny parameters, showing a summary from the run, its figures, no errors
and its provenance. (nbval re-runs them with their default parameters in ``make test``.)"""

from __future__ import annotations

import ast
import functools
import re
import tempfile
from pathlib import Path

import nbformat
import papermill
import pytest

import simlib
from simlib import metrics

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SCENARIOS = NOTEBOOKS.parent / "scenarios"
EXPECTED = ("01-baseline", "02-compare-scenarios", "03-staffing", "04-demand-growth",
            "05-sensitivity")
TINY = {
    "01-baseline": {"replications": 3},
    "02-compare-scenarios": {"whatif_paths": ["../scenarios/mc-weekly.yaml",
                                              "../scenarios/demand-3x.yaml"],
                             "replications": 3},
    "03-staffing": {"values": [1, 2], "demand_factors": [1, 4], "replications": 2},
    "04-demand-growth": {"factors": [1, 3], "replications": 2},
    "05-sensitivity": {"replications": 2, "top": 4},
}
FIGURES = {"01-baseline": 2, "02-compare-scenarios": 1, "03-staffing": 2,
           "04-demand-growth": 3, "05-sensitivity": 1}


def shipped() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def outputs(notebook: nbformat.NotebookNode, kind: str) -> list[str]:
    """Every output of MIME type ``kind`` in the notebook, as text."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if kind in data:
                found.append(data[kind])
    return found


@functools.cache
def run_tiny(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` executed by papermill with its :data:`TINY` parameters (once)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"{name}.ipynb"
        papermill.execute_notebook(str(NOTEBOOKS / f"{name}.ipynb"), str(out),
                                   parameters=TINY[name], cwd=str(NOTEBOOKS),
                                   kernel_name="python3", progress_bar=False)
        return nbformat.read(out, as_version=4)


@pytest.fixture(params=EXPECTED)
def executed(request) -> tuple[str, nbformat.NotebookNode]:
    return request.param, run_tiny(request.param)


def test_every_planned_notebook_is_shipped():
    assert [path.stem for path in shipped()] == list(EXPECTED)


@pytest.mark.parametrize("path", shipped(), ids=lambda path: path.stem)
def test_notebook_is_thin(path):
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    first = code[0]
    assert first.metadata.get("tags") == ["parameters"]
    for statement in ast.parse(first.source).body:
        assert isinstance(statement, ast.AnnAssign), f"{path.name}: parameters must be typed"
        ast.literal_eval(statement.value)  # literal values only
    for line in first.source.splitlines():
        if line.strip() and not line.startswith((" ", "]")):
            assert "#" in line, f"{path.name}: parameter without a comment: {line}"
    for cell in code:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda), path.name
    assert "provenance(" in code[-1].source
    assert any("NBVAL_CHECK_OUTPUT" in cell.source for cell in code)
    assert notebook.cells[0].cell_type == "markdown"
    assert notebook.cells[0].source.startswith("# ")


def test_notebooks_are_committed_with_outputs():
    for path in shipped():
        notebook = nbformat.read(path, as_version=4)
        checked = [cell for cell in notebook.cells
                   if cell.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in cell.source]
        assert all(cell.outputs for cell in checked), f"{path.name}: run `make notebooks`"


def test_runs_with_summary_figures_and_provenance(executed):
    name, notebook = executed
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.output_type == "error"]
    assert not errors
    markdown = outputs(notebook, "text/markdown")
    summaries = [text for text in markdown if text.startswith("## Summary")]
    assert len(summaries) == 1
    assert re.search(r"\d", summaries[0])
    assert len(outputs(notebook, "image/png")) == FIGURES[name]
    provenance = [text for text in markdown if text.startswith("## Provenance")]
    assert len(provenance) == 1
    for key, value in TINY[name].items():
        assert key in provenance[0] and str(value if not isinstance(value, list) else value[0]) \
            in provenance[0]
    assert simlib.__version__ in provenance[0]


def test_baseline_summary_reports_the_run():
    notebook = run_tiny("01-baseline")
    scenario = simlib.load_scenario(SCENARIOS / "baseline.yaml")
    results = simlib.replicate(scenario, 3, scenario.seed, jobs=1, progress=False)
    table = metrics.cycle_summary(results.events, scenario, 3)
    summary = outputs(notebook, "text/markdown")[0]
    for pathway, words in (("credit", "Credit-bearing"), ("noncredit", "Non-credit")):
        mean = table.loc[pathway, "cycle_days_mean"]
        assert f"{words} proposals take {mean:.0f} days on average" in summary
