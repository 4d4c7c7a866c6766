"""Numbers, days, shares, ranges, changes, dates and pathway names as readers read them.

One formatter per job, used by every room that shows a figure to people (the CLI's tables,
the report pages, the policy's rules). The rules, the same everywhere:

- A value is rounded first, then shown; a value that rounds to zero reads "0" (or "0.0",
  "0%"), never "-0", "-0.0", "-0%", or "+0" where a sign would claim a direction.
- Rounding is Python's :func:`round`, as the f-string formats always did: to the nearest
  shown digit, a tie to the even one. So 0.5 and -0.5 both read "0", 1.5 and 2.5 read "2",
  and -2.5 reads "-2"; a decimal that binary floats cannot hold exactly rounds by the
  float's true value (0.15 is 0.1499..., one decimal "0.1").
- A missing value (``None``, NaN or an infinity) reads :data:`MISSING` ("n/a") in a
  sentence; a plain-text table passes ``missing=BLANK`` ("-").
- Days are calendar days; shares are fractions in [0, 1] shown as percentages.

Nothing here imports from simlib above the ground floor, so any room may use it.
"""

from __future__ import annotations

import datetime as dt
import math

from simlib.formats.numbers import shown

MISSING = "n/a"  # a missing value in a sentence or a report table
BLANK = "-"  # a missing value in a plain-text table cell
PATHWAY_WORDS = {"credit": "credit-bearing", "noncredit": "non-credit"}
PLURALS = {"day": "days", "run": "runs", "notebook": "notebooks", "report": "reports",
           "proposal": "proposals", "change": "changes", "reviewer": "reviewers",
           "week": "weeks", "month": "months", "year": "years", "member": "members",
           "assumption": "assumptions", "meeting": "meetings"}


# --- pathways ------------------------------------------------------------------------------


def pathway_words(pathway: str) -> str:
    """How a pathway reads in a sentence: "credit-bearing", "non-credit", or its name."""
    return PATHWAY_WORDS.get(pathway, pathway)


def pathway_title(pathway: str) -> str:
    """A pathway as a title or label: "Credit-bearing", "Non-credit", else its name."""
    words = PATHWAY_WORDS.get(pathway)
    return pathway if words is None else words[:1].upper() + words[1:]


# --- numbers -------------------------------------------------------------------------------


def _finite(*values: float | None) -> bool:
    return all(value is not None and math.isfinite(value) for value in values)


def _rounded(value: float, decimals: int = 0) -> float:
    """``value`` rounded to ``decimals`` decimals, with -0.0 made 0.0."""
    return round(value, decimals) + 0.0


def fixed(value: float | None, decimals: int = 0, missing: str = MISSING) -> str:
    """``value`` with exactly ``decimals`` decimals ("170", "2.5" with one), never "-0" or
    "-0.0"; ``missing`` when there is no value."""
    if not _finite(value):
        return missing
    return f"{_rounded(value, decimals):.{decimals}f}"


def days(value: float | None, decimals: int = 0, missing: str = MISSING) -> str:
    """A number of days without its unit: whole days by default ("170"), ``decimals`` for
    step times ("3.5"); never "-0"; ``missing`` when there is no value."""
    return fixed(value, decimals, missing)


def whole(value: float | None, commas: bool = False, missing: str = MISSING) -> str:
    """A whole number ("170", "8,114" with ``commas``), never "-0"; ``missing`` when there
    is no value."""
    if not _finite(value):
        return missing
    return f"{_rounded(value):,.0f}" if commas else fixed(value)


def number(value: float | None, missing: str = MISSING) -> str:
    """A measured or assumed number at a sensible precision: whole from 100 ("1,200"), three
    significant digits below ("15.7", "2.55", "0.124"), no trailing zeros ("13", not
    "13.0"), never "-0"; ``missing`` when there is no value."""
    if not _finite(value):
        return missing
    if abs(value) >= 99.5:
        return whole(value, commas=True)
    text = f"{_rounded(value, 12):.3g}"
    if "e" in text:  # tiny numbers: 0.000123
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0", "") else text


