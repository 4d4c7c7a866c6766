"""Helpers the summary modules share: labelled tables, the ``## Summary`` block, body labels
and row selection."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pandas as pd

from simlib.reports.notebooks import Markdown
from simlib.scenario import Scenario


def labelled_by(count: int) -> Callable:
    """Decorate a table function: its first ``count`` columns become the index, so a
    notebook shows the labels instead of row numbers."""
    def decorate(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        @functools.wraps(function)
        def labelled(*args: Any, **kwargs: Any) -> pd.DataFrame:
            table = function(*args, **kwargs)
            return table.set_index(list(table.columns[:count]))
        return labelled
    return decorate


def bullet_summary(lines: list[str]) -> Markdown:
    """``## Summary`` and one Markdown list item per line."""
    return Markdown("## Summary\n\n" + "\n".join(f"- {line}" for line in lines) + "\n")


def body_label(scenario: Scenario, body: str) -> str:
    """The body's label, else its name."""
    return scenario.bodies[body].label or body


def rows_at(table: pd.DataFrame, **where) -> pd.DataFrame:
    """The rows of ``table`` whose columns equal the values of ``where``."""
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    return table[mask]
