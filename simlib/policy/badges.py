"""Credly bulk-issue files: checking a filled one before upload, and building a ready upload
file from a class roster. The file format itself (columns, reading, dates, what each cell
may hold, writing the empty template or an upload) is :mod:`simlib.policy.badge_files`.

:func:`validate_file` checks, offline, the upload error classes Credly names that can be
checked without Credly: blank file, incorrect headers, blank required fields, invalid email,
invalid date format (dates strictly mm/dd/yy; impossible dates; expiration before issue),
evidence formatting (URL must start with http:// or https://; text evidence at most 350
characters), too many badges (at most 5,000 rows) and duplicate badge (same email, ignoring
case, or same Issuer Earner ID, with the same Badge Template ID). It also checks that a CSV
is UTF-8 and that no cell would run as a spreadsheet formula.

The two other classes are checked as far as they can be offline:

- "template unavailable": a Badge Template ID must be a UUID as Credly writes them,
  8-4-4-4-12 hexadecimal digits (e.g. 3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f; upper or lower
  case), so a truncated, mistyped or pasted-in-the-wrong-column ID is caught. Whether a
  well-formed ID exists, and is available to the issuer (published, not archived, owned by
  or shared with the organisation), Credly alone knows. ``mcsim badges build`` refuses a
  malformed ``--template-id`` for the same reason.
- "invalid country": Credly accepts a country's full name or ISO code from its own list,
  which it does not publish. A non-blank Country must be a name, official name, common name,
  or two- or three-letter code of ISO 3166-1 (any case; the pycountry package's list), and
  a problem suggests the nearest ISO name when there is one. Credly's list may differ in
  places: older or everyday names that ISO does not use, such as "Turkey" or "Russia", are
  flagged with ISO's name suggested, a spelling Credly's list is more likely to share; the
  two-letter code is the safest of all.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import DateError, InputError, RosterError
from simlib.formats.sheets import column_letter
from simlib.policy.badge_files import (
    COLUMNS_BY_NAME,
    EARNER_ID,
    EMAIL,
    EXPIRES,
    HEADER,
    ISSUED,
    MAX_BADGES,
    REQUIRED,
    SAVE_AS_UTF8,
    TEMPLATE_ID,
    Problem,
    check_century,
    formula_problem,
    formula_start,
    neutralise,
    short_date,
    template_id_problem,
    value_problem,
)
from simlib.policy.badge_sheets import read_sheet

__all__ = ["MAX_BADGES", "Problem", "RosterError", "Upload", "Validation", "build_upload",
           "check_records", "check_table", "neutralise", "validate_file"]


@dataclass(frozen=True)
class Validation:
    """The result of checking an upload file: its count of badge rows and its problems."""

    rows: int
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        """True when there is no problem."""
        return not self.problems

    def to_dict(self) -> dict:
        """JSON-ready: valid, rows, problems (each row, column, problem, fix)."""
        return {"valid": self.valid, "rows": self.rows,
                "problems": [problem.to_dict() for problem in self.problems]}



@dataclass(frozen=True)
class Upload:
    """A built upload file: its rows (without the header) and what building changed:
    ``neutralised`` (roster row, roster column) cells given a leading apostrophe, and the
    ``ignored`` roster columns."""

    rows: list[list[str]]
    neutralised: tuple[tuple[int, str], ...]
    ignored: tuple[str, ...]


# ---- checking -------------------------------------------------------------------------


def _key(text: str) -> str:
    return text.strip().casefold()


def _place(problem: Problem) -> tuple[int, int]:
    """Sort key: file problems first, then by row and by template column."""
    return problem.row or 0, HEADER.index(problem.column) if problem.column in HEADER else 99


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def validate_file(path: Path) -> Validation:
    """Check an upload file (.csv or .xlsx) for Credly's offline-checkable upload errors;
    :class:`InputError` when it cannot be read at all."""
    sheet = read_sheet(path)
    result = check_table(sheet.rows)
    if sheet.encoding_problem is None:
        return result
    return Validation(result.rows, (sheet.encoding_problem, *result.problems))


def check_table(rows: list[list[str]]) -> Validation:
    """Check the cells of an upload file, header row first."""
    if all(_blank(row) for row in rows):
        return Validation(0, (Problem(None, None, "the file is blank",
                                      "start from mcsim badges template or mcsim badges build"),))
    header = rows[0]
    while header and not header[-1].strip():
        header = header[:-1]
    problems, positions = _header_problems(header)
    records = [(number, {name: row[index] if index < len(row) else ""
                         for name, index in positions.items()})
               for number, row in enumerate(rows[1:], start=2) if not _blank(row)]
    for number, row in enumerate(rows[1:], start=2):
        stray = [index for index in range(len(header), len(row)) if row[index].strip()]
        if stray:
            problems.append(Problem(number, f"column {column_letter(stray[0])}",
                                    "a value in a column with no header",
                                    "delete it, or move it into one of the template's columns"))
    if not records:
        problems.append(Problem(2, None, "no badges: the file has only its header row",
                                "add one row per earner below the header"))
    problems += check_records(records)
    return Validation(len(records), tuple(sorted(problems, key=_place)))


def _header_problems(header: list[str]) -> tuple[list[Problem], dict[str, int]]:
    """The header row's problems and where each template column is (name -> index)."""
    if len([cell for cell in header if cell.strip()]) == 1 and re.search("[;\t]", header[0]):
        separator = "semicolons" if ";" in header[0] else "tabs"
        return [Problem(1, None, f"the header row is one cell: columns are separated by "
                        f"{separator}, not commas", SAVE_AS_UTF8)], {}
    wanted = {_key(name): name for name in HEADER}
    positions: dict[str, int] = {}
    problems, unknown = [], []
    for index, cell in enumerate(header):
        name = wanted.get(_key(cell))
        if name is None:
            unknown.append(index)
        elif name in positions:
            problems.append(Problem(1, name, f"header appears twice (columns "
                                    f"{column_letter(positions[name])} and "
                                    f"{column_letter(index)})", "delete one of the two columns"))
        else:
            positions[name] = index
    for index in unknown:
        problems.append(_unknown_header(header[index], index, positions))
    for index, name in enumerate(HEADER):
        if name not in positions:
            problems.append(Problem(1, name, "header is missing",
                                    f"add {name!r} back as column {column_letter(index)}; leave "
                                    "its cells empty if you do not use it"))
    if not problems:
        problems += _order_problems(positions)
    return problems, positions


