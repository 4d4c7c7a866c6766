"""Report 01, how long does a proposal take today? The page of a
:class:`~simlib.answers.RunAnswer`: its bottom line, summary, tables (cycle times, where
the time goes, response promises, the calibration, the policy's rules), the whole journey
to the first badges, what we don't know and its figures. Every function takes the answer
(days are calendar days).

Every page that shows today's process gives its own replication count, so readers can see
why two pages agree: the reports run the baseline with the same seed and count everywhere
(``reports.yaml``), and the same seed and count give the same numbers (common random
numbers).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import RunAnswer
from simlib.formats.printable import printable
from simlib.formats.words import (
    day_count,
    days,
    interval,
    month_count,
    number,
    pathway_title,
    pathway_words,
    percent,
    span,
    whole,
)
from simlib.metrics.calendar import BREAKDOWN_COLUMNS
from simlib.metrics.events import window_years
from simlib.policy.eligibility import rules_table
from simlib.reports import figures
from simlib.reports.figures._posterior import posterior_frame, prior_ranges
from simlib.reports.readable import BottomLine, body_label, bullet_summary, labelled_by, run_count
from simlib.reports.unknowns import parameter_words, range_words, unknowns_sentence
from simlib.reports.words import (
    BREAKDOWN_WORDS,
    Markdown,
    assumption_value,
    step_words,
    without_source,
)
from simlib.scenario import Scenario, note_words

__all__ = [
    "bottom_line", "breakdown_figure", "breakdown_table", "calibration_table", "cycle_days",
    "cycle_figure", "cycle_table", "journey_figure", "journey_sentence", "policy_table",
    "posterior_figure", "posterior_table", "ridge_figure", "sla_table", "step_names",
    "summary", "targets", "what_we_dont_know",
]


def _half_width(low: float, high: float) -> str:
    return day_count((high - low) / 2)


def bottom_line(answer: RunAnswer) -> BottomLine:
    """Today's process: each pathway's mean and P90, how precise the means are and whether
    they match the documented averages, and to plan with the P90; with the answer's runs
    at the posterior draws, what we don't know as well."""
    results, uncertain = answer.results, answer.over_draws
    table, targets = results.pathways, results.scenario.targets
    first = table.index[0]
    row = table.loc[first]
    headline = "; ".join(
        f"a {pathway_words(pathway)} one {day_count(item['cycle_days_mean'])} (one in ten "
        f"over {days(item['cycle_days_p90'])})" for pathway, item in table.iloc[1:].iterrows())
    headline = (f"A {pathway_words(first)} proposal takes {day_count(row['cycle_days_mean'])} on "
                f"average from submission to final approval (one in ten takes over "
                f"{days(row['cycle_days_p90'])})" + (f"; {headline}" if headline else ""))
    documented = [f"{days(targets[p].mean_cycle_days)} ({pathway_words(p)})"
                  for p in table.index if p in targets]
    low, high = row["cycle_days_ci95_low"], row["cycle_days_ci95_high"]
    sure = (f"Precise to within {_half_width(low, high)} (95% CI of the "
            f"{pathway_words(first)} mean {span(low, high)}, "
            f"{run_count(results.replications)})."
            + (f" The model reproduces the documented averages, {' and '.join(documented)}, "
               "because its unknown numbers were fitted to them; how the time splits up is "
               "the model's estimate." if documented else ""))
    breakdown = results.time_breakdown
    parts = breakdown[breakdown["pathway"] == first][list(BREAKDOWN_WORDS)].sum()
    largest = parts.sort_values(ascending=False)
    todo = (f"Promise {day_count(row['cycle_days_p90'])} (the P90), not the average, when a "
            f"{pathway_words(first)} deadline matters. Most of the time is "
            f"{BREAKDOWN_WORDS[largest.index[0]]} and {BREAKDOWN_WORDS[largest.index[1]]}, "
            "so the changes worth trying are those that cut waiting (next report).")
    if uncertain is not None:
        sure += " " + what_we_dont_know(answer)
    return BottomLine(headline + ".", sure, todo)


