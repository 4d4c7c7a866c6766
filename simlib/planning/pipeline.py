"""Reading a pipeline CSV: the proposals now in progress, one row each (``id``, ``pathway``,
``level``, ``submitted``, ``current_step``, ``step_since``, ``round``), for
:mod:`simlib.planning.forecast`.

Every problem is one line naming the file, the row (as a spreadsheet numbers it: the header
is row 1; a record over several lines by the row where it starts) and the column. The file
is bounded (:data:`MAX_BYTES`, :data:`MAX_PROPOSALS` rows, :data:`MAX_ROUND` rounds, dates
within :data:`MAX_AGE_YEARS` of the forecast date, which is between :data:`FIRST_DAY` and
:data:`LAST_DAY`). This module imports no simulation, so a bad file is refused at once.
:func:`pipeline_from_history` gives the same proposals from an office's history file (its
open visits), so both inputs take one path from there.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import InputError, PipelineError
from simlib.formats.files import regular_input
from simlib.scenario import Scenario, labelled_steps

FIRST_DAY, LAST_DAY = dt.date(1950, 1, 1), dt.date(2200, 12, 31)  # as the deadline planner

COLUMNS = ("id", "pathway", "level", "submitted", "current_step", "step_since", "round")
MAX_PROPOSALS = 2000  # rows of a pipeline CSV
MAX_BYTES = 5 * 1024 * 1024  # size of a pipeline CSV
MAX_ROUND = 100  # revision rounds
MAX_AGE_YEARS = 30  # how long before the forecast date a proposal may have been submitted



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
    steps = step_names(scenario, pathway)
    if cells["current_step"] not in steps:
        raise PipelineError(f"{where}, column current_step: {cells['current_step']!r} is not a "
                            f"step of {pathway}; steps: {', '.join(steps)}")
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
    """The proposals of a pipeline CSV (UTF-8, a header row with :data:`COLUMNS`, any
    order, extra columns ignored). PipelineError, one line naming the file, the row (as a
    spreadsheet numbers it: the header is row 1) and the column, for anything wrong."""
    path = Path(path)
    check_as_of(as_of)
    rows = _csv_rows(path, _text(path))
    if not rows:
        raise PipelineError(f"{path}: no proposals; add one row per proposal in progress")
    header = [name.strip() for name in rows[0][1]]
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
    for number, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # a line of empty cells
        values = dict(zip(header, cells, strict=False))
        proposal = _row(values, f"{path}: row {number}", scenario, as_of)
        if proposal.id in seen:
            raise PipelineError(f"{path}: row {number}, column id: {proposal.id!r} is listed "
                                "twice; ids must be unique")
        seen.add(proposal.id)
        proposals.append(proposal)
    if not proposals:
        raise PipelineError(f"{path}: no proposals; add one row per proposal in progress")
    return proposals


def pipeline_from_history(history, scenario: Scenario) -> list[PipelineProposal]:
    """The proposals in progress in ``history`` (a :class:`~simlib.records.history.History`)
    at its export date, as :func:`read_pipeline` gives them: one per proposal with an open
    visit (its earliest open one), its step, since its arrival there, its round at that step
    and its submission (its first arrival anywhere); in order of their rows. PipelineError
    naming the row for a proposal whose pathway has no demand or that needs a level."""
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
        proposals.append(_bounded(PipelineProposal(
            visit.proposal, visit.pathway, _level(scenario, visit.pathway, visit.level, where),
            submitted[visit.proposal].date(), visit.step, visit.arrived.date(),
            int(visit.round)), where, history.as_of))
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


def _text(path: Path) -> str:
    """The text of a pipeline CSV: a regular file of at most :data:`MAX_BYTES`, UTF-8."""
    try:
        regular_input(path, "pipeline CSV file")
    except InputError as error:
        raise PipelineError(str(error)) from None
    try:
        if (size := path.stat().st_size) > MAX_BYTES:
            raise PipelineError(f"{path}: {size / 2**20:,.1f} MB; a pipeline CSV of at most "
                                f"{MAX_PROPOSALS:,} proposals is far smaller (at most "
                                f"{MAX_BYTES // 2**20} MB are read): check the file")
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise PipelineError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    except OSError as error:
        raise PipelineError(f"{path}: cannot read: {error.strerror}") from None


def _csv_rows(path: Path, text: str) -> list[tuple[int, list[str]]]:
    """(spreadsheet row where the record starts, cells) of every record; PipelineError
    naming the row (and the column) where a quote opens and never closes, or a cell is too
    long, and for more than :data:`MAX_PROPOSALS` rows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            raise PipelineError(_csv_problem(path, text, start, header, str(error))) from None
        if len(rows) > MAX_PROPOSALS:
            raise PipelineError(f"{path}: more than {MAX_PROPOSALS:,} proposals; a forecast "
                                f"takes at most {MAX_PROPOSALS:,} rows below the header")
        header = header or [cell.strip() for cell in cells]
        rows.append((start, cells))


def _csv_problem(path: Path, text: str, start: int, header: list[str], error: str) -> str:
    """The one line for a record (starting at spreadsheet row ``start``) the CSV reader
    refused: the column whose quote opens there and is never closed, a cell too long, or a
    stray quote."""
    lines = io.StringIO(text, newline="").readlines()
    line = lines[start - 1] if start <= len(lines) else ""
    index, trouble = _quote_trouble(line)
    if index is None and "field limit" in error:  # the first cell too long, quotes or not
        index = next((number for number, cell in enumerate(line.split(","))
                      if len(cell) > csv.field_size_limit()), None)
    column = (f", column {header[index] if index < len(header) else index + 1}"
              if index is not None else "")
    where = f"{path}: row {start}{column}"
    if trouble == "open" and ("end of data" in error or "field limit" in error):
        return (f"{where}: a quote (\") opens here and is never closed; close it, or remove "
                "it")
    if "field limit" in error:
        return f"{where}: a cell longer than {csv.field_size_limit():,} characters; check the row"
    if trouble == "stray":
        return (f"{where}: text after the closing quote of a quoted cell; put the whole cell "
                "in quotes and double the quotes inside it (\"\")")
    return f"{where}: not readable as CSV ({error}); check the quotes in this row"


def _quote_trouble(line: str) -> tuple[int | None, str]:
    """In one CSV line: (0-based field index, "open") for a quote that opens a field and is
    not closed on the line, (index, "stray") for text after a field's closing quote, or
    (None, "")."""
    field, quoted, at_start, position = 0, False, True, 0
    while position < len(line):
        char = line[position]
        if quoted and char == '"':
            after = line[position + 1 : position + 2]
            if after == '"':
                position += 1
            elif after not in ("", ",", "\r", "\n"):
                return field, "stray"
            else:
                quoted = False
        elif not quoted and char == ",":
            field, at_start = field + 1, True
            position += 1
            continue
        elif not quoted and char == '"' and at_start:
            quoted = True
        at_start = False
        position += 1
    return (field, "open") if quoted else (None, "")
