"""``mcsim report``: notebooks run with papermill, HTML without code, the index page, failures
and config errors as one line; and the provenance helpers the notebooks call."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import simlib
from simlib.cli.main import main
from simlib.reports.build import (
    checklist,
    git_commit,
    provenance,
    report_bottom_line,
    report_summary,
    report_title,
)
from simlib.reports.build._notebooks import UNKNOWN_COMMIT
from simlib.reports.words import Markdown

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FIGURE = """\
import matplotlib.pyplot as plt
figure, axes = plt.subplots(figsize=(2, 2))
axes.plot([0, 1], [0, n]);"""
NOTEBOOKS = {
    "good": ["# Good report\n\nWhat it shows.", ("n = 1  # how many",),
             'import simlib.reports.build, simlib.reports.words\n'
             'simlib.reports.words.Markdown(f"## Summary\\n\\nIt took {n} days.")',
             FIGURE,
             'import sys\nsecret_code_marker = n * 2\nprint("stderr noise", file=sys.stderr)',
             'simlib.reports.build.provenance({"n": n}, purpose="Test the reports.")'],
    "plain": ["# Plain report\n\nThe fallback paragraph.\n\nMore text.",
              'print(open("note.txt").read())'],
    "flaky": ["# Flaky report", ("fail = False  # raise in cell 3?",),
              'if fail: raise ValueError("boom")', "print('done')"],
}
CONFIG = """\
defaults: {n: 5, fail: false}
notebooks:
  - notebook: nb/good.ipynb
    parameters: {n: 3}
  - notebook: nb/plain.ipynb
  - notebook: nb/flaky.ipynb
"""


def make_notebook(cells: list) -> nbformat.NotebookNode:
    """Markdown cells from text starting with '#', a parameters cell from a 1-tuple, else code."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    for cell in cells:
        if isinstance(cell, tuple):
            code = nbformat.v4.new_code_cell(cell[0])
            code.metadata["tags"] = ["parameters"]
            notebook.cells.append(code)
        elif cell.startswith("#"):
            notebook.cells.append(nbformat.v4.new_markdown_cell(cell))
        else:
            notebook.cells.append(nbformat.v4.new_code_cell(cell))
    return notebook


def write_project(folder: Path, config: str = CONFIG) -> Path:
    """The test notebooks in ``folder/nb`` and a report config; the config's path."""
    (folder / "nb").mkdir(parents=True, exist_ok=True)
    for name, cells in NOTEBOOKS.items():
        nbformat.write(make_notebook(cells), folder / "nb" / f"{name}.ipynb")
    (folder / "nb" / "note.txt").write_text("read from the folder of the notebook")
    path = folder / "reports.yaml"
    path.write_text(config)
    return path


def run(*argv: object) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``mcsim argv`` (usable outside a test function)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main([str(arg) for arg in argv])
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Path, tuple[int, str, str]]:
    """The project folder, its reports folder and the result of one ``mcsim report``."""
    folder = tmp_path_factory.mktemp("project")
    config = write_project(folder)
    out = folder / "reports"
    return folder, out, run("report", "--config", config, "--out", out)


@pytest.mark.slow
def test_report_runs_every_notebook(built):
    _, out, (status, stdout, stderr) = built
    assert status == 0, stderr
    assert stdout == f"wrote {out / 'index.html'} and the reports of 3 notebooks\n"
    lines = stderr.splitlines()
    assert [line.split(" ... ")[0] for line in lines] == [
        "running good", "running plain", "running flaky"]
    assert all(line.endswith(" s") for line in lines)
    assert sorted(path.name for path in out.iterdir()) == [
        "flaky-code.html", "flaky.html", "flaky.ipynb", "good-code.html", "good.html",
        "good.ipynb", "index.html", "plain-code.html", "plain.html", "plain.ipynb"]


@pytest.mark.slow
def test_html_shows_results_without_code(built):
    _, out, _ = built
    page = (out / "good.html").read_text()
    assert "<title>Good report</title>" in page
    assert '<img ' in page and 'src="data:image/png;base64,' in page
    assert "It took 3 days" in page and "Provenance" in page
    for hidden in ("secret_code_marker", "stderr noise", "Traceback", "import simlib",
                   "injected-parameters"):
        assert hidden not in page
    assert "read from the folder of the notebook" in (out / "plain.html").read_text()
    assert "secret_code_marker" in (out / "good.ipynb").read_text()  # kept for planners
    with_code = (out / "good-code.html").read_text()
    assert "secret_code_marker" in with_code and "It took 3 days" in with_code
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in with_code
    assert "injected-parameters" not in with_code


