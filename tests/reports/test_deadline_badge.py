"""Report 06's badge dates: beside each launch's date for approval, the latest date for the
badge to be live by it, exactly the date ``mcsim plan --until badge`` gives for the same
scenario, seed, replications and launch; for the first launch only unless asked for all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simlib import answers, load_scenario
from simlib.cli.main import main
from simlib.errors import PlanError
from simlib.formats.words import long_date, short_date
from simlib.reports import deadlines

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
REPLICATIONS, SEED = 3, 20250825  # the dates move by weeks with the seed at this count
QUESTION = ("credit", "undergraduate", "2027-08-23", 0.9, REPLICATIONS, SEED)
STUDY = {"as_of": "2026-12-01", "terms": 1, "jobs": 1}


@pytest.fixture(scope="module")
def base():
    return load_scenario(BASELINE)


@pytest.fixture(scope="module")
def every_launch(base):
    return answers.plan(base, *QUESTION, badge="all", **STUDY)


def cli_badge_date(capsys, launch) -> str:
    """``latest_submission`` of ``mcsim plan --until badge --format json`` for ``launch``."""
    assert main(["plan", str(BASELINE), "--pathway", "credit", "--level", "undergraduate",
                 "--launch", launch.isoformat(), "--until", "badge", "--replications",
                 str(REPLICATIONS), "--seed", str(SEED), "--jobs", "1",
                 "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["latest_submission"]


def test_the_badge_dates_are_those_of_mcsim_plan_until_badge(every_launch, capsys):
    answer = every_launch
    table = deadlines.deadline_table(answer)
    assert list(table.columns[1:3]) == ["Submit by (approval)", "Submit by (badge live)"]
    launches = answer.plan.launches
    assert answer.to_badge.launches == launches and len(launches) == 2
    for launch, shown in zip(launches, table["Submit by (badge live)"], strict=True):
        latest = answer.to_badge.latest_submission(launch)
        assert latest.isoformat() == cli_badge_date(capsys, launch)
        assert shown.startswith(short_date(latest))
        assert latest <= answer.plan.latest_submission(launch)  # the badge comes later
    line = deadlines.badge_line(answer)
    assert f"the badge is live by {long_date(launches[0])} as well" in line
    assert f"submit by {long_date(answer.to_badge.latest_submission())}" in line
    assert line in deadlines.summary(answer) and "this launch only" not in line


def test_by_default_the_page_plans_the_badge_for_the_first_launch_only(base, every_launch):
    answer = answers.plan(base, *QUESTION, badge="first", **STUDY)
    first, _ = answer.plan.launches
    assert answer.to_badge.launches == (first,)
    assert (answer.to_badge.latest_submission(first)
            == every_launch.to_badge.latest_submission(first))
    column = deadlines.deadline_table(answer)["Submit by (badge live)"]
    assert column.iloc[1] == "not planned"
    assert "planned for this launch only" in deadlines.summary(answer)


def test_without_steps_after_approval_there_is_no_badge_date(base):
    bare = base.variant({"after_approval": {}})
    answer = answers.plan(bare, *QUESTION, badge="first", jobs=1)
    assert answer.to_badge is None and deadlines.badge_line(answer) is None
    assert "Submit by (badge live)" not in deadlines.deadline_table(answer).columns
    with pytest.raises(PlanError, match="give one of first, all"):
        answers.plan(base, *QUESTION, badge="every", jobs=1)
