"""Reading an office's history file (CSV or xlsx; the format of :mod:`simlib.records.history`)
into a :class:`~simlib.records.history.History`, checked against the base scenario.

Every problem is one line naming the file, the row (as a spreadsheet numbers it: the header
is row 1), the column (as the file names it) and the fix. All problems are collected, then
refused at once (:class:`~simlib.errors.HistoryError`): the first line says how many, at
most :data:`MAX_LISTED` are listed. The file is bounded before its cells are read
(:data:`LIMITS`; cells of the format's columns at most :data:`MAX_CELL` characters; dates
between :data:`FIRST_DAY` and :data:`LAST_DAY`). Columns that are not the format's are kept
out and listed once (``History.ignored_columns``); ``columns`` maps the format's names to an
export's own headers (``--columns proposal=Proposal ID,arrived=Entered Step``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from simlib.errors import CommandError, HistoryError, InputError
from simlib.formats.printable import MAX_LINE, cut, listed, printable
from simlib.formats.sheets import Sheet, SheetLimits, read_sheet
from simlib.records.history import COLUMNS, DECISIONS, History
from simlib.records.history_checks import (
    Problem,
    proposal_problems,
    route_positions,
)
from simlib.records.history_dates import implausible_dates

LIMITS = SheetLimits(rows=50_000, csv_bytes=20 * 1024 * 1024, unpacked_bytes=64 * 1024 * 1024,
                     advice="export a shorter period, or split the file by year")
MAX_CELL = 200  # characters in a cell of the format's columns
MAX_LISTED = 20  # problems listed in the message
FIRST_DAY, LAST_DAY = dt.date(1950, 1, 1), dt.date(2200, 12, 31)
OPTIONAL = ("level",)  # a file without this column has it blank
DATE_HINT = "write YYYY-MM-DD, e.g. 2026-09-15 (ISO date-times are accepted)"


def parse_columns(text: str) -> dict[str, str]:
    """The mapping of ``--columns proposal=Proposal ID,arrived=Entered Step``: the format's
    column name -> the file's header; :class:`CommandError` naming the bad item."""
    mapping: dict[str, str] = {}
    for item in (part.strip() for part in text.split(",")):
        name, equals, header = (piece.strip() for piece in item.partition("="))
        if not equals or not name or not header:
            raise CommandError(f"mcsim: --columns: {shown(item)} is not NAME=HEADER; write "
                               "e.g. --columns proposal=Proposal ID,arrived=Entered Step")
        if name not in COLUMNS:
            raise CommandError(f"mcsim: --columns: {shown(name)} is not a column of the "
                               f"history format; map one of: {', '.join(COLUMNS)}")
        if name in mapping:
            raise CommandError(f"mcsim: --columns: {name} is mapped twice; map it once")
        mapping[name] = header
    return mapping


def shown(text: str) -> str:
    """``text`` quoted for a message: at most 30 characters."""
    return repr(text if len(text) <= 30 else f"{text[:27]}...")


