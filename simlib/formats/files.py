"""Reading and writing the user's files safely.

Inputs must be regular files (a folder, pipe or device is refused by name, never read).
Outputs go to a temporary file beside the target, then are renamed into place, so an existing
file is replaced whole or not at all; an output that is one of the command's own inputs, or
an existing pipe, device or folder, is refused before anything runs, and so is a stream
the command has open (``/dev/stdout``, ``/dev/fd/N``). A symbolic link is followed, never
replaced: the file it points to is written. An existing file that holds
another kind of content than the command writes (a CSV record where a YAML scenario would
go) is refused unless the command is told to replace it (``--force``); a written file can
be checked (e.g. loaded as a scenario) before it replaces anything.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from simlib.errors import InputError
from simlib.formats.printable import MAX_LINE, printable

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
        raise InputError(f"{printable(path, MAX_LINE)}: file not found; check the path"
                         ) from None
    except OSError as error:
        raise InputError(f"{printable(path, MAX_LINE)}: cannot read: {error.strerror}"
                         ) from None
    if not stat.S_ISREG(mode):
        kind = _kind(mode)
        hint = "give a .yaml file" if what == "yaml" else f"give a {what}"
        raise InputError(f"{printable(path, MAX_LINE)}: not a regular file ({kind}); {hint}")
    return path


KINDS = {"yaml": "a YAML file", "csv": "a CSV table", "xml": "an XML document (e.g. XES)",
         "json": "a JSON document", "html": "an HTML page", "zip": "a workbook (zip archive)",
         "binary": "a binary file", "text": "other text"}
SNIFFED_BYTES = 65_536  # of an existing output, to tell its kind
_YAML_KEY = re.compile(r"^(---|%YAML|[A-Za-z_\"'][^,:]*:(\s|$))")
_JSON_START = re.compile(r"^(\{\s*[\"}]|\[\s*[\"\[{\]\-0-9]|[\[{]\s*$)")


def content_kind(head: bytes) -> str:
    """What the first bytes of a file hold: "empty", or a key of :data:`KINDS` (the first
    meaningful line decides between YAML, CSV and other text)."""
    if not head.strip():
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if b"\0" in head:
        return "binary"
    text = head.decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if text[:15].lower().startswith(("<!doctype html", "<html")):
        return "html"
    if text.startswith("<"):
        return "xml"
    if _JSON_START.match(text):
        return "json"
    lines = [line for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")][:20]
    if lines and _YAML_KEY.match(lines[0]):
        return "yaml"
    try:
        rows = list(itertools.islice(csv.reader(io.StringIO(text)), 21))
    except csv.Error:
        return "text"
    widths = {len(row) for row in (rows[:-1] if len(rows) > 1 else rows) if row}
    return "csv" if len(widths) == 1 and widths != {1} else "text"


def _refuse_other_kind(path: Path, kind: str, where: str) -> None:
    """Refuse an existing ``path`` whose content is not of ``kind`` (nor empty)."""
    try:
        with open(path, "rb") as stream:
            found = content_kind(stream.read(SNIFFED_BYTES))
    except OSError as error:
        raise InputError(f"{where}: cannot read it to check what it holds: "
                         f"{error.strerror}") from None
    if found not in (kind, "empty"):
        raise InputError(f"{where}: exists and holds {KINDS[found]}, not {KINDS[kind]}; give "
                         "another file name, or add --force to replace it")


def checked_output(path: Path, inputs: Iterable[Path | str] = (), option: str = "--out",
                   kind: str | None = None, force: bool = False) -> Path:
    """``path`` if an output may be written there: not one of ``inputs`` (same file, however
    spelt), not an existing folder, pipe or device, in a folder that exists and is writable
    (a symbolic link's target's folder), and, with ``kind`` (a key of :data:`KINDS`) and
    without ``force``, not an existing file holding another kind of content; else
    :class:`InputError` naming the option and what to change."""
    path = Path(path)
    where = f"mcsim: {option} {printable(path, MAX_LINE)}"
    if _descriptor(path):
        raise InputError(f"{where}: is a stream this command has open (its standard output "
                         "or another descriptor), not a file; give the name of a file to "
                         "write")
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
        if kind is not None and not force:
            _refuse_other_kind(path, kind, where)
    folder = real_path(path).parent
    if not folder.is_dir():
        raise InputError(f"{where}: folder {folder} does not exist; create it first")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{where}: folder {folder} is not writable; choose another folder")
    return path


_DESCRIPTOR = re.compile(r"^/(dev|proc/(self|thread-self|\d+))/fd/\d+$|^/dev/std(in|out|err)$")
MAX_LINKS = 40  # symbolic links followed, as the system does


def _descriptor(path: Path) -> bool:
    """True when ``path``, or a link on the way to its file, names an open descriptor of
    this process (``/dev/stdout``, ``/dev/fd/1``, ``/proc/self/fd/1``): writing the file
    behind it would replace what the shell opened, or mix the output with what the command
    prints."""
    current = os.path.abspath(path)
    for _ in range(MAX_LINKS):
        if _DESCRIPTOR.match(current):
            return True
        if not os.path.islink(current):
            return False
        current = os.path.normpath(os.path.join(os.path.dirname(current),
                                                os.readlink(current)))
    return False


def real_path(path: Path) -> Path:
    """Where writing ``path`` lands: the file its symbolic links (if any) point to."""
    path = Path(path)
    return Path(os.path.realpath(path)) if os.path.islink(path) else path


def write_atomic(path: Path, write: Callable[[TextIO], object],
                 check: Callable[[Path], object] | None = None) -> None:
    """Call ``write(stream)`` on a temporary UTF-8 text file beside ``path`` (beside the
    file a symbolic link points to: the link is kept), then ``check(temporary path)`` when
    given (it raises to keep the old file), then rename it into place (readable by
    everyone, like an ordinary new file). An existing ``path`` that is not a regular file
    (a pipe, a device) is refused, never replaced."""
    checked_output(path)
    target = real_path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        os.fchmod(handle, 0o644)  # mkstemp makes 0600 files; outputs are for sharing
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        if check is not None:
            check(Path(temporary))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str,
                      check: Callable[[Path], object] | None = None) -> None:
    """Write ``text`` to ``path`` atomically (see :func:`write_atomic`)."""
    write_atomic(path, lambda stream: stream.write(text), check)


def write_csv_atomic(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` as CSV (dates as YYYY-MM-DD) without ever leaving a half-written file."""
    write_atomic(
        Path(path), lambda stream: frame.to_csv(stream, index=False, date_format="%Y-%m-%d")
    )