@pytest.mark.slow
def test_every_page_links_back_to_the_index_and_to_its_notebook(built):
    _, out, _ = built
    from bs4 import BeautifulSoup

    for name in ("good.html", "good-code.html", "plain.html"):
        soup = BeautifulSoup((out / name).read_text(), "html.parser")
        links = {link["href"]: link for link in soup.select("nav.report-nav a")}
        assert "index.html" in links and len(soup.select('a[href="index.html"]')) == 2, name
        notebook = links[f"{name.split('.')[0].removesuffix('-code')}.ipynb"]
        assert notebook.has_attr("download"), name  # downloaded, never shown as raw JSON
    soup = BeautifulSoup((out / "good.html").read_text(), "html.parser")
    assert soup.select('nav a[href="good-code.html"]')

@pytest.mark.slow
def test_parameters_from_config_and_defaults(built):
    _, out, _ = built
    given = {name: nbformat.read(out / f"{name}.ipynb", as_version=4).metadata.papermill
             ["parameters"] for name in NOTEBOOKS}
    assert given == {"good": {"n": 3}, "plain": {}, "flaky": {"fail": False}}


@pytest.mark.slow
def test_index_opens_with_the_bottom_line_then_lists_the_reports(built):
    _, out, _ = built
    index = (out / "index.html").read_text()
    assert index.startswith("<!DOCTYPE html>") and "<script" not in index
    assert "Microcredential approval pipeline: reports" in index
    assert f"simlib {simlib.__version__}" in index and "git commit" in index
    bottom = index.index('<section class="bottom-line">')
    listed = index.index("<h2>The reports</h2>")
    assert bottom < listed
    key_lines = index[bottom:listed]
    assert '<a href="good.html">Good report</a>: It took 3 days.' in key_lines
    assert '<a href="plain.html">Plain report</a>: The fallback paragraph.' in key_lines
    assert "More text" not in index
    for name, title in (("good", "Good report"), ("plain", "Plain report"),
                        ("flaky", "Flaky report")):
        assert f'<a href="{name}.html">{title}</a>' in index[listed:]
        assert f'<a href="{name}-code.html">with code</a>' in index
        assert f'<a href="{name}.ipynb" download>' in index


def test_index_key_line_is_the_bottom_line_answer(tmp_path):
    cell = ('from simlib.reports.readable import BottomLine\n'
            'BottomLine("It takes 3 days.", "Quite sure.", "Wait.")')
    nbformat.write(make_notebook(["# Answered", cell]), tmp_path / "answered.ipynb")
    config = tmp_path / "reports.yaml"
    config.write_text("notebooks:\n  - notebook: answered.ipynb\n")
    assert run("report", "--config", config, "--out", tmp_path / "out", "--quiet")[0] == 0
    index = (tmp_path / "out" / "index.html").read_text()
    assert '<a href="answered.html">Answered</a>: It takes 3 days.</li>' in index
    page = (tmp_path / "out" / "answered.html").read_text()
    assert 'class="bottom-line"' in page and "<strong>How sure:</strong> Quite sure." in page
    executed = nbformat.read(tmp_path / "out" / "answered.ipynb", as_version=4)
    assert report_bottom_line(executed) == ["It takes 3 days.", "Quite sure.", "Wait."]


@pytest.mark.slow
def test_out_folder_holding_the_notebooks_is_refused_before_running(built, tmp_path):
    folder, _, _ = built
    project = tmp_path / "project"
    shutil.copytree(folder / "nb", project / "nb")
    config = project / "reports.yaml"
    config.write_text(CONFIG)
    before = {path.name: path.read_bytes() for path in (project / "nb").iterdir()}
    for out in (project / "nb", project / "nb" / ".." / "nb"):
        status, stdout, stderr = run("report", "--config", config, "--out", out, "--quiet")
        assert status == 2 and stdout == "" and stderr.count("\n") == 1, stderr
        assert f"--out {out}: is the folder of the notebooks" in stderr
        assert "would overwrite good.ipynb" in stderr and "--out reports" in stderr
    assert {path.name: path.read_bytes() for path in (project / "nb").iterdir()} == before
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "good.ipynb").symlink_to(project / "nb" / "good.ipynb")
    status, _, stderr = run("report", "--config", config, "--out", linked, "--quiet")
    assert status == 2 and "is also an input of this command" in stderr


TODAY_NOTEBOOK = ["# Dated", ("as_of = '2026-01-01'  # today",),
                  'import simlib.reports.words\n'
                  'simlib.reports.words.Markdown(f"## Summary\\n\\nToday is {as_of}.")']


