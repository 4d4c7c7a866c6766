"""Plain words and readable tables for the reports, written from the numbers of a run.

Each ``*_summary`` function returns Markdown that begins with ``## Summary`` (the report
index shows its text); each ``*_table`` function returns a small DataFrame of rounded,
labelled values for people (not for further computation). Days are calendar days.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from simlib.metrics import events as metrics
from simlib.metrics.calendar import BREAKDOWN_WORDS
from simlib.experiments.compare import PATHWAY_WORDS, Comparison, pathway_title
from simlib.experiments.results import Results
from simlib.planning.forecast import Forecast
from simlib.planning.deadlines import Plan, term_name
from simlib.policy.eligibility import rules_table
from simlib.reports.notebooks import Markdown
from simlib.scenario import Scenario, note_words
from simlib.experiments.sensitivity import Sensitivity
from simlib.experiments.studies import FULL, DemandGrowth, Sweep

# The parts of a proposal's time, as the breakdown table names them and as readers read them.


def pathway_words(pathway: str) -> str:
    """How a pathway reads in a sentence: "credit-bearing", "non-credit", or its name."""
    return PATHWAY_WORDS.get(pathway, pathway)


def days(value: float) -> str:
    """Whole days ("170"), or "n/a" for a missing value."""
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.0f}"


def interval(low: float, high: float) -> str:
    """A 95% interval in days ("95% CI 168 to 172"), or "no interval"."""
    if any(v is None or not math.isfinite(v) for v in (low, high)):
        return "no interval"
    return f"95% CI {days(low)} to {days(high)}"


def _labelled_by(count: int) -> Callable:
    """Decorate a table function: its first ``count`` columns become the index, so a
    notebook shows the labels instead of row numbers."""
    def decorate(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        @functools.wraps(function)
        def labelled(*args: Any, **kwargs: Any) -> pd.DataFrame:
            table = function(*args, **kwargs)
            return table.set_index(list(table.columns[:count]))
        return labelled
    return decorate


def _summary(lines: list[str]) -> Markdown:
    return Markdown("## Summary\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")


def _body_label(scenario: Scenario, body: str) -> str:
    return scenario.bodies[body].label or body


# --- the baseline ------------------------------------------------------------------------


@_labelled_by(1)
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
    totals = breakdown[breakdown["pathway"] == pathway][list(BREAKDOWN_WORDS)].sum()
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
                f"The {_body_label(results.scenario, row['body'])} gives "
                f"{row['share_met']:.0%} of first responses within its promised "
                f"{row['sla_days']:g} days.")
    lines.append(f"From {results.replications} simulated runs of "
                 f"{(results.scenario.horizon_days - results.scenario.warmup_days) / 365:.0f} "
                 f"years each.")
    return _summary(lines)


@_labelled_by(1)
def sla_table(results: Results) -> pd.DataFrame:
    """Per response promise: body, days promised, first responses, share within (%)."""
    table = results.sla
    return pd.DataFrame({
        "Body": [_body_label(results.scenario, body) for body in table["body"]],
        "Promise (days)": [f"{value:g}" for value in table["sla_days"]],
        "Steps": table["steps"],
        "First responses": table["decisions"].astype(int),
        "Within the promise": [f"{share:.0%}" if math.isfinite(share) else "n/a"
                               for share in table["share_met"].astype(float)],
    })


@_labelled_by(2)
def breakdown_table(results: Results) -> pd.DataFrame:
    """Where the time goes: mean days per proposal at each step, by part (rounded to 0.1)."""
    table = results.time_breakdown
    columns = {"pathway": "Pathway", "body_label": "Step", **BREAKDOWN_WORDS,
               "total_days": "total"}
    table = table.assign(body_label=[
        label if step == body else f"{label} ({step.replace('_', ' ')})"
        for label, step, body in zip(table["body_label"], table["step"], table["body"],
                                     strict=True)])
    readable = table[list(columns)].rename(columns=columns)
    readable["Pathway"] = readable["Pathway"].map(pathway_title)
    numbers = [*BREAKDOWN_WORDS.values(), "total"]
    readable[numbers] = readable[numbers].astype(float).round(1)
    return readable


@_labelled_by(1)
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
        return (f"{_body_label(scenario, parts[2])}: share of first responses within its "
                f"promise (at least)")
    return path


def cycle_days(results: Results) -> pd.DataFrame:
    """One row per approved proposal (after warm-up): pathway, cycle_days."""
    table = metrics.proposals(results.events, results.scenario)
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


@_labelled_by(2)
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
    return _summary(lines)


def comparison_sentences(comparison: Comparison) -> Markdown:
    """One plain sentence per change and pathway, as a Markdown list."""
    return Markdown("\n".join(f"- {line}" for line in comparison.sentences()) + "\n")


# --- capacity sweep ------------------------------------------------------------------------


def _at(table: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    return table[mask]


def sweep_summary(study: Sweep, threshold_days: float = 3.0) -> Markdown:
    """The executive summary of a capacity sweep: per demand level, the mean days at the
    smallest and largest capacity, where more stops helping, and the body's load."""
    table, knees = study.table, study.knees(threshold_days)
    first, last = study.values[0], study.values[-1]
    lines = [f"{study.body_label}: {study.capacity_label} from {first:g} to {last:g}, at "
             + ", ".join(f"{factor:g}x" for factor in study.demand_factors)
             + f" today's submissions ({study.replications} paired runs each)."]
    for factor in study.demand_factors:
        parts = []
        for pathway in study.scenario.pathways:
            low = _at(table, demand=factor, pathway=pathway, capacity=first)
            high = _at(table, demand=factor, pathway=pathway, capacity=last)
            knee = _at(knees, demand=factor, pathway=pathway)
            stop = (f"beyond {knee['capacity'].iloc[0]:g}, one more saves under "
                    f"{threshold_days:g} days" if len(knee) else "every step still helps")
            parts.append(f"{pathway_words(pathway)} {days(low['mean_days'].iloc[0])} → "
                         f"{days(high['mean_days'].iloc[0])} days ({stop})")
        load = _at(table, demand=factor, capacity=first)["load"].iloc[0]
        lines.append(f"**At {factor:g}x demand:** " + "; ".join(parts)
                     + f". With {study.capacity_label} at {first:g}, the {study.body_label} "
                       f"is {load:.0%} loaded.")
    return _summary(lines)


