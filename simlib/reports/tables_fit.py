"""The words and table of ``mcsim fit``: what the record says about each parameter."""

from __future__ import annotations

from pathlib import Path

from simlib.formats.words import BLANK, percent, significant, significant_span

WIDE_NOTE = "intervals are wide: the record is short"


def _shown(value) -> str:
    """A parameter's value as the table shows it."""
    if isinstance(value, float):
        return significant(value, 4)
    return BLANK if value is None else str(value)


def fit_table(fit, out: Path) -> str:
    """The table of ``mcsim fit``: one line per parameter (path, base value, fitted value,
    95% CI, n, method), then the meetings, the ignored columns, and where the what-if went."""
    width = max([len(p.path) for p in fit.parameters] + [9])
    lines = [f"{fit.source}: {fit.proposals} proposals, {fit.rows} rows, as of "
             f"{fit.as_of.isoformat()}", "",
             f"{'parameter':<{width}}  {'base':>8}  {'fitted':>8}  {'95% CI':>19}  "
             f"{'n':>5}  method"]
    for p in fit.parameters:
        interval = significant_span(*p.ci95)
        lines.append(f"{p.path:<{width}}  {_shown(p.base):>8}  {_shown(p.value):>8}  "
                     f"{interval:>19}  {p.n:>5}  {p.method}")
    lines += ["", "meetings (decisions fall on meeting days):"]
    for body, found in fit.meetings.items():
        how = found.get("rule") or f"{len(found['dates'])} listed dates"
        lines.append(f"  {body}: {how}, explains {percent(found['explained'])} of "
                     f"{found['decision_dates']} decision dates")
    if fit.ignored_columns:
        lines.append(f"ignored columns: {', '.join(fit.ignored_columns)}")
    if fit.wide:
        lines.append(WIDE_NOTE)
    lines.append(f"wrote the fitted what-if to {out}")
    return "\n".join(lines) + "\n"
