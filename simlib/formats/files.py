"""Reading and writing the user's files safely.

Inputs must be regular files (a folder, pipe or device is refused by name, never read).
Outputs go to a temporary file beside the target, then are renamed into place, so an existing
file is replaced whole or not at all; an output that is one of the command's own inputs, or
an existing pipe, device or folder, is refused before anything runs.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from simlib.errors import InputError

if TYPE_CHECKING:
    import pandas as pd


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def regular_input(path: Path, what: str = "file") -> Path:
    """``path`` if it is an existing regular file (symbolic links followed); else
    :class:`InputError` saying what it is instead ("not found", "a folder", "a device")."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(f"{path}: file not found; check the path") from None
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        kind = _kind(mode)
        hint = "give a .yaml file" if what == "yaml" else f"give a {what}"
        raise InputError(f"{path}: not a regular file ({kind}); {hint}")
    return path


def checked_output(path: Path, inputs: Iterable[Path | str] = (), option: str = "--out") -> Path:
    """``path`` if an output may be written there: not one of ``inputs`` (same file, however
    spelt), not an existing folder, pipe or device, in a folder that exists and is writable;
    else :class:`InputError` naming the option and what to change."""
    path = Path(path)
    where = f"mcsim: {option} {path}"
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise InputError(f"{where}: cannot use it: {error.strerror}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{where}: is {_kind(info.st_mode)}, not a file; "
                             "give the name of a file to write")
        for source in inputs:
            try:
                if os.path.samefile(source, path):
                    raise InputError(f"{where}: is also an input of this command; "
                                     "give a different output file")
            except OSError:
                continue
    folder = path.parent
    if not folder.is_dir():
        raise InputError(f"{where}: folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{where}: folder {folder} is not writable; choose another folder")
    return path


def write_atomic(path: Path, write: Callable[[TextIO], object]) -> None:
    """Call ``write(stream)`` on a temporary UTF-8 text file beside ``path``, then rename it
    to ``path`` (readable by everyone, like an ordinary new file). An existing ``path`` that
    is not a regular file (a pipe, a device) is refused, never replaced."""
    checked_output(path)
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
