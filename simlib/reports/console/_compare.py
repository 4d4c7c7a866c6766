"""The text and JSON of ``mcsim compare``: what each what-if changes, its paired
differences with their 95% CIs (and, with draws, their ranges over what we don't know),
the change in each response promise, where bodies have hours the change in hours a year
beside the days it saves, and one plain sentence per what-if and pathway."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.printable import printable_data
from simlib.formats.words import BLANK, bracketed, days, fixed, number, percent, points, signed
from simlib.reports.console._table import replications_text, text_table, uncertainty_lines
from simlib.reports.words import (
    HOURS_WORDS,
    MILESTONE_WORDS,
    TRADE_WORDS,
    summary_sentences,
    with_sentences,
)

if TYPE_CHECKING:
    from simlib.answers import ComparisonAnswer

HEADERS = ("alternative", "pathway", "base mean", "alt mean", "difference", "95% CI",
           "P90 difference", "P90 95% CI", "verdict")
UNCERTAIN_HEADERS = ("95% range (with unknowns)", "P(faster)")
SLA_HEADERS = ("alternative", "promise", "base met", "alt met", "difference")
CYCLE_CAPTION = ("Time from submission to approval (days); difference = alternative - "
                 "baseline; verdict: shorter or longer when the 95% CI excludes 0")
JOURNEY_HEADERS = ("alternative", "pathway", "milestone", "days", "base mean", "alt mean",
                   "difference", "95% CI", "verdict")
JOURNEY_CAPTION = ("After approval (days; of the proposals that reached each milestone); "
                   "difference = alternative - baseline")
SLA_CAPTION = "Response promises (share of first responses within the promise)"
CHANGES_CAPTION = "What each alternative changes (baseline -> alternative)"
MAX_CHANGE_LINES = 12  # per alternative; --format json lists every change
HOURS_HEADERS = ("alternative", "hours a year", "baseline", "alternative", "change", "95% CI",
                 "verdict")
HOURS_UNCERTAIN_HEADERS = ("95% range (with unknowns)", "P(fewer)")
HOURS_CAPTION = ("What it costs (person-hours a year; change = alternative - baseline; "
                 "verdict: more or fewer when the 95% CI excludes 0)")
TRADE_HEADERS = ("alternative", "pathway", "days saved", "faculty hours a year",
                 "days saved per 100 faculty hours", "reading")
TRADE_CAPTION = ("Days against faculty hours (days saved per 100 faculty hours only where "
                 "the alternative clearly adds faculty hours)")


def comparison_json(answer: ComparisonAnswer) -> dict:
    """The JSON of ``mcsim compare``: the answer's dict with one plain sentence per
    what-if and pathway."""
    return with_sentences(answer.to_dict())


def pathway_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`HEADERS` (and, with ``--uncertainty``, :data:`UNCERTAIN_HEADERS`):
    means in whole days, differences to one decimal."""
    rows = []
    for name, entry in summary["alternatives"].items():
        for pathway, row in entry["pathways"].items():
            rows.append([name, pathway, *_mean_cells(row),
                         signed(row["p90_diff_days"], 1, BLANK),
                         bracketed(*row["p90_ci95"], 1, BLANK), row["verdict"]])
    return rows


def _mean_cells(row: dict) -> list[str]:
    """A mean difference's cells: base and alternative means (whole days), difference and
    95% CI (one decimal) and, with draws, its range and the chance it is shorter."""
    cells = [days(row["base_mean_days"], missing=BLANK), days(row["alt_mean_days"], missing=BLANK),
             signed(row["mean_diff_days"], 1, BLANK), bracketed(*row["ci95"], 1, BLANK)]
    if "difference_predictive95" in row:
        cells += [bracketed(*row["difference_predictive95"], 1, BLANK),
                  percent(row["p_shorter"], missing=BLANK)]
    return cells


def _with_ranges(headers: tuple[str, ...], rows: list[list[str]], at: int,
                 ranges: tuple[str, ...]) -> tuple[str, ...]:
    """``headers``, with the ``ranges`` columns inserted at ``at`` when the rows have
    them (a comparison with draws)."""
    if not rows or len(rows[0]) == len(headers):
        return headers
    return (*headers[:at], *ranges, *headers[at:])


