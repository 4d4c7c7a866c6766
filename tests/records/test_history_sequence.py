"""What a record's dates and decisions must agree on: a step reached only once the steps
before it were decided, a revision that comes back to its step, no date after today unless
``--as-of`` says the export is later, and (for a fit) no mistyped year: an isolated date or a
visit of years where the others take days; each problem naming its row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from simlib.errors import HistoryError
from simlib.records.history_dates import implausible_dates
from simlib.records.history_files import read_history
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
HEADER = "proposal,pathway,level,step,arrived,decided,decision\n"
TODAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


def _proposal(name: str, start: dt.date, steps=("department", "dean", "mc"),
              days: int = 3, decision: str = "approve") -> list[str]:
    """Rows of a credit proposal through ``steps``, each decided ``days`` after arriving,
    the next arriving on that day."""
    rows, day = [], start
    for step in steps:
        end = day + dt.timedelta(days=days)
        rows.append(f"{name},credit,undergraduate,{step},{day},{end},{decision}")
        day = end
    return rows


def _record(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "history.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _problems(path: Path, base, **options) -> list[str]:
    with pytest.raises(HistoryError) as caught:
        read_history(path, base, today=TODAY, **options)
    return [line.removeprefix(f"{path}: ") for line in caught.value.problems]


def test_a_step_reached_before_the_step_before_it_was_decided_is_named(tmp_path, baseline):
    rows = _proposal("A", dt.date(2026, 1, 5))
    rows[0] = rows[0].replace("2026-01-08,approve", "2026-01-10,approve")  # after dean came
    assert _problems(_record(tmp_path, rows), baseline) == [
        "row 3, column arrived: 2026-01-08, but proposal A's department visit (row 2) was "
        "decided later, on 2026-01-10; a step is reached after the steps before it are "
        "decided: check the two dates"]


def test_a_round_reached_before_the_previous_round_was_decided_is_named(tmp_path, baseline):
    rows = [*_proposal("A", dt.date(2026, 1, 5), ("department", "dean")),
            "A,credit,undergraduate,mc,2026-01-11,2026-02-04,revise",
            "A,credit,undergraduate,mc,2026-02-01,,"]
    problem, = _problems(_record(tmp_path, rows), baseline)
    assert problem.startswith("row 5, column arrived: 2026-02-01, but proposal A's mc visit "
                              "(row 4) was decided later, on 2026-02-04")


def test_a_revision_that_never_returns_is_named(tmp_path, baseline):
    rows = _proposal("A", dt.date(2026, 1, 5))
    rows[1] = rows[1].replace("approve", "revise")
    assert _problems(_record(tmp_path, rows), baseline) == [
        "row 3, column decision: revise, but proposal A then reached mc (row 4) without "
        "returning to dean; revised work comes back to the step that asked: check this "
        "decision, or add the missing visit"]


def test_a_refused_row_leaves_no_revision_behind(tmp_path, baseline):
    rows = [*_proposal("A", dt.date(2026, 1, 5), ("department",)),
            "A,credit,undergraduate,dean,2026-01-08,2026-01-10,revise",
            "A,credit,undergraduate,dean,2026-01-20,2016-01-22,approve",  # a mistyped year
            "A,credit,undergraduate,mc,2026-01-22,,"]
    problem, = _problems(_record(tmp_path, rows), baseline)
    assert problem.startswith("row 4, column decided: 2016-01-22 is before arrived")


def test_parallel_branches_and_revisions_that_return_pass(tmp_path):
    parallel = load_scenario(ROOT / "scenarios" / "parallel-senate-review.yaml")
    rows = [*_proposal("A", dt.date(2026, 1, 5)),
            "A,credit,undergraduate,ug_education,2026-01-14,2026-02-03,revise",
            "A,credit,undergraduate,fs_program_review,2026-01-14,2026-01-21,approve",
            "A,credit,undergraduate,ug_education,2026-02-10,2026-03-03,approve",
            "A,credit,undergraduate,fs_executive,2026-03-03,,"]
    history = read_history(_record(tmp_path, rows), parallel, today=TODAY)
    assert history.proposals == 1 and len(history.visits) == 7


def test_dates_after_today_are_refused_unless_the_export_date_is_later(tmp_path, baseline):
    path = _record(tmp_path, _proposal("A", dt.date(2026, 12, 3)))
    problems = _problems(path, baseline)
    assert problems[0] == ("row 3, column decided: 2026-12-09 is after today (2026-12-07): "
                           "check the year, or give the export date with --as-of if the "
                           "record is dated ahead (a simulated one)")
    assert len(problems) == 3  # dean decided, mc arrived and decided
    later = read_history(path, load_scenario(ROOT / "scenarios" / "baseline.yaml"),
                         as_of=dt.date(2027, 1, 1), today=TODAY)
    assert later.as_of == dt.date(2027, 1, 1)


def _office(count: int = 30) -> list[str]:
    """``count`` credit proposals a fortnight apart from 2024-01-08, each through the
    department and the dean in 3 days a step."""
    return [row for index in range(count)
            for row in _proposal(f"P{index:02d}", dt.date(2024, 1, 8)
                                 + dt.timedelta(days=14 * index), ("department", "dean"))]


def test_a_mistyped_year_far_from_the_record_is_named_for_a_fit(tmp_path, baseline):
    rows = _office()
    rows[0] = rows[0].replace("2024-01-08,", "2014-01-08,", 1)
    path = _record(tmp_path, rows)
    assert read_history(path, baseline, today=TODAY).proposals == 30  # not a fit: read
    assert _problems(path, baseline, plausible=True) == [
        "row 2, column arrived: 2014-01-08 is 10.0 years before every other date of the "
        "record (2024-01-11 to 2025-02-23): a mistyped year? check it"]


def test_a_visit_of_years_where_the_others_take_days_is_named_for_a_fit(tmp_path, baseline):
    rows = _office()
    rows[5] = rows[5].replace("2024-02-11,approve", "2025-02-11,approve")  # P02's dean
    assert _problems(_record(tmp_path, rows), baseline, plausible=True) == [
        "row 7, column decided: 2025-02-11: this dean visit took 369 days from 2024-02-08, "
        "more than 3 times the longest other (3 days): a mistyped year? check both dates"]


def test_an_open_visit_of_years_is_named_and_a_withdrawal_suggested():
    visits = [{"proposal": f"P{index}", "pathway": "credit", "step": "dean",
               "arrived": dt.date(2024, 1, 1) + dt.timedelta(days=7 * index),
               "decided": dt.date(2024, 1, 4) + dt.timedelta(days=7 * index),
               "decision": "approve", "row": index + 2} for index in range(60)]
    visits[0] = {**visits[0], "decided": None, "decision": ""}
    problem, = implausible_dates(visits, dt.date(2025, 3, 1))
    assert (problem.row, problem.column) == (2, "arrived")
    assert "still open after 425 days" in problem.text and "withdrawal" in problem.text
