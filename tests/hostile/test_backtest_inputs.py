"""Records that give ``mcsim backtest`` nothing to vouch with, or that the model plainly
misses: each answered (exit status 0) without "The model reproduces the record" unless
every comparison passes: no verdict, and why, when too few proposals have finished; the
outcomes named when the record's approved, withdrawn and open counts are not the model's.
Within the harness's time and memory limits; no file the user had changed.

The record cases are one edit of the fit corpus's ``_record.csv`` (two years of a simulated
office), made by the test from the case's one-line template."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.hostile import HOSTILE, cases, first_visits, record_case, run_case_outcome, sampled

from simlib.reports.record import REPRODUCES

ROOT = Path(__file__).resolve().parents[2]
RECORD = HOSTILE / "fit" / "_record.csv"
BACKTEST = "backtest baseline.yaml {case} --replications 2 --seed 1 --jobs 1"
EDITS = {"nothing-finished.csv": first_visits(""), "all-withdrawn.csv": first_visits("withdraw")}
SAYS = {
    "nothing-finished.csv": ["No verdict: too few proposals have finished to judge the model "
                             "(0 of the 35 recorded are approved or withdrawn; a verdict "
                             "needs 10)."],
    "one-row.csv": ["No verdict: too few proposals have finished to judge the model (0 of the "
                    "1 recorded"],
    "all-withdrawn.csv": ["The model misses the", "record's outcomes: ",
                          " withdrawn against ", "expected by the model"],
}


def test_every_case_says_what_it_found():
    assert {case.name for case in cases("backtest")} == set(SAYS)


@pytest.mark.parametrize("case", sampled(cases("backtest"), every=3))
def test_hostile_record_for_backtest(case, tmp_path):
    case, folder = record_case(case, tmp_path, RECORD, EDITS.get(case.name))
    _, outcome = run_case_outcome(case, folder, BACKTEST, 0,
                                  extra=(ROOT / "scenarios" / "baseline.yaml",))
    sentence = outcome.stdout.splitlines()[0]
    assert sentence != REPRODUCES
    assert all(word in sentence for word in SAYS[case.name]), sentence