def _largest_parts(breakdown: pd.DataFrame, pathway: str, count: int = 3) -> list[tuple]:
    """The ``count`` largest (words, days) parts of a pathway's mean time, summed over steps."""
    totals = breakdown[breakdown["pathway"] == pathway][list(BREAKDOWN_COLUMNS)].sum()
    totals = totals.sort_values(ascending=False).head(count)
    return [(BREAKDOWN_WORDS[key], value) for key, value in totals.items()]


def _slowest_step(breakdown: pd.DataFrame, pathway: str) -> tuple[str, float]:
    rows = breakdown[breakdown["pathway"] == pathway]
    row = rows.loc[rows["total_days"].idxmax()]
    return row["body_label"], row["total_days"]


def journey_sentence(answer: RunAnswer) -> str:
    """The whole journey in one sentence: when the first learners of each pathway with
    steps after approval hold their badge, on average after submission (with its 95% CI),
    and, for the first of them, when its badge is live and its first offering starts (the
    answer's means, :meth:`~simlib.answers.RunAnswer.cycle`); "" when no pathway has
    steps after approval."""
    table = answer.results.pathways
    reached = [pathway for pathway in table.index
               if table.loc[pathway].get("first_badge_days_count", 0) > 0]
    if not reached:
        return ""
    first, *others = reached
    badges = answer.cycle(first, "first_badge_days")
    text = (f"**A {pathway_words(first)} proposal's first learners hold their badge "
            f"{days(badges.value)} days ({_about_months(badges.value)}) after submission on "
            f"average** ({interval(*badges.ci95)}): its badge is live "
            f"{days(answer.cycle(first, 'badge_days').value)} days after approval, and its "
            f"first offering starts {days(answer.cycle(first, 'offering_days').value)} days "
            "after submission")
    for pathway in others:
        later = answer.cycle(pathway, "first_badge_days")
        text += (f"; a {pathway_words(pathway)} proposal's after {days(later.value)} days "
                 f"({_about_months(later.value)}; {interval(*later.ci95)})")
    return text + "."


def _about_months(value: float) -> str:
    return f"about {month_count(value)}"


def summary(answer: RunAnswer) -> Markdown:
    """The executive summary of a baseline run: each pathway's mean (with CI), median and
    P90 against the documented figure, where its time goes, the whole journey to the first
    badges (:func:`journey_sentence`), and each response promise."""
    results = answer.results
    lines = []
    breakdown = results.time_breakdown
    for pathway, row in results.pathways.iterrows():
        target = results.scenario.targets.get(pathway)
        documented = f", against {days(target.mean_cycle_days)} documented" if target else ""
        parts = ", then ".join(f"{name} ({days(value)} days)"
                               for name, value in _largest_parts(breakdown, pathway))
        step, step_days = _slowest_step(breakdown, pathway)
        lines.append(
            f"**{pathway_title(pathway)} proposals take {days(row['cycle_days_mean'])} days on "
            f"average** from submission to final approval "
            f"({interval(row['cycle_days_ci95_low'], row['cycle_days_ci95_high'])}"
            f"{documented}). Half are approved within {days(row['cycle_days_median'])} days; "
            f"one in ten takes longer than {days(row['cycle_days_p90'])}. Most of the time "
            f"is {parts}; the slowest step is the {step} ({days(step_days)} days on average).")
    journey = journey_sentence(answer)
    if journey:
        lines.append(journey)
    for _, row in results.sla.iterrows():
        if row["decisions"]:
            lines.append(
                f"The {body_label(results.scenario, row['body'])} gives "
                f"{percent(row['share_met'])} of first responses within its promised "
                f"{row['sla_days']:g} days.")
    lines.append(f"From {results.replications} simulated runs of "
                 f"{whole(window_years(results.scenario))} "
                 f"years each.")
    return bullet_summary(lines)


