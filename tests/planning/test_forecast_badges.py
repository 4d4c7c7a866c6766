"""The pipeline forecast after approval: proposals approved already (their current step is one
after approval) are accepted from a pipeline file or an office's history, resume there, and
every proposal of a pathway with steps after approval gets the dates its badge goes live and
its first badges are issued; a pipeline of proposals still in approval is forecast as before.

Exact dates use fixed durations on a wall calendar of 2026-27 (the forecast date, Tue
1 December 2026, is day 0); office work of whole working days begun at 00:00 ends at 00:00 of
the next working day, the proposers' steps count calendar days."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from simlib.cli.main import main
from simlib.engine.model import InProgress
from simlib.errors import HistoryError, PipelineError
from simlib.planning.forecast import (
    PipelineProposal,
    forecast,
    forecast_history,
    pipeline_from_history,
    read_pipeline,
)
from simlib.planning.probes import tracked_approvals
from simlib.records.history_files import read_history
from simlib.reports.console import forecast_text
from simlib.reports.deadlines import forecast_table
from simlib.scenario import load_scenario, validate_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
EXAMPLE = ROOT / "examples" / "pipeline.csv"
AS_OF = dt.date(2026, 12, 1)
HEADER = "id,pathway,level,submitted,current_step,step_since,round\n"
HISTORY = "proposal,pathway,level,step,arrived,decided,decision\n"
NONCREDIT = [("department", "2026-09-01", "2026-09-03"), ("dean", "2026-09-03", "2026-09-07"),
             ("owd_initial", "2026-09-07", "2026-09-09"), ("mc", "2026-09-09", "2026-09-23"),
             ("owd_final", "2026-09-23", "2026-09-25")]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def fixed() -> object:
    """Pathway p: an OWD approval (2 working days, 2 reviewers), then the badge: built (3
    working days), reviewed by the proposers (7 days), published (1 working day), the first
    offering at the next term start (112 days), the spreadsheet (5 days), the bulk issue
    (4 working days)."""
    return validate_scenario({
        "name": "fixed-badges",
        "calendar": {"kind": "academic", "start": "2026-08-24",
                     "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
                     "holidays": [["12-24", "01-01"]]},
        "horizon_years": 1, "warmup_years": 0,
        "demand": {"p": {"per_year": 0}},
        "bodies": {"owd": {"kind": "office", "staff": 2, "review_days": 2},
                   "proposer": {"kind": "proposer", "review_days": 7}},
        "pathways": {"p": ["owd"]},
        "after_approval": {"p": [
            {"body": "owd", "name": "credly_build", "review_days": 3},
            {"body": "proposer", "name": "sample_review"},
            {"body": "owd", "name": "publish", "review_days": 1, "marks": "badge_live"},
            {"body": "proposer", "name": "first_offering", "starts": "term",
             "review_days": 112},
            {"body": "proposer", "name": "bulk_template", "review_days": 5},
            {"body": "owd", "name": "bulk_issue", "review_days": 4}]},
    }, "<fixed badges>")


def entry(name: str, step: str, since: dt.date, pathway: str = "p", level: str = "",
          submitted: dt.date = dt.date(2026, 3, 2), round_: int = 0) -> PipelineProposal:
    return PipelineProposal(name, pathway, level, submitted, step, since, round_)


# --- the dates -----------------------------------------------------------------------------


def test_each_proposal_gets_its_hand_computed_dates():
    # A, at OWD's approval since 30 Nov: Tue 1, Wed 2 -> approved Thu 3 Dec; built Thu 3,
    # Fri 4, Mon 7 -> Tue 8; reviewed -> Tue 15; published -> live Wed 16 Dec. The fall
    # term has begun, so the offering starts with the spring term, Wed 20 Jan 2027: 112
    # days -> Wed 12 May; the spreadsheet -> Mon 17 May; the issue Mon 17 .. Thu 20 ->
    # first badges Fri 21 May 2027.
    # B, approved, at the sample review since 28 Nov (resumed afresh): -> Tue 8 Dec;
    # published -> live Wed 9 Dec; then as A: first badges Fri 21 May 2027.
    # C, at its first offering since 20 Aug: it started with the fall term, Tue 25 Aug, and
    # ends 112 days on, Tue 15 Dec (15 days left); the spreadsheet -> Sun 20 Dec; the issue
    # Mon 21, Tue 22, Wed 23, (closure 24 Dec - 1 Jan, weekend) Mon 4 Jan -> Tue 5 Jan 2027.
    proposals = [entry("A", "owd", dt.date(2026, 11, 30)),
                 entry("B", "sample_review", dt.date(2026, 11, 28)),
                 entry("C", "first_offering", dt.date(2026, 8, 20))]
    result = forecast(fixed(), proposals, AS_OF, replications=2, seed=1, jobs=1)
    table = result.table().set_index("id")
    dates = ["median_date", "p90_date", "badge_median_date", "badge_p90_date",
             "first_badges_median_date", "first_badges_p90_date"]
    day = dt.date
    assert table.loc["A", dates].tolist() == [day(2026, 12, 3)] * 2 + [day(2026, 12, 16)] * 2 \
        + [day(2027, 5, 21)] * 2
    assert table.loc["B", dates].tolist() == [None] * 2 + [day(2026, 12, 9)] * 2 + \
        [day(2027, 5, 21)] * 2
    assert table.loc["C", dates].tolist() == [None] * 4 + [day(2027, 1, 5)] * 2
    assert table["stage"].tolist() == ["approval", "approved", "badge_live"]
    assert table["p_approved"].tolist() == [1.0] * 3
    # the approval of one approved already is logged on its step_since
    assert result.approved_at[0].tolist() == [2.0, -3.0, -103.0]


def test_an_entry_approved_at_publish_goes_live_after_its_step_since(baseline):
    since = dt.date(2026, 11, 24)
    proposals = [entry("B-1", "publish", since, "credit", "graduate")]
    result = forecast(baseline, proposals, AS_OF, replications=6, seed=3, jobs=1)
    live = result.badge_at[:, 0]
    assert np.isfinite(live).all() and (live > 0).all()  # on or after the forecast date
    assert (live < 30).all()  # OWD publishes in days, giving way to approvals
    row = result.table().iloc[0]
    assert row["badge_median_date"] > since and row["stage"] == "approved"
    assert row["first_badges_median_date"] > row["badge_p90_date"]


def test_a_pipeline_still_in_approval_is_forecast_as_before(baseline):
    # The approvals are those the probes' measure reads from the same runs, and every
    # proposal of a pathway with a badge gets its badge after its approval.
    proposals = read_pipeline(EXAMPLE, baseline, AS_OF)
    result = forecast(baseline, proposals, AS_OF, replications=3, seed=5, jobs=1)
    variant = baseline.variant({"calendar.start": AS_OF.isoformat(), "horizon_years": 3.0,
                                "warmup_years": 0.0})
    order = sorted(range(len(proposals)), key=lambda index: proposals[index].since)
    pipeline = tuple(InProgress(p.pathway, p.level, float((p.submitted - AS_OF).days), p.step,
                                float((p.since - AS_OF).days), p.round)
                     for p in (proposals[index] for index in order))
    measure = partial(tracked_approvals, pipeline=pipeline)
    for replication in range(3):
        approvals = measure(variant, 5, replication)
        assert (approvals[np.argsort(order)] == result.approved_at[replication]).all()
    assert (result.badge_at > result.approved_at).all()
    assert (result.issued_at > result.badge_at).all()
    assert set(result.table()["stage"]) == {"approval"}


# --- what the renderers show ----------------------------------------------------------------


def test_approved_proposals_read_approved_and_their_badge_dates_everywhere():
    proposals = [entry("A", "owd", dt.date(2026, 11, 30)),
                 entry("B", "sample_review", dt.date(2026, 11, 28)),
                 entry("C", "first_offering", dt.date(2026, 8, 20))]
    result = forecast(fixed(), proposals, AS_OF, replications=2, seed=1, jobs=1)
    document = result.to_dict()["proposals"]
    assert [item["stage"] for item in document] == ["approval", "approved", "badge_live"]
    assert document[0]["approval_date"] == {"median": "2026-12-03", "p90": "2026-12-03"}
    assert document[1]["approval_date"] is None
    assert document[1]["badge_live_date"] == {"median": "2026-12-09", "p90": "2026-12-09"}
    assert document[2]["badge_live_date"] is None
    assert document[2]["first_badges_date"] == {"median": "2027-01-05", "p90": "2027-01-05"}
    assert document[1]["p_approved_before"]["Spring 2027"] == {"p": 1.0, "ci95": [1.0, 1.0]}
    text = forecast_text(result)
    approval, badge_rows = text.split("After approval:")
    lines = {line.split()[0]: line.split() for line in approval.splitlines()
             if line[:2] in ("A ", "B ", "C ")}
    assert lines["B"][3:7] == ["sample_review", "100%", "approved", "approved"]
    badges = {line.split()[0]: line.split() for line in badge_rows.splitlines()[1:]}
    assert badges["B"] == ["B", "sample_review", "2026-12-09", "2026-12-09", "2027-05-21",
                           "2027-05-21"]
    assert badges["C"][2:4] == ["live", "live"]
    page = forecast_table(result)
    assert page.loc["B", "Median date"] == "approved"
    assert page.loc["C", "Badge live, median"] == "live"
    assert page.loc["A", "Badge live, P90"] == "16 Dec 2026"
    assert page.loc["B", "Now at"] == "proposer (sample review)"


def test_a_pathway_without_steps_after_approval_has_no_badge_dates(baseline):
    bare = baseline.variant({"after_approval": {}}, name="no-badges")
    proposals = read_pipeline(EXAMPLE, bare, AS_OF)[:2]
    result = forecast(bare, proposals, AS_OF, replications=2, seed=5, jobs=1)
    assert not np.isfinite(result.badge_at).any()
    assert "After approval" not in forecast_text(result)
    assert result.to_dict()["proposals"][0]["first_badges_date"] is None
    assert forecast_table(result).iloc[0]["First badges, median"] == "-"


# --- the pipeline file ----------------------------------------------------------------------


def test_the_pipeline_file_takes_steps_after_approval(tmp_path, baseline):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + "CB-9,credit,graduate,2026-01-05,sample_review,2026-11-20,1\n"
                    "NC-9,noncredit,,2026-02-05,bulk_issue,2026-11-30,0\n")
    found = read_pipeline(path, baseline, AS_OF)
    assert [(p.step, p.round) for p in found] == [("sample_review", 1), ("bulk_issue", 0)]


@pytest.mark.parametrize(("row", "says"), [
    ("X,credit,graduate,2026-01-05,credly,2026-11-20,0",
     "row 2, column current_step: 'credly' is not a step of credit; steps: department, dean, "
     "mc, grad_council, ug_education, fs_program_review, fs_executive, owd; after approval: "
     "credly_build, sample_review, publish, first_offering, bulk_template, bulk_issue"),
    ("X,credit,undergraduate,2026-01-05,grad_council,2026-11-20,0",
     "row 2, column current_step: 'grad_council' is not a step for undergraduate proposals "
     "of credit; check the step or the level"),
    ("X,credit,graduate,2026-01-05,publish,2026-12-20,0",
     "row 2, column step_since: 2026-12-20 is after the forecast date 2026-12-01"),
    ("X,credit,graduate,2026-01-05,publish,2025-12-20,0",
     "row 2, column step_since: 2025-12-20 is before the submission (2026-01-05)"),
    ("X,credit,graduate,2026-01-05,sample_review,2026-11-20,x",
     "row 2, column round: 'x'; write a whole number from 0 to 100"),
])
def test_a_bad_row_after_approval_is_one_line(tmp_path, baseline, row, says):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + row + "\n")
    with pytest.raises(PipelineError) as caught:
        read_pipeline(path, baseline, AS_OF)
    assert str(caught.value).startswith(f"{path}: {says}")
    assert "\n" not in str(caught.value)


def test_a_step_not_for_the_level_is_refused_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "pipeline.csv"
    path.write_text(HEADER + "X,credit,undergraduate,2026-01-05,grad_council,2026-11-20,0\n")
    assert main(["forecast", str(BASELINE), "--pipeline", str(path), "--as-of",
                 "2026-12-01"]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "row 2, column current_step: 'grad_council' is not a step for undergraduate" in line


# --- the history file -----------------------------------------------------------------------


def badge_history(tmp_path: Path) -> Path:
    """A: non-credit, approved 25 Sep, its badge built, sent back by the proposers, changed
    by OWD and under review again; B: credit, only its open row at publish; C: at MC."""
    rows = [f"A,noncredit,,{step},{arrived},{decided},approve"
            for step, arrived, decided in NONCREDIT]
    rows += ["A,noncredit,,credly_build,2026-09-25,2026-10-01,approve",
             "A,noncredit,,sample_review,2026-10-01,2026-10-08,revise",
             "A,noncredit,,credly_build,2026-10-08,2026-10-12,approve",
             "A,noncredit,,sample_review,2026-10-12,,",
             "B,credit,graduate,publish,2026-11-20,,",
             "C,credit,undergraduate,mc,2026-11-02,,"]
    path = tmp_path / "history.csv"
    path.write_text(HISTORY + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_open_visits_after_approval_are_the_pipeline(tmp_path, baseline):
    history = read_history(badge_history(tmp_path), baseline, as_of=AS_OF, after_approval=True)
    found = pipeline_from_history(history, baseline)
    assert found == [
        PipelineProposal("A", "noncredit", "", dt.date(2026, 9, 1), "sample_review",
                         dt.date(2026, 10, 12), 1),
        PipelineProposal("B", "credit", "graduate", dt.date(2026, 11, 20), "publish",
                         dt.date(2026, 11, 20), 0),
        PipelineProposal("C", "credit", "undergraduate", dt.date(2026, 11, 2), "mc",
                         dt.date(2026, 11, 2), 0)]
    result = forecast_history(baseline, history, replications=2, seed=4, jobs=1)
    assert list(result.stages) == ["approved", "approved", "approval"]
    assert np.isfinite(result.badge_at).all()


def test_the_forecast_command_reads_a_history_with_badge_rows(tmp_path, capsys):
    assert main(["forecast", str(BASELINE), "--history", str(badge_history(tmp_path)),
                 "--as-of", "2026-12-01", "--replications", "2", "--jobs", "1", "--format",
                 "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [item["current_step"] for item in document["proposals"]] == [
        "sample_review", "publish", "mc"]


@pytest.mark.parametrize("command", ["fit {path} --base {base} --out {out}",
                                     "backtest {base} {path} --replications 2"])
def test_a_fit_and_a_backtest_refuse_rows_after_approval_in_one_line(tmp_path, capsys,
                                                                      command):
    path = badge_history(tmp_path)
    words = command.format(path=path, base=BASELINE, out=tmp_path / "fitted.yaml").split()
    assert main(words) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line == (f"{path}: row 7, column step: 'credly_build' is a step after approval "
                    "(and 4 more rows); a fit and a backtest read the record of the approval "
                    "pipeline only: remove the rows at steps after approval (mcsim forecast "
                    "--history reads them)")
    assert not (tmp_path / "fitted.yaml").exists()


@pytest.mark.parametrize(("edit", "says"), [
    (("A,noncredit,,credly_build,2026-09-25,2026-10-01,approve",
      "A,noncredit,,credly,2026-09-25,2026-10-01,approve"),
     "row 7, column step: 'credly' is not a step of noncredit; its steps: department, dean, "
     "owd_initial, mc, owd_final; after approval: credly_build, sample_review"),
    (("A,noncredit,,credly_build,2026-10-08,2026-10-12,approve",
      "A,noncredit,,owd_final,2026-10-08,2026-10-12,approve"),
     "row 9, column arrived: proposal A was finally approved in row 6 (2026-09-25), so after "
     "that it reaches only steps after approval"),
    (("A,noncredit,,sample_review,2026-10-01,2026-10-08,revise",
      "A,noncredit,,sample_review,2026-10-01,2026-10-08,approve"),
     "row 9, column step: proposal A reaches credly_build again, but its visit in row 7 was "
     "decided approve"),
    (("A,noncredit,,owd_final,2026-09-23,2026-09-25,approve",
      "A,noncredit,,owd_final,2026-09-23,,"),
     "row 6, column decided: proposal A is open at owd_final and at sample_review"),
])
def test_a_bad_history_after_approval_names_the_row(tmp_path, baseline, edit, says):
    path = badge_history(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    with pytest.raises(HistoryError) as caught:
        read_history(path, baseline, as_of=AS_OF, after_approval=True)
    assert says in str(caught.value)
