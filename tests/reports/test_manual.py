"""The manual beside the reports: ``mcsim report`` builds the project's MkDocs site into
``OUT/manual/`` and the index links to it, so the link works from the reports folder alone."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path
from urllib.parse import unquote

import nbformat
import pytest

from simlib.cli.main import main
from simlib.reports.build import build_manual, index_page

ROOT = Path(__file__).resolve().parents[2]


def links(page: str) -> list[str]:
    """Every href of an HTML page."""
    return re.findall(r'href="([^"#]+)', page)


@pytest.mark.slow  # builds the whole manual (as make docs does)
def test_the_index_links_to_the_projects_manual_and_the_link_resolves(tmp_path):
    out = tmp_path / "reports"
    assert build_manual(ROOT, out) is None
    targets = [target for target in links(index_page([], out)) if "manual" in target]
    assert targets == ["manual/index.html"]
    assert (out / unquote(targets[0])).is_file()
    front = (out / "manual" / "index.html").read_text(encoding="utf-8")
    # pages link each other as files (page.html, not page/), so they open from disk
    assert "how-long.html" in links(front)
    assert (out / "manual" / "how-long.html").is_file()
    reference = (out / "manual" / "reference.html").read_text(encoding="utf-8")
    assert 'id="simlib.load_scenario"' in reference  # the API reference is rendered


def test_no_manual_without_mkdocs_yml_and_no_link(tmp_path):
    out = tmp_path / "reports"
    assert build_manual(tmp_path, out) is None
    assert not (out / "manual").exists()
    assert "manual" not in index_page([], out)


def test_a_manual_that_does_not_build_is_one_line_naming_its_config(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: broken\nnav: [\n")
    problem = build_manual(tmp_path, tmp_path / "reports")
    assert problem is not None and "\n" not in problem
    assert str(tmp_path / "mkdocs.yml") in problem and "mkdocs build failed" in problem


def test_mcsim_report_builds_the_manual_beside_the_reports(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# A small manual\n\nHow to read the reports.\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: small\nuse_directory_urls: false\n"
                                         "theme: {name: mkdocs}\n")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell("# One report"),
                      nbformat.v4.new_code_cell("print('done')")]
    nbformat.write(notebook, tmp_path / "one.ipynb")
    config = tmp_path / "reports.yaml"
    config.write_text("notebooks:\n  - notebook: one.ipynb\n")
    out = tmp_path / "out"
    stderr = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(stderr):
        status = main(["report", "--config", str(config), "--out", str(out)])
    assert status == 0, stderr.getvalue()
    assert stderr.getvalue().startswith("building the manual ... ")
    index = (out / "index.html").read_text(encoding="utf-8")
    targets = [target for target in links(index) if "manual" in target]
    assert targets == ["manual/index.html"]
    assert "A small manual" in (out / unquote(targets[0])).read_text(encoding="utf-8")


def test_the_index_and_the_manual_say_how_to_open_the_explorer(tmp_path):
    page = index_page([], tmp_path)
    assert "make explorer" in page and "notebooks/00-explorer.ipynb" in page
    manual = (ROOT / "docs" / "explorer.md").read_text(encoding="utf-8")
    assert "make explorer" in manual and "explorer.md" in (ROOT / "mkdocs.yml").read_text()
