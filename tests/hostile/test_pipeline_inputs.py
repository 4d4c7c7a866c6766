"""Hostile pipeline CSVs and forecast dates (``mcsim forecast``): each refused in one line
naming the file, the row and the column where the problem is, exit status 2, before any
simulation, within the harness's time and memory limits.

``long-field.csv`` and ``many-rows.csv`` are small templates that the test expands (a
200,000-character id; 2,001 proposals) so that the corpus stays small on disk; ``*.txt``
cases give their own command line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.hostile import assert_says, built_case, cases, replacing, run_case, sampled

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
PIPELINE = ROOT / "examples" / "pipeline.csv"
FORECAST = "forecast baseline.yaml --pipeline {case} --as-of 2026-12-01 --replications 2"
ROW = "CB-{n},credit,undergraduate,2026-03-02,owd,2026-11-20,0"
GENERATED = {
    "long-field.csv": replacing("LONG_ID", "x" * 200_000),
    "many-rows.csv": replacing("MANY_ROWS", "\n".join(ROW.format(n=n) for n in range(2001))),
}
SAYS = {
    "unclosed-quote.csv": ["row 3, column pathway", "never closed"],
    "text-after-closing-quote.csv": ["row 3, column pathway", "after the closing quote"],
    "round-huge.csv": ["row 2, column round", "from 0 to 100", "'99999999999999999...'"],
    "submitted-in-year-1.csv": ["row 2, column submitted", "more than 30 years"],
    "id-column-twice.csv": ["row 1", "column id appears 2 times", "columns 1 and 8"],
    "utf16.csv": ["not UTF-8 text"],
    "long-field.csv": ["row 2", "longer than 131,072 characters"],
    "many-rows.csv": ["more than 2,000 proposals"],
    "as-of-9999-12-31.txt": ["mcsim: --as-of 9999-12-31 is out of range",
                             "between 1950-01-01 and 2200-12-31"],
    "as-of-0001-01-01.txt": ["mcsim: --as-of 0001-01-01 is out of range"],
    "pipeline-is-dev-zero.txt": ["/dev/zero: not a regular file (a device)"],
    "pipeline-is-a-folder.txt": ["not a regular file (a folder)"],
    "pipeline-is-a-fifo.txt": ["pipe.csv: not a regular file (a named pipe)"],
    "step-after-approval-misspelt.csv": [
        "row 3, column current_step: 'credly' is not a step of credit",
        "; after approval: credly_build, sample_review, publish"],
    "step-not-for-the-level.csv": ["row 2, column current_step: 'grad_council' is not a step "
                                   "for undergraduate proposals of credit",
                                   "check the step or the level"],
}


def test_every_case_says_what_to_change():
    assert {case.name for case in cases("pipeline")} == set(SAYS)


@pytest.mark.parametrize("case", sampled(cases("pipeline")))
def test_hostile_pipeline(case, tmp_path):
    case = built_case(case, tmp_path, GENERATED.get(case.name))
    folder = tmp_path / "run"
    folder.mkdir()
    os.mkfifo(folder / "pipe.csv")
    message = run_case(case, folder, FORECAST, extra=(SCENARIO, PIPELINE))
    assert_says(message, case, SAYS[case.name])