@labelled_by(1)
def cycle_table(answer: RunAnswer) -> pd.DataFrame:
    """Per pathway: approvals counted, mean with 95% CI, median and P90 (days), and the
    documented average where the scenario has a target."""
    results = answer.results
    rows = []
    for pathway, row in results.pathways.iterrows():
        target = results.scenario.targets.get(pathway)
        rows.append({
            "Pathway": pathway_title(pathway),
            "Approved proposals": int(row["approved"]),
            "Mean days": days(row["cycle_days_mean"]),
            "95% CI": span(row["cycle_days_ci95_low"], row["cycle_days_ci95_high"]),
            "Median days": days(row["cycle_days_median"]),
            "P90 days": days(row["cycle_days_p90"]),
            "Documented mean": days(target.mean_cycle_days) if target else "",
        })
    return pd.DataFrame(rows)


@labelled_by(1)
def sla_table(answer: RunAnswer) -> pd.DataFrame:
    """Per response promise: body, days promised, first responses, share within (%)."""
    results = answer.results
    table = results.sla
    return pd.DataFrame({
        "Body": [body_label(results.scenario, body) for body in table["body"]],
        "Promise (days)": [f"{value:g}" for value in table["sla_days"]],
        "Steps": table["steps"],
        "First responses": table["decisions"].astype(int),
        "Within the promise": table["share_met"].astype(float).map(percent),
    })


@labelled_by(2)
def breakdown_table(answer: RunAnswer) -> pd.DataFrame:
    """Where the time goes: mean days per proposal at each step, by part (rounded to 0.1)."""
    results = answer.results
    table = results.time_breakdown
    parts = {column: BREAKDOWN_WORDS[column] for column in BREAKDOWN_COLUMNS}
    columns = {"pathway": "Pathway", "body_label": "Step", **parts, "total_days": "total"}
    table = table.assign(body_label=step_names(table))
    readable = table[list(columns)].rename(columns=columns)
    readable["Pathway"] = readable["Pathway"].map(pathway_title)
    numbers = [*parts.values(), "total"]
    readable[numbers] = readable[numbers].astype(float).round(1)
    return readable


def step_names(table: pd.DataFrame) -> list[str]:
    """The reader's name of each step of a time breakdown (columns body_label, step, body),
    the same in the chart and the table: "Office of Workforce Development (final)"."""
    return [step_words(label, step, body) for label, step, body
            in zip(table["body_label"], table["step"], table["body"], strict=True)]


@labelled_by(1)
def calibration_table(answer: RunAnswer) -> pd.DataFrame:
    """The recorded calibration fit: per target its documented value and the simulated
    value with its 95% CI (days whole, shares as percentages); per fitted assumption its
    prior, fitted value, range and the source of the range. Empty when the scenario records
    no fit."""
    scenario = answer.scenario
    columns = ["What", "Documented or prior", "Calibrated", "Range", "Source of the range"]
    fit = scenario.calibration.fit if scenario.calibration else None
    if fit is None:
        return pd.DataFrame(columns=columns)
    notes = {item.path: without_source(note_words(item.note)) for item in scenario.assumptions}
    rows = []
    for path, target in fit.targets.items():
        shown = partial(percent, decimals=None) if _is_share(path) else whole
        low, high = target.ci95
        rows.append([_target_words(scenario, path), shown(target.target),
                     f"{shown(target.simulated)} (95% CI {shown(low)} to {shown(high)})", "",
                     ""])
    for path, item in fit.parameters.items():
        shown = partial(percent, decimals=None) if _is_share(path) else number
        words, source = notes.get(path, (path, ""))
        rows.append([words, shown(item.prior), shown(item.fitted),
                     f"{shown(item.low)} to {shown(item.high)}", source or "assumed"])
    return pd.DataFrame(rows, columns=columns)


def _is_share(path: str) -> bool:
    """A value that is a share or a chance (calibration SLA shares, revision chances)."""
    return path.endswith(".p") or path.startswith("calibration.sla")


