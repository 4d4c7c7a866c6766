"""Report 06, when must a proposal be submitted? The page of a
:class:`~simlib.answers.PlanAnswer` (the deadline study: the first launch and the next
terms' first days): its bottom line, summary, the table of deadlines (with a plan to the
badge, the date for the badge to be live beside the date for approval) and the curve, and,
with the first launch planned at the posterior draws, the range of its latest safe date;
and the table of a pipeline :class:`~simlib.planning.forecast.Forecast`. Every function
takes its answer.

The page's answer and its other launches stay those of the plan; the plan over the draws
adds the range of the latest safe date (each draw's own date, its noise removed), read back
from its probes exactly as the planner computes them, so the sentence's numbers are those
of ``latest_range``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import PlanAnswer
from simlib.experiments.uncertainty import Draws, Split
from simlib.formats.words import (
    date_span,
    day_count,
    days,
    long_date,
    pathway_title,
    percent,
    short_date,
)
from simlib.metrics import events as metrics
from simlib.planning.deadlines import Plan, term_name
from simlib.planning.forecast import Forecast
from simlib.reports import figures
from simlib.reports.readable import (
    BottomLine,
    body_label,
    bullet_summary,
    labelled_by,
    run_count,
    shown_whole,
)
from simlib.reports.unknowns import unknowns_sentence
from simlib.reports.words import Markdown, forecast_date_word, proposal_words, step_words
from simlib.scenario import Scenario

__all__ = ["LEAD_WORDS", "badge_line", "bottom_line", "curve_figure", "deadline_table",
           "forecast_table", "launch_name", "lead_figure", "summary"]


LEAD_WORDS = "how many days before the launch to submit"


def lead_figure(plan: Plan) -> tuple[Split, np.ndarray, Draws]:
    """The latest safe date of the plan over the draws, in days before its launch: its
    :class:`~simlib.experiments.uncertainty.Split`, each draw's own value (NaN where a draw
    has no safe date) and the draws (as :func:`~simlib.planning.deadlines.plan`
    worked them out)."""
    found = plan.over_draws
    return found.figure, found.leads, found.draws


def plan_fixed(plan: Plan) -> bool:
    """True when the plan drew nothing (its band is luck alone)."""
    return bool((plan.uncertainty or {}).get("fixed"))


def _band(plan: Plan | None) -> dict:
    """The figure's band of latest safe dates: ``{"latest_range": (early, late),
    "luck_only": ...}`` for :func:`simlib.reports.figures.deadline_curve`, or {}."""
    if plan is None or plan.latest_range is None:
        return {}
    return {"latest_range": plan.latest_range, "luck_only": plan_fixed(plan)}


def plan_clause(plan: Plan | None) -> str:
    """"; not knowing the process's numbers, the safe date could be anywhere from 3 to 20
    November 2026" ("" without a plan over varying draws)."""
    if plan is None or plan_fixed(plan):
        return ""
    if plan.latest_range is None:
        return "; over what we don't know, too many draws have no safe date to give a range"
    return ("; not knowing the process's numbers, the safe date could be anywhere from "
            f"{date_span(*plan.latest_range)}")


def plan_sentence(plan: Plan) -> str:
    """The page's sentence on what we don't know about how early to submit."""
    figure, leads, chosen = lead_figure(plan)
    return unknowns_sentence(plan.scenario, chosen, figure, leads, LEAD_WORDS)


def plan_line(plan: Plan | None) -> str | None:
    """The summary's line on the plan over the draws: the latest date whose chance,
    averaged over what we don't know, is still the one wanted (None without varying
    draws)."""
    if plan is None or plan_fixed(plan):
        return None
    latest = plan.latest_submission()
    wanted = percent(plan.confidence)
    if latest is None:
        return (f"Averaged over what we don't know, no date gives a {wanted} chance of "
                "approval in time.")
    share = plan.uncertainty["draws_without_a_safe_date"]
    missing = (f" ({share} of {plan.uncertainty['draws']} draws have no safe date)"
               if share else "")
    return (f"Averaged over what we don't know, the chance stays at {wanted} up to "
            f"{long_date(latest)}{missing}.")


def launch_name(plan: Plan, launch: dt.date) -> str:
    """"Fall 2027" for a term start of the scenario's calendar, else the date."""
    firsts = {first for first, _ in getattr(plan.scenario.calendar, "terms", ())}
    return term_name(launch) if f"{launch:%m-%d}" in firsts else long_date(launch)


