"""Credly bulk-issue files: template, validate (every upload error class Credly names that
can be checked offline) and build (a roster to a file that passes validate)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from simlib.cli.main import main
from simlib.policy import badge_files, badge_sheets, badges

EXAMPLES = Path(__file__).parents[2] / "examples" / "badges"
TEMPLATE = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"
OTHER_TEMPLATE = "9b1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
CREDLY_ORDER = [
    "Badge Template ID", "Recipient Email", "First Name", "Middle Name", "Last Name",
    "Issued at date", "Expiration Date", "Issuer Earner ID", "Country", "State or Province",
    "Evidence Name", "Evidence URL", "Text Evidence Name", "Text Evidence",
    "ID Evidence Title", "ID Evidence Description", "Locale",
]


def badge(number: int = 1, **cells: str) -> dict[str, str]:
    """A valid upload row (earner ``number``), with ``cells`` (underscores for spaces)."""
    row = {"Badge Template ID": TEMPLATE, "Recipient Email": f"earner{number}@example.edu",
           "First Name": "Ana", "Last Name": f"Lima{number}", "Issued at date": "05/14/26"}
    row.update({name.replace("_", " "): value for name, value in cells.items()})
    return row


def write_upload(folder: Path, rows: list[dict], header=tuple(CREDLY_ORDER),
                 name: str = "upload.csv") -> Path:
    """An upload CSV with ``header`` and ``rows`` (missing cells blank)."""
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([[{key.casefold(): value for key, value in row.items()}
                           .get(name.strip().casefold(), "") for name in header] for row in rows])
    return path


def problems(path: Path) -> list[tuple]:
    """(row, column, problem) of every problem of ``path``."""
    return [(p.row, p.column, p.problem) for p in badges.validate_file(path).problems]


def only_problem(path: Path) -> badges.Problem:
    found = badges.validate_file(path).problems
    assert len(found) == 1, found
    return found[0]


def read_back(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["badges", *argv])
    out, err = capsys.readouterr()
    return status, out, err


# ---- the columns and the template -----------------------------------------------------


def test_columns_are_credlys_in_order_with_five_required():
    assert list(badges.HEADER) == CREDLY_ORDER
    assert [badges.column_letter(badges.HEADER.index(name)) for name in badges.REQUIRED] == [
        "A", "B", "C", "E", "F"]


def test_template_header_row_is_exactly_the_column_list(tmp_path, capsys):
    out = tmp_path / "template.csv"
    status, printed, _ = run(capsys, "template", "--out", str(out))
    assert status == 0 and "17 columns, 5 required" in printed
    assert read_back(out) == [CREDLY_ORDER]
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # what Excel's "CSV UTF-8" writes


def test_template_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "template.csv"
    out.write_text("keep me")
    status, _, err = run(capsys, "template", "--out", str(out))
    assert status == 2 and "exists; use --force" in err
    assert out.read_text() == "keep me"
    assert run(capsys, "template", "--out", str(out), "--force")[0] == 0
    assert read_back(out) == [CREDLY_ORDER]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_template_needs_a_csv_name(tmp_path, capsys):
    status, _, err = run(capsys, "template", "--out", str(tmp_path / "t.xlsx"))
    assert status == 2 and "does not end in .csv" in err


# ---- Credly's upload error classes ------------------------------------------------------


def test_a_valid_file_has_no_problems(tmp_path):
    path = write_upload(tmp_path, [badge(1), badge(2, Middle_Name="Maria", Country="US",
                                                     Evidence_URL="https://example.edu/p")])
    result = badges.validate_file(path)
    assert result.valid and result.rows == 2


@pytest.mark.parametrize("content", [b"", b"\n\n", b",,,\r\n"])
def test_blank_file(tmp_path, content):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)
    assert only_problem(path).problem == "the file is blank"


def test_header_only_file_has_no_badges(tmp_path):
    path = write_upload(tmp_path, [])
    assert problems(path) == [(2, None, "no badges: the file has only its header row")]


def test_missing_header_names_it_and_its_column(tmp_path):
    header = [name for name in CREDLY_ORDER if name != "Middle Name"]
    problem = only_problem(write_upload(tmp_path, [badge()], header))
    assert (problem.row, problem.column, problem.problem) == (1, "Middle Name",
                                                              "header is missing")
    assert "column D" in problem.fix


def test_renamed_header_is_named_and_its_cells_still_checked(tmp_path):
    header = ["Email" if name == "Recipient Email" else name for name in CREDLY_ORDER]
    path = write_upload(tmp_path, [{**badge(), "Email": "not an email"}], header)
    assert problems(path) == [
        (1, "Recipient Email", "column B is headed 'Email'; the template has 'Recipient Email' "
                               "there"),
        (2, "Recipient Email", "'not an email' is not an email address"),
    ]


def test_cleared_header_is_named(tmp_path):
    header = ["" if name == "Middle Name" else name for name in CREDLY_ORDER]
    problem = only_problem(write_upload(tmp_path, [badge()], header))
    assert problem.problem == "column D has no header; the template has 'Middle Name' there"
    assert problem.fix.startswith("write 'Middle Name' in cell D1")


def test_extra_and_repeated_headers(tmp_path):
    header = [*CREDLY_ORDER, "Notes", "First Name"]
    assert problems(write_upload(tmp_path, [badge()], header)) == [
        (1, "First Name", "header appears twice (columns C and S)"),
        (1, "Notes", "extra column R is headed 'Notes'"),
    ]


def test_headers_out_of_order(tmp_path):
    header = list(CREDLY_ORDER)
    header[2], header[4] = header[4], header[2]
    problem = only_problem(write_upload(tmp_path, [badge()], header))
    assert problem.problem == "column C is 'Last Name'; the template has 'First Name' there"


def test_headers_match_regardless_of_case_and_surrounding_spaces(tmp_path):
    header = [f"  {name.upper()} " if index % 2 else name.lower()
              for index, name in enumerate(CREDLY_ORDER)]
    assert badges.validate_file(write_upload(tmp_path, [badge()], header)).valid


def test_semicolon_separated_file_is_explained(tmp_path):
    path = tmp_path / "upload.csv"
    path.write_text(";".join(CREDLY_ORDER) + "\n" + ";".join(badge().values()) + "\n")
    assert "separated by semicolons, not commas" in only_problem(path).problem


@pytest.mark.parametrize("column", badges.REQUIRED)
def test_blank_required_fields(tmp_path, column):
    path = write_upload(tmp_path, [badge(1), badge(2, **{column.replace(" ", "_"): "  "})])
    assert problems(path) == [(3, column, "blank, but required")]


@pytest.mark.parametrize("email", ["ana.example.edu", "ana@example", "ana lima@example.edu",
                                   "ana@@example.edu", "ana@example.", "ana@.edu"])
def test_invalid_email(tmp_path, email):
    problem = only_problem(write_upload(tmp_path, [badge(Recipient_Email=email)]))
    assert (problem.column, problem.problem) == ("Recipient Email",
                                                 f"{email!r} is not an email address")


@pytest.mark.parametrize("email", ["ana@example.edu", "ana.lima+mc@mail.example.ac.uk",
                                   "ANA@EXAMPLE.EDU", "  ana@example.edu "])
def test_valid_email(tmp_path, email):
    assert badges.validate_file(write_upload(tmp_path, [badge(Recipient_Email=email)])).valid


@pytest.mark.parametrize(("written", "problem", "fix"), [
    ("2026-05-14", "2026-05-14 is not mm/dd/yy", "write 05/14/26"),
    ("2026-05-14 00:00:00", "2026-05-14 00:00:00 is not mm/dd/yy", "write 05/14/26"),
    ("05/14/2026", "05/14/2026 is not mm/dd/yy", "write 05/14/26"),
    ("5/4/26", "5/4/26 is not mm/dd/yy", "write 05/04/26"),
    ("May 14, 2026", "May 14, 2026 is not a date in mm/dd/yy",
     "write month/day/two-digit year, e.g. 05/14/26"),
    ("02/30/26", "02/30/26 is not a real date", "check the month and day"),
    ("14/05/26", "14/05/26 is not a real date (month 14)",
     "mm/dd/yy puts the month first: 05/14/26"),
])
def test_invalid_date_format(tmp_path, written, problem, fix):
    found = only_problem(write_upload(tmp_path, [badge(Issued_at_date=written)]))
    assert (found.row, found.column, found.problem, found.fix) == (2, "Issued at date",
                                                                   problem, fix)


def test_expiration_date_checked_and_not_before_issue(tmp_path):
    path = write_upload(tmp_path, [badge(1, Expiration_Date="05/14/27"),
                                   badge(2, Expiration_Date="05/13/26"),
                                   badge(3, Expiration_Date="2027-05-14")])
    assert problems(path) == [
        (3, "Expiration Date", "05/13/26 is before the issue date 05/14/26"),
        (4, "Expiration Date", "2027-05-14 is not mm/dd/yy"),
    ]


def test_evidence_formatting(tmp_path):
    path = write_upload(tmp_path, [
        badge(1, Evidence_URL="www.example.edu/portfolio"),
        badge(2, Evidence_URL="HTTPS://example.edu/ok", Text_Evidence="x" * 350),
        badge(3, Text_Evidence="x" * 351),
    ])
    assert problems(path) == [
        (2, "Evidence URL", "'www.example.edu/portfolio' does not start with http:// or "
                            "https://"),
        (4, "Text Evidence", "351 characters; Credly allows at most 350"),
    ]


def test_too_many_badges(tmp_path):
    path = write_upload(tmp_path, [badge(number) for number in range(5001)])
    problem = only_problem(path)
    assert (problem.row, problem.problem) == (
        5002, "too many badges: 5,001 rows; Credly takes at most 5,000 per upload")
    assert "split the file" in problem.fix


def test_five_thousand_badges_are_fine(tmp_path):
    path = write_upload(tmp_path, [badge(number) for number in range(5000)])
    assert badges.validate_file(path).valid


def test_duplicate_badge_same_email_ignoring_case_names_both_rows(tmp_path):
    path = write_upload(tmp_path, [badge(1, Recipient_Email="Ana@Example.edu"), badge(2),
                                   badge(3, Recipient_Email="ana@example.EDU")])
    problem = only_problem(path)
    assert (problem.row, problem.column) == (4, "Recipient Email")
    assert "as row 2" in problem.problem and "row 2 or row 4" in problem.fix


def test_duplicate_badge_same_earner_id_and_template(tmp_path):
    path = write_upload(tmp_path, [badge(1, Issuer_Earner_ID="B001"),
                                   badge(2, Issuer_Earner_ID="B002"),
                                   badge(3, Issuer_Earner_ID="B001")])
    assert problems(path) == [(4, "Issuer Earner ID", "duplicate badge: same Issuer Earner "
                                                      "ID and Badge Template ID as row 2")]


def test_same_earner_with_another_template_is_not_a_duplicate(tmp_path):
    path = write_upload(tmp_path, [badge(1, Issuer_Earner_ID="B1"),
                                   badge(1, Issuer_Earner_ID="B1",
                                         Badge_Template_ID=OTHER_TEMPLATE)])
    assert badges.validate_file(path).valid


def test_same_template_in_another_case_is_a_duplicate(tmp_path):
    path = write_upload(tmp_path, [badge(1), badge(1, Badge_Template_ID=TEMPLATE.upper())])
    assert problems(path) == [(3, "Recipient Email", "duplicate badge: same email and Badge "
                                                     "Template ID as row 2")]


@pytest.mark.parametrize("template_id", [
    "abc123", TEMPLATE[:-1], TEMPLATE + "0", TEMPLATE.replace("-", ""), f"{{{TEMPLATE}}}",
    f"urn:uuid:{TEMPLATE}", TEMPLATE[:-1] + "g", TEMPLATE.replace("-", " "),
    "https://www.credly.com/org/example/badge/data-literacy"])
def test_template_unavailable_malformed_id_is_flagged(tmp_path, template_id):
    found = only_problem(write_upload(tmp_path, [badge(1), badge(2,
                                                                 Badge_Template_ID=template_id)]))
    assert (found.row, found.column, found.problem, found.fix) == (
        3, "Badge Template ID", f"{template_id!r} is not a Credly Badge Template ID (they look "
        f"like {TEMPLATE})", "copy it from the template's page in Credly")


@pytest.mark.parametrize("template_id", [TEMPLATE, TEMPLATE.upper(), f"  {OTHER_TEMPLATE} "])
def test_well_formed_template_ids_pass(tmp_path, template_id):
    path = write_upload(tmp_path, [badge(Badge_Template_ID=template_id)])
    assert badges.validate_file(path).valid


@pytest.mark.parametrize("country", ["US", "usa", "United States", "Germany", "DE", "de",
                                     "united states of america", " Germany ", "South Korea",
                                     "Côte d'Ivoire", "", "   "])
def test_countries_by_iso_name_or_code_and_blank_pass(tmp_path, country):
    assert badges.validate_file(write_upload(tmp_path, [badge(Country=country)])).valid


def test_invalid_country_misspelt_is_flagged_with_the_nearest_name(tmp_path):
    found = only_problem(write_upload(tmp_path, [badge(1), badge(2, Country="Untied States")]))
    assert (found.row, found.column, found.problem, found.fix) == (
        3, "Country", "'Untied States' is not a country name or code in ISO 3166",
        "did you mean 'United States'? write its name, e.g. United States, or its two-letter "
        "ISO code, e.g. US")


@pytest.mark.parametrize(("country", "suggested"), [
    ("Germny", "'Germany'? write its name, e.g. Germany, or its two-letter ISO code, e.g. DE"),
    ("UK", "'United Kingdom'? write its name, e.g. United Kingdom, or its two-letter ISO "
           "code, e.g. GB"),
    ("Russia", "'Russian Federation'?"),
    ("Turkey", "'Türkiye'?"),
])
def test_invalid_country_suggestions(tmp_path, country, suggested):
    found = only_problem(write_upload(tmp_path, [badge(Country=country)]))
    assert found.problem == f"{country!r} is not a country name or code in ISO 3166"
    assert found.fix.startswith(f"did you mean {suggested}")


def test_invalid_country_without_a_close_name_and_numeric_codes(tmp_path):
    path = write_upload(tmp_path, [badge(1, Country="Nowhere"), badge(2, Country="840")])
    found = badges.validate_file(path).problems
    assert [(p.row, p.problem) for p in found] == [
        (2, "'Nowhere' is not a country name or code in ISO 3166"),
        (3, "'840' is a numeric ISO country code, not a name or letter code")]
    assert found[0].fix == ("write its name, e.g. United States, or its two-letter ISO code, "
                            "e.g. US")
    assert found[1].fix.startswith("did you mean 'United States'?")


def test_country_database_is_loaded_only_when_needed():
    code = "import sys, simlib.policy.badges; print('pycountry' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "False"


# ---- formulas, encodings, xlsx, row numbers ----------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_cells_are_flagged_with_the_fix(tmp_path, start):
    path = write_upload(tmp_path, [badge(First_Name=f"{start}SUM(A1)")])
    problem = only_problem(path)
    assert (problem.row, problem.column) == (2, "First Name")
    assert "a spreadsheet would run it as a formula" in problem.problem
    assert "apostrophe" in problem.fix and "mcsim badges build" in problem.fix


def test_neutralised_cells_pass(tmp_path):
    assert badges.validate_file(write_upload(tmp_path, [badge(First_Name="'=Ana")])).valid


def test_not_utf8_csv_says_so_with_the_fix(tmp_path):
    path = write_upload(tmp_path, [badge(1), badge(2, First_Name="Renée")])
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    result = badges.validate_file(path)
    assert [(p.row, p.problem.split(" (")[0]) for p in result.problems] == [
        (3, "the file is not UTF-8 text")]
    assert "CSV UTF-8" in result.problems[0].fix
    assert result.rows == 2


def test_xlsx_first_sheet_with_real_date_cells_and_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(CREDLY_ORDER)
    sheet.append([TEMPLATE, "ana@example.edu", "Ana", None, "Lima", dt.datetime(2026, 5, 14),
                  dt.date(2027, 5, 14), 12345])
    sheet.append([TEMPLATE, "ben@example.edu", "Ben", None, "Cole", "2026-05-14", None, 12345])
    book.create_sheet("notes").append(["ignored"])
    path = tmp_path / "upload.xlsx"
    book.save(path)
    assert problems(path) == [
        (3, "Issued at date", "2026-05-14 is not mm/dd/yy"),
        (3, "Issuer Earner ID", "duplicate badge: same Issuer Earner ID and Badge Template "
                                "ID as row 2"),
    ]


def test_row_numbers_are_as_a_spreadsheet_shows_them(tmp_path):
    path = write_upload(tmp_path, [badge(1), {}, badge(2, First_Name="Ana\nMaria"),
                                   badge(3, Last_Name="")])
    assert path.read_text().count("\n") == 6  # the name over two lines is one row
    assert problems(path) == [(5, "Last Name", "blank, but required")]


def test_values_beyond_the_header_are_flagged(tmp_path):
    path = write_upload(tmp_path, [badge()])
    path.write_text(path.read_text().rstrip() + ",stray\n")
    assert problems(path) == [(2, "column R", "a value in a column with no header")]


# ---- exit statuses and JSON ----------------------------------------------------------------


def test_validate_exit_statuses(tmp_path, capsys):
    good = write_upload(tmp_path, [badge()], name="good.csv")
    bad = write_upload(tmp_path, [badge(Recipient_Email="nope")], name="bad.csv")
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 not really a workbook")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("hello.txt", "a zip archive, but no workbook in it")
    (tmp_path / "good.txt").write_text(good.read_text())
    status, out, _ = run(capsys, "validate", str(good))
    assert status == 0 and "ready for Credly: 1 badge row" in out
    status, out, _ = run(capsys, "validate", str(bad))
    assert status == 1 and "'nope' is not an email address" in out
    for unreadable, message in [(tmp_path / "missing.csv", "file not found"),
                                (tmp_path / "good.txt", "not a .csv or .xlsx file"),
                                (corrupt, "not an .xlsx workbook (not a zip archive)"),
                                (damaged, "not a readable .xlsx workbook"),
                                (tmp_path, "not a regular file (a folder)")]:
        status, out, err = run(capsys, "validate", str(unreadable))
        assert (status, out) == (2, "") and message in err


def test_validate_json(tmp_path, capsys):
    path = write_upload(tmp_path, [badge(1), badge(2, Issued_at_date="2026-05-14")])
    status, out, _ = run(capsys, "validate", str(path), "--format", "json")
    assert status == 1
    assert json.loads(out) == {"valid": False, "rows": 2, "problems": [
        {"row": 3, "column": "Issued at date", "problem": "2026-05-14 is not mm/dd/yy",
         "fix": "write 05/14/26"}]}


# ---- build ------------------------------------------------------------------------------


def write_roster(folder: Path, text: str) -> Path:
    path = folder / "roster.csv"
    path.write_text(text, encoding="utf-8")
    return path


def build(capsys, roster: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "build", "--roster", str(roster), "--template-id", TEMPLATE,
               "--issued-at", "2026-05-14", "--out", str(out), *extra)


TRICKY = """\
 Email ,First_Name,LAST NAME,middle name,Earner-ID,major
  Zoë.Ångström@Example.edu ,Zoë,Ångström,,B1,History
