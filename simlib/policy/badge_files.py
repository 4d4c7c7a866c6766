"""The Credly bulk-issue file format: its columns, reading a CSV or xlsx file into cells,
dates, what each cell may hold, and writing an upload file. :mod:`simlib.policy.badges`
checks whole files and builds them from a roster on top of this.

The columns are those of Credly's bulk-issue CSV template (docs/sources.md, "Credly bulk
issue files"): five required (Badge Template ID, Recipient Email, First Name, Last Name,
Issued at date in columns A, B, C, E, F; column D is taken to be the optional Middle Name),
then the optional ones. Credly says headers change from time to time: when an upload is
refused for its headers, compare with a freshly downloaded template.

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
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import DateError, InputError

TEMPLATE_ID, EMAIL, ISSUED, EXPIRES, EARNER_ID = (
    "Badge Template ID", "Recipient Email", "Issued at date", "Expiration Date",
    "Issuer Earner ID")
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
COLUMNS_BY_NAME = {column.name: column for column in COLUMNS}


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
class Sheet:
    """The cells of a CSV or the first worksheet of an xlsx file, as text, and the problem
    of a CSV that is not UTF-8 (then decoded as Windows-1252 so the rest can be checked)."""

    rows: list[list[str]]
    encoding_problem: Problem | None = None


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


# ---- cells ----------------------------------------------------------------------------

EMAIL_ADDRESS = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def formula_problem(number: int, column: Column, start: str) -> Problem:
    """The problem of a cell in spreadsheet row ``number`` that begins with ``start``, one
    of :data:`FORMULA_STARTS`; the fix depends on whether ``column`` holds text."""
    shown = {"\t": "a tab", "\r": "a carriage return"}.get(start, repr(start))
    fix = ("prefix it with an apostrophe (') or build the file with mcsim badges build"
           if column.kind == "text" else f"remove the leading {shown}")
    return Problem(number, column.name, f"starts with {shown}, so a spreadsheet would run "
                   "it as a formula", fix)


def value_problem(column: Column, value: str) -> tuple[str, str] | None:
    """(problem, fix) for a non-blank, non-date cell, or None."""
    if column.kind == "template":
        return template_id_problem(value)
    if column.kind == "country":
        return country_problem(value)
    if column.kind == "email" and not EMAIL_ADDRESS.fullmatch(value):
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


# ---- writing --------------------------------------------------------------------------


def write_upload(path: Path, rows: list[list[str]]) -> None:
    """Write the header and ``rows`` to ``path`` atomically as UTF-8 CSV, with the byte
    order mark Excel's "CSV UTF-8" writes so that Excel shows accents correctly."""
    from simlib.formats.files import write_atomic

    def write(stream) -> None:
        stream.write("\ufeff")
        csv.writer(stream).writerows([list(HEADER), *rows])

    write_atomic(path, write)
