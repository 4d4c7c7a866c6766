"""Plain-text tables and the run-settings lines every command's text shares: aligned
columns, the replication count and where an answer's uncertainty comes from."""

from __future__ import annotations

from collections.abc import Sequence

from simlib.formats.printable import printable
from simlib.formats.words import percent

MAX_CELL = 200  # characters of a table cell (a longer name is cut, with a count)


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
        printable(summary["title"] or summary["scenario"], MAX_CELL),
        f"scenario {printable(summary['scenario'])}: {replications_text(summary)}, "
        f"seed {summary['seed']}; proposals submitted in days {warmup:g}-{horizon:g} "
        f"(the first {warmup:g} days are warm-up)",
    ]


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Aligned plain-text columns: text (the first and a ``label``) left-aligned, numbers
    right-aligned; every cell :func:`~simlib.formats.printable.printable` (at most
    :data:`MAX_CELL` characters, nothing that breaks a line or acts on a terminal)."""
    headers = [printable(cell, MAX_CELL) for cell in headers]
    rows = [[printable(cell, MAX_CELL) for cell in row] for row in rows]
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
