"""Reader words in one place: how pathways, the parts of a proposal's time, numbers, days,
ranges, changes, shares, plurals and dates read, and the plain sentences about a comparison
or a planned proposal.

The other layers compute and name their outputs (column names, JSON keys, verdicts); this
module says them to people, with one set of rules for every report page: whole days, never
"-0" ("0"), a range whose ends round alike said once ("about 170"), a difference that rounds
to nothing said as "no change", shares as percentages, and "1 day" but "2 days". It imports
nothing from simlib at run time, so any layer's presentation code may use it cheaply (the
policy's rules table does).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simlib.experiments.compare import Comparison
    from simlib.planning.deadlines import Plan

PATHWAY_WORDS = {"credit": "credit-bearing", "noncredit": "non-credit"}
BREAKDOWN_WORDS = {  # simlib.metrics.calendar.BREAKDOWN_COLUMNS, as readers read them
    "queue_wait_days": "waiting for a reviewer",
    "review_days": "under review",
    "meeting_wait_days": "waiting for a meeting",
    "closed_days": "summer recess and holidays",
    "rework_days": "revising (proposer)",
}
MISSING = "n/a"
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


def step_words(label: str, step: str, body: str) -> str:
    """One name for a step of a route, the same in every chart and table: the body's label,
    with what the step's own name adds when a route visits the body twice
    ("Office of Workforce Development (final)" for step ``owd_final`` of body ``owd``)."""
    if not step or step == body:
        return label
    extra = step[len(body) + 1:] if step.startswith(f"{body}_") else step
    return f"{label} ({extra.replace('_', ' ')})"


# --- numbers -------------------------------------------------------------------------------


def _finite(*values: float | None) -> bool:
    return all(value is not None and math.isfinite(value) for value in values)


def _rounded(value: float, decimals: int = 0) -> float:
    """``value`` rounded, with -0 made 0 (so it never reads "-0")."""
    return round(value, decimals) + 0.0


def fixed(value: float | None, decimals: int = 0) -> str:
    """``value`` with ``decimals`` decimals, never "-0" or "-0.0"; "n/a" when missing."""
    if not _finite(value):
        return MISSING
    return f"{_rounded(value, decimals):.{decimals}f}"


def whole(value: float | None, commas: bool = False) -> str:
    """A whole number ("170", "8,114" with ``commas``), never "-0"; "n/a" when missing."""
    if not _finite(value):
        return MISSING
    return f"{_rounded(value):,.0f}" if commas else fixed(value)


def number(value: float | None) -> str:
    """A measured or assumed number at a sensible precision: whole from 100 ("1,200"), three
    significant digits below ("15.7", "2.55", "0.124"), no trailing zeros ("13", not
    "13.0"), never "-0"."""
    if not _finite(value):
        return MISSING
    if abs(value) >= 99.5:
        return whole(value, commas=True)
    text = f"{_rounded(value, 12):.3g}"
    if "e" in text:  # tiny numbers: 0.000123
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0", "") else text


def signed(value: float | None, decimals: int = 0) -> str:
    """A difference with its sign ("+12", "-3"); "0" when it rounds to nothing."""
    text = fixed(value, decimals)
    if text == MISSING or float(text) == 0:
        return text.lstrip("-") if text != MISSING else text
    return text if text.startswith("-") else f"+{text}"


def percent(share: float | None, decimals: int = 0) -> str:
    """A share in [0, 1] as a percentage ("50%", "49.5%" with one decimal); "n/a"."""
    if not _finite(share):
        return MISSING
    return f"{fixed(100 * share, decimals)}%"


def plural(count: float, word: str) -> str:
    """"1 day", "2 days", "1 notebook", "0 changes" (``count`` is shown as :func:`number`)."""
    many = PLURALS.get(word, f"{word}s")
    shown = whole(count, commas=True) if float(count).is_integer() else number(count)
    return f"{shown} {word if shown in ('1', '-1') else many}"


def day_count(value: float | None) -> str:
    """Whole days with their unit: "1 day", "170 days"; "n/a"."""
    return MISSING if not _finite(value) else plural(_rounded(value), "day")


def days(value: float | None) -> str:
    """Whole days ("170"), or "n/a" for a missing value."""
    return whole(value)


def span(low: float | None, high: float | None, decimals: int = 0) -> str:
    """A range: "168 to 172"; "about 170" when both ends round alike; "n/a"."""
    if not _finite(low, high):
        return MISSING
    first, last = fixed(low, decimals), fixed(high, decimals)
    return f"about {first}" if first == last else f"{first} to {last}"


def interval(low: float | None, high: float | None) -> str:
    """A 95% interval in days ("95% CI 168 to 172"), or "no interval"."""
    return "no interval" if not _finite(low, high) else f"95% CI {span(low, high)}"


def change(difference: float | None, low: float | None = None, high: float | None = None,
           unit: str = "day", less: str = "shorter", more: str = "longer") -> str:
    """A difference (after minus before) in words, with its 95% interval when given:
    "53 days shorter (95% CI 50 to 56)", "about 1 day shorter" (when the interval's ends
    round alike), "no change" (when everything rounds to 0), "no clear change (95% CI
    3 days shorter to 1 day longer)"."""
    if not _finite(difference):
        return MISSING

    def side(value: float) -> str:
        return less if value < 0 else more

    rounded = _rounded(difference)
    if not _finite(low, high):
        if rounded == 0:
            return "no change"
        return f"{plural(abs(rounded), unit)} {side(rounded)}"
    lo, hi = sorted((_rounded(low), _rounded(high)))
    if lo == hi == 0 and rounded == 0:
        return "no change"
    if lo == hi:
        return f"about {plural(abs(lo), unit)} {side(lo)}"
    if lo < 0 < hi:
        return (f"no clear change (95% CI {plural(abs(lo), unit)} {less} to "
                f"{plural(hi, unit)} {more})")
    near, far = sorted((abs(lo), abs(hi)))
    direction = side(lo if hi <= 0 else hi)
    if rounded == 0:
        return f"under {plural(far, unit)} {direction} (95% CI {whole(near)} to {whole(far)})"
    return (f"{plural(abs(rounded), unit)} {direction} (95% CI {whole(near)} to "
            f"{whole(far)})")


