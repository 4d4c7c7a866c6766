"""Reading delimited text (CSV; tab-separated for a ``.tsv`` or ``.tab`` file) into rows of
text cells, within bounds (:class:`SheetLimits`), for :func:`simlib.formats.sheets.read_sheet`.

The text must be UTF-8 (a byte order mark is dropped); UTF-16, binary files and workbooks
named as text are refused by name. The file's size is checked before it is read, and a line
with more cells than allowed is refused before it is split, so a hostile file costs neither
time nor memory. A record the CSV rules refuse is named by its row, the column where the
trouble starts (a quote that opens and never closes, text after a closing quote, a cell too
long) and the fix.

Rows are numbered as a spreadsheet shows them: the header is row 1, a record whose quoted
cell holds line breaks is one row; :attr:`Row.place` adds the line of the file where a row
starts when that differs.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from simlib.errors import InputError

SAVE_AS = "save it as CSV UTF-8 (Comma delimited) or as an .xlsx workbook (File > Save As)"
TAB_SUFFIXES = (".tsv", ".tab")
_QUOTED = re.compile(r'"[^"]*(?:"|\Z)')  # a quoted stretch of a line (to its end if open)
_QUOTED_CELL = re.compile(r'"[^"]*+(?:""[^"]*+)*+"')  # a quoted cell, its quotes doubled inside


@dataclass(frozen=True)
class SheetLimits:
    """What a table may hold: ``rows`` below the header, ``columns``, ``csv_bytes`` of a
    text file, ``unpacked_bytes`` / ``zip_entries`` / ``elements`` of a workbook.
    ``rows_named`` is how a too-long file's message names its rows, ``advice`` the fix every
    too-large file's message ends with."""

    rows: int
    columns: int = 200
    csv_bytes: int = 32 * 1024 * 1024
    unpacked_bytes: int = 64 * 1024 * 1024
    zip_entries: int = 1000
    elements: int = 4_000_000
    rows_named: str = "rows below the header"
    advice: str = "split it into smaller files, each with the header row"


class Row(NamedTuple):
    """One row of a table: ``number`` as a spreadsheet shows it (the header is row 1),
    ``line`` of the file where it starts (the same in a workbook), its text ``cells``."""

    number: int
    line: int
    cells: tuple[str, ...]

    @property
    def blank(self) -> bool:
        """True when every cell is empty or spaces."""
        return not any(cell.strip() for cell in self.cells)

    @property
    def place(self) -> str:
        """"row N" for a message, with the line where the row starts when that differs
        ("row 3 (line 4)")."""
        if self.line == self.number:
            return f"row {self.number}"
        return f"row {self.number} (line {self.line})"


@dataclass(frozen=True)
class Sheet:
    """The rows of a table, header first (blank rows kept, so numbers stay as the file
    shows them), ``not_utf8_line``: the line of the first character that is not UTF-8
    when the text was read as Windows-1252 instead (else None), ``worksheet``: which
    sheet of a workbook of several was read, in words ("" for a text file or a workbook
    of one sheet), and ``unsaved_formulas``: {(row number, column index): formula} of the
    workbook's cells that hold a formula but no saved value (their text is "")."""

    rows: tuple[Row, ...]
    not_utf8_line: int | None = None
    worksheet: str = ""
    unsaved_formulas: Mapping[tuple[int, int], str] = field(default_factory=dict)

    @property
    def header(self) -> tuple[str, ...]:
        """The first row's cells without surrounding spaces (empty for an empty file)."""
        return tuple(cell.strip() for cell in self.rows[0].cells) if self.rows else ()


def too_many_rows(path: Path, limits: SheetLimits) -> InputError:
    """The error for a table with more rows below its header than ``limits`` allow."""
    return InputError(f"{path}: more than {limits.rows:,} {limits.rows_named}; "
                      f"{limits.advice}")


def too_many_columns(path: Path, count: int, limits: SheetLimits) -> InputError:
    """The error for a row of ``count`` cells, more than ``limits`` allow."""
    return InputError(f"{path}: {count:,} columns (up to column {column_letter(count - 1)}); "
                      f"at most {limits.columns} are read: delete the columns that are not "
                      "needed")


def megabytes(size: int, limit: int) -> str:
    """``size`` bytes in MB as a message shows them beside ``limit`` bytes: whole MB from
    10 MB on, else (or when whole MB would read as no more than the limit) one decimal."""
    size_mb = size / 2**20
    if size_mb >= 10 and round(size_mb) > limit // 2**20:
        return f"{size_mb:,.0f}"
    return f"{size_mb:,.1f}"


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_delimited(path: Path, limits: SheetLimits, *, windows_1252: bool = False) -> Sheet:
    """The rows of the delimited text file ``path`` (a regular file), tab-separated for a
    name in :data:`TAB_SUFFIXES`, else comma-separated; :class:`InputError` (one line) for
    a file larger than ``limits``, not UTF-8 (unless ``windows_1252``: then it is read as
    Windows-1252 and :attr:`Sheet.not_utf8_line` says where), or not readable as CSV."""
    delimiter = "\t" if path.suffix.lower() in TAB_SUFFIXES else ","
    text, not_utf8_line = _text(path, limits, windows_1252)
    return Sheet(_records(path, text, delimiter, limits), not_utf8_line)


