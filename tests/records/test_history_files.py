"""Reading an office's history file: every problem kind named by row, column and fix, all
problems listed at once (at most 20), the round trip from a simulated office, --columns for
an export's own headers, xlsx input, parallel branches open together, rounds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from simlib.cli.main import main
from simlib.errors import CommandError, HistoryError
from simlib.formats.files import write_csv_atomic
from simlib.records.history import COLUMNS, simulated_history
from simlib.records.history_files import parse_columns, read_history, visit_rounds
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
HEADER = "proposal,pathway,level,step,arrived,decided,decision\n"
DEPARTMENT = "A,credit,undergraduate,department,2026-01-05,2026-01-07,approve\n"
DEAN = "A,credit,undergraduate,dean,2026-01-07,2026-01-09,approve\n"
MC_OPEN = "A,credit,undergraduate,mc,2026-01-09,,\n"


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(header + body, encoding="utf-8")
    return path


def refusal(tmp_path: Path, base, body: str, **options) -> str:
    path = write(tmp_path, body)
    with pytest.raises(HistoryError) as caught:
        read_history(path, base, **options)
    message = str(caught.value)
    assert "\n" not in message, message  # one problem, one line
    assert message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


@pytest.mark.parametrize(("body", "expected"), [
    (DEPARTMENT.replace("credit", "credits"),
     ["row 2, column pathway: 'credits' is not a pathway", "choose one of: credit, noncredit"]),
    (DEPARTMENT + DEAN + MC_OPEN.replace("mc", "senate"),
     ["row 4, column step: 'senate' is not a step of credit",
      "its steps: department, dean, mc, grad_council, ug_education, fs_program_review, "
      "fs_executive, owd"]),
    (DEPARTMENT.replace("undergraduate", "doctoral"),
     ["row 2, column level: 'doctoral' is not a level of credit", "graduate, undergraduate"]),
    ("N,noncredit,graduate,department,2026-01-05,,\n",
     ["row 2, column level: 'graduate': pathway noncredit has no levels", "leave the cell"]),
    (DEPARTMENT.replace("2026-01-05", "5 Jan 2026"),
     ["row 2, column arrived: '5 Jan 2026' is not a date", "write YYYY-MM-DD"]),
    (DEPARTMENT.replace("2026-01-07,approve", "2026-13-07,approve"),
     ["row 2, column decided: '2026-13-07' is not a date", "write YYYY-MM-DD"]),
    (DEPARTMENT.replace("2026-01-05", "2201-01-05"),
     ["row 2, column arrived: 2201-01-05 is outside 1950..2200", "check the year"]),
    (DEPARTMENT.replace("2026-01-05", ""), ["row 2, column arrived: empty", "YYYY-MM-DD"]),
    (DEPARTMENT.replace("A,", ",", 1), ["row 2, column proposal: empty", "give each visit"]),
    (DEPARTMENT.replace("2026-01-07,approve", "2026-01-02,approve"),
     ["row 2, column decided: 2026-01-02 is before arrived (2026-01-05)", "check both dates"]),
    (DEPARTMENT.replace("2026-01-07,approve", ",approve"),
     ["row 2, column decided: blank, but the decision is approve", "give the date"]),
    (DEPARTMENT.replace("2026-01-07,approve", "2026-01-07,"),
     ["row 2, column decision: blank, but decided is 2026-01-07", "give the decision"]),
    (DEPARTMENT.replace("approve", "ok"),
     ["row 2, column decision: 'ok' is not a decision", "approve, revise or withdraw"]),
    (DEPARTMENT + "A,credit,undergraduate,mc,2026-01-08,2026-01-20,approve\n"
     "A,credit,undergraduate,dean,2026-01-21,,\n",
     ["row 4, column step: dean comes before mc (row 3) in the credit pathway",
      "check the step or the dates"]),
    (DEPARTMENT + DEAN + "A,credit,undergraduate,dean,2026-01-12,,\n",
     ["row 4, column step: proposal A reaches dean again, but its visit in row 3 was decided "
      "approve", "only after it asked for revision"]),
    ("A,credit,undergraduate,department,2026-01-05,,\nA,credit,undergraduate,dean,2026-01-07,,\n",
     ["row 2, column decided: proposal A is open at department and at dean (row 3)",
      "give this visit its decided date and decision"]),
    (DEPARTMENT + DEAN + DEAN,
     ["row 4, column arrived: proposal A reached dean on 2026-01-07 already in row 3",
      "remove the duplicate row"]),
    (DEPARTMENT + DEAN.replace("undergraduate", "graduate"),
     ["row 3, column level: 'graduate', but row 2 gives 'undergraduate' for proposal A",
      "a proposal keeps one level"]),
    (DEPARTMENT + "A,noncredit,,dean,2026-01-07,,\n",
     ["row 3, column pathway: 'noncredit', but row 2 gives 'credit'", "keeps one pathway"]),
    (DEPARTMENT.replace("approve", "withdraw") + DEAN,
     ["row 3, column arrived: proposal A was withdrawn in row 2 (2026-01-07)",
      "remove this row, or correct that decision"]),
    ("A,credit,undergraduate,owd,2026-01-05,2026-01-06,approve\n"
     "A,credit,undergraduate,mc,2026-01-08,,\n",
     ["row 3, column arrived: proposal A was finally approved in row 2 (2026-01-06)"]),
])
def test_each_problem_names_row_column_and_fix(tmp_path, baseline, body, expected):
    message = refusal(tmp_path, baseline, body)
    for words in expected:
        assert words in message, message


def test_header_problems_name_the_column_and_columns_option(tmp_path, baseline):
    path = write(tmp_path, "A,credit,undergraduate,department,2026-01-05\n",
                 header="proposal,pathway,level,step,arrived\n")
    with pytest.raises(HistoryError, match=r"row 1: no column decided; add it, or map the "
                       r"export's own header with --columns decided=HEADER"):
        read_history(path, baseline)
    with pytest.raises(HistoryError, match=r"row 1: --columns arrived=Entered: the file has "
                       "no column 'Entered'; its columns: proposal, pathway, level"):
        read_history(write(tmp_path, DEPARTMENT), baseline, {"arrived": "Entered"})


def test_dates_after_the_export_date_are_problems(tmp_path, baseline):
    message = refusal(tmp_path, baseline, DEPARTMENT, as_of=dt.date(2026, 1, 6))
    assert message == ("row 2, column decided: 2026-01-07 is after the export date 2026-01-06 "
                       "(--as-of); give a later --as-of, or check the date")
    # every date after as_of is listed, each on its row
    path = write(tmp_path, DEPARTMENT + DEAN + MC_OPEN)
    with pytest.raises(HistoryError) as caught:
        read_history(path, baseline, as_of=dt.date(2026, 1, 6))
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 4 problems (the first 4 below); nothing was read"
    assert [line.split(": ")[1] for line in lines[1:]] == [
        "row 2, column decided", "row 3, column arrived", "row 3, column decided",
        "row 4, column arrived"]


def test_every_problem_is_listed_up_to_twenty_then_counted(tmp_path, baseline):
    body = "".join(DEPARTMENT.replace("A,", f"P{n},").replace("approve", "yes")
                   for n in range(25))
    path = write(tmp_path, body)
    with pytest.raises(HistoryError) as caught:
        read_history(path, baseline)
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 25 problems (the first 20 below); nothing was read"
    assert len(lines) == 22 and lines[-1] == "... and 5 more"
    assert lines[1].startswith(f"{path}: row 2, column decision: 'yes'")
    assert lines[20].startswith(f"{path}: row 21, column decision")
    assert len(caught.value.problems) == 25


def test_several_problems_are_all_printed_by_the_command(tmp_path, baseline, capsys):
    path = write(tmp_path, DEPARTMENT.replace("approve", "ok") + DEAN.replace("dean", "deen"))
    code = main(["forecast", str(ROOT / "scenarios" / "baseline.yaml"), "--history", str(path)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == f"{path}: 2 problems (the first 2 below); nothing was read"
    assert "row 2, column decision" in err[1] and "row 3, column step" in err[2]


def test_a_simulated_office_round_trips_through_its_csv(tmp_path):
    truth = load_scenario(ROOT / "examples" / "office-truth.yaml")
    history = simulated_history(truth, seed=11)
    path = tmp_path / "office.csv"
    write_csv_atomic(history.to_frame(), path)
    again = read_history(path, truth, as_of=history.as_of)
    assert again.as_of == history.as_of and again.source == str(path)
    pd.testing.assert_frame_equal(again.visits, history.visits, check_dtype=False)
    assert len(again.open_visits) > 0
    latest = max(history.visits["arrived"].max(), history.visits["decided"].max())
    assert read_history(path, truth).as_of == latest.date()  # default: the latest date


def test_an_exports_own_headers_are_mapped_and_extra_columns_listed(tmp_path, baseline):
    header = "Proposal ID,Office,pathway,level,Step Name,Entered Step,decided,decision,Notes\n"
    body = "".join(line.replace(",credit,", ",x,credit,").replace("\n", ",see memo\n")
                   for line in (DEPARTMENT, DEAN, MC_OPEN))
    path = write(tmp_path, body.replace(",x,credit,undergraduate,", ",Registrar,credit,"
                                        "undergraduate,"), header=header)
    columns = parse_columns("proposal=Proposal ID, step=Step Name,arrived=Entered Step")
    history = read_history(path, baseline, columns)
    assert history.ignored_columns == ("Office", "Notes")
    assert history.visits["step"].tolist() == ["department", "dean", "mc"]
    assert history.visits["arrived"].dt.strftime("%Y-%m-%d").tolist() == [
        "2026-01-05", "2026-01-07", "2026-01-09"]
    with pytest.raises(HistoryError, match="row 4, column Entered Step: 'soon' is not a date"):
        read_history(write(tmp_path, body.replace("2026-01-09,,", "soon,,"), header=header),
                     baseline, columns)


@pytest.mark.parametrize(("text", "says"), [
    ("arrived", "'arrived' is not NAME=HEADER"), ("arrival=Entered", "'arrival' is not a "
                                                  "column of the history format"),
    ("step=A,step=B", "step is mapped twice")])
def test_bad_columns_option(text, says):
    with pytest.raises(CommandError, match=says):
        parse_columns(text)


def test_an_xlsx_history_reads_like_its_csv(tmp_path, baseline):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([*COLUMNS, "comment"])
    sheet.append(["A", "credit", "undergraduate", "department", dt.datetime(2026, 1, 5),
                  dt.date(2026, 1, 7), "approve", "=SUM(1,2)"])
    sheet.append(["A", "credit", "undergraduate", "dean", "2026-01-07T09:30:00",
                  dt.datetime(2026, 1, 9, 14, 0), "approve"])
    sheet.append(["A", "credit", "undergraduate", "mc", dt.datetime(2026, 1, 9), None, None])
    path = tmp_path / "history.xlsx"
    book.save(path)
    history = read_history(path, baseline)
    csv = read_history(write(tmp_path, DEPARTMENT + DEAN + MC_OPEN), baseline)
    pd.testing.assert_frame_equal(history.visits, csv.visits, check_dtype=False)
    assert history.ignored_columns == ("comment",) and history.as_of == dt.date(2026, 1, 9)
    sheet["E3"] = "next week"
    book.save(path)
    with pytest.raises(HistoryError, match="row 3, column arrived: 'next week' is not a date"):
        read_history(path, baseline)


def test_a_formula_looking_cell_is_text(tmp_path, baseline):
    history = read_history(write(tmp_path, (DEPARTMENT + MC_OPEN.replace("mc", "dean"))
                                 .replace("A,", '"=HYPERLINK(""x"")",')), baseline)
    assert history.visits["proposal"].unique().tolist() == ['=HYPERLINK("x")']


def test_parallel_branches_may_be_open_together(tmp_path, baseline):
    parallel = load_scenario(ROOT / "scenarios" / "parallel-senate-review.yaml")
    body = (DEPARTMENT + DEAN + "A,credit,undergraduate,mc,2026-01-09,2026-01-14,approve\n"
            "A,credit,undergraduate,ug_education,2026-01-14,,\n"
            "A,credit,undergraduate,fs_program_review,2026-01-14,,\n")
    assert len(read_history(write(tmp_path, body), parallel).open_visits) == 2
    assert "is open at ug_education and at fs_program_review" in refusal(
        tmp_path, baseline, body)


def test_a_revised_steps_next_round_is_its_round(tmp_path, baseline):
    body = (DEPARTMENT + DEAN + "A,credit,undergraduate,mc,2026-01-09,2026-01-14,revise\n"
            "A,credit,undergraduate,mc,2026-02-02,2026-02-11,revise\n"
            "A,credit,undergraduate,mc,2026-03-02,,\n")
    history = read_history(write(tmp_path, body), baseline)
    assert visit_rounds(history.visits).tolist() == [0, 0, 0, 1, 2]
    assert history.open_visits["row"].tolist() == [6]
