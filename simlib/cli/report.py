"""``mcsim report``: run the notebooks of a report config and write HTML pages for leadership.

``reports.yaml`` lists the notebooks in the order they run and their parameters. Each one
runs with papermill in its own folder; ``OUT/<stem>.html`` shows its text, tables and figures
without code, ``OUT/<stem>-code.html`` with the code, ``OUT/<stem>.ipynb`` keeps the executed
notebook for planners, and ``OUT/index.html`` opens with every report's bottom line, then
links each report (and the manual, built into ``OUT/manual/`` when a ``mkdocs.yml`` sits
beside the config). A notebook with an ``as_of`` parameter ("today") gets ``--as-of``, else
the config's value, else the day the report is built. An output folder that holds a
notebook of the config is refused before anything runs. A notebook that fails
stops the command (exit status 1) with one line naming it, the cell and the error; its
executed copy is kept as ``OUT/<stem>.failed.ipynb`` and earlier reports stay as they were.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import html
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from simlib.errors import CommandError, InputError, NotebookFailed
from simlib.formats.files import checked_output, write_text_atomic
from simlib.formats.words import long_date, plural, whole
from simlib.formats.yamlfile import read_yaml_mapping
from simlib.reports.manual import CONFIG as MANUAL_CONFIG
from simlib.reports.manual import build_manual, manual_index
from simlib.reports.notebooks import (
    build_report,
    git_commit,
    notebook_parameters,
    report_bottom_line,
    report_files,
    report_summary,
    report_title,
)
from simlib.version import __version__

DEFAULT_CONFIG = "reports.yaml"
NOTEBOOK_FAILED = 1


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim report`` to the subcommands."""
    parser = commands.add_parser(
        "report", help="run the report notebooks and write HTML pages for leadership")
    parser.add_argument("--config", metavar="FILE",
                        help=f"notebooks to run and their parameters (default: {DEFAULT_CONFIG} "
                        "in this folder)")
    parser.add_argument("--out", default="reports", metavar="DIR",
                        help="output folder (default: reports)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="the date taken as today by notebooks with an as_of parameter "
                        "(default: the config's as_of, else today)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress line per notebook on stderr")
    parser.set_defaults(handler=command_report)


def _as_of(given: str | None) -> str:
    """``--as-of`` checked (YYYY-MM-DD), else today's date."""
    if given is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(given).isoformat()
    except ValueError:
        raise CommandError(f"mcsim: report: --as-of {given}: not a date; give YYYY-MM-DD, "
                           f"e.g. --as-of {dt.date.today().isoformat()}") from None


def with_today(entries: list[ReportEntry], as_of: str, given: bool) -> list[ReportEntry]:
    """The entries, each notebook with an ``as_of`` parameter given ``as_of`` (when
    ``given`` on the command line, or when the config gives it none)."""
    dated = []
    for entry in entries:
        if "as_of" in entry.defined and (given or "as_of" not in entry.parameters):
            entry = ReportEntry(entry.notebook, {**entry.parameters, "as_of": as_of},
                                entry.defined)
        dated.append(entry)
    return dated


def _checked_out(out: Path, entries: list[ReportEntry], config: Path) -> None:
    """Refuse (before anything runs) an output folder that is a notebook's own folder, or
    any output file that is one of the inputs."""
    for entry in entries:
        try:
            same = out.exists() and os.path.samefile(out, entry.notebook.parent)
        except OSError:
            same = False
        if same:
            raise CommandError(f"mcsim: report: --out {out}: is the folder of the notebooks; "
                               f"the reports would overwrite {entry.notebook.name}; give "
                               "another folder, e.g. --out reports")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"mcsim: cannot create {out}: {error.strerror or error}") from None
    inputs = [config, *(entry.notebook for entry in entries)]
    checked_output(out / "index.html", inputs=inputs)
    for entry in entries:
        for path in report_files(entry.notebook, out):
            checked_output(path, inputs=inputs)


def command_report(args: argparse.Namespace) -> int:
    """``mcsim report``: build every report in the config's order, then ``index.html``."""
    config = _config_path(args.config)
    as_of = _as_of(args.as_of)
    entries = with_today(load_report_config(config), as_of, args.as_of is not None)
    out = Path(args.out)
    _checked_out(out, entries, config)
    _build_manual(config.parent, out, args.quiet)
    try:
        for entry in entries:
            _build(entry, out, args.quiet)
    except NotebookFailed as failure:
        print(failure, file=sys.stderr)
        return NOTEBOOK_FAILED
    finally:
        write_text_atomic(out / "index.html", index_page(entries, out))
    print(f"wrote {out / 'index.html'} and the reports of {plural(len(entries), 'notebook')}")
    return 0


def _config_path(given: str | None) -> Path:
    """The config named by ``--config``, else ``reports.yaml`` here (which must exist)."""
    if given is not None:
        return Path(given)
    if not Path(DEFAULT_CONFIG).is_file():
        raise CommandError(f"mcsim: report: no {DEFAULT_CONFIG} in {Path.cwd()}; run from the "
                           "project folder or give --config FILE")
    return Path(DEFAULT_CONFIG)


def _build_manual(project: Path, out: Path, quiet: bool) -> None:
    """Build the project's manual into ``out/manual`` (when ``project`` has one), with a
    progress line on stderr; a manual that cannot be built is one line, and no failure."""
    if not (project / MANUAL_CONFIG).is_file():
        return
    if not quiet:
        print("building the manual ... ", end="", file=sys.stderr, flush=True)
    started = time.monotonic()
    problem = build_manual(project, out)
    if not quiet:
        print("failed" if problem else f"{time.monotonic() - started:.0f} s", file=sys.stderr)
    if problem:
        print(f"mcsim: report: {problem}", file=sys.stderr)


