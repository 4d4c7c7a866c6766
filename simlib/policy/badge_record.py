"""The office's record of published badges: each badge's name, its Credly Badge Template ID
and the template's status in Credly. ``mcsim badges build --badges RECORD --badge NAME``
takes the Badge Template ID from it, and refuses a template Credly cannot issue from.

A record is a table (CSV, or the first worksheet of an .xlsx workbook) whose header row
names the columns ``name``, ``template_id`` and ``status`` (any case, words joined by
spaces, ``_`` or ``-``; ``badge name``, ``badge template id`` and ``state`` are read too),
other columns ignored; or a YAML file of one key, ``badges``, a list of items with the same
three keys::

    badges:
      - {name: Data Analytics Essentials, template_id: 9b1d2e3f-..., status: draft}

A status is one of Credly's badge template states, ``active``, ``draft`` or ``archived``
(:data:`STATUSES`, any case). Credly issues new badges from an active template only; an
archived one cannot issue new badges, and a draft is not yet published (docs/sources.md,
"Credly bulk issue files").

The first problem found is refused in one line naming the file, the place (a spreadsheet
row, the header being row 1, with the column as the header names it; or a YAML key path,
``badges[0].status``) and the fix. The file is bounded before its cells are read
(:data:`LIMITS`; YAML as every YAML input, :mod:`simlib.formats.yamlfile`), each cell at
most :data:`MAX_CELL` characters.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from simlib.errors import InputError
from simlib.formats.cells import formula_start
from simlib.formats.files import regular_input
from simlib.formats.printable import MAX_LINE, listed, printable, quoted
from simlib.formats.sheets import SheetLimits, column_letter, read_sheet
from simlib.formats.yamlfile import read_yaml
from simlib.policy.badge_files import Column, formula_problem, template_id_problem

__all__ = ["STATUSES", "BadgeRecord", "PublishedBadge", "issuable_badge", "read_badge_record"]

STATUSES = ("active", "draft", "archived")  # Credly's badge template states
ISSUABLE = "active"
COLUMNS = ("name", "template_id", "status")
# a header, spelt as _key spells it -> the record's column it names
HEADERS = {"name": "name", "badge": "name", "badge_name": "name", "template_name": "name",
           "badge_template_name": "name", "template_id": "template_id",
           "badge_template_id": "template_id", "status": "status", "state": "status",
           "template_status": "status", "template_state": "status"}
YAML_SUFFIXES = (".yaml", ".yml")
MAX_BADGES = 2000  # rows below the header (an office publishes dozens)
MAX_CELL = 200  # characters of a name, template ID or status
MAX_NAMES_SHOWN = 250  # characters of the known names listed for an unknown --badge
LIMITS = SheetLimits(rows=MAX_BADGES, columns=50, csv_bytes=2 * 2**20,
                     unpacked_bytes=16 * 2**20, zip_entries=200, elements=500_000,
                     rows_named="badges below the header",
                     advice="a record of published badges holds one row per badge: check it "
                     "is the right file")
FIXES = {"name": "write the badge's name as it appears in Credly",
         "template_id": "copy the Badge Template ID from Credly (the template's page, or "
                        "Developers > Template IDs)",
         "status": "write the template's state in Credly: active, draft or archived"}


@dataclass(frozen=True)
class PublishedBadge:
    """One badge of a record: its ``name``, Credly ``template_id``, ``status`` (one of
    :data:`STATUSES`, lower case) and ``place`` in the file ("row 3", "badges[1]")."""

    name: str
    template_id: str
    status: str
    place: str

    @property
    def issuable(self) -> bool:
        """True when Credly can issue badges from the template: its status is active."""
        return self.status == ISSUABLE


@dataclass(frozen=True)
class BadgeRecord:
    """A record's badges, in the file's order; ``source`` names the file in messages."""

    source: str
    badges: tuple[PublishedBadge, ...]

    def find(self, name: str) -> PublishedBadge:
        """The badge called ``name`` (ignoring case and repeated spaces); :class:`InputError`
        naming a close name, if any, and the first few of the record's names."""
        key = _name_key(name)
        keys = {_name_key(badge.name): badge for badge in self.badges}
        if key in keys:
            return keys[key]
        close = difflib.get_close_matches(key, list(keys), n=1, cutoff=0.8)
        hint = f"did you mean {quoted(keys[close[0]].name)}? " if close else ""
        names = listed((badge.name for badge in self.badges), MAX_NAMES_SHOWN)
        raise InputError(f"{self.source}: no badge {quoted(name)} (--badge) in this record; "
                         f"{hint}its badges: {names}")


