"""The text of ``mcsim run``: one scenario's cycle times, where the time goes, its
promises and, when its bodies have hours, what its work costs, from its answer's JSON
(days: whole days for cycle times, one decimal for step times; utilization and shares as
percentages; person-hours a year whole, hours per approved proposal to one decimal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.printable import printable_data
from simlib.formats.words import BLANK, bracketed, days, fixed, percent
from simlib.reports.console._table import header_lines, text_table, uncertainty_lines
from simlib.reports.words import HOURS_WORDS, MILESTONE_WORDS

if TYPE_CHECKING:
    from simlib.answers import RunAnswer

PATHWAY_HEADERS = ("pathway", "approved", "withdrawn", "unfinished", "mean", "95% CI", "median",
                   "P90", "approvals/yr", "target")
BODY_HEADERS = ("body", "utilization", "queue wait", "review", "meeting wait", "rework",
                "label")
SLA_HEADERS = ("body", "first response within", "share met", "decisions")
CYCLE_CAPTION = "Time from submission to approval (days)"
UNCERTAIN_HEADERS = ("pathway", "mean", "95% CI (luck)", "95% range (luck and parameters)",
                     "spread of one proposal: luck", "parameters")
UNCERTAIN_CAPTION = ("What luck does and what we don't know (mean days to approval): the CI "
                     "is the simulation's noise; the range adds the parameters' uncertainty")
JOURNEY_HEADERS = ("pathway", "milestone", "days", "mean", "95% CI", "median", "P90",
                   "proposals")
JOURNEY_RANGE = "95% range (luck and parameters)"
JOURNEY_CAPTION = ("After approval: the badge, the first offering, the first badges (days; "
                   "of the proposals that reached each)")
BODY_CAPTION = "Where the time goes (mean days per review round; rework per revision)"
SLA_CAPTION = "Response promises (SLA)"
HOURS_HEADERS = ("hours", "mean", "95% CI")
HOURS_RANGE = "95% range (luck and parameters)"
HOURS_CAPTION = "What the work costs (person-hours a year; per approved proposal: hours)"
BODY_HOURS_HEADERS = ("body", "in term", "95% CI", "outside terms", "95% CI")
BODY_HOURS_CAPTION = "Hours a year by body (person-hours; outside terms: summer and breaks)"


def pathway_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`PATHWAY_HEADERS`: counts, cycle days (whole days), approvals a year."""
    rows = []
    for name, item in summary["pathways"].items():
        cycle = item["cycle_days"]
        rows.append([
            name, str(item["approved"]), str(item["withdrawn"]), str(item["in_progress"]),
            days(cycle["mean"], missing=BLANK), bracketed(*cycle["ci95"], missing=BLANK),
            days(cycle["median"], missing=BLANK), days(cycle["p90"], missing=BLANK),
            fixed(item["approvals_per_year"], 1, BLANK),
            days(item.get("target_mean_cycle_days"), missing=BLANK),
        ])
    return rows


def uncertain_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`UNCERTAIN_HEADERS` (a run with ``--uncertainty``; the spread of one
    proposal blank when the mean and its CI come from runs of their own)."""
    rows = []
    for name, item in summary["pathways"].items():
        cycle = item["cycle_days"]
        spread = cycle.get("spread", {})  # only when every figure is over the draws
        rows.append([name, days(cycle["mean"], missing=BLANK),
                     bracketed(*cycle["ci95"], missing=BLANK),
                     bracketed(*cycle["predictive95"], missing=BLANK),
                     percent(spread.get("luck"), 1, BLANK),
                     percent(spread.get("parameters"), 1, BLANK)])
    return rows


def journey_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`JOURNEY_HEADERS` (and :data:`JOURNEY_RANGE` with draws): per pathway
    with steps after approval, each milestone's days (whole days)."""
    rows = []
    for name, item in summary["pathways"].items():
        for metric, figure in item.get("journey", {}).items():
            reached, since = MILESTONE_WORDS[metric]
            rows.append([
                name, reached, since, days(figure["mean"], missing=BLANK),
                bracketed(*figure["ci95"], missing=BLANK),
                days(figure["median"], missing=BLANK), days(figure["p90"], missing=BLANK),
                str(figure["count"]),
                *([bracketed(*figure["predictive95"], missing=BLANK)]
                  if "predictive95" in figure else []),
            ])
    return rows