def _deadline_words(plan: Plan, latest: dt.date | None, style=short_date) -> str:
    """"by 6 Nov 2026", "too late: the deadline was 3 Apr 2026" (before ``plan.as_of``), or
    "no safe date in the 18 months before" (the plan's months)."""
    if latest is None:
        return f"no safe date in the {plan.grid['months']} months before"
    if plan.as_of is not None and latest < plan.as_of:
        return f"too late: the deadline was {style(latest)}"
    return f"by {style(latest)}"


def _date_cell(plan: Plan, latest: dt.date | None) -> str:
    """A latest safe date in a "Submit by" column: "6 Nov 2026", "3 Apr 2026 (passed)"
    (before ``plan.as_of``), or "none in the 18 months before" (the plan's months)."""
    if latest is None:
        return f"none in the {plan.grid['months']} months before"
    passed = plan.as_of is not None and latest < plan.as_of
    return short_date(latest) + (" (passed)" if passed else "")


def badge_line(answer: PlanAnswer) -> str | None:
    """The summary's line on the badge: the latest date for the badge to be live by the
    first launch with the same chance, how much earlier than for approval, and the days
    from then to the badge going live (None without a plan to the badge)."""
    badge, launch = answer.to_badge, answer.plan.launches[0]
    if badge is None:
        return None
    latest, wanted = badge.latest_submission(launch), percent(badge.confidence)
    if latest is None:
        return (f"No submission date in the {badge.grid['months']} months before "
                f"{long_date(launch)} gives a {wanted} chance of the badge being live by "
                "then.")
    approval = answer.plan.latest_submission(launch)
    gap = None if approval is None else (approval - latest).days
    earlier = ("" if gap is None or gap < 0 else ", the same date as for approval" if gap == 0
               else f", {day_count(gap)} before the date for approval")
    passed = (" (a date already passed)"
              if badge.as_of is not None and latest < badge.as_of else "")
    median, p90 = badge.cycle_days(latest, launch)
    return (f"For a {wanted} chance that the badge is live by {long_date(launch)} as well, "
            f"submit by {long_date(latest)}{earlier}{passed}: from "
            f"then, half of such badges are live within {days(median)} days and nine in ten "
            f"within {days(p90)}." + _badge_launches(answer))


def _badge_launches(answer: PlanAnswer) -> str:
    """" The date for the badge is planned for this launch only ..." when the plan to the
    badge has fewer launches than the page ("" otherwise)."""
    if len(answer.to_badge.launches) >= len(answer.plan.launches):
        return ""
    return (" The date for the badge is planned for this launch only, to keep the page "
            "quick; set `badge_dates` to \"all\" for every launch of the table.")


def bottom_line(answer: PlanAnswer) -> BottomLine:
    """The deadline planner: the latest safe submission date for the first launch, the
    chance it gives, and what to do by when (from ``as_of``, today). With the first
    launch planned at the posterior draws, the range of the safe date over what we don't
    know and the page's sentence on it."""
    study, unknowns = answer.plan, answer.over_draws
    extra = "" if unknowns is None else " " + plan_sentence(unknowns)
    launch = study.launches[0]
    latest = study.latest_submission()
    wanted = percent(study.confidence)
    today = (f"Today is taken as {long_date(study.as_of)}. "
             if study.as_of is not None else "")
    if latest is None:
        headline = (f"No submission date in the 18 months before {long_date(launch)} gives "
                    f"{proposal_words(study)} a {wanted} chance of approval in time.")
        sure = f"{today}From {run_count(study.replications)}.{extra}"
        todo = "Aim for a later launch (see the table of the coming terms)."
        return BottomLine(headline, sure, todo)
    row = study.curve(launch).set_index("submitted").loc[latest]
    headline = (f"To launch on {long_date(launch)}, submit {proposal_words(study)} by "
                f"{long_date(latest)}{plan_clause(unknowns)}.")
    sure = (f"{today}Submitted then, it has an estimated {percent(row['p_approved'])} chance "
            f"of approval in time (95% CI {percent(row['ci95_low'])} to "
            f"{percent(row['ci95_high'])}; {wanted} wanted), from "
            f"{run_count(study.replications)}.{extra}")
    if study.as_of is not None and latest < study.as_of:
        table = study.deadlines()
        reachable = table[table["latest_submission"].map(
            lambda day: day is not None and day >= study.as_of)]
        todo = ("That date has passed: launch later"
                + (f", e.g. {launch_name(study, reachable['launch'].iloc[0])} (submit by "
                   f"{long_date(reachable['latest_submission'].iloc[0])})"
                   if len(reachable) else "") + ", or accept a lower chance.")
    elif study.as_of is not None:
        todo = (f"Submit within {day_count((latest - study.as_of).days)} from today; a later "
                "submission lowers the chance fast when it meets the summer recess.")
    else:
        todo = f"Submit by {long_date(latest)}."
    return BottomLine(headline, sure, todo)


