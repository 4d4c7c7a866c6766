"""Reading a roster or an upload file (CSV, or the first worksheet of an xlsx workbook) into
cells, with the one reader of tables (:func:`simlib.formats.sheets.read_sheet`) and the
bounds of a Credly upload: at most :data:`MAX_ROWS` rows below the header and
:data:`MAX_COLUMNS` columns, a CSV of at most :data:`MAX_CSV_BYTES`, a workbook that unpacks
to at most :data:`MAX_UNPACKED_BYTES`. Everything larger is refused before its cells are
read. Dates in a workbook read as a CSV export shows them (mm/dd/yy); a CSV that is not
UTF-8 is read as Windows-1252 so that the rest can be checked, with the problem noted.
Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import InputError
from simlib.formats import sheets
from simlib.formats.files import regular_input
from simlib.policy.badge_files import MAX_BADGES, SAVE_AS_UTF8, Problem

MAX_ROWS = 2 * MAX_BADGES  # rows below the header that are read at all
MAX_COLUMNS = 200  # the template has 17
MAX_CSV_BYTES = 32 * 1024 * 1024
MAX_UNPACKED_BYTES = 32 * 1024 * 1024  # a workbook of 10,000 rows x 17 columns is about 10 MB
MAX_ZIP_ENTRIES = 1000
MAX_ELEMENTS = 1_500_000  # XML elements in all parts: what openpyxl may have to parse
TWO_DIGIT_YEARS = range(2000, 2100)  # what Credly's mm/dd/yy can say
LIMITS = sheets.SheetLimits(
    rows=MAX_ROWS, columns=MAX_COLUMNS, csv_bytes=MAX_CSV_BYTES,
    unpacked_bytes=MAX_UNPACKED_BYTES, zip_entries=MAX_ZIP_ENTRIES, elements=MAX_ELEMENTS,
    advice=f"Credly takes at most {MAX_BADGES:,} badges per upload: split it into files of at "
    f"most {MAX_BADGES:,} rows, each with the header row")


@dataclass(frozen=True)
class Sheet:
    """The cells of a CSV or the first worksheet of an xlsx file, as text, and the problem
    of a CSV that is not UTF-8 (then decoded as Windows-1252 so the rest can be checked)."""

    rows: list[list[str]]
    encoding_problem: Problem | None = None


def read_sheet(path: Path) -> Sheet:
    """The cells of ``path`` (.csv or .xlsx); :class:`InputError` if it cannot be read, is
    not a regular file, or is larger than the bounds of the module docstring."""
    regular_input(path, ".csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx") and suffix not in sheets.OTHER_SPREADSHEETS:
        raise InputError(f"{path}: not a .csv or .xlsx file; {SAVE_AS_UTF8}")
    sheet = sheets.read_sheet(path, LIMITS, dates=_short_date, windows_1252=True)
    rows = [list(row.cells) for row in sheet.rows]
    line = sheet.not_utf8_line
    if line is None:
        return Sheet(rows)
    return Sheet(rows, Problem(line, None, f"the file is not UTF-8 text (first bad character "
                               f"on line {line}), so accents and other letters would be "
                               "garbled", SAVE_AS_UTF8))


def _short_date(value: dt.date) -> str:
    """A worksheet date as the text a CSV export shows: mm/dd/yy (YYYY-MM-DD outside
    2000-2099, which two-digit years cannot say, so that the check names the century)."""
    return value.strftime("%m/%d/%y" if value.year in TWO_DIGIT_YEARS else "%Y-%m-%d")
