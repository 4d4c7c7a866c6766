"""Reading a table file into rows of text cells: CSV or tab-separated text
(:mod:`simlib.formats.delimited`), or the first worksheet of an .xlsx workbook. The one
reader of history files, pipelines, badge rosters and upload files; each caller checks its
own columns. A workbook of several sheets says which was read (:attr:`Sheet.worksheet`),
one holding no worksheet (charts only) is refused by name, and the formula cells without a
saved value (a workbook written by a tool that does not compute; read as blank) are listed
(:attr:`Sheet.unsaved_formulas`) for the caller to refuse those it reads.

Everything is bounded (:class:`SheetLimits`) before any cell is read, so a hostile file
costs neither time nor memory: a text file's size and its lines' cells; a workbook's
unpacked size, parts, XML elements and rows (counted on its bytes) and its declared
dimension. A folder, pipe or device given as the file is refused by name, never read. Rows
are numbered as a spreadsheet shows them (:class:`Row`: the header is row 1).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from simlib.errors import InputError
from simlib.formats.delimited import (
    SAVE_AS,
    Row,
    Sheet,
    SheetLimits,
    column_letter,
    megabytes,
    read_delimited,
    too_many_columns,
    too_many_rows,
)
from simlib.formats.files import regular_input
from simlib.formats.printable import printable

__all__ = ["OTHER_SPREADSHEETS", "SAVE_AS", "Row", "Sheet", "SheetLimits", "column_letter",
           "iso_date", "read_sheet"]

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
# spreadsheet files that are not read, and what they are
OTHER_SPREADSHEETS = {".xls": "old Excel .xls format", ".xlsb": "an Excel binary workbook",
                      ".ods": "an OpenDocument spreadsheet", ".numbers": "a Numbers document"}


def iso_date(value: dt.date) -> str:
    """A worksheet date as YYYY-MM-DD (a date-time with a time of day as an ISO
    date-time)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return value.isoformat()


def read_sheet(path: str | Path, limits: SheetLimits, *,
               dates: Callable[[dt.date], str] = iso_date,
               windows_1252: bool = False) -> Sheet:
    """The rows of ``path``, header first: the first worksheet of an .xlsx workbook (date
    cells written by ``dates``), else delimited text (see
    :func:`~simlib.formats.delimited.read_delimited`, which ``windows_1252`` is passed to).
    :class:`InputError` (one line) if it is not a regular file, cannot be read, or is larger
    than ``limits``."""
    path = Path(path)
    regular_input(path, ".csv or .xlsx file")
    try:
        with path.open("rb"):
            pass
    except OSError as error:
        raise InputError(f"{path}: cannot read: {error.strerror}") from None
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path, limits, dates)
    if suffix in OTHER_SPREADSHEETS:
        raise InputError(f"{path}: {OTHER_SPREADSHEETS[suffix]}; {SAVE_AS}")
    return read_delimited(path, limits, windows_1252=windows_1252)


def _unreadable(path: Path, error: BaseException) -> InputError:
    return InputError(f"{path}: not a readable .xlsx workbook ({type(error).__name__}); open "
                      "it in Excel and save it again")


def _too_large(path: Path, what: str, limits: SheetLimits) -> InputError:
    return InputError(f"{path}: {what}; save its first worksheet on its own; "
                      f"{limits.advice}")


def _check_archive(path: Path, limits: SheetLimits) -> bool:
    """:class:`InputError` unless ``path`` is a zip archive within ``limits`` (declared
    sizes, then XML elements and row elements counted on the bytes, never parsed); True
    when some part holds a formula."""
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path}: not an .xlsx workbook (not a zip archive); open it in Excel "
                         "and save it as .xlsx")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            unpacked = sum(entry.file_size for entry in entries)
            if len(entries) > limits.zip_entries or unpacked > limits.unpacked_bytes:
                raise _too_large(path, f"the workbook unpacks to "
                                 f"{megabytes(unpacked, limits.unpacked_bytes)} MB in "
                                 f"{len(entries):,} parts (at most "
                                 f"{limits.unpacked_bytes // 2**20} MB are read)", limits)
            elements, formulas = 0, False
            for entry in entries:
                found, rows, formula = _count_part(archive, entry, limits.rows + 1,
                                                   limits.elements)
                elements += found
                formulas = formulas or formula
                if rows > limits.rows + 1:
                    raise too_many_rows(path, limits)
    except InputError:
        raise  # (an InputError is a ValueError)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as error:
        raise _unreadable(path, error) from None
    if elements > limits.elements:
        raise _too_large(path, f"the workbook holds more than {limits.elements:,} XML "
                         "elements", limits)
    return formulas


