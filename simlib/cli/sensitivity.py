"""``mcsim sensitivity``: which uncertain assumption moves the cycle times most.

Prints, per pathway, a plain one-line answer and a table of the scenario's assumptions in
tornado order (largest swing of the mean first), or one JSON object with ``--format json``.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import TYPE_CHECKING

from simlib.cli.options import (
    add_run_options,
    add_uncertainty_options,
    positive_int,
    uncertainty_settings,
)
from simlib.errors import CommandError
from simlib.formats.words import BLANK, days, signed
from simlib.reports.tables import text_table, uncertainty_lines

if TYPE_CHECKING:
    import pandas as pd

    from simlib.experiments.sensitivity import Sensitivity
    from simlib.scenario import Scenario

HEADERS = ("assumption", "range", "base", "mean at low", "at base", "at high", "swing",
           "swing 95% CI", "P90 swing", "note")


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``mcsim sensitivity`` to the subcommands."""
    parser = commands.add_parser(
        "sensitivity", help="swing each assumption over its range; which matters most")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario YAML file")
    add_run_options(parser)
    add_uncertainty_options(parser, "sensitivity")
    parser.add_argument("--pathway", metavar="NAME", help="only this pathway (default: all)")
    parser.add_argument("--top", type=positive_int, metavar="K",
                        help="only the K assumptions with the largest swings per pathway")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help="table for people (default) or one JSON object")
    parser.set_defaults(handler=command_sensitivity)


def _pathways(scenario: Scenario, path: str, wanted: str | None) -> list[str]:
    """The pathways to show; CommandError for an unknown one or a scenario without
    assumptions (checked before any simulation runs)."""
    if not scenario.assumptions:
        raise CommandError(
            f"mcsim: {path}: no assumptions to swing; add an 'assumptions:' block of uncertain "
            "numbers, e.g. '- {path: bodies.owd.review_days.mean, low: 1, high: 8}'"
        )
    if wanted is None:
        return list(scenario.pathways)
    if wanted not in scenario.pathways:
        known = ", ".join(scenario.pathways)
        raise CommandError(f"mcsim: --pathway: no pathway {wanted!r} in {path}; have: {known}")
    return [wanted]


def command_sensitivity(args: argparse.Namespace) -> int:
    """``mcsim sensitivity``: print the tornado table (or JSON) of a scenario."""
    from simlib.answers import sensitivity
    from simlib.scenario import load_scenario

    uncertainty_settings(args)
    scenario = load_scenario(args.scenario)
    pathways = _pathways(scenario, args.scenario, args.pathway)
    result = sensitivity(scenario, args.replications, args.seed, jobs=args.jobs,
                         uncertainty=args.uncertainty, draws=args.draws).study
    if args.format == "json":
        print(json.dumps(result.to_dict(args.top, pathways), indent=2, allow_nan=False))
    else:
        print(sensitivity_text(result, pathways, args.top), end="")
    return 0


# --- text ------------------------------------------------------------------------------


def plain_note(row: pd.Series) -> str:
    """An assumption as a reader names it: its note without the source tag, then its path."""
    from simlib.scenario import note_words

    note = note_words(str(row["note"])).strip()
    return f"{note} ({row['assumption']})" if note else str(row["assumption"])


def headline(pathway: str, rows: pd.DataFrame) -> str:
    """One plain sentence: the assumption the pathway's mean cycle time hangs most on."""
    first = rows.iloc[0]
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


def sensitivity_text(result: Sensitivity, pathways: list[str], top: int | None = None) -> str:
    """The ``mcsim sensitivity`` text: a headline per pathway, the run settings, then per
    pathway its base mean and P90 and its table (the ``top`` largest swings when given)."""
    scenario = result.scenario
    count = result.table["assumption"].nunique()
    lines = [headline(pathway, result.top(pathway)) for pathway in pathways]
    parts = ["\n".join(lines), "\n".join([
        f"Sensitivity of {scenario.title or scenario.name} (scenario {scenario.name})",
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
            f"{pathway}: mean {days(base['mean_base'], missing=BLANK)} days, "
            f"P90 {days(base['p90_base'], missing=BLANK)}"
            f" with every assumption as in the scenario\n{text_table(headers, cells)}"
        )
    return "\n\n".join(parts) + "\n"
