"""The deadline planner and the pipeline forecast: exact answers where the model is
deterministic, the calendar's effect, monotone curves, warm starts, and bad pipeline files."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from support.scenarios import office, small_scenario

import simlib
from simlib.cli.main import main
from simlib.errors import PipelineError, PlanError
from simlib.planning.deadlines import (
    REFINE_DAYS,
    LaunchProbes,
    Plan,
    candidate_dates,
    deadline_study,
    months_before,
    next_terms,
    plan,
    refined_dates,
)
from simlib.planning.forecast import PipelineProposal, forecast, read_pipeline

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
EXAMPLE = ROOT / "examples" / "pipeline.csv"
LAUNCH = dt.date(2027, 8, 23)


@pytest.fixture(scope="module")
def baseline():
    return simlib.load_scenario(BASELINE)


def fixed_office(review_days: float = 10.0, staff: int = 100):
    """One office with a fixed review time on a continuous calendar, plenty of staff (no
    queue), a trickle of other proposals."""
    return small_scenario(name="fixed", horizon_years=3, warmup_years=1, replications=3,
                          per_year=4, bodies={"desk": office(staff, review_days)},
                          pathways=["desk"])


# --- the grid ----------------------------------------------------------------------------


def test_candidate_dates_are_weekly_and_before_the_launch():
    dates = candidate_dates(LAUNCH)
    assert dates[-1] == LAUNCH - dt.timedelta(days=7)  # LAUNCH is a Monday
    assert {day.weekday() for day in candidate_dates(LAUNCH + dt.timedelta(days=3))} == {0}
    assert candidate_dates(LAUNCH + dt.timedelta(days=1))[-1] == LAUNCH
    assert all((b - a).days == 7 for a, b in itertools.pairwise(dates))
    assert dates[0] >= months_before(LAUNCH, 18) > dates[0] - dt.timedelta(days=7)
    assert months_before(dt.date(2027, 8, 31), 18) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2028, 8, 31), 6) == dt.date(2028, 2, 29)
    assert months_before(dt.date(2027, 1, 15), 13) == dt.date(2025, 12, 15)


def test_the_second_pass_covers_every_day_around_the_first_answer():
    weekly = candidate_dates(LAUNCH)
    first = LAUNCH - dt.timedelta(days=70)
    daily = refined_dates(LAUNCH, first, weekly)
    every = sorted({*daily, *(day for day in weekly if abs((day - first).days) <= REFINE_DAYS)})
    assert every == [first + dt.timedelta(days=k) for k in range(-REFINE_DAYS, REFINE_DAYS + 1)]
    assert not set(daily) & set(weekly)
    near = refined_dates(LAUNCH, LAUNCH - dt.timedelta(days=7), weekly)
    assert max(near) == LAUNCH - dt.timedelta(days=1)  # never the launch day or later
    assert refined_dates(LAUNCH, None, weekly) == []


def test_next_terms_follow_the_calendar(baseline):
    assert next_terms(baseline, dt.date(2026, 12, 1)) == [
        dt.date(2027, 1, 20), dt.date(2027, 8, 25), dt.date(2028, 1, 20), dt.date(2028, 8, 25)]


# --- exact answers -----------------------------------------------------------------------


@pytest.mark.parametrize("launch", [LAUNCH + dt.timedelta(days=k) for k in range(7)],
                         ids=lambda day: f"{day:%a}")
def test_fixed_times_give_the_exact_answer_on_every_weekday(launch):
    """10 days of review, no queue: submitted at 9:00 on day d, approved at 9:00 on d + 10,
    so in time for a launch L exactly when d <= L - 11, whatever L's weekday. The weekly
    pass finds L - 14; the daily pass around it finds L - 11."""
    result = plan(fixed_office(), "p", None, launch, 0.9, replications=3, jobs=1)
    curve = result.curve()
    late = curve["submitted"] > launch - dt.timedelta(days=11)
    assert (curve.loc[late, "p_approved"] == 0.0).all()
    assert (curve.loc[~late, "p_approved"] == 1.0).all()
    days = set(curve["submitted"])
    assert {launch - dt.timedelta(days=k) for k in range(5, 18)} <= days  # daily near it
    assert result.latest_submission() == launch - dt.timedelta(days=11)
    assert result.cycle_days(launch - dt.timedelta(days=11)) == pytest.approx((10.0, 10.0))


def test_the_json_answer_names_its_grid():
    result = plan(fixed_office(), "p", None, LAUNCH, 0.9, replications=3, jobs=1)
    document = result.to_dict()
    assert document["latest_submission"] == "2027-08-12"
    assert document["grid"] == {"weekly_days": 7, "months": 18, "daily_within": REFINE_DAYS}
    assert document["cycle_days_if_submitted_latest"] == {"median": 10.0, "p90": 10.0}
    assert {"launch", "confidence", "latest_submission", "curve"} <= set(document)
    assert set(document["curve"][0]) == {"submitted", "p_approved", "ci95", "p_monotone"}


def test_latest_date_reads_the_curve_made_non_increasing(baseline):
    """Raw shares 1, 0.8, 0.95, 0: a wiggle up at the third date is noise (later never
    helps); pooled with the second it is 0.875 < 0.9, so the latest safe date is the first."""
    dates = tuple(LAUNCH - dt.timedelta(days=7 * k) for k in (4, 3, 2, 1))
    approved = np.full((20, 4, 1), np.inf)
    for column, hits in enumerate((20, 16, 19, 0)):
        approved[:hits, column, 0] = 0.0
    probes = LaunchProbes(LAUNCH, LAUNCH - dt.timedelta(days=400), dates, approved)
    result = Plan(baseline, "credit", "graduate", (LAUNCH,), 0.9, 20, 1, 1, (probes,))
    curve = result.curve()
    assert curve["p_approved"].tolist() == [1.0, 0.8, 0.95, 0.0]
    assert curve["p_monotone"].tolist() == pytest.approx([1.0, 0.875, 0.875, 0.0])
    assert result.latest_submission() == dates[0]


def test_a_queue_pushes_the_deadline_back():
    """With one reviewer the probes wait behind the other proposals, never ahead: the
    chance of approval in time can only fall."""
    free = plan(fixed_office(), "p", None, LAUNCH, 0.9, replications=4, jobs=1)
    busy = plan(fixed_office(review_days=40.0, staff=1), "p", None, LAUNCH, 0.9,
                replications=4, jobs=1)
    both = busy.curve().merge(free.curve(), on="submitted", suffixes=("_busy", "_free"))
    assert len(both) >= 70  # at least the weekly dates are common to both
    assert (both["p_approved_busy"] <= both["p_approved_free"] + 1e-12).all()
    assert busy.latest_submission() < free.latest_submission()


# --- the baseline --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def credit_plan(baseline):
    return plan(baseline, "credit", "undergraduate", LAUNCH, 0.9, replications=12, jobs=1)


@pytest.mark.slow
def test_later_submission_never_helps_beyond_noise(credit_plan):
    curve = credit_plan.curve()
    rises = curve["p_approved"].diff().to_numpy()[1:]
    # each point rests on 12 x 4 probes: a rise is noise, within the two points' intervals
    widths = (curve["ci95_high"] - curve["ci95_low"]).to_numpy()
    assert (rises <= np.maximum(widths[1:], widths[:-1])).all()
    assert curve["p_approved"].iloc[0] > 0.95
    assert curve["p_approved"].iloc[-1] < 0.05
    assert (curve["ci95_low"] <= curve["p_approved"]).all()
    assert (curve["p_approved"] <= curve["ci95_high"]).all()


@pytest.mark.slow
def test_the_answer_is_a_date_a_proposer_can_act_on(credit_plan):
    latest = credit_plan.latest_submission()
    assert latest is not None and latest < LAUNCH - dt.timedelta(days=120)
    assert credit_plan.curve().set_index("submitted").loc[latest, "p_approved"] >= 0.9
    median, p90 = credit_plan.cycle_days(latest)
    assert 60 < median <= p90 < (LAUNCH - latest).days


def closest(dates, day: dt.date) -> dt.date:
    return min(dates, key=lambda candidate: abs((candidate - day).days))


@pytest.mark.slow
def test_submitted_just_before_summer_waits_for_the_autumn(baseline):
    """A non-credit proposal submitted in mid May reaches the Microcredential Committee after
    its last spring meeting: none is approved before the committees return in late August.
    One submitted in early March is mostly approved before the summer."""
    august, june = dt.date(2027, 8, 20), dt.date(2027, 6, 30)
    result = plan(baseline, "noncredit", None, [august, june], 0.9, replications=6, jobs=1)
    probes = result.probes[0]
    may = closest(probes.dates, dt.date(2027, 5, 14))
    autumn = (dt.date(2027, 8, 25) - probes.start).days
    assert (probes.approved_at[:, probes.dates.index(may), :] >= autumn).all()
    curve = result.curve(june).set_index("submitted")
    june_dates = result.probes[1].dates
    assert curve.loc[closest(june_dates, dt.date(2027, 3, 5)), "p_approved"] > 0.7
    assert curve.loc[closest(june_dates, dt.date(2027, 5, 14)), "p_approved"] == 0.0


def test_bad_questions_say_what_to_change(baseline):
    with pytest.raises(PlanError, match="choose one of: credit, noncredit"):
        plan(baseline, "badges", None, LAUNCH)
    with pytest.raises(PlanError, match="graduate, undergraduate"):
        plan(baseline, "credit", "doctoral", LAUNCH)
    with pytest.raises(PlanError, match="between 0 and 1"):
        plan(baseline, "credit", "graduate", LAUNCH, confidence=1.5)
    for far in (dt.date(1, 6, 1), dt.date(9999, 12, 31)):
        with pytest.raises(PlanError, match="out of range; give a date between 1950-01-01"):
            plan(baseline, "credit", "graduate", far)
    with pytest.raises(PlanError, match="as_of 9999-12-31 is out of range"):
        deadline_study(baseline, "credit", "graduate", LAUNCH, as_of="9999-12-31")


@pytest.mark.slow
def test_a_launch_planned_alone_or_in_a_study_gets_the_same_date(baseline):
    """One code path: the study's first launch is planned exactly as `mcsim plan` plans it
    (its own simulation), whatever other launches ride along. (Three replications: the
    curves must be equal, and another seed's differs, at any count.)"""
    alone = plan(baseline, "credit", "undergraduate", LAUNCH, 0.9, replications=3, seed=3,
                 jobs=1)
    study = deadline_study(baseline, "credit", "undergraduate", LAUNCH, 0.9,
                           as_of="2026-12-01", replications=3, seed=3, jobs=1)
    assert len(study.launches) == 5
    assert study.latest_submission() == alone.latest_submission()
    assert study.curve().equals(alone.curve())


@pytest.mark.slow
def test_launches_a_day_apart_get_deadlines_days_apart(baseline):
    """The answer moves with the launch by days, not by weeks with a grid's anchor: for
    launches on each weekday of one week the latest dates lie within 3 days of each other
    (the same background runs for all of them, so the spread is the planner's, not luck's).
    Six replications suffice: a weekly grid anchored on the launch, or a seed per launch,
    spreads the dates by 9 to 45 days at this count."""
    week = [LAUNCH + dt.timedelta(days=k) for k in range(7)]
    result = plan(baseline, "credit", "undergraduate", week, 0.9, replications=6, seed=5,
                  jobs=1)
    latest = [result.latest_submission(launch) for launch in week]
    assert None not in latest
    assert (max(latest) - min(latest)).days <= 3, latest


# --- forecast ------------------------------------------------------------------------------


def test_example_pipeline_reads(baseline):
    proposals = read_pipeline(EXAMPLE, baseline, dt.date(2026, 12, 1))
    assert [p.id for p in proposals][:2] == ["CB-101", "CB-102"]
    assert proposals[0].step == "owd" and proposals[0].since == dt.date(2026, 11, 20)


def test_last_step_finishes_first(baseline):
    as_of = dt.date(2026, 12, 1)
    proposals = [
        PipelineProposal("early", "credit", "graduate", dt.date(2026, 11, 2), "dean",
                         dt.date(2026, 11, 9), 0),
        PipelineProposal("last", "credit", "graduate", dt.date(2026, 3, 2), "owd",
                         dt.date(2026, 11, 25), 0),
    ]
    result = forecast(baseline, proposals, as_of, replications=8, jobs=1)
    times = result.approved_at
    assert (times[:, 1] < times[:, 0]).all()
    assert (times[:, 1] < 30).all()  # an OWD sign-off: days, not months
    table = result.table().set_index("id")
    assert table.loc["last", "median_date"] < table.loc["early", "median_date"]


@pytest.mark.parametrize(("text", "place"), [
    ("id,pathway,level,submitted,current_step,step_since\n", "row 1: missing column(s) round"),
    ("x,credit,graduate,2026-02-30,mc,2026-03-01,0\n", "row 2, column submitted"),
    ("x,credits,graduate,2026-02-03,mc,2026-03-01,0\n", "row 2, column pathway"),
    ("x,credit,doctoral,2026-02-03,mc,2026-03-01,0\n", "row 2, column level"),
    ("x,credit,graduate,2026-02-03,senate,2026-03-01,0\n", "row 2, column current_step"),
    ("x,credit,graduate,2026-02-03,mc,2026-01-01,0\n", "row 2, column step_since"),
    ("x,credit,graduate,2026-02-03,mc,2027-01-01,0\n", "row 2, column step_since"),
    ("x,credit,graduate,2026-02-03,mc,2026-03-01,one\n", "row 2, column round"),
    (",credit,graduate,2026-02-03,mc,2026-03-01,0\n", "row 2, column id"),
    ("x,credit,graduate,2026-02-03,mc,2026-03-01,0\n\nx,noncredit,,2026-02-03,mc,2026-03-01,0\n",
     "row 4, column id"),
])
def test_malformed_rows_name_row_and_column(baseline, tmp_path, text, place):
    path = tmp_path / "pipeline.csv"
    header = "id,pathway,level,submitted,current_step,step_since,round\n"
    path.write_text(text if text.startswith("id,") else header + text)
    with pytest.raises(PipelineError) as caught:
        read_pipeline(path, baseline, dt.date(2026, 12, 1))
    message = str(caught.value)
    assert message.startswith(f"{path}: {place}")
    assert "\n" not in message


def test_forecast_command_on_the_example(capsys):
    code = main(["forecast", str(BASELINE), "--pipeline", str(EXAMPLE), "--as-of",
                 "2026-12-01", "--replications", "4", "--jobs", "1", "--format", "json"])
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert next(p["id"] for p in document["proposals"]) == "CB-101"
    assert [term["name"] for term in document["terms"]] == [
        "Spring 2027", "Fall 2027", "Spring 2028", "Fall 2028"]
    first = document["proposals"][0]
    assert first["p_approved_before"]["Spring 2027"]["p"] == 1.0  # at OWD, the last step


@pytest.mark.slow
def test_plan_command_prints_a_date_and_a_curve(capsys):
    code = main(["plan", str(BASELINE), "--pathway", "credit", "--level", "undergraduate",
                 "--launch", "2027-08-23", "--replications", "4", "--jobs", "1"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.startswith("To be approved before 2027-08-23 with 90% confidence, submit")
    assert "<- latest safe date" in out
    assert out.count("\n20") >= 70 + REFINE_DAYS  # a row a week, then daily near the answer


def test_bad_pipeline_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "pipeline.csv"
    path.write_text("id,pathway\nx,credit\n")
    code = main(["forecast", str(BASELINE), "--pipeline", str(path), "--as-of", "2026-12-01"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "row 1: missing column(s)" in err[0]