def read_history(path: str | Path, base, columns: Mapping[str, str] | None = None,
                 as_of: dt.date | None = None, *, plausible: bool = False,
                 today: dt.date | None = None, after_approval: bool = False) -> History:
    """The checked history in ``path`` (dates in calendar days, ``row`` as a spreadsheet
    numbers it); ``base`` is the :class:`~simlib.scenario.Scenario` whose pathways, steps and
    levels the file names; ``as_of`` the export date (default: the latest date in the file,
    which must not be after ``today``, default the machine's date; a date after the export
    date is a problem). ``plausible``: also refuse the dates the record's others make
    implausible (:mod:`simlib.records.history_dates`), as a fit does.
    ``after_approval``: rows may be at the pathways' steps after approval (a badge built,
    reviewed, published, ...), as the forecast reads them; without it (a fit, a backtest:
    the record of the approval pipeline) a file with such rows is refused in one line.
    :class:`HistoryError` listing every problem."""
    path = Path(path)
    if as_of is not None and not FIRST_DAY <= as_of <= LAST_DAY:
        raise HistoryError(f"mcsim: --as-of {as_of.isoformat()} is out of range; give a date "
                           f"between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}")
    sheet = _sheet(path)
    rows = sheet.rows
    places, ignored = _header(path, rows[0].cells, dict(columns or {}), sheet.worksheet)
    names = {name: (rows[0].cells[index].strip() if index is not None else name)
             for name, index in places.items()}
    if not after_approval:
        _refuse_steps_after_approval(path, rows[1:], places, base, names["step"])
    problems: list[Problem] = []
    visits = []
    refused: set[str] = set()  # proposals with a row refused: their route has a gap
    unsaved = _unsaved_formulas(sheet, places)
    for row in rows[1:]:
        if row.number in unsaved:
            problems += unsaved[row.number]
        elif not row.blank:
            visit = _visit(row.number, row.cells, places, base, problems, after_approval)
            if visit is not None:
                visits.append(visit)
            elif places["proposal"] < len(row.cells):
                refused.add(row.cells[places["proposal"]].strip())
    if not visits and not problems:
        raise HistoryError(f"{path}: a header and no visits; add one row per visit of a "
                           "proposal to a step")
    problems += proposal_problems(visits, base, refused, after_approval)
    if visits:
        given = as_of is not None
        as_of = as_of or min(max(max(v["arrived"], v["decided"] or v["arrived"])
                                 for v in visits), today or dt.date.today())
        problems += _after(visits, as_of, given)
        if plausible and not problems:  # judged on an otherwise sound record
            problems += implausible_dates(visits, as_of)
    if problems:
        raise refusal(path, problems, names)
    return History(_frame(visits), as_of, str(path), tuple(ignored), sheet.worksheet)


def _sheet(path: Path) -> Sheet:
    """The rows of the file, header first; HistoryError for an unreadable or empty file."""
    try:
        sheet = read_sheet(path, LIMITS)
    except HistoryError:
        raise
    except InputError as error:
        raise HistoryError(str(error)) from None
    except OSError as error:
        raise HistoryError(f"{path}: cannot read: {error.strerror}") from None
    if not sheet.rows or sheet.rows[0].blank:
        raise HistoryError(f"{path}: empty{_read(sheet.worksheet)}; the first row must be the "
                           f"header: {', '.join(COLUMNS)}")
    return sheet


def _unsaved_formulas(sheet: Sheet, places: dict[str, int | None]) -> dict[int, list[Problem]]:
    """Per row, a problem for each cell of a column read that holds a formula without a
    saved value (a workbook whose values were never computed: the cell reads as blank)."""
    columns = {index: name for name, index in places.items() if index is not None}
    found: dict[int, list[Problem]] = {}
    for (number, index), formula in sorted(sheet.unsaved_formulas.items()):
        if index in columns:
            found.setdefault(number, []).append(Problem(
                number, columns[index], f"holds a formula ({printable(formula, 40)}) with no "
                "saved value; open the workbook in Excel or LibreOffice and save it (the "
                "values are then stored), or paste the values over the formulas"))
    return found


def _read(worksheet: str) -> str:
    """Which worksheet was read, for a message about a missing column ("" for one)."""
    return f" in {worksheet}; move the table to the first worksheet" if worksheet else ""


def _header(path: Path, header: tuple[str, ...], columns: dict[str, str], worksheet: str = ""
            ) -> tuple[dict[str, int | None], list[str]]:
    """(the format's column name -> its index in the file, or None for a missing optional
    column; the file's other column names); HistoryError naming what is missing (and which
    worksheet was read, in a workbook of several)."""
    cells = [cell.strip() for cell in header]
    for name, wanted in columns.items():
        if wanted not in cells:
            raise HistoryError(f"{path}: row 1: --columns {name}={wanted}: the file has no "
                               f"column {shown(wanted)}; its columns: "
                               f"{listed(cell for cell in cells if cell)}{_read(worksheet)}")
    places: dict[str, int | None] = {}
    for name in COLUMNS:
        wanted = columns.get(name, name)
        found = [index for index, cell in enumerate(cells) if cell == wanted] or \
            [index for index, cell in enumerate(cells) if cell.lower() == wanted.lower()]
        if len(found) > 1:
            raise HistoryError(f"{path}: row 1: column {shown(wanted)} appears {len(found)} "
                               f"times (columns {' and '.join(str(i + 1) for i in found)}); "
                               "keep one, or map another with --columns")
        if not found and name not in OPTIONAL:
            raise HistoryError(f"{path}: row 1: no column {name}{_read(worksheet)}; add it, "
                               f"or map the export's own header with --columns {name}=HEADER")
        places[name] = found[0] if found else None
    used = {index for index in places.values() if index is not None}
    ignored = [cut(cell) for index, cell in enumerate(cells) if cell and index not in used]
    return places, ignored