ben@example.edu,=HYPERLINK("http://x"),Cole,,B2,
cy@example.edu,+Cy,-Dash,@Middle,B3,
dee@example.edu,\tDee,O'Neil,José-María,B4,
"""


def test_builder_output_passes_the_validator_for_tricky_names(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    status, printed, _ = build(capsys, write_roster(tmp_path, TRICKY), out)
    assert status == 0, printed
    rows = read_back(out)
    assert rows[0] == CREDLY_ORDER
    assert rows[1][:8] == [TEMPLATE, "zoë.ångström@example.edu", "Zoë", "", "Ångström",
                           "05/14/26", "", "B1"]
    assert [row[2:5] for row in rows[2:]] == [
        ["'=HYPERLINK(\"http://x\")", "", "Cole"], ["'+Cy", "'@Middle", "'-Dash"],
        ["Dee", "José-María", "O'Neil"]]
    assert "row 3 first_name, row 4 first_name, row 4 middle_name, row 4 last_name" in printed
    assert "ignored roster columns: major" in printed
    assert badges.validate_file(out).valid
    assert run(capsys, "validate", str(out))[0] == 0


@pytest.mark.parametrize("issued", ["2026-05-14", "05/14/26"])
def test_build_accepts_both_date_spellings(tmp_path, capsys, issued):
    out = tmp_path / "upload.csv"
    status, _, _ = run(capsys, "build", "--roster", str(EXAMPLES / "roster.csv"),
                       "--template-id", TEMPLATE, "--issued-at", issued, "--out", str(out))
    assert status == 0 and {row[5] for row in read_back(out)[1:]} == {"05/14/26"}


@pytest.mark.parametrize("issued", ["2026-02-30", "14/05/26", "May 14"])
def test_build_rejects_a_bad_issue_date(tmp_path, capsys, issued):
    status, _, err = run(capsys, "build", "--roster", str(EXAMPLES / "roster.csv"),
                         "--template-id", TEMPLATE, "--issued-at", issued,
                         "--out", str(tmp_path / "upload.csv"))
    assert status == 2 and "--issued-at" in err and not (tmp_path / "upload.csv").exists()


def test_roster_problems_have_rows_and_columns_and_nothing_is_written(tmp_path, capsys):
    roster = write_roster(tmp_path, "email,first_name,last_name,earner_id\n"
                                    "ana@example.edu,Ana,Lima,B1\n"
                                    "ben@example,Ben,Cole,B2\n"
                                    "ANA@example.edu,Ana,Lima,B3\n"
                                    "=cy@example.edu,Cy,,B1\n")
    out = tmp_path / "upload.csv"
    status, printed, err = build(capsys, roster, out)
    assert status == 2 and not out.exists()
    assert err == (f"mcsim: {roster}: 5 problems in the roster (listed on standard output); "
                   "nothing written\n")
    lines = printed.splitlines()
    assert [line.split()[:2] for line in lines[1:]] == [
        ["3", "email"], ["4", "email"], ["5", "email"], ["5", "last_name"],
        ["5", "earner_id"]]
    assert "duplicate badge: same email and Badge Template ID as row 2" in printed
    assert "same Issuer Earner ID and Badge Template ID as row 2" in printed
    assert "starts with '='" in printed and "'ben@example' is not an email address" in printed


def test_roster_missing_columns_and_blank_roster(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    status, printed, err = build(capsys, write_roster(tmp_path, "Email,Name\na@example.edu,A\n"),
                                 out)
    assert status == 2 and "first_name  column is missing" in printed
    assert "last_name   column is missing" in printed and "2 problems in the roster" in err
    status, _, err = build(capsys, write_roster(tmp_path, "email,first_name,last_name\n"), out)
    assert status == 2 and "no earners" in err and len(err.splitlines()) == 1
    status, _, err = build(capsys, write_roster(tmp_path, ""), out)
    assert status == 2 and "the roster is blank" in err


def test_roster_not_utf8_is_refused(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_bytes("email,first_name,last_name\nr@example.edu,Renée,Roy\n".encode("latin-1"))
    status, _, err = build(capsys, roster, tmp_path / "upload.csv")
    assert status == 2 and "not UTF-8" in err and "CSV UTF-8" in err


@pytest.mark.parametrize("template_id", ["abc123", TEMPLATE.replace("-", "")])
def test_build_rejects_a_malformed_template_id_in_one_line(tmp_path, capsys, template_id):
    out = tmp_path / "upload.csv"
    status, printed, err = run(capsys, "build", "--roster", str(EXAMPLES / "roster.csv"),
                               "--template-id", template_id, "--issued-at", "2026-05-14",
                               "--out", str(out))
    assert (status, printed) == (2, "") and not out.exists()
    assert err == (f"mcsim: --template-id: {template_id!r} is not a Credly Badge Template ID "
                   f"(they look like {TEMPLATE}); copy it from the template's page in Credly\n")


def test_build_accepts_an_upper_case_template_id(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    status, _, _ = run(capsys, "build", "--roster", str(EXAMPLES / "roster.csv"),
                       "--template-id", TEMPLATE.upper(), "--issued-at", "2026-05-14",
                       "--out", str(out))
    assert status == 0 and badges.validate_file(out).valid


def test_build_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    out.write_text("keep me")
    status, _, err = build(capsys, EXAMPLES / "roster.csv", out)
    assert status == 2 and "use --force" in err and out.read_text() == "keep me"
    assert build(capsys, EXAMPLES / "roster.csv", out, "--force")[0] == 0


# ---- the shipped examples ------------------------------------------------------------------


def test_example_roster_builds_a_valid_upload(tmp_path, capsys):
    out = tmp_path / "upload.csv"
    status, printed, _ = build(capsys, EXAMPLES / "roster.csv", out)
    assert status == 0 and "wrote 5 badges" in printed
    rows = read_back(out)[1:]
    assert any(row[2].startswith("'=") for row in rows)  # a neutralised name
    assert any(row[3] for row in rows)  # a middle name
    assert badges.validate_file(out).valid


def test_example_with_errors_shows_several_classes(capsys):
    status, out, _ = run(capsys, "validate", str(EXAMPLES / "upload-with-errors.csv"))
    assert status == 1
    for shown in ("the template has 'Locale' there", "is not an email address", "is not mm/dd/yy",
                  "is not a real date", "blank, but required", "run it as a formula",
                  "does not start with http://", "before the issue date",
                  "same email and Badge Template ID as row 2",
                  "same Issuer Earner ID and Badge Template ID as row 4",
                  "'Untied States' is not a country name or code in ISO 3166; did you mean "
                  "'United States'?"):
        assert shown in out


# ---- formulas after separators, repeated headers, centuries, bounds ------------------------


@pytest.mark.parametrize(("cell", "start"), [
    ("Ana;=1+1", ";="), ("Ana\t+1", "\t+"), ("Ana, -1", ", -"), ("Ana\n@x", "\n@"),
    ("=1", "="), ("'Ana;=1", ";="), ("Ana", None), ("Marie-Hélène", None), ("'=Ana", None),
    ("Ana;'=1", None), ("a+b@c.edu", None),
])
def test_formula_start_finds_formulas_after_any_separator(cell, start):
    assert badge_files.formula_start(cell) == start
    neutral = badge_files.neutralise(cell)
    assert badge_files.formula_start(neutral) is None
    assert neutral == cell.strip() if start is None else neutral.startswith("'")


def test_neutralised_cells_are_safe_for_any_separator():
    assert badge_files.neutralise("Ana;=1+1") == "'Ana;'=1+1"
    assert badge_files.neutralise(" Ben\t+SUM(A1) ") == "'Ben\t'+SUM(A1)"
    assert badge_files.csv_cell("'Ana;'=1+1") == "\"'Ana;'=1+1\""
    assert badge_files.csv_cell('say "hi"') == '"say ""hi"""'
    assert badge_files.csv_cell("Ana") == "Ana"