def _count_part(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, max_rows: int,
                max_elements: int) -> tuple[int, int, bool]:
    """(XML elements, row elements, whether a formula element is among them) in one part
    of a workbook, counted on its bytes in chunks (never parsed, never held whole in
    memory); counting stops once past ``max_rows`` rows or ``max_elements`` elements."""
    elements = rows = 0
    formula = False
    tail = b""
    with archive.open(entry) as stream:
        while (chunk := stream.read(1 << 20)) and rows <= max_rows and \
                elements <= max_elements:
            elements += chunk.count(b"<") - chunk.count(b"</")
            data = tail + chunk
            rows += len(_ROW_TAG.findall(data)) - len(_ROW_TAG.findall(tail))
            formula = formula or bool(_FORMULA_TAG.search(data))
            tail = data[-64:]
    return elements, rows, formula


def _read_xlsx(path: Path, limits: SheetLimits,
               dates: Callable[[dt.date], str]) -> Sheet:
    import openpyxl

    formulas = _check_archive(path, limits)
    try:
        with warnings.catch_warnings():  # openpyxl warns about styles it ignores
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = _first_worksheet(path, book)
                values = _bounded_rows(path, sheet, limits)
                read = _which_sheet(book, sheet)
            finally:
                book.close()
            unsaved = _unsaved_formulas(path, values, sheet.title, limits) if formulas else {}
    except InputError:
        raise
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise _unreadable(path, error) from None
    return Sheet(tuple(Row(number, number, tuple(_cell_text(value, dates) for value in row))
                       for number, row in enumerate(values, start=1)), worksheet=read,
                 unsaved_formulas=unsaved)


def _first_worksheet(path: Path, book):
    """The workbook's first worksheet (a chart sheet holds no cells); InputError naming
    the sheets when there is none."""
    if book.worksheets:
        return book.worksheets[0]
    names = ", ".join(printable(repr(name)) for name in book.sheetnames) or "none"
    raise InputError(f"{path}: the workbook holds no worksheet, only charts ({names}); save "
                     "the table itself as the first worksheet, or as CSV UTF-8")


def _which_sheet(book, sheet) -> str:
    """Which sheet was read, when the workbook has others ("" when it is the only one)."""
    if len(book.sheetnames) == 1:
        return ""
    others = [printable(repr(name)) for name in book.sheetnames if name != sheet.title]
    return (f"worksheet {printable(repr(sheet.title))} (the first worksheet of "
            f"{len(book.sheetnames)} sheets; not read: {', '.join(others)})")


def _unsaved_formulas(path: Path, values: list[tuple], title: str,
                      limits: SheetLimits) -> dict[tuple[int, int], str]:
    """{(row number, column index): formula} of each cell of worksheet ``title`` that holds
    a formula but no saved value (read as blank)."""
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        formulas = _trimmed_rows(book[title], len(values), limits.columns)
    finally:
        book.close()
    pairs = zip(values, formulas, strict=False)
    return {(number, column): formula
            for number, (row, written) in enumerate(pairs, start=1)
            for column, formula in enumerate(written)
            if isinstance(formula, str) and formula.startswith("=")
            and (column >= len(row) or row[column] is None)}


def _bounded_rows(path: Path, sheet, limits: SheetLimits) -> list[tuple]:
    """The rows of a read-only worksheet, refused before reading when its declared
    dimension is too large, and as soon as more rows than ``limits`` allow turn up."""
    rows, columns = sheet.max_row, sheet.max_column  # the declared dimension, if any
    if rows is not None and rows > limits.rows + 1:
        dimension = f"A1:{column_letter((columns or 1) - 1)}{rows}"
        raise InputError(f"{path}: the first worksheet declares {rows:,} rows ({dimension}; "
                         f"at most {limits.rows:,} are read): delete the empty rows below "
                         f"the table; {limits.advice}")
    if columns is not None and columns > limits.columns:
        raise too_many_columns(path, columns, limits)
    found = _trimmed_rows(sheet, limits.rows + 1, columns or limits.columns)
    if len(found) > limits.rows + 1:
        raise too_many_rows(path, limits)
    return found


def _trimmed_rows(sheet, max_rows: int, max_columns: int) -> list[tuple]:
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


def _cell_text(value: object, dates: Callable[[dt.date], str]) -> str:
    """A worksheet value as text: dates by ``dates``, whole numbers without a decimal
    point, booleans as TRUE and FALSE, nothing as ""."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return dates(value)
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