def summary(answer: PlanAnswer) -> Markdown:
    """The executive summary of a deadline study: the latest safe submission date for the
    first launch, with its probability and time to approval (with the first launch planned
    at the posterior draws: the range of that date over what we don't know, and the date
    whose chance averaged over the draws is still the one wanted), then the other
    launches."""
    plan, unknowns = answer.plan, answer.over_draws
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
    badge = badge_line(answer)
    if badge:
        lines.append(badge)
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
def deadline_table(answer: PlanAnswer) -> pd.DataFrame:
    """Per launch: when it is, the latest safe submission date for approval and (with a
    plan to the badge) for the badge to be live by the launch, the chance of approval in
    time from the first (%), and the median and P90 days to approval from it."""
    plan = answer.plan
    table = plan.deadlines()
    readable = pd.DataFrame({
        "To launch in": [launch_name(plan, launch) for launch in table["launch"]],
        "Launch date": [short_date(launch) for launch in table["launch"]],
        "Submit by (approval)": [_date_cell(plan, day) for day in table["latest_submission"]],
        "Chance in time": [percent(p) for p in table["p_approved"]],
        "Median days": table["median_days"].map(days),
        "P90 days": table["p90_days"].map(days),
    })
    if answer.to_badge is not None:
        badge = answer.to_badge
        readable.insert(3, "Submit by (badge live)", [
            _date_cell(badge, badge.latest_submission(launch))
            if launch in badge.launches else "not planned" for launch in table["launch"]])
    return readable


def curve_figure(answer: PlanAnswer) -> Figure:
    """The chance of approval in time by submission date for the first launch, the chance
    wanted and the latest safe date (with its band over what we don't know)."""
    plan = answer.plan
    return figures.deadline_curve(plan.curve(), plan.launches[0], plan.confidence,
                                  plan.latest_submission(), **_band(answer.over_draws))


def forecast_table(result: Forecast | None) -> pd.DataFrame | Markdown:
    """Per proposal in progress: where it is, the chance it is approved at all, its median
    and P90 approval dates ("approved" when it is already), the median and P90 dates its
    badge goes live and its first badges are issued (for a pathway with steps after
    approval), and the chance of approval before each coming term (%); a note when no
    pipeline was given."""
    if result is None:
        return Markdown("No pipeline given: set `pipeline_csv` to a CSV of the proposals in "
                        "progress to forecast them.\n")
    table = result.table()
    rows = table.to_dict("records")
    readable = pd.DataFrame({
        "Proposal": table["id"],
        "Pathway": table["pathway"].map(pathway_title),
        "Now at": _step_names(result.scenario, table["pathway"], table["current_step"]),
        "Approved at all": table["p_approved"].map(percent),
    })
    for key, name in (("median_date", "Median date"), ("p90_date", "P90 date"),
                      ("badge_median_date", "Badge live, median"),
                      ("badge_p90_date", "Badge live, P90"),
                      ("first_badges_median_date", "First badges, median"),
                      ("first_badges_p90_date", "First badges, P90")):
        readable[name] = [forecast_date_word(row, key, short_date) for row in rows]
    for term in result.terms:
        name = term_name(term)
        readable[f"By {name}"] = table[f"before {name}"].map(percent)
    return shown_whole(readable.set_index("Proposal"))


def _step_names(scenario: Scenario, pathways: pd.Series, steps: pd.Series) -> list[str]:
    """The name of each (pathway, step label): its body's label, with what the step's own
    name adds (:func:`~simlib.reports.words.step_words`)."""
    labels = metrics.step_labels(scenario).set_index(["pathway", "step"])["body"]
    return [step_words(body_label(scenario, labels[(pathway, step)]), step,
                       labels[(pathway, step)])
            for pathway, step in zip(pathways, steps, strict=True)]
