"""Finding the project's files from a notebook, wherever it runs.

The notebooks' parameters name files relative to the project folder (the folder holding
``reports.yaml`` or ``pyproject.toml``), e.g. ``scenarios/baseline.yaml``, so the same
notebook runs in JupyterLab (working directory: ``notebooks/``), under ``mcsim report``
(the same), and under ``papermill notebooks/03-staffing.ipynb out.ipynb`` from the project
folder or from anywhere else. :func:`project_file` tries, in order:

1. the path as given (absolute, or relative to the working directory);
2. relative to the project folder found by walking up from the working directory;
3. relative to the notebook's own folder (when Jupyter says which notebook runs:
   ``JPY_SESSION_NAME``) and the project found above it;
4. relative to the project folder this copy of simlib was installed from (an editable
   install: the checkout holding ``simlib/``).

The first that exists wins; when none does, :class:`~simlib.errors.InputError` says where
it looked and what to do.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from simlib.errors import InputError

MARKERS = ("reports.yaml", "pyproject.toml")  # files that mark the project folder
CHECKOUT = Path(__file__).resolve().parents[3]  # the folder holding simlib/, if a checkout


def project_root(start: str | Path | None = None) -> Path | None:
    """The nearest folder at or above ``start`` (default: the working directory) that
    holds ``reports.yaml`` or ``pyproject.toml``; None without one."""
    folder = Path(start if start is not None else Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).is_file() for marker in MARKERS):
            return candidate
    return None


def _notebook_folder() -> Path | None:
    """The running notebook's folder, when Jupyter says (``JPY_SESSION_NAME``)."""
    name = os.environ.get("JPY_SESSION_NAME", "")
    return Path(name).resolve().parent if name.endswith(".ipynb") else None


def _places() -> list[Path]:
    """The folders :func:`project_file` tries, in order, without repeats."""
    places = [Path.cwd()]
    for start in (Path.cwd(), _notebook_folder()):
        if start is not None:
            places += [start, *filter(None, [project_root(start)])]
    if any((CHECKOUT / marker).is_file() for marker in MARKERS):
        places.append(CHECKOUT)
    return list(dict.fromkeys(place.resolve() for place in places))


def project_file(path: str | Path) -> str:
    """The file ``path`` names, found as the module docstring says, as an absolute path
    (a string, ready for any simlib function); "" stays "" (no file). Raises
    :class:`InputError` when no place holds it."""
    if str(path) == "":
        return ""
    given = Path(path).expanduser()
    if given.is_absolute():
        if given.exists():
            return str(given)
        raise InputError(f"{given}: file not found; check the path")
    places = _places()
    for place in places:
        if (place / given).exists():
            return str((place / given).resolve())
    looked = ", ".join(str(place) for place in places)
    raise InputError(f"{given}: file not found in the working directory or the project "
                     f"folder (looked in {looked}); give a path relative to the project "
                     "folder (the one holding reports.yaml) or an absolute path")


def project_files(paths: Iterable[str | Path]) -> list[str]:
    """:func:`project_file` of each of ``paths``, in order."""
    return [project_file(path) for path in paths]