@pytest.mark.parametrize(("config", "option", "expected"), [
    ("", [], dt.date.today().isoformat()),
    ("    parameters: {as_of: '2025-05-05'}\n", [], "2025-05-05"),
    ("    parameters: {as_of: '2025-05-05'}\n", ["--as-of", "2027-02-03"], "2027-02-03"),
    ("", ["--as-of", "2027-02-03"], "2027-02-03"),
])
def test_today_is_the_day_of_the_report_unless_given(tmp_path, config, option, expected):
    nbformat.write(make_notebook(TODAY_NOTEBOOK), tmp_path / "dated.ipynb")
    path = tmp_path / "reports.yaml"
    path.write_text("notebooks:\n  - notebook: dated.ipynb\n" + config)
    status, _, stderr = run("report", "--config", path, "--out", tmp_path / "out", "--quiet",
                            *option)
    assert status == 0, stderr
    executed = nbformat.read(tmp_path / "out" / "dated.ipynb", as_version=4)
    assert executed.metadata.papermill["parameters"]["as_of"] == expected
    assert f"Today is {expected}." in (tmp_path / "out" / "dated.html").read_text()


def test_a_bad_as_of_is_one_line(tmp_path):
    path = write_project(tmp_path)
    status, _, stderr = run("report", "--config", path, "--out", tmp_path / "out",
                            "--as-of", "3 Dec 2026")
    assert status == 2 and stderr.count("\n") == 1
    assert stderr.startswith("mcsim: report: --as-of 3 Dec 2026: not a date; give YYYY-MM-DD")
    assert not (tmp_path / "out").exists()


def test_one_notebook_is_one_notebook(tmp_path):
    nbformat.write(make_notebook(["# Only", "x = 1"]), tmp_path / "only.ipynb")
    config = tmp_path / "reports.yaml"
    config.write_text("notebooks:\n  - notebook: only.ipynb\n")
    status, stdout, _ = run("report", "--config", config, "--out", tmp_path / "out", "--quiet")
    assert status == 0 and stdout.endswith("the reports of 1 notebook\n")


@pytest.mark.slow
def test_failing_notebook_keeps_earlier_reports(built, tmp_path):
    folder, earlier, _ = built
    shutil.copytree(folder / "nb", tmp_path / "nb")
    out = tmp_path / "reports"
    shutil.copytree(earlier, out)
    before = {path.name: path.read_bytes() for path in out.glob("*.*") if path.stem != "index"}
    config = tmp_path / "reports.yaml"
    config.write_text("notebooks:\n  - notebook: nb/flaky.ipynb\n    parameters: {fail: true}\n"
                      "  - notebook: nb/good.ipynb\n")
    status, stdout, stderr = run("report", "--config", config, "--out", out, "--quiet")
    assert status == 1 and stdout == ""
    assert stderr.count("\n") == 1
    message = stderr.strip()
    assert message.startswith("mcsim: report: ") and "flaky.ipynb" in message
    assert "cell 3 (if fail: raise" in message and "ValueError: boom" in message
    assert str(out / "flaky.failed.ipynb") in message and "Traceback" not in stderr
    after = {path.name: path.read_bytes() for path in out.glob("*.*") if path.stem != "index"}
    assert after.pop("flaky.failed.ipynb")
    assert after == before
    assert not [path for path in out.iterdir() if path.name.startswith(".")]
    assert '<a href="good.html">Good report</a>' in (out / "index.html").read_text()


def test_error_output_fails_even_when_papermill_lets_it_pass(tmp_path):
    nbformat.write(make_notebook(["# Stops early", "raise SystemExit()"]), tmp_path / "stops.ipynb")
    config = tmp_path / "reports.yaml"
    config.write_text("notebooks:\n  - notebook: stops.ipynb\n")
    status, _, stderr = run("report", "--config", config, "--out", tmp_path / "out")
    assert status == 1
    assert "stops.ipynb failed at cell 2 (raise SystemExit()): SystemExit" in stderr
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "index.html", "stops.failed.ipynb"]


@pytest.mark.parametrize(("config", "place", "fix"), [
    ("notebook:\n  - notebook: nb/good.ipynb\n", "notebook", "did you mean 'notebooks'?"),
    ("notebooks:\n  - notebook: nb/good.ipynb\n    paramters: {n: 2}\n",
     "notebooks[0].paramters", "did you mean 'parameters'?"),
    ("notebooks:\n  - notebook: nb/gone.ipynb\n", "notebooks[0].notebook", "not found"),
    ("notebooks:\n  - notebook: nb/plain.ipynb\n  - notebook: nb/good.ipynb\n"
     "    parameters: {m: 2}\n", "notebooks[1].parameters.m",
     "the notebook's parameters are: n"),
    ("notebooks:\n  - notebook: nb/good.ipynb\n    parameters: [n]\n",
     "notebooks[0].parameters", "must be a mapping"),
    ("defaults: {sead: 1}\nnotebooks:\n  - notebook: nb/good.ipynb\n", "defaults.sead",
     "their parameters are: n"),
    ("notebooks:\n  - notebook: nb/good.ipynb\n  - notebook: nb/good.ipynb\n",
     "notebooks[1].notebook", "listed twice"),
])
def test_config_errors_are_one_line(tmp_path, config, place, fix):
    path = write_project(tmp_path, config)
    status, stdout, stderr = run("report", "--config", path, "--out", tmp_path / "out")
    assert status == 2 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith(f"{path}: {place}: "), stderr
    assert fix in stderr
    assert not (tmp_path / "out").exists()