def journey_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`JOURNEY_HEADERS` (with draws, :data:`UNCERTAIN_HEADERS` before the
    verdict): per alternative, pathway with steps after approval and milestone."""
    rows = []
    for name, entry in summary["alternatives"].items():
        for pathway, row in entry["pathways"].items():
            for metric, figure in row.get("journey", {}).items():
                reached, since = MILESTONE_WORDS[metric]
                rows.append([name, pathway, reached, since, *_mean_cells(figure),
                             figure["verdict"]])
    return rows


def journey_text(summary: dict) -> str:
    """The journey table ("" when no pathway has steps after approval on both sides)."""
    rows = journey_rows(summary)
    if not rows:
        return ""
    headers = _with_ranges(JOURNEY_HEADERS, rows, 8, UNCERTAIN_HEADERS)
    return f"{JOURNEY_CAPTION}\n{text_table(headers, rows)}"


def headers(summary: dict) -> tuple[str, ...]:
    """The columns of the difference table (two more when the differences have their
    ranges over what we don't know)."""
    return _with_ranges(HEADERS, pathway_rows(summary), 6, UNCERTAIN_HEADERS)


def sla_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`SLA_HEADERS`: shares met (%), difference in percentage points."""
    return [
        [name, key, percent(row["base_share"], 1, BLANK), percent(row["alt_share"], 1, BLANK),
         points(row["share_diff"], missing=BLANK)]
        for name, entry in summary["alternatives"].items()
        for key, row in entry["sla"].items()
    ]


def _priced(summary: dict) -> list[tuple[str, dict]]:
    """(name, entry) of each alternative whose hours are priced."""
    return [(name, entry) for name, entry in summary["alternatives"].items()
            if entry.get("hours", {}).get("priced")]


def hours_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`HOURS_HEADERS` (and, with draws, :data:`HOURS_UNCERTAIN_HEADERS`):
    each priced alternative's totals of hours a year, whole hours."""
    rows = []
    for name, entry in _priced(summary):
        for key, words in HOURS_WORDS.items():
            item = entry["hours"][f"{key}_per_year"]
            cells = [name, words, fixed(item["base"], missing=BLANK),
                     fixed(item["alt"], missing=BLANK), signed(item["change"], 0, BLANK),
                     bracketed(*item["ci95"], missing=BLANK)]
            if "predictive95" in item:
                cells += [bracketed(*item["predictive95"], missing=BLANK),
                          percent(item["p_fewer"], missing=BLANK)]
            rows.append([*cells, item["verdict"]])
    return rows


def trade_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`TRADE_HEADERS`: per priced alternative and pathway, the days saved
    (one decimal), the change in faculty hours a year and what the days cost."""
    rows = []
    for name, entry in _priced(summary):
        faculty = entry["hours"]["faculty_per_year"]["change"]
        for pathway, trade in entry["hours"]["trade"].items():
            saved = entry["pathways"][pathway]["mean_diff_days"]
            rows.append([name, pathway, fixed(None if saved is None else -saved, 1, BLANK),
                         signed(faculty, 0, BLANK),
                         number(trade["days_saved_per_100_faculty_hours"], BLANK),
                         TRADE_WORDS[trade["reading"]]])
    return rows


def hours_text(summary: dict) -> str:
    """The hours tables of a comparison ("" when no alternative's hours are priced)."""
    rows = hours_rows(summary)
    if not rows:
        return ""
    headers = _with_ranges(HOURS_HEADERS, rows, 6, HOURS_UNCERTAIN_HEADERS)
    return (f"{HOURS_CAPTION}\n{text_table(headers, rows)}\n\n"
            f"{TRADE_CAPTION}\n{text_table(TRADE_HEADERS, trade_rows(summary))}")


def changes_text(summary: dict) -> str:
    """The "Changes" blocks: per alternative, each value it changes (``path: base -> new``),
    at most :data:`MAX_CHANGE_LINES` lines each."""
    from simlib.scenario.changes import Change

    lines = [CHANGES_CAPTION]
    for name, entry in summary["alternatives"].items():
        changes = [str(Change(**item)) for item in entry.get("changes", [])]
        lines.append(name)
        if not changes:
            lines.append("  nothing the simulation sees (the same as the baseline)")
        lines += [f"  {line}" for line in changes[:MAX_CHANGE_LINES]]
        if len(changes) > MAX_CHANGE_LINES:
            lines.append(f"  ... and {len(changes) - MAX_CHANGE_LINES} more "
                         "(--format json lists them all)")
    return "\n".join(lines)


def comparison_text(answer: ComparisonAnswer) -> str:
    """The ``mcsim compare`` report of ``answer``: settings, what each alternative
    changes, the difference tables and the sentences."""
    summary = printable_data(comparison_json(answer))
    title = summary["baseline_title"] or summary["baseline"]
    parts = [
        f"Paired comparison with {title} ({summary['baseline']})\n"
        f"{replications_text(summary)} of each scenario, seed {summary['seed']}; common "
        "random numbers: replication k of every scenario draws the same random numbers"
        + "".join(f"\n{line}" for line in uncertainty_lines(summary)),
        changes_text(summary),
        f"{CYCLE_CAPTION}\n{text_table(headers(summary), pathway_rows(summary))}",
    ]
    if journey_text(summary):
        parts.append(journey_text(summary))
    sla = sla_rows(summary)
    if sla:
        parts.append(f"{SLA_CAPTION}\n{text_table(SLA_HEADERS, sla)}")
    if hours_text(summary):
        parts.append(hours_text(summary))
    parts.append("In words\n" + "\n".join(f"- {text}" for text in summary_sentences(summary)))
    return "\n\n".join(parts) + "\n"