def _unknown_header(cell: str, index: int, positions: dict[str, int]) -> Problem:
    """A header that is not the template's: renamed or cleared (when the template's column
    for that place is missing, which ``positions`` then points here), or extra."""
    letter, cell = column_letter(index), cell.strip()
    found = f"is headed {cell!r}" if cell else "has no header"
    slot = HEADER[index] if index < len(HEADER) else None
    if slot is not None and slot not in positions:
        positions[slot] = index
        return Problem(1, slot, f"column {letter} {found}; the template has {slot!r} there",
                       f"write {slot!r} in cell {letter}1; Credly needs its headers intact")
    return Problem(1, cell or f"column {letter}", f"extra column {letter} {found}",
                   "delete the column; Credly's template has no such column")


def _order_problems(positions: dict[str, int]) -> list[Problem]:
    order = sorted(positions, key=positions.__getitem__)
    for index, (found, name) in enumerate(zip(order, HEADER, strict=True)):
        if found != name:
            return [Problem(1, found, f"column {column_letter(index)} is {found!r}; the "
                            f"template has {name!r} there", "put the columns back in the "
                            "template's order (mcsim badges template writes a fresh one)")]
    return []


def check_records(records: list[tuple[int, dict[str, str]]]) -> list[Problem]:
    """Problems of badge rows, each (spreadsheet row, cells by column name)."""
    problems = []
    if len(records) > MAX_BADGES:
        problems.append(Problem(records[MAX_BADGES][0], None, f"too many badges: "
                                f"{len(records):,} rows; Credly takes at most {MAX_BADGES:,} "
                                "per upload", f"split the file into uploads of at most "
                                f"{MAX_BADGES:,} rows, each with the header row"))
    for number, values in records:
        problems += _row_problems(number, values)
    problems += _duplicates(records, EMAIL, "email", fold=True)
    problems += _duplicates(records, EARNER_ID, "Issuer Earner ID", fold=False)
    return problems


def _row_problems(number: int, values: dict[str, str]) -> list[Problem]:
    problems, dates = [], {}
    for name, cell in values.items():
        column, value = COLUMNS_BY_NAME[name], cell.strip()
        if start := formula_start(cell):
            problems.append(formula_problem(number, column, start))
        elif not value:
            if column.required:
                problems.append(Problem(number, name, "blank, but required",
                                        "fill it in; Credly needs it for every badge"))
        elif column.kind == "date":
            try:
                dates[name] = short_date(value)
            except DateError as error:
                problems.append(Problem(number, name, error.problem, error.fix))
        elif problem := value_problem(column, value):
            problems.append(Problem(number, name, *problem))
    if EXPIRES in dates and ISSUED in dates and dates[EXPIRES] < dates[ISSUED]:
        problems.append(Problem(number, EXPIRES, f"{dates[EXPIRES]:%m/%d/%y} is before the "
                                f"issue date {dates[ISSUED]:%m/%d/%y}", "give a later "
                                "expiration date, or leave it blank"))
    return problems