def _date(text: str) -> dt.date | None:
    """The date of ``text`` (YYYY-MM-DD or an ISO date-time), or None if it is not one."""
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text).date() if 10 < len(text) <= 40 else None
    except ValueError:
        return None


def _date_cell(cells: dict[str, str], name: str, number: int,
               problems: list[Problem]) -> dt.date | None:
    """The date in column ``name`` (None when blank or bad; bad ones added to problems)."""
    text = cells[name]
    if not text:
        return None
    day = _date(text)
    if day is None:
        problems.append(Problem(number, name, f"{shown(text)} is not a date; {DATE_HINT}"))
    elif not FIRST_DAY <= day <= LAST_DAY:
        problems.append(Problem(number, name, f"{day.isoformat()} is outside "
                                f"{FIRST_DAY.year}..{LAST_DAY.year}; check the year"))
        day = None
    return day


def _refuse_steps_after_approval(path: Path, rows: list, places: dict[str, int | None],
                                 base, column: str) -> None:
    """HistoryError, one line, when a row is at a step after approval (a fit and a
    backtest read the record of the approval pipeline); naming the first such row and how
    many there are."""
    after = {pathway: set(base.after_labels(pathway)) for pathway in base.pathways}
    found = []
    for row in rows:
        cells = [row.cells[places[name]].strip() if places[name] < len(row.cells) else ""
                 for name in ("pathway", "step")]
        if cells[1] in after.get(cells[0], ()):
            found.append((row.number, cells[1]))
    if found:
        number, step = found[0]
        more = f" (and {len(found) - 1} more rows)" if len(found) > 1 else ""
        raise HistoryError(f"{path}: row {number}, column {column}: {step!r} is a step after "
                           f"approval{more}; a fit and a backtest read the record of the "
                           "approval pipeline only: remove the rows at steps after approval "
                           "(mcsim forecast --history reads them)")


def _visit(number: int, row: tuple[str, ...], places: dict[str, int | None], base,
           problems: list[Problem], after_approval: bool = False) -> dict | None:
    """One row's visit (a dict of the format's columns, dates as dates), or None when a
    cell of it is a problem (added to ``problems``); ``after_approval``: the step may be
    one after approval."""
    found: list[Problem] = []
    cells = {name: (row[index].strip() if index is not None and index < len(row) else "")
             for name, index in places.items()}
    for name, text in cells.items():
        if len(text) > MAX_CELL:
            found.append(Problem(number, name, f"a cell of {len(text):,} characters; at most "
                                 f"{MAX_CELL} are allowed: check the row"))
            cells[name] = ""
    if not cells["proposal"] and not found:
        found.append(Problem(number, "proposal", "empty; give each visit its proposal's id"))
    found += _names(number, cells, base, after_approval)
    arrived = _date_cell(cells, "arrived", number, found)
    decided = _date_cell(cells, "decided", number, found)
    if not cells["arrived"]:
        found.append(Problem(number, "arrived", f"empty; give the date the proposal reached "
                             f"the step ({DATE_HINT})"))
    found += _decision(number, cells, arrived, decided)
    problems += found
    if found:
        return None
    return {"proposal": cells["proposal"], "pathway": cells["pathway"],
            "level": cells["level"], "step": cells["step"], "arrived": arrived,
            "decided": decided, "decision": cells["decision"].lower(), "row": number}


def _names(number: int, cells: dict[str, str], base, after_approval: bool = False
           ) -> list[Problem]:
    """Problems of the pathway, step (``after_approval``: possibly one after approval) and
    level names against ``base``."""
    pathway, step, level = cells["pathway"], cells["step"], cells["level"]
    if pathway not in base.pathways:
        return [Problem(number, "pathway", f"{shown(pathway)} is not a pathway of "
                        f"{base.name}; choose one of: {', '.join(base.pathways)}")]
    found = []
    steps = list(route_positions(base, pathway))
    after = base.after_labels(pathway) if after_approval else []
    if step not in steps and step not in after:
        also = f"; after approval: {', '.join(after)}" if after else ""
        found.append(Problem(number, "step", f"{shown(step)} is not a step of {pathway}; its "
                             f"steps: {', '.join(steps)}{also}"))
    demand = base.demand.get(pathway)
    levels = sorted(demand.mix) if demand is not None else []
    if level and not levels:
        found.append(Problem(number, "level", f"{shown(level)}: pathway {pathway} has no "
                             "levels; leave the cell blank"))
    elif level and level not in levels:
        found.append(Problem(number, "level", f"{shown(level)} is not a level of {pathway}; "
                             f"write one of: {', '.join(levels)} (or leave it blank)"))
    return found


