"""Reading pipeline CSVs within bounds: quotes blamed on the row and column where they open,
long cells, row and round limits, forecast dates in the planner's range, and a bad file
refused before the simulation is imported."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from simlib.errors import PipelineError
from simlib.planning import deadlines, pipeline
from simlib.planning.forecast import read_pipeline
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
HEADER = "id,pathway,level,submitted,current_step,step_since,round\n"
GOOD = "CB-1,credit,undergraduate,2026-03-02,owd,2026-11-20,0\n"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def refusal(tmp_path: Path, baseline, text: str, as_of: dt.date = AS_OF) -> str:
    path = tmp_path / "pipeline.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PipelineError) as caught:
        read_pipeline(path, baseline, as_of)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(("body", "expected"), [
    ('CB-2,"credit,undergraduate,2026-03-02,owd,2026-11-20,0\n' + GOOD,
     "row 2, column pathway: a quote (\") opens here and is never closed"),
    (GOOD + '"CB-2,credit,undergraduate,2026-03-02,owd,2026-11-20,0\n',
     "row 3, column id: a quote"),
    (GOOD + 'CB-2,credit,undergraduate,2026-03-02,"owd"x,2026-11-20,0\n',
     "row 3, column current_step: text after the closing quote"),
    (GOOD + "CB-2,credit,undergraduate,2026-03-02,owd,2026-11-20," + "x" * 200_000 + "\n",
     "row 3, column round: a cell longer than 131,072 characters"),
])
def test_quotes_and_long_cells_are_blamed_where_they_start(tmp_path, baseline, body, expected):
    assert refusal(tmp_path, baseline, HEADER + body).startswith(expected)


def test_a_quoted_cell_over_two_lines_is_one_row_named_with_the_line_it_starts(tmp_path,
                                                                             baseline):
    text = HEADER + '"CB\n1",credit,undergraduate,2026-03-02,owd,2026-11-20,0\n' + \
        "CB-2,credit,undergraduate,2026-03-02,owd,2026-11-20,x\n"
    # the third row, as a spreadsheet shows it, starts on the file's fourth line
    assert refusal(tmp_path, baseline, text).startswith("row 3 (line 4), column round")


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("100", True), ("101", False),
                                           ("-1", False), ("1e3", False),
                                           ("9" * 5000, False)])
def test_round_is_bounded(tmp_path, baseline, value, ok):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + GOOD.replace(",0\n", f",{value}\n"))
    if ok:
        assert read_pipeline(path, baseline, AS_OF)[0].round == int(value)
    else:
        message = refusal(tmp_path, baseline, path.read_text())
        assert "column round" in message and "from 0 to 100" in message and len(message) < 200


def test_rows_columns_and_dates_are_bounded(tmp_path, baseline):
    rows = "".join(GOOD.replace("CB-1", f"CB-{n}") for n in range(pipeline.MAX_PROPOSALS + 1))
    assert "more than 2,000 proposals" in refusal(tmp_path, baseline, HEADER + rows)
    assert refusal(tmp_path, baseline, HEADER.replace("\n", ",id\n") + GOOD).startswith(
        "row 1: column id appears 2 times (columns 1 and 8)")
    old = GOOD.replace("2026-03-02", "1990-03-02")
    assert "more than 30 years before the forecast date" in refusal(tmp_path, baseline,
                                                                    HEADER + old)
    (tmp_path / "good.csv").write_text(HEADER + GOOD)
    for as_of in (dt.date(9999, 12, 31), dt.date(1, 1, 1)):
        with pytest.raises(PipelineError, match=f"as_of {as_of.isoformat()} is out of range; "
                           "give a date between 1950-01-01 and 2200-12-31"):
            read_pipeline(tmp_path / "good.csv", baseline, as_of)


def test_pathway_and_level_are_named_by_column(tmp_path, baseline):
    assert refusal(tmp_path, baseline, HEADER + GOOD.replace("credit", "credits")).startswith(
        "row 2, column pathway: 'credits' is not a pathway with demand in baseline")
    assert refusal(tmp_path, baseline, HEADER + GOOD.replace("undergraduate", "")).startswith(
        "row 2, column level: ''; pathway 'credit' needs a level, one of: graduate")


def test_forecast_dates_are_the_planners():
    assert (pipeline.FIRST_DAY, pipeline.LAST_DAY) == (deadlines.EARLIEST, deadlines.LATEST)


def test_a_bad_pipeline_is_refused_before_the_simulation_is_imported(tmp_path):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + GOOD.replace(",0\n", ",lots\n"))
    code = ("import sys; from simlib.cli.main import main; status = main(sys.argv[1:]); "
            "print(status, 'simlib.engine.model' in sys.modules, 'scipy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "forecast", str(BASELINE), "--pipeline",
                           str(path), "--as-of", "2026-12-01"], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["2", "False", "False"]
    assert "row 2, column round" in done.stderr


def test_a_pipeline_workbook_reads_like_its_csv(tmp_path, baseline):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(HEADER.strip().split(","))
    book.active.append(["CB-1", "credit", "undergraduate", dt.datetime(2026, 3, 2), "owd",
                        dt.date(2026, 11, 20), 0])
    book.save(tmp_path / "pipeline.xlsx")
    (tmp_path / "pipeline.csv").write_text(HEADER + GOOD)
    assert read_pipeline(tmp_path / "pipeline.xlsx", baseline, AS_OF) == \
        read_pipeline(tmp_path / "pipeline.csv", baseline, AS_OF)
