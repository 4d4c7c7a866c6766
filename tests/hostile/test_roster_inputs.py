"""Hostile rosters and upload files (``mcsim badges build`` and ``validate``): each case is
refused in one line (exit 2), or, for an upload file with problems, listed as not ready
(exit 1), within the harness's time and memory limits.

Rosters (``*.csv``, ``*.xlsx``) go to ``badges build``; ``upload-*`` files to ``badges
validate``; ``*.txt`` cases give their own command line (a roster that is a device, a folder
or a named pipe)."""

from __future__ import annotations

import csv
import os
import shutil

import pytest
from support.hostile import cases, check_refused, run_case, run_mcsim, sampled

TEMPLATE = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"
BUILD = f"badges build --roster {{case}} --template-id {TEMPLATE} --issued-at 2026-05-14 " \
        "--out upload.csv"
BUILT = "formula-after-separators.csv"  # built, neutralised: exit 0
REFUSED = [case for case in cases("roster")
           if not case.name.startswith("upload-") and case.name != BUILT]
UPLOADS = [case for case in cases("roster", "upload-*") if case.suffix != ".txt"]

# what each refusal must say (besides naming the file): the place and what to change
SAYS = {
    "duplicate-email-column.csv": ["row 1, email", "columns A and D", "delete or rename"],
    "duplicate-first-name-spelt-differently.csv": ["columns B and D", "'First Name'"],
    "formula-in-email-after-semicolon.csv": ["row 2, email", "'=' after ';'", "remove"],
    "text-named-xlsx.xlsx": ["not a zip archive"],
    "unclosed-quote.csv": ["row 2", "never closed"],
    "dimension-A1-XFD1048576.xlsx": ["1,048,576 rows", "A1:XFD1048576", "5,000 badges"],
    "three-million-rows.xlsx": ["more than 10,000 rows", "5,000 badges", "split"],
    "unpacks-to-4-gb.xlsx": ["3,815 MB", "at most 32 MB"],
    "roster-is-dev-zero.txt": ["/dev/zero: not a regular file (a device)"],
    "roster-is-a-folder.txt": ["not a regular file (a folder)"],
    "roster-is-a-fifo.txt": ["pipe.csv: not a regular file (a named pipe)"],
    "upload-is-dev-zero.txt": ["/dev/zero: not a regular file (a device)"],
    "upload-is-a-fifo.txt": ["pipe.csv: not a regular file (a named pipe)"],
}


def test_every_refusal_case_says_what_to_change():
    assert {case.name for case in REFUSED} | {case.name for case in cases("roster", "upload-*")
                                               if case.suffix == ".txt"} == set(SAYS)


@pytest.mark.parametrize("case", sampled(REFUSED))
def test_hostile_roster(case, tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    message = run_case(case, tmp_path, BUILD)
    for words in SAYS[case.name]:
        assert words in message, message
    assert not (tmp_path / "upload.csv").exists()


@pytest.mark.parametrize("case", sampled(UPLOADS))
def test_hostile_upload_is_not_ready(case, tmp_path):
    shutil.copy(case, tmp_path / case.name)
    outcome = run_mcsim(["badges", "validate", case.name], tmp_path)
    check_refused(outcome, expect=1, what=case.name)
    assert "not ready for Credly" in outcome.stdout


def test_upload_formulas_after_separators_are_flagged(tmp_path):
    case = tmp_path / "upload-formula-after-separator.csv"
    shutil.copy(cases("roster", case.name)[0], case)
    outcome = run_mcsim(["badges", "validate", case.name], tmp_path)
    check_refused(outcome, expect=1)
    assert "2  First Name  has '=' after ';'" in outcome.stdout
    assert "3  First Name  has '=' after a tab" in outcome.stdout
    assert outcome.stdout.count("prefix it with an apostrophe") == 2


@pytest.mark.parametrize("name", ["upload-date-in-1999.csv", "upload-date-in-1999.xlsx"])
def test_upload_dates_outside_two_digit_years_are_flagged(name, tmp_path):
    shutil.copy(cases("roster", name)[0], tmp_path / name)
    outcome = run_mcsim(["badges", "validate", name], tmp_path)
    check_refused(outcome, expect=1)
    assert "is in 1999, which mm/dd/yy cannot say" in outcome.stdout
    assert "give a date in 2000-2099" in outcome.stdout


def test_formulas_after_separators_are_neutralised_and_quoted(tmp_path):
    case = cases("roster", BUILT)[0]
    run_case(case, tmp_path, BUILD, expect=0)
    text = (tmp_path / "upload.csv").read_text(encoding="utf-8-sig")
    for cell in ('"\'Ana;\'=1+1"', '"\'Ben\t\'+SUM(A1)"', '"\'Diaz,\'-2+3"',
                 '"\'Dee\n\'@SUM(1)"'):
        assert cell in text  # quoted, with an apostrophe first and after the separator
    rows = list(csv.reader(text.splitlines(keepends=True)))
    assert [row[2] for row in rows[1:3]] == ["'Ana;'=1+1", "'Ben\t'+SUM(A1)"]
    # a reader splitting on ";", tabs or line ends (a quote only counts at the start of a
    # cell, so it splits inside them) finds no cell that starts a formula
    for delimiter in (";", "\t", ","):
        for line in text.splitlines():
            for row in csv.reader([line], delimiter=delimiter):
                assert not any(cell.strip().startswith(("=", "+", "-", "@")) for cell in row), \
                    (delimiter, row)
    outcome = run_mcsim(["badges", "validate", "upload.csv"], tmp_path)
    assert outcome.status == 0, outcome.stdout


def test_every_roster_case_is_small():
    assert all(case.stat().st_size < 64 * 1024 for case in cases("roster")), \
        "keep hostile inputs small on disk (generate large ones in the test)"