def _duplicates(records: list[tuple[int, dict[str, str]]], column: str, word: str,
                fold: bool) -> Iterator[Problem]:
    """Rows whose ``column`` (ignoring case when ``fold``) and Badge Template ID repeat an
    earlier row's."""
    first_rows: dict[tuple[str, str], int] = {}
    for number, values in records:
        value, template = values.get(column, "").strip(), values.get(TEMPLATE_ID, "").strip()
        if not value or not template:
            continue
        key = (template.casefold(), value.casefold() if fold else value)  # UUIDs: any case
        first = first_rows.setdefault(key, number)
        if first != number:
            yield Problem(number, column, f"duplicate badge: same {word} and Badge Template "
                          f"ID as row {first}", f"remove row {first} or row {number}: Credly "
                          f"issues one badge per {word} and template")


# ---- building -------------------------------------------------------------------------

# roster column -> template column; required when the template column is
ROSTER_COLUMNS = {"email": EMAIL, "first_name": "First Name", "middle_name": "Middle Name",
                  "last_name": "Last Name", "earner_id": EARNER_ID}


def _roster_key(text: str) -> str:
    """A roster header in a canonical spelling: 'First Name ' -> 'first_name'."""
    return re.sub(r"[\s_-]+", "_", text.strip().casefold())


def build_upload(roster: Path, template_id: str, issued_at: dt.date) -> Upload:
    """Upload rows from a roster (.csv or .xlsx with email, first_name, last_name and
    optionally middle_name, earner_id): trimmed, emails lower-cased, formula-like text
    neutralised; :class:`InputError` for a malformed ``template_id`` (before the roster is
    read); :class:`RosterError` listing every problem of the roster."""
    if problem := template_id_problem(template_id):
        raise InputError("mcsim: --template-id: {}; {}".format(*problem))
    try:
        check_century(issued_at)
    except DateError as error:
        raise InputError(f"mcsim: --issued-at: {error}") from None
    sheet = read_sheet(roster)
    if sheet.encoding_problem:
        raise RosterError(roster, [sheet.encoding_problem])
    rows = sheet.rows
    if all(_blank(row) for row in rows):
        raise RosterError(roster, [Problem(None, None, "the roster is blank", "write a header "
                                           "row (email, first_name, last_name) and one row "
                                           "per earner")])
    keys = [_roster_key(cell) for cell in rows[0]]
    if twice := _repeated_headers(rows[0], keys):
        raise RosterError(roster, twice)
    positions = {name: keys.index(name) for name in ROSTER_COLUMNS if name in keys}
    missing = [Problem(1, name, "column is missing", f"add a column headed {name}")
               for name, target in ROSTER_COLUMNS.items()
               if target in REQUIRED and name not in positions]
    if missing:
        raise RosterError(roster, missing)
    ignored = [cell.strip() for cell, key in zip(rows[0], keys, strict=True)
               if key and key not in ROSTER_COLUMNS]
    records, neutralised = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not _blank(row):
            values, changed = _roster_record(row, positions)
            values.update({TEMPLATE_ID: template_id, ISSUED: f"{issued_at:%m/%d/%y}"})
            records.append((number, values))
            neutralised += [(number, name) for name in changed]
    _check_roster(roster, records)
    upload_rows = [[values.get(name, "") for name in HEADER] for _, values in records]
    return Upload(upload_rows, tuple(neutralised), tuple(ignored))


def _repeated_headers(header: list[str], keys: list[str]) -> list[Problem]:
    """A problem per roster header that appears more than once (however spelt: 'email' and
    ' Email '), naming its columns: which one holds the data cannot be guessed."""
    problems = []
    for key in dict.fromkeys(key for key in keys if key):
        where = [index for index, other in enumerate(keys) if other == key]
        if len(where) > 1:
            letters = " and ".join(column_letter(index) for index in where)
            shown = " and ".join(repr(header[index].strip()) for index in where)
            problems.append(Problem(1, key, f"header appears {len(where)} times: columns "
                                    f"{letters} ({shown})", "keep one column of that name: "
                                    "delete or rename the others"))
    return problems


def _roster_record(row: list[str], positions: dict[str, int]) -> tuple[dict[str, str], list]:
    """One roster row as upload cells by template column name, and the roster columns
    whose cell was neutralised."""
    values, changed = {}, []
    for name, index in positions.items():
        cell = row[index].strip() if index < len(row) else ""
        target = ROSTER_COLUMNS[name]
        if COLUMNS_BY_NAME[target].kind == "email":
            values[target] = cell.lower()
            continue
        values[target] = neutralise(cell)
        if values[target] != cell:
            changed.append(name)
    return values, changed


def _check_roster(roster: Path, records: list[tuple[int, dict[str, str]]]) -> None:
    """:class:`RosterError` naming roster columns, when the built rows would not pass."""
    problems = check_records(records)
    if not records:
        problems.append(Problem(2, None, "no earners: the roster has only its header row",
                                "add one row per earner below the header"))
    names = {target: name for name, target in ROSTER_COLUMNS.items()}
    if problems:
        raise RosterError(roster, [
            Problem(problem.row, names.get(problem.column, problem.column), problem.problem,
                    problem.fix) for problem in sorted(problems, key=_place)])
