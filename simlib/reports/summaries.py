"""Plain words and readable tables for the reports, written from the numbers of a run.

Each ``*_summary`` function returns Markdown that begins with ``## Summary`` (the report
index shows its text); each ``*_table`` function returns a small DataFrame of rounded,
labelled values for people (not for further computation). Days are calendar days.

Here: the baseline and the policy; comparisons are in
:mod:`simlib.reports.summaries_compare`, the capacity sweep, demand growth and sensitivity
in :mod:`simlib.reports.summaries_studies`, the deadline planner and forecast in
:mod:`simlib.reports.summaries_planning` (all importable from here), and what we don't know
in :mod:`simlib.reports.summaries_unknowns`. The
sentences are in :mod:`simlib.reports.words`, the numbers, days and intervals in
:mod:`simlib.formats.words`.
"""


from __future__ import annotations

from functools import partial

import pandas as pd

from simlib.experiments.results import Results
from simlib.formats.words import (
    days,
    interval,
    long_date,
    number,
    pathway_title,
    pathway_words,
    percent,
    short_date,
    span,
    whole,
)
from simlib.metrics.calendar import BREAKDOWN_COLUMNS
from simlib.policy.eligibility import rules_table
from simlib.reports.notebooks import Markdown
from simlib.reports.readable import body_label, bullet_summary, labelled_by
from simlib.reports.summaries_compare import (
    CHANGE,
    STRESS_TEST,
    changes_table,
    comparison_sentences,
    comparison_summary,
    comparison_table,
    differences,
    is_stress_test,
    kind_counts,
)
from simlib.reports.summaries_planning import deadline_table, forecast_table, plan_summary
from simlib.reports.summaries_studies import (
    growth_summary,
    load_table,
    sensitivity_summary,
    sensitivity_table,
    sweep_summary,
    sweep_table,
)
from simlib.reports.words import BREAKDOWN_WORDS, step_words, without_source
from simlib.scenario import Scenario, note_words

__all__ = [  # the notebooks call summaries.X; the studies and planning parts live apart
    "CHANGE", "STRESS_TEST", "baseline_summary", "breakdown_table", "calibration_table",
    "changes_table",
    "comparison_sentences", "comparison_summary", "comparison_table", "cycle_days",
    "cycle_table", "days", "deadline_table", "differences", "forecast_table", "growth_summary",
    "interval", "is_stress_test", "kind_counts", "load_table", "long_date", "pathway_title",
    "pathway_words",
    "plan_summary", "policy_table", "sensitivity_summary", "sensitivity_table", "short_date",
    "sla_table", "step_names", "sweep_summary", "sweep_table", "targets"
]


# --- the baseline ------------------------------------------------------------------------


@labelled_by(1)
def cycle_table(results: Results) -> pd.DataFrame:
    """Per pathway: approvals counted, mean with 95% CI, median and P90 (days), and the
    documented average where the scenario has a target."""
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


def _largest_parts(breakdown: pd.DataFrame, pathway: str, count: int = 3) -> list[tuple]:
    """The ``count`` largest (words, days) parts of a pathway's mean time, summed over steps."""
    totals = breakdown[breakdown["pathway"] == pathway][list(BREAKDOWN_COLUMNS)].sum()
    totals = totals.sort_values(ascending=False).head(count)
    return [(BREAKDOWN_WORDS[key], value) for key, value in totals.items()]


def _slowest_step(breakdown: pd.DataFrame, pathway: str) -> tuple[str, float]:
    rows = breakdown[breakdown["pathway"] == pathway]
    row = rows.loc[rows["total_days"].idxmax()]
    return row["body_label"], row["total_days"]


def baseline_summary(results: Results) -> Markdown:
    """The executive summary of a baseline run: each pathway's mean (with CI), median and
    P90 against the documented figure, where its time goes, and each response promise."""
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
    for _, row in results.sla.iterrows():
        if row["decisions"]:
            lines.append(
                f"The {body_label(results.scenario, row['body'])} gives "
                f"{percent(row['share_met'])} of first responses within its promised "
                f"{row['sla_days']:g} days.")
    lines.append(f"From {results.replications} simulated runs of "
                 f"{whole((results.scenario.horizon_days - results.scenario.warmup_days) / 365)} "
                 f"years each.")
    return bullet_summary(lines)


@labelled_by(1)
def sla_table(results: Results) -> pd.DataFrame:
    """Per response promise: body, days promised, first responses, share within (%)."""
    table = results.sla
    return pd.DataFrame({
        "Body": [body_label(results.scenario, body) for body in table["body"]],
        "Promise (days)": [f"{value:g}" for value in table["sla_days"]],
        "Steps": table["steps"],
        "First responses": table["decisions"].astype(int),
        "Within the promise": table["share_met"].astype(float).map(percent),
    })


def step_names(table: pd.DataFrame) -> list[str]:
    """The reader's name of each step of a time breakdown (columns body_label, step, body),
    the same in the chart and the table: "Office of Workforce Development (final)"."""
    return [step_words(label, step, body) for label, step, body
            in zip(table["body_label"], table["step"], table["body"], strict=True)]


@labelled_by(2)
def breakdown_table(results: Results) -> pd.DataFrame:
    """Where the time goes: mean days per proposal at each step, by part (rounded to 0.1)."""
    table = results.time_breakdown
    parts = {column: BREAKDOWN_WORDS[column] for column in BREAKDOWN_COLUMNS}
    columns = {"pathway": "Pathway", "body_label": "Step", **parts, "total_days": "total"}
    table = table.assign(body_label=step_names(table))
    readable = table[list(columns)].rename(columns=columns)
    readable["Pathway"] = readable["Pathway"].map(pathway_title)
    numbers = [*parts.values(), "total"]
    readable[numbers] = readable[numbers].astype(float).round(1)
    return readable


@labelled_by(1)
def calibration_table(scenario: Scenario) -> pd.DataFrame:
    """The recorded calibration fit: per target its documented value and the simulated
    value with its 95% CI (days whole, shares as percentages); per fitted assumption its
    prior, fitted value, range and the source of the range. Empty when the scenario records
    no fit."""
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


def cycle_days(results: Results) -> pd.DataFrame:
    """One row per approved proposal (after warm-up): pathway, cycle_days."""
    table = results.proposals
    approved = table.loc[table["outcome"] == "approved", ["pathway", "cycle_days"]]
    order = approved["pathway"].map(list(results.scenario.pathways).index)
    return approved.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def targets(scenario: Scenario) -> dict[str, float]:
    """Documented mean cycle days per pathway."""
    return {name: target.mean_cycle_days for name, target in scenario.targets.items()}


# --- policy ----------------------------------------------------------------------------------


@labelled_by(2)
def policy_table() -> pd.DataFrame:
    """The policy's eligibility rules that ``mcsim check-proposal`` applies: pathway, rule,
    requirement in plain words, and its source."""
    table = rules_table()
    return table.rename(columns={"pathway": "Pathway", "rule": "Rule",
                                 "requirement": "Requirement", "source": "Source"})