def significant(value: float | None, digits: int = 3, missing: str = MISSING) -> str:
    """``value`` to ``digits`` significant digits, without trailing zeros ("0.0412",
    "1.5", "1.23e+04" from 10**digits up), never "-0"; ``missing`` when there is no
    value."""
    if not _finite(value):
        return missing
    return f"{value + 0.0:.{digits}g}"


def signed(value: float | None, decimals: int = 0, missing: str = MISSING) -> str:
    """A difference with its sign ("+12", "-3", "+0.3" with one decimal); no sign when it
    rounds to nothing ("0", or "0.0" with one decimal); ``missing`` when there is none."""
    text = fixed(value, decimals, missing)
    if text == missing or float(text) == 0:
        return text
    return text if text.startswith("-") else f"+{text}"


def percent(share: float | None, decimals: int | None = 0, missing: str = MISSING) -> str:
    """A share in [0, 1] as a percentage ("50%", "49.5%" with one decimal), never "-0%";
    ``decimals=None``: whole unless its tenth shows ("85%", "85.5%"); ``missing`` when
    there is no value."""
    if not _finite(share):
        return missing
    if decimals is None:
        decimals = 0 if abs(100 * share - round(100 * share)) < 0.05 else 1
    return f"{fixed(100 * share, decimals)}%"


def points(difference: float | None, decimals: int = 1, missing: str = MISSING) -> str:
    """A difference between two shares in percentage points ("+1.5 points", "-0.3
    points", "0.0 points" when it rounds to nothing); ``missing`` when there is none."""
    if not _finite(difference):
        return missing
    return f"{signed(100 * difference, decimals)} points"


def chance(share: float | None, missing: str = MISSING) -> str:
    """A probability for a table: "85%", ">99%", "<1%"; ``missing`` when there is none."""
    if not _finite(share):
        return missing
    return ">99%" if share > 0.995 else "<1%" if share < 0.005 else percent(share)


def times(factor: float) -> str:
    """A multiplier: "3x", "1.5x"."""
    return f"{factor:g}x"


def plural(count: float, word: str, exact: bool = False) -> str:
    """"1 day", "2 days", "0 changes", "8,114 proposals": the count shown whole (with
    thousands commas) when it is a whole number, else as :func:`number` ("1.5 weeks");
    ``exact``: as given instead ("127.75 hours", for figures checked against a rule)."""
    many = PLURALS.get(word, f"{word}s")
    if exact:
        text = shown(count)
    else:
        text = whole(count, commas=True) if float(count).is_integer() else number(count)
    return f"{text} {word if text in ('1', '-1') else many}"


def day_count(value: float | None) -> str:
    """Whole days with their unit: "1 day", "170 days"; :data:`MISSING`."""
    return MISSING if not _finite(value) else plural(_rounded(value), "day")


DAYS_PER_MONTH = 365.25 / 12  # a month on average, in calendar days


def month_count(value: float | None) -> str:
    """Days as whole months: "14 months", "1 month" (to the nearest month of
    :data:`DAYS_PER_MONTH` days); :data:`MISSING`."""
    return MISSING if not _finite(value) else plural(_rounded(value / DAYS_PER_MONTH), "month")


def amount(value: float, label: str) -> str:
    """"1 reviewer", "2 reviewers", "1 week between meetings" (``label``: the plural)."""
    first, _, rest = label.partition(" ")
    if value == 1 and first.endswith("s"):
        first = first[:-1]
    return " ".join(filter(None, (f"{value:g}", first, rest)))


# --- ranges and changes --------------------------------------------------------------------


def span(low: float | None, high: float | None, decimals: int = 0) -> str:
    """A range: "168 to 172"; "about 170" when both ends round alike; :data:`MISSING`."""
    if not _finite(low, high):
        return MISSING
    first, last = fixed(low, decimals), fixed(high, decimals)
    return f"about {first}" if first == last else f"{first} to {last}"