def test_default_config_is_reports_yaml_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, _, stderr = run("report")
    assert status == 2 and stderr.count("\n") == 1
    assert stderr.startswith("mcsim: report: no reports.yaml in ") and "--config" in stderr
    write_project(tmp_path, "notebooks: []\n")
    status, _, stderr = run("report")
    assert status == 2 and stderr.startswith("reports.yaml: notebooks: must be a list")


def test_failed_cell_is_numbered_as_in_jupyterlab():
    from simlib.reports.build._notebooks import _failed_cell

    notebook = make_notebook(["# T", ("n = 1",), "x = 1", "raise ValueError('boom')"])
    injected = nbformat.v4.new_code_cell("n = 2")
    injected.metadata["tags"] = ["injected-parameters"]
    marker = nbformat.v4.new_markdown_cell("error here")
    marker.metadata["tags"] = ["papermill-error-cell-tag"]
    notebook.cells[3].outputs = [nbformat.v4.new_output("error", ename="ValueError",
                                                        evalue="boom", traceback=[])]
    notebook.cells[2:2] = [injected]
    notebook.cells[0:0] = [marker]
    number, cell, output = _failed_cell(notebook)
    assert (number, cell.source, output.evalue) == (4, "raise ValueError('boom')", "boom")


def test_title_and_summary_from_markdown():
    notebook = make_notebook(["# A *bold* `title`\n\nFirst **part**.\n\n## Next\n\nLater."])
    assert report_title(notebook, "x") == "A bold title"
    assert report_summary(notebook) == ["First part."]
    summary = "## Summary\n\nIt took [3 days](#x).\n\n- fast\n- cheap\n\n## More\n\nNo."
    shown = nbformat.v4.new_output("display_data", data={"text/markdown": summary})
    notebook.cells.append(nbformat.v4.new_code_cell("", outputs=[shown]))
    assert report_summary(notebook) == ["It took 3 days.", "• fast", "• cheap"]
    assert report_title(make_notebook(["x = 1"]), "fallback") == "fallback"


def test_provenance_lists_parameters_versions_and_checklist():
    scenario = simlib.load_scenario(SCENARIOS / "baseline.yaml")
    text = provenance({"replications": 7, "seed": 11}, scenario, purpose="Find the delays.",
                      experimentation="Paired runs.")
    assert isinstance(text, Markdown) and text._repr_markdown_() == text
    assert text.startswith("## Provenance\n")
    assert "| replications | 7 |" in text and "| seed | 11 |" in text
    assert f"simlib {simlib.__version__}" in text and "simpy " in text and "pandas " in text
    assert f"git commit: {git_commit()}" in text
    assert "### Reporting checklist (after STRESS-DES)" in text
    headings = [heading for heading, _ in checklist({}, scenario)]
    assert headings == ["Objectives", "Logic", "Data sources and assumptions",
                        "Experimentation", "Implementation"]
    for number, heading in enumerate(headings, start=1):
        assert f"| {number} | {heading} |" in text
    assert "Find the delays." in text and "Paired runs." in text
    assert "Department Chair/Director → Dean/Unit Head → Microcredential Committee" in text
    assert "replications 7; seed 11; warm-up 1 of 6 years" in text
    assert "Calibrated" in text and "credit mean 170 days" in text


def test_provenance_without_scenario():
    text = provenance({})
    assert "| (none) | |" in text and "No scenario given." in text


def test_git_commit(tmp_path):
    assert git_commit(tmp_path) == UNKNOWN_COMMIT
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (tmp_path / "a.txt").write_text("one\n")
    for args in (["init", "-q"], ["add", "a.txt"], ["commit", "-q", "-m", "one"]):
        subprocess.run([*git, *args], check=True)
    commit = git_commit(tmp_path / "a.txt")
    assert len(commit) >= 7 and " " not in commit
    (tmp_path / "b.txt").write_text("untracked files do not count\n")
    assert git_commit(tmp_path) == commit
    (tmp_path / "a.txt").write_text("two\n")
    assert git_commit(tmp_path) == f"{commit} (uncommitted changes)"


def test_import_does_not_load_papermill_or_nbconvert():
    code = ("import sys, simlib.reports.build; "
            "print(sorted({'papermill', 'nbconvert', 'nbformat'} & set(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout == "[]\n"
