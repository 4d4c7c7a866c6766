"""Report 05, which assumption matters most? The page of a
:class:`~simlib.answers.SensitivityAnswer` (each assumption swung over its range, one at a
time): its bottom line, summary, the table of swings and the tornado; over the posterior
draws, each swing's 95% range and what we don't know about today's means. Every function
takes the answer."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import SensitivityAnswer
from simlib.experiments.sensitivity import Sensitivity
from simlib.formats.words import day_count, days, pathway_title, pathway_words, signed, span
from simlib.reports import figures
from simlib.reports.readable import BottomLine, bullet_summary, labelled_by, run_count
from simlib.reports.unknowns import OVER_DRAWS, RANGE, mean_sentence
from simlib.reports.words import Markdown, assumption_value, without_source
from simlib.scenario import note_words

__all__ = ["assumption_source", "assumption_words", "bottom_line", "summary", "swing_table",
           "tornado_figure"]


def sensitivity_fixed(study: Sensitivity) -> bool:
    """True unless the study ran over posterior draws that vary."""
    return study.uncertainty is None or bool(study.uncertainty.get("fixed"))


def swing_range(study: Sensitivity, row: dict) -> str:
    """" (a swing of 45 days; 95% range 30 to 60 with what we don't know)" for a row of
    the study's table ("" without varying draws)."""
    if sensitivity_fixed(study) or "swing_mean_predictive95_low" not in row:
        return ""
    low, high = row["swing_mean_predictive95_low"], row["swing_mean_predictive95_high"]
    if not (math.isfinite(low) and math.isfinite(high)):
        return ""
    return (f" (a swing of {day_count(abs(row['swing_mean']))}; 95% range {span(low, high)} "
            "with what we don't know)")


def bottom_line(answer: SensitivityAnswer, count: int = 2) -> BottomLine:
    """Sensitivity: the assumptions the first pathway's mean depends on most, how much the
    answer could move, and what to measure. A study run over posterior draws gives the top
    swing's 95% range and the page's sentence on what we don't know about today's
    estimate (from its base runs over the draws)."""
    study, unknowns = answer.study, answer.over_draws
    table = study.summary()
    pathway = next(iter(study.scenario.pathways))
    rows = table[table["pathway"] == pathway].head(count)
    names = [assumption_words(row) for _, row in rows.iterrows()]
    top = rows.iloc[0]
    over = "" if sensitivity_fixed(study) else f" {OVER_DRAWS}"
    headline = (f"The {pathway_words(pathway)} estimate{over} ({day_count(top['mean_base'])}) "
                "depends "
                f"most on {' and on '.join(names)}: across its range the first moves it from "
                f"{days(top['mean_low'])} to {day_count(top['mean_high'])}"
                f"{swing_range(study, top)}.")
    swings = table["swing_mean"].abs()
    sure = (f"These numbers are assumptions, not measurements: one at a time across their "
            f"plausible ranges, they move a mean by up to {day_count(swings.max())} "
            f"({run_count(study.replications, 'paired runs')} per setting).")
    if unknowns is not None:
        sure += " " + mean_sentence(unknowns, f"the {pathway_words(pathway)} estimate")
    todo = (f"Measure {' and '.join(names)} first (from the committees' records); the "
            "assumptions at the bottom of the chart barely matter.")
    return BottomLine(headline, sure, todo)


def summary(answer: SensitivityAnswer, count: int = 3) -> Markdown:
    """The executive summary of a sensitivity analysis: per pathway the ``count`` assumptions
    whose range moves the mean most, with the swing in days."""
    study = answer.study
    table = study.summary()
    drawn = not sensitivity_fixed(study)
    over = f", {OVER_DRAWS}" if drawn else ""
    lines = [f"Each of {table['assumption'].nunique()} uncertain assumptions was set to the "
             f"low and the high end of its plausible range, one at a time "
             f"({study.replications} paired runs each"
             + (f": {study.uncertainty['replications_per_draw']} at each of "
                f"{study.uncertainty['draws']} draws of the other uncertain numbers"
                if drawn else "") + ")."]
    for pathway in study.scenario.pathways:
        rows = table[table["pathway"] == pathway].head(count)
        if rows.empty:
            continue
        parts = [f"{assumption_words(row)} ({_range(row)}: "
                 f"{span(row['mean_low'], row['mean_high'])} days)"
                 for _, row in rows.iterrows()]
        lines.append(f"**{pathway_title(pathway)}** (now "
                     f"{days(rows['mean_base'].iloc[0])} days{over}) depends most on "
                     + "; ".join(parts) + ".")
    lines.append("Assumptions at the bottom of the chart barely matter; those at the top are "
                 "worth measuring.")
    return bullet_summary(lines)


def assumption_words(row: pd.Series) -> str:
    """An assumption's note in plain words, without its source mark or bracketed source
    (the source goes in its own column or a footnote)."""
    note = row["note"] if isinstance(row["note"], str) and row["note"] else row["assumption"]
    return without_source(note_words(str(note)))[0]


def assumption_source(row: pd.Series) -> str:
    """The source of an assumption's range: its note's bracketed source, else "assumed"."""
    note = row["note"] if isinstance(row["note"], str) else ""
    return without_source(note_words(note))[1] or "assumed"


def _range(row: pd.Series) -> str:
    path = str(row["assumption"])
    return f"{assumption_value(path, row['low'])} to {assumption_value(path, row['high'])}"


@labelled_by(2)
def swing_table(answer: SensitivityAnswer, top: int = 10) -> pd.DataFrame:
    """The ``top`` largest swings per pathway for people: pathway, assumption (its note),
    range, mean days at the low end, now, at the high end, the swing with its 95% CI (and,
    for a study over posterior draws, its 95% range over what we don't know) and the
    source of the range."""
    study = answer.study
    table = study.summary()
    table = table[table["rank"] <= top]
    readable = pd.DataFrame({
        "Pathway": table["pathway"].map(pathway_title),
        "Assumption": [assumption_words(row) for _, row in table.iterrows()],
        "Range": [_range(row) for _, row in table.iterrows()],
        "Mean days at low": table["mean_low"].map(days),
        "Now": table["mean_base"].map(days),
        "At high": table["mean_high"].map(days),
        "Swing in days (95% CI)": [
            f"{signed(swing)} ({span(low, high)})"
            for swing, low, high in zip(table["swing_mean"], table["swing_mean_ci95_low"],
                                        table["swing_mean_ci95_high"], strict=True)],
    })
    if "swing_mean_predictive95_low" in table:
        readable[f"Swing {RANGE}"] = [
            span(low, high) for low, high in zip(table["swing_mean_predictive95_low"],
                                                 table["swing_mean_predictive95_high"],
                                                 strict=True)]
    readable["Source of the range"] = [assumption_source(row) for _, row in table.iterrows()]
    return readable


def tornado_figure(answer: SensitivityAnswer, top: int = 10) -> Figure:
    """The ``top`` largest swings per pathway, largest first."""
    return figures.tornado(answer.study.summary(), top)