class _Entry(NamedTuple):
    """One badge as written: its place in the file, its cells by column, and where each
    cell is for a message ("row 3, column Status", "badges[1].status")."""

    place: str
    cells: dict[str, str]
    where: dict[str, str]


def issuable_badge(path: str | Path, name: str) -> PublishedBadge:
    """The badge called ``name`` in the record ``path``, when its template is active;
    :class:`InputError` (one line) when the record cannot be read, has no such badge, or the
    badge's template is draft or archived (Credly issues from an active template only)."""
    record = read_badge_record(path)
    badge = record.find(name)
    if not badge.issuable:
        raise InputError(f"{record.source}: {badge.place}: badge {quoted(badge.name)} is "
                         f"{badge.status}, not active: Credly issues badges only from an active "
                         f"template; {_activate(badge.status)}, then build again")
    return badge


def _activate(status: str) -> str:
    """What to do about a template of ``status`` (draft or archived)."""
    if status == "draft":
        return "publish it in Credly, set its status to active in this record"
    return ("choose an active badge, or make the template active again in Credly and set its "
            "status to active in this record")


def read_badge_record(path: str | Path) -> BadgeRecord:
    """The badges of the record ``path`` (.csv, .xlsx, .yaml or .yml; see the module
    docstring); :class:`InputError` (one line) for the first problem."""
    path = Path(path)
    source = printable(path, MAX_LINE)
    regular_input(path, "record of published badges (.csv, .xlsx or .yaml)")
    if path.suffix.lower() in YAML_SUFFIXES:
        entries = _yaml_entries(path, source)
    else:
        entries = _sheet_entries(path, source)
    badges: list[PublishedBadge] = []
    first: dict[str, str] = {}
    for entry in entries:
        badge = _badge(source, entry)
        place = first.setdefault(_name_key(badge.name), badge.place)
        if place != badge.place:
            raise InputError(f"{source}: {badge.place}: badge {quoted(badge.name)} is listed "
                             f"twice (first in {place}); keep one entry per badge")
        badges.append(badge)
    if not badges:
        raise InputError(f"{source}: no badges in it; add one entry per badge: "
                         f"{', '.join(COLUMNS)}")
    return BadgeRecord(source, tuple(badges))


def _name_key(name: str) -> str:
    """A badge name as names are compared: case-folded, spaces single."""
    return " ".join(name.casefold().split())


def _badge(source: str, entry: _Entry) -> PublishedBadge:
    """The badge of one entry; :class:`InputError` for its first bad cell."""
    for column in COLUMNS:
        _check_cell(source, entry.cells[column], entry.where[column], column)
    template_id, status = entry.cells["template_id"], entry.cells["status"]
    if problem := template_id_problem(template_id):
        raise InputError("{}: {}: {}; {}".format(source, entry.where["template_id"], *problem))
    if status.casefold() not in STATUSES:
        raise InputError(f"{source}: {entry.where['status']}: {quoted(status)} is not a "
                         f"Credly template status; write {', '.join(STATUSES[:-1])} or "
                         f"{STATUSES[-1]} (any case)")
    return PublishedBadge(entry.cells["name"], template_id, status.casefold(), entry.place)


def _check_cell(source: str, text: str, where: str, column: str) -> None:
    """:class:`InputError` for a cell that is too long, blank, or could run as a formula."""
    if len(text) > MAX_CELL:
        raise InputError(f"{source}: {where}: a cell of {len(text):,} characters; at most "
                         f"{MAX_CELL}; {FIXES[column]}")
    if not text:
        raise InputError(f"{source}: {where}: blank; {FIXES[column]}")
    if start := formula_start(text):
        problem = formula_problem(0, Column(column, True, kind="record"), start)
        raise InputError(f"{source}: {where}: {problem.problem}; {problem.fix}")


# ---- tables ---------------------------------------------------------------------------


def _key(header: str) -> str:
    """A header in a canonical spelling: ' Badge Template ID' -> 'badge_template_id'."""
    return re.sub(r"[\s_-]+", "_", header.strip().casefold())


