"""The shipped notebooks: thin (literal parameters, no definitions), and each runs end to end
under papermill with tiny parameters, showing a summary from the run, its figures, no errors
and its provenance. (nbval re-runs them with their default parameters in ``make test``.)"""

from __future__ import annotations

import ast
import atexit
import datetime as dt
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
from simlib.reports.build import page_problems, report_bottom_line

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SCENARIOS = NOTEBOOKS.parent / "scenarios"
EXPECTED = ("01-baseline", "02-compare-scenarios", "03-staffing", "04-demand-growth",
            "05-sensitivity", "06-deadline-planner", "07-model-vs-record",
            "08-governance-options")
UNKNOWNS = {"draws": 3, "draw_replications": 2}  # what we don't know, at its smallest
TINY = {
    "01-baseline": {"replications": 3},
    "02-compare-scenarios": {"whatif_paths": ["scenarios/mc-weekly.yaml",
                                              "scenarios/demand-3x.yaml"],
                             "replications": 3, **UNKNOWNS},
    "03-staffing": {"values": [1, 2], "demand_factors": [1, 4], "replications": 2,
                    **UNKNOWNS},
    "04-demand-growth": {"factors": [1, 3], "replications": 2, **UNKNOWNS},
    "05-sensitivity": {"replications": 2, "top": 4, **UNKNOWNS},
    "06-deadline-planner": {"replications": 2, "launch": "2027-09-01", **UNKNOWNS},
    "07-model-vs-record": {"replications": 2},
    "08-governance-options": {"replications": 2, **UNKNOWNS},
}
FIGURES = {"01-baseline": 5, "02-compare-scenarios": 1, "03-staffing": 2,
           "04-demand-growth": 3, "05-sensitivity": 1, "06-deadline-planner": 1,
           "07-model-vs-record": 2, "08-governance-options": 1}


EXPLORER = NOTEBOOKS / "00-explorer.ipynb"  # not a report: the what-if explorer's page


