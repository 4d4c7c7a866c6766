"""The text of ``mcsim optimize --pareto``: today, the knee, the lever that buys the most
days per hour, the frontier with its 95% CIs (and ranges), every excluded configuration
with the one that dominates it, and the levers, from the JSON-ready dict of its answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.words import BLANK, bracketed, days, span
from simlib.reports.console._table import text_table, uncertainty_lines
from simlib.reports.words import changes_words, lever_days, lever_hours, per_hundred_hours

if TYPE_CHECKING:
    from simlib.answers import FrontierAnswer

METRIC_NAMES = {"mean": "mean", "p90": "P90"}
AXIS_HEADERS = {"faculty_hours": "faculty h/yr", "faculty_hours_outside_terms": "outside terms"}


def _figure(item: dict, axis: str) -> str:
    """"170 [165, 175]" (days or hours, whole numbers)."""
    figure = item[axis]
    return f"{days(figure['value'], missing=BLANK)} {bracketed(*figure['ci95'], missing=BLANK)}"


def point_sentence(summary: dict, item: dict) -> str:
    """E.g. "MC e-votes: mean 150 days (95% CI 147 to 153), 420 faculty hours a year
    (95% CI 410 to 430)" (today's without its label)."""
    metric = METRIC_NAMES[summary["metric"]]
    parts = [f"{metric} {days(item['days']['value'])} days "
             f"(95% CI {span(*item['days']['ci95'])})",
             f"{days(item['faculty_hours']['value'])} faculty hours a year "
             f"(95% CI {span(*item['faculty_hours']['ci95'])})"]
    figures = ", ".join(parts)
    return f"{changes_words(item)}: {figures}" if item["changes"] else figures


def lever_sentences(summary: dict) -> list[str]:
    """The levers that save days with no clear rise in hours, and the one buying the most
    days per hour (days per 100 faculty hours a year)."""
    lines = [f"Saves days, no clear rise in hours: {lever['option']}, {lever_days(lever)}, "
             f"{lever_hours(lever)}" for lever in summary["levers"] if lever["kind"] == "free"]
    best = next((lever for lever in summary["levers"] if lever["kind"] == "buys"), None)
    if best is not None:
        lines.append(f"Most days per faculty hour: {best['option']}, {lever_days(best)} for "
                     f"{lever_hours(best)} ({per_hundred_hours(best['days_per_hour'])} days per "
                     "100 hours)")
    return lines


def frontier_rows(summary: dict) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the frontier, fewest faculty hours first: the metric and each
    hours axis with their 95% CIs (and ranges over the draws), whether the target is met
    and the changes from today; the knee marked."""
    metric = METRIC_NAMES[summary["metric"]]
    hours = summary["axes"][1:]
    ranged = "uncertainty" in summary
    headers = ["", f"{metric} days [95% CI]"]
    headers += ["95% range"] if ranged else []
    for axis in hours:
        headers += [f"{AXIS_HEADERS[axis]} [95% CI]"] + (["95% range"] if ranged else [])
    headers += ["target", "changes from today"]
    rows = []
    for item in summary["frontier"]:
        row = ["knee" if item["knee"] else ""]
        for axis in summary["axes"]:
            row.append(_figure(item, axis))
            if ranged:
                row.append(bracketed(*item[axis]["range95"], missing=BLANK))
        row += ["meets" if item["meets_target"] else "misses", changes_words(item)]
        rows.append(row)
    return headers, rows


def excluded_rows(summary: dict) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the excluded configurations: their figures and the frontier
    configuration that dominates each."""
    metric = METRIC_NAMES[summary["metric"]]
    headers = ["changes from today", f"{metric} days [95% CI]",
               *(f"{AXIS_HEADERS[axis]} [95% CI]" for axis in summary["axes"][1:]),
               "dominated by"]
    rows = []
    for item in summary["excluded"]:
        by = {"changes": {name: option for name, option in item["dominated_by"].items()
                          if summary["today"]["configuration"][name] != option}}
        rows.append([changes_words(item), *(_figure(item, axis) for axis in summary["axes"]),
                     changes_words(by)])
    return headers, rows


def lever_rows(summary: dict) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the levers (one change from today alone), best first."""
    headers = ["change", "days saved [95% CI]", "extra faculty h/yr [95% CI]",
               "days per 100 h"]
    rows = [[lever["option"],
             f"{days(lever['days_saved']['value'], missing=BLANK)} "
             f"{bracketed(*lever['days_saved']['ci95'], missing=BLANK)}",
             f"{days(lever['extra_faculty_hours']['value'], missing=BLANK)} "
             f"{bracketed(*lever['extra_faculty_hours']['ci95'], missing=BLANK)}",
             per_hundred_hours(lever["days_per_hour"]) if lever["kind"] == "buys" else BLANK]
            for lever in summary["levers"]]
    return headers, rows


def frontier_text(answer: FrontierAnswer) -> str:
    """The ``mcsim optimize --pareto`` text of ``answer`` (read from its JSON-ready dict)."""
    summary = answer.to_dict()
    metric = METRIC_NAMES[summary["metric"]]
    axes = "faculty hours a year" + (" and faculty hours outside terms"
                                     if len(summary["axes"]) > 2 else "")
    heading = [summary["title"] or summary["name"],
               f"Frontier: {summary['target']['pathway']} {metric} days from submission to "
               f"approval against {axes}, lower is better on each",
               f"Search: {summary['configurations']} configurations, every one simulated "
               f"{summary['replications']} times (seed {summary['seed']}, the same random "
               "numbers for every configuration)",
               f"Intervals: {summary['interval']}; hours: mean over replications",
               *uncertainty_lines(summary),
               f"Knee: {summary['knee_rule']}"]
    answer_lines = [f"Today: {point_sentence(summary, summary['today'])}"]
    if not summary["priced"]:
        answer_lines.append("Every configuration takes 0 faculty hours: the base scenario "
                            "prices no committee work (give its committees hours:)")
    if summary["knee"] is not None:
        answer_lines.append(f"Knee: {point_sentence(summary, summary['knee'])}")
    else:
        answer_lines.append("Knee: none (the frontier has no point inside the line joining "
                            "its cheapest and fastest points)")
    answer_lines += lever_sentences(summary)
    parts = ["\n".join(heading), "\n".join(answer_lines),
             f"Frontier ({len(summary['frontier'])} configurations no other beats; fewest "
             "hours first)\n" + text_table(*frontier_rows(summary))]
    if summary["excluded"]:
        parts.append(f"Excluded ({len(summary['excluded'])}), each with the frontier "
                     "configuration that dominates it (the one with fewest hours)\n"
                     + text_table(*excluded_rows(summary)))
    if summary["left_out"]:
        parts.append(f"Left out (no proposal approved): {len(summary['left_out'])}")
    if summary["levers"]:
        parts.append("Levers: one change from today alone (paired differences)\n"
                     + text_table(*lever_rows(summary)))
    return "\n\n".join(parts) + "\n"