def without_source(note: str) -> tuple[str, str]:
    """An assumption's note split into its words and the source in its last brackets:
    "credit rework after MC, days (sources.md: 1-3 weeks)" gives ("credit rework after
    MC, days", "sources.md: 1-3 weeks"); ("words", "") without brackets."""
    found = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", note)
    return (found[1], found[2]) if found and found[1] else (note, "")


# --- dates ---------------------------------------------------------------------------------


def long_date(day: dt.date) -> str:
    """"6 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """"6 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


# --- comparisons ---------------------------------------------------------------------------


def sentence(title: str, pathway: str, row: dict) -> str:
    """One plain sentence about the mean time to approval of ``pathway`` under the
    alternative titled ``title`` (``row``: a pathway entry of
    :meth:`~simlib.experiments.compare.Comparison.to_dict`, NaN as None)."""
    what = f"the {pathway_words(pathway)} mean time to approval"
    difference, (low, high) = row["mean_diff_days"], row["ci95"]
    if difference is None:
        return f"{title}: {what} cannot be compared (no approvals)."
    decimals = 0 if abs(difference) >= 10 else 1
    if low is None:
        return f"{title}: {what} changes by {fixed(difference, decimals)} days (no interval)."
    if row["verdict"] == "no clear change":
        return (f"{title}: no clear change in {what} ({signed(difference, decimals)} days, "
                f"95% CI {fixed(low, decimals)} to {fixed(high, decimals)}).")
    verb = "falls" if difference < 0 else "rises"
    near, far = sorted((abs(low), abs(high)))
    return (f"{title}: {what} {verb} by {fixed(abs(difference), decimals)} days "
            f"(95% CI {fixed(near, decimals)} to {fixed(far, decimals)}), "
            f"from {whole(row['base_mean_days'])} to {whole(row['alt_mean_days'])} days"
            f"{unknowns_clause(row, decimals)}.")


