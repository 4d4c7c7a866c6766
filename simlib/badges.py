"""Credly bulk-issue files: the empty template, checking a filled one before upload, and
building a ready upload file from a class roster.

The columns are those of Credly's bulk-issue CSV template (FACTS.md, "Credly bulk issue"):
five required (Badge Template ID, Recipient Email, First Name, Last Name, Issued at date in
columns A, B, C, E, F; column D is taken to be the optional Middle Name), then the optional
ones. Credly says headers change from time to time: when an upload is refused for its
headers, compare with a freshly downloaded template.

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

import csv
import datetime as dt
import difflib
import functools
import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from simlib.inputs import InputError

TEMPLATE_ID, EMAIL, ISSUED, EXPIRES, EARNER_ID = (
    "Badge Template ID", "Recipient Email", "Issued at date", "Expiration Date",
    "Issuer Earner ID")
MAX_BADGES = 5000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SAVE_AS_UTF8 = 'save it as "CSV UTF-8 (Comma delimited)" (Excel: File > Save As)'


@dataclass(frozen=True)
class Column:
    """One column of the bulk-issue template. ``kind`` is text, email, date, url, template
    (a Badge Template ID) or country; only text cells may be neutralised with a leading
    apostrophe."""

    name: str
    required: bool
    kind: str = "text"
    max_chars: int | None = None


COLUMNS = (
    Column(TEMPLATE_ID, True, "template"),
    Column(EMAIL, True, "email"),
    Column("First Name", True),
    Column("Middle Name", False),
    Column("Last Name", True),
    Column(ISSUED, True, "date"),
    Column(EXPIRES, False, "date"),
    Column(EARNER_ID, False),
    Column("Country", False, "country"),
    Column("State or Province", False),
    Column("Evidence Name", False),
    Column("Evidence URL", False, "url"),
    Column("Text Evidence Name", False),
    Column("Text Evidence", False, max_chars=350),
    Column("ID Evidence Title", False),
    Column("ID Evidence Description", False),
    Column("Locale", False),
)
HEADER = tuple(column.name for column in COLUMNS)
REQUIRED = tuple(column.name for column in COLUMNS if column.required)
_BY_NAME = {column.name: column for column in COLUMNS}


@dataclass(frozen=True)
class Problem:
    """One problem: spreadsheet row (header = 1; None for the whole file), column name
    (None for a whole row or file), what is wrong and how to fix it."""

    row: int | None
    column: str | None
    problem: str
    fix: str

    def to_dict(self) -> dict:
        """JSON-ready: row, column, problem, fix."""
        return {"row": self.row, "column": self.column, "problem": self.problem,
                "fix": self.fix}


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


class DateError(ValueError):
    """A date that is not a real mm/dd/yy date; ``problem`` and ``fix`` say why and how."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}; {fix}")
        self.problem, self.fix = problem, fix


class RosterError(InputError):
    """A roster that cannot be turned into an upload file; ``problems`` lists every one."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{path}: {count} problem{'s' * (count != 1)} in the roster; "
                         "nothing written")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Sheet:
    """The cells of a CSV or the first worksheet of an xlsx file, as text, and the problem
    of a CSV that is not UTF-8 (then decoded as Windows-1252 so the rest can be checked)."""

    rows: list[list[str]]
    encoding_problem: Problem | None = None


@dataclass(frozen=True)
class Upload:
    """A built upload file: its rows (without the header) and what building changed:
    ``neutralised`` (roster row, roster column) cells given a leading apostrophe, and the
    ``ignored`` roster columns."""

    rows: list[list[str]]
    neutralised: tuple[tuple[int, str], ...]
    ignored: tuple[str, ...]


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# ---- reading --------------------------------------------------------------------------


def read_sheet(path: Path) -> Sheet:
    """The cells of ``path`` (.csv or .xlsx); :class:`InputError` if it cannot be read."""
    if not path.exists():
        raise InputError(f"{path}: file not found; check the path")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".xlsx":
        return Sheet(_read_xlsx(path))
    if suffix == ".xls":
        raise InputError(f"{path}: old Excel .xls format; {SAVE_AS_UTF8} or as .xlsx")
    raise InputError(f"{path}: not a .csv or .xlsx file; {SAVE_AS_UTF8}")


def _read_csv(path: Path) -> Sheet:
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is an Excel workbook named .csv; rename it .xlsx or "
                         f"{SAVE_AS_UTF8}")
    problem = None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data.count(b"\n", 0, error.start) + 1
        problem = Problem(row, None, f"the file is not UTF-8 text (first bad character in "
                          f"row {row}), so accents and other letters would be garbled",
                          SAVE_AS_UTF8)
        text = data.decode("cp1252", errors="replace")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        raise InputError(f"{path}: not a readable CSV file ({error}); {SAVE_AS_UTF8}") from None
    return Sheet(rows, problem)


def _read_xlsx(path: Path) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            values = list(book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise InputError(f"{path}: not a readable .xlsx workbook ({type(error).__name__}); "
                         "open it in Excel and save it again") from None
    return [[_cell_text(value) for value in row] for row in values]


def _cell_text(value: object) -> str:
    """A worksheet value as the text a CSV export shows: dates as mm/dd/yy, whole numbers
    without a decimal point."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%m/%d/%y")
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---- dates ----------------------------------------------------------------------------

