"""The text and JSON of ``mcsim compare``: what each what-if changes, its paired
differences with their 95% CIs (and, with draws, their ranges over what we don't know),
the change in each response promise and one plain sentence per what-if and pathway."""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.printable import printable_data
from simlib.formats.words import BLANK, bracketed, days, percent, points, signed
from simlib.reports.console._table import replications_text, text_table, uncertainty_lines
from simlib.reports.words import summary_sentences, with_sentences

if TYPE_CHECKING:
    from simlib.answers import ComparisonAnswer

HEADERS = ("alternative", "pathway", "base mean", "alt mean", "difference", "95% CI",
           "P90 difference", "P90 95% CI", "verdict")
UNCERTAIN_HEADERS = ("95% range (with unknowns)", "P(faster)")
SLA_HEADERS = ("alternative", "promise", "base met", "alt met", "difference")
CYCLE_CAPTION = ("Time from submission to approval (days); difference = alternative - "
                 "baseline; verdict: shorter or longer when the 95% CI excludes 0")
SLA_CAPTION = "Response promises (share of first responses within the promise)"
CHANGES_CAPTION = "What each alternative changes (baseline -> alternative)"
MAX_CHANGE_LINES = 12  # per alternative; --format json lists every change


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
            cells = [name, pathway, days(row["base_mean_days"], missing=BLANK),
                     days(row["alt_mean_days"], missing=BLANK),
                     signed(row["mean_diff_days"], 1, BLANK), bracketed(*row["ci95"], 1, BLANK)]
            if "difference_predictive95" in row:
                cells += [bracketed(*row["difference_predictive95"], 1, BLANK),
                          percent(row["p_shorter"], missing=BLANK)]
            rows.append([*cells, signed(row["p90_diff_days"], 1, BLANK),
                         bracketed(*row["p90_ci95"], 1, BLANK), row["verdict"]])
    return rows


def headers(summary: dict) -> tuple[str, ...]:
    """The columns of the difference table (two more when the differences have their
    ranges over what we don't know)."""
    rows = [row for entry in summary["alternatives"].values()
            for row in entry["pathways"].values()]
    if not any("difference_predictive95" in row for row in rows):
        return HEADERS
    return (*HEADERS[:6], *UNCERTAIN_HEADERS, *HEADERS[6:])


def sla_rows(summary: dict) -> list[list[str]]:
    """Rows of :data:`SLA_HEADERS`: shares met (%), difference in percentage points."""
    return [
        [name, key, percent(row["base_share"], 1, BLANK), percent(row["alt_share"], 1, BLANK),
         points(row["share_diff"], missing=BLANK)]
        for name, entry in summary["alternatives"].items()
        for key, row in entry["sla"].items()
    ]


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
    sla = sla_rows(summary)
    if sla:
        parts.append(f"{SLA_CAPTION}\n{text_table(SLA_HEADERS, sla)}")
    parts.append("In words\n" + "\n".join(f"- {text}" for text in summary_sentences(summary)))
    return "\n\n".join(parts) + "\n"
