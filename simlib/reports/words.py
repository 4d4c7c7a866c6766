"""Report wording: the parts of a proposal's time, the steps of a route, assumption notes,
and the plain sentences about a comparison, a planned proposal, a demand study and a
governance frontier.

The other layers compute and name their outputs (column names, JSON keys, verdicts); this
module says them to people. The generic formats it builds on (numbers, days, shares,
ranges, changes, plurals, dates, pathway names; never "-0") are the ground floor's, in
:mod:`simlib.formats.words`. It imports nothing else from simlib at run time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from simlib.formats.words import (
    chance,
    change,
    days,
    fixed,
    number,
    pathway_words,
    percent,
    plural,
    signed,
    times,
    whole,
)

if TYPE_CHECKING:
    from simlib.experiments.compare import Comparison
    from simlib.planning.deadlines import Plan



class Markdown(str):
    """Text that a notebook shows as Markdown when a cell ends with it (no IPython needed)."""

    def _repr_markdown_(self) -> str:
        return str(self)


BREAKDOWN_WORDS = {  # simlib.metrics.calendar.BREAKDOWN_COLUMNS, as readers read them
    "queue_wait_days": "waiting for a reviewer",
    "review_days": "under review",
    "meeting_wait_days": "waiting for a meeting",
    "closed_days": "summer recess and holidays",
    "rework_days": "revising (proposer)",
}


HOURS_WORDS = {  # simlib.metrics.summary.HOURS, as readers read them
    "faculty": "faculty (committees)",
    "faculty_outside_terms": "faculty outside terms",
    "staff": "staff (offices)",
    "total": "total",
}


MILESTONE_WORDS = {  # simlib.metrics.events.MILESTONES: what is reached, counted from when
    "badge_days": ("badge live", "after approval"),
    "offering_days": ("first offering starts", "after submission"),
    "first_badge_days": ("first badges issued", "after submission"),
}


JOURNEY_WORDS = {  # simlib.metrics.events.JOURNEY: each milestone, counted from submission
    "cycle_days": "approved",
    "badge_live_days": MILESTONE_WORDS["badge_days"][0],
    "offering_days": MILESTONE_WORDS["offering_days"][0],
    "first_badge_days": MILESTONE_WORDS["first_badge_days"][0],
}


# --- steps ---------------------------------------------------------------------------------


def step_words(label: str, step: str, body: str) -> str:
    """One name for a step of a route, the same in every chart and table: the body's label,
    with what the step's own name adds when a route visits the body twice
    ("Office of Workforce Development (final)" for step ``owd_final`` of body ``owd``)."""
    if not step or step == body:
        return label
    extra = step[len(body) + 1:] if step.startswith(f"{body}_") else step
    return f"{label} ({extra.replace('_', ' ')})"


# --- notes ---------------------------------------------------------------------------------


def condition_words(condition: dict) -> str:
    """A step's or rule's condition in words: "size minor, resubmissions (round 1 on)"."""
    parts = []
    for key, value in condition.items():
        if key == "round_at_least":
            parts.append(f"resubmissions (round {value} on)" if value else "every round")
        else:
            parts.append(f"{key} {'/'.join([value] if isinstance(value, str) else value)}")
    return ", ".join(parts)


def without_source(note: str) -> tuple[str, str]:
    """An assumption's note split into its words and the source in its last brackets:
    "credit rework after MC, days (sources.md: 1-3 weeks)" gives ("credit rework after
    MC, days", "sources.md: 1-3 weeks"); ("words", "") without brackets."""
    found = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*", note)
    return (found[1], found[2]) if found and found[1] else (note, "")


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
    ("adds ...", "changes the mean by -8.0 to +1.2 days" when the range spans no change)
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
        span = (f"changes the mean by {signed(low, decimals)} to {signed(high, decimals)} "
                "days")
    return (f"; with what we don't know, it {span}, faster with {chance(row['p_shorter'])} "
            "probability")


def with_sentences(summary: dict) -> dict:
    """A comparison's JSON dict (:meth:`Comparison.to_dict`) with ``sentence`` added last to
    every pathway entry of every alternative and, where hours are priced, to each pathway's
    ``hours.trade`` entry (:func:`price_sentence`); changed in place and returned."""
    for name, entry in summary["alternatives"].items():
        title, hours = entry["title"] or name, entry.get("hours", {})
        for pathway, row in entry["pathways"].items():
            row["sentence"] = sentence(title, pathway, row)
            if hours.get("priced"):
                hours["trade"][pathway]["sentence"] = price_sentence(title, pathway, row, hours)
    return summary


def summary_sentences(summary: dict) -> list[str]:
    """One plain sentence per alternative and pathway of a comparison's JSON dict, then
    one on each priced alternative's days against its hours (:func:`price_sentences`)."""
    return [*(sentence(entry["title"] or name, pathway, row)
              for name, entry in summary["alternatives"].items()
              for pathway, row in entry["pathways"].items()),
            *price_sentences(summary)]


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
    return "today's submissions" if factor == 1 else f"{times(factor)} today's submissions"


# --- prices in hours -----------------------------------------------------------------------

TRADE_WORDS = {  # simlib.experiments.price.TRADES' readings, as readers read them
    "costs_hours_saves_days": "costs hours, saves days",
    "costs_both": "costs hours and days",
    "costs_hours": "costs hours; no clear change in days",
    "saves_both": "saves both",
    "frees_hours_costs_days": "frees hours, costs days",
    "frees_hours": "frees hours; no clear change in days",
    "no_clear_hours_change": "no clear change in faculty hours",
}


def hours_words(hours: dict) -> str:
    """What a what-if does to faculty hours, as a verb phrase, from its comparison's
    ``hours`` entry: "costs 310 faculty hours a year (250 of them outside terms)", "costs 32
    faculty hours a year net (103 more outside terms, 71 fewer in term)", "frees 40 faculty
    hours a year", "makes no clear change in faculty hours a year (95% CI -5 to +11)"; ""
    when no body has hours."""
    if not hours.get("priced"):
        return ""
    faculty, outside = hours["faculty_per_year"], hours["faculty_outside_terms_per_year"]
    if faculty["verdict"] not in ("more", "fewer"):
        low, high = faculty["ci95"]
        bounds = "" if low is None else f" (95% CI {signed(low)} to {signed(high)})"
        return f"makes no clear change in faculty hours a year{bounds}"
    verb = "costs" if faculty["verdict"] == "more" else "frees"
    change, away = faculty["change"], outside["change"]
    text = f"{verb} {plural(round(abs(change)), 'faculty hour')} a year"
    if outside["verdict"] not in ("more", "fewer") or round(abs(away)) == 0:
        return text
    if outside["verdict"] == faculty["verdict"] and abs(away) <= abs(change):
        return text + f" ({whole(abs(away), commas=True)} of them outside terms)"
    in_term = change - away
    return (text + f" net ({whole(abs(away), commas=True)} {_more(away)} outside terms, "
            f"{whole(abs(in_term), commas=True)} {_more(in_term)} in term)")


def _more(change: float) -> str:
    """"more" or "fewer" hours."""
    return "more" if change > 0 else "fewer"


def saving_words(row: dict, pathway: str) -> str:
    """What a what-if does to ``pathway``'s mean days (a pathway row of a comparison's
    JSON): "saves 53 days on the credit-bearing mean", "adds 4.5 days to ...", "saves under
    0.1 days on ..." (a clear change too small to show), "makes no clear change in the ...
    mean"."""
    what, difference = f"the {pathway_words(pathway)} mean", row["mean_diff_days"]
    if difference is None:
        return f"cannot change {what} (no approvals)"
    amount = (f"{fixed(abs(difference), 0 if abs(difference) >= 10 else 1)} days"
              if abs(difference) >= 0.05 else "under 0.1 days")
    if row["verdict"] == "shorter":
        return f"saves {amount} on {what}"
    if row["verdict"] == "longer":
        return f"adds {amount} to {what}"
    return f"makes no clear change in {what}"


def price_sentence(title: str, pathway: str, row: dict, hours: dict) -> str:
    """One plain sentence weighing the days a what-if titled ``title`` saves on
    ``pathway`` (``row``: its pathway row) against the faculty hours it costs or frees
    (``hours``: its priced ``hours`` entry): "Summer meetings: saves 53 days on the
    credit-bearing mean and costs 310 faculty hours a year (310 of them outside terms):
    17 days saved per 100 faculty hours."."""
    trade, days, price = hours["trade"][pathway], saving_words(row, pathway), hours_words(hours)
    if trade["reading"] == "no_clear_hours_change":
        return f"{title}: {days}; it {price}."
    tail = {"saves_both": ": it saves both",
            "costs_hours_saves_days": f": {number(trade['days_saved_per_100_faculty_hours'])}"
                                      " days saved per 100 faculty hours"}
    joined = " and " if row["verdict"] in ("shorter", "longer") else ", and it "
    return f"{title}: {days}{joined}{price}{tail.get(trade['reading'], '')}."


def price_sentences(summary: dict) -> list[str]:
    """One :func:`price_sentence` per priced alternative and pathway of a comparison's
    JSON dict."""
    return [price_sentence(entry["title"] or name, pathway, row, entry["hours"])
            for name, entry in summary["alternatives"].items()
            if entry.get("hours", {}).get("priced")
            for pathway, row in entry["pathways"].items()]


# --- the frontier --------------------------------------------------------------------------

TODAY = "today (no change)"  # the configuration that changes nothing


def changes_words(item: dict) -> str:
    """A frontier point's changes from today as its label ("MC e-votes + senate at once"),
    from its JSON dict (:meth:`~simlib.optimize.Frontier.describe`); :data:`TODAY`."""
    return " + ".join(item["changes"].values()) or TODAY


def lever_days(lever: dict) -> str:
    """What a lever does to the days, with its 95% CI: "29 days sooner (95% CI 27 to 31)",
    "0.4 days sooner (95% CI 0.1 to 0.7)" under half a day, "no clear change (...)" (a
    lever's JSON dict)."""
    saved = lever["days_saved"]
    low, high = saved["ci95"]
    if lever["kind"] != "no_gain" and abs(saved["value"]) < 0.5:
        return (f"{fixed(saved['value'], 1)} days sooner (95% CI {fixed(low, 1)} to "
                f"{fixed(high, 1)})")
    return change(-saved["value"], -high, -low, less="sooner", more="later")


def lever_hours(lever: dict) -> str:
    """What a lever does to the faculty hours a year: "124 more faculty hours a year",
    "6 fewer faculty hours a year", "no change in faculty hours"."""
    extra = lever["extra_faculty_hours"]["value"]
    if days(extra) == "0":
        return "no change in faculty hours"
    return f"{days(abs(extra))} {'more' if extra > 0 else 'fewer'} faculty hours a year"


def per_hundred_hours(days_per_hour: float | None, missing: str = "n/a") -> str:
    """Days per 100 faculty hours a year, one decimal ("33.9"); ``missing`` for None."""
    return missing if days_per_hour is None else fixed(100 * days_per_hour, 1)



def forecast_date_word(row: dict, key: str, shown) -> str:
    """The cell of ``key`` (``median_date``, ``p90_date``, ``badge_median_date``, ...) of a
    forecast table's ``row`` (:meth:`simlib.planning.forecast.Forecast.table`): its date
    ``shown`` (a function of the date); else "approved" for the approval of a proposal
    approved already, "live" for the badge of one live already, "-" for a badge date of a
    pathway without steps after approval, "later" when not reached in enough runs."""
    day = row[key]
    if day is not None and day == day:  # None, NaN and NaT are no date
        return shown(day)
    badge = key.startswith(("badge_", "first_badges_"))
    if not badge:
        return "later" if row["stage"] == "approval" else "approved"
    if not row["after_approval"]:
        return "-"
    return "live" if key.startswith("badge_") and row["stage"] == "badge_live" else "later"
