"""The text of ``mcsim plan``: the latest safe submission date in one sentence (with its
range over what we don't know, with draws), the run settings and the curve of the chance
of approval in time by submission date; and its submit-by dates as calendar items (the
same sentence describes each)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from simlib.formats.ics import DatedItem
from simlib.formats.printable import printable
from simlib.formats.words import BLANK, days, percent
from simlib.reports.console._table import MAX_CELL, text_table, uncertainty_lines
from simlib.reports.words import proposal_words

if TYPE_CHECKING:
    from simlib.answers import PlanAnswer
    from simlib.planning.deadlines import Plan


def range_sentence(result: Plan) -> str:
    """" Not knowing the parameters, the latest safe date lies between ... and ..." (with
    ``--uncertainty``; else "")."""
    if result.uncertainty is None:
        return ""
    lines = uncertainty_lines({"uncertainty": result.uncertainty})
    if result.latest_range is None:
        return (" Over what we don't know, too many draws have no safe date to give a "
                f"range.\n{lines[0]}")
    early, late = result.latest_range
    if result.uncertainty["fixed"]:
        return (f" With every parameter held at its value, luck alone moves the latest safe "
                f"date between {early} and {late}.\n{lines[0]}")
    return (f" Over what we don't know (the parameters' posterior), the latest safe date "
            f"lies between {early} and {late}; the date above already allows for it.\n"
            f"{lines[0]}")


# Per plan target (simlib.planning.deadlines.UNTIL): the goal before the launch, what reaching
# it is called, and the event's title's "for ...".
UNTIL_WORDS = {
    "approval": ("To be approved before {launch}", "approval", "approval",
                 "approval takes {median} days for half of such proposals and up to {p90} "
                 "for nine in ten"),
    "badge": ("To have the badge live before {launch}", "the badge live", "the badge live",
              "the badge is live after {median} days for half of such proposals and after up "
              "to {p90} for nine in ten"),
    "first-badge": ("To issue the first badges before {launch}", "the first badges",
                    "the first badges", "the first badges are issued after {median} days "
                    "for half of such proposals and after up to {p90} for nine in ten"),
}


def plan_sentence(result: Plan, launch: dt.date | None = None) -> str:
    """The answer for ``launch`` (default: the first) in one sentence: submit by when, and
    how long it then takes to reach the plan's target (approval, the badge live, the first
    badges) (for the first launch, with draws, and its range over what we don't know:
    :func:`range_sentence`)."""
    launch = result.launches[0] if launch is None else launch
    latest = result.latest_submission(launch)
    what = printable(proposal_words(result), None)
    goal, reached, _, takes = UNTIL_WORDS[result.until]
    if latest is None:
        return (f"No submission date in the {result.grid['months']} months before {launch} "
                f"gives {what} a {percent(result.confidence)} chance of {reached} in time.")
    median, p90 = result.cycle_days(latest, launch)
    sentence = (f"{goal.format(launch=launch)} with {percent(result.confidence)} "
                f"confidence, submit {what} by {latest} ({latest:%A}). From then, "
                f"{takes.format(median=days(median), p90=days(p90))}.")
    return sentence + (range_sentence(result) if launch == result.launches[0] else "")


def plan_events(answer: PlanAnswer) -> list[DatedItem]:
    """The answer's submit-by dates as calendar items (:mod:`simlib.formats.ics`): one per
    launch that has a latest safe date, titled "Submit by (90% confidence): ... for approval
    before <launch>" and described by :func:`plan_sentence`."""
    result = answer.plan
    what = printable(proposal_words(result), None)
    items = []
    for launch in result.launches:
        latest = result.latest_submission(launch)
        if latest is not None:
            title = (f"Submit by ({percent(result.confidence)} confidence): {what} for "
                     f"{UNTIL_WORDS[result.until][2]} before {launch}")
            seed = (f"mcsim plan {result.scenario.name} {result.pathway} {result.level} "
                    f"{launch} {result.confidence!r}"
                    + ("" if result.until == "approval" else f" {result.until}"))
            items.append(DatedItem(latest, title, plan_sentence(result, launch), seed))
    return items


def plan_text(answer: PlanAnswer) -> str:
    """The answer in one sentence, the run settings, then the curve as a table (a row a
    week, then a row a day near the answer; the latest safe date marked)."""
    result = answer.plan
    launch = result.launches[0]
    latest = result.latest_submission()
    sentence = plan_sentence(result)
    settings = (f"{printable(result.scenario.title or result.scenario.name, MAX_CELL)} "
                f"(scenario {printable(result.scenario.name)}); {result.replications} "
                "replications, seed "
                f"{result.seed}; probability of {UNTIL_WORDS[result.until][1]} before {launch} "
                "by submission date "
                f"(every Monday, and every day within {result.grid['daily_within']} days of the "
                "answer), "
                "with its 95% interval, and smoothed so that a later date never scores "
                "higher (the latest safe date uses the smoothed value)")
    rows = [[row.submitted.isoformat(), f"{row.submitted:%a}",
             percent(row.p_approved, missing=BLANK),
             f"{percent(row.ci95_low, missing=BLANK)} to {percent(row.ci95_high, missing=BLANK)}",
             percent(row.p_monotone, missing=BLANK),
             "<- latest safe date" if row.submitted == latest else ""]
            for row in result.curve().itertuples()]
    in_time = "approved in time" if result.until == "approval" else "reached in time"
    table = text_table(("submitted", "day", in_time, "95% CI", "smoothed", ""), rows)
    return f"{sentence}\n\n{settings}\n{table}\n"
