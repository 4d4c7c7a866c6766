"""``index.html``: the page that opens the reports with every report's bottom line, then
links each report (and the manual, when it was built beside them)."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from simlib.formats.words import long_date, plural
from simlib.reports.build._config import ReportEntry
from simlib.reports.build._manual import manual_index
from simlib.reports.build._notebooks import (
    git_commit,
    report_bottom_line,
    report_summary,
    report_title,
)
from simlib.version import __version__

INDEX_TITLE = "Microcredential approval pipeline: reports"
STYLE = (
    "body{margin:0;background:#f5f6f8;color:#1f2630;"
    "font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
    "main{max-width:50em;margin:0 auto;padding:2.5em 1.5em}"
    "h1{font-size:1.7em;line-height:1.25;margin:0 0 .3em}h2{font-size:1.25em;margin:0 0 .5em}"
    ".meta{color:#59616d;font-size:.88em;margin:.3em 0}a{color:#0a58a8}"
    ".bottom-line{background:#eef5fb;border-left:6px solid #0072B2;border-radius:4px;"
    "padding:.9em 1.4em;margin:1.6em 0}"
    ".bottom-line ul{margin:.3em 0;padding-left:1.2em}.bottom-line li{margin:.45em 0}"
    "ol.pages{margin:.5em 0 0;padding-left:1.6em}ol.pages li{margin:0 0 .8em}"
    "ol.pages .what{display:block;color:#3b434e}"
)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class _Page:
    """What the index shows of one report: its title, key line and links (None: no report)."""

    entry: ReportEntry
    title: str
    key_line: str
    ran: str
    built: bool


def _page(entry: ReportEntry, out: Path) -> _Page:
    import nbformat

    page, executed = out / f"{entry.stem}.html", out / f"{entry.stem}.ipynb"
    if not (page.is_file() and executed.is_file()):
        return _Page(entry, entry.stem, "", "", False)
    notebook = nbformat.read(executed, as_version=4)
    lines = report_bottom_line(notebook) or report_summary(notebook)[:1]
    ended = notebook.metadata.get("papermill", {}).get("end_time")
    ran = f"run {_utc(dt.datetime.fromisoformat(ended))}" if ended else ""
    return _Page(entry, report_title(notebook, entry.stem), lines[0] if lines else "", ran,
                 True)


def _bottom_line(pages: list[_Page], entries: list[ReportEntry]) -> str:
    """The overall bottom line: each report's key line (its answer), linked to the report;
    then whether the reports ran the same simulated runs of today's process."""
    items = "".join(
        f'<li><a href="{quote(page.entry.stem)}.html">{html.escape(page.title)}</a>: '
        f"{html.escape(page.key_line)}</li>" for page in pages if page.built and page.key_line)
    counts = {entry.parameters.get("replications") for entry in entries
              if "replications" in entry.defined and "as_of" not in entry.defined}
    same = ""
    if len(counts) == 1 and None not in counts:
        same = (f'<p class="meta">Every report of today\'s process ran the same '
                f"{plural(counts.pop(), 'simulated run')} with the same seed, so their "
                "figures for today agree.</p>")
    dates = {entry.parameters.get("as_of") for entry in entries if "as_of" in entry.defined}
    today = ""
    if len(dates) == 1 and None not in dates:
        day = dt.date.fromisoformat(str(dates.pop()))
        today = f'<p class="meta">Deadlines are counted from today, {long_date(day)}.</p>'
    if not items:
        return ""
    return (f'<section class="bottom-line"><h2>Bottom line</h2><ul>{items}</ul>{same}'
            f"{today}</section>")


def _index_item(page: _Page) -> str:
    """One report in the list: linked title, when it ran, the version with code and the
    notebook (downloaded, not opened as text)."""
    stem = page.entry.stem
    if not page.built:
        return (f"<li><strong>{html.escape(stem)}</strong> <span class=\"meta\">no report "
                f"yet: {html.escape(page.entry.notebook.name)} has not run successfully."
                "</span></li>")
    return (f'<li><a href="{quote(stem)}.html">{html.escape(page.title)}</a>'
            f'<span class="meta"> · {html.escape(page.ran)}'
            f'{" · " if page.ran else ""}<a href="{quote(stem)}-code.html">with code</a> · '
            f'<a href="{quote(stem)}.ipynb" download>notebook (.ipynb)</a></span></li>')


def index_page(entries: list[ReportEntry], out: Path) -> str:
    """``index.html``: a self-contained page (inline style, no scripts) that opens with the
    overall bottom line (each report's answer), then lists the reports found in ``out``,
    with when and from what they were made."""
    made = (f"Made {_utc(dt.datetime.now(dt.UTC))} · simlib {__version__} · "
            f"git commit {git_commit()}")
    pages = [_page(entry, out) for entry in entries]
    items = "".join(_index_item(page) for page in pages)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{INDEX_TITLE}</title><style>{STYLE}</style></head><body><main>"
            f"<h1>{INDEX_TITLE}</h1><p class=\"meta\">{html.escape(made)}</p>"
            f"{_bottom_line(pages, entries)}"
            f"<h2>The reports</h2><ol class=\"pages\">{items}</ol>{EXPLORER_NOTE}"
            f"{_manual_link(out)}</main></body></html>\n")


EXPLORER_NOTE = (  # how a planner opens the what-if explorer (the manual's explorer.md)
    "<h2>Try a change yourself</h2><p>The what-if explorer compares a change you choose "
    "with today's process, with no file to write: in the project folder run "
    "<code>make explorer</code> and open the address it prints (on this computer only; "
    "<code>make explorer SHARE=1</code> shares it, with a token). In JupyterLab, open "
    "<code>notebooks/00-explorer.ipynb</code>.</p>")


def _manual_link(out: Path) -> str:
    """A paragraph linking the manual built beside the reports ("" when there is none)."""
    if not manual_index(out).is_file():
        return ""
    target = manual_index(out).relative_to(out).as_posix()
    return (f'<h2>The manual</h2><p><a href="{quote(target)}">The manual</a>: every question '
            "and command, how the model works, and how to read these reports.</p>")