def _text(path: Path, limits: SheetLimits, windows_1252: bool) -> tuple[str, int | None]:
    """The decoded text of ``path`` and the line where it stops being UTF-8 (or None)."""
    size = path.stat().st_size
    if size > limits.csv_bytes:
        raise InputError(f"{path}: {megabytes(size, limits.csv_bytes)} MB, more than the "
                         f"{limits.csv_bytes // 2**20} MB that are read; {limits.advice}")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is an Excel workbook, not CSV text; rename it to end in "
                         ".xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path}: UTF-16 text (Excel's \"Unicode Text\"), not UTF-8 text; "
                         f"{SAVE_AS}")
    if b"\x00" in data:
        raise InputError(f"{path}: a binary file, not CSV text; {SAVE_AS}")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
    if not windows_1252:
        raise InputError(f"{path}: line {line}: not UTF-8 text, so accents and other letters "
                         f"would be garbled; {SAVE_AS}")
    return data.decode("cp1252", errors="replace"), line


def _records(path: Path, text: str, delimiter: str, limits: SheetLimits) -> tuple[Row, ...]:
    """Every record of ``text``; :class:`InputError` for more rows or columns than
    ``limits`` allow, or a record the CSV rules refuse (see :func:`_trouble`)."""
    quotes = [0]  # quotes seen so far in the record being read: odd while it is in quotes
    lines = _lines(path, text, delimiter, limits, quotes)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows: list[Row] = []
    while True:
        start, quotes[0] = reader.line_num + 1, 0
        try:
            cells = next(reader)
        except StopIteration:
            return tuple(rows)
        except csv.Error as error:
            header = rows[0].cells if rows else ()
            raise InputError(_trouble(path, Row(len(rows) + 1, start, ()), _line(text, start),
                                      header, str(error), delimiter)) from None
        if len(rows) > limits.rows:
            raise too_many_rows(path, limits)
        if len(cells) > limits.columns:
            raise too_many_columns(path, len(cells), limits)
        rows.append(Row(len(rows) + 1, start, tuple(cells)))


def _lines(path: Path, text: str, delimiter: str, limits: SheetLimits,
           quotes: list[int]) -> Iterator[str]:
    """The lines of ``text`` for :func:`csv.reader`, one at a time; a line with more cells
    than ``limits`` allow is refused before the reader splits it (a line of millions of
    commas would cost seconds and gigabytes). A separator inside quotes does not count:
    ``quotes`` holds the count of quotes in the record so far (odd: the line starts inside
    a quoted cell), which the caller sets to 0 at each record."""
    for line in iter(io.StringIO(text, newline="").readline, ""):
        if line.count(delimiter) >= limits.columns:
            unquoted = line.partition('"')[2] if quotes[0] % 2 else line
            cells = _QUOTED.sub("", unquoted).count(delimiter) + 1
            if cells > limits.columns:
                raise too_many_columns(path, cells, limits)
        if '"' in line:
            quotes[0] += line.count('"')
        yield line


def _line(text: str, number: int) -> str:
    """Line ``number`` (from 1) of ``text``, as the CSV rules end lines."""
    return next(itertools.islice(io.StringIO(text, newline=""), number - 1, None), "")


def _trouble(path: Path, row: Row, line: str, header: tuple[str, ...], error: str,
             delimiter: str) -> str:
    """The one line for a record (``row``, starting with ``line``) the CSV reader refused:
    the column where a quote opens and is never closed, where text follows a closing quote,
    or that holds a cell too long; ``header`` names the columns."""
    index, trouble = _quote_trouble(line, delimiter)
    limit = csv.field_size_limit()
    if index is None and "field limit" in error:  # a cell too long, quotes or not
        index = next((number for number, cell in enumerate(line.split(delimiter))
                      if len(cell) > limit), None)
    where = f"{path}: {row.place}"
    if index is not None:
        name = header[index].strip() if index < len(header) else ""
        where += f", column {name or index + 1}"
    if trouble == "open" and ("end of data" in error or "field limit" in error):
        return f"{where}: a quote (\") opens here and is never closed; close it, or remove it"
    if "field limit" in error:
        return f"{where}: a cell longer than {limit:,} characters; check the row"
    if trouble == "stray":
        return (f"{where}: text after the closing quote of a quoted cell; put the whole cell "
                "in quotes and double the quotes inside it (\"\")")
    return f"{where}: not readable as CSV ({error}); check the quotes in this row"


def _quote_trouble(line: str, delimiter: str) -> tuple[int | None, str]:
    """In one line of delimited text: (0-based cell index, "open") for a quote that opens
    a cell and is not closed on the line, (index, "stray") for text after a cell's closing
    quote, or (None, ""). Cell by cell, each found by the regular expression engine, so a
    long line costs milliseconds."""
    cell, position, ends = 0, 0, (delimiter, "\r", "\n")
    while position < len(line):
        if line.startswith('"', position):
            match = _QUOTED_CELL.match(line, position)
            if match is None:
                return cell, "open"
            position = match.end()
            if position < len(line) and line[position] not in ends:
                return cell, "stray"
        else:
            position = line.find(delimiter, position)
            if position < 0:
                break
        if line.startswith(delimiter, position):
            cell += 1
        position += 1
    return None, ""
