"""Report 07, does the model reproduce our record? The page of a
:class:`~simlib.fitting.backtest.Backtest`: the one sentence a leader reads ("The model
reproduces the record" / "The model misses the record at <step> by N days"), the bottom
line, summary, tables and the figures of the recorded and simulated times. The command line
says the verdict with the same function, :func:`verdict_sentence`. Every function takes the
backtest."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simlib.formats.words import (
    day_count,
    days,
    fixed,
    long_date,
    pathway_title,
    pathway_words,
    percent,
    signed,
    span,
)
from simlib.reports import figures
from simlib.reports.readable import BottomLine, body_label, bullet_summary, labelled_by, run_count
from simlib.reports.words import Markdown, step_words

if TYPE_CHECKING:
    from simlib.fitting.backtest import Backtest, PathwayBacktest
    from simlib.scenario import Scenario

__all__ = ["MEASURES", "OUTCOME_HEADERS", "REPRODUCES", "STEP_HEADERS", "bottom_line",
           "cdf_figure", "cdf_frame", "cycle_table", "outcome_rows", "outcome_table",
           "statistics_table", "step_figure", "step_frame", "step_label", "step_rows",
           "step_table", "summary", "verdict_sentence", "with_interval"]


REPRODUCES = "The model reproduces the record."
OUTCOME_WORDS = {"approved": "approved", "withdrawn": "withdrawn", "open": "still open"}


MEASURES = (("mean", "mean_ci95", "mean"), ("median", "median_ci95", "median"),
            ("P90", "p90_ci95", "p90"))


def step_label(scenario: Scenario, step: str, body: str) -> str:
    """A step as readers read it: the body's label, and what the step's name adds."""
    return step_words(body_label(scenario, body), step, body)


def verdict_sentence(backtest: Backtest) -> str:
    """The one sentence: "The model reproduces the record." or "The model misses the record
    at the Dean's Office (credit-bearing) by 11 days: 18 days a visit against 7 recorded."
    (or, when no step stands out but a pathway's distribution differs, "... misses the
    credit-bearing record by N days on average")."""
    verdict = backtest.verdict
    if verdict.reproduces is None:
        return (f"No verdict: too few proposals have finished to judge the model "
                f"({verdict.finished} of the {backtest.history.proposals} recorded are "
                f"approved or withdrawn; a verdict needs {verdict.needed}).")
    if verdict.reproduces:
        return REPRODUCES
    if verdict.kind == "outcomes":
        item = backtest.pathways[verdict.pathway]
        return (f"The model misses the {pathway_words(verdict.pathway)} record's outcomes: "
                f"{_outcome_words(item)} (p = {fixed(item.outcomes['p_value'], 3)}).")
    if verdict.step is None:
        item = backtest.pathways[verdict.pathway]
        return (f"The model misses the {pathway_words(verdict.pathway)} record by "
                f"{day_count(abs(verdict.days))} on average: the simulated cycle time is "
                f"{days(item.simulated['mean'])} days against {days(item.recorded['mean'])} "
                f"recorded (KS test p = {fixed(item.ks_p_value, 3)}).")
    row = backtest.steps.set_index(["pathway", "step"]).loc[(verdict.pathway, verdict.step)]
    label = step_label(backtest.results.scenario, verdict.step, verdict.body)
    simulated, recorded = row["simulated_mean_days"], row["recorded_mean_days"]
    # the gap between the two whole numbers shown, so that the sentence adds up
    gap = abs(float(days(simulated)) - float(days(recorded)))
    return (f"The model misses the record at the {label} ({pathway_words(verdict.pathway)}) "
            f"by {day_count(gap)}: {days(simulated)} days a visit simulated against "
            f"{days(recorded)} recorded.")


def _outcome_words(item: PathwayBacktest) -> str:
    """"154 withdrawn recorded against 24 expected, 0 approved against 120, 0 still open
    against 10": the recorded outcomes against the model's, the largest gap first."""
    recorded, expected = item.outcomes["recorded"], item.outcomes["expected"] or {}
    order = sorted(recorded, key=lambda name: -round(abs(recorded[name]  # ties: as listed
                                                          - expected.get(name, 0.0)), 1))
    parts = [f"{recorded[name]} {OUTCOME_WORDS[name]} against "
             f"{fixed(expected.get(name, float('nan')))}" for name in order]
    return f"{parts[0]} expected by the model, " + ", ".join(parts[1:])


def bottom_line(backtest: Backtest) -> BottomLine:
    """The backtest (page 07): whether the model reproduces the record (or where it misses
    it, by how many days, or why there is no verdict), how sure, and whether to plan with
    it."""
    shares = ", ".join(f"{percent(item.inside_band_share)} of the {pathway_words(name)} "
                       f"proposals" for name, item in backtest.pathways.items()
                       if np.isfinite(item.inside_band_share))
    band = (f"{shares} fall inside the model's 5-95% band (about 90% when it is right)"
            if shares else "no recorded proposal is old enough to compare its time with the "
            "model's band")
    sure = (f"{band[0].upper()}{band[1:]}; from {backtest.history.proposals} recorded "
            f"proposals and {run_count(backtest.results.replications)}, so only differences "
            "larger than a step's noise count.")
    if backtest.verdict.reproduces is None:
        todo = ("Do not plan on this check: export the record again when more proposals "
                "have been approved or withdrawn, and rerun it.")
    elif backtest.verdict.reproduces:
        todo = "Plan with the model: its what-ifs start from the office as recorded."
    else:
        todo = ("Fix the model where it misses (refit that step, or check the record there) "
                "before planning with its what-ifs.")
    return BottomLine(verdict_sentence(backtest), sure, todo)


def _pathway_line(item: PathwayBacktest) -> str:
    recorded, simulated = item.recorded, item.simulated
    return (f"**{pathway_title(item.pathway)}:** recorded median "
            f"{days(recorded['median'])} days ({span(*recorded['median_ci95'])}), P90 "
            f"{days(recorded['p90'])}; simulated median {days(simulated['median'])}, P90 "
            f"{days(simulated['p90'])}. {percent(item.inside_band_share)} of the recorded "
            f"proposals fall inside the simulated 5-95% band (about 90% when the model is "
            f"right); KS test p = {fixed(item.ks_p_value, 2)}, distance "
            f"{day_count(item.wasserstein_days)}. From {recorded['n']} recorded proposals "
            f"({recorded['completed']} approved, {recorded['open']} still open, "
            f"{recorded['withdrawn']} withdrawn).")


def summary(backtest: Backtest) -> Markdown:
    """The summary: the verdict, each pathway's recorded and simulated median and P90, the
    share inside the band and the tests, the steps beyond their noise, and the run."""
    lines = [f"**{verdict_sentence(backtest)}**"]
    lines += [_pathway_line(item) for item in backtest.pathways.values()]
    lines += [f"**{pathway_title(item.pathway)} outcomes** on the export date: "
              f"{_outcome_words(item)} (p = {fixed(item.outcomes['p_value'], 2)})."
              for item in backtest.pathways.values() if item.outcomes.get("expected")]
    beyond = backtest.steps[backtest.steps["beyond_noise"]]
    scenario = backtest.results.scenario
    if len(beyond):
        named = ", ".join(f"{step_label(scenario, row.step, row.body)} "
                          f"({pathway_words(row.pathway)}, {signed(row.difference_days)} days)"
                          for row in beyond.itertuples())
        lines.append(f"Steps whose simulated time differs from the record beyond noise: "
                     f"{named}.")
    else:
        lines.append("Every step's simulated time per visit is within noise of the record.")
    lines.append(f"The record: {backtest.history.proposals} proposals as of "
                 f"{long_date(backtest.history.as_of)}; the model: "
                 f"{backtest.results.replications} simulated runs of {scenario.name}.")
    return bullet_summary(lines)


def with_interval(value: float, interval: list[float] | None) -> str:
    """"12 (10 to 15)": days with their 95% CI, when there is one."""
    if interval is None:
        return days(value)
    return f"{days(value)} ({span(*interval)})"


@labelled_by(2)
def cycle_table(backtest: Backtest) -> pd.DataFrame:
    """Per pathway and measure (mean, median, P90): recorded days (95% CI), simulated days
    and the difference (simulated - recorded, days)."""
    rows = []
    for item in backtest.pathways.values():
        for name, ci_key, key in MEASURES:
            recorded, simulated = item.recorded[key], item.simulated[key]
            rows.append((pathway_title(item.pathway), name,
                         with_interval(recorded, item.recorded[ci_key]), days(simulated),
                         signed(simulated - recorded)))
    return pd.DataFrame(rows, columns=["pathway", "measure", "recorded days (95% CI)",
                                       "simulated days", "difference days"])


OUTCOME_HEADERS = ("pathway", "outcome", "recorded", "expected by the model", "p-value")


def outcome_rows(backtest: Backtest) -> list[tuple]:
    """Per pathway and outcome (approved, withdrawn, still open on the export date), the
    cells of :data:`OUTCOME_HEADERS`: the recorded count, the model's expected count at
    the proposals' ages, and the pathway's test p-value (on its first row)."""
    rows = []
    for item in backtest.pathways.values():
        expected = item.outcomes.get("expected") or {}
        for index, (name, count) in enumerate(item.outcomes.get("recorded", {}).items()):
            rows.append((pathway_title(item.pathway), OUTCOME_WORDS[name], str(count),
                         fixed(expected.get(name), 1),
                         fixed(item.outcomes["p_value"], 3) if index == 0 else ""))
    return rows


@labelled_by(2)
def outcome_table(backtest: Backtest) -> pd.DataFrame:
    """Per pathway and outcome: recorded and expected counts and the test's p-value."""
    return pd.DataFrame(outcome_rows(backtest), columns=list(OUTCOME_HEADERS))


@labelled_by(1)
def statistics_table(backtest: Backtest) -> pd.DataFrame:
    """Per pathway: the KS statistic and p-value, the Wasserstein distance (days), the share
    of recorded proposals inside the simulated 5-95% band, and the withdrawn shares."""
    rows = [(pathway_title(item.pathway), fixed(item.ks_statistic, 3),
             fixed(item.ks_p_value, 3), days(item.wasserstein_days),
             percent(item.inside_band_share), percent(item.recorded["withdrawn_share"]),
             percent(item.simulated["withdrawn_share"]))
            for item in backtest.pathways.values()]
    return pd.DataFrame(rows, columns=["pathway", "KS statistic", "KS p-value",
                                       "distance (days)", "inside 5-95% band",
                                       "withdrawn (recorded)", "withdrawn (simulated)"])


def step_rows(backtest: Backtest) -> list[tuple]:
    """Per step, the cells of :data:`STEP_HEADERS`."""
    scenario = backtest.results.scenario
    return [(pathway_title(row.pathway), step_label(scenario, row.step, row.body),
             str(row.recorded_visits), days(row.recorded_mean_days),
             days(row.simulated_mean_days), signed(row.difference_days, 1),
             fixed(row.noise_days, 1),
             "beyond noise" if row.beyond_noise else "")
            for row in backtest.steps.itertuples()]


STEP_HEADERS = ("pathway", "step", "recorded visits", "recorded days", "simulated days",
                "difference", "noise (+/-)", "")


@labelled_by(2)
def step_table(backtest: Backtest) -> pd.DataFrame:
    """Per step: recorded visits, recorded and simulated mean days per visit (arrival to
    decision), the difference (simulated - recorded), its noise and whether it is beyond."""
    return pd.DataFrame(step_rows(backtest), columns=[*STEP_HEADERS[:-1], "verdict"])


def cdf_frame(backtest: Backtest, points: int = 200) -> pd.DataFrame:
    """The two CDFs to draw, tidy: pathway, source (``recorded``: Kaplan-Meier with its 95%
    band; ``simulated``), days, share (0-1), low and high (the band; NaN for simulated)."""
    frames = []
    for item in backtest.pathways.values():
        top = max(np.max(item.simulated_days, initial=0.0),
                  np.max(item.recorded_km.times, initial=0.0) if item.recorded_km else 0.0)
        grid = np.linspace(0.0, top, points)
        simulated = np.searchsorted(np.sort(item.simulated_days), grid, side="right")
        frames.append(pd.DataFrame({"pathway": item.pathway, "source": "simulated",
                                    "days": grid, "share": simulated / max(
                                        len(item.simulated_days), 1),
                                    "low": np.nan, "high": np.nan}))
        km = item.recorded_km
        if km is not None:
            where = np.searchsorted(km.times, grid, side="right") - 1
            band = [np.where(where >= 0, values[np.clip(where, 0, None)], 0.0)
                    for values in (km.cdf_low, km.cdf_high)]
            frames.append(pd.DataFrame({"pathway": item.pathway, "source": "recorded",
                                        "days": grid, "share": km.cdf_at(grid),
                                        "low": band[0], "high": band[1]}))
    return pd.concat(frames, ignore_index=True)


def step_frame(backtest: Backtest) -> pd.DataFrame:
    """The step comparison to draw, tidy: pathway, label (the step as readers read it),
    recorded_mean_days, simulated_mean_days, difference_days, noise_days, beyond_noise."""
    scenario = backtest.results.scenario
    table = backtest.steps.copy()
    table.insert(1, "label", [step_label(scenario, row.step, row.body)
                              for row in table.itertuples()])
    return table.drop(columns=["step", "body"])


def cdf_figure(backtest: Backtest) -> Figure:
    """The recorded (Kaplan-Meier, with its band) and simulated shares approved by each
    day, per pathway."""
    return figures.cycle_cdfs(cdf_frame(backtest))


def step_figure(backtest: Backtest) -> Figure:
    """Recorded and simulated days per visit at each step, with the step's noise."""
    return figures.step_comparison(step_frame(backtest))
