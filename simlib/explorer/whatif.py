"""The explorer's what-if as a file: its text (``extends`` + ``set``, exactly what
``mcsim compare`` reads), the scenario that text loads to, saving it inside the scenarios
folder, and the results as a CSV a spreadsheet opens safely.

The explorer runs the scenario :func:`whatif_scenario` loads from the very text
:func:`save_whatif` writes, so the saved file, run through ``mcsim compare`` with the same
seed and replications, gives the same numbers.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from simlib.errors import InputError
from simlib.formats.cells import safe_frame
from simlib.formats.files import checked_output, write_text_atomic
from simlib.formats.printable import MAX_LINE, printable
from simlib.formats.yamltext import yaml_comment, yaml_flow, yaml_key, yaml_scalar
from simlib.scenario import Scenario, load_scenario, load_scenario_text, source_files

NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")  # a what-if's name: its file is NAME.yaml


def check_name(name: str) -> str:
    """``name`` if it can name a what-if file in the scenarios folder (lower-case letters,
    digits, ``-`` and ``_``, at most 63); else :class:`InputError` saying what to change."""
    if not NAME.fullmatch(name):
        raise InputError(f"name {printable(name, 40)}: use lower-case letters, digits, - and "
                         "_ (at most 63, starting with a letter or digit), e.g. mc-weekly-2")
    return name


def whatif_text(base: Scenario, folder: Path, name: str, title: str,
                changes: dict[str, Any]) -> str:
    """The what-if file ``folder/name.yaml``: it ``extends`` ``base``'s file (relative to
    ``folder``) and ``set``s ``changes`` (dotted path -> value), in their order."""
    reference = os.path.relpath(Path(base.source).resolve(), Path(folder).resolve())
    lines = [
        "# Made with the what-if explorer: the base scenario with the values below changed.",
        f"# Run it: mcsim compare {yaml_comment(base.source)} <this file>",
        f"extends: {yaml_scalar(reference)}",
        f"name: {yaml_scalar(check_name(name))}",
        f"title: {yaml_scalar(title or name)}",
        "set:" if changes else "set: {}",
        *(f"  {yaml_key(path)}: {yaml_flow(value)}" for path, value in changes.items()),
    ]
    return "\n".join(lines) + "\n"


def whatif_scenario(text: str, folder: Path, name: str) -> Scenario:
    """The scenario the what-if ``text`` loads to as the file ``folder/name.yaml``
    (:class:`~simlib.errors.ScenarioError` naming the key path when a value is refused)."""
    return load_scenario_text(text, Path(folder) / f"{check_name(name)}.yaml")


def save_whatif(text: str, folder: Path, name: str, base: Scenario,
                replace: bool = False) -> Path:
    """Write the what-if ``text`` to ``folder/name.yaml`` and return that path.

    Only inside ``folder`` (a name is a plain file name, and a symbolic link leading out of
    the folder is refused), never over the base or a file it extends, never over an existing
    file unless ``replace``, and atomically: the text is loaded and validated as that file
    first, and a file that does not load is never written. :class:`InputError` (or
    :class:`~simlib.errors.ScenarioError`) with one line saying what to change."""
    folder = Path(folder)
    target = folder / f"{check_name(name)}.yaml"
    if folder.resolve() not in target.resolve().parents:
        raise InputError(f"{printable(target, MAX_LINE)}: leads outside "
                         f"{printable(folder, MAX_LINE)}; choose another name")
    if target.exists() and not replace:
        raise InputError(f"{printable(target, MAX_LINE)} exists; tick replace to overwrite "
                         "it, or choose another name")
    checked_output(target, inputs=source_files(base.source), option="save", kind="yaml",
                   force=replace)
    whatif_scenario(text, folder, name)
    write_text_atomic(target, text, check=load_scenario)
    return target


def results_csv(answer: Any) -> str:
    """The comparison's tidy rows (:meth:`simlib.experiments.compare.Comparison.summary`:
    baseline, alternative, section, name, metric, value) as CSV text, every text cell safe
    in a spreadsheet."""
    return safe_frame(answer.comparison.summary()).to_csv(index=False)
