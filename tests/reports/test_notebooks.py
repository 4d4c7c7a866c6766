"""The shipped notebooks: thin (literal parameters, no definitions), and each runs end to end
under papermill with tiny parameters, showing a summary from the run, its figures, no errors
and its provenance. (nbval re-runs them with their default parameters in ``make test``.)"""

from __future__ import annotations

import ast
import atexit
import functools
import re
import shutil
import tempfile
from pathlib import Path

import nbformat
import pytest
import yaml

import simlib
from simlib.cli.main import main
from simlib.metrics import events as metrics

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SCENARIOS = NOTEBOOKS.parent / "scenarios"
EXPECTED = ("01-baseline", "02-compare-scenarios", "03-staffing", "04-demand-growth",
            "05-sensitivity", "06-deadline-planner")
TINY = {
    "01-baseline": {"replications": 3},
    "02-compare-scenarios": {"whatif_paths": ["../scenarios/mc-weekly.yaml",
                                              "../scenarios/demand-3x.yaml"],
                             "replications": 3},
    "03-staffing": {"values": [1, 2], "demand_factors": [1, 4], "replications": 2},
    "04-demand-growth": {"factors": [1, 3], "replications": 2},
    "05-sensitivity": {"replications": 2, "top": 4},
    "06-deadline-planner": {"replications": 2, "launch": "2027-09-01"},
}
FIGURES = {"01-baseline": 2, "02-compare-scenarios": 1, "03-staffing": 2,
           "04-demand-growth": 3, "05-sensitivity": 1, "06-deadline-planner": 1}


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
def tiny_report() -> Path:
    """``mcsim report`` over every shipped notebook with its :data:`TINY` parameters (run
    once): the output folder."""
    folder = Path(tempfile.mkdtemp(prefix="tiny-report-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    config = folder / "reports.yaml"
    entries = [{"notebook": str(NOTEBOOKS / f"{name}.ipynb"), "parameters": TINY[name]}
               for name in EXPECTED]
    config.write_text(yaml.safe_dump({"notebooks": entries}))
    assert main(["report", "--config", str(config), "--out", str(folder / "out"),
                 "--quiet"]) == 0
    return folder / "out"


def run_tiny(name: str) -> nbformat.NotebookNode:
    """The notebook ``name`` as executed by the tiny report."""
    return nbformat.read(tiny_report() / f"{name}.ipynb", as_version=4)


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


def test_report_of_every_notebook():
    """One test (the run is shared): each notebook ran with its parameters and shows a
    summary from the run, its figures, its provenance and no errors; its HTML report has
    the figures and no code; the index links every report."""
    index = (tiny_report() / "index.html").read_text()
    for name in EXPECTED:
        notebook = run_tiny(name)
        errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
                  if output.output_type == "error"]
        assert not errors, name
        markdown = outputs(notebook, "text/markdown")
        summaries = [text for text in markdown if text.startswith("## Summary")]
        assert len(summaries) == 1 and re.search(r"\d", summaries[0]), name
        assert len(outputs(notebook, "image/png")) == FIGURES[name], name
        provenance = [text for text in markdown if text.startswith("## Provenance")]
        assert len(provenance) == 1, name
        for key, value in TINY[name].items():
            shown = value[0] if isinstance(value, list) else value
            assert f"| {key} |" in provenance[0] and str(shown) in provenance[0], (name, key)
        assert simlib.__version__ in provenance[0]

        page = (tiny_report() / f"{name}.html").read_text()
        assert page.count("<img") == FIGURES[name], name
        assert page.count('alt="Figure: ') == FIGURES[name], name
        for code in ("import simlib", "load_scenario", "provenance(", "NBVAL_CHECK_OUTPUT",
                     "Traceback", 'data-mime-type="application/vnd.jupyter.stderr"'):
            assert code not in page, (name, code)
        assert "Summary" in page and "Provenance" in page and "STRESS-DES" in page
        title = notebook.cells[0].source.splitlines()[0].removeprefix("# ")
        assert f'href="{name}.html"' in index and title in index, name


def test_baseline_summary_reports_the_run():
    notebook = run_tiny("01-baseline")
    scenario = simlib.load_scenario(SCENARIOS / "baseline.yaml")
    results = simlib.replicate(scenario, 3, scenario.seed, jobs=1, progress=False)
    table = metrics.cycle_summary(results.events, scenario, 3)
    summary = outputs(notebook, "text/markdown")[0]
    for pathway, words in (("credit", "Credit-bearing"), ("noncredit", "Non-credit")):
        mean = table.loc[pathway, "cycle_days_mean"]
        assert f"{words} proposals take {mean:.0f} days on average" in summary
