"""Workbooks: the sheet read is the first worksheet, and a workbook of several sheets says
which one that was; a chart sheet before it is passed over; formula cells without a saved
value (read as blank) are listed with their row and column."""

from __future__ import annotations

import pytest

from simlib.formats.sheets import SheetLimits, read_sheet

openpyxl = pytest.importorskip("openpyxl")
LIMITS = SheetLimits(rows=100)


def test_a_chart_sheet_first_is_passed_over_and_the_sheet_read_is_named(tmp_path):
    from openpyxl.chart import BarChart, Reference

    book = openpyxl.Workbook()
    visits = book.active
    visits.title = "Visits"
    visits.append(["a", "b"])
    visits.append([1, 2])
    chart = BarChart()
    chart.add_data(Reference(visits, min_col=2, min_row=1, max_row=2))
    book.create_chartsheet("Chart", 0).add_chart(chart)
    book.save(tmp_path / "charted.xlsx")
    sheet = read_sheet(tmp_path / "charted.xlsx", LIMITS)
    assert [row.cells for row in sheet.rows] == [("a", "b"), ("1", "2")]
    assert sheet.worksheet == ("worksheet 'Visits' (the first worksheet of 2 sheets; not "
                               "read: 'Chart')")


def test_one_sheet_needs_no_word_and_formulas_without_values_are_listed(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["a", "b", "c"])
    book.active.append([1, "=A2+1", "=NOW()"])
    book.save(tmp_path / "formulas.xlsx")
    sheet = read_sheet(tmp_path / "formulas.xlsx", LIMITS)
    assert sheet.worksheet == ""
    assert sheet.rows[1].cells == ("1",)  # openpyxl saves no values: both read as blank
    assert sheet.unsaved_formulas == {(2, 1): "=A2+1", (2, 2): "=NOW()"}
