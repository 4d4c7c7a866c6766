"""Reading a table (a CSV, or the first worksheet of an xlsx workbook) into rows of text
cells, within bounds (:class:`SheetLimits`): a CSV's size, an xlsx's unpacked size, parts,
XML elements and declared dimension are checked before any cell is read, so a hostile file
costs neither time nor memory. Rows are numbered as a spreadsheet shows them: the header is
row 1, and a CSV record over several lines is numbered by the line where it starts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import InputError
from simlib.formats.files import regular_input

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
SAVE_AS = "save it as CSV UTF-8 (comma delimited) or as an .xlsx workbook"


@dataclass(frozen=True)
class SheetLimits:
    """What a sheet may hold: ``rows`` below the header, ``columns``, ``csv_bytes`` of a
    CSV, ``unpacked_bytes`` / ``zip_entries`` / ``elements`` of a workbook; ``advice`` is the
    fix a too-large file's message ends with."""

    rows: int
    columns: int = 200
    csv_bytes: int = 32 * 1024 * 1024
    unpacked_bytes: int = 64 * 1024 * 1024
    zip_entries: int = 1000
    elements: int = 4_000_000
    advice: str = "split it into smaller files, each with the header row"


def read_rows(path: Path, limits: SheetLimits) -> list[tuple[int, list[str]]]:
    """(spreadsheet row, text cells) of every row of ``path`` (.csv or .xlsx), header first;
    :class:`InputError` (one line) if it is not a regular file, cannot be read, or is larger
    than ``limits``."""
    path = Path(path)
    regular_input(path, ".csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path, limits)
    if suffix == ".xls":
        raise InputError(f"{path}: old Excel .xls format; open it in Excel and {SAVE_AS}")
    return _read_csv(path, limits)


def _text(path: Path, limits: SheetLimits) -> str:
    size = path.stat().st_size
    if size > limits.csv_bytes:
        raise InputError(f"{path}: {size / 2**20:,.0f} MB, more than the "
                         f"{limits.csv_bytes // 2**20} MB that are read; {limits.advice}")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is an Excel workbook, not CSV text; name it .xlsx")
    if b"\x00" in data:
        raise InputError(f"{path}: a binary file, not CSV text; {SAVE_AS}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        raise InputError(f"{path}: row {row}: not UTF-8 text; save the CSV as UTF-8 "
                         "(CSV UTF-8 in Excel's Save As)") from None


def _read_csv(path: Path, limits: SheetLimits) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(_text(path, limits), newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            raise InputError(f"{path}: row {start}: {csv_trouble(str(error))}") from None
        if len(rows) > limits.rows:
            raise _too_many_rows(path, limits)
        if len(cells) > limits.columns:
            raise _too_many_columns(path, len(cells), limits)
        rows.append((start, cells))


def csv_trouble(error: str, otherwise: str = "check the quotes in this row") -> str:
    """What the CSV reader's ``error`` means for a row, and the fix (``otherwise`` for an
    error of another kind)."""
    if "end of data" in error:
        return 'a quote (") opens in this row and is never closed; close it, or remove it'
    if "expected after" in error:
        return ("text after the closing quote of a quoted cell; put the whole cell in quotes "
                'and double the quotes inside it ("")')
    if "field limit" in error:
        return f"a cell longer than {csv.field_size_limit():,} characters; check the row"
    return f"not readable as CSV ({error}); {otherwise}"


def _too_many_rows(path: Path, limits: SheetLimits) -> InputError:
    return InputError(f"{path}: more than {limits.rows:,} rows below the header (at most "
                      f"{limits.rows:,} are read); {limits.advice}")


def _too_many_columns(path: Path, count: int, limits: SheetLimits) -> InputError:
    return InputError(f"{path}: {count:,} columns; at most {limits.columns} are read: delete "
                      "the columns that are not needed")


def _unreadable(path: Path, error: BaseException) -> InputError:
    return InputError(f"{path}: not a readable .xlsx workbook ({type(error).__name__}); open "
                      "it in Excel and save it again")


def _check_archive(path: Path, limits: SheetLimits) -> None:
    """:class:`InputError` unless ``path`` is a zip archive within ``limits`` (declared
    sizes, then XML elements and row elements counted on the bytes, never parsed)."""
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an .xlsx workbook (not a zip archive); open it in Excel "
                         "and save it as .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            if len(entries) > limits.zip_entries or unpacked > limits.unpacked_bytes:
                raise InputError(f"{path}: the workbook unpacks to {unpacked / 2**20:,.0f} MB "
                                 f"in {len(entries):,} parts (at most "
                                 f"{limits.unpacked_bytes // 2**20} MB are read); save only "
                                 f"the sheet of visits, or {limits.advice}")
            elements = 0
            for entry in entries:
                found, rows = count_part(archive, entry, limits.rows + 1, limits.elements)
                elements += found
                if rows > limits.rows + 1:
                    raise _too_many_rows(path, limits)
    except InputError:
        raise  # (an InputError is a ValueError)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
        raise _unreadable(path, error) from None
    if elements > limits.elements:
        raise InputError(f"{path}: the workbook holds more than {limits.elements:,} XML "
                         f"elements; save only the sheet of visits, or {limits.advice}")


def count_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, max_rows: int,
               max_elements: int) -> tuple[int, int]:
    """(XML elements, row elements) in one part of a workbook, counted on its bytes in
    chunks (never parsed, never held whole in memory); counting stops once past
    ``max_rows`` rows or ``max_elements`` elements."""
    elements = rows = 0
    tail = b""
    with archive.open(entry) as stream:
        while (chunk := stream.read(1 << 20)) and rows <= max_rows and \
                elements <= max_elements:
            elements += chunk.count(b"<") - chunk.count(b"</")
            data = tail + chunk
            rows += len(_ROW_TAG.findall(data)) - len(_ROW_TAG.findall(tail))
            tail = data[-64:]
    return elements, rows


def _read_xlsx(path: Path, limits: SheetLimits) -> list[tuple[int, list[str]]]:
    import openpyxl

    _check_archive(path, limits)
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles it ignores
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                values = _bounded_rows(path, book.worksheets[0], limits)
            finally:
                book.close()
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise _unreadable(path, error) from None
    return [(number, [cell_text(value) for value in row])
            for number, row in enumerate(values, start=1)]


def _bounded_rows(path: Path, sheet, limits: SheetLimits) -> list[tuple]:
    """The rows of a read-only worksheet, refused before reading when its declared
    dimension is too large, and as soon as more rows than ``limits`` allow turn up."""
    rows, columns = sheet.max_row, sheet.max_column  # the declared dimension, if any
    if rows is not None and rows > limits.rows + 1:
        raise InputError(f"{path}: the first worksheet declares {rows:,} rows (at most "
                         f"{limits.rows:,} are read); delete the empty rows below the "
                         f"table, or {limits.advice}")
    if columns is not None and columns > limits.columns:
        raise _too_many_columns(path, columns, limits)
    found = trimmed_rows(sheet, limits.rows + 1, columns or limits.columns)
    if len(found) > limits.rows + 1:
        raise _too_many_rows(path, limits)
    return found


def trimmed_rows(sheet, max_rows: int, max_columns: int) -> list[tuple]:
    """The values of a read-only worksheet's rows, at most ``max_rows`` + 1 of them (so
    that one too many shows), each without the empty cells that pad it out to the declared
    dimension, and without the empty rows that pad the sheet."""
    found = []
    for row in sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns, values_only=True):
        end = len(row)
        while end and row[end - 1] is None:
            end -= 1  # cells padded out to the declared dimension
        found.append(row[:end])
    while found and not found[-1]:
        found.pop()  # rows padded out to the declared dimension
    return found


def cell_text(value: object) -> str:
    """A worksheet value as text: dates as YYYY-MM-DD (date-times with a time of day as ISO
    date-times), whole numbers without a decimal point, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