def test_validate_flags_what_build_neutralises(tmp_path):
    path = write_upload(tmp_path, [badge(1, First_Name="Ana;=1+1"),
                                   badge(2, Last_Name="'Lima\t-x"),
                                   badge(3, First_Name="'Ana;'=1+1")])
    assert problems(path) == [
        (2, "First Name", "has '=' after ';': a spreadsheet that splits cells at ';' would run "
                          "the rest as a formula"),
        (3, "Last Name", "has '-' after a tab: a spreadsheet that splits cells at a tab would "
                         "run the rest as a formula"),
    ]


def test_build_writes_formulas_after_separators_neutralised_and_quoted(tmp_path, capsys):
    roster = write_roster(tmp_path, 'email,first_name,last_name\nana@example.edu,Ana;=1+1,'
                                    'Lima\nben@example.edu,"Ben\t+1",Cole\n')
    out = tmp_path / "upload.csv"
    status, printed, _ = build(capsys, roster, out)
    assert status == 0 and "row 2 first_name, row 3 first_name" in printed
    text = out.read_bytes().decode("utf-8-sig")
    assert "\"'Ana;'=1+1\"" in text and "\"'Ben\t'+1\"" in text and text.endswith("\r\n")
    assert [row[2] for row in read_back(out)[1:]] == ["'Ana;'=1+1", "'Ben\t'+1"]
    assert badges.validate_file(out).valid