def interval(low: float | None, high: float | None) -> str:
    """A 95% interval in days ("95% CI 168 to 172"), or "no interval"."""
    return "no interval" if not _finite(low, high) else f"95% CI {span(low, high)}"


def significant_span(low: float | None, high: float | None, digits: int = 3,
                     missing: str = MISSING) -> str:
    """A range with each end to ``digits`` significant digits ("0.0412 to 0.0733", "2.5 to
    14"); ``missing`` when either end is missing."""
    if not _finite(low, high):
        return missing
    return f"{significant(low, digits)} to {significant(high, digits)}"


def bracketed(low: float | None, high: float | None, decimals: int = 0,
              missing: str = MISSING) -> str:
    """An interval as a table cell: "[168, 172]", "[-3.2, 0.4]" with one decimal (never
    "-0"); ``missing`` when either end is missing."""
    if not _finite(low, high):
        return missing
    return f"[{fixed(low, decimals)}, {fixed(high, decimals)}]"


def change(difference: float | None, low: float | None = None, high: float | None = None,
           unit: str = "day", less: str = "shorter", more: str = "longer") -> str:
    """A difference (after minus before) in words, with its 95% interval when given:
    "53 days shorter (95% CI 50 to 56)", "about 1 day shorter" (when the interval's ends
    round alike), "no change" (when everything rounds to 0), "no clear change (95% CI
    3 days shorter to 1 day longer)"; :data:`MISSING`."""
    if not _finite(difference):
        return MISSING
    rounded = _rounded(difference)
    if not _finite(low, high):
        if rounded == 0:
            return "no change"
        return f"{plural(abs(rounded), unit)} {less if rounded < 0 else more}"
    lo, hi = sorted((_rounded(low), _rounded(high)))
    if lo == hi == 0 and rounded == 0:
        return "no change"
    if lo == hi:
        return f"about {plural(abs(lo), unit)} {less if lo < 0 else more}"
    if lo < 0 < hi:
        return (f"no clear change (95% CI {plural(abs(lo), unit)} {less} to "
                f"{plural(hi, unit)} {more})")
    near, far = sorted((abs(lo), abs(hi)))
    direction = less if hi <= 0 else more
    size = f"under {plural(far, unit)}" if rounded == 0 else plural(abs(rounded), unit)
    return f"{size} {direction} (95% CI {whole(near)} to {whole(far)})"


def range_change(low: float | None, high: float | None, unit: str = "day",
                 less: str = "shorter", more: str = "longer") -> str:
    """A difference's 95% range (after minus before) in words: "18 to 37 days shorter",
    "3 to 9 days longer", "about 5 days shorter", "5 days shorter to 3 days longer", "no
    change" (``less`` and ``more`` name the directions, e.g. "fewer" and "more" hours);
    :data:`MISSING`."""
    if not _finite(low, high):
        return MISSING
    lo, hi = sorted((_rounded(low), _rounded(high)))
    if lo == hi == 0:
        return "no change"
    if lo < 0 < hi:
        return f"{plural(-lo, unit)} {less} to {plural(hi, unit)} {more}"
    near, far = sorted((abs(lo), abs(hi)))
    side = less if hi <= 0 else more
    if near == far:
        return f"about {plural(far, unit)} {side}"
    return f"{whole(near)} to {plural(far, unit)} {side}"


# --- dates ---------------------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """"6 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """"6 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


def date_span(early: dt.date, late: dt.date) -> str:
    """Two dates as a range: "3 to 20 November 2026", "30 October to 20 November 2026",
    "20 December 2026 to 3 January 2027"; one date when they are the same day."""
    if early == late:
        return long_date(early)
    if (early.year, early.month) == (late.year, late.month):
        return f"{early.day} to {long_date(late)}"
    if early.year == late.year:
        return f"{early.day} {early:%B} to {long_date(late)}"
    return f"{long_date(early)} to {long_date(late)}"