def _sheet_entries(path: Path, source: str) -> list[_Entry]:
    """The entries of a CSV or xlsx record, one per row that is not blank in the record's
    columns; :class:`InputError` for an unreadable file, a bad header, or a cell that holds
    a formula without a saved value."""
    sheet = read_sheet(path, LIMITS)
    if not sheet.rows or sheet.rows[0].blank:
        raise InputError(f"{source}: empty; the first row must be the header: "
                         f"{', '.join(COLUMNS)}")
    header = [cell.strip() for cell in sheet.rows[0].cells]
    places = _columns(source, header, sheet.worksheet)
    for (number, index), formula in sorted(sheet.unsaved_formulas.items()):
        if number > 1 and index in places.values():
            raise InputError(f"{source}: row {number}, column {printable(header[index])}: "
                             f"holds a formula ({printable(formula, 40)}) with no saved value; "
                             "open the workbook in Excel or LibreOffice and save it, or paste "
                             "the values over the formulas")
    entries = []
    for row in sheet.rows[1:]:
        cells = {column: row.cells[index].strip() if index < len(row.cells) else ""
                 for column, index in places.items()}
        if any(cells.values()):
            where = {column: f"{row.place}, column {printable(header[index])}"
                     for column, index in places.items()}
            entries.append(_Entry(row.place, cells, where))
    return entries


def _columns(source: str, header: list[str], worksheet: str) -> dict[str, int]:
    """Where each of the record's columns is (column -> index); :class:`InputError` for a
    column that is missing or named twice."""
    found: dict[str, list[int]] = {column: [] for column in COLUMNS}
    for index, cell in enumerate(header):
        if (column := HEADERS.get(_key(cell))) is not None:
            found[column].append(index)
    for column, indexes in found.items():
        if len(indexes) > 1:
            letters = " and ".join(column_letter(index) for index in indexes)
            names = " and ".join(quoted(header[index]) for index in indexes)
            raise InputError(f"{source}: row 1: columns {letters} ({names}) both name the "
                             f"{column} column; keep one of them")
        if not indexes:
            read = f" in {worksheet}" if worksheet else ""
            headers = listed((cell for cell in header if cell), 200) or "none"
            raise InputError(f"{source}: row 1: no column {column}{read} (its columns: "
                             f"{headers}); the header row needs {', '.join(COLUMNS)}")
    return {column: indexes[0] for column, indexes in found.items()}


# ---- YAML -----------------------------------------------------------------------------

_YAML_FORM = "badges: followed by one item per badge, e.g. - {name: ..., template_id: ..., " \
             "status: active}"
_YAML_KINDS = {bool: "true or false", int: "a number", float: "a number", list: "a list",
               dict: "a mapping"}


def _yaml_entries(path: Path, source: str) -> list[_Entry]:
    """The entries of a YAML record; :class:`InputError` for a file that is not one."""
    data = read_yaml(path)
    if data is None:
        raise InputError(f"{source}: empty; write {_YAML_FORM}")
    if not isinstance(data, dict) or "badges" not in data:
        raise InputError(f"{source}: not a record of published badges; write {_YAML_FORM}")
    if other := [key for key in data if key != "badges"]:
        raise InputError(f"{source}: {printable(other[0])}: unknown key; a record has only "
                         "badges")
    items = data["badges"]
    if not isinstance(items, list):
        raise InputError(f"{source}: badges: must be a list, one item per badge; write "
                         f"{_YAML_FORM}")
    return [_yaml_entry(source, f"badges[{index}]", item) for index, item in enumerate(items)]


def _yaml_entry(source: str, place: str, item: object) -> _Entry:
    """One YAML item as an entry; :class:`InputError` for an item that is not a mapping of
    the record's keys with text values."""
    if not isinstance(item, dict):
        raise InputError(f"{source}: {place}: must be a mapping of {', '.join(COLUMNS)}, "
                         "e.g. {name: ..., template_id: ..., status: active}")
    for key in item:
        if key not in COLUMNS:
            close = difflib.get_close_matches(str(key), COLUMNS, n=1)
            hint = f"did you mean {close[0]}?" if close else f"its keys: {', '.join(COLUMNS)}"
            raise InputError(f"{source}: {place}.{printable(key)}: unknown key; {hint}")
    cells = {}
    for column in COLUMNS:
        value = item.get(column)
        if value is not None and not isinstance(value, str):
            kind = _YAML_KINDS.get(type(value), "not text")
            raise InputError(f"{source}: {place}.{column}: {printable(value)} is read as "
                             f"{kind}, not text; put it in quotes")
        cells[column] = (value or "").strip()
    return _Entry(place, cells, {column: f"{place}.{column}" for column in COLUMNS})
