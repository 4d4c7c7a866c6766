"""Report 02, what would make it faster? The page of a
:class:`~simlib.answers.ComparisonAnswer`: its bottom line, summary, the table of paired
differences, what each what-if costs in hours beside the days it saves (where bodies have
hours), what each what-if changes, one sentence per change and the forest plot. With the
comparison at the posterior draws, each difference also has its 95% range over what we
don't know and the chance it is faster. Every function takes the answer."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure

from simlib.answers import ComparisonAnswer
from simlib.answers import Figure as AnswerFigure
from simlib.experiments.compare import Comparison
from simlib.formats.printable import printable
from simlib.formats.words import (
    chance,
    change,
    day_count,
    days,
    interval,
    number,
    pathway_title,
    pathway_words,
    plural,
    range_change,
)
from simlib.reports import figures
from simlib.reports.readable import BottomLine, bullet_summary, labelled_by, run_count
from simlib.reports.unknowns import RANGE, unknowns_sentence
from simlib.reports.words import (
    HOURS_WORDS,
    TRADE_WORDS,
    Markdown,
    assumption_value,
    hours_words,
    summary_sentences,
    unknowns_clause,
)
from simlib.scenario import Scenario

__all__ = [
    "CHANGE", "STRESS_TEST", "bottom_line", "changes_table", "comparison_table",
    "differences", "forest_figure", "is_stress_test", "kind_counts", "price_table",
    "sentences", "summary",
]


STRESS_TEST = "stress test"


CHANGE = "change"


def is_stress_test(base: Scenario, alternative: Scenario) -> bool:
    """A what-if that changes how many proposals arrive (its demand) is a stress test of the
    process, not a change the university could make."""
    return alternative.demand != base.demand


def kind_counts(comparison: Comparison) -> dict[str, int]:
    """How many alternatives of ``comparison`` are changes and how many stress tests."""
    kinds = [STRESS_TEST if is_stress_test(comparison.base.scenario, alt.scenario) else CHANGE
             for alt in comparison.alternatives]
    return {kind: kinds.count(kind) for kind in (CHANGE, STRESS_TEST)}


def _ranges(answer: ComparisonAnswer) -> dict[tuple[str, str], dict[str, float]]:
    """Per (what-if name, pathway): ``range_low``, ``range_high`` (the difference's 95%
    range over the draws, days) and ``p_faster``; empty without draws."""
    if answer.over_draws is None:
        return {}
    found = {}
    for name, pathway in answer.pairs:
        figure = answer.difference(name, pathway)
        found[(name, pathway)] = {"range_low": figure.range95[0],
                                  "range_high": figure.range95[1],
                                  "p_faster": figure.p_below_zero}
    return found


def differences(answer: ComparisonAnswer) -> pd.DataFrame:
    """Per (alternative, pathway): alternative (title), name (the scenario's), pathway,
    base_mean_days, alt_mean_days, mean_diff_days, ci95_low, ci95_high, p90_diff_days
    (days), verdict and kind (:data:`CHANGE`, or :data:`STRESS_TEST` for more or fewer
    proposals). With the comparison at the posterior draws, also range_low, range_high
    (the difference's 95% range over what we don't know, days; the CI when nothing is
    drawn) and p_faster."""
    comparison = answer.comparison
    data = comparison.to_dict()
    kinds = {alt.scenario.name: STRESS_TEST if is_stress_test(comparison.base.scenario,
                                                              alt.scenario) else CHANGE
             for alt in comparison.alternatives}
    ranges = _ranges(answer)
    rows = []
    for name, entry in data["alternatives"].items():
        for pathway, item in entry["pathways"].items():
            low, high = item["ci95"]
            rows.append({"alternative": entry["title"] or name, "name": name,
                         "pathway": pathway,
                         "base_mean_days": item["base_mean_days"],
                         "alt_mean_days": item["alt_mean_days"],
                         "mean_diff_days": item["mean_diff_days"],
                         "ci95_low": low, "ci95_high": high,
                         "p90_diff_days": item["p90_diff_days"], "verdict": item["verdict"],
                         "kind": kinds.get(name, CHANGE), **ranges.get((name, pathway), {})})
    numbers = ["base_mean_days", "alt_mean_days", "mean_diff_days", "ci95_low", "ci95_high",
               "p90_diff_days"]
    if ranges:
        numbers += ["range_low", "range_high", "p_faster"]
    return pd.DataFrame(rows).astype({column: float for column in numbers})


@labelled_by(2)
def comparison_table(answer: ComparisonAnswer) -> pd.DataFrame:
    """The paired differences for people: change (stress tests marked), pathway, mean days
    before and after, the change in the mean with its 95% CI, and the change in P90; with
    the comparison at the posterior draws, also the change's 95% range over what we don't
    know and the chance it is faster (P(faster))."""
    table = differences(answer)
    readable = pd.DataFrame({
        "Change": [f"{name} (stress test)" if kind == STRESS_TEST else name
                   for name, kind in zip(table["alternative"], table["kind"], strict=True)],
        "Pathway": table["pathway"].map(pathway_title),
        "Mean days now": table["base_mean_days"].map(days),
        "With the change": table["alt_mean_days"].map(days),
        "Change in the mean (95% CI)": [
            change(value, low, high) for value, low, high in
            zip(table["mean_diff_days"], table["ci95_low"], table["ci95_high"], strict=True)],
    })
    if answer.over_draws is not None:
        readable[RANGE] = [range_change(low, high) for low, high
                           in zip(table["range_low"], table["range_high"], strict=True)]
        readable["P(faster)"] = table["p_faster"].map(chance)
    readable["Change in P90"] = table["p90_diff_days"].map(change)
    return readable


def _prices(answer: ComparisonAnswer) -> dict[str, str]:
    """Per what-if name whose hours are priced: what it does to faculty hours, as a verb
    phrase (:func:`~simlib.reports.words.hours_words`)."""
    return {name: hours_words(entry["hours"])
            for name, entry in answer.comparison.to_dict()["alternatives"].items()
            if entry["hours"]["priced"]}


def _priced(name: str, prices: dict[str, str], before: str = "; it ") -> str:
    """``before`` and the price of what-if ``name`` ("" when not priced)."""
    return f"{before}{prices[name]}" if name in prices else ""


def _also(rows: pd.DataFrame, prices: dict[str, str]) -> str:
    return "; ".join(f"{row['alternative']} ({day_count(-row['mean_diff_days'])}"
                     f"{_priced(row['name'], prices, ', ')})"
                     for _, row in rows.iterrows())


def range_clause(ranges: dict[str, float], fixed: bool) -> str:
    """"; with what we don't know, it saves 18 to 37 days, faster with 99% probability"
    ("" when nothing is drawn or the range is missing)."""
    if fixed:
        return ""
    row = {"difference_predictive95": [ranges["range_low"], ranges["range_high"]],
           "p_shorter": ranges["p_faster"]}
    if not all(math.isfinite(value) for value in (*row["difference_predictive95"],
                                                   ranges["p_faster"])):
        return ""
    return unknowns_clause(row, 0)


def summary(answer: ComparisonAnswer) -> Markdown:
    """The executive summary of a comparison: per pathway the change that cuts the mean
    most (with the comparison at the posterior draws: its 95% range over what we don't
    know), the others that clearly help and those that make it slower; then what the
    stress tests (more proposals) do."""
    comparison = answer.comparison
    table = differences(answer)
    drawn = answer.over_draws is not None
    changes, stress = table[table["kind"] == CHANGE], table[table["kind"] == STRESS_TEST]
    counts = kind_counts(comparison)
    count, tests = counts[CHANGE], counts[STRESS_TEST]
    prices = _prices(answer)
    lines = [f"{count} {'change was' if count == 1 else 'changes were each'} compared with "
             f"*{comparison.base.scenario.title or comparison.base.scenario.name}* over "
             f"{comparison.replications} paired runs (the same random proposals and delays "
             f"in every scenario)"
             + (f", with {tests} {'stress test' if tests == 1 else 'stress tests'} of more "
                "proposals." if tests else ".")]
    for pathway, rows in changes.groupby("pathway", sort=False):
        words = pathway_words(pathway)
        faster = rows[rows["verdict"] == "shorter"].sort_values("mean_diff_days")
        slower = rows[rows["verdict"] == "longer"]
        if len(faster):
            best, others = faster.iloc[0], _also(faster.iloc[1:], prices)
            lines.append(
                f"**{best['alternative']}** cuts the {words} mean most: by "
                f"{day_count(-best['mean_diff_days'])} "
                f"({interval(-best['ci95_high'], -best['ci95_low'])}), from "
                f"{days(best['base_mean_days'])} to {days(best['alt_mean_days'])}"
                + (range_clause(best, answer.fixed) if drawn else "")
                + _priced(best["name"], prices) + "."
                + (f" Also clearly faster: {others}." if others else ""))
        else:
            lines.append(f"No change clearly shortens the {words} mean.")
        if len(slower):
            lines.append(f"Slower for {words} proposals: {'; '.join(slower['alternative'])}.")
    for name, rows in stress.groupby("alternative", sort=False):
        parts = "; ".join(f"{pathway_words(row['pathway'])} "
                          f"{change(row['mean_diff_days'], row['ci95_low'], row['ci95_high'])}"
                          for _, row in rows.iterrows())
        lines.append(f"Stress test, {name}: {parts}.")
    return bullet_summary(lines)


def _hours_cell(figure: AnswerFigure) -> str:
    """A change in hours a year with its 95% CI: "310 hours more (95% CI 290 to 330)"."""
    return change(figure.value, *figure.ci95, unit="hour", less="fewer", more="more")


@labelled_by(2)
def price_table(answer: ComparisonAnswer) -> pd.DataFrame:
    """What each what-if whose bodies have hours costs, beside the days it saves: per
    what-if (stress tests marked) and pathway, the change in the mean days (95% CI), the
    change in faculty hours a year (95% CI; with the comparison at the posterior draws, its
    95% range over what we don't know too), the part of it outside terms, staff and total
    hours a year, and the days saved per 100 faculty hours (where the what-if clearly adds
    faculty hours; otherwise what it does instead). No rows when no body has hours."""
    entries = answer.comparison.to_dict()["alternatives"]
    rows = [_price_row(answer, row, entries[row["name"]]["hours"])
            for _, row in differences(answer).iterrows()
            if entries[row["name"]]["hours"]["priced"]]
    return pd.DataFrame(rows, columns=list(rows[0]) if rows else ["Change", "Pathway"])


def _price_row(answer: ComparisonAnswer, row: pd.Series, hours: dict) -> dict[str, str]:
    """One row of :func:`price_table`: a row of :func:`differences` and its what-if's
    priced ``hours`` entry."""
    figures = {key: answer.hours_change(row["name"], key) for key in HOURS_WORDS}
    trade = hours["trade"][row["pathway"]]
    per_100 = trade["days_saved_per_100_faculty_hours"]
    cells = {
        "Change": (f"{row['alternative']} (stress test)" if row["kind"] == STRESS_TEST
                   else row["alternative"]),
        "Pathway": pathway_title(row["pathway"]),
        "Change in the mean (95% CI)": change(row["mean_diff_days"], row["ci95_low"],
                                              row["ci95_high"]),
        "Faculty hours a year (95% CI)": _hours_cell(figures["faculty"]),
    }
    if answer.over_draws is not None:
        cells[f"Faculty hours {RANGE}"] = range_change(
            *figures["faculty"].range95, unit="hour", less="fewer", more="more")
    return cells | {
        "Of them outside terms": _hours_cell(figures["faculty_outside_terms"]),
        "Staff hours a year": _hours_cell(figures["staff"]),
        "Total hours a year": _hours_cell(figures["total"]),
        "Days saved per 100 faculty hours": (number(per_100) if per_100 is not None
                                             else TRADE_WORDS[trade["reading"]]),
    }


def _setting(path: str, value: object) -> str:
    """A scenario value as the changes table shows it (a step or block: "a step")."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return assumption_value(path, value)
    if isinstance(value, dict | list):
        return "a step" if path.startswith("pathways.") else "a block"
    return str(value).replace("_", " ")


@labelled_by(2)
def changes_table(answer: ComparisonAnswer) -> pd.DataFrame:
    """What each what-if changes against the base, one row per value: the what-if (its
    title; stress tests marked), the setting (its key path), today's value and the
    what-if's ("none" where a step is added or removed)."""
    comparison = answer.comparison
    rows = []
    for alt in comparison.alternatives:
        name = alt.scenario.title or alt.scenario.name
        if is_stress_test(comparison.base.scenario, alt.scenario):
            name += " (stress test)"
        for item in comparison.changes[alt.scenario.name]:
            rows.append([name, item.path, _setting(item.path, item.base),
                         _setting(item.path, item.new)])
    return pd.DataFrame(rows, columns=["What-if", "Setting", "Today", "In the what-if"])


def sentences(answer: ComparisonAnswer) -> Markdown:
    """One plain sentence per change and pathway, as a Markdown list; with the comparison
    at the posterior draws, each clear change's range over what we don't know."""
    summary = answer.to_dict()
    return Markdown("\n".join(f"- {printable(line, None)}" for line in summary_sentences(summary))
                    + "\n")


def _saving_sentence(answer: ComparisonAnswer, name: str, pathway: str) -> str:
    """The page's sentence on what we don't know about the days the alternative ``name``
    saves on ``pathway``'s mean (over the answer's runs at the draws)."""
    comparison, unknowns = answer.comparison, answer.over_draws
    base = (unknowns.uncertain or ())[0]
    alternative = next(alt for alt in unknowns.alternatives if alt.scenario.name == name)
    title = alternative.scenario.title or name
    change, values = unknowns.over_draws[(name, pathway)]
    return unknowns_sentence(comparison.base.scenario, base.draws, change.negated(), -values,
                             f"the saving of “{title}” ({pathway_words(pathway)} mean)")


def _hour_savers(answer: ComparisonAnswer, rows: pd.DataFrame, pathway: str) -> str:
    """" “Consent agenda” saves both days and faculty hours. “Fewer meetings” frees
    faculty hours with no clear change in days." for the changes of ``rows`` that free
    faculty hours on ``pathway`` ("" when none)."""
    entries = answer.comparison.to_dict()["alternatives"]
    readings = {row["alternative"]: entries[row["name"]]["hours"]["trade"][pathway]["reading"]
                for _, row in rows.iterrows() if entries[row["name"]]["hours"]["priced"]}
    text = ""
    for reading, verb, what in (("saves_both", "save", "both days and faculty hours"),
                                ("frees_hours", "free",
                                 "faculty hours with no clear change in days")):
        names = [name for name, found in readings.items() if found == reading]
        if names:
            listed = ", ".join(f"“{name}”" for name in names)
            text += f" {listed} {verb + 's' if len(names) == 1 else verb} {what}."
    return text


def bottom_line(answer: ComparisonAnswer, pathway: str | None = None) -> BottomLine:
    """What-ifs: the change that cuts ``pathway``'s mean most (default: the first pathway;
    and, where bodies have hours, what it costs or frees in faculty hours), how many changes
    clearly help, and which to try first, each with its price, and which save both days and
    hours (stress tests of more proposals apart). With the comparison at the posterior
    draws, the best change's 95% range over what we don't know and the page's sentence on
    it."""
    result, unknowns = answer.comparison, answer.over_draws
    table = differences(answer)
    pathway = table["pathway"].iloc[0] if pathway is None else pathway
    words = pathway_words(pathway)
    rows = table[(table["pathway"] == pathway) & (table["kind"] == CHANGE)]
    faster = rows[rows["verdict"] == "shorter"].sort_values("mean_diff_days")
    total = kind_counts(result)[CHANGE]
    if faster.empty:
        headline = (f"None of the {plural(total, 'change')} compared clearly shortens the "
                    f"{words} mean.")
        todo = ("Keep the process; look for changes that cut the waiting for meetings."
                + _hour_savers(answer, rows, pathway))
    else:
        best = faster.iloc[0]
        clause = "" if unknowns is None else range_clause(best, answer.fixed)
        prices = _prices(answer)
        headline = (f"The change that helps most: {best['alternative']}. The {words} mean would "
                    f"fall from {days(best['base_mean_days'])} to "
                    f"{day_count(best['alt_mean_days'])}, "
                    f"{change(best['mean_diff_days'], best['ci95_low'], best['ci95_high'])}"
                    f"{clause}{_priced(best['name'], prices)}.")
        runner_up = (f" Then “{faster['alternative'].iloc[1]}”: "
                     f"{day_count(-faster['mean_diff_days'].iloc[1])} faster"
                     f"{_priced(faster['name'].iloc[1], prices)}."
                     if len(faster) > 1 else "")
        todo = (f"Try “{best['alternative']}” first{_priced(best['name'], prices, ': it ')}."
                f"{runner_up}" + _hour_savers(answer, rows, pathway))
    stress = table[(table["pathway"] == pathway) & (table["kind"] == STRESS_TEST)]
    if len(stress):
        worst = stress.sort_values("mean_diff_days").iloc[-1]
        todo += (f" Plan for growth too: in the stress test “{worst['alternative']}” the mean "
                 f"would be {day_count(worst['alt_mean_days'])}.")
    sure = (f"{len(faster)} of {plural(total, 'change')} clearly shorten the {words} mean "
            f"(their 95% intervals exclude no change); each was compared with today over the "
            f"same {run_count(result.replications, 'simulated runs')}, so the differences come "
            "from the change, not from chance.")
    if unknowns is not None:
        shown = faster if len(faster) else (rows if len(rows) else
                                            table[table["pathway"] == pathway])
        first = shown.sort_values("mean_diff_days").iloc[0]
        sure += " " + _saving_sentence(answer, first["name"], pathway)
    return BottomLine(headline, sure, todo)


def forest_figure(answer: ComparisonAnswer) -> Figure:
    """Each change's difference in the mean with its 95% CI (and range), per pathway."""
    return figures.forest(differences(answer))
