"""The planner's view of a posterior calibration (``calibrate --posterior``): what the
targets say about each free assumption, whether the model at the draws reproduces the
documented figures, and which assumptions trade off.

:func:`posterior_text` reads the JSON-ready dict of a
:class:`~simlib.calibration.PosteriorFit`; parameter values are shown with
four significant digits, days to one decimal (whole days for predictive figures), shares as
percentages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simlib.formats.printable import printable_data
from simlib.formats.words import (
    BLANK,
    days,
    fixed,
    percent,
    signed,
    significant,
    significant_span,
    whole,
)
from simlib.reports.console._table import text_table
from simlib.reports.words import without_source

if TYPE_CHECKING:
    from simlib.calibration import PosteriorFit

PARAMETER_HEADERS = ("assumption", "prior range", "posterior median", "95% interval", "note")
TARGET_HEADERS = ("target", "documented", "predictive median", "95% interval", "inside")
PARAMETER_CAPTION = "What the targets say about each assumption (uniform prior on its range)"
TARGET_CAPTION = ("Posterior predictive check: each target figure simulated at the draws, "
                  "with the documented figure's own noise")
NOT_IDENTIFIED = "not identified by the targets"
DIGITS = 4  # significant digits of an assumption's value


def _words(note: str) -> str:
    """An assumption's note as a name: without its source and its unit ("credit rework
    after MC, days (sources.md: 1-3 weeks)" reads "credit rework after MC")."""
    return without_source(note)[0].split(", ")[0]


def _label(item: dict, path: str) -> str:
    """An assumption as readers say it: its note's words, else its path."""
    return _words(item.get("label") or "") or path


def header_line(fit: dict) -> str:
    """Method, draws, seed, effective sample size and acceptance in one line."""
    found = fit["diagnostics"]
    draws = len(next(iter(fit["draws"].values()), []))
    return (f"{fit['scenario']}: {fit['method']}; {draws} draws, seed {fit['seed']}; "
            f"effective sample size {whole(found['ess'], commas=True)}, acceptance "
            f"{percent(found['acceptance'], 1, BLANK)} of the prior ranges; "
            f"{whole(found['simulations'], commas=True)} replications simulated")


def parameter_rows(fit: dict) -> list[list[str]]:
    """Rows of :data:`PARAMETER_HEADERS`."""
    return [[_label(item, path), significant_span(*item["prior"], DIGITS, BLANK),
             significant(item["median"], DIGITS, BLANK),
             significant_span(*item["ci95"], DIGITS, BLANK),
             "" if item["identified"] else NOT_IDENTIFIED]
            for path, item in fit["posterior"].items()]


def _figure(target: dict, value: float | None) -> str:
    """A target figure: a share as a percentage, days as whole days."""
    if target["bound"] == "at_least":
        return percent(value, 1, BLANK)
    return days(value, missing=BLANK)


def target_rows(fit: dict) -> list[list[str]]:
    """Rows of :data:`TARGET_HEADERS`."""
    rows = []
    for target in fit["targets"].values():
        if target["bound"] == "at_least":
            documented = f"at least {percent(target['value'], 1, BLANK)}"
            verdict = (f"can be met (in {percent(target['meets'], 1, BLANK)} of draws)"
                       if target["inside"] else "not met")
        else:
            documented = f"{target['value']:g} +- {fixed(target['sd'], 1)} days"
            verdict = "yes" if target["inside"] else "no"
        low, high = target["predictive_ci95"]
        spread = (BLANK if low is None or high is None
                  else f"{_figure(target, low)} to {_figure(target, high)}")
        rows.append([target["label"], documented, _figure(target, target["predictive_median"]),
                     spread, verdict])
    return rows


def source_lines(fit: dict) -> list[str]:
    """Where each equal-target's sd comes from."""
    return [f"  {target['label']}: sd {fixed(target['sd'], 1)} days, {target['sd_source']}"
            for target in fit["targets"].values() if target["bound"] != "at_least"]


def ridge_lines(fit: dict) -> list[str]:
    """Each pair of trading-off assumptions in words."""
    return [f"- {_words(pair['first_label']) or pair['first']} and "
            f"{_words(pair['second_label']) or pair['second']} trade off (correlation "
            f"{signed(pair['correlation'], 2)}): the targets fix a combination, not each"
            for pair in fit["ridge"]]


def closing_sentence(fit: dict) -> str:
    """One sentence: what the targets pin down and whether the model reproduces them."""
    items = fit["posterior"]
    pinned = [_label(item, path) for path, item in items.items() if item["identified"]]
    missed = [t["label"] for t in fit["targets"].values() if not t["inside"]]
    rest = {0: "", 1: "; the other stays about as uncertain as its range"}.get(
        len(items) - len(pinned), "; the others stay about as uncertain as their ranges")
    if pinned:
        said = (f"The targets pin down {len(pinned)} of {len(items)} assumptions "
                f"({', '.join(pinned)}){rest}")
    else:
        said = (f"The targets pin down none of the {len(items)} assumptions on its own; each "
                "stays about as uncertain as its range")
    if missed:
        return f"{said}, and the model misses {', '.join(missed)} even at the draws."
    return f"{said}, and the model at the draws reproduces every documented figure."


def posterior_text(answer: PosteriorFit) -> str:
    """The table view of a posterior calibration (read from its JSON-ready dict)."""
    fit = printable_data(answer.to_dict())
    parts = [
        header_line(fit),
        f"{PARAMETER_CAPTION}\n{text_table(PARAMETER_HEADERS, parameter_rows(fit))}",
        "\n".join([TARGET_CAPTION, text_table(TARGET_HEADERS, target_rows(fit)),
                   *(["sd of each documented mean:", *source_lines(fit)]
                     if source_lines(fit) else [])]),
    ]
    ridge = ridge_lines(fit)
    parts.append("Assumptions that trade off (the ridge)\n" + "\n".join(ridge) if ridge
                 else "No two assumptions trade off (no |rank correlation| of 0.4 or more).")
    parts.append(closing_sentence(fit))
    return "\n\n".join(parts) + "\n"
