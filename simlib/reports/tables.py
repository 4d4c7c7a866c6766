"""Planner-readable plain-text tables of results (``mcsim run`` and the other commands).

The row functions take the JSON-ready dicts of :meth:`simlib.experiments.results.Results.to_dict`.
Days are rounded to whole days for cycle times and to one decimal for step times;
utilization and SLA shares are percentages.
"""

from __future__ import annotations

from collections.abc import Sequence

from simlib.formats.words import BLANK, bracketed, days, fixed, percent

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
BODY_CAPTION = "Where the time goes (mean days per review round; rework per revision)"
SLA_CAPTION = "Response promises (SLA)"


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
    """Rows of :data:`UNCERTAIN_HEADERS` (a run with ``--uncertainty``)."""
    rows = []
    for name, item in summary["pathways"].items():
        cycle = item["cycle_days"]
        spread = cycle["spread"]
        rows.append([name, days(cycle["mean"], missing=BLANK),
                     bracketed(*cycle["ci95"], missing=BLANK),
                     bracketed(*cycle["predictive95"], missing=BLANK),
                     percent(spread["luck"], 1, BLANK), percent(spread["parameters"], 1, BLANK)])
    return rows


def uncertainty_lines(summary: dict) -> list[str]:
    """Where an answer's parameter uncertainty comes from, in words."""
    settings = summary.get("uncertainty")
    if not settings:
        return []
    runs = (f"{settings['draws']} draws x {settings['replications_per_draw']} replications "
            "(common random numbers within a draw)")
    if settings["fixed"]:
        return [f"uncertainty: {runs}; {settings['source']}: the range equals the noise CI "
                "up to noise"]
    return [f"uncertainty: {runs} from {settings['source']}, "
            f"{settings['method'] or 'method not recorded'}; varied: "
            + ", ".join(settings["paths"])]


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


def replications_text(summary: dict) -> str:
    """The text "N replications", saying how N was chosen when ``--replications auto`` did."""
    text = f"{summary['replications']} replications"
    auto = summary.get("replications_auto")
    if auto:
        text += (f" (chosen automatically for a 95% CI within {percent(auto['precision'], 1)} "
                 f"of each mean; achieved {percent(auto['achieved'], 2)})")
    return text


def header_lines(summary: dict) -> list[str]:
    """Title and run settings of one result."""
    warmup, horizon = summary["warmup_days"], summary["horizon_days"]
    return [
        summary["title"] or summary["scenario"],
        f"scenario {summary['scenario']}: {replications_text(summary)}, "
        f"seed {summary['seed']}; proposals submitted in days {warmup:g}-{horizon:g} "
        f"(the first {warmup:g} days are warm-up)",
    ]


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned plain-text columns: text (the first and a ``label``) left-aligned, numbers
    right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    left = {0} | {index for index, name in enumerate(headers) if name == "label"}
    lines = []
    for row in (headers, *rows):
        cells = [
            str(cell).ljust(width) if index in left else str(cell).rjust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def run_text(summary: dict) -> str:
    """The ``mcsim run`` table for one result."""
    parts = [
        "\n".join(header_lines(summary) + uncertainty_lines(summary)),
        f"{CYCLE_CAPTION}\n{text_table(PATHWAY_HEADERS, pathway_rows(summary))}",
    ]
    if summary.get("uncertainty"):
        parts.append(f"{UNCERTAIN_CAPTION}\n"
                     f"{text_table(UNCERTAIN_HEADERS, uncertain_rows(summary))}")
    parts.append(f"{BODY_CAPTION}\n{text_table(BODY_HEADERS, body_rows(summary))}")
    if summary["sla"]:
        parts.append(f"{SLA_CAPTION}\n{text_table(SLA_HEADERS, sla_rows(summary))}")
    return "\n\n".join(parts) + "\n"