def test_roster_with_a_repeated_header_is_refused_naming_both_columns(tmp_path, capsys):
    roster = write_roster(tmp_path, "email,first_name,last_name, EMAIL \n"
                                    "ana@example.edu,Ana,Lima,ben@example.edu\n")
    out = tmp_path / "upload.csv"
    status, printed, err = build(capsys, roster, out)
    assert (status, printed) == (2, "") and not out.exists()
    assert err == (f"mcsim: {roster}: row 1, email: header appears 2 times: columns A and D "
                   "('email' and 'EMAIL'); keep one column of that name: delete or rename the "
                   "others; nothing written\n")


@pytest.mark.parametrize("issued", ["1999-12-31", "2100-01-01", "12/31/1999"])
def test_issue_dates_outside_two_digit_years_are_refused(tmp_path, capsys, issued):
    status, _, err = run(capsys, "build", "--roster", str(EXAMPLES / "roster.csv"),
                         "--template-id", TEMPLATE, "--issued-at", issued,
                         "--out", str(tmp_path / "upload.csv"))
    assert status == 2 and "mm/dd/yy cannot say" in err and "2000-2099" in err
    with pytest.raises(badges.InputError, match=r"--issued-at: .* give a date in 2000-2099"):
        badges.build_upload(EXAMPLES / "roster.csv", TEMPLATE, dt.date(1999, 12, 31))


def test_dates_are_read_back_in_their_own_century(tmp_path):
    path = write_upload(tmp_path, [badge(1, Expiration_Date="2099-12-31"),
                                   badge(2, Issued_at_date="01/01/1999")])
    assert problems(path) == [
        (2, "Expiration Date", "2099-12-31 is not mm/dd/yy"),
        (3, "Issued at date", "01/01/1999 is in 1999, which mm/dd/yy cannot say (Credly reads "
                              "01/01/99 as 01/01/2099)"),
    ]


def test_csv_larger_than_the_row_bound_is_refused_before_checking(tmp_path, capsys):
    path = write_upload(tmp_path, [badge(number) for number in range(badge_sheets.MAX_ROWS + 1)])
    status, out, err = run(capsys, "validate", str(path))
    assert (status, out) == (2, "")
    assert "more than 10,000 rows below the header; Credly takes at most 5,000 badges" in err
