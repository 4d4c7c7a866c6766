"""Hostile records given to ``mcsim fit``: each either refused in one line naming the file,
the row, the column and what to change (exit status 2, nothing written), or fitted into a
what-if that loads as ``mcsim validate`` loads it (exit status 0), within the harness's
time and memory limits; no file the user had changed.

Most cases are one edit of ``_record.csv`` (two years of a simulated office, 35 proposals),
made by the test from the case's one-line template (:data:`EDITS`), so that the corpus shows
the record once; ``*.txt`` cases give their own command line (``_parallel.csv``: two years
of the ``parallel-senate-review`` scenario, dated ahead, so given with its export date)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support.hostile import Rows, cases, first_visits, record_case, run_case_outcome, sampled

from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).parent / "fit"
RECORD = HERE / "_record.csv"
EXTRA = (ROOT / "scenarios" / "baseline.yaml", ROOT / "scenarios" / "parallel-senate-review.yaml",
         HERE / "_parallel.csv")
FIT = "fit {case} --base baseline.yaml --out fitted.yaml"


def _year(date: str, years: int) -> str:
    return date.replace(date[:4], str(int(date[:4]) + years), 1)


def _set(row: int, column: int, value: str) -> Callable[[Rows], Rows]:
    """An edit: the cell of spreadsheet row ``row`` (header = 1) in ``column`` is ``value``."""
    def edit(rows: Rows) -> Rows:
        rows[row - 2][column] = value
        return rows
    return edit


def _withdrawn_at_dean(rows: Rows) -> Rows:
    """P00005 withdrawn at the dean's office (a plain step in the base), its later rows
    dropped."""
    rows = [row for row in rows if row[0] != "P00005" or row[3] in ("department", "dean")]
    next(row for row in rows if row[0] == "P00005" and row[3] == "dean")[6] = "withdraw"
    return rows


def _badge_built(rows: Rows) -> Rows:
    """P00003 (approved by OWD on 2019-01-24) goes on to have its badge built: a row at a
    step after approval, which a fit does not read."""
    return [*rows, ["P00003", "credit", "undergraduate", "credly_build", "2019-01-24",
                    "2019-01-29", "approve"]]


def _same_day(rows: Rows) -> Rows:
    """Every visit decided on the day it arrived."""
    return [[*row[:5], row[4] if row[5] else "", row[6]] for row in rows]


EDITS: dict[str, Callable[[Rows], Rows]] = {
    "withdraw-at-office.csv": _withdrawn_at_dean,
    "zero-durations.csv": _same_day,
    "all-withdrawn.csv": first_visits("withdraw"),
    "mistyped-year-ahead.csv": _set(19, 5, _year("2018-10-18", 40)),
    "mistyped-year-back.csv": _set(2, 4, _year("2018-09-15", -10)),
    "year-inside-the-record.csv": _set(19, 5, _year("2018-10-18", 1)),
    "arrives-before-decision.csv": _set(5, 5, "2018-09-28"),
    "revise-then-moves-on.csv": _set(18, 6, "revise"),
    "rows-after-approval.csv": _badge_built,
}
FITTED = {"withdraw-at-office.csv", "zero-durations.csv", "all-withdrawn.csv",
          "full-agendas.csv", "parallel-senate-review.txt"}  # exit 0; the others are refused
# Refused: the words of the one line. Fitted: the words of the what-if written, and of the
# table printed (after "| ").
SAYS = {
    "one-row.csv": ["nothing to fit: 1 proposal and 1 row from 2018-09-05 to 2018-09-10",
                    "a rate needs 5 arrivals over 90 days", "give a longer record"],
    "mistyped-year-ahead.csv": ["row 19, column decided: 2058-10-18 is after today",
                                "check the year, or give the export date with --as-of"],
    "mistyped-year-back.csv": ["row 2, column arrived: 2008-09-15 is 10.0 years before every "
                               "other date of the record", "a mistyped year? check it"],
    "year-inside-the-record.csv": ["row 19, column decided: 2019-10-18: this owd_final visit "
                                   "took 367 days", "a mistyped year? check both dates"],
    "arrives-before-decision.csv": ["row 7, column arrived: 2018-09-26, but proposal "
                                    "P00002's dean visit (row 5) was decided later",
                                    "check the two dates"],
    "revise-then-moves-on.csv": ["row 18, column decision: revise, but proposal P00005 then "
                                 "reached ug_education (row 25) without returning to mc",
                                 "check this decision, or add the missing visit"],
    "rows-after-approval.csv": ["row 200, column step: 'credly_build' is a step after "
                                "approval; a fit and a backtest read the record of the "
                                "approval pipeline only", "mcsim forecast --history reads "
                                "them"],
    "withdraw-at-office.csv": ["pathways.credit.dean: {body: dean, withdraw_p: ",
                               "| demand fitted over 2018-09-15 to 2020-08-18"],
    "zero-durations.csv": ["bodies.department.review_days: {dist: fixed, mean: 0}",
                           "bodies.mc.review_days: {dist: fixed, mean: "],
    "all-withdrawn.csv": ["demand.credit.per_year: ",
                          "| pathways.credit: no decision in the record approved"],
    "full-agendas.csv": ["bodies.mc.meets: {dates: ['2026-02-04', '2026-03-04']}",
                         "| bodies.mc.meets: 2 decision dates over 28 days; a rule needs 6"],
    "parallel-senate-review.txt": [
        "pathways.credit.council+program_review.parallel.ug_education.revise.p: ",
        "| demand fitted over 2025-09-25 to 2027-08-25"],
}


def test_every_case_says_what_to_change():
    assert {case.name for case in cases("fit")} == set(SAYS)
    assert set(EDITS) <= set(SAYS)


@pytest.mark.parametrize("case", sampled(cases("fit"), every=4))
def test_hostile_record_for_fit(case, tmp_path):
    case, folder = record_case(case, tmp_path, RECORD, EDITS.get(case.name))
    written = [word for word in SAYS[case.name] if not word.startswith("| ")]
    printed = [word[2:] for word in SAYS[case.name] if word.startswith("| ")]
    expect = 0 if case.name in FITTED else 2
    message, outcome = run_case_outcome(case, folder, FIT, expect, extra=EXTRA)
    if expect == 2:
        assert message.startswith(f"{case.name}: "), message
        assert all(word in message for word in written), message
        assert not (folder / "fitted.yaml").exists()
        return
    text = (folder / "fitted.yaml").read_text(encoding="utf-8")
    load_scenario(folder / "fitted.yaml")  # as mcsim validate loads it
    assert all(word in text for word in written), text[:3000]
    assert all(word in outcome.stdout for word in printed), outcome.stdout[-3000:]
