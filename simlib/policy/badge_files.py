"""The Credly bulk-issue file format: its columns, reading a CSV or xlsx file into cells,
dates, what each cell may hold, and writing an upload file. :mod:`simlib.policy.badges`
checks whole files and builds them from a roster on top of this.

The columns are those of Credly's bulk-issue CSV template (docs/sources.md, "Credly bulk
issue files"): five required (Badge Template ID, Recipient Email, First Name, Last Name,
Issued at date in columns A, B, C, E, F; column D is taken to be the optional Middle Name),
then the optional ones. Credly says headers change from time to time: when an upload is
refused for its headers, compare with a freshly downloaded template.

Dates are mm/dd/yy, as Credly requires, so only 2000-2099 can be written: any other year is
refused, never written with the wrong century. Reading a file is
:mod:`simlib.policy.badge_sheets`.

Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import DateError
from simlib.formats.cells import (  # noqa: F401 (the badge modules read them from here)
    FORMULA_STARTS,
    SEPARATORS,
    formula_start,
    neutralise,
)

TEMPLATE_ID, EMAIL, ISSUED, EXPIRES, EARNER_ID = (
    "Badge Template ID", "Recipient Email", "Issued at date", "Expiration Date",
    "Issuer Earner ID")
MAX_BADGES = 5000  # Credly's limit per upload
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
        found = dt.date(year, month, day)
    except ValueError:
        found = None
    if found is not None:
        return check_century(found, text)
    if month > 12 >= day:
        raise DateError(f"{text} is not a real date (month {month})",
                        f"mm/dd/yy puts the month first: {day:02d}/{month:02d}/{year % 100:02d}")
    raise DateError(f"{text} is not a real date", "check the month and day")


def check_century(day: dt.date, text: str | None = None) -> dt.date:
    """``day`` if mm/dd/yy can say it (years 2000-2099, as Credly reads two digits); else
    :class:`DateError` naming the year (a date written with the wrong century would be
    read back a hundred years off)."""
    if 2000 <= day.year <= 2099:
        return day
    shown = text or day.isoformat()
    raise DateError(f"{shown} is in {day.year}, which mm/dd/yy cannot say (Credly reads "
                    f"{day:%m/%d/%y} as {day.month:02d}/{day.day:02d}/20{day:%y})",
                    "give a date in 2000-2099")


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
    """The problem of a cell in spreadsheet row ``number`` that :func:`formula_start` finds
    ``start`` in; the fix depends on whether ``column`` holds text."""
    names = {"\t": "a tab", "\r": "a carriage return", "\n": "a line break"}
    if len(start) == 1:
        shown = names.get(start, repr(start))
        problem = f"starts with {shown}, so a spreadsheet would run it as a formula"
        remove = f"remove the leading {shown}"
    else:
        separator = names.get(start[0], repr(start[0]))
        problem = (f"has {start[-1]!r} after {separator}: a spreadsheet that splits cells at "
                   f"{separator} would run the rest as a formula")
        remove = f"remove the {start[-1]!r} or the {separator} before it"
    fix = ("prefix it with an apostrophe (') or build the file with mcsim badges build"
           if column.kind == "text" else remove)
    return Problem(number, column.name, problem, fix)


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


def csv_cell(value: str) -> str:
    """``value`` as one CSV field: in double quotes (inner quotes doubled) when it holds a
    quote, a line break or any separator a spreadsheet might split on (``,`` ``;`` tab), so
    that a reader using ``;`` or tabs keeps it one cell."""
    if any(mark in value for mark in ('"', *SEPARATORS)):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_upload(path: Path, rows: list[list[str]]) -> None:
    """Write the header and ``rows`` to ``path`` atomically as UTF-8 CSV (CRLF line ends,
    fields quoted by :func:`csv_cell`), with the byte order mark Excel's "CSV UTF-8" writes
    so that Excel shows accents correctly."""
    from simlib.formats.files import write_atomic

    def write(stream) -> None:
        stream.write("\ufeff")
        for row in [list(HEADER), *rows]:
            stream.write(",".join(csv_cell(cell) for cell in row) + "\r\n")

    write_atomic(path, write)