def journey_text(summary: dict) -> str:
    """The journey block of a run's JSON ("" when no pathway has steps after approval)."""
    rows = journey_rows(summary)
    if not rows:
        return ""
    headers = JOURNEY_HEADERS + ((JOURNEY_RANGE,) if len(rows[0]) > len(JOURNEY_HEADERS)
                                 else ())
    return f"{JOURNEY_CAPTION}\n{text_table(headers, rows)}"


def body_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`BODY_HEADERS`: utilization (%), mean days per review round (1 decimal)."""
    return [
        [name, percent(item["utilization"], 1, BLANK), days(item["queue_wait_days"], 1, BLANK),
         days(item["review_days"], 1, BLANK), days(item["meeting_wait_days"], 1, BLANK),
         days(item["rework_days"], 1, BLANK), item.get("label") or ""]
        for name, item in summary["bodies"].items()
    ]


def sla_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`SLA_HEADERS`: share of first responses within the SLA."""
    return [
        [name, f"{item['sla_days']:g} days", percent(item["share_met"], 1, BLANK),
         str(item["decisions"])]
        for name, item in summary["sla"].items()
    ]


def _hours_cells(figure: dict, decimals: int = 0) -> list[str]:
    cells = [fixed(figure["mean"], decimals, BLANK), bracketed(*figure["ci95"], decimals, BLANK)]
    if "predictive95" in figure:
        cells.append(bracketed(*figure["predictive95"], decimals, BLANK))
    return cells


def hours_rows(hours: dict) -> list[list[str]]:
    """Rows of :data:`HOURS_HEADERS` (and, with draws, :data:`HOURS_RANGE`): the totals a
    year (whole hours), then the hours per approved proposal (one decimal)."""
    rows = [[words, *_hours_cells(hours[f"{name}_per_year"])]
            for name, words in HOURS_WORDS.items()]
    return [*rows, ["per approved proposal", *_hours_cells(hours["per_approved"], 1)]]


def body_hours_rows(hours: dict) -> list[list[str]]:
    """Rows of :data:`BODY_HOURS_HEADERS`: each body's hours a year in term and outside."""
    return [[name, *_hours_cells(item["in_term"])[:2], *_hours_cells(item["outside_terms"])[:2]]
            for name, item in hours["bodies"].items()]


def hours_text(summary: dict) -> str:
    """The hours block of a run's JSON: its totals and each body's hours ("" when no body
    has hours: the work is not priced, so the text says nothing of it)."""
    hours = summary.get("hours", {})
    if not hours.get("priced"):
        return ""
    headers = HOURS_HEADERS + ((HOURS_RANGE,) if "predictive95" in hours["total_per_year"]
                               else ())
    return (f"{HOURS_CAPTION}\n{text_table(headers, hours_rows(hours))}\n\n"
            f"{BODY_HOURS_CAPTION}\n{text_table(BODY_HOURS_HEADERS, body_hours_rows(hours))}")


def run_text(answer: RunAnswer) -> str:
    """The ``mcsim run`` text of ``answer``: its settings, then its tables."""
    summary = printable_data(answer.to_dict())
    parts = [
        "\n".join(header_lines(summary) + uncertainty_lines(summary)),
        f"{CYCLE_CAPTION}\n{text_table(PATHWAY_HEADERS, pathway_rows(summary))}",
    ]
    if summary.get("uncertainty"):
        parts.append(f"{UNCERTAIN_CAPTION}\n"
                     f"{text_table(UNCERTAIN_HEADERS, uncertain_rows(summary))}")
    if journey_text(summary):
        parts.append(journey_text(summary))
    parts.append(f"{BODY_CAPTION}\n{text_table(BODY_HEADERS, body_rows(summary))}")
    if summary["sla"]:
        parts.append(f"{SLA_CAPTION}\n{text_table(SLA_HEADERS, sla_rows(summary))}")
    if hours_text(summary):
        parts.append(hours_text(summary))
    return "\n\n".join(parts) + "\n"