@_labelled_by(3)
def sweep_table(study: Sweep) -> pd.DataFrame:
    """The sweep for people: demand, capacity, pathway, mean days (95% CI), days saved by
    this step (95% CI), and the body's load (%)."""
    table = study.table
    return pd.DataFrame({
        "Demand": table["demand"].map(lambda factor: f"{factor:g}x"),
        study.capacity_label.capitalize(): table["capacity"].map(lambda value: f"{value:g}"),
        "Pathway": table["pathway"].map(pathway_title),
        "Mean days": table["mean_days"].map(days),
        "95% CI": [interval(low, high).replace("95% CI ", "")
                   for low, high in zip(table["ci95_low"], table["ci95_high"], strict=True)],
        "Days saved by this step": [
            "" if not math.isfinite(gain) else f"{gain:.0f} ({interval(low, high)})"
            for gain, low, high in zip(table["gain_days"], table["gain_ci95_low"],
                                       table["gain_ci95_high"], strict=True)],
        "Load": table["load"].map(lambda share: f"{share:.0%}"),
    })


# --- demand growth -------------------------------------------------------------------------


def growth_summary(study: DemandGrowth) -> Markdown:
    """The executive summary of demand growth: cycle times at the lowest and highest
    multiplier, and which body fills up first."""
    low, high = study.factors[0], study.factors[-1]
    lines = []
    for pathway in study.scenario.pathways:
        start = _at(study.cycles, demand=low, pathway=pathway).iloc[0]
        end = _at(study.cycles, demand=high, pathway=pathway).iloc[0]
        lines.append(
            f"**{pathway_title(pathway)}:** {days(start['mean_days'])} days on "
            f"average at {low:g}x today's submissions, {days(end['mean_days'])} at {high:g}x "
            f"({interval(end['ci95_low'], end['ci95_high'])}); one in ten then takes longer "
            f"than {days(end['p90_days'])} days.")
    filling = study.first_to_fill()
    if len(filling):
        first = filling.iloc[0]
        lines.append(f"**The {first['body_label']} fills up first:** its load passes "
                     f"{FULL:.0%} at {first['demand']:g}x demand ({first['load']:.0%}).")
    else:
        top = _at(study.load, demand=high).sort_values("load", ascending=False).iloc[0]
        lines.append(f"No body passes {FULL:.0%} load up to {high:g}x demand; the busiest is "
                     f"the {top['body_label']} at {top['load']:.0%}.")
    return _summary(lines)


