"""Reports for university leadership, and the provenance every report carries.

In a notebook: :class:`Markdown`, :func:`git_commit` and :func:`provenance` (the section a
notebook ends with: parameters, versions, commit, time and a STRESS-DES checklist).

For ``mcsim report`` (:mod:`simlib.cli.report`): :func:`notebook_parameters`,
:func:`build_report` (run one notebook with papermill; write the executed notebook and its
HTML pages, see :mod:`simlib.reports.build._html`), :func:`report_title`, :func:`report_summary`
and :func:`report_bottom_line`. Papermill,
nbconvert and nbformat are imported only inside the functions that use them, so
``import simlib.reports.build`` in a notebook kernel stays cheap.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import subprocess
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from simlib.errors import NotebookFailed
from simlib.formats.files import checked_output, write_text_atomic
from simlib.formats.words import percent
from simlib.reports.build._html import plain, render_html, shown_cells
from simlib.reports.words import Markdown
from simlib.version import __version__

UNKNOWN_COMMIT = "unknown (not a git checkout)"
QUIET_KERNEL = ["--IPKernelApp.log_level=CRITICAL"]  # no kernel warnings or shutdown noise


# --- provenance (called in notebooks) --------------------------------------------------------


def _git(folder: Path, *args: str) -> str | None:
    """The output of ``git -C folder args``; None when git or the repository is missing."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_commit(path: str | Path | None = None) -> str:
    """The short commit of the git repository holding ``path`` (default: simlib's own), with
    " (uncommitted changes)" when tracked files differ from it; :data:`UNKNOWN_COMMIT` when
    git or the repository is missing. Never raises."""
    folder = Path(path) if path is not None else Path(__file__).resolve().parent
    if not folder.is_dir():
        folder = folder.parent
    commit = _git(folder, "rev-parse", "--short", "HEAD")
    if not commit:
        return UNKNOWN_COMMIT
    changed = _git(folder, "status", "--porcelain", "--untracked-files=no")
    return f"{commit} (uncommitted changes)" if changed else commit


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _utc_now() -> str:
    """The time now in UTC, ISO 8601 to the second, e.g. ``2025-08-25T14:03:00Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cell(value: Any) -> str:
    """``value`` as the text of one Markdown table cell."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _route(scenario: Any, items: tuple) -> str:
    """A pathway's steps in order by body label: conditions in brackets, parallel with +."""
    from simlib.reports.words import condition_words
    from simlib.scenario import Parallel

    def label(step: Any) -> str:
        name = scenario.bodies[step.body].label or step.body
        notes = [f"{condition_words(step.when)} only"] if step.when else []
        notes += [f"skipped for {condition_words(step.skip_when)}"] if step.skip_when else []
        return f"{name} ({'; '.join(notes)})" if notes else name

    return " → ".join(
        " + ".join(label(step) for step in item.parallel) + " (at once)"
        if isinstance(item, Parallel) else label(item)
        for item in items
    )


def _logic(scenario: Any) -> str:
    """STRESS-DES 2: the scenario's pathways, meeting rule and calendar."""
    routes = "; ".join(f"{name}: {_route(scenario, items)}"
                       for name, items in scenario.pathways.items())
    calendar = scenario.calendar
    if calendar.kind == "academic":
        terms = ", ".join(f"{first} to {last}" for first, last in calendar.terms)
        when = f"academic calendar, terms {terms}"
    else:
        when = "continuous calendar (every day a working day, no terms)"
    return (f"{scenario.title or scenario.name}. {routes}. Committees decide only at their "
            f"meetings; {when}.")


def _data(scenario: Any) -> str:
    """STRESS-DES 3: assumptions and calibration of the scenario."""
    text = (f"{len(scenario.assumptions)} assumptions with plausible ranges (scenario "
            "`assumptions`); in the scenario file documented values are marked D and "
            "assumptions A.")
    calibration = scenario.calibration
    if calibration is None:
        return f"{text} Not calibrated."
    targets = [f"{name} mean {target.mean_cycle_days:g} days"
               for name, target in scenario.targets.items() if target.mean_cycle_days]
    targets += [f"{scenario.bodies[body].label or body} first responses within its promise: "
                f"at least {percent(sla.at_least)}" for body, sla in calibration.sla.items()]
    fitted = f", fitted {calibration.fit.date}" if calibration.fit else ""
    return (f"{text} Calibrated ({len(calibration.free)} free assumptions{fitted}) to: "
            f"{'; '.join(targets)}.")


