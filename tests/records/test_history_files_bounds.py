"""A history file is bounded before its cells are read: rows of a CSV and of a workbook,
a workbook's declared dimension and unpacked size; a 50,000-visit file reads in seconds."""

from __future__ import annotations

import time
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from simlib.errors import HistoryError
from simlib.records import history_files
from simlib.records.history import COLUMNS
from simlib.records.history_files import read_history
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
ROW = ["A{n}", "credit", "undergraduate", "department", "2026-01-05", "", ""]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


def workbook(path: Path, rows: int) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(list(COLUMNS))
    for n in range(rows):
        book.active.append([cell.format(n=n) for cell in ROW])
    book.save(path)
    return path


def test_rows_beyond_the_limit_are_refused_in_csv_and_xlsx(tmp_path, baseline, monkeypatch):
    monkeypatch.setattr(history_files, "LIMITS", replace(history_files.LIMITS, rows=10))
    csv = tmp_path / "history.csv"
    csv.write_text(",".join(COLUMNS) + "\n" + "".join(
        ",".join(ROW).format(n=n) + "\n" for n in range(11)))
    for path in (csv, workbook(tmp_path / "history.xlsx", 11)):
        with pytest.raises(HistoryError, match="more than 10 rows below the header"):
            read_history(path, baseline)
    assert read_history(workbook(tmp_path / "ten.xlsx", 10), baseline).proposals == 10


def test_a_declared_dimension_is_refused_before_cells_are_read(tmp_path, baseline):
    path = workbook(tmp_path / "history.xlsx", 2)
    patched = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.endswith("sheet1.xml"):
                data = data.replace(b'<dimension ref="A1:G3"/>',
                                    b'<dimension ref="A1:G900000"/>')
                assert b"A1:G900000" in data
            target.writestr(entry, data)
    with pytest.raises(HistoryError, match="declares 900,000 rows"):
        read_history(patched, baseline)


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path, baseline, monkeypatch):
    monkeypatch.setattr(history_files, "LIMITS",
                        replace(history_files.LIMITS, unpacked_bytes=1000))
    with pytest.raises(HistoryError, match="the workbook unpacks to"):
        read_history(workbook(tmp_path / "history.xlsx", 20), baseline)


@pytest.mark.slow
def test_fifty_thousand_visits_read_in_seconds(tmp_path, baseline):
    path = tmp_path / "history.csv"
    lines = [",".join(COLUMNS)]
    for n in range(10_000):
        lines += [f"P{n},credit,undergraduate,department,2026-01-05,2026-01-06,approve",
                  f"P{n},credit,undergraduate,dean,2026-01-06,2026-01-07,approve",
                  f"P{n},credit,undergraduate,mc,2026-01-07,2026-01-21,revise",
                  f"P{n},credit,undergraduate,mc,2026-02-04,2026-02-18,approve",
                  f"P{n},credit,undergraduate,ug_education,2026-02-18,,"]
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    history = read_history(path, baseline)
    seconds = time.perf_counter() - started
    assert len(history.visits) == 50_000 and len(history.open_visits) == 10_000
    assert seconds < 10, seconds
