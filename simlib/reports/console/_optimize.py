"""The text of ``mcsim optimize``: the target, how the search went, the cheapest fix (or
the closest miss) and the best configurations, from the JSON-ready dict of its outcome."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.printable import printable_data
from simlib.formats.words import BLANK, bracketed, days, percent
from simlib.reports.console._table import text_table

if TYPE_CHECKING:
    from simlib.optimize import Outcome

SHOWN = 5  # configurations listed in the table
METRIC_NAMES = {"mean": "mean", "p90": "P90"}


def target_sentence(summary: dict) -> str:
    """E.g. 'credit P90 of days from submission to approval below 180 days (95% confidence)'."""
    target = summary["target"]
    return (f"{target['pathway']} {METRIC_NAMES[target['metric']]} of days from submission "
            f"to approval below {target['below_days']:g} days, with "
            f"{percent(target['confidence'])} "
            f"confidence (one-sided upper bound)")


def search_sentence(summary: dict) -> str:
    """How many configurations and replications the search used."""
    count, total = summary["configurations"], summary["replications"]
    if summary["method"] == "exhaustive":
        how = f"every one simulated {total} times"
    else:
        how = (f"screened after {summary['first_stage_replications']} replications each; "
               f"the survivors simulated {total} times")
    return (f"Search: {count} configurations, {how} (seed {summary['seed']}, "
            f"{summary['simulated_replications']} replications in all, the same random "
            f"numbers for every configuration)")


def answer_lines(summary: dict) -> list[str]:
    """The answer in words: the cheapest fix, or that nothing meets the target."""
    unit, metric = summary["cost_unit"], METRIC_NAMES[summary["target"]["metric"]]
    best, closest = summary["best"], summary["closest"]
    item = closest if best is None else best
    figures = (f"  cost {item['cost']:g} {unit}; {metric} {days(item['metric'], missing=BLANK)} "
               f"days, 95% CI {bracketed(*item['ci95'], missing=BLANK)}, ")
    bound = f"{days(item['upper_bound'], missing=BLANK)} days"
    if best is not None:
        return [f"Cheapest fix: {_choices(best)}",
                f"{figures}{percent(summary['target']['confidence'])} upper bound {bound}"]
    return [f"No configuration meets the target. Closest: {_choices(closest)}",
            f"{figures}upper bound {bound}"]


def candidate_rows(summary: dict, shown: int = SHOWN) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the best ``shown`` candidates: rank, cost, metric and its 95% CI
    (days), the one-sided upper bound judged against the target, the verdict, the evidence
    (replications) and one column per decision."""
    metric = METRIC_NAMES[summary["target"]["metric"]]
    decisions = list(summary["candidates"][0]["configuration"])
    bound = f"{percent(summary['target']['confidence'])} bound"
    headers = ["rank", "cost", metric, "95% CI", bound, "target", "replications", *decisions]
    rows = []
    for rank, item in enumerate(summary["candidates"][:shown], start=1):
        rows.append([str(rank), f"{item['cost']:g}", days(item["metric"], missing=BLANK),
                     bracketed(*item["ci95"], missing=BLANK),
                     days(item["upper_bound"], missing=BLANK), item["verdict"], _evidence(item),
                     *item["configuration"].values()])
    return headers, rows


def optimize_text(outcome: Outcome) -> str:
    """The ``mcsim optimize`` table of ``outcome`` (read from its JSON-ready dict)."""
    summary = printable_data(outcome.to_dict())
    headers, rows = candidate_rows(summary)
    screened = sum(1 for item in summary["candidates"] if item["screened_out"])
    rest = len(summary["candidates"]) - len(rows)
    heading = [summary["title"] or summary["name"], f"Target: {target_sentence(summary)}",
               search_sentence(summary), f"Intervals: {summary['interval']}"]
    parts = [
        "\n".join(heading),
        "\n".join(answer_lines(summary)),
        f"Best configurations (cost in {summary['cost_unit']}; days)\n"
        + text_table(headers, rows),
    ]
    if rest:
        parts.append(f"{rest} more configurations in --format json"
                     + (f" ({screened} screened out after the first stage)" if screened else ""))
    return "\n\n".join(parts) + "\n"


def _choices(item: dict) -> str:
    return ", ".join(f"{name} = {option}" for name, option in item["configuration"].items())


def _evidence(item: dict) -> str:
    """Replications behind a row, e.g. ``100`` or ``20 (screened out)``."""
    screened = " (screened out)" if item["screened_out"] else ""
    return f"{item['replications']}{screened}"
