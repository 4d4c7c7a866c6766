"""The text of the commands that read an office's own record: ``mcsim forecast`` (when the
proposals in progress will be approved), ``mcsim backtest`` (does the model reproduce the
record) and ``mcsim fit`` (what the record says about each parameter)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from simlib.formats.printable import listed, printable
from simlib.formats.words import (
    BLANK,
    days,
    fixed,
    pathway_title,
    percent,
    significant,
    significant_span,
)
from simlib.reports.console._table import MAX_CELL, text_table

if TYPE_CHECKING:
    from simlib.fitting import HistoryFit
    from simlib.fitting.backtest import Backtest
    from simlib.planning.forecast import Forecast

WIDE_NOTE = "intervals are wide: the record is short"


def forecast_text(result: Forecast) -> str:
    """The settings, then one row per proposal: where it is, the chance it is approved at
    all, median and P90 approval dates ("approved" when it is already), and the chance of
    approval before each term; then, for the proposals whose pathway has steps after
    approval, the median and P90 dates their badge goes live and their first badges are
    issued."""
    from simlib.planning.deadlines import term_name
    from simlib.reports.words import forecast_date_word

    table = result.table()
    terms = [term_name(term) for term in result.terms]
    headers = ("id", "pathway", "level", "now at", "approved", "median date", "P90 date",
               *(f"by {name}" for name in terms))
    rows = [[row["id"], row["pathway"], row["level"] or "-", row["current_step"],
             percent(row["p_approved"]),
             *(forecast_date_word(row, key, dt.date.isoformat)
               for key in ("median_date", "p90_date")),
             *(percent(row[f"before {name}"]) for name in terms)]
            for _, row in table.iterrows()]
    starts = ", ".join(f"{term_name(term)} starts {term}" for term in result.terms)
    text = (f"Forecast from {result.as_of} of {len(rows)} proposals in progress under "
            f"{printable(result.scenario.title or result.scenario.name, MAX_CELL)}; "
            f"{result.replications} "
            f"replications, seed {result.seed}.\n{starts}. \"by\": approved before the term "
            f"starts; \"later\": not approved by then in enough runs.\n"
            f"{text_table(headers, rows)}\n")
    badges = table[table["after_approval"]]
    if badges.empty:
        return text
    keys = ("badge_median_date", "badge_p90_date", "first_badges_median_date",
            "first_badges_p90_date")
    rows = [[row["id"], row["current_step"],
             *(forecast_date_word(row, key, dt.date.isoformat) for key in keys)]
            for _, row in badges.iterrows()]
    headers = ("id", "now at", "badge live median", "P90", "first badges median", "P90")
    return (f"{text}\nAfter approval: the badge goes live (published) and the first badges "
            "are issued (after the first offering); \"live\": published already.\n"
            f"{text_table(headers, rows)}\n")


def backtest_text(backtest: Backtest) -> str:
    """The ``mcsim backtest`` table: the sentence, per pathway the measures side by side and
    the tests, then the steps."""
    from simlib.reports.record import (  # pandas and the figures: only when printed
        MEASURES,
        OUTCOME_HEADERS,
        STEP_HEADERS,
        outcome_rows,
        statistics_table,
        step_rows,
        verdict_sentence,
        with_interval,
    )

    parts = [verdict_sentence(backtest), ""]
    rows = []
    for item in backtest.pathways.values():
        for name, ci_key, key in MEASURES:
            rows.append([pathway_title(item.pathway), name,
                         with_interval(item.recorded[key], item.recorded[ci_key]),
                         days(item.simulated[key])])
    parts.append(text_table(("pathway", "measure", "recorded days (95% CI)",
                             "simulated days"), rows))
    parts.append("")
    stats_rows = statistics_table(backtest).reset_index().to_numpy().tolist()
    parts.append(text_table(tuple(statistics_table(backtest).reset_index().columns),
                            stats_rows))
    parts.append("")
    parts.append(text_table(OUTCOME_HEADERS, outcome_rows(backtest)))
    parts.append("")
    parts.append(text_table(STEP_HEADERS, step_rows(backtest)))
    return "\n".join(parts) + "\n"


def backtest_json(backtest: Backtest) -> dict:
    """The JSON of ``mcsim backtest``: :meth:`Backtest.to_dict` with the verdict's sentence
    (the words of :func:`~simlib.reports.record.verdict_sentence`)."""
    from simlib.reports.record import verdict_sentence

    result = backtest.to_dict()
    result["verdict"]["sentence"] = verdict_sentence(backtest)
    return result


def _shown(value) -> str:
    """A parameter's value as the table shows it."""
    if isinstance(value, float):
        return significant(value, 4)
    return BLANK if value is None else str(value)


def fit_text(fit: HistoryFit, out: Path) -> str:
    """The table of ``mcsim fit``: the record's span (what demand is fitted over), one line
    per parameter (path, base value, fitted value, 95% CI, n, method), then the meetings,
    the shortfalls (a line each), the ignored columns, and where the what-if went."""
    width = max([len(printable(p.path)) for p in fit.parameters] + [9])
    span = ("" if fit.span is None else f"; demand fitted over {fit.span[0].isoformat()} to "
            f"{fit.span[1].isoformat()} ({fixed(fit.span_years, 2)} years: the first arrival "
            "to the export date)")
    lines = [f"{printable(fit.source, None)}: {fit.proposals} proposals, {fit.rows} rows, as of "
             f"{fit.as_of.isoformat()}{span}", "",
             f"{'parameter':<{width}}  {'base':>8}  {'fitted':>8}  {'95% CI':>19}  "
             f"{'n':>5}  method"]
    for p in fit.parameters:
        interval = significant_span(*p.ci95)
        lines.append(f"{printable(p.path):<{width}}  {_shown(p.base):>8}  {_shown(p.value):>8}  "
                     f"{interval:>19}  {p.n:>5}  {p.method}")
    lines += ["", "meetings (decisions fall on meeting days):"]
    for body, found in fit.meetings.items():
        how = found.get("rule") or f"{len(found['dates'])} listed dates"
        lines.append(f"  {printable(body)}: {how}, explains {percent(found['explained'])} of "
                     f"{found['decision_dates']} decision dates")
    if fit.shortfalls:
        lines += ["", "too little evidence (the base's value stays unless said):",
                  *(f"  {line}" for line in fit.shortfalls)]
    if fit.ignored_columns:
        lines.append(f"ignored columns: {listed(fit.ignored_columns)}")
    if fit.wide:
        lines.append(WIDE_NOTE)
    lines.append(f"wrote the fitted what-if to {out}")
    return "\n".join(lines) + "\n"