def load_table(study: DemandGrowth) -> pd.DataFrame:
    """Each body's load (%) at each demand multiplier (rows: bodies; columns: "1x", ...)."""
    table = study.load.assign(column=study.load["demand"].map(lambda f: f"{f:g}x"))
    wide = table.pivot_table(index="body_label", columns="column", values="load", sort=False)
    wide = wide[[f"{factor:g}x" for factor in study.factors]]
    return (wide * 100).round(0).rename_axis(index="Load (% of capacity)", columns=None)


# --- sensitivity ---------------------------------------------------------------------------


def sensitivity_summary(study: Sensitivity, count: int = 3) -> Markdown:
    """The executive summary of a sensitivity analysis: per pathway the ``count`` assumptions
    whose range moves the mean most, with the swing in days."""
    table = study.summary()
    lines = [f"Each of {table['assumption'].nunique()} uncertain assumptions was set to the "
             f"low and the high end of its plausible range, one at a time "
             f"({study.replications} paired runs each)."]
    for pathway in study.scenario.pathways:
        rows = table[table["pathway"] == pathway].head(count)
        if rows.empty:
            continue
        parts = [f"{note_words(row['note'])} ({row['low']:g} to {row['high']:g}: "
                 f"{days(row['mean_low'])} to {days(row['mean_high'])} days)"
                 for _, row in rows.iterrows()]
        lines.append(f"**{pathway_title(pathway)}** (now "
                     f"{days(rows['mean_base'].iloc[0])} days) depends most on "
                     + "; ".join(parts) + ".")
    lines.append("Assumptions at the bottom of the chart barely matter; those at the top are "
                 "worth measuring.")
    return _summary(lines)


@_labelled_by(2)
def sensitivity_table(study: Sensitivity, top: int = 10) -> pd.DataFrame:
    """The ``top`` largest swings per pathway for people: pathway, assumption (its note),
    range, mean days at the low end, now, at the high end, and the swing with its 95% CI."""
    table = study.summary()
    table = table[table["rank"] <= top]
    return pd.DataFrame({
        "Pathway": table["pathway"].map(pathway_title),
        "Assumption": table["note"].map(note_words),
        "Range": [f"{low:g} to {high:g}" for low, high in zip(table["low"], table["high"],
                                                             strict=True)],
        "Mean days at low": table["mean_low"].map(days),
        "Now": table["mean_base"].map(days),
        "At high": table["mean_high"].map(days),
        "Swing (95% CI)": [
            f"{swing:+.0f} ({interval(low, high).replace('95% CI ', '')})"
            for swing, low, high in zip(table["swing_mean"], table["swing_mean_ci95_low"],
                                        table["swing_mean_ci95_high"], strict=True)],
    })


# --- deadline planner and forecast -----------------------------------------------------------


def long_date(day: dt.date) -> str:
    """"6 November 2026"."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """"6 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


def _launch_name(plan: Plan, launch: dt.date) -> str:
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


