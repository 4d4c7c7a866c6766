"""The text of the policy commands: ``mcsim check-proposal`` (one line a rule, then the
verdict) and ``mcsim badges`` (a file's verdict, its problems and the roster's one line)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from simlib.formats.words import PATHWAY_WORDS

if TYPE_CHECKING:
    from simlib.policy import badge_files, badges
    from simlib.policy.eligibility import Eligibility

NOT_CHECKED = ("Not checked offline (only Credly can): that each well-formed Badge Template "
               "ID exists and can be issued by you.")


def _settings_line(result: Eligibility, programs_file: str | None) -> str:
    """Pathway and level, the credit minimum, and what the title was checked against."""
    proposal, settings = result.proposal, result.settings
    words = [", ".join(filter(None, (PATHWAY_WORDS[proposal.pathway], proposal.level)))]
    if proposal.pathway == "credit":
        words.append(f"minimum {settings.min_credits:g} credits")
    words.append(f"title checked against {len(settings.programs)} registered program names "
                 f"in {programs_file}" if settings.programs
                 else "title not checked against registered program names (no --programs)")
    return "; ".join(words)


def _verdict_line(result: Eligibility) -> str:
    """``Eligible: ...`` or ``Not eligible: N rules fail (ids)``, with the warnings."""
    failed = [verdict.rule for verdict in result.verdicts if verdict.status == "fail"]
    warnings = sum(verdict.status == "warning" for verdict in result.verdicts)
    noted = f" ({warnings} warning{'s' * (warnings != 1)})" if warnings else ""
    if not failed:
        return f"Eligible: no rule fails{noted}."
    count = "1 rule fails" if len(failed) == 1 else f"{len(failed)} rules fail"
    return f"Not eligible: {count} ({', '.join(failed)}){noted}."


def eligibility_text(result: Eligibility, source: str, programs_file: str | None) -> str:
    """The title and settings, one line a rule (status, rule, why), then the verdict."""
    rows = [("status", "rule", "why")] + [
        (verdict.status, verdict.rule, verdict.why) for verdict in result.verdicts]
    status_width, rule_width = (max(len(row[column]) for row in rows) for column in (0, 1))
    lines = [f"{status:<{status_width}}  {rule:<{rule_width}}  {why}"
             for status, rule, why in rows]
    return (f"{result.proposal.title} ({source})\n{_settings_line(result, programs_file)}\n\n"
            + "\n".join(lines) + f"\n\n{_verdict_line(result)}\n")


def validation_text(name: str, result: badges.Validation) -> str:
    """The verdict in one line, then one line per problem (row, column, problem; fix)."""
    badge_rows = f"{result.rows} badge row{'s' * (result.rows != 1)}"
    if result.valid:
        return f"{name}: ready for Credly: {badge_rows}, no problems found.\n{NOT_CHECKED}\n"
    count = len(result.problems)
    verdict = f"{name}: not ready for Credly: {count} problem{'s' * (count != 1)} ({badge_rows})"
    return f"{verdict}\n{problems_table(result.problems)}\n"


def problems_table(problems: Sequence[badge_files.Problem]) -> str:
    """Aligned lines: row, column, then problem and fix."""
    rows = [("row", "column", "problem; fix")] + [
        (str(p.row or "-"), p.column or "-", f"{p.problem}; {p.fix}") for p in problems]
    widths = [max(len(row[index]) for row in rows) for index in (0, 1)]
    return "\n".join(f"{row.rjust(widths[0])}  {column.ljust(widths[1])}  {text}"
                     for row, column, text in rows)


def roster_message(roster: Path, problems: Sequence[badge_files.Problem]) -> str:
    """The one stderr line for a refused roster: the problem itself when there is one."""
    if len(problems) == 1:
        [problem] = problems
        place = ", ".join(part for part in (f"row {problem.row}" if problem.row else "",
                                            problem.column or "") if part)
        where = f"{place}: " if place else ""
        return f"mcsim: {roster}: {where}{problem.problem}; {problem.fix}; nothing written"
    return (f"mcsim: {roster}: {len(problems)} problems in the roster (listed on standard "
            "output); nothing written")


