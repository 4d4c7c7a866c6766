"""Writing output files safely: to a temporary file beside the target, then renamed into
place, so an existing file is replaced whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import pandas as pd


def write_atomic(path: Path, write: Callable[[TextIO], object]) -> None:
    """Call ``write(stream)`` on a temporary UTF-8 text file beside ``path``, then rename it
    to ``path`` (readable by everyone, like an ordinary new file)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(handle, 0o644)  # mkstemp makes 0600 files; outputs are for sharing
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`write_atomic`)."""
    write_atomic(path, lambda stream: stream.write(text))


def write_csv_atomic(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as CSV (dates as YYYY-MM-DD) without ever leaving a half-written file."""
    write_atomic(
        Path(path), lambda stream: frame.to_csv(stream, index=False, date_format="%Y-%m-%d")
    )
