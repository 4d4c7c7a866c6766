"""The HTML pages of ``mcsim report``: an executed notebook as a page for readers (no code)
or for planners (with code), each with a link back to the index, tables shown whole and
wrapped, figures with alternative texts.

nbconvert and BeautifulSoup are imported only inside the functions that use them, so
``import simlib.reports.build`` stays cheap in a notebook kernel.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

INJECTED_TAG = "injected-parameters"  # papermill's cell of parameters from the config
ERROR_MARKER_TAG = "papermill-error-cell-tag"  # papermill's notes around a failed cell
INDEX = "index.html"
BACK = "\u2190 All reports"
LONG_TEXT = 30  # characters: a table column holding longer text reads from the left
# Tables: text wraps and reads from the top (long text from the left); nothing is cut off.
PAGE_STYLE = (
    ".jp-RenderedHTMLCommon table td,.jp-RenderedHTMLCommon table th{white-space:normal;"
    "vertical-align:top;max-width:32em}"
    "td.long-text{text-align:left!important}"
    "nav.report-nav{font:15px/1.5 system-ui,sans-serif;margin:.8em 1.2em;"
    "padding:.4em 0;border-bottom:1px solid #dce0e5}"
    "nav.report-nav a{color:#0a58a8;margin-right:1.5em}"
)


def shown_cells(notebook: Any) -> list:
    """The notebook's cells as its author wrote them: without papermill's injected
    parameters and error notes (so cell numbers match JupyterLab's)."""
    hidden = {INJECTED_TAG, ERROR_MARKER_TAG}
    return [cell for cell in notebook.cells
            if not hidden.intersection(cell.get("metadata", {}).get("tags", []))]


def plain(markdown: str) -> str:
    """Markdown inline text as plain text: no emphasis, code marks, links or HTML tags."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text).strip()


def _last_heading(markdown: str) -> str:
    """The plain text of the last heading in ``markdown`` ("" without one)."""
    headings = [line.lstrip("#") for line in markdown.splitlines() if line.startswith("#")]
    return plain(headings[-1]) if headings else ""


def _links(stem: str, code: bool) -> list[tuple[str, str, bool]]:
    """(href, text, download) of a page's navigation links."""
    other = ((f"{stem}.html", "Page without code", False) if code else
             (f"{stem}-code.html", "Page with code", False))
    return [(INDEX, BACK, False), other, (f"{stem}.ipynb", "Download the notebook (.ipynb)",
                                          True)]


def _align_text_columns(soup: Any) -> None:
    """Mark every data cell of a table column that holds long text (``td.long-text``)."""
    for table in soup.select("table"):
        rows = [row.find_all("td", recursive=False) for row in table.select("tr")]
        widths: dict[int, int] = {}
        for cells in rows:
            for column, cell in enumerate(cells):
                widths[column] = max(widths.get(column, 0), len(cell.get_text(strip=True)))
        for cells in rows:
            for column, cell in enumerate(cells):
                if widths[column] > LONG_TEXT:
                    cell["class"] = [*cell.get("class", []), "long-text"]


def _finish(page: str, texts: list[str], stem: str, code: bool) -> str:
    """``page`` with the alternative text of its figures (in order) set to ``texts`` (the
    HTML template leaves it generic), the page style, and a navigation bar (back to the
    index, the other version, the notebook) at the top and the bottom."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    for image, text in zip(soup.select("div.jp-RenderedImage img"), texts, strict=False):
        image["alt"] = text
    _align_text_columns(soup)
    style = soup.new_tag("style")
    style.string = PAGE_STYLE
    (soup.head or soup).append(style)
    body = soup.body or soup
    for place in ("top", "bottom"):
        nav = soup.new_tag("nav", attrs={"class": "report-nav", "aria-label": "reports"})
        for href, text, download in _links(stem, code):
            link = soup.new_tag("a", href=href)
            if download:
                link["download"] = ""
            link.string = text
            nav.append(link)
        if place == "top":
            body.insert(0, nav)
        else:
            body.append(nav)
    return str(soup)


def render_html(notebook: Any, title: str, stem: str = "report", code: bool = False) -> str:
    """The notebook as a self-contained HTML page: for readers (no code, no prompts) or,
    with ``code``, for planners (the code cells too); never stderr output or injected
    parameters; figures embedded; ``title`` as its title; links to ``index.html``, the
    other version (``<stem>.html`` / ``<stem>-code.html``) and ``<stem>.ipynb``."""
    from nbconvert import HTMLExporter

    shown = copy.deepcopy(notebook)
    shown.cells = shown_cells(shown)
    heading, alt_texts = title, []
    for cell in shown.cells:
        if cell.cell_type == "markdown":
            heading = _last_heading(cell.source) or heading
        if "outputs" in cell:
            cell.outputs = [output for output in cell.outputs
                            if not (output.output_type == "stream" and output.name == "stderr")]
            alt_texts += [f"Figure: {heading}" for output in cell.outputs
                          if {"image/png", "image/jpeg"} & set(output.get("data", {}))]
    shown.metadata["title"] = title
    exporter = HTMLExporter(template_name="lab", exclude_input=not code,
                            exclude_input_prompt=not code, exclude_output_prompt=not code)
    exporter.log.setLevel(logging.ERROR)  # its warning about generic alt texts: set below
    page, _ = exporter.from_notebook_node(shown)
    return _finish(page, alt_texts, stem, code)
