"""Exact traces of the committees' other ways of deciding (e-vote, consent agenda, tabling,
delegation, summer authority), fast tracks, and the hours their work costs.

Proposals are submitted at chosen times with chosen attributes into a built model; every
expected time is worked out by hand from a wall calendar of 2025-26 and written as a date.
Committees decide at noon; a review of whole working days ends at 00:00.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from support.traces import START, day, noon

from simlib.engine.model import Model, Proposal
from simlib.engine.randomness import generator
from simlib.errors import ScenarioError
from simlib.metrics.summary import body_hours, hours_per_year, summarise
from simlib.scenario import Scenario, validate_scenario

SEED = 1

HOLIDAY_FREE_TERMS = {
    "kind": "academic",
    "start": START.isoformat(),
    "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
}


def committee(**more) -> dict:
    """A committee of 3 that reviews in 2 working days and meets every Wednesday in term."""
    return {"kind": "committee", "members": 3, "review_days": 2,
            "meets": {"every_weeks": 1, "weekday": "wed"}, **more}


def scenario(bodies: dict, pathway: list, **more) -> Scenario:
    data = {
        "name": "governance-trace",
        "calendar": HOLIDAY_FREE_TERMS,
        "horizon_years": 2,
        "warmup_years": 0,
        "demand": {"credit": {"per_year": 0, "attributes": {"size": {"minor": 0.3,
                                                                      "major": 0.7}}}},
        "bodies": bodies,
        "pathways": {"credit": pathway},
        **more,
    }
    return validate_scenario(data, "<governance trace>")


def run(scenario: Scenario, submissions: list[tuple[float, str]],
        until: float | None = None) -> tuple[pd.DataFrame, Model]:
    """Events of proposals submitted at (time, size), run until each has left (or until
    day ``until``)."""
    model = Model(scenario, seed=SEED)
    journeys = [model.submit(Proposal(index, "credit", "", {"size": size}), time)
                for index, (time, size) in enumerate(submissions)]
    model.env.run(until=model.env.all_of(journeys) if until is None else until)
    return model.event_log().to_frame(), model


def decided(frame: pd.DataFrame, proposal: int, step: str) -> list[float]:
    """Times of the decisions on ``proposal`` at ``step``, in order."""
    rows = frame[(frame["proposal"] == proposal) & (frame["step"] == step)
                 & frame["kind"].isin(["approve", "revise", "withdraw"])]
    return list(rows["time"])


MON_8_SEP = day(dt.date(2025, 9, 8))
READY_WED_10_SEP = day(dt.date(2025, 9, 10))  # a 2-working-day review from Mon 8 Sep


# --- e-vote -----------------------------------------------------------------------------


def test_evote_decides_when_its_window_of_working_days_closes():
    # Reviewed by 00:00 Wed 10 Sep; five working days: Wed, Thu, Fri, Mon 15, Tue 16:
    # decided at 00:00 on Wed 17 Sep, not at the Wednesday meetings in between.
    mc = committee(evote={"p": 1.0, "within_days": 5, "when": {"size": "minor"}})
    frame, model = run(scenario({"mc": mc}, ["mc"]), [(MON_8_SEP, "minor")])
    assert decided(frame, 0, "mc") == [day(dt.date(2025, 9, 17))]
    assert ("mc", "evote", day(dt.date(2025, 9, 17)), 3, 1) in model.work


def test_evote_window_skips_weekends_and_holidays():
    # Ready 00:00 Thu 11 Sep with a holiday on Mon 15 Sep: Thu, Fri, Tue 16, Wed 17, Thu 18.
    mc = committee(evote={"p": 1.0, "within_days": 5})
    plan = scenario({"mc": mc}, ["mc"])
    plan = plan.variant({"calendar.holidays": ["2025-09-15"]})
    frame, _ = run(plan, [(day(dt.date(2025, 9, 9)), "major")])
    assert decided(frame, 0, "mc") == [day(dt.date(2025, 9, 19))]


def test_evote_window_of_a_committee_that_sits_in_term_waits_for_term():
    # Reviewed by 00:00 Wed 13 May 2026; the term ends Fri 15 May: Wed, Thu, Fri count;
    # the window resumes when the fall term starts, Tue 25 Aug 2026, and Tue 25 and Wed 26
    # complete it: decided at 00:00 on Thu 27 Aug 2026. A committee that also meets outside
    # terms votes through the summer: Wed, Thu, Fri, Mon 18, Tue 19: 00:00 Wed 20 May.
    in_term = committee(evote={"p": 1.0, "within_days": 5})
    frame, _ = run(scenario({"mc": in_term}, ["mc"]), [(day(dt.date(2026, 5, 11)), "major")])
    assert decided(frame, 0, "mc") == [day(dt.date(2026, 8, 27))]
    all_year = committee(evote={"p": 1.0, "within_days": 5},
                         meets={"every_weeks": 1, "weekday": "wed", "outside_terms": True})
    frame, _ = run(scenario({"mc": all_year}, ["mc"]), [(day(dt.date(2026, 5, 11)), "major")])
    assert decided(frame, 0, "mc") == [day(dt.date(2026, 5, 20))]


def test_contested_or_unmatched_item_waits_for_the_next_meeting():
    # p = 0: every vote is contested, so the item is decided at the next meeting (noon Wed
    # 10 Sep: ready at 00:00 that day). An item the rule does not match goes the same way.
    contested = committee(evote={"p": 0.0, "within_days": 5})
    frame, model = run(scenario({"mc": contested}, ["mc"]), [(MON_8_SEP, "minor")])
    assert decided(frame, 0, "mc") == [noon(dt.date(2025, 9, 10))]
    assert not [w for w in model.work if w[1] == "evote"]
    unmatched = committee(evote={"p": 1.0, "within_days": 5, "when": {"size": "minor"}})
    frame, _ = run(scenario({"mc": unmatched}, ["mc"]), [(MON_8_SEP, "major")])
    assert decided(frame, 0, "mc") == [noon(dt.date(2025, 9, 10))]


# --- consent agenda ---------------------------------------------------------------------


def test_consent_item_is_decided_at_a_full_meeting_without_taking_a_place():
    # One agenda place. Three items ready on Wed 10 Sep, in the order major, minor, major:
    # the first major takes the place, the minor passes on consent, the second major waits
    # a week. The meeting discussed one item.
    mc = committee(agenda_limit=1, consent={"when": {"size": "minor"}, "pull_p": 0.0})
    frame, model = run(scenario({"mc": mc}, ["mc"]),
                       [(MON_8_SEP, "major"), (MON_8_SEP, "minor"), (MON_8_SEP, "major")])
    assert decided(frame, 0, "mc") == [noon(dt.date(2025, 9, 10))]
    assert decided(frame, 1, "mc") == [noon(dt.date(2025, 9, 10))]
    assert decided(frame, 2, "mc") == [noon(dt.date(2025, 9, 17))]
    assert ("mc", "meeting", noon(dt.date(2025, 9, 10)), 3, 1) in model.work


def test_pulled_consent_item_takes_an_agenda_place():
    # pull_p = 1: the minor item is pulled, so it queues for a place like any other.
    mc = committee(agenda_limit=1, consent={"when": {"size": "minor"}, "pull_p": 1.0})
    frame, _ = run(scenario({"mc": mc}, ["mc"]), [(MON_8_SEP, "major"), (MON_8_SEP, "minor")])
    assert decided(frame, 0, "mc") == [noon(dt.date(2025, 9, 10))]
    assert decided(frame, 1, "mc") == [noon(dt.date(2025, 9, 17))]


# --- tabling ----------------------------------------------------------------------------


def test_tabled_item_is_decided_at_a_later_meeting_and_discussed_at_each():
    # The rule draws one number per item reached from stream table.mc; it defers while the
    # number is below table_p. The item reaches the Wednesday meetings from 10 Sep on.
    table_p = 0.75
    draws = generator(SEED, 0, "table.mc").random(20)
    deferrals = int(np.argmax(draws >= table_p))
    assert deferrals >= 1, "choose table_p so that the first meeting tables the item"
    mc = committee(table_p=table_p)
    frame, model = run(scenario({"mc": mc}, ["mc"]), [(MON_8_SEP, "major")])
    first = dt.date(2025, 9, 10)
    assert decided(frame, 0, "mc") == [noon(first + dt.timedelta(weeks=deferrals))]
    discussed = [w for w in model.work if w[1] == "meeting"]
    assert [w[2] for w in discussed] == [noon(first + dt.timedelta(weeks=k))
                                         for k in range(deferrals + 1)]


def test_table_p_of_one_is_refused():
    with pytest.raises(ScenarioError, match="table_p"):
        scenario({"mc": committee(table_p=1.0)}, ["mc"])


# --- delegation -------------------------------------------------------------------------


def test_delegated_items_are_decided_by_the_chair_one_at_a_time_without_a_meeting():
    # The chair reviews resubmissions only (round_at_least 1), 3 working days each. Two
    # first-round items go to the meeting; a resubmission skips it. Here: both items are
    # delegated (round_at_least 0): the chair takes Mon 8 - Wed 10 for the first (00:00 Thu
    # 11 Sep), then Thu, Fri, Mon for the second (00:00 Tue 16 Sep).
    mc = committee(delegate={"when": {"round_at_least": 0}, "review_days": 3})
    frame, model = run(scenario({"mc": mc}, ["mc"]), [(MON_8_SEP, "major"),
                                                       (MON_8_SEP, "minor")])
    assert decided(frame, 0, "mc") == [day(dt.date(2025, 9, 11))]
    assert decided(frame, 1, "mc") == [day(dt.date(2025, 9, 16))]
    assert all(w[4] == 0 for w in model.work if w[1] == "meeting")


def test_delegation_for_resubmissions_only():
    # First round: member review, then the meeting of Wed 10 Sep asks for revision (p 1,
    # one round at most); 7 days' rework: back at noon on Wed 17 Sep; the chair decides in 3
    # working days (Wed afternoon, Thu, Fri, Mon morning): noon on Mon 22 Sep.
    mc = committee(delegate={"when": {"round_at_least": 1}, "review_days": 3})
    step = {"body": "mc", "revise": {"p": 1.0, "max_rounds": 1, "rework_days": 7}}
    frame, _ = run(scenario({"mc": mc}, [step]), [(MON_8_SEP, "major")])
    assert decided(frame, 0, "mc") == [noon(dt.date(2025, 9, 10)), noon(dt.date(2025, 9, 22))]


# --- summer authority -------------------------------------------------------------------


def test_summer_authority_decides_in_july_and_not_in_term():
    # Program Review meets only in term; the Executive meets every Thursday all year and acts
    # for it outside terms. Ready on Wed 1 Jul 2026 (reviewed Mon 29 - Tue 30 Jun): decided
    # by the Executive at noon on Thu 2 Jul. In term (ready Wed 10 Sep), Program Review's own
    # meeting decides it at noon that day.
    review = committee()
    executive = committee(meets={"every_weeks": 1, "weekday": "thu", "outside_terms": True})
    plan = scenario({"review": review, "executive": executive}, ["review"],
                    summer_authority={"body": "executive", "for": ["review"]})
    frame, model = run(plan, [(day(dt.date(2026, 6, 29)), "major"), (MON_8_SEP, "major")])
    assert decided(frame, 0, "review") == [noon(dt.date(2026, 7, 2))]
    assert decided(frame, 1, "review") == [noon(dt.date(2025, 9, 10))]
    assert ("executive", "meeting", noon(dt.date(2026, 7, 2)), 3, 1) in model.work
    without = scenario({"review": review, "executive": executive}, ["review"])
    frame, _ = run(without, [(day(dt.date(2026, 6, 29)), "major")])
    assert decided(frame, 0, "review") == [noon(dt.date(2026, 8, 26))]  # first in term


def test_summer_authority_needs_a_body_that_meets_outside_terms():
    with pytest.raises(ScenarioError, match="outside_terms: true"):
        scenario({"review": committee(), "executive": committee()}, ["review"],
                 summer_authority={"body": "executive", "for": ["review"]})


# --- fast tracks and conditions -----------------------------------------------------------


def test_skipped_step_is_never_visited():
    mc = committee()
    executive = committee(meets={"every_weeks": 1, "weekday": "thu"})
    plan = scenario({"mc": mc, "executive": executive},
                    ["mc", {"body": "executive", "skip_when": {"size": "minor"}}])
    frame, _ = run(plan, [(MON_8_SEP, "minor"), (MON_8_SEP, "major")])
    steps = frame.groupby("proposal")["step"].apply(set)
    assert "executive" not in steps[0]
    assert "executive" in steps[1]
    assert decided(frame, 1, "executive") == [noon(dt.date(2025, 9, 18))]


def test_condition_on_an_unknown_attribute_or_value_is_refused_with_its_place():
    with pytest.raises(ScenarioError, match=r"consent\.when\.colour.*no attribute 'colour'"):
        scenario({"mc": committee(consent={"when": {"colour": "red"}})}, ["mc"])
    with pytest.raises(ScenarioError, match=r"0\.skip_when\.size.*'tiny' is not a size"):
        scenario({"mc": committee()}, [{"body": "mc", "skip_when": {"size": "tiny"}}])


# --- hours ------------------------------------------------------------------------------


def test_hours_add_up_to_the_hour():
    # Two proposals, fixed times. The office reviews each once (2 h each). The committee
    # reviews each once (3 h each) and meets every Wednesday in term, but only the meetings
    # with items of the pipeline cost it anything: Wed 10 Sep 2025 (both items discussed,
    # 3 members x (1.5 + 2 x 0.25) h) and Wed 3 Jun 2026, outside terms: no meeting then, so
    # the item submitted on Mon 1 Jun 2026 (reviewed Tue 2 - Thu 4 Jun) waits for the first
    # Wednesday of term, 26 Aug 2026 (3 x (1.5 + 0.25) h), with its member review (3 h)
    # outside terms.
    office = {"kind": "office", "staff": 2, "review_days": 1,
              "hours": {"per_review": 2.0}}
    mc = committee(hours={"per_review": 3.0, "per_meeting": 1.5, "per_item": 0.25})
    plan = scenario({"office": office, "mc": mc}, ["office", "mc"])
    submissions = [(day(dt.date(2025, 9, 5)), "major"), (day(dt.date(2025, 9, 5)), "minor"),
                   (day(dt.date(2026, 6, 1)), "major")]
    _, model = run(plan, submissions, until=plan.horizon_days + 1)
    meetings = [w for w in model.work if w[1] == "meeting"]
    assert meetings == [("mc", "meeting", noon(dt.date(2025, 9, 10)), 3, 2),
                        ("mc", "meeting", noon(dt.date(2026, 8, 26)), 3, 1)]
    hours = body_hours(summarise(model.event_log(), plan), plan)
    assert hours[0].tolist() == [2.0 * 2, 2.0]  # office: in term, outside terms
    assert hours[1].tolist() == [3.0 * 2 + 3 * (1.5 + 2 * 0.25) + 3 * (1.5 + 0.25), 3.0]
    per_year = hours_per_year(summarise(model.event_log(), plan), plan)
    assert per_year["total"] == pytest.approx(hours.sum() / 2.0)
    assert per_year["faculty"] + per_year["staff"] == pytest.approx(per_year["total"])
    assert per_year["faculty_outside_terms"] == pytest.approx(3.0 / 2.0)
