"""Reading a pipeline file: the proposals now in progress, one row each (``id``,
``pathway``, ``level``, ``submitted``, ``current_step``, ``step_since``, ``round``), for
:mod:`simlib.planning.forecast`. A CSV (or an .xlsx workbook), read by the one reader of
tables, :func:`simlib.formats.sheets.read_sheet`.

Every problem is one line naming the file, the row (as a spreadsheet numbers it: the header
is row 1; with the line where it starts when a quoted cell holds line breaks) and the
column. ``current_step`` is a step of the pathway, or one of its steps after approval (the
proposal is approved: its badge is being built, or its first offering is to come). The file
is bounded (:data:`LIMITS`: :data:`MAX_BYTES`, :data:`MAX_PROPOSALS` rows;
:data:`MAX_ROUND` rounds, dates within :data:`MAX_AGE_YEARS` of the forecast date, which is
between :data:`FIRST_DAY` and :data:`LAST_DAY`). This module imports no simulation, so a bad
file is refused at once. :func:`pipeline_from_history` gives the same proposals from an
office's history file (its open visits), so both inputs take one path from there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import InputError, PipelineError
from simlib.formats.sheets import Sheet, SheetLimits, read_sheet
from simlib.scenario import Scenario, labelled_steps

FIRST_DAY, LAST_DAY = dt.date(1950, 1, 1), dt.date(2200, 12, 31)  # as the deadline planner

COLUMNS = ("id", "pathway", "level", "submitted", "current_step", "step_since", "round")
MAX_PROPOSALS = 2000  # rows of a pipeline CSV
MAX_BYTES = 5 * 1024 * 1024  # size of a pipeline CSV
MAX_ROUND = 100  # revision rounds
MAX_AGE_YEARS = 30  # how long before the forecast date a proposal may have been submitted
LIMITS = SheetLimits(rows=MAX_PROPOSALS, csv_bytes=MAX_BYTES, unpacked_bytes=4 * MAX_BYTES,
                     rows_named="proposals",
                     advice="give only the proposals in progress, one row each")


@dataclass(frozen=True)
class PipelineProposal:
    """One row of a pipeline CSV (dates as dates, round as a number)."""

    id: str
    pathway: str
    level: str
    submitted: dt.date
    step: str
    since: dt.date
    round: int


def step_names(scenario: Scenario, pathway: str) -> list[str]:
    """The step labels of ``pathway`` in route order, as the event log names them."""
    return [label for item in labelled_steps(scenario.pathways[pathway]) for label, _ in item]


def _step(scenario: Scenario, pathway: str, level: str, step: str, where: str,
          column: str = "current_step") -> str:
    """``step`` if it is a step of ``pathway`` (before or after approval) for ``level``;
    else PipelineError naming the ``column`` and the steps."""
    before, after = step_names(scenario, pathway), scenario.after_labels(pathway)
    if step not in before and step not in after:
        also = f"; after approval: {', '.join(after)}" if after else ""
        raise PipelineError(f"{where}, column {column}: {step!r} is not a step of "
                            f"{pathway}; steps: {', '.join(before)}{also}")
    steps = {label: item for items in scenario.journey(pathway) for label, item in items}
    if not steps[step].applies_to({"pathway": pathway, "level": level}):
        raise PipelineError(f"{where}, column {column}: {step!r} is not a step for "
                            f"{level or 'these'} proposals of {pathway}; check the step or "
                            "the level")
    return step


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PipelineError(f"{where}: {text!r} is not a date; write YYYY-MM-DD, e.g. "
                            "2026-09-15") from None


def _row(values: dict, where: str, scenario: Scenario, as_of: dt.date) -> PipelineProposal:
    """One checked row; PipelineError naming the row, the column and the fix."""
    cells = {key: (values.get(key) or "").strip() for key in COLUMNS}
    if not cells["id"]:
        raise PipelineError(f"{where}, column id: empty; give each proposal an id")
    pathway = cells["pathway"]
    level = _level(scenario, pathway, cells["level"], where)
    _step(scenario, pathway, level, cells["current_step"], where)
    submitted = _date(cells["submitted"], f"{where}, column submitted")
    since = _date(cells["step_since"], f"{where}, column step_since")
    if (as_of - submitted).days > 365 * MAX_AGE_YEARS:
        raise PipelineError(f"{where}, column submitted: {submitted} is more than "
                            f"{MAX_AGE_YEARS} years before the forecast date {as_of}; check "
                            "the year")
    if since < submitted:
        raise PipelineError(f"{where}, column step_since: {since} is before the submission "
                            f"({submitted}); it is the date the proposal reached its step")
    if since > as_of:
        raise PipelineError(f"{where}, column step_since: {since} is after the forecast date "
                            f"{as_of}; give the date it reached the step, or a later --as-of")
    text = cells["round"] or "0"
    round_ = int(text) if text.isdigit() and text.isascii() and len(text) <= 3 else -1
    if not 0 <= round_ <= MAX_ROUND:
        shown = text if len(text) <= 20 else f"{text[:17]}..."
        raise PipelineError(f"{where}, column round: {shown!r}; write a whole number from 0 "
                            f"to {MAX_ROUND}: 0 for a first submission, 1 after one "
                            "revision, ...")
    return PipelineProposal(cells["id"], pathway, level, submitted, cells["current_step"],
                            since, round_)


def read_pipeline(path: str | Path, scenario: Scenario, as_of: dt.date) -> list[PipelineProposal]:
    """The proposals of a pipeline file (CSV in UTF-8, or an .xlsx workbook; a header row
    with :data:`COLUMNS`, any order, extra columns ignored). PipelineError, one line naming
    the file, the row (as a spreadsheet numbers it: the header is row 1) and the column, for
    anything wrong."""
    path = Path(path)
    check_as_of(as_of)
    sheet = _sheet(path)
    header = list(sheet.header)
    for name in COLUMNS:
        if header.count(name) > 1:
            places = " and ".join(str(index + 1) for index, other in enumerate(header)
                                  if other == name)
            raise PipelineError(f"{path}: row 1: column {name} appears {header.count(name)} "
                                f"times (columns {places}); keep one")
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise PipelineError(f"{path}: row 1: missing column(s) {', '.join(missing)}; the header "
                            f"must name {', '.join(COLUMNS)}")
    proposals, seen = [], set()
    for row in sheet.rows[1:]:
        if row.blank:
            continue
        values = dict(zip(header, row.cells, strict=False))
        proposal = _row(values, f"{path}: {row.place}", scenario, as_of)
        if proposal.id in seen:
            raise PipelineError(f"{path}: {row.place}, column id: {proposal.id!r} is listed "
                                "twice; ids must be unique")
        seen.add(proposal.id)
        proposals.append(proposal)
    if not proposals:
        raise PipelineError(f"{path}: no proposals; add one row per proposal in progress")
    return proposals


def _sheet(path: Path) -> Sheet:
    """The rows of a pipeline file within :data:`LIMITS`; PipelineError for one that cannot
    be read, or has no rows."""
    try:
        sheet = read_sheet(path, LIMITS)
    except InputError as error:
        raise PipelineError(str(error)) from None
    if not sheet.rows:
        raise PipelineError(f"{path}: no proposals; add one row per proposal in progress")
    return sheet


def pipeline_from_history(history, scenario: Scenario) -> list[PipelineProposal]:
    """The proposals in progress in ``history`` (a :class:`~simlib.records.history.History`)
    at its export date, as :func:`read_pipeline` gives them: one per proposal with an open
    visit (its earliest open one, which may be at a step after approval when the history
    was read with them), its step, since its arrival there, its round at that step and its
    submission (its first arrival anywhere); in order of their rows. PipelineError naming
    the row for a proposal whose pathway has no demand, that needs a level, or whose step
    is not for its level."""
    from simlib.records.history_files import visit_rounds

    visits = history.visits.assign(round=visit_rounds(history.visits))
    submitted = visits.groupby("proposal")["arrived"].min()
    open_visits = visits[visits["decided"].isna()].sort_values(["arrived", "row"],
                                                                kind="stable")
    open_visits = open_visits.drop_duplicates("proposal").sort_values("row")
    if len(open_visits) > MAX_PROPOSALS:
        raise PipelineError(f"{history.source}: {len(open_visits):,} proposals in progress on "
                            f"{history.as_of.isoformat()}; a forecast takes at most "
                            f"{MAX_PROPOSALS:,}: give an earlier --as-of, or check the file")
    proposals = []
    for visit in open_visits.itertuples(index=False):
        where = f"{history.source}: row {visit.row}"
        level = _level(scenario, visit.pathway, visit.level, where)
        proposals.append(_bounded(PipelineProposal(
            visit.proposal, visit.pathway, level, submitted[visit.proposal].date(),
            _step(scenario, visit.pathway, level, visit.step, where, "step"),
            visit.arrived.date(), int(visit.round)), where, history.as_of))
    if not proposals:
        raise PipelineError(f"{history.source}: no open visits on {history.as_of.isoformat()}: "
                            "no proposal is in progress, so there is nothing to forecast")
    return proposals


def _bounded(proposal: PipelineProposal, where: str, as_of: dt.date) -> PipelineProposal:
    """``proposal`` if it is within a pipeline CSV's bounds (:data:`MAX_ROUND` rounds,
    submitted at most :data:`MAX_AGE_YEARS` before ``as_of``); else PipelineError."""
    if proposal.round > MAX_ROUND:
        raise PipelineError(f"{where}, column step: {proposal.id} is in round "
                            f"{proposal.round} at {proposal.step}; a forecast takes at most "
                            f"{MAX_ROUND} rounds: check the proposal's rows")
    if (as_of - proposal.submitted).days > 365 * MAX_AGE_YEARS:
        raise PipelineError(f"{where}, column arrived: {proposal.id} was submitted on "
                            f"{proposal.submitted}, more than {MAX_AGE_YEARS} years before "
                            f"{as_of}; check the year")
    return proposal


def check_as_of(as_of: dt.date, what: str = "as_of") -> dt.date:
    """``as_of`` if a forecast can start then (the deadline planner's range of dates,
    :data:`FIRST_DAY` to :data:`LAST_DAY`); else PipelineError naming ``what`` and the
    range."""
    if not FIRST_DAY <= as_of <= LAST_DAY:
        raise PipelineError(f"{what} {as_of.isoformat()} is out of range; give a date between "
                            f"{FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    return as_of


def _level(scenario: Scenario, pathway: str, level: str, where: str) -> str:
    """The row's level ("" for a pathway without levels); PipelineError naming the column
    and the choices for a pathway without demand or an unknown level."""
    if pathway not in scenario.pathways or pathway not in scenario.demand:
        known = ", ".join(name for name in scenario.pathways if name in scenario.demand)
        raise PipelineError(f"{where}, column pathway: {pathway!r} is not a pathway with "
                            f"demand in {scenario.name}; choose one of: {known}")
    levels = sorted(scenario.demand[pathway].mix)
    if not levels and level:
        raise PipelineError(f"{where}, column level: pathway {pathway!r} has no levels; leave "
                            "the cell empty")
    if levels and level not in levels:
        raise PipelineError(f"{where}, column level: {level!r}; pathway {pathway!r} needs a "
                            f"level, one of: {', '.join(levels)}")
    return level