def unknowns_clause(row: dict, decimals: int) -> str:
    """"; with what we don't know, it saves 18 to 37 days, faster with 99% probability"
    for a difference run over posterior draws (else "")."""
    bounds = row.get("difference_predictive95")
    if not bounds or bounds[0] is None or row.get("p_shorter") is None:
        return ""
    low, high = bounds
    if high < 0:
        span = f"saves {fixed(-high, decimals)} to {fixed(-low, decimals)} days"
    elif low > 0:
        span = f"adds {fixed(low, decimals)} to {fixed(high, decimals)} days"
    else:
        span = f"anywhere from {signed(low, decimals)} to {signed(high, decimals)} days"
    chance = row["p_shorter"]
    shown = (">99%" if chance > 0.995 else "<1%" if chance < 0.005 else f"{100 * chance:.0f}%")
    return f"; with what we don't know, it {span}, faster with {shown} probability"


def with_sentences(summary: dict) -> dict:
    """A comparison's JSON dict (:meth:`Comparison.to_dict`) with ``sentence`` added last to
    every pathway entry of every alternative (changed in place and returned)."""
    for name, entry in summary["alternatives"].items():
        for pathway, row in entry["pathways"].items():
            row["sentence"] = sentence(entry["title"] or name, pathway, row)
    return summary


def summary_sentences(summary: dict) -> list[str]:
    """One plain sentence per alternative and pathway of a comparison's JSON dict."""
    return [sentence(entry["title"] or name, pathway, row)
            for name, entry in summary["alternatives"].items()
            for pathway, row in entry["pathways"].items()]


def comparison_sentences(comparison: Comparison) -> list[str]:
    """One plain sentence per alternative and pathway of ``comparison``, for reports."""
    return summary_sentences(comparison.to_dict())


# --- planning ------------------------------------------------------------------------------


def proposal_words(plan: Plan) -> str:
    """The proposal planned for, in words: "an undergraduate credit-bearing proposal"."""
    words = " ".join(filter(None, (plan.level, pathway_words(plan.pathway))))
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words} proposal"


def assumption_value(path: str, value: float) -> str:
    """A scenario value as readers read it: a chance (a path ending ``.p``) as a percentage
    ("30%"), any other number at :func:`number`'s precision."""
    return percent(value) if path.endswith(".p") else number(value)


# --- studies -------------------------------------------------------------------------------


def demand_words(factor: float) -> str:
    """"today's submissions" at 1x, else "3x today's submissions"."""
    return "today's submissions" if factor == 1 else f"{factor:g}x today's submissions"


def amount(value: float, label: str) -> str:
    """"1 reviewer", "2 reviewers", "1 week between meetings" (``label``: the plural)."""
    first, _, rest = label.partition(" ")
    if value == 1 and first.endswith("s"):
        first = first[:-1]
    return " ".join(filter(None, (f"{value:g}", first, rest)))


# --- what we don't know --------------------------------------------------------------------


def chance(share: float | None) -> str:
    """A probability for a table: "85%", ">99%", "<1%"; "n/a"."""
    if not _finite(share):
        return MISSING
    return ">99%" if share > 0.995 else "<1%" if share < 0.005 else percent(share)


def range_change(low: float | None, high: float | None, unit: str = "day") -> str:
    """A difference's 95% range (after minus before) in words: "18 to 37 days shorter",
    "3 to 9 days longer", "about 5 days shorter", "5 days shorter to 3 days longer"."""
    if not _finite(low, high):
        return MISSING
    lo, hi = sorted((_rounded(low), _rounded(high)))
    if lo == hi == 0:
        return "no change"
    if lo < 0 < hi:
        return f"{plural(-lo, unit)} shorter to {plural(hi, unit)} longer"
    near, far = sorted((abs(lo), abs(hi)))
    side = "shorter" if hi <= 0 else "longer"
    if near == far:
        return f"about {plural(far, unit)} {side}"
    return f"{whole(near)} to {plural(far, unit)} {side}"


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
