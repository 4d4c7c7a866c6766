"""Spreadsheet cells that cannot run as formulas (OWASP, "CSV Injection"): every CSV the
project writes passes its text cells through :func:`spreadsheet_text`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by the callers that have frames, not by every command
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet may start a new cell after any of these (its separator, or a new line), so a
# formula character after one is as dangerous as at the start.
SEPARATORS = (";", "\t", ",", "\r", "\n")
_FORMULA_INSIDE = re.compile(r"([;\t,\r\n] *)([=+\-@])")


def formula_start(cell: str) -> str | None:
    """What would make a spreadsheet run ``cell``, or a part of it, as a formula: its first
    character when it is one of :data:`FORMULA_STARTS`, or a separator and the formula
    character after it (e.g. ``";="``: a reader splitting lines on ``;`` starts a cell
    there, quotes or not, because a quote only counts at the start of a cell); None when
    safe."""
    if cell.startswith(FORMULA_STARTS):
        return cell[0]
    if match := _FORMULA_INSIDE.search(cell):
        return match.group(0)
    return None


def spreadsheet_text(value: str) -> str:
    """``value`` safe in every spreadsheet: unchanged unless it, or a part of it after a
    separator, could start a formula; then a ``'`` goes before it and before every formula
    character that follows a separator (and spaces), so that a reader splitting on ``;`` or
    tabs gets text there too."""
    if not formula_start(value):
        return value
    inside = _FORMULA_INSIDE.sub(r"\1'\2", value)
    return inside if inside.startswith("'") else f"'{inside}"


def neutralise(value: str) -> str:
    """:func:`spreadsheet_text` of ``value`` without its surrounding spaces."""
    return spreadsheet_text(value.strip())


def safe_column(values: pd.Series) -> pd.Series:
    """``values`` as text, every cell made safe by :func:`spreadsheet_text`."""
    unique = {value: spreadsheet_text(value) for value in values.astype(str).unique()}
    return values.astype(str).map(unique)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text (object) column made safe by :func:`safe_column`; numbers
    are left as they are."""
    safe = frame.copy()
    for column in safe.select_dtypes(include=["object", "string"]).columns:
        safe[column] = safe_column(safe[column])
    return safe
