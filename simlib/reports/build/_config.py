"""The report config (``reports.yaml``): the notebooks in the order they run, each with
its parameters, checked against the notebook before anything runs; and the output folder
checked so that no report overwrites an input."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simlib.errors import CommandError, InputError
from simlib.formats.files import checked_output, regular_input
from simlib.formats.yamlfile import read_yaml_mapping
from simlib.reports.build._notebooks import notebook_parameters, report_files


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
    try:
        regular_input(path, "notebook (.ipynb)")
    except InputError as error:
        hint = f"; paths are relative to {source}" if not path.exists() else ""
        raise InputError(f"{source}: {place}.notebook: {error}{hint}") from None
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


def check_out_folder(out: Path, entries: list[ReportEntry], config: Path) -> None:
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
