"""What the what-if explorer shows of a :class:`~simlib.answers.ComparisonAnswer` (one
what-if against its base): the paired differences of the mean and the P90 with their 95%
CIs (and, once the runs at the posterior draws are in, the range over what we don't know),
the change in hours a year, the list of changes, and "where the time goes" for today
beside the change. Each piece is HTML (or a figure) for a widget; the explorer only places
them. Numbers carry their full value in a ``data-value`` attribute (the browser test reads
it), and each piece has a stable CSS class (``mcsim-...``)."""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from matplotlib.figure import Figure

from simlib.answers import ComparisonAnswer
from simlib.answers import Figure as AnswerFigure
from simlib.formats.words import change, days, pathway_title, range_change
from simlib.reports import figures
from simlib.reports.unknowns import RANGE
from simlib.reports.words import HOURS_WORDS
from simlib.scenario import Change

TODAY, CHANGED = "today", "with the change"
NOT_YET = "running at the posterior draws…"
NO_DRAWS = "not known: the scenario has no posterior draws"


def _cell(text: str, kind: str, value: float | None = None, pathway: str = "") -> str:
    """A table cell holding ``text`` with the CSS class ``mcsim-<kind>`` (and the full
    ``value`` and ``pathway`` as data attributes)."""
    data = "" if value is None else f' data-value="{value!r}"'
    data += f' data-pathway="{html.escape(pathway)}"' if pathway else ""
    return f'<td class="mcsim-{kind}"{data}>{html.escape(text)}</td>'


def _row(answer: ComparisonAnswer, name: str, pathway: str, unknowns: str) -> str:
    item = answer.comparison.to_dict()["alternatives"][name]["pathways"][pathway]
    difference = answer.difference(name, pathway)
    spread = (range_change(*difference.range95) if answer.over_draws is not None
              else unknowns)
    cells = [f"<th>{html.escape(pathway_title(pathway))}</th>",
             _cell(days(item["base_mean_days"]), "base-mean", item["base_mean_days"], pathway),
             _cell(days(item["alt_mean_days"]), "alt-mean", item["alt_mean_days"], pathway),
             _cell(change(difference.value, *difference.ci95), "difference", difference.value,
                   pathway),
             _cell(change(item["p90_diff_days"], *item["p90_ci95"]), "p90-difference",
                   item["p90_diff_days"], pathway),
             _cell(spread, "range", pathway=pathway)]
    return "<tr>" + "".join(cells) + "</tr>"


def differences_html(answer: ComparisonAnswer, name: str, unknowns: str = NOT_YET) -> str:
    """Per pathway: today's mean days, the what-if's, the paired difference of the mean
    with its 95% CI and of the P90 with its paired bootstrap 95% CI, and the range of the
    difference over what we don't know (``unknowns`` until the runs at the draws are in:
    :data:`NOT_YET`, or :data:`NO_DRAWS`)."""
    header = ["Pathway", "Mean days today", "With the change", "Change in the mean (95% CI)",
              "Change in P90 (95% CI)", RANGE]
    rows = [_row(answer, name, pathway, unknowns)
            for found, pathway in answer.pairs if found == name]
    head = "".join(f"<th>{html.escape(text)}</th>" for text in header)
    return (f'<table class="mcsim-differences"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>")


def hours_html(answer: ComparisonAnswer, name: str) -> str:
    """The change in person-hours a year (faculty, of them outside terms, staff, total)
    with its 95% CI and, with the draws, its range; a note when no body has hours."""
    rows = []
    for key, words in HOURS_WORDS.items():
        figure: AnswerFigure | None = answer.hours_change(name, key)
        if figure is None:
            return '<p class="mcsim-hours">No body has hours in this scenario.</p>'
        text = change(figure.value, *figure.ci95, unit="hour", less="fewer", more="more")
        spread = ("" if answer.over_draws is None else
                  "; " + RANGE + " " + range_change(*figure.range95, unit="hour",
                                                    less="fewer", more="more"))
        rows.append(f"<tr><th>{html.escape(words)}</th>"
                    + _cell(text + spread, f"hours-{key.replace('_', '-')}", figure.value)
                    + "</tr>")
    return ('<table class="mcsim-hours"><thead><tr><th>Hours a year</th><th>Change '
            f"(95% CI)</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def whatif_title(found: dict[str, Any]) -> str:
    """The title of a what-if the planner has not titled (the bottom line names it): its one
    change, e.g. "Your change: bodies.mc.meets.every_weeks = 1", or how many it makes."""
    if not found:
        return "No change: today's process"
    if len(found) > 1:
        return f"Your {len(found)} changes"
    path, value = next(iter(found.items()))
    shown = ("removed" if value is None else "changed" if isinstance(value, dict | list)
             else str(value).lower() if isinstance(value, bool) else f"{value}")
    return f"Your change: {path} = {shown}"


def changes_html(changes: Iterable[Change]) -> str:
    """The changes as the what-if's ``set`` holds them, one ``path: base -> new`` per
    line; "No change yet" when there is none."""
    lines = [f"<li><code>{html.escape(str(item))}</code></li>" for item in changes]
    if not lines:
        return '<p class="mcsim-changes">No change yet: move a control.</p>'
    return f'<ul class="mcsim-changes">{"".join(lines)}</ul>'


def breakdown_figure(answer: ComparisonAnswer, name: str) -> Figure:
    """Where the time goes, today beside the what-if ``name`` (mean days per approved
    proposal at each step, by kind of wait)."""
    base = answer.comparison.base.scenario.name
    return figures.time_breakdown_compared(answer.time_breakdown(),
                                           {base: TODAY, name: CHANGED})
