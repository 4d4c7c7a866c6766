"""Plain words and readable tables for the reports, written from the numbers of a run.

Each ``*_summary`` function returns Markdown that begins with ``## Summary`` (the report
index shows its text); each ``*_table`` function returns a small DataFrame of rounded,
labelled values for people (not for further computation). Days are calendar days.

Here: the baseline, comparisons and the policy; the capacity sweep, demand growth and
sensitivity are in :mod:`simlib.reports.summaries_studies`, the deadline planner and
forecast in :mod:`simlib.reports.summaries_planning` (all importable from here). The
words themselves (pathways, days, intervals, sentences) are in :mod:`simlib.reports.words`.
"""


from __future__ import annotations

import math

import pandas as pd

from simlib.experiments.compare import Comparison
from simlib.experiments.results import Results
from simlib.metrics.calendar import BREAKDOWN_COLUMNS
from simlib.policy.eligibility import rules_table
from simlib.reports.notebooks import Markdown
from simlib.reports.readable import body_label, bullet_summary, labelled_by
from simlib.reports.summaries_planning import deadline_table, forecast_table, plan_summary
from simlib.reports.summaries_studies import (
    growth_summary,
    load_table,
    sensitivity_summary,
    sensitivity_table,
    sweep_summary,
    sweep_table,
)
from simlib.reports.words import (
    BREAKDOWN_WORDS,
    days,
    interval,
    long_date,
    pathway_title,
    pathway_words,
    short_date,
)
from simlib.reports.words import comparison_sentences as sentence_list
from simlib.scenario import Scenario, note_words

__all__ = [  # the notebooks call summaries.X; the studies and planning parts live apart
    "baseline_summary", "breakdown_table", "calibration_table", "comparison_sentences",
    "comparison_summary", "comparison_table", "cycle_days", "cycle_table", "days",
    "deadline_table", "differences", "forecast_table", "growth_summary", "interval",
    "load_table", "long_date", "pathway_title", "pathway_words", "plan_summary",
    "policy_table", "sensitivity_summary", "sensitivity_table", "short_date", "sla_table",
    "sweep_summary", "sweep_table", "targets",
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
            "95% CI": interval(row["cycle_days_ci95_low"], row["cycle_days_ci95_high"])
            .replace("95% CI ", ""),
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
                f"{row['share_met']:.0%} of first responses within its promised "
                f"{row['sla_days']:g} days.")
    lines.append(f"From {results.replications} simulated runs of "
                 f"{(results.scenario.horizon_days - results.scenario.warmup_days) / 365:.0f} "
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
        "Within the promise": [f"{share:.0%}" if math.isfinite(share) else "n/a"
                               for share in table["share_met"].astype(float)],
    })


@labelled_by(2)
def breakdown_table(results: Results) -> pd.DataFrame:
    """Where the time goes: mean days per proposal at each step, by part (rounded to 0.1)."""
    table = results.time_breakdown
    parts = {column: BREAKDOWN_WORDS[column] for column in BREAKDOWN_COLUMNS}
    columns = {"pathway": "Pathway", "body_label": "Step", **parts, "total_days": "total"}
    table = table.assign(body_label=[
        label if step == body else f"{label} ({step.replace('_', ' ')})"
        for label, step, body in zip(table["body_label"], table["step"], table["body"],
                                     strict=True)])
    readable = table[list(columns)].rename(columns=columns)
    readable["Pathway"] = readable["Pathway"].map(pathway_title)
    numbers = [*parts.values(), "total"]
    readable[numbers] = readable[numbers].astype(float).round(1)
    return readable


@labelled_by(1)
def calibration_table(scenario: Scenario) -> pd.DataFrame:
    """The recorded calibration fit: per fitted assumption its note, prior, fitted value and
    range; per target its documented value and the simulated mean with 95% CI. Empty when the
    scenario records no fit."""
    fit = scenario.calibration.fit if scenario.calibration else None
    if fit is None:
        return pd.DataFrame(columns=["What", "Documented or prior", "Calibrated", "Range"])
    notes = {item.path: note_words(item.note) for item in scenario.assumptions}
    rows = [{"What": _target_words(scenario, path), "Documented or prior": f"{target.target:g}",
             "Calibrated": f"{target.simulated:g} (95% CI {target.ci95[0]:g} to "
                           f"{target.ci95[1]:g})", "Range": ""}
            for path, target in fit.targets.items()]
    rows += [{"What": notes.get(path, path), "Documented or prior": f"{item.prior:g}",
              "Calibrated": f"{item.fitted:g}", "Range": f"{item.low:g} to {item.high:g}"}
             for path, item in fit.parameters.items()]
    return pd.DataFrame(rows)


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


