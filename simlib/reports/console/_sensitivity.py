"""The text of ``mcsim sensitivity``: per pathway the assumption its mean hangs on most,
the run settings, then each pathway's assumptions in tornado order (largest swing of the
mean first; days with one decimal)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simlib.formats.printable import printable
from simlib.formats.words import BLANK, days, signed
from simlib.reports.console._table import MAX_CELL, text_table, uncertainty_lines

if TYPE_CHECKING:
    import pandas as pd

    from simlib.answers import SensitivityAnswer

HEADERS = ("assumption", "range", "base", "mean at low", "at base", "at high", "swing",
           "swing 95% CI", "P90 swing", "note")


def plain_note(row: pd.Series) -> str:
    """An assumption as a reader names it: its note without the source tag, then its path."""
    from simlib.scenario import note_words

    note = note_words(str(row["note"])).strip()
    return printable(f"{note} ({row['assumption']})" if note else str(row["assumption"]),
                     None)


def headline(pathway: str, rows: pd.DataFrame) -> str:
    """One plain sentence: the assumption the pathway's mean cycle time hangs most on."""
    first = rows.iloc[0]
    pathway = printable(pathway)
    if not math.isfinite(first["swing_mean"]) or first["swing_mean"] == 0:
        return f"No assumption moves the {pathway} mean over its range."
    return (f"The {pathway} mean hangs most on {plain_note(first)}: from "
            f"{days(first['mean_low'])} days at {first['low']:g} to {days(first['mean_high'])} "
            f"days at {first['high']:g}.")


def swing_rows(rows: pd.DataFrame) -> list[list[str]]:
    """Rows of :data:`HEADERS` (days with one decimal; the note left-aligned)."""
    from simlib.scenario import note_words

    cells = []
    for _, row in rows.iterrows():
        cell = [row["assumption"], f"{row['low']:g} to {row['high']:g}",
                f"{row['base_value']:g}", days(row["mean_low"], 1, BLANK),
                days(row["mean_base"], 1, BLANK), days(row["mean_high"], 1, BLANK),
                signed(row["swing_mean"], 1, BLANK),
                f"[{signed(row['swing_mean_ci95_low'], 1, BLANK)}, "
                f"{signed(row['swing_mean_ci95_high'], 1, BLANK)}]"]
        if "swing_mean_predictive95_low" in row:
            cell.append(f"[{signed(row['swing_mean_predictive95_low'], 1, BLANK)}, "
                        f"{signed(row['swing_mean_predictive95_high'], 1, BLANK)}]")
        cells.append([*cell, signed(row["swing_p90"], 1, BLANK), note_words(str(row["note"]))])
    width = max(len(HEADERS[-1]), *(len(row[-1]) for row in cells))
    return [[*row[:-1], row[-1].ljust(width)] for row in cells]


def sensitivity_text(answer: SensitivityAnswer, pathways: list[str],
                     top: int | None = None) -> str:
    """The ``mcsim sensitivity`` text: a headline per pathway, the run settings, then per
    pathway its base mean and P90 and its table (the ``top`` largest swings when given)."""
    result = answer.study
    scenario = result.scenario
    count = result.table["assumption"].nunique()
    lines = [headline(pathway, result.top(pathway)) for pathway in pathways]
    parts = ["\n".join(lines), "\n".join([
        f"Sensitivity of {printable(scenario.title or scenario.name, MAX_CELL)} (scenario "
        f"{printable(scenario.name)})",
        f"{count} assumptions, each set to the low and then the high end of its range, one at "
        f"a time;\n{result.replications} replications each, seed {result.seed}, the same "
        "random numbers in every run.\nDays from submission to approval; swing = mean at "
        "high minus mean at low.",
        *uncertainty_lines({"uncertainty": result.uncertainty}),
    ])]
    for pathway in pathways:
        rows = result.top(pathway, top)
        cells = swing_rows(rows)
        names = (HEADERS if result.uncertainty is None
                 else (*HEADERS[:8], "swing 95% range (with unknowns)", *HEADERS[8:]))
        headers = (*names[:-1], names[-1].ljust(len(cells[0][-1])))
        base = rows.iloc[0]
        parts.append(
            f"{printable(pathway)}: mean {days(base['mean_base'], missing=BLANK)} days, "
            f"P90 {days(base['p90_base'], missing=BLANK)}"
            f" with every assumption as in the scenario\n{text_table(headers, cells)}"
        )
    return "\n\n".join(parts) + "\n"