def shipped() -> list[Path]:
    """The report notebooks (the explorer apart)."""
    return sorted(path for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb") if path != EXPLORER)


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


def test_the_explorer_notebook_is_thin():
    """Typed, commented literal parameters, then one cell that builds the explorer: no
    function or class, and its default replications are the explorer's own default."""
    from simlib.defaults import EXPLORE_REPLICATIONS

    notebook = nbformat.read(EXPLORER, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"] and len(code) == 2
    values = {}
    for statement in ast.parse(code[0].source).body:
        assert isinstance(statement, ast.AnnAssign)
        values[statement.target.id] = ast.literal_eval(statement.value)
    assert all("#" in line for line in code[0].source.splitlines())
    assert values["replications"] == EXPLORE_REPLICATIONS
    tree = ast.parse(code[1].source)
    assert not [node for node in ast.walk(tree)
                if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.Lambda)]
    assert "Explorer(" in code[1].source and notebook.cells[0].source.startswith("# ")


def test_notebooks_are_committed_with_outputs():
    for path in shipped():
        notebook = nbformat.read(path, as_version=4)
        checked = [cell for cell in notebook.cells
                   if cell.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in cell.source]
        assert all(cell.outputs for cell in checked), f"{path.name}: run `make notebooks`"


@pytest.mark.slow
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
        assert markdown[0].startswith("## Bottom line"), name  # the page opens with it
        assert len(report_bottom_line(notebook)) == 3, name
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
        assert page_problems(page, name, today=dt.date.today(), dated=name.startswith("06"),
                             ) == [], name
        title = notebook.cells[0].source.splitlines()[0].removeprefix("# ")
        assert f'href="{name}.html"' in index and title in index, name


@pytest.mark.slow
def test_baseline_summary_reports_the_run():
    notebook = run_tiny("01-baseline")
    scenario = simlib.load_scenario(SCENARIOS / "baseline.yaml")
    results = simlib.replicate(scenario, 3, scenario.seed, jobs=1, progress=False)
    table = metrics.cycle_summary(results.events, scenario, 3)
    summary = next(text for text in outputs(notebook, "text/markdown")
                   if text.startswith("## Summary"))
    for pathway, words in (("credit", "Credit-bearing"), ("noncredit", "Non-credit")):
        mean = table.loc[pathway, "cycle_days_mean"]
        assert f"{words} proposals take {mean:.0f} days on average" in summary


REPLICATIONS = ("01-baseline", "02-compare-scenarios", "03-staffing", "04-demand-growth",
                "05-sensitivity")


def parameters(name: str) -> dict:
    """The literal values of a shipped notebook's cell tagged ``parameters``."""
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    cell = next(cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", []))
    return {statement.target.id: ast.literal_eval(statement.value)
            for statement in ast.parse(cell.source).body}


def test_every_page_of_todays_process_runs_the_same_baseline():
    """The same seed and count give the same baseline runs (common random numbers), so
    the pages' "today" agree: in the committed notebooks and in reports.yaml."""
    given = {(parameters(name)["seed"], parameters(name)["replications"])
             for name in REPLICATIONS}
    assert len(given) == 1, given
    config = yaml.safe_load((NOTEBOOKS.parent / "reports.yaml").read_text())
    for entry in config["notebooks"]:
        if Path(entry["notebook"]).stem in REPLICATIONS:
            assert "replications" not in entry.get("parameters", {}), entry
            assert "seed" not in entry.get("parameters", {}), entry
    assert {"seed", "replications"} <= set(config["defaults"])


def test_reports_yaml_leaves_today_to_the_day_of_the_report():
    config = yaml.safe_load((NOTEBOOKS.parent / "reports.yaml").read_text())
    assert "as_of" not in config.get("defaults", {})
    assert all("as_of" not in (entry.get("parameters") or {}) for entry in config["notebooks"])
    assert parameters("06-deadline-planner")["as_of"] == "2026-12-01"  # nbval stays stable


TODAY_MEAN = {  # where each page states today's credit-bearing mean
    "01-baseline": r"credit-bearing proposal takes (\d+) days",
    "02-compare-scenarios": r"credit-bearing mean would fall from (\d+) to",
    "03-staffing": r"At 1x demand:\*\* credit-bearing (\d+) \u2192",
    "04-demand-growth": r"instead of (\d+) days at today's submissions",
    "05-sensitivity": r"credit-bearing estimate \((\d+) days\)",
}


def test_committed_pages_agree_on_todays_credit_bearing_mean():
    """Sensitivity over posterior draws (uncertainty) runs every setting at the draws, so
    its page states the mean averaged over what we don't know instead, and says so."""
    means = {}
    for name, pattern in TODAY_MEAN.items():
        text = " ".join(outputs(nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4),
                                "text/markdown"))
        if "estimate averaged over what we don't know" in text:
            continue
        found = re.search(pattern, text)
        assert found, (name, pattern)
        means[name] = found[1]
    assert len(set(means.values())) == 1, means


UNCERTAIN = ("02-compare-scenarios", "03-staffing", "04-demand-growth", "05-sensitivity",
             "06-deadline-planner", "08-governance-options")


def test_pages_say_what_we_dont_know_by_default_quickly_and_more_in_the_reports():
    for name in UNCERTAIN:
        given = parameters(name)
        assert given["uncertainty"] is True, name
        assert given["draws"] * given["draw_replications"] <= 16, name  # make test stays quick
    config = yaml.safe_load((NOTEBOOKS.parent / "reports.yaml").read_text())
    defaults = config["defaults"]
    assert defaults["draws"] > parameters(UNCERTAIN[0])["draws"]
    assert defaults["draw_replications"] >= parameters(UNCERTAIN[0])["draw_replications"]
    for entry in config["notebooks"]:  # sensitivity runs the plain study's count at the draws
        if Path(entry["notebook"]).stem == "05-sensitivity":
            draws = entry.get("parameters", {}).get("draws", defaults["draws"])
            assert draws * defaults["draw_replications"] == defaults["replications"]


@pytest.mark.slow
def test_every_uncertain_page_says_what_we_dont_know_once():
    for name in UNCERTAIN:
        notebook = run_tiny(name)
        lines = report_bottom_line(notebook)
        text = " ".join(lines)
        assert ("from luck alone" in text or "What we don't know is not shown" in text
                or "too few draws" in text), (name, lines)
        sentences = text.count("from luck alone") + text.count("is not shown")
        assert sentences == 1, (name, lines)


def test_the_explorer_notebook_is_committed_without_outputs():
    """Its outputs are widgets, alive only in a kernel; nbval runs it all the same."""
    notebook = nbformat.read(EXPLORER, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