# --- comparisons ---------------------------------------------------------------------------


def differences(comparison: Comparison) -> pd.DataFrame:
    """Per (alternative, pathway): alternative (title), pathway, base_mean_days,
    alt_mean_days, mean_diff_days, ci95_low, ci95_high, p90_diff_days (days)."""
    data = comparison.to_dict()
    rows = []
    for name, entry in data["alternatives"].items():
        for pathway, item in entry["pathways"].items():
            low, high = item["ci95"]
            rows.append({"alternative": entry["title"] or name, "pathway": pathway,
                         "base_mean_days": item["base_mean_days"],
                         "alt_mean_days": item["alt_mean_days"],
                         "mean_diff_days": item["mean_diff_days"],
                         "ci95_low": low, "ci95_high": high,
                         "p90_diff_days": item["p90_diff_days"], "verdict": item["verdict"]})
    return pd.DataFrame(rows).astype({column: float for column in
                                      ("base_mean_days", "alt_mean_days", "mean_diff_days",
                                       "ci95_low", "ci95_high", "p90_diff_days")})


@labelled_by(2)
def comparison_table(comparison: Comparison) -> pd.DataFrame:
    """The paired differences for people: change, pathway, mean days before and after, the
    difference with its 95% CI, and the change in P90 (days)."""
    table = differences(comparison)
    return pd.DataFrame({
        "Change": table["alternative"],
        "Pathway": table["pathway"].map(pathway_title),
        "Mean days now": table["base_mean_days"].map(days),
        "With the change": table["alt_mean_days"].map(days),
        "Difference": [f"{value:+.0f}" if math.isfinite(value) else "n/a"
                       for value in table["mean_diff_days"]],
        "95% CI": [interval(low, high).replace("95% CI ", "")
                   for low, high in zip(table["ci95_low"], table["ci95_high"], strict=True)],
        "P90 difference": [f"{value:+.0f}" if math.isfinite(value) else "n/a"
                           for value in table["p90_diff_days"]],
    })


def comparison_summary(comparison: Comparison) -> Markdown:
    """The executive summary of a comparison: per pathway the change that cuts the mean
    most and those that make it slower, then one sentence per change and pathway."""
    table = differences(comparison)
    count = len(comparison.alternatives)
    lines = [f"{count} {'change was' if count == 1 else 'changes were each'} compared with "
             f"*{comparison.base.scenario.title or comparison.base.scenario.name}* over "
             f"{comparison.replications} paired runs (the same random proposals and delays "
             f"in every scenario)."]
    for pathway, rows in table.groupby("pathway", sort=False):
        words = pathway_words(pathway)
        faster = rows[rows["verdict"] == "shorter"].sort_values("mean_diff_days")
        slower = rows[rows["verdict"] == "longer"]
        if len(faster):
            best = faster.iloc[0]
            others = "; ".join(f"{row['alternative']} ({days(-row['mean_diff_days'])} days)"
                               for _, row in faster.iloc[1:].iterrows())
            lines.append(
                f"**{best['alternative']}** cuts the {words} mean most: by "
                f"{days(-best['mean_diff_days'])} days "
                f"({interval(-best['ci95_high'], -best['ci95_low'])}), from "
                f"{days(best['base_mean_days'])} to {days(best['alt_mean_days'])}."
                + (f" Also clearly faster: {others}." if others else ""))
        else:
            lines.append(f"No change clearly shortens the {words} mean.")
        if len(slower):
            names = "; ".join(slower["alternative"])
            lines.append(f"Slower for {words} proposals: {names}.")
    return bullet_summary(lines)


def comparison_sentences(comparison: Comparison) -> Markdown:
    """One plain sentence per change and pathway, as a Markdown list."""
    return Markdown("\n".join(f"- {line}" for line in sentence_list(comparison)) + "\n")


# --- policy ----------------------------------------------------------------------------------


@labelled_by(2)
def policy_table() -> pd.DataFrame:
    """The policy's eligibility rules that ``mcsim check-proposal`` applies: pathway, rule,
    requirement in plain words, and its source."""
    table = rules_table()
    return table.rename(columns={"pathway": "Pathway", "rule": "Rule",
                                 "requirement": "Requirement", "source": "Source"})
