"""The office's record of published badges (``mcsim badges build --badges RECORD --badge
NAME``): the upload carries the record's Badge Template ID; a template that is not active is
refused in one line, exit 2, nothing written; the record's problems are one line each naming
the file, the place and the fix. (Hostile records: tests/hostile/test_badge_record_inputs.py.)"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from simlib.cli.main import main
from simlib.errors import InputError
from simlib.policy import badge_record, badges

EXAMPLES = Path(__file__).parents[2] / "examples" / "badges"
ROSTER = EXAMPLES / "roster.csv"
RECORD = EXAMPLES / "published-badges.csv"
ACTIVE = "Applied Visualization for Decision Makers"
ACTIVE_ID = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"
DRAFT_ID = "9b1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
HEADER = "name,template_id,status\n"


def build(capsys, record: Path, badge: str, out: Path, *extra: str) -> tuple[int, str, str]:
    status = main(["badges", "build", "--roster", str(ROSTER), "--badges", str(record),
                   "--badge", badge, "--issued-at", "2026-05-14", "--out", str(out), *extra])
    printed, err = capsys.readouterr()
    return status, printed, err


def template_ids(path: Path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return {row["Badge Template ID"] for row in csv.DictReader(stream)}


def write(folder: Path, text: str, name: str = "record.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as raised:
        badge_record.read_badge_record(path)
    return str(raised.value)


# ---- building from the record ---------------------------------------------------------


def test_the_built_file_carries_the_records_template_id(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    status, printed, err = build(capsys, RECORD, ACTIVE, out)
    assert (status, err) == (0, "")
    assert template_ids(out) == {ACTIVE_ID}
    assert printed.startswith(f"wrote 5 badges to {out} (badge '{ACTIVE}', Badge Template ID "
                              f"{ACTIVE_ID}, issued 05/14/26)")
    assert badges.validate_file(out).valid


def test_a_name_matches_ignoring_case_and_spaces(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    status, printed, _ = build(capsys, RECORD, "  applied visualization  FOR decision makers",
                               out)
    assert status == 0 and template_ids(out) == {ACTIVE_ID}
    assert f"badge '{ACTIVE}'" in printed  # named as the record writes it


@pytest.mark.parametrize(("badge", "status", "row"), [
    ("Data Analytics Essentials", "draft", 3),
    ("Spreadsheet Modelling Essentials", "archived", 5),
])
def test_a_template_that_is_not_active_is_refused_and_nothing_written(tmp_path, capsys, badge,
                                                                     status, row):
    out = tmp_path / "upload.csv"
    code, printed, err = build(capsys, RECORD, badge, out)
    assert (code, printed) == (2, "") and not out.exists()
    assert err.count("\n") == 1
    assert err == (f"{RECORD}: row {row}: badge '{badge}' is {status}, not active: Credly "
                   f"issues badges only from an active template; "
                   f"{badge_record._activate(status)}, then build again\n")


def test_a_refused_template_leaves_an_existing_upload_untouched(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    out.write_text("keep me\n", encoding="utf-8")
    code, _, err = build(capsys, RECORD, "Data Analytics Essentials", out, "--force")
    assert code == 2 and "is draft, not active" in err
    assert out.read_text(encoding="utf-8") == "keep me\n"


def test_the_record_is_refused_before_the_roster_is_read(tmp_path, capsys):
    record = write(tmp_path, HEADER + f"Data Analytics Essentials,{DRAFT_ID},draft\n")
    status = main(["badges", "build", "--roster", str(tmp_path / "missing.csv"), "--badges",
                   str(record), "--badge", "Data Analytics Essentials", "--issued-at",
                   "2026-05-14", "--out", str(tmp_path / "upload.csv")])
    assert status == 2 and "is draft, not active" in capsys.readouterr().err


def test_an_unknown_badge_names_a_close_one_and_the_known_ones(tmp_path, capsys):
    code, _, err = build(capsys, RECORD, "Data Analytic Essentials", tmp_path / "upload.csv")
    assert code == 2
    assert err == (f"{RECORD}: no badge 'Data Analytic Essentials' (--badge) in this record; "
                   "did you mean 'Data Analytics Essentials'? its badges: Applied "
                   "Visualization for Decision Makers, Data Analytics Essentials, Grant "
                   "Writing for Community Organizations, Spreadsheet Modelling Essentials\n")


def test_the_known_names_are_bounded(tmp_path):
    record = write(tmp_path, HEADER + "".join(
        f"Badge {number:04d},{ACTIVE_ID[:-4]}{number:04d},active\n" for number in range(2000)))
    with pytest.raises(InputError) as raised:
        badge_record.read_badge_record(record).find("Nothing like it")
    message = str(raised.value)
    assert "its badges: Badge 0000, Badge 0001" in message and "... and 1,9" in message
    assert len(message) - len(str(record)) < 350


@pytest.mark.parametrize("argv", [
    ["--template-id", ACTIVE_ID, "--badges", str(RECORD), "--badge", ACTIVE],
    ["--badges", str(RECORD)],
    ["--template-id", ACTIVE_ID, "--badge", ACTIVE],
    [],
])
def test_template_id_or_record_one_of_them(tmp_path, capsys, argv):
    out = tmp_path / "upload.csv"
    status = main(["badges", "build", "--roster", str(ROSTER), *argv, "--issued-at",
                   "2026-05-14", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and not out.exists() and err.count("\n") == 1
    assert err.startswith("mcsim: ") and "(see 'mcsim badges build --help')" in err


def test_the_record_cannot_be_the_output(tmp_path, capsys):
    record = write(tmp_path, RECORD.read_text(encoding="utf-8"))
    before = record.read_bytes()
    code, _, err = build(capsys, record, ACTIVE, record, "--force")
    assert code == 2 and "is also an input of this command" in err
    assert record.read_bytes() == before


# ---- reading the record ---------------------------------------------------------------


def test_the_manual_shows_the_example_record_as_shipped():
    page = (Path(__file__).parents[2] / "docs" / "policy.md").read_text(encoding="utf-8")
    assert f"```text\n{RECORD.read_text(encoding='utf-8')}```" in page


def test_the_example_record_reads_with_its_rows():
    record = badge_record.read_badge_record(RECORD)
    assert [(badge.place, badge.status, badge.issuable) for badge in record.badges] == [
        ("row 2", "active", True), ("row 3", "draft", False), ("row 4", "active", True),
        ("row 5", "archived", False)]


def test_headers_and_statuses_in_any_spelling_and_other_columns_ignored(tmp_path):
    record = write(tmp_path, f" Badge Name ,notes,BADGE TEMPLATE ID,State\n"
                             f"Ana's badge,ok,{ACTIVE_ID.upper()},ACTIVE\n"
                             f",a note on its own row,,\n"
                             f"Ben's badge,,{DRAFT_ID}, Draft \n")
    found = badge_record.read_badge_record(record).badges
    assert [(badge.name, badge.template_id, badge.status, badge.place) for badge in found] == [
        ("Ana's badge", ACTIVE_ID.upper(), "active", "row 2"),
        ("Ben's badge", DRAFT_ID, "draft", "row 4")]


def test_a_yaml_record(tmp_path, capsys):
    record = write(tmp_path, f"badges:\n  - {{name: {ACTIVE}, template_id: {ACTIVE_ID}, "
                             f"status: Active}}\n  - name: Data Analytics Essentials\n"
                             f"    template_id: {DRAFT_ID}\n    status: draft\n",
                   "record.yaml")
    out = tmp_path / "upload.csv"
    assert build(capsys, record, ACTIVE, out)[0] == 0 and template_ids(out) == {ACTIVE_ID}
    code, _, err = build(capsys, record, "Data Analytics Essentials", tmp_path / "other.csv")
    assert code == 2 and err.startswith(f"{record}: badges[1]: badge 'Data Analytics "
                                        "Essentials' is draft, not active")


def test_an_xlsx_record(tmp_path, capsys):
    book = openpyxl.Workbook()
    book.active.append(["name", "template_id", "status"])
    book.active.append([ACTIVE, ACTIVE_ID, "active"])
    book.active.append(["Data Analytics Essentials", DRAFT_ID, "archived"])
    record = tmp_path / "record.xlsx"
    book.save(record)
    out = tmp_path / "upload.csv"
    assert build(capsys, record, ACTIVE, out)[0] == 0 and template_ids(out) == {ACTIVE_ID}
    code, _, err = build(capsys, record, "Data Analytics Essentials", tmp_path / "other.csv")
    assert code == 2 and f"{record}: row 3: badge 'Data Analytics Essentials' is archived" in err


@pytest.mark.parametrize(("text", "says"), [
    (HEADER + f"A,{ACTIVE_ID},active\n a ,{DRAFT_ID},draft\n",
     "row 3: badge 'a' is listed twice (first in row 2); keep one entry per badge"),
    ("name,status\nA,active\n",
     "row 1: no column template_id (its columns: name, status); the header row needs name, "
     "template_id, status"),
    (HEADER + "A,,active\n",
     "row 2, column template_id: blank; copy the Badge Template ID from Credly"),
    (HEADER + f"A,{ACTIVE_ID},published\n",
     "row 2, column status: 'published' is not a Credly template status; write active, draft "
     "or archived (any case)"),
    (HEADER + f"A,{ACTIVE_ID},\n", "row 2, column status: blank; write the template's state"),
    (HEADER + f",{ACTIVE_ID},active\n", "row 2, column name: blank; write the badge's name"),
    (HEADER + f"A,{ACTIVE_ID[:8]},active\n",
     f"row 2, column template_id: '{ACTIVE_ID[:8]}' is not a Credly Badge Template ID"),
    (HEADER + f"@SUM(1),{ACTIVE_ID},active\n",
     "row 2, column name: starts with '@', so a spreadsheet would run it as a formula; remove "
     "the leading '@'"),
    (HEADER, "no badges in it; add one entry per badge: name, template_id, status"),
])
def test_each_problem_is_one_line_naming_the_row_and_the_fix(tmp_path, text, says):
    record = write(tmp_path, text)
    message = refusal(record)
    assert message.startswith(f"{record}: {says}") and "\n" not in message, message


@pytest.mark.parametrize(("text", "says"), [
    ("", "empty; write badges: followed by one item per badge"),
    ("- A\n", "not a record of published badges"),
    ("badges:\n  - A\n", "badges[0]: must be a mapping of name, template_id, status"),
    ("badges: {A: 1}\n", "badges: must be a list, one item per badge"),
    (f"badges:\n  - {{name: A, template_id: {ACTIVE_ID}, status: active, note: x}}\n",
     "badges[0].note: unknown key; its keys: name, template_id, status"),
    (f"badges:\n  - {{name: A, template_id: {ACTIVE_ID}, status: true}}\n",
     "badges[0].status: True is read as true or false, not text; put it in quotes"),
    (f"badges:\n  - {{name: A, template_id: {ACTIVE_ID}}}\n",
     "badges[0].status: blank; write the template's state in Credly"),
    ("badges: []\nnotes: x\n", "notes: unknown key; a record has only badges"),
])
def test_yaml_problems_name_the_key_path(tmp_path, text, says):
    record = write(tmp_path, text, "record.yml")
    assert refusal(record).startswith(f"{record}: {says}")


def test_a_name_with_control_characters_is_shown_escaped(tmp_path):
    record = write(tmp_path, HEADER + f"\"A\x1b[31m\u202eB\",{ACTIVE_ID},active\n")
    with pytest.raises(InputError) as raised:
        badge_record.read_badge_record(record).find("Z\x1b[2J")
    message = str(raised.value)
    assert "'Z\\x1b[2J'" in message and "its badges: A\\x1b[31m\\u202eB" in message
    assert "\x1b" not in message and "\u202e" not in message
