"""The one reader of tables (:func:`simlib.formats.sheets.read_sheet`): quoting, rows as a
spreadsheet numbers them, a broken quote blamed on its column, delimiters, byte order marks,
encodings, blank lines, ragged rows, empty files, folders and pipes given as the file, and
the bounds on size, rows and columns (checked before the cells are split)."""

from __future__ import annotations

import datetime as dt
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from simlib.errors import InputError
from simlib.formats.sheets import SheetLimits, read_sheet

LIMITS = SheetLimits(rows=100, columns=20, csv_bytes=1024 * 1024, advice="split it")
HEADER = "id,pathway,step\n"


def table(tmp_path: Path, text: str | bytes, name: str = "table.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def cells(path: Path, limits: SheetLimits = LIMITS) -> list[tuple[str, ...]]:
    return [row.cells for row in read_sheet(path, limits).rows]


def refusal(path: Path, limits: SheetLimits = LIMITS) -> str:
    with pytest.raises(InputError) as caught:
        read_sheet(path, limits)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: "), message
    return message.removeprefix(f"{path}: ")


# ---- quoting and row numbers ---------------------------------------------------------------


def test_quoted_cells_keep_separators_quotes_and_line_breaks(tmp_path):
    path = table(tmp_path, HEADER + '"A,1","say ""hi""","two\nlines"\nB,credit,dean\n')
    assert cells(path) == [("id", "pathway", "step"), ("A,1", 'say "hi"', "two\nlines"),
                           ("B", "credit", "dean")]


def test_a_row_over_two_lines_is_numbered_as_a_spreadsheet_shows_it(tmp_path):
    path = table(tmp_path, HEADER + 'A,"x\ny",dean\nB,credit,dean\n')
    rows = read_sheet(path, LIMITS).rows
    assert [(row.number, row.line) for row in rows] == [(1, 1), (2, 2), (3, 4)]
    assert [row.place for row in rows] == ["row 1", "row 2", "row 3 (line 4)"]


@pytest.mark.parametrize(("body", "says"), [
    ('A,"credit,dean\nB,credit,dean\n',
     'row 2, column pathway: a quote (") opens here and is never closed'),
    ('A,credit,"dean""\n', 'row 2, column step: a quote (") opens here'),
    ('A,credit,dean\n"B,credit,dean\n', "row 3, column id: a quote"),
    ('A,"credit"x,dean\n', "row 2, column pathway: text after the closing quote"),
    ("A,credit," + "x" * 200_000 + "\n",
     "row 2, column step: a cell longer than 131,072 characters"),
])
def test_a_broken_quote_or_long_cell_names_its_row_and_column(tmp_path, body, says):
    assert refusal(table(tmp_path, HEADER + body)).startswith(says)


def test_a_broken_quote_in_the_header_names_the_column_by_number(tmp_path):
    assert refusal(table(tmp_path, 'id,"pathway,step\n')).startswith(
        "row 1, column 2: a quote")


def test_a_broken_quote_after_a_row_over_two_lines_names_both_row_and_line(tmp_path):
    path = table(tmp_path, HEADER + 'A,"x\ny",dean\nB,"credit,dean\n')
    assert refusal(path).startswith("row 3 (line 4), column pathway: a quote")


def test_a_long_broken_line_is_diagnosed_quickly(tmp_path):
    limits = SheetLimits(rows=100, csv_bytes=64 * 1024 * 1024)
    path = table(tmp_path, HEADER + "A," + "x," * 5 + '"' + "y" * 20_000_000 + "\n")
    started = time.perf_counter()
    assert refusal(path, limits).startswith("row 2, column 7: a quote")
    assert time.perf_counter() - started < 5  # a loop over its characters takes longer


# ---- delimiters, byte order marks, line ends, blank lines, ragged rows ------------------


@pytest.mark.parametrize("name", ["table.tsv", "table.TAB"])
def test_tab_separated_text_is_split_at_tabs(tmp_path, name):
    path = table(tmp_path, "id\tnote\nA\tone, two\n", name)
    assert cells(path) == [("id", "note"), ("A", "one, two")]


def test_a_byte_order_mark_and_crlf_line_ends_are_not_part_of_the_cells(tmp_path):
    path = table(tmp_path, b"\xef\xbb\xbfid,step\r\nA,dean\r\n")
    assert read_sheet(path, LIMITS).header == ("id", "step")
    assert cells(path) == [("id", "step"), ("A", "dean")]


def test_blank_lines_are_kept_as_blank_rows_so_numbers_stay(tmp_path):
    rows = read_sheet(table(tmp_path, HEADER + "\nA,credit,dean\n ,,\n"), LIMITS).rows
    assert [(row.number, row.blank) for row in rows] == [(1, False), (2, True), (3, False),
                                                         (4, True)]


def test_rows_with_too_few_or_too_many_cells_are_given_as_they_are(tmp_path):
    path = table(tmp_path, HEADER + "A\nB,credit,dean,extra\n")
    assert cells(path)[1:] == [("A",), ("B", "credit", "dean", "extra")]


def test_an_empty_file_has_no_rows(tmp_path):
    sheet = read_sheet(table(tmp_path, ""), LIMITS)
    assert (sheet.rows, sheet.header) == ((), ())


# ---- encodings and files that are not text --------------------------------------------


def test_utf16_is_named_with_the_fix(tmp_path):
    message = refusal(table(tmp_path, HEADER.encode("utf-16")))
    assert message.startswith("UTF-16 text") and "save it as CSV UTF-8" in message


def test_a_binary_file_is_refused(tmp_path):
    assert refusal(table(tmp_path, bytes(range(256)))).startswith("a binary file")


def test_a_workbook_named_csv_is_refused(tmp_path):
    assert "is an Excel workbook" in refusal(table(tmp_path, b"PK\x03\x04rest"))


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    path = table(tmp_path, (HEADER + "A,credit,dean\nRenée,credit,dean\n").encode("latin-1"))
    assert refusal(path).startswith("line 3: not UTF-8 text")
    sheet = read_sheet(path, LIMITS, windows_1252=True)
    assert sheet.not_utf8_line == 3 and sheet.rows[2].cells[0] == "Renée"


@pytest.mark.parametrize(("name", "says"), [("table.xls", "old Excel .xls format"),
                                            ("table.ods", "an OpenDocument spreadsheet")])
def test_spreadsheets_that_are_not_read_are_named(tmp_path, name, says):
    message = refusal(table(tmp_path, b"\xd0\xcf\x11\xe0", name))
    assert message.startswith(says) and "save it as CSV UTF-8" in message


def test_a_folder_or_a_named_pipe_is_refused_without_reading(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")  # reading it would block forever
    assert refusal(tmp_path / "pipe.csv").startswith("not a regular file (a named pipe)")
    (tmp_path / "folder.csv").mkdir()
    assert refusal(tmp_path / "folder.csv").startswith("not a regular file (a folder)")
    assert refusal(tmp_path / "missing.csv").startswith("file not found")


# ---- bounds --------------------------------------------------------------------------------


def test_a_file_over_the_size_bound_is_refused_before_reading(tmp_path):
    path = table(tmp_path, HEADER)
    with path.open("r+b") as stream:
        stream.truncate(int(1.5 * 1024 * 1024))  # sparse, and full of NUL bytes if read
    assert refusal(path) == "1.5 MB, more than the 1 MB that are read; split it"


def test_rows_up_to_the_bound_are_read_and_one_more_is_refused(tmp_path):
    limits = SheetLimits(rows=3, rows_named="proposals", advice="give fewer")
    body = "".join(f"P{n},credit,dean\n" for n in range(3))
    assert len(cells(table(tmp_path, HEADER + body), limits)) == 4
    path = table(tmp_path, HEADER + body + "P3,credit,dean\n")
    assert refusal(path, limits) == "more than 3 proposals; give fewer"


def test_too_many_columns_are_refused_naming_the_last_column(tmp_path):
    assert refusal(table(tmp_path, ",".join(["x"] * 28) + "\n")).startswith(
        "28 columns (up to column AB); at most 20 are read")


def test_a_line_of_millions_of_separators_is_refused_before_it_is_split(tmp_path):
    limits = SheetLimits(rows=100, csv_bytes=64 * 1024 * 1024)
    path = table(tmp_path, HEADER + "," * 10_000_000 + "\n")  # 10 MB
    tracemalloc.start()
    try:
        assert refusal(path, limits).startswith("10,000,001 columns")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, peak / 2**20  # the list of its cells alone would take 80 MB


def test_separators_inside_quotes_do_not_count_as_columns(tmp_path):
    commas = "," * 300
    path = table(tmp_path, HEADER + f'A,"{commas}","x\n{commas}"\n')
    assert cells(path)[1] == ("A", commas, f"x\n{commas}")


def test_workbook_dates_are_written_by_the_callers_rule(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["id", "arrived", "count"])
    book.active.append(["A", dt.datetime(2026, 1, 5), 3.0])
    book.save(tmp_path / "table.xlsx")
    sheet = read_sheet(tmp_path / "table.xlsx", LIMITS)
    assert [(row.number, row.line, row.cells) for row in sheet.rows] == [
        (1, 1, ("id", "arrived", "count")), (2, 2, ("A", "2026-01-05", "3"))]
    sheet = read_sheet(tmp_path / "table.xlsx", LIMITS, dates=lambda day: f"{day:%m/%d/%y}")
    assert sheet.rows[1].cells[1] == "01/05/26"