_SHORT_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{2})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]*)?")
_LOOSE_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")


def short_date(text: str) -> dt.date:
    """The date written ``text`` as mm/dd/yy (years 2000-2099); :class:`DateError` for any
    other format (suggesting the mm/dd/yy spelling when the date is recognisable) or a date
    that does not exist."""
    if match := _SHORT_DATE.fullmatch(text):
        month, day, year = (int(part) for part in match.groups())
        return _real_date(text, 2000 + year, month, day)
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
        guess = _real_date(text, year, month, day)
    elif match := _LOOSE_DATE.fullmatch(text):
        month, day, year = (int(part) for part in match.groups())
        guess = _real_date(text, year if year > 99 else 2000 + year, month, day)
    else:
        raise DateError(f"{text} is not a date in mm/dd/yy",
                        "write month/day/two-digit year, e.g. 05/14/26")
    raise DateError(f"{text} is not mm/dd/yy", f"write {guess:%m/%d/%y}")


def _real_date(text: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        pass
    if month > 12 >= day:
        raise DateError(f"{text} is not a real date (month {month})",
                        f"mm/dd/yy puts the month first: {day:02d}/{month:02d}/{year % 100:02d}")
    raise DateError(f"{text} is not a real date", "check the month and day")


def issue_date(text: str) -> dt.date:
    """A date given as YYYY-MM-DD or mm/dd/yy; :class:`DateError` (as from
    :func:`short_date`) otherwise."""
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        year, month, day = (int(part) for part in text.split("-"))
        return _real_date(text, year, month, day)
    return short_date(text)


# ---- checking -------------------------------------------------------------------------

_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


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


def _formula_problem(number: int, column: Column, start: str) -> Problem:
    shown = {"\t": "a tab", "\r": "a carriage return"}.get(start, repr(start))
    fix = ("prefix it with an apostrophe (') or build the file with mcsim badges build"
           if column.kind == "text" else f"remove the leading {shown}")
    return Problem(number, column.name, f"starts with {shown}, so a spreadsheet would run "
                   "it as a formula", fix)


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
        column, value = _BY_NAME[name], cell.strip()
        if cell.startswith(FORMULA_STARTS):
            problems.append(_formula_problem(number, column, cell[0]))
        elif not value:
            if column.required:
                problems.append(Problem(number, name, "blank, but required",
                                        "fill it in; Credly needs it for every badge"))
        elif column.kind == "date":
            try:
                dates[name] = short_date(value)
            except DateError as error:
                problems.append(Problem(number, name, error.problem, error.fix))
        elif problem := _value_problem(column, value):
            problems.append(Problem(number, name, *problem))
    if EXPIRES in dates and ISSUED in dates and dates[EXPIRES] < dates[ISSUED]:
        problems.append(Problem(number, EXPIRES, f"{dates[EXPIRES]:%m/%d/%y} is before the "
                                f"issue date {dates[ISSUED]:%m/%d/%y}", "give a later "
                                "expiration date, or leave it blank"))
    return problems


def _value_problem(column: Column, value: str) -> tuple[str, str] | None:
    """(problem, fix) for a non-blank, non-date cell, or None."""
    if column.kind == "template":
        return template_id_problem(value)
    if column.kind == "country":
        return country_problem(value)
    if column.kind == "email" and not _EMAIL.fullmatch(value):
        return (f"{value!r} is not an email address",
                "write one address as name@domain, e.g. ana.lima@example.edu, with no spaces")
    if column.kind == "url" and not value.lower().startswith(("http://", "https://")):
        return (f"{value!r} does not start with http:// or https://",
                f"write the full address, e.g. https://{value.split('://')[-1]}")
    if column.max_chars is not None and len(value) > column.max_chars:
        return (f"{len(value)} characters; Credly allows at most {column.max_chars}",
                "shorten it, or link to the evidence with Evidence URL")
    return None


EXAMPLE_TEMPLATE_ID = "3f2a9c1e-5b7d-4e8a-9c0f-1a2b3c4d5e6f"


def template_id_problem(value: str) -> tuple[str, str] | None:
    """(problem, fix) when ``value`` is not a Badge Template ID as Credly writes them (a UUID,
    8-4-4-4-12 hex digits, any case), else None. Whether the ID exists and is available to
    the issuer only Credly can tell."""
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        canonical = None
    # uuid.UUID also takes braces, "urn:uuid:", no hyphens or hyphens anywhere: not Credly's
    if canonical == value.lower():
        return None
    return (f"{value!r} is not a Credly Badge Template ID (they look like "
            f"{EXAMPLE_TEMPLATE_ID})", "copy it from the template's page in Credly")


# Names often written for a country whose ISO 3166 name differs too much for a close match:
# suggestions only (Credly's own list is not published), each to an ISO alpha-2 code.
COUNTRY_ALIASES = {
    "russia": "RU", "turkey": "TR", "uk": "GB", "britain": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "holland": "NL", "ivory coast": "CI", "cape verde": "CV", "swaziland": "SZ",
    "burma": "MM", "vatican": "VA", "vatican city": "VA", "brunei": "BN", "macau": "MO",
    "east timor": "TL", "dr congo": "CD", "drc": "CD",
    "democratic republic of the congo": "CD", "republic of the congo": "CG",
}


@functools.cache
def country_problem(value: str) -> tuple[str, str] | None:
    """(problem, fix) when ``value`` is not an ISO 3166-1 country name, official name, common
    name, or alpha-2 or alpha-3 code (any case), else None; the fix names the closest
    country when one is close."""
    import pycountry  # loads a large database: only when a Country cell is filled in

    countries = pycountry.countries
    problem = f"{value!r} is not a country name or code in ISO 3166"
    if value.isdigit():  # lookup also takes ISO's numeric codes, which Credly does not name
        code = next((country.alpha_2 for country in countries
                     if country.numeric == value.zfill(3)), None)
        if code is not None:
            problem = f"{value!r} is a numeric ISO country code, not a name or letter code"
    else:
        try:
            countries.lookup(value)
            return None
        except LookupError:
            pass
        code = COUNTRY_ALIASES.get(value.casefold())
        if code is None:
            close = difflib.get_close_matches(value.casefold(), _country_names(), n=1,
                                              cutoff=0.8)
            code = _country_names()[close[0]] if close else None
    if code is None:
        return problem, "write its name, e.g. United States, or its two-letter ISO code, e.g. US"
    country = countries.get(alpha_2=code)
    name = getattr(country, "common_name", country.name)
    return problem, (f"did you mean {name!r}? write its name, e.g. {name}, or its two-letter "
                     f"ISO code, e.g. {code}")


@functools.cache
def _country_names() -> dict[str, str]:
    """Every ISO 3166-1 name, official name and common name, case-folded, to its alpha-2
    code, and the :data:`COUNTRY_ALIASES`."""
    import pycountry

    names = dict(COUNTRY_ALIASES)
    for country in pycountry.countries:
        for field in ("name", "official_name", "common_name"):
            if text := getattr(country, field, None):
                names[text.casefold()] = country.alpha_2
    return names


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


def neutralise(value: str) -> str:
    """``value`` without surrounding spaces, prefixed with ' when a spreadsheet would run it
    as a formula."""
    value = value.strip()
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def build_upload(roster: Path, template_id: str, issued_at: dt.date) -> Upload:
    """Upload rows from a roster (.csv or .xlsx with email, first_name, last_name and
    optionally middle_name, earner_id): trimmed, emails lower-cased, formula-like text
    neutralised; :class:`InputError` for a malformed ``template_id`` (before the roster is
    read); :class:`RosterError` listing every problem of the roster."""
    if problem := template_id_problem(template_id):
        raise InputError("mcsim: --template-id: {}; {}".format(*problem))
    sheet = read_sheet(roster)
    if sheet.encoding_problem:
        raise RosterError(roster, [sheet.encoding_problem])
    rows = sheet.rows
    if all(_blank(row) for row in rows):
        raise RosterError(roster, [Problem(None, None, "the roster is blank", "write a header "
                                           "row (email, first_name, last_name) and one row "
                                           "per earner")])
    keys = [_roster_key(cell) for cell in rows[0]]
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


def _roster_record(row: list[str], positions: dict[str, int]) -> tuple[dict[str, str], list]:
    """One roster row as upload cells by template column name, and the roster columns
    whose cell was neutralised."""
    values, changed = {}, []
    for name, index in positions.items():
        cell = row[index].strip() if index < len(row) else ""
        target = ROSTER_COLUMNS[name]
        if _BY_NAME[target].kind == "email":
            values[target] = cell.lower()
            continue
        values[target] = neutralise(cell)
        if cell.startswith(FORMULA_STARTS):
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


def write_upload(path: Path, rows: list[list[str]]) -> None:
    """Write the header and ``rows`` to ``path`` atomically as UTF-8 CSV, with the byte
    order mark Excel's "CSV UTF-8" writes so that Excel shows accents correctly."""
    from simlib.files import write_atomic

    def write(stream) -> None:
        stream.write("\ufeff")
        csv.writer(stream).writerows([list(HEADER), *rows])

    write_atomic(path, write)
