"""Planning to the badge: ``mcsim plan --until approval|badge|first-badge``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from simlib.answers import plan
from simlib.cli.main import main
from simlib.engine.model import simulate
from simlib.errors import PlanError
from simlib.metrics.summary import summarise
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
LAUNCH = dt.date(2027, 12, 20)
# Four replications: the first badges come about a year after approval and the badge months
# after it, so the three dates stay months apart at any count (a plan that ignored `until`
# would give the same date three times).
QUESTION = {"pathway": "credit", "level": "undergraduate", "launch": LAUNCH,
            "replications": 4, "seed": 5, "jobs": 1}


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def plans(base):
    return {until: plan(base, until=until, **QUESTION).plan
            for until in ("approval", "badge", "first-badge")}


def test_the_first_badges_need_an_earlier_submission_by_the_time_after_approval(base, plans):
    latest = {until: found.latest_submission() for until, found in plans.items()}
    assert all(latest.values())
    assert latest["first-badge"] < latest["badge"] < latest["approval"]
    # the shortest journey from approval to the first badges, in runs of the baseline
    after = []
    for replication in range(3):
        summary = summarise(simulate(base, 5, replication), base)
        reached = ~np.isnan(summary.first_badge_days)
        after.append((summary.first_badge_days - summary.cycle_days)[reached].min())
    assert (latest["approval"] - latest["first-badge"]).days >= min(after) > 100
    assert plans["first-badge"].grid["months"] > plans["approval"].grid["months"]


def test_the_days_to_the_target_are_those_of_the_tracked_milestone(plans):
    """Submitted on the same day, the badge comes after approval and the first badges
    after the badge (the medians of the same probes' journeys)."""
    shared = set.intersection(*(set(found.curve()["submitted"]) for found in plans.values()))
    day = min(shared)  # the earliest date all three tried: every probe gets there
    medians = [found.cycle_days(day)[0] for found in plans.values()]
    assert len(medians) == 3 and all(np.isfinite(medians))
    assert medians[0] < medians[1] < medians[2]


def test_planning_to_a_badge_needs_steps_after_approval(base):
    bare = base.variant({"after_approval": {}})
    with pytest.raises(PlanError, match=r"no steps after approval.*after_approval\.credit"):
        plan(bare, until="badge", **QUESTION)


def test_the_cli_says_what_it_planned_for(capsys, tmp_path):
    args = ["plan", str(BASELINE), "--pathway", "credit", "--level", "undergraduate",
            "--launch", "2027-08-01", "--until", "badge", "--replications", "2",
            "--jobs", "1"]
    assert main([*args, "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["until"] == "badge" and answer["latest_submission"]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.startswith("To have the badge live before 2027-08-01 with 90% confidence, "
                           f"submit an undergraduate credit-bearing proposal by "
                           f"{answer['latest_submission']}")
    assert main([*args, "--until", "later"]) == 2
    assert "invalid choice: 'later'" in capsys.readouterr().err


def test_the_calendar_file_holds_the_badge_date_the_cli_gives(capsys, tmp_path):
    import icalendar

    out = tmp_path / "submit-by.ics"
    args = ["plan", str(BASELINE), "--pathway", "noncredit", "--launch", "2027-08-01",
            "--until", "first-badge", "--replications", "2", "--jobs", "1"]
    assert main([*args, "--format", "json", "--ics", str(out)]) == 0
    answer = json.loads(capsys.readouterr().out)
    [event] = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert event.start == dt.date.fromisoformat(answer["latest_submission"])
    assert "for the first badges before 2027-08-01" in str(event["SUMMARY"])
    assert str(event["DESCRIPTION"]).startswith("To issue the first badges before 2027-08-01")
