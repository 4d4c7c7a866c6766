"""Plain words and readable tables of the deadline planner and the pipeline forecast (see
:mod:`simlib.reports.summaries`, which also exports them)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from simlib.formats.words import days, long_date, pathway_title, percent, short_date
from simlib.metrics import events as metrics
from simlib.planning.deadlines import Plan, term_name
from simlib.planning.forecast import Forecast
from simlib.reports.notebooks import Markdown
from simlib.reports.readable import body_label, bullet_summary, labelled_by, shown_whole
from simlib.reports.unknowns_plan import plan_clause, plan_line
from simlib.reports.words import proposal_words
from simlib.scenario import Scenario


def launch_name(plan: Plan, launch: dt.date) -> str:
    """"Fall 2027" for a term start of the scenario's calendar, else the date."""
    firsts = {first for first, _ in getattr(plan.scenario.calendar, "terms", ())}
    return term_name(launch) if f"{launch:%m-%d}" in firsts else long_date(launch)


def _deadline_words(plan: Plan, latest: dt.date | None, style=short_date) -> str:
    """"by 6 Nov 2026", "too late: the deadline was 3 Apr 2026" (before ``plan.as_of``), or
    "no safe date"."""
    if latest is None:
        return "no safe date in the 18 months before"
    if plan.as_of is not None and latest < plan.as_of:
        return f"too late: the deadline was {style(latest)}"
    return f"by {style(latest)}"


def plan_summary(plan: Plan, unknowns: Plan | None = None) -> Markdown:
    """The executive summary of a deadline study: the latest safe submission date for the
    first launch, with its probability and time to approval (with ``unknowns``, the first
    launch planned over the posterior draws: the range of that date over what we don't
    know, and the date whose chance averaged over the draws is still the one wanted), then
    the other launches."""
    launch = plan.launches[0]
    table = plan.deadlines()
    latest = table["latest_submission"].iloc[0]
    wanted = percent(plan.confidence)
    if latest is None:
        lines = [f"**No submission date in the 18 months before {long_date(launch)} gives "
                 f"{proposal_words(plan)} a {wanted} chance of approval in time.**"]
    else:
        row = plan.curve(launch).set_index("submitted").loc[latest]
        median, p90 = plan.cycle_days(latest)
        lines = [f"**To launch on {long_date(launch)}, submit {proposal_words(plan)} by "
                 f"{long_date(latest)}** for a {wanted} chance of approval in time (estimated "
                 f"{percent(row['p_approved'])}, 95% CI {percent(row['ci95_low'])} to "
                 f"{percent(row['ci95_high'])}){plan_clause(unknowns)}. From then, half of such "
                 f"proposals are approved within {days(median)} days and nine in ten within "
                 f"{days(p90)}."]
    averaged = plan_line(unknowns)
    if averaged:
        lines.append(averaged)
    if latest is not None and plan.as_of is not None and latest < plan.as_of:
        reachable = table[table["latest_submission"].map(
            lambda day: day is not None and day >= plan.as_of)]
        lines.append(f"That date has passed (today is taken as {long_date(plan.as_of)})."
                     + (f" The first launch below still reachable with {wanted} confidence is "
                        f"{launch_name(plan, reachable['launch'].iloc[0])}."
                        if len(reachable) else ""))
    others = table.iloc[1:]
    if len(others):
        parts = [f"{launch_name(plan, row.launch)}: "
                 + _deadline_words(plan, row.latest_submission, long_date)
                 for row in others.itertuples()]
        lines.append("For the next terms: " + "; ".join(parts) + ".")
    lines.append(f"From {plan.replications} simulated runs, each with "
                 f"{plan.copies} test proposals on each date tried (every Monday, then every day "
                 "near the answer) alongside the usual "
                 "ones.")
    return bullet_summary(lines)


@labelled_by(1)
def deadline_table(plan: Plan) -> pd.DataFrame:
    """Per launch: when it is, the latest safe submission date, the chance of approval in
    time then (%), and the median and P90 days to approval from that date."""
    table = plan.deadlines()
    return pd.DataFrame({
        "To launch in": [launch_name(plan, launch) for launch in table["launch"]],
        "Launch date": [short_date(launch) for launch in table["launch"]],
        "Submit": [_deadline_words(plan, day) for day in table["latest_submission"]],
        "Chance in time": [percent(p) for p in table["p_approved"]],
        "Median days": table["median_days"].map(days),
        "P90 days": table["p90_days"].map(days),
    })


def forecast_table(result: Forecast | None) -> pd.DataFrame | Markdown:
    """Per proposal in progress: where it is, the chance it is approved at all, its median
    and P90 approval dates, and the chance of approval before each coming term (%); a note
    when no pipeline was given."""
    if result is None:
        return Markdown("No pipeline given: set `pipeline_csv` to a CSV of the proposals in "
                        "progress to forecast them.\n")
    table = result.table()
    readable = pd.DataFrame({
        "Proposal": table["id"],
        "Pathway": table["pathway"].map(pathway_title),
        "Now at": [body_label(result.scenario, body) for body in
                   _step_bodies(result.scenario, table["pathway"], table["current_step"])],
        "Approved at all": table["p_approved"].map(percent),
        "Median date": [short_date(day) if day else "later" for day in table["median_date"]],
        "P90 date": [short_date(day) if day else "later" for day in table["p90_date"]],
    })
    for term in result.terms:
        name = term_name(term)
        readable[f"By {name}"] = table[f"before {name}"].map(percent)
    return shown_whole(readable.set_index("Proposal"))


def _step_bodies(scenario: Scenario, pathways: pd.Series, steps: pd.Series) -> list[str]:
    """The body of each (pathway, step label)."""
    labels = metrics.step_labels(scenario).set_index(["pathway", "step"])["body"]
    return [labels[(pathway, step)] for pathway, step in zip(pathways, steps, strict=True)]