def _experimentation(parameters: dict, scenario: Any, text: str) -> str:
    """STRESS-DES 4: replications, seed, warm-up, horizon, common random numbers."""
    parts = []
    for name in ("replications", "seed"):
        value = parameters.get(name, getattr(scenario, name, None))
        if value is not None:
            parts.append(f"{name} {value}")
    if scenario is not None:
        parts.append(f"warm-up {scenario.warmup_days / 365:g} of "
                     f"{scenario.horizon_days / 365:g} years of submissions (excluded)")
    parts.append("common random numbers across scenarios")
    return "; ".join(parts) + "." + (f" {text}" if text else "")


def checklist(parameters: dict, scenario: Any = None, purpose: str = "",
              experimentation: str = "") -> list[tuple[str, str]]:
    """The STRESS-DES reporting checklist as (heading, text) rows, 1 to 5."""
    simlib_version = _simlib_version()
    return [
        ("Objectives", purpose or "Not stated."),
        ("Logic", _logic(scenario) if scenario is not None else "No scenario given."),
        ("Data sources and assumptions",
         _data(scenario) if scenario is not None else "No scenario given."),
        ("Experimentation", _experimentation(parameters, scenario, experimentation)),
        ("Implementation", f"SimPy {_package_version('simpy')} discrete-event model, simlib "
         f"{simlib_version}, commit {git_commit()}; the same seed gives the same results, run "
         "serially or in parallel."),
    ]


def _simlib_version() -> str:
    return __version__


def provenance(parameters: dict, scenario: Any = None, purpose: str = "",
               experimentation: str = "") -> Markdown:
    """A Markdown section ``## Provenance``: the notebook's ``parameters`` (name, value),
    simlib, Python, SimPy, NumPy and pandas versions, the git commit, the time (UTC), and a
    STRESS-DES checklist from ``scenario`` (a :class:`simlib.Scenario`), the report's
    ``purpose`` and notes on its ``experimentation``."""
    rows = [f"| {_cell(name)} | {_cell(value)} |" for name, value in parameters.items()]
    versions = ", ".join(f"{name} {_package_version(name)}"
                         for name in ("simpy", "numpy", "pandas"))
    lines = [
        "## Provenance", "",
        "| parameter | value |", "| --- | --- |", *(rows or ["| (none) | |"]), "",
        f"- simlib {_simlib_version()}; Python {platform.python_version()}; {versions}",
        f"- git commit: {git_commit()}",
        f"- made: {_utc_now()} (UTC)", "",
        "### Reporting checklist (after STRESS-DES)", "",
        "| | heading | in this report |", "| --- | --- | --- |",
        *(f"| {number} | {heading} | {_cell(text)} |" for number, (heading, text)
          in enumerate(checklist(parameters, scenario, purpose, experimentation), start=1)),
    ]
    return Markdown("\n".join(lines) + "\n")


# --- running and rendering one notebook -------------------------------------------------------


def notebook_parameters(path: Path) -> list[str]:
    """The names set in the notebook's cell tagged ``parameters`` (none without one)."""
    import nbformat
    from papermill.translators import PythonTranslator

    notebook = nbformat.read(path, as_version=4)
    cell = next((cell for cell in notebook.cells
                 if "parameters" in cell.metadata.get("tags", [])), None)
    return [] if cell is None else [item.name for item in PythonTranslator.inspect(cell)]



def _failed_cell(notebook: Any) -> tuple[int, Any, Any] | None:
    """(number from 1, cell, its error output or None) of the first cell that failed."""
    for number, cell in enumerate(shown_cells(notebook), start=1):
        errors = [output for output in cell.get("outputs", []) if output.output_type == "error"]
        if errors or cell.get("metadata", {}).get("papermill", {}).get("exception"):
            return number, cell, errors[0] if errors else None
    return None


def _failure(notebook: Path, running: Path, error: Exception | None) -> str:
    """The one-line message for a failed run; keeps the executed notebook as
    ``OUT/<stem>.failed.ipynb`` when papermill saved any of it."""
    import nbformat

    what = f"{type(error).__name__}: {error}" if error is not None else "an error output"
    where, kept = "", ""
    if running.is_file() and running.stat().st_size > 0:
        failed = running.parent / f"{notebook.stem}.failed.ipynb"
        os.chmod(running, 0o644)
        os.replace(running, failed)
        kept = f"; the executed notebook is saved as {failed}"
        found = _failed_cell(nbformat.read(failed, as_version=4))
        if found is not None:
            number, cell, output = found
            first_line = next((line for line in cell.source.splitlines() if line.strip()), "")
            where = f" at cell {number} ({first_line.strip()[:60]})"
            if output is not None:
                what = f"{output.ename}: {output.evalue}"
    what = (what.strip().splitlines() or [what])[0]
    return f"mcsim: report: {notebook} failed{where}: {what}{kept}"


