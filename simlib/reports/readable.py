"""What every report page shares: labelled tables shown whole, the ``## Summary`` block,
the three-line bottom line every page opens with, body labels, run counts in words and row
selection."""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any

import pandas as pd

from simlib.formats.printable import printable
from simlib.reports.words import Markdown
from simlib.scenario import Scenario

BOTTOM_LINE = "## Bottom line"
BOTTOM_LABELS = ("The answer", "How sure", "What to do")
BOTTOM_STYLE = ("border-left:6px solid #0072B2;background:#eef5fb;padding:.7em 1.3em;"
                "margin:.5em 0 1.5em;border-radius:4px;font-size:1.08em;line-height:1.5")


class ReportTable(pd.DataFrame):
    """A table for people that a notebook shows whole: every row and the full text of every
    cell (pandas' display otherwise cuts long text to 50 characters with "...")."""

    @property
    def _constructor(self) -> type:
        return ReportTable

    def _shown(self, method: Callable[[], Any]) -> Any:
        with pd.option_context("display.max_colwidth", None, "display.max_rows", None,
                               "display.max_columns", None, "display.width", None):
            return method()

    def _repr_html_(self) -> str | None:
        return self._shown(super()._repr_html_)

    def __repr__(self) -> str:
        return self._shown(super().__repr__)


def shown_whole(table: pd.DataFrame) -> ReportTable:
    """``table`` as a :class:`ReportTable` (never truncated when shown)."""
    return ReportTable(table)


def labelled_by(count: int) -> Callable:
    """Decorate a table function: its first ``count`` columns become the index, so a
    notebook shows the labels instead of row numbers, and the table is shown whole."""
    def decorate(function: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
        @functools.wraps(function)
        def labelled(*args: Any, **kwargs: Any) -> pd.DataFrame:
            table = function(*args, **kwargs)
            return shown_whole(table.set_index(list(table.columns[:count])))
        return labelled
    return decorate


def bullet_summary(lines: list[str]) -> Markdown:
    """``## Summary`` and one Markdown list item per line (names from the user's files in
    them :func:`~simlib.formats.printable.printable`: one line each)."""
    return Markdown("## Summary\n\n" + "\n".join(f"- {printable(line, None)}" for line in lines)
                    + "\n")


class BottomLine(Markdown):
    """The three lines a leader reads first: the answer, how sure it is, what to do. Shown
    as Markdown (``## Bottom line`` and three list items) or as a highlighted HTML block
    (``section.bottom-line``) in a rendered page; :attr:`lines` holds the plain texts."""

    lines: tuple[str, str, str]

    def __new__(cls, answer: str, sure: str, todo: str) -> BottomLine:
        lines = (answer, sure, todo)
        text = f"{BOTTOM_LINE}\n\n" + "".join(
            f"- **{label}:** {line}\n" for label, line in zip(BOTTOM_LABELS, lines, strict=True))
        made = super().__new__(cls, text)
        made.lines = lines
        return made

    def _repr_html_(self) -> str:
        items = "".join(f"<p><strong>{label}:</strong> {html.escape(line)}</p>"
                        for label, line in zip(BOTTOM_LABELS, self.lines, strict=True))
        return (f'<section class="bottom-line" style="{BOTTOM_STYLE}">'
                f'<h2 style="margin:.2em 0 .3em">Bottom line</h2>{items}</section>')


def body_label(scenario: Scenario, body: str) -> str:
    """The body's label, else its name."""
    return scenario.bodies[body].label or body


def rows_at(table: pd.DataFrame, **where) -> pd.DataFrame:
    """The rows of ``table`` whose columns equal the values of ``where``."""
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    return table[mask]


def run_count(count: int, what: str = "simulated runs") -> str:
    """"16 simulated runs", "1 simulated run" (``what``: the plural words)."""
    return f"{count} {what}" if count != 1 else f"1 {what.replace('runs', 'run')}"
