"""A property of ``mcsim fit``: a record simulated from a shipped scenario (as ``mcsim eventlog
SCENARIO --format history`` writes one; here a year and a half of it) and then damaged by
one random edit (a row dropped, a date shifted by years, a decision changed) is either fitted
into a what-if that ``mcsim validate`` accepts and whose fitted demand lies within the
stated 95% interval of the undamaged record's fit, or refused (exit status 2, nothing
written) with the damaged row named: the edited row, or for a dropped row one of its
proposal's rows."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simlib.cli.main import main
from simlib.records.history import simulated_history
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ("baseline", "parallel-senate-review", "presubmission-consult")
YEARS = 1.5  # of record: about 15 proposals, so a fit takes a second or two
DECISIONS = ("approve", "revise", "withdraw")
ARRIVED, DECIDED, DECISION = 4, 5, 6  # columns of a row


@dataclass(frozen=True)
class Record:
    """A simulated record: its header and rows, export date, base and fitted demand."""

    header: list[str]
    rows: list[list[str]]
    as_of: str
    base: Path
    demand: dict[str, tuple[float, tuple[float, float]]]  # path -> (value, ci95)


def fit(rows: list[list[str]], header: list[str], as_of: str, base: Path
        ) -> tuple[int, dict | None, str, bool]:
    """(exit status, the fit's JSON when it wrote one, stderr, whether validate accepts the
    what-if) of ``mcsim fit`` on the record ``rows``."""
    with tempfile.TemporaryDirectory() as folder:
        record, out = Path(folder) / "record.csv", Path(folder) / "fitted.yaml"
        with record.open("w", newline="", encoding="utf-8") as stream:
            csv.writer(stream, lineterminator="\n").writerows([header, *rows])
        printed, said = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(said):
            status = main(["fit", str(record), "--base", str(base), "--out", str(out),
                           "--as-of", as_of, "--format", "json"])
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(said):
            valid = out.exists() and main(["validate", str(out)]) == 0
        result = json.loads(printed.getvalue()) if status == 0 else None
        return status, result, said.getvalue(), valid


def demand(result: dict) -> dict[str, tuple[float, tuple[float, float]]]:
    return {item["path"]: (item["value"], tuple(item["ci95"]))
            for item in result["parameters"] if item["path"].endswith(".per_year")}


@functools.cache
def record(name: str) -> Record:
    """The undamaged record of scenario ``name`` and its fitted demand."""
    base = ROOT / "scenarios" / f"{name}.yaml"
    history = simulated_history(load_scenario(base).variant({"horizon_years": YEARS}), seed=7)
    frame = history.to_frame()
    rows = [[str(value) if value == value else "" for value in (
        row.proposal, row.pathway, row.level, row.step, row.arrived.date().isoformat(),
        row.decided.date().isoformat() if row.decided == row.decided else "", row.decision)]
        for row in frame.itertuples()]
    header = list(frame.columns)
    status, result, said, valid = fit(rows, header, history.as_of.isoformat(), base)
    assert status == 0 and valid, said
    return Record(header, rows, history.as_of.isoformat(), base, demand(result))


def shifted(text: str, years: int) -> str:
    day = dt.date.fromisoformat(text)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28).isoformat()


@st.composite
def damaged(draw) -> tuple[Record, list[list[str]], set[int], str]:
    """(the record, its rows with one edit, the spreadsheet rows that name the damage, what
    was done)."""
    found = record(draw(st.sampled_from(SCENARIOS)))
    rows = [list(row) for row in found.rows]
    index = draw(st.integers(0, len(rows) - 1))
    row = rows[index]
    kind = draw(st.sampled_from(("drop", "shift", "decision")))
    if kind == "decision" and not row[DECISION]:
        kind = "shift"  # an open visit has no decision to change
    if kind == "drop":
        del rows[index]
        named = {number for number, other in enumerate(rows, start=2) if other[0] == row[0]}
        return found, rows, named, f"dropped row {index + 2} ({', '.join(row)})"
    if kind == "shift":
        column = draw(st.sampled_from((ARRIVED, DECIDED))) if row[DECIDED] else ARRIVED
        years = draw(st.sampled_from((-10, -3, -1, 1, 3, 10)))
        row[column] = shifted(row[column], years)
        return found, rows, {index + 2}, f"row {index + 2} column {column} by {years} years"
    row[DECISION] = draw(st.sampled_from([d for d in DECISIONS if d != row[DECISION]]))
    return found, rows, {index + 2}, f"row {index + 2} decision now {row[DECISION]}"


@settings(max_examples=16, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(damaged())
def test_a_damaged_record_is_fitted_close_to_the_undamaged_or_refused_at_the_damage(case):
    found, rows, named, what = case
    status, result, said, valid = fit(rows, found.header, found.as_of, found.base)
    if status == 2:
        assert not valid, what
        assert any(re.search(rf"\brow {number}\b", said) for number in named), (what, said)
        return
    assert status == 0 and valid, (what, said)
    for path, (value, _) in demand(result).items():
        undamaged = found.demand.get(path)
        assert undamaged is not None, (what, path)
        low, high = undamaged[1]
        assert low <= value <= high, (what, path, value, undamaged)
    assert set(demand(result)) == set(found.demand), what