def _decision(number: int, cells: dict[str, str], arrived: dt.date | None,
              decided: dt.date | None) -> list[Problem]:
    """Problems of the decision and its date: unknown, one without the other, decided
    before arrived."""
    decision = cells["decision"].lower()
    if decision and decision not in DECISIONS:
        return [Problem(number, "decision", f"{shown(cells['decision'])} is not a decision; "
                        f"write {', '.join(DECISIONS[:-1])} or {DECISIONS[-1]} (blank while "
                        "the step is open)")]
    if decision and not cells["decided"]:
        return [Problem(number, "decided", f"blank, but the decision is {decision}; give the "
                        "date of the decision, or clear the decision if the step is open")]
    if cells["decided"] and not decision:
        return [Problem(number, "decision", f"blank, but decided is {cells['decided']}; give "
                        "the decision (approve, revise or withdraw), or clear decided if the "
                        "step is open")]
    if arrived and decided and decided < arrived:
        return [Problem(number, "decided", f"{decided.isoformat()} is before arrived "
                        f"({arrived.isoformat()}); a step is decided after it is reached: "
                        "check both dates")]
    return []


def _after(visits: list[dict], as_of: dt.date, given: bool = True) -> list[Problem]:
    """A problem for every date after the export date ``as_of`` (``given`` with --as-of;
    else today, which a record's dates cannot pass)."""
    found = []
    for visit in visits:
        for name in ("arrived", "decided"):
            if visit[name] is None or visit[name] <= as_of:
                continue
            if given:
                text = (f"{visit[name].isoformat()} is after the export date "
                        f"{as_of.isoformat()} (--as-of); give a later --as-of, or check the "
                        "date")
            else:
                text = (f"{visit[name].isoformat()} is after today ({as_of.isoformat()}): "
                        "check the year, or give the export date with --as-of if the "
                        "record is dated ahead (a simulated one)")
            found.append(Problem(visit["row"], name, text))
    return found


def _frame(visits: list[dict]) -> pd.DataFrame:
    """The visits as a History's frame (dates as datetime64, decided NaT while open)."""
    frame = pd.DataFrame(visits, columns=[*COLUMNS, "row"])
    for name in ("arrived", "decided"):
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[s]")  # as simulated
    frame["row"] = frame["row"].astype(int)
    return frame.reset_index(drop=True)


def refusal(path: Path, problems: list[Problem], names: Mapping[str, str]) -> HistoryError:
    """The error listing ``problems`` by row (columns named as the file names them, via
    ``names``): one line for one problem, else a count line then at most
    :data:`MAX_LISTED` lines and how many more."""
    ordered = sorted(problems, key=lambda problem: problem.row)
    lines = [printable(f"{path}: row {problem.row}, column "
                       f"{names.get(problem.column, problem.column)}: {problem.text}", MAX_LINE)
             for problem in ordered]
    if len(lines) == 1:
        return HistoryError(lines[0])
    shown_lines = lines[:MAX_LISTED]
    more = [f"... and {len(lines) - MAX_LISTED} more"] if len(lines) > MAX_LISTED else []
    first = (f"{path}: {len(lines)} problems (the first {len(shown_lines)} below); nothing "
             "was read")
    return HistoryError("\n".join([first, *shown_lines, *more]), lines)


def visit_rounds(visits: pd.DataFrame) -> pd.Series:
    """The round of each visit (0 for a proposal's first visit to a step, 1 for the next,
    ...: by arrival, then file row), indexed as ``visits``."""
    ordered = visits.sort_values(["arrived", "row"], kind="stable")
    return ordered.groupby(["proposal", "step"], sort=False).cumcount().reindex(visits.index)
