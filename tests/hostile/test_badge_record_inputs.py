"""Hostile records of published badges (``mcsim badges build --badges RECORD --badge NAME``):
each refused in one line naming the file, the place (row and column, or YAML key path) and
what to change, exit status 2, before the roster is read and with nothing written, within
the harness's time and memory limits; no file changed.

``huge.csv``, ``huge.yaml``, ``many-rows.csv``, ``many-columns.csv``,
``unknown-badge-many.csv`` and ``formula-without-saved-value.xlsx`` are small templates the
test expands (so the corpus stays small on disk); ``*.txt`` cases give their own command
line (``roster.csv`` and ``published-badges.csv`` are the shipped examples, ``pipe.csv`` a
named pipe)."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest
from support.hostile import assert_says, built_case, cases, replacing, run_case, sampled

ROOT = Path(__file__).resolve().parents[2]
ROSTER = ROOT / "examples" / "badges" / "roster.csv"
RECORD = ROOT / "examples" / "badges" / "published-badges.csv"
BUILD = "badges build --roster roster.csv --badges {case} --badge 'Data Analytics Essentials' " \
        "--issued-at 2026-05-14 --out upload.csv"
TEMPLATE = "9b1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"


def _huge(size: int):
    def build(path: Path) -> None:
        with path.open("r+b") as stream:
            stream.truncate(size)  # sparse: costs no disk
    return build


def _unsaved_formula(path: Path) -> None:
    book = openpyxl.Workbook()  # openpyxl stores formulas without computing their values
    book.active.append(["name", "template_id", "status"])
    book.active.append(["Data Analytics Essentials", TEMPLATE, '=IF(TRUE,"active","draft")'])
    book.save(path)


GENERATED = {
    "huge.csv": _huge(3 * 2**20),
    "huge.yaml": _huge(2 * 10**6),
    "many-rows.csv": replacing("MANY_ROWS", "\n".join(
        f"Badge {n},{TEMPLATE},draft" for n in range(2001))),
    "many-columns.csv": replacing("MANY_COLUMNS", "name,template_id,status" + "," * 200_000),
    "unknown-badge-many.csv": replacing("MANY_BADGES", "\n".join(
        f"Badge number {n} with a long name {'x' * 150},{TEMPLATE},active"
        for n in range(1500))),
    "formula-without-saved-value.xlsx": _unsaved_formula,
}
SAYS = {
    "draft.csv": ["row 3: badge 'Data Analytics Essentials' is draft, not active: Credly "
                  "issues badges only from an active template; publish it in Credly, set its "
                  "status to active in this record, then build again"],
    "archived.yaml": ["badges[1]: badge 'Data Analytics Essentials' is archived, not active",
                      "choose an active badge, or make the template active again in Credly"],
    "unknown-status.csv": ["row 2, column status: 'published' is not a Credly template "
                           "status; write active, draft or archived (any case)"],
    "blank-status.csv": ["row 2, column status: blank; write the template's state in Credly: "
                         "active, draft or archived"],
    "blank-template-id.csv": ["row 3, column template_id: blank; copy the Badge Template ID "
                              "from Credly"],
    "malformed-template-id.csv": ["row 2, column template_id: '9b1d2e3f-4a5b-4c6d-8e7f-"
                                  "0a1b2c3d' is not a Credly Badge Template ID"],
    "blank-name.csv": ["row 2, column name: blank; write the badge's name as it appears in "
                       "Credly"],
    "duplicate-name.csv": ["row 4: badge 'data  analytics ESSENTIALS' is listed twice (first "
                           "in row 2); keep one entry per badge"],
    "missing-column.csv": ["row 1: no column template_id (its columns: Badge Name, State); "
                           "the header row needs name, template_id, status"],
    "column-twice.csv": ["row 1: columns B and D ('template_id' and 'Badge Template ID') both "
                         "name the template_id column; keep one of them"],
    "header-only.csv": ["no badges in it; add one entry per badge: name, template_id, status"],
    "empty.csv": ["empty; the first row must be the header: name, template_id, status"],
    "formula-name.csv": ["row 2, column name: starts with '=', so a spreadsheet would run it "
                         "as a formula; remove the leading '='"],
    "formula-template-id.csv": ["row 2, column template_id: starts with '+'"],
    "formula-after-separator.csv": ["row 2, column status: has '=' after ';'"],
    "long-name.csv": ["row 2, column name: a cell of 300 characters; at most 200"],
    "control-characters.csv": ["no badge 'Data Analytics Essentials' (--badge) in this record",
                               "its badges: Data\\x1b[2J Analytics\\u202e"],
    "not-utf8.csv": ["line 2: not UTF-8 text", "save it as CSV UTF-8"],
    "utf16.csv": ["UTF-16 text", "not UTF-8 text"],
    "binary.csv": ["a binary file, not CSV text"],
    "text-named-xlsx.xlsx": ["not an .xlsx workbook (not a zip archive)"],
    "unclosed-quote.csv": ["row 2, column name: a quote (\") opens here and is never closed"],
    "alias-bomb.yaml": ["more than 100000 values once aliases (*name) are expanded"],
    "alias-in-name.yaml": ["names: unknown key; a record has only badges"],
    "surrogate-name.yaml": ["line 2, column 20", "surrogates, not a character; remove it"],
    "number-name.yaml": ["badges[0].name: 2026 is read as a number, not text; put it in "
                         "quotes"],
    "unknown-key.yaml": ["badges[0].template: unknown key; did you mean template_id?"],
    "item-not-a-mapping.yaml": ["badges[0]: must be a mapping of name, template_id, status"],
    "not-a-record.yaml": ["not a record of published badges; write badges: followed by one "
                          "item per badge"],
    "two-documents.yaml": ["YAML syntax error"],
    "empty-list.yaml": ["no badges in it; add one entry per badge"],
    "tabs.yaml": ["YAML syntax error"],
    "unknown-badge-many.csv": ["no badge 'Data Analytics Essentials' (--badge)",
                               "its badges: Badge number 0 with a long name", "... and 1,49"],
    "huge.csv": ["3.0 MB, more than the 2 MB that are read; a record of published badges "
                 "holds one row per badge"],
    "huge.yaml": ["larger than 1 MB"],
    "many-rows.csv": ["more than 2,000 badges below the header"],
    "many-columns.csv": ["200,003 columns", "at most 50 are read"],
    "formula-without-saved-value.xlsx": ["row 2, column status: holds a formula "
                                         "(=IF(TRUE,\"active\",\"draft\")) with no saved value",
                                         "save it"],
    "record-is-a-fifo.txt": ["pipe.csv: not a regular file (a named pipe); give a record of "
                             "published badges (.csv, .xlsx or .yaml)"],
    "record-is-a-folder.txt": ["not a regular file (a folder)"],
    "record-is-dev-zero.txt": ["/dev/zero: not a regular file (a device)"],
    "record-without-badge.txt": ["mcsim: argument --badges: needs --badge NAME"],
    "badge-without-record.txt": ["mcsim: argument --badge: goes with --badges RECORD"],
    "record-and-template-id.txt": ["argument --badges: not allowed with argument "
                                   "--template-id"],
    "neither-record-nor-template-id.txt": ["one of the arguments --template-id --badges is "
                                           "required"],
    "unknown-badge.txt": ["published-badges.csv: no badge 'Data Analytic Essentials' (--badge) "
                          "in this record; did you mean 'Data Analytics Essentials'? "
                          "its badges: Applied Visualization for Decision Makers, Data "
                          "Analytics Essentials"],
    "record-is-the-roster.txt": ["roster.csv: row 1: no column name (its columns: email, "
                                 "first_name, middle_name, last_name, earner_id)"],
}


def test_every_case_says_what_to_change():
    assert {case.name for case in cases("badge-record")} == set(SAYS)


@pytest.mark.parametrize("case", sampled(cases("badge-record"), every=8))
def test_hostile_badge_record(case, tmp_path):
    case = built_case(case, tmp_path, GENERATED.get(case.name))
    folder = tmp_path / "run"
    folder.mkdir()
    os.mkfifo(folder / "pipe.csv")
    message = run_case(case, folder, BUILD, extra=(ROSTER, RECORD))
    assert_says(message, case, SAYS[case.name])
    assert not (folder / "upload.csv").exists()


def test_an_existing_upload_is_kept_when_the_template_is_not_active(tmp_path):
    """With --force, a refused record leaves the old upload file as it was (the harness
    checks every file in the folder)."""
    (tmp_path / "upload.csv").write_text("keep me\n", encoding="utf-8")
    message = run_case(cases("badge-record", "draft.csv")[0], tmp_path, f"{BUILD} --force",
                       extra=(ROSTER,))
    assert "is draft, not active" in message
    assert (tmp_path / "upload.csv").read_text(encoding="utf-8") == "keep me\n"


def test_every_badge_record_case_is_small():
    assert all(case.stat().st_size < 64 * 1024 for case in cases("badge-record")), \
        "keep hostile inputs small on disk (generate large ones in the test)"