def _execute(notebook: Path, parameters: dict, running: Path) -> Any:
    """Run the notebook with papermill, saving it to ``running``; the executed notebook, or
    :class:`NotebookFailed` when it raised or shows an error output."""
    import papermill

    try:
        executed = papermill.execute_notebook(
            str(notebook.resolve()), str(running.resolve()), parameters=parameters,
            cwd=str(notebook.resolve().parent), kernel_name="python3",
            progress_bar=False, log_output=False, report_mode=False,
            extra_arguments=QUIET_KERNEL,
        )
    except Exception as error:  # the notebook's own, or the kernel's: the notebook failed
        raise NotebookFailed(_failure(notebook, running, error)) from None
    if _failed_cell(executed) is not None:
        raise NotebookFailed(_failure(notebook, running, None))
    return executed


def _paragraphs(markdown: str) -> list[str]:
    """The plain-text paragraphs (and list items) of Markdown up to its next heading."""
    body = re.split(r"^#", markdown, maxsplit=1, flags=re.MULTILINE)[0]
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        items = re.split(r"^\s*(?:[-*+]|\d+\.)\s+", block, flags=re.MULTILINE)
        bullets = [f"• {plain(' '.join(item.split()))}" for item in items[1:]]
        head = plain(" ".join(items[0].split()))
        paragraphs += ([head] if head else []) + bullets
    return paragraphs


def _after_heading(text: str) -> str:
    """Markdown after its first line (the heading)."""
    return text.partition("\n")[2]


def _markdown_outputs(notebook: Any) -> list[str]:
    """The text of every Markdown output the notebook displays, in order."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown")
            if text is not None:
                found.append("".join(text) if isinstance(text, list) else text)
    return found


def _markdown_cells(notebook: Any) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]


def report_title(notebook: Any, default: str) -> str:
    """The text of the notebook's first Markdown heading; ``default`` without one."""
    for source in _markdown_cells(notebook):
        for line in source.splitlines():
            if line.startswith("#"):
                return plain(line.lstrip("#")) or default
    return default


def report_summary(notebook: Any) -> list[str]:
    """The paragraphs of the first Markdown output beginning ``## Summary`` (plain text);
    without one, the first paragraph after the heading of the first Markdown cell."""
    for text in _markdown_outputs(notebook):
        if text.lstrip().startswith("## Summary"):
            return _paragraphs(_after_heading(text.lstrip()))
    for source in _markdown_cells(notebook):
        text = source.lstrip()
        paragraphs = _paragraphs(_after_heading(text) if text.startswith("#") else text)
        if paragraphs:
            return paragraphs[:1]
    return []


def report_bottom_line(notebook: Any) -> list[str]:
    """The three plain-text lines (answer, how sure, what to do) of the first Markdown
    output beginning ``## Bottom line`` (see :class:`simlib.reports.readable.BottomLine`);
    empty without one."""
    for text in _markdown_outputs(notebook):
        if text.lstrip().startswith("## Bottom line"):
            items = re.findall(r"^- \*\*[^*]+:\*\* (.*)$", text, flags=re.MULTILINE)
            return [plain(item) for item in items]
    return []


def report_files(notebook: Path, out: Path) -> list[Path]:
    """The files :func:`build_report` writes for ``notebook`` in ``out``, each checked with
    :func:`~simlib.formats.files.checked_output` against the notebook (an output folder
    that holds the notebook itself is refused before anything runs)."""
    stem = notebook.stem
    return [checked_output(out / name, inputs=[notebook])
            for name in (f"{stem}.html", f"{stem}-code.html", f"{stem}.ipynb")]


def build_report(notebook: Path, parameters: dict, out: Path) -> None:
    """Run ``notebook`` with ``parameters`` (in its own folder) and write ``OUT/<stem>.html``
    (for readers), ``OUT/<stem>-code.html`` (with the code) and the executed
    ``OUT/<stem>.ipynb``, each replaced whole. On failure raise :class:`NotebookFailed`,
    keep the executed notebook as ``OUT/<stem>.failed.ipynb`` and leave the earlier report
    as it was."""
    stem = notebook.stem
    page, code_page, executed_path = report_files(notebook, out)
    handle, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".ipynb", dir=out)
    os.close(handle)
    running = out / Path(name).name  # as --out gave it, for the messages
    try:
        executed = _execute(notebook, parameters, running)
        title = report_title(executed, stem)
        write_text_atomic(page, render_html(executed, title, stem))
        write_text_atomic(code_page, render_html(executed, title, stem, code=True))
        os.chmod(running, 0o644)
        os.replace(running, executed_path)
        (out / f"{stem}.failed.ipynb").unlink(missing_ok=True)
    finally:
        running.unlink(missing_ok=True)
