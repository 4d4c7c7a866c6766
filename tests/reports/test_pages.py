"""The report pages as a reader sees them, without a browser: the committed (executed)
notebooks rendered to HTML show no table cut off, no "-0", a bottom line, a link back to
the index and the notebook's own "today"; and the checks themselves catch each problem.
(``make screenshots`` runs the same checks on the DOM headless Chromium builds.)"""

from __future__ import annotations

import ast
import datetime as dt
import shutil
from pathlib import Path

import nbformat
import pytest

from simlib.reports.build import ReportEntry, index_page, page_problems, render_html

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SHIPPED = sorted(path for path in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")
                 if path.stem != "00-explorer")  # the reports (the explorer is no report)


def as_of(notebook: nbformat.NotebookNode) -> dt.date | None:
    cell = next(cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", []))
    for statement in ast.parse(cell.source).body:
        if statement.target.id == "as_of":
            return dt.date.fromisoformat(ast.literal_eval(statement.value))
    return None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    """The committed notebooks as a reports folder: executed notebooks, pages, index."""
    out = tmp_path_factory.mktemp("committed")
    for path in SHIPPED:
        notebook = nbformat.read(path, as_version=4)
        title = notebook.cells[0].source.splitlines()[0].removeprefix("# ")
        (out / f"{path.stem}.html").write_text(render_html(notebook, title, path.stem))
        shutil.copy(path, out / path.name)
    entries = [ReportEntry(path, {}, ()) for path in SHIPPED]
    (out / "index.html").write_text(index_page(entries, out))
    return out


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_committed_page_reads_right(rendered, path):
    notebook = nbformat.read(path, as_version=4)
    today = as_of(notebook)
    page = (rendered / f"{path.stem}.html").read_text()
    assert page_problems(page, path.name, today=today, dated=today is not None) == []


def test_committed_index_reads_right(rendered):
    page = (rendered / "index.html").read_text()
    assert page_problems(page, "index.html", index=True) == []
    for path in SHIPPED:
        assert f'<a href="{path.stem}.html">' in page


GOOD = ('<section class="bottom-line"><p>Answer</p></section><a href="index.html">All</a>'
        "<table><tr><td>at least 6 credits (8 where a program asks for more)</td></tr></table>"
        "<p>Today is taken as 3 December 2026. Made 2026-12-03; -0.3 to 0.4 days.</p>")


@pytest.mark.parametrize(("change", "problem"), [
    (("at least 6 credits (8 where a program asks for more)",
      "at least 6 credits (8 where a program asks for..."), "a table cell is cut off"),
    (("-0.3 to 0.4", "-0 to 0"), 'reads "-0"'),
    (("-0.3 to 0.4", "(-0.0 to 1)"), 'reads "-0"'),
    (('class="bottom-line"', 'class="summary"'), "no bottom line"),
    (('href="index.html"', 'href="other.html"'), "no link back to index.html"),
    (("3 December 2026", "1 December 2026"), "today is 1 December 2026, not 3 December 2026"),
    (("Today is taken as 3 December 2026.", ""), "does not say which day is today"),
])
def test_page_checks_catch_each_problem(change, problem):
    today = dt.date(2026, 12, 3)
    assert page_problems(GOOD, "p.html", today=today, dated=True) == []
    bad = GOOD.replace(*change)
    found = page_problems(bad, "p.html", today=today, dated=True)
    assert len(found) == 1 and found[0].startswith("p.html: ") and problem in found[0], found
