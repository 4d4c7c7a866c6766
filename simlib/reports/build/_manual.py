"""The manual beside the reports: ``mcsim report`` builds the project's MkDocs site (the
``mkdocs.yml`` next to the report config, and its ``docs/``) into ``OUT/manual/``, so that
the index links to it and the link works offline, from the reports folder alone.

A project without ``mkdocs.yml`` next to its config gets no manual and no link; a build that
cannot run (MkDocs not installed) or fails leaves the reports as they are and says why in
one line.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

MANUAL = "manual"  # the manual's folder inside the reports' folder
CONFIG = "mkdocs.yml"


def manual_index(out: Path) -> Path:
    """The manual's front page inside the reports' folder ``out`` (it may not exist)."""
    return out / MANUAL / "index.html"


def build_manual(project: Path, out: Path) -> str | None:
    """Build the manual of ``project`` (the folder holding ``mkdocs.yml``) into
    ``out/manual``. Returns None when built or when the project has no manual, else one
    line saying why it was not built."""
    config = project / CONFIG
    if not config.is_file():
        return None
    if importlib.util.find_spec("mkdocs") is None:
        return (f"the manual ({config}) was not built: MkDocs is not installed; "
                "pip install -e '.[dev]'")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config),
         "--site-dir", str((out / MANUAL).resolve())],
        capture_output=True, text=True, cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        return f"the manual ({config}) was not built: mkdocs build failed: {reason}"
    return None
