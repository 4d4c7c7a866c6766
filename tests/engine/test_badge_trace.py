"""Exact traces of the journey after approval: the badge built, reviewed and published, the
first offering at the next term start, the first badges issued; and the badge office giving
way to approvals.

Proposals are submitted at chosen times into a built model; every expected time is worked out
by hand from a wall calendar of 2026-27 and written as a date. Office work of whole working
days begun at 00:00 ends at 00:00 of the next working day; the proposer's steps count
calendar days.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from support.traces import START, day

from simlib.engine.model import InProgress, Model, Proposal, simulate
from simlib.errors import ScenarioError
from simlib.metrics.events import milestones
from simlib.metrics.summary import summarise
from simlib.scenario import Scenario, validate_scenario

CALENDAR = {
    "kind": "academic",
    "start": START.isoformat(),
    "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
    "holidays": ["06-19", "07-04", ["12-24", "01-01"]],
}
AFTER = [
    {"body": "owd", "name": "credly_build", "review_days": 3},
    {"body": "proposer", "name": "sample_review", "review_days": 7},
    {"body": "owd", "name": "publish", "review_days": 1, "marks": "badge_live"},
    {"body": "proposer", "name": "first_offering", "starts": "term", "review_days": 112},
    {"body": "proposer", "name": "bulk_template", "review_days": 5},
    {"body": "owd", "name": "bulk_issue", "review_days": 4},
]


def scenario(after: list | None = None, **more) -> Scenario:
    """Pathways p (with ``after`` approval: default :data:`AFTER`) and q (none); ``more``
    replaces top-level keys."""
    data = {
        "name": "badge-trace",
        "calendar": CALENDAR,
        "horizon_years": 3,
        "warmup_years": 0,
        "demand": {"p": {"per_year": 0}, "q": {"per_year": 0}},
        "bodies": {
            "owd": {"kind": "office", "staff": 1, "review_days": 2},
            "proposer": {"kind": "proposer", "review_days": 7},
        },
        "pathways": {"p": ["owd"], "q": ["owd"]},
        "after_approval": {"p": AFTER if after is None else after},
        **more,
    }
    return validate_scenario(data, "<badge trace>")


def run(scenario: Scenario, submissions: list[tuple[str, dt.date]]):
    model = Model(scenario, seed=1)
    journeys = [model.submit(Proposal(index, pathway, ""), day(date))
                for index, (pathway, date) in enumerate(submissions)]
    model.env.run(until=model.env.all_of(journeys))
    return model.event_log()


def times(log, proposal: int, step: str, kind: str) -> list[dt.date]:
    """The dates of ``kind`` events of ``proposal`` at ``step`` (step "" for outcomes)."""
    return [event.date for event in log
            if event.proposal == proposal and event.step == step and event.kind == kind]


def at(date: dt.date) -> float:
    return day(date)


JUN = {d: dt.date(2026, 6, d) for d in range(1, 31)}


def test_a_badge_goes_live_then_waits_out_the_summer_for_its_first_offering():
    # A (pathway p) is submitted Mon 15 Jun 2026. OWD's approval review of 2 working days:
    # Mon 15, Tue 16 -> approved 00:00 Wed 17 Jun.
    # B (pathway q, no badge) is submitted Thu 18 Jun: its approval takes OWD's one reviewer
    # from A's badge build at once: Thu 18, (Fri 19 Juneteenth, weekend), Mon 22 -> approved
    # 00:00 Tue 23 Jun.
    # A's build of 3 working days: Wed 17 done; paused Thu 18 to Tue 23; Tue 23, Wed 24 ->
    # 00:00 Thu 25 Jun. Sample review, 7 calendar days -> Thu 2 Jul. Publish, 1 working day
    # (Fri 3 Jul is a working day: the 4th is a Saturday, not moved) -> badge live Fri 3 Jul.
    # The first offering starts with the fall term, Tue 25 Aug 2026, runs 112 days -> Tue 15
    # Dec; the spreadsheet 5 days -> Sun 20 Dec; OWD issues in 4 working days: Mon 21,
    # Tue 22, Wed 23, (closure 24 Dec - 1 Jan, weekend), Mon 4 Jan -> 00:00 Tue 5 Jan 2027.
    log = run(scenario(), [("p", JUN[15]), ("q", JUN[18])])
    assert times(log, 0, "", "approved") == [JUN[17]]
    assert times(log, 1, "", "approved") == [JUN[23]]
    assert times(log, 0, "credly_build", "start") == [JUN[17]]
    assert times(log, 0, "credly_build", "pause") == [JUN[18]]
    assert times(log, 0, "credly_build", "resume") == [JUN[23]]
    assert times(log, 0, "credly_build", "finish") == [JUN[25]]
    assert times(log, 0, "sample_review", "approve") == [dt.date(2026, 7, 2)]
    assert times(log, 0, "publish", "approve") == [dt.date(2026, 7, 3)]
    assert times(log, 0, "first_offering", "arrive") == [dt.date(2026, 7, 3)]
    assert times(log, 0, "first_offering", "start") == [dt.date(2026, 8, 25)]
    assert times(log, 0, "first_offering", "finish") == [dt.date(2026, 12, 15)]
    assert times(log, 0, "bulk_template", "finish") == [dt.date(2026, 12, 20)]
    assert times(log, 0, "bulk_issue", "approve") == [dt.date(2027, 1, 5)]
    assert not times(log, 1, "credly_build", "arrive")  # q has no steps after approval

    summary = summarise(log, scenario())
    assert summary.cycle_days.tolist() == [at(JUN[17]) - at(JUN[15]), at(JUN[23]) - at(JUN[18])]
    assert summary.badge_days[0] == at(dt.date(2026, 7, 3)) - at(JUN[17])
    assert summary.offering_days[0] == at(dt.date(2026, 8, 25)) - at(JUN[15])
    assert summary.first_badge_days[0] == at(dt.date(2027, 1, 5)) - at(JUN[15])
    assert np.isnan(summary.milestones[1]).all()  # B has no badge
    # OWD's reviewer was busy (calendar days): A's approval 2, B's 5, A's build 1 + 2 (not
    # while paused), publish 1, the bulk issue 16 (from Sun 20 Dec to Tue 5 Jan).
    assert summary.busy_days[0] == pytest.approx(2 + 5 + 1 + 2 + 1 + 16)


def test_a_sample_sent_back_is_changed_by_the_office_then_reviewed_again():
    # The proposers always ask for changes once (max_rounds 1): OWD changes the badge in
    # 2 working days, then the proposers review again. From approval on Wed 17 Jun: build
    # Wed 17, Thu 18, Mon 22 (Juneteenth) -> Tue 23; review 7 days -> Tue 30 Jun, sent back;
    # OWD's changes Tue 30, Wed 1 Jul -> Thu 2 Jul; review again -> Thu 9 Jul; publish Thu 9
    # -> Fri 10 Jul.
    after = [dict(step) for step in AFTER]
    after[1]["revise"] = {"p": 1.0, "max_rounds": 1, "back_to": "credly_build",
                          "rework_days": 2}
    log = run(scenario(after), [("p", JUN[15])])
    assert times(log, 0, "credly_build", "approve") == [JUN[23], dt.date(2026, 7, 2)]
    assert times(log, 0, "sample_review", "revise") == [JUN[30]]
    assert times(log, 0, "sample_review", "approve") == [dt.date(2026, 7, 9)]
    assert times(log, 0, "publish", "approve") == [dt.date(2026, 7, 10)]
    rounds = [event.round for event in log if event.step == "credly_build"
              and event.kind == "arrive"]
    assert rounds == [0, 1]


def test_a_launch_date_instead_of_the_term_start():
    # Alone, A's badge is live on Wed 1 Jul (build Wed 17, Thu 18, Mon 22 -> Tue 23; review
    # -> Tue 30; publish -> Wed 1 Jul); the offering starts on the listed launch date, Mon
    # 5 Oct 2026, not with the term on 25 Aug.
    after = [dict(step) for step in AFTER]
    after[3]["starts"] = ["2026-10-05"]
    log = run(scenario(after), [("p", JUN[15])])
    assert times(log, 0, "publish", "approve") == [dt.date(2026, 7, 1)]
    assert times(log, 0, "first_offering", "start") == [dt.date(2026, 10, 5)]


@pytest.mark.parametrize(("change", "message"), [
    ({"after_approval": {"p": AFTER[:2]}}, "marks: badge_live"),
    ({"after_approval": {"r": AFTER}}, "no pathway named 'r'"),
    ({"after_approval": {"p": [{"body": "mc", "marks": "badge_live"}]},
      "bodies": {"owd": {"kind": "office", "staff": 1, "review_days": 2},
                 "mc": {"kind": "committee", "members": 3, "review_days": 2,
                        "meets": {"every_weeks": 1, "weekday": "wed"}}}},
     "only offices and the proposer"),
    ({"after_approval": {"p": [{**AFTER[2], "revise": {"p": 0.2, "rework_days": 1,
                                                          "back_to": "sample_review"}}]}},
     "not an earlier step"),
    ({"pathways": {"p": [{"body": "owd", "starts": "term"}], "q": ["owd"]}},
     "belongs to a step after approval"),
])
def test_steps_after_approval_are_checked(change, message):
    with pytest.raises(ScenarioError, match=message):
        scenario(**change)


# --- the shipped baseline ----------------------------------------------------------------


@pytest.fixture(scope="module")
def baselines():
    """The baseline and the same without its steps after approval."""
    from simlib.scenario import load_scenario

    base = load_scenario("scenarios/baseline.yaml")
    assert base.after_approval
    return base, base.variant({"after_approval": {}}, name="no-badges")


def test_the_badge_steps_leave_time_to_approval_as_it_was(baselines):
    """Same seed, same approvals: the badge office gives way to every approval, so each
    event up to approval is where it was without the badge steps; calibration's statistic
    (the mean days to approval) is the same."""
    from simlib.calibration._point import estimates, fit_targets
    from simlib.engine.model import simulate
    from simlib.experiments.results import replicate

    base, bare = baselines
    for replication in range(3):
        with_badges, without = simulate(base, 11, replication), simulate(bare, 11, replication)
        after = {label for pathway in base.pathways
                 for label, _ in base.after_steps(pathway)}
        kept = [row for row in with_badges.rows if row[3] not in after]
        assert kept == list(without.rows)
        assert len(with_badges.rows) > len(kept)
    runs = [replicate(scenario, 3, 11, jobs=1, progress=False) for scenario in baselines]
    found = [estimates(results, fit_targets(base)) for results in runs]
    assert found[0] == found[1] and "targets.credit.mean_cycle_days" in found[0]
    assert runs[0].pathways["cycle_days_mean"].equals(runs[1].pathways["cycle_days_mean"])


def test_the_first_badges_come_after_approval_for_every_approved_proposal(baselines):
    from simlib.engine.model import simulate

    base, _ = baselines
    for replication in range(3):
        summary = summarise(simulate(base, 11, replication), base)
        issued = ~np.isnan(summary.first_badge_days)
        approved = ~np.isnan(summary.cycle_days)
        assert issued.sum() > 0.9 * approved.sum()  # the run drains: nearly all reach it
        assert not (issued & ~approved).any()
        assert (summary.first_badge_days[issued] > summary.cycle_days[issued]).all()
        later = summary.first_badge_days[issued] - summary.cycle_days[issued]
        assert (later >= summary.badge_days[issued]).all()
        assert (summary.offering_days[issued] <= summary.first_badge_days[issued]).all()


# --- pipeline entries after approval -----------------------------------------------------


def resumed(scenario: Scenario, pipeline: tuple):
    """The event log of a run of ``scenario`` (no arrivals) with ``pipeline`` in progress."""
    model = Model(scenario, seed=1, pipeline=pipeline)
    model.run()
    return model.event_log()


def test_an_entry_at_publish_goes_live_then_waits_for_the_next_term():
    # Day 0 is Mon 25 Aug 2025, the first day of the fall term. The entry reached publish
    # on Fri 22 Aug (day -3): approved by then. Publish, 1 working day: Mon 25 -> live
    # 00:00 Tue 26 Aug. The fall term has begun, so the first offering waits for the spring
    # term, Tue 20 Jan 2026; 112 days -> Tue 12 May; the spreadsheet 5 days -> Sun 17 May;
    # OWD's 4 working days: Mon 18 .. Thu 21 -> 00:00 Fri 22 May 2026.
    log = resumed(scenario(), (InProgress("p", "", -40.0, "publish", -3.0),))
    assert [(event.kind, event.time) for event in log if not event.step] == [
        ("submit", -40.0), ("approved", -3.0)]
    assert times(log, 0, "credly_build", "arrive") == []  # it resumes at publish
    assert times(log, 0, "publish", "approve") == [dt.date(2025, 8, 26)]
    assert times(log, 0, "first_offering", "start") == [dt.date(2026, 1, 20)]
    assert times(log, 0, "bulk_issue", "approve") == [dt.date(2026, 5, 22)]
    [reached] = milestones(log.to_frame(), scenario()).to_dict("records")
    assert (reached["badge_live"], reached["issued"]) == (1.0, at(dt.date(2026, 5, 22)))


def test_an_offering_under_way_keeps_its_start_and_one_to_come_waits_for_it():
    # Day 0 is Wed 1 Oct 2025, in the fall term (begun Mon 25 Aug, day -37). Entry 0
    # reached its first offering on Wed 20 Aug (day -42): it started on 25 Aug and runs
    # its 112 days to Mon 15 Dec 2025 (75 days left); the spreadsheet -> Sat 20 Dec; OWD:
    # Mon 22, Tue 23, (closure 24 Dec - 1 Jan), Fri 2, Mon 5 Jan -> 00:00 Tue 6 Jan 2026.
    # Entry 1 reached it on Mon 15 Sep (day -16), after the term began: it waits for the
    # spring term (Tue 20 Jan 2026), though day 0 is a term day: 112 days -> Tue 12 May;
    # -> Sun 17 May; OWD Mon 18 .. Thu 21 -> 00:00 Fri 22 May 2026.
    october = scenario(calendar={**CALENDAR, "start": "2025-10-01"})
    log = resumed(october, (InProgress("p", "", -90.0, "first_offering", -42.0),
                            InProgress("p", "", -60.0, "first_offering", -16.0)))
    assert times(log, 0, "first_offering", "finish") == [dt.date(2025, 12, 15)]
    assert times(log, 0, "bulk_issue", "approve") == [dt.date(2026, 1, 6)]
    assert times(log, 1, "first_offering", "start") == [dt.date(2026, 1, 20)]
    assert times(log, 1, "bulk_issue", "approve") == [dt.date(2026, 5, 22)]


def test_an_entry_after_approval_keeps_its_round_and_its_revisions_go_back():
    # At the sample review in round 1 (changed once already), from Mon 25 Aug 2025: the
    # proposers review 7 days -> Mon 1 Sep, send it back again (round 1 < max_rounds 2);
    # OWD changes it (round 1 of credly_build: the first change was before the run, not
    # counted) in 2 working days: (Labor Day is not a holiday here) Mon 1, Tue 2 -> Wed 3
    # Sep; review round 2 -> Wed 10 Sep, approved (the last round allowed); publish -> Thu
    # 11 Sep.
    after = [dict(step) for step in AFTER]
    after[1]["revise"] = {"p": 1.0, "max_rounds": 2, "back_to": "credly_build",
                          "rework_days": 2}
    log = resumed(scenario(after), (InProgress("p", "", -30.0, "sample_review", -2.0, 1),))
    visits = [(event.step, event.kind, event.round, event.date) for event in log
              if event.kind in ("revise", "approve") and event.step != "first_offering"]
    assert visits[:4] == [
        ("sample_review", "revise", 1, dt.date(2025, 9, 1)),
        ("credly_build", "approve", 1, dt.date(2025, 9, 3)),
        ("sample_review", "approve", 2, dt.date(2025, 9, 10)),
        ("publish", "approve", 0, dt.date(2025, 9, 11)),
    ]


def test_an_entry_after_approval_delays_no_approval():
    # The badge office gives way to approvals: a pipeline entry building its badge leaves
    # every event up to approval where it was (the arrivals numbered one further on).
    from simlib.scenario import load_scenario

    base = load_scenario("scenarios/baseline.yaml")
    approval = (InProgress("credit", "graduate", -80.0, "mc", -6.0, round=1),
                InProgress("noncredit", "", -20.0, "owd_initial", -2.0),
                InProgress("credit", "undergraduate", -90.0, "owd", -1.0))
    built = InProgress("noncredit", "", -60.0, "credly_build", 0.0)
    after = {label for pathway in base.pathways
             for label, _ in base.after_steps(pathway)}
    for replication in range(2):
        plain = simulate(base, 11, replication, pipeline=approval).rows
        more = simulate(base, 11, replication, pipeline=(*approval, built)).rows
        mine = [row for row in more if row[0] == 3]
        assert [row[5] for row in mine[:3]] == ["submit", "approved", "arrive"]
        assert mine[2][3] == "credly_build" and any(row[3] == "bulk_issue" for row in mine)
        kept = [(row[0] - (row[0] > 3), *row[1:]) for row in more
                if row[0] != 3 and row[3] not in after]
        assert kept == [row for row in plain if row[3] not in after]


def test_a_pipeline_entry_may_be_at_a_step_after_approval_of_its_own_pathway():
    with pytest.raises(ValueError, match=r"unknown step 'credly_build'; valid steps of q: owd$"):
        Model(scenario(), 1, pipeline=(InProgress("q", "", -9.0, "credly_build", -1.0),))
    Model(scenario(), 1, pipeline=(InProgress("p", "", -9.0, "bulk_issue", -1.0),))