def _build(entry: ReportEntry, out: Path, quiet: bool) -> None:
    """Build one report with a progress line on stderr ("running NAME ... 41 s")."""
    if not quiet:
        print(f"running {entry.stem} ... ", end="", file=sys.stderr, flush=True)
    started, outcome = time.monotonic(), "failed"
    try:
        build_report(entry.notebook, entry.parameters, out)
        outcome = f"{whole(time.monotonic() - started)} s"
    finally:
        if not quiet:
            print(outcome, file=sys.stderr)


# --- the report config (reports.yaml) ---------------------------------------------------------


@dataclass(frozen=True)
class ReportEntry:
    """One notebook of the config: its path, the parameters papermill gives it and the
    names its cell tagged ``parameters`` defines."""

    notebook: Path
    parameters: dict
    defined: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """The notebook's file name without ``.ipynb``; its reports are named after it."""
        return self.notebook.stem


CONFIG_KEYS = ("defaults", "notebooks")
ENTRY_KEYS = ("notebook", "parameters")
ENTRY_EXAMPLE = "- notebook: notebooks/01-baseline.ipynb"


def _check_keys(data: dict, allowed: tuple[str, ...], source: Path, place: str) -> None:
    """Raise :class:`InputError` for the first key of ``data`` not in ``allowed``."""
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
            raise InputError(f"{source}: {place}{key}: unknown key; {hint}")


def _parameters(value: Any, source: Path, place: str) -> dict:
    """A mapping of parameter values (empty when left blank); else :class:`InputError`."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InputError(f"{source}: {place}: must be a mapping of parameter: value, e.g. "
                         f"{{replications: 200}}, got {value!r}")
    return value


def _entry(item: Any, place: str, source: Path, defaults: dict) -> tuple[ReportEntry, list]:
    """One ``notebooks`` item checked against its notebook; with the notebook's parameters."""
    if not isinstance(item, dict):
        raise InputError(f"{source}: {place}: must be a mapping with notebook: FILE.ipynb, "
                         f"e.g. {ENTRY_EXAMPLE}")
    _check_keys(item, ENTRY_KEYS, source, f"{place}.")
    if not isinstance(item.get("notebook"), str):
        raise InputError(f"{source}: {place}.notebook: required, the notebook file relative "
                         f"to {source}, e.g. {ENTRY_EXAMPLE}")
    path = source.parent / item["notebook"]
    if not path.is_file():
        raise InputError(f"{source}: {place}.notebook: {path} not found; paths are relative "
                         f"to {source}")
    try:
        defined = notebook_parameters(path)
    except Exception as error:  # nbformat's reading and validation errors have no common base
        raise InputError(f"{source}: {place}.notebook: {path} is not a readable notebook: "
                         f"{str(error).strip().splitlines()[0]}") from None
    own = _parameters(item.get("parameters"), source, f"{place}.parameters")
    for name in own:
        if name not in defined:
            known = ", ".join(defined) or "none (no cell tagged parameters)"
            close = difflib.get_close_matches(str(name), defined, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(f"{source}: {place}.parameters.{name}: {path.name} has no such "
                             f"parameter; {hint}the notebook's parameters are: {known}")
    shared = {name: value for name, value in defaults.items() if name in defined}
    return ReportEntry(path, {**shared, **own}, tuple(defined)), defined


def load_report_config(path: Path) -> list[ReportEntry]:
    """The notebooks of a report config, in order, each with its parameters: the config's
    ``defaults`` that the notebook defines, overridden by the entry's own. Every problem is
    an :class:`InputError` of one line naming the file, the entry and the fix."""
    data = read_yaml_mapping(path, ("a report configuration", "notebooks", "defaults"))
    _check_keys(data, CONFIG_KEYS, path, "")
    defaults = _parameters(data.get("defaults"), path, "defaults")
    items = data.get("notebooks")
    if not isinstance(items, list) or not items:
        raise InputError(f"{path}: notebooks: must be a list of notebooks to run, e.g. "
                         f"notebooks: [{{notebook: notebooks/01-baseline.ipynb}}]")
    entries, everywhere, seen = [], set(), set()
    for index, item in enumerate(items):
        entry, defined = _entry(item, f"notebooks[{index}]", path, defaults)
        if entry.stem in seen:
            raise InputError(f"{path}: notebooks[{index}].notebook: {entry.stem} is listed "
                             "twice; its reports are named after the file, so list it once")
        seen.add(entry.stem)
        everywhere.update(defined)
        entries.append(entry)
    for name in defaults:
        if name not in everywhere:
            raise InputError(f"{path}: defaults.{name}: no notebook has this parameter; "
                             f"their parameters are: {', '.join(sorted(everywhere)) or 'none'}")
    return entries




# --- the index page ---------------------------------------------------------------------------

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
            f"<h2>The reports</h2><ol class=\"pages\">{items}</ol>{_manual_link(out)}"
            "</main></body></html>\n")


def _manual_link(out: Path) -> str:
    """A paragraph linking the manual built beside the reports ("" when there is none)."""
    if not manual_index(out).is_file():
        return ""
    target = manual_index(out).relative_to(out).as_posix()
    return (f'<h2>The manual</h2><p><a href="{quote(target)}">The manual</a>: every question '
            "and command, how the model works, and how to read these reports.</p>")