def plan_summary(plan: Plan) -> Markdown:
    """The executive summary of a deadline study: the latest safe submission date for the
    first launch, with its probability and time to approval, then the other launches."""
    launch = plan.launches[0]
    table = plan.deadlines()
    latest = table["latest_submission"].iloc[0]
    wanted = f"{plan.confidence:.0%}"
    if latest is None:
        lines = [f"**No submission date in the 18 months before {long_date(launch)} gives "
                 f"{plan.proposal_words()} a {wanted} chance of approval in time.**"]
    else:
        row = plan.curve(launch).set_index("submitted").loc[latest]
        median, p90 = plan.cycle_days(latest)
        lines = [f"**To launch on {long_date(launch)}, submit {plan.proposal_words()} by "
                 f"{long_date(latest)}** for a {wanted} chance of approval in time (estimated "
                 f"{row['p_approved']:.0%}, 95% CI {row['ci95_low']:.0%} to "
                 f"{row['ci95_high']:.0%}). From then, half of such proposals are approved "
                 f"within {days(median)} days and nine in ten within {days(p90)}."]
    if latest is not None and plan.as_of is not None and latest < plan.as_of:
        reachable = table[table["latest_submission"].map(
            lambda day: day is not None and day >= plan.as_of)]
        lines.append(f"That date has passed (today is taken as {long_date(plan.as_of)})."
                     + (f" The first launch below still reachable with {wanted} confidence is "
                        f"{_launch_name(plan, reachable['launch'].iloc[0])}."
                        if len(reachable) else ""))
    others = table.iloc[1:]
    if len(others):
        parts = [f"{_launch_name(plan, row.launch)}: "
                 + _deadline_words(plan, row.latest_submission, long_date)
                 for row in others.itertuples()]
        lines.append("For the next terms: " + "; ".join(parts) + ".")
    lines.append(f"From {plan.replications} simulated runs, each with "
                 f"{plan.approved_at.shape[2]} test proposals a week alongside the usual "
                 "ones.")
    return _summary(lines)


@_labelled_by(1)
def deadline_table(plan: Plan) -> pd.DataFrame:
    """Per launch: when it is, the latest safe submission date, the chance of approval in
    time then (%), and the median and P90 days to approval from that date."""
    table = plan.deadlines()
    return pd.DataFrame({
        "To launch in": [_launch_name(plan, launch) for launch in table["launch"]],
        "Launch date": [short_date(launch) for launch in table["launch"]],
        "Submit": [_deadline_words(plan, day) for day in table["latest_submission"]],
        "Chance in time": [f"{p:.0%}" if math.isfinite(p) else "n/a"
                           for p in table["p_approved"]],
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
        "Now at": [_body_label(result.scenario, body) for body in
                   _step_bodies(result.scenario, table["pathway"], table["current_step"])],
        "Approved at all": table["p_approved"].map(lambda p: f"{p:.0%}"),
        "Median date": [short_date(day) if day else "later" for day in table["median_date"]],
        "P90 date": [short_date(day) if day else "later" for day in table["p90_date"]],
    })
    for term in result.terms:
        name = term_name(term)
        readable[f"By {name}"] = table[f"before {name}"].map(lambda p: f"{p:.0%}")
    return readable.set_index("Proposal")


def _step_bodies(scenario: Scenario, pathways: pd.Series, steps: pd.Series) -> list[str]:
    """The body of each (pathway, step label)."""
    labels = metrics.step_labels(scenario).set_index(["pathway", "step"])["body"]
    return [labels[(pathway, step)] for pathway, step in zip(pathways, steps, strict=True)]


# --- policy ----------------------------------------------------------------------------------


@_labelled_by(2)
def policy_table() -> pd.DataFrame:
    """The policy's eligibility rules that ``mcsim check-proposal`` applies: pathway, rule,
    requirement in plain words, and its source."""
    table = rules_table()
    return table.rename(columns={"pathway": "Pathway", "rule": "Rule",
                                 "requirement": "Requirement", "source": "Source"})
