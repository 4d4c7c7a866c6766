"""Plain words and readable tables of a comparison of what-ifs (page 02): the differences,
the table, the summary, the changes each what-if makes and one sentence per change (see
:mod:`simlib.reports.summaries`, which also exports them). With the comparison over the
posterior draws (``unknowns``), each difference also has its 95% range over what we don't
know and the chance it is faster."""

from __future__ import annotations

import pandas as pd

from simlib.experiments.compare import Comparison
from simlib.formats.words import (
    chance,
    change,
    day_count,
    days,
    interval,
    pathway_title,
    pathway_words,
    range_change,
)
from simlib.reports.notebooks import Markdown
from simlib.reports.readable import bullet_summary, labelled_by
from simlib.reports.summaries_unknowns import (
    RANGE,
    comparison_fixed,
    comparison_ranges,
    range_clause,
    with_ranges,
)
from simlib.reports.words import assumption_value, summary_sentences
from simlib.scenario import Scenario

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


def differences(comparison: Comparison, unknowns: Comparison | None = None) -> pd.DataFrame:
    """Per (alternative, pathway): alternative (title), name (the scenario's), pathway,
    base_mean_days, alt_mean_days, mean_diff_days, ci95_low, ci95_high, p90_diff_days
    (days), verdict and kind (:data:`CHANGE`, or :data:`STRESS_TEST` for more or fewer
    proposals). With ``unknowns`` (the comparison over the posterior draws,
    :func:`~simlib.experiments.studies_uncertain.compare_unknowns`) also range_low,
    range_high (the difference's 95% range over what we don't know, days; the CI when
    nothing is drawn) and p_faster."""
    data = comparison.to_dict()
    kinds = {alt.scenario.name: STRESS_TEST if is_stress_test(comparison.base.scenario,
                                                              alt.scenario) else CHANGE
             for alt in comparison.alternatives}
    ranges = comparison_ranges(comparison, unknowns) if unknowns is not None else {}
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
def comparison_table(comparison: Comparison, unknowns: Comparison | None = None
                     ) -> pd.DataFrame:
    """The paired differences for people: change (stress tests marked), pathway, mean days
    before and after, the change in the mean with its 95% CI, and the change in P90; with
    ``unknowns`` (the comparison over the posterior draws) also the change's 95% range
    over what we don't know and the chance it is faster (P(faster))."""
    table = differences(comparison, unknowns)
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
    if unknowns is not None:
        readable[RANGE] = [range_change(low, high) for low, high
                           in zip(table["range_low"], table["range_high"], strict=True)]
        readable["P(faster)"] = table["p_faster"].map(chance)
    readable["Change in P90"] = table["p90_diff_days"].map(change)
    return readable


def _also(rows: pd.DataFrame) -> str:
    return "; ".join(f"{row['alternative']} ({day_count(-row['mean_diff_days'])})"
                     for _, row in rows.iterrows())


def comparison_summary(comparison: Comparison, unknowns: Comparison | None = None
                       ) -> Markdown:
    """The executive summary of a comparison: per pathway the change that cuts the mean
    most (with ``unknowns``, the comparison over the posterior draws: its 95% range over
    what we don't know), the others that clearly help and those that make it slower; then
    what the stress tests (more proposals) do."""
    table = differences(comparison, unknowns)
    fixed = unknowns is None or comparison_fixed(unknowns)
    changes, stress = table[table["kind"] == CHANGE], table[table["kind"] == STRESS_TEST]
    counts = kind_counts(comparison)
    count, tests = counts[CHANGE], counts[STRESS_TEST]
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
            best, others = faster.iloc[0], _also(faster.iloc[1:])
            lines.append(
                f"**{best['alternative']}** cuts the {words} mean most: by "
                f"{day_count(-best['mean_diff_days'])} "
                f"({interval(-best['ci95_high'], -best['ci95_low'])}), from "
                f"{days(best['base_mean_days'])} to {days(best['alt_mean_days'])}"
                + ("" if unknowns is None else range_clause(best, fixed)) + "."
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
def changes_table(comparison: Comparison) -> pd.DataFrame:
    """What each what-if changes against the base, one row per value: the what-if (its
    title; stress tests marked), the setting (its key path), today's value and the
    what-if's ("none" where a step is added or removed)."""
    rows = []
    for alt in comparison.alternatives:
        name = alt.scenario.title or alt.scenario.name
        if is_stress_test(comparison.base.scenario, alt.scenario):
            name += " (stress test)"
        for item in comparison.changes[alt.scenario.name]:
            rows.append([name, item.path, _setting(item.path, item.base),
                         _setting(item.path, item.new)])
    return pd.DataFrame(rows, columns=["What-if", "Setting", "Today", "In the what-if"])


def comparison_sentences(comparison: Comparison, unknowns: Comparison | None = None
                         ) -> Markdown:
    """One plain sentence per change and pathway, as a Markdown list; with ``unknowns``
    (the comparison over the posterior draws), each clear change's range over what we
    don't know."""
    summary = comparison.to_dict()
    if unknowns is not None:
        summary = with_ranges(summary, unknowns)
    return Markdown("\n".join(f"- {line}" for line in summary_sentences(summary)) + "\n")