def _target_words(scenario: Scenario, path: str) -> str:
    """A calibration target's path in words, e.g. "credit-bearing mean days (documented)"."""
    parts = path.split(".")
    if parts[0] == "targets":
        return f"{pathway_title(parts[1])}: mean days to approval (documented)"
    if parts[:2] == ["calibration", "sla"] and parts[2] in scenario.bodies:
        return (f"{body_label(scenario, parts[2])}: share of first responses within its "
                f"promise (at least)")
    return path


def what_we_dont_know(answer: RunAnswer) -> Markdown:
    """What we don't know about each pathway's mean time to approval (the answer's runs at
    the posterior draws), one sentence for the first pathway and the ranges of the others;
    nothing without them (the page was built without uncertainty)."""
    run = answer.over_draws
    if run is None:
        return Markdown("")
    scenario = run.scenario
    first, *others = list(scenario.pathways)
    text = unknowns_sentence(scenario, run.draws, run.cycle(first), run.draw_means(first),
                             f"the {pathway_words(first)} mean")
    if others and not run.draws.fixed:
        text += " " + "; ".join(
            f"The {pathway_words(name)} mean's 95% range is {range_words(run.cycle(name))} "
            f"days (95% CI {span(*run.cycle(name).ci95)})" for name in others) + "."
    return Markdown(printable(text, None))


def cycle_days(answer: RunAnswer) -> pd.DataFrame:
    """One row per approved proposal (after warm-up): pathway, cycle_days."""
    results = answer.results
    table = results.proposals
    approved = table.loc[table["outcome"] == "approved", ["pathway", "cycle_days"]]
    order = approved["pathway"].map(list(results.scenario.pathways).index)
    return approved.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def targets(answer: RunAnswer) -> dict[str, float]:
    """Documented mean cycle days per pathway."""
    scenario = answer.scenario
    return {name: target.mean_cycle_days for name, target in scenario.targets.items()}


def posterior_table(answer: RunAnswer) -> pd.DataFrame:
    """Per drawn assumption: its prior range and the draws' median and 95% interval, in
    readers' words (chances as percentages)."""
    scenario = answer.scenario
    frame = posterior_frame(scenario)
    ranges = prior_ranges(scenario)
    rows = []
    for path in frame.columns:
        low, median, high = np.percentile(frame[path], [2.5, 50, 97.5])
        prior = ranges[path]
        rows.append({
            "assumption": parameter_words(scenario, path),
            "assumed range": f"{assumption_value(path, prior[0])} to "
                             f"{assumption_value(path, prior[1])}",
            "median of the draws": assumption_value(path, median),
            "95% of the draws": f"{assumption_value(path, low)} to "
                                f"{assumption_value(path, high)}",
            "narrowed to": f"{percent((high - low) / (prior[1] - prior[0]))} of the range",
        })
    return pd.DataFrame(rows).set_index("assumption")


def cycle_figure(answer: RunAnswer) -> Figure:
    """The distribution of days to approval per pathway, against the documented means."""
    return figures.cycle_time_distribution(cycle_days(answer), targets(answer))


def journey_figure(answer: RunAnswer) -> Figure:
    """The whole journey per pathway, in days from submission: approval, the badge live,
    the first offering's start and the first badges, each as its median and P10 to P90
    (:meth:`~simlib.answers.RunAnswer.journey`)."""
    return figures.journey_timeline(answer.journey())


def breakdown_figure(answer: RunAnswer) -> Figure:
    """Where each pathway's time goes, step by step."""
    return figures.time_breakdown(answer.results.time_breakdown)


def posterior_figure(answer: RunAnswer) -> Figure:
    """What the targets say about each drawn assumption: its prior range and its draws."""
    return figures.prior_and_posterior(answer.scenario)


def ridge_figure(answer: RunAnswer) -> Figure:
    """The two drawn assumptions that trade off most, draw by draw."""
    return figures.ridge(answer.scenario)


@labelled_by(2)
def policy_table() -> pd.DataFrame:
    """The policy's eligibility rules that ``mcsim check-proposal`` applies: pathway, rule,
    requirement in plain words, and its source."""
    table = rules_table()
    return table.rename(columns={"pathway": "Pathway", "rule": "Rule",
                                 "requirement": "Requirement", "source": "Source"})
