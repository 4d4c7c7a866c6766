"""Hostile history files (``mcsim forecast --history``): each refused in one line naming
the file, the row and the column where the problem is and the fix, exit status 2, before any
simulation, within the harness's time and memory limits; no file changed.

``many-rows.csv`` and ``huge.csv`` are small templates that the test expands (50,001 visits;
a 21 MB file) so that the corpus stays small on disk; ``*.txt`` cases give their own command
line (``_sample.csv`` is their history, ``pipe.csv`` a named pipe)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.hostile import assert_says, built_case, cases, replacing, run_case, sampled

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
PIPELINE = ROOT / "examples" / "pipeline.csv"
SAMPLE = Path(__file__).parent / "history" / "_sample.csv"
FORECAST = "forecast baseline.yaml --history {case} --replications 2"
ROW = "P{n},credit,undergraduate,department,2026-01-05,,"


def _huge(path: Path) -> None:
    with path.open("r+b") as stream:
        stream.truncate(21 * 2**20)  # sparse: costs no disk


GENERATED = {"many-rows.csv": replacing("MANY_ROWS", "\n".join(ROW.format(n=n)
                                                               for n in range(50_001))),
             "huge.csv": _huge}
SAYS = {
    "header-only.csv": ["a header and no visits", "add one row per visit"],
    "empty.csv": ["empty; the first row must be the header: proposal, pathway"],
    "missing-column.csv": ["row 1: no column decision", "--columns decision=HEADER"],
    "column-twice.csv": ["row 1: column 'step' appears 2 times (columns 4 and 8)"],
    "unknown-pathway.csv": ["row 2, column pathway: 'credits' is not a pathway of baseline",
                            "choose one of: credit, noncredit"],
    "unknown-step.csv": ["row 4, column step: 'senate' is not a step of credit",
                         "its steps: department, dean, mc, grad_council"],
    "step-after-approval-misspelt.csv": ["row 3, column step: 'credly' is not a step of "
                                         "credit", "; after approval: credly_build, "
                                         "sample_review, publish"],
    "unknown-level.csv": ["row 2, column level: 'doctoral' is not a level of credit",
                          "graduate, undergraduate"],
    "not-a-date.csv": ["row 2, column arrived: '01/05/2026' is not a date", "YYYY-MM-DD"],
    "year-1900.csv": ["row 2, column arrived: 1900-01-05 is outside 1950..2200",
                      "check the year"],
    "decided-before-arrived.csv": ["row 3, column decided: 2026-01-06 is before arrived "
                                   "(2026-01-07)", "check both dates"],
    "decision-without-date.csv": ["row 4, column decided: blank, but the decision is approve",
                                  "give the date of the decision"],
    "date-without-decision.csv": ["row 4, column decision: blank, but decided is 2026-01-20",
                                  "give the decision"],
    "unknown-decision.csv": ["row 2, column decision: 'approved' is not a decision",
                             "approve, revise or withdraw"],
    "out-of-order.csv": ["row 4, column step: dean comes before mc (row 3)",
                         "check the step or the dates"],
    "step-again-without-revise.csv": ["row 4, column step: proposal A reaches dean again",
                                      "only after it asked for revision"],
    "two-open-steps.csv": ["row 2, column decided: proposal A is open at department and at "
                           "dean (row 3)", "give this visit its decided date and decision"],
    "duplicate-row.csv": ["row 4, column arrived: proposal A reached dean on 2026-01-07 "
                          "already in row 3", "remove the duplicate row"],
    "pathway-changes.csv": ["row 3, column pathway: 'noncredit', but row 2 gives 'credit'",
                            "correct one of them"],
    "after-withdraw.csv": ["row 4, column arrived: proposal A was withdrawn in row 3",
                           "remove this row"],
    "after-final-approval.csv": ["row 9, column arrived: proposal A was finally approved in "
                                 "row 8"],
    "formula-cell.csv": ["row 4, column step: '=HYPERLINK(\"http://x\",\"y\")' is not a "
                         "step of credit"],
    "long-cell.csv": ["row 2, column proposal: a cell of 300 characters; at most 200"],
    "unclosed-quote.csv": ["row 4, column pathway: a quote (\") opens here and is never "
                           "closed"],
    "binary.csv": ["a binary file, not CSV text"],
    "utf16.csv": ["UTF-16 text", "not UTF-8 text", "save it as CSV UTF-8"],
    "not-a-workbook.xlsx": ["not an .xlsx workbook (not a zip archive)"],
    "old-excel.xls": ["old Excel .xls format", "save it as CSV UTF-8"],
    "nothing-open.csv": ["no open visits on 2026-01-09", "nothing to forecast"],
    "many-rows.csv": ["more than 50,000 rows below the header", "split the file by year"],
    "huge.csv": ["21 MB, more than the 20 MB that are read"],
    "after-as-of.txt": ["_sample.csv: row 4, column arrived: 2026-01-09 is after the export "
                        "date 2026-01-08 (--as-of)"],
    "columns-names-a-missing-header.txt": ["row 1: --columns arrived=Entered Step: the file "
                                           "has no column 'Entered Step'; its columns: "
                                           "proposal, pathway"],
    "columns-bad-item.txt": ["mcsim: --columns: 'arrived' is not NAME=HEADER"],
    "columns-without-history.txt": ["mcsim: --columns maps a history file's headers"],
    "history-and-pipeline.txt": ["not allowed with argument"],
    "history-is-dev-zero.txt": ["/dev/zero: not a regular file (a device)"],
    "history-is-a-folder.txt": ["not a regular file (a folder)"],
    "history-is-a-fifo.txt": ["pipe.csv: not a regular file (a named pipe)"],
    "table-on-the-second-sheet.xlsx": ["row 1: no column proposal in worksheet 'Summary' "
                                       "(the first worksheet of 2 sheets; not read: "
                                       "'Visits'); move the table to the first worksheet"],
    "formula-without-saved-value.xlsx": ["row 2, column decided: holds a formula (=E2+1) "
                                         "with no saved value", "open the workbook in Excel "
                                         "or LibreOffice and save it"],
}


def test_every_case_says_what_to_change():
    assert {case.name for case in cases("history")} == set(SAYS)


@pytest.mark.parametrize("case", sampled(cases("history")))
def test_hostile_history(case, tmp_path):
    case = built_case(case, tmp_path, GENERATED.get(case.name))
    folder = tmp_path / "run"
    folder.mkdir()
    os.mkfifo(folder / "pipe.csv")
    message = run_case(case, folder, FORECAST, extra=(SCENARIO, PIPELINE, SAMPLE))
    assert_says(message, case, SAYS[case.name])
