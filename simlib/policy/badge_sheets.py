"""Reading a roster or an upload file (CSV, or the first worksheet of an xlsx workbook) into
cells, within bounds: at most :data:`MAX_ROWS` rows below the header and
:data:`MAX_COLUMNS` columns, a CSV of at most :data:`MAX_CSV_BYTES`, a workbook that unpacks
to at most :data:`MAX_UNPACKED_BYTES`. Everything larger is refused before its cells are read
(an xlsx's declared dimension and its zip directory are checked first), so a hostile file
costs neither time nor memory. Rows are numbered as a spreadsheet shows them: the header is
row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import InputError
from simlib.formats.files import regular_input
from simlib.formats.sheets import count_part, csv_trouble, trimmed_rows
from simlib.policy.badge_files import MAX_BADGES, SAVE_AS_UTF8, Problem, column_letter

MAX_ROWS = 2 * MAX_BADGES  # rows below the header that are read at all
MAX_COLUMNS = 200  # the template has 17
MAX_CSV_BYTES = 32 * 1024 * 1024
MAX_UNPACKED_BYTES = 32 * 1024 * 1024  # a workbook of 10,000 rows x 17 columns is about 10 MB
MAX_ZIP_ENTRIES = 1000
MAX_ELEMENTS = 1_500_000  # XML elements in all parts: what openpyxl may have to parse
TWO_DIGIT_YEARS = range(2000, 2100)  # what Credly's mm/dd/yy can say


@dataclass(frozen=True)
class Sheet:
    """The cells of a CSV or the first worksheet of an xlsx file, as text, and the problem
    of a CSV that is not UTF-8 (then decoded as Windows-1252 so the rest can be checked)."""

    rows: list[list[str]]
    encoding_problem: Problem | None = None


def _too_many_rows(path: Path) -> InputError:
    return InputError(f"{path}: more than {MAX_ROWS:,} rows below the header; Credly takes at "
                      f"most {MAX_BADGES:,} badges per upload: split it into files of at most "
                      f"{MAX_BADGES:,} rows, each with the header row")


def _too_many_columns(path: Path, count: int) -> InputError:
    return InputError(f"{path}: {count:,} columns (up to column {column_letter(count - 1)}); at "
                      f"most {MAX_COLUMNS} are read (Credly's template has 17): delete the "
                      "columns that are not the template's")


def read_sheet(path: Path) -> Sheet:
    """The cells of ``path`` (.csv or .xlsx); :class:`InputError` if it cannot be read, is
    not a regular file, or is larger than the bounds of the module docstring."""
    regular_input(path, ".csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return Sheet(_read_xlsx(path))
    if suffix == ".xls":
        raise InputError(f"{path}: old Excel .xls format; {SAVE_AS_UTF8} or as .xlsx")
    raise InputError(f"{path}: not a .csv or .xlsx file; {SAVE_AS_UTF8}")


def _read_csv(path: Path) -> Sheet:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InputError(f"{path}: {size / 2**20:,.0f} MB, more than a CSV of {MAX_BADGES:,} "
                         f"badges needs (at most {MAX_CSV_BYTES // 2**20} MB are read); split it "
                         f"into files of at most {MAX_BADGES:,} rows")
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is an Excel workbook named .csv; rename it .xlsx or "
                         f"{SAVE_AS_UTF8}")
    problem = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        problem = Problem(row, None, f"the file is not UTF-8 text (first bad character in "
                          f"row {row}), so accents and other letters would be garbled",
                          SAVE_AS_UTF8)
        text = data.decode("cp1252", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            trouble = csv_trouble(str(error), SAVE_AS_UTF8)
            raise InputError(f"{path}: row {start}: {trouble}") from None
        if len(rows) > MAX_ROWS:
            raise _too_many_rows(path)
        if len(row) > MAX_COLUMNS:
            raise _too_many_columns(path, len(row))
        rows.append(row)
    return Sheet(rows, problem)


def _check_archive(path: Path) -> None:
    """:class:`InputError` unless ``path`` is a zip archive of bounded unpacked size (its
    declared sizes, which also bound what reading it can unpack)."""
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an .xlsx workbook (not a zip archive); open it in Excel "
                         "and save it as .xlsx, or " + SAVE_AS_UTF8)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputError(f"{path}: not a readable .xlsx workbook ({error}); open it in Excel "
                         "and save it again") from None
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNPACKED_BYTES:
        raise InputError(f"{path}: the workbook unpacks to {unpacked / 2**20:,.0f} MB in "
                         f"{len(entries):,} parts, far more than {MAX_BADGES:,} badges need (at "
                         f"most {MAX_UNPACKED_BYTES // 2**20} MB are read); save only the roster "
                         "sheet, or " + SAVE_AS_UTF8)
    elements = rows = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for entry in entries:
                found, rows = count_part(archive, entry, MAX_ROWS + 1, MAX_ELEMENTS)
                elements += found
                if rows > MAX_ROWS + 1:
                    break
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputError(f"{path}: not a readable .xlsx workbook ({error}); open it in Excel "
                         "and save it again") from None
    if rows > MAX_ROWS + 1:
        raise InputError(f"{path}: {entry.filename} holds more than {MAX_ROWS:,} rows; Credly "
                         f"takes at most {MAX_BADGES:,} badges per upload: split it into files "
                         f"of at most {MAX_BADGES:,} rows, and save only the roster sheet")
    if elements > MAX_ELEMENTS:
        raise InputError(f"{path}: the workbook holds more than {MAX_ELEMENTS:,} XML elements, "
                         f"far more than {MAX_BADGES:,} badges need; save only the roster "
                         "sheet, or " + SAVE_AS_UTF8)


def _read_xlsx(path: Path) -> list[list[str]]:
    import openpyxl

    _check_archive(path)
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles it ignores
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                values = _bounded_rows(path, book.worksheets[0])
            finally:
                book.close()
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"{path}: not a readable .xlsx workbook ({type(error).__name__}); "
                         "open it in Excel and save it again") from None
    return [[_cell_text(value) for value in row] for row in values]


def _bounded_rows(path: Path, sheet) -> list[tuple]:
    """The rows of a read-only worksheet, refused before reading when its declared
    dimension is too large, and as soon as more than :data:`MAX_ROWS` rows turn up."""
    rows, columns = sheet.max_row, sheet.max_column  # the declared dimension, if any
    if rows is not None and rows > MAX_ROWS + 1:
        dimension = f"A1:{column_letter((columns or 1) - 1)}{rows}"
        raise InputError(f"{path}: the first worksheet declares {rows:,} rows ({dimension}); "
                         f"Credly takes at most {MAX_BADGES:,} badges per upload and at most "
                         f"{MAX_ROWS:,} rows are read: delete the empty rows below the roster, "
                         "or split it")
    if columns is not None and columns > MAX_COLUMNS:
        raise _too_many_columns(path, columns)
    found = trimmed_rows(sheet, MAX_ROWS + 1, columns or MAX_COLUMNS)
    if len(found) > MAX_ROWS + 1:
        raise _too_many_rows(path)
    return found


def _cell_text(value: object) -> str:
    """A worksheet value as the text a CSV export shows: dates as mm/dd/yy (as YYYY-MM-DD
    outside 2000-2099, which two-digit years cannot say, so that the check names the
    century), whole numbers without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%m/%d/%y" if value.year in TWO_DIGIT_YEARS else "%Y-%m-%d")
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
