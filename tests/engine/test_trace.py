"""Exact event traces with fixed durations, and the verification habits that need no theory.

The trace proposals are injected at chosen times into a built :class:`Model` (arrivals are
Poisson, so there is no other way to get one proposal at a known time); every expected time
below is worked out by hand from a wall calendar of 2025-26, written as a date.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from support.scenarios import small_scenario
from support.traces import START, day, noon, run_injected

from simlib.engine.model import Model, Proposal, simulate
from simlib.scenario import Scenario, validate_scenario


def academic_scenario() -> Scenario:
    """Fixed durations on an academic calendar with holidays, two terms and a summer."""
    data = {
        "name": "trace",
        "calendar": {
            "kind": "academic",
            "start": START.isoformat(),
            "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
            "holidays": [
                "09-01",  # Labor Day 2025 (a Monday)
                "2025-10-01",  # a one-off closure on the first Wednesday of October
                ["11-27", "11-28"],  # Thanksgiving
                ["12-20", "01-19"],  # winter break
            ],
        },
        "horizon_years": 2,
        "warmup_years": 0,
        "demand": {"credit": {"per_year": 0, "mix": {"graduate": 0.5, "undergraduate": 0.5}}},
        "bodies": {
            "department": {"kind": "office", "staff": 1, "review_days": 6.5},
            "mc": {
                "kind": "committee",
                "members": 3,
                "review_days": 2,
                "meets": {"nth": 1, "weekday": "wed"},  # first Wednesday, in terms only
            },
            "council": {
                "kind": "committee",
                "members": 2,
                "review_days": 1,
                "meets": {"every_weeks": 1, "weekday": "fri", "outside_terms": True},
                "agenda_limit": 1,
                "agenda_lead_days": 3,
            },
            "owd": {"kind": "office", "staff": 1, "review_days": 1},
        },
        "pathways": {
            "credit": ["department", "mc", {"body": "owd", "when": {"level": "graduate"}}],
            "office_only": ["department"],
            "committee_only": ["mc"],
            "council_only": ["council"],
            "revised": [
                {"body": "owd", "revise": {"p": 1.0, "max_rounds": 1, "rework_days": 10}}
            ],
        },
    }
    return validate_scenario(data, "<trace>")



def times(frame: pd.DataFrame, proposal: int) -> list[tuple[str, str, int, float]]:
    """(step, kind, round, time) of one proposal's events, in order."""
    rows = frame[frame["proposal"] == proposal]
    return list(zip(rows["step"], rows["kind"], rows["round"], rows["time"], strict=True))


@pytest.fixture(scope="module")
def trace() -> pd.DataFrame:
    scenario = academic_scenario()
    return run_injected(
        scenario,
        [
            (day(dt.date(2025, 8, 25)), "credit", "graduate"),  # 0
            (day(dt.date(2025, 8, 25)), "office_only", ""),  # 1: queues behind 0
            (day(dt.date(2026, 5, 5)), "committee_only", ""),  # 2: ready after May meeting
            (day(dt.date(2025, 9, 8)), "council_only", ""),  # 3
            (day(dt.date(2025, 9, 8)), "council_only", ""),  # 4: agenda limit 1
            (day(dt.date(2025, 9, 10)), "council_only", ""),  # 5: misses agenda deadline
            (day(dt.date(2025, 9, 12)), "revised", ""),  # 6
            (day(dt.date(2026, 1, 5)), "credit", "undergraduate"),  # 7: in winter break
        ],
    )


def test_office_review_skips_weekend_and_holiday_then_committee_skips_holiday(trace):
    # Department, 6.5 working days from Mon 25 Aug: Mon-Fri = 5, weekend, Mon 1 Sep is Labor
    # Day, Tue 2 Sep = 6, half of Wed 3 Sep: done at noon on 3 Sep. MC review, 2 working days
    # from then: rest of Wed, Thu, half of Fri: noon on Fri 5 Sep. MC meets on the first
    # Wednesday: 3 Sep has passed, 1 Oct is a closure day, so Wed 5 Nov. OWD reviews one
    # working day: noon on Thu 6 Nov.
    assert times(trace, 0) == [
        ("", "submit", 0, 0.0),
        ("department", "arrive", 0, 0.0),
        ("department", "start", 0, 0.0),
        ("department", "finish", 0, noon(dt.date(2025, 9, 3))),
        ("department", "approve", 0, noon(dt.date(2025, 9, 3))),
        ("mc", "arrive", 0, noon(dt.date(2025, 9, 3))),
        ("mc", "start", 0, noon(dt.date(2025, 9, 3))),
        ("mc", "finish", 0, noon(dt.date(2025, 9, 5))),
        ("mc", "approve", 0, noon(dt.date(2025, 11, 5))),
        ("owd", "arrive", 0, noon(dt.date(2025, 11, 5))),
        ("owd", "start", 0, noon(dt.date(2025, 11, 5))),
        ("owd", "finish", 0, noon(dt.date(2025, 11, 6))),
        ("owd", "approve", 0, noon(dt.date(2025, 11, 6))),
        ("", "approved", 0, noon(dt.date(2025, 11, 6))),
    ]
    decision = trace[(trace["proposal"] == 0) & (trace["kind"] == "approve")]
    assert list(decision["date"].dt.date) == [
        dt.date(2025, 9, 3), dt.date(2025, 11, 5), dt.date(2025, 11, 6)
    ]


def test_second_proposal_queues_for_the_single_reviewer(trace):
    # Starts when proposal 0 is done (noon Wed 3 Sep); 6.5 working days: Wed pm 0.5, Thu 1.5,
    # Fri 2.5, Mon 8 Sep 3.5, Tue 4.5, Wed 5.5, Thu 11 Sep 6.5: done at 00:00 on Fri 12 Sep.
    assert times(trace, 1) == [
        ("", "submit", 0, 0.0),
        ("department", "arrive", 0, 0.0),
        ("department", "start", 0, noon(dt.date(2025, 9, 3))),
        ("department", "finish", 0, day(dt.date(2025, 9, 12))),
        ("department", "approve", 0, day(dt.date(2025, 9, 12))),
        ("", "approved", 0, day(dt.date(2025, 9, 12))),
    ]


def test_item_ready_in_may_waits_for_first_meeting_after_summer(trace):
    # Reviewed Tue 5 and Wed 6 May 2026: ready at 00:00 on Thu 7 May, after the May meeting
    # (Wed 6 May, noon). The term ends 15 May; June, July and August first Wednesdays are
    # outside terms; the next meeting is Wed 2 Sep 2026.
    assert times(trace, 2) == [
        ("", "submit", 0, day(dt.date(2026, 5, 5))),
        ("mc", "arrive", 0, day(dt.date(2026, 5, 5))),
        ("mc", "start", 0, day(dt.date(2026, 5, 5))),
        ("mc", "finish", 0, day(dt.date(2026, 5, 7))),
        ("mc", "approve", 0, noon(dt.date(2026, 9, 2))),
        ("", "approved", 0, noon(dt.date(2026, 9, 2))),
    ]


def test_agenda_deadline_and_agenda_limit(trace):
    # Council meets every Friday at noon, takes one item, and only items ready 3 days before.
    # Proposals 3 and 4 are ready at 00:00 Tue 9 Sep (before the Sep 12 deadline, noon Tue 9
    # Sep): 3 is decided on 12 Sep, 4 on 19 Sep. Proposal 5 is ready 00:00 Thu 11 Sep, too
    # late for 12 Sep, and behind 4 on 19 Sep: decided 26 Sep.
    decided = trace[(trace["kind"] == "approve") & (trace["step"] == "council")]
    by_proposal = dict(zip(decided["proposal"], decided["time"], strict=True))
    assert by_proposal == {
        3: noon(dt.date(2025, 9, 12)),
        4: noon(dt.date(2025, 9, 19)),
        5: noon(dt.date(2025, 9, 26)),
    }
    finished = trace[(trace["kind"] == "finish") & (trace["step"] == "council")]
    assert list(finished["time"]) == [day(dt.date(2025, 9, 9))] * 2 + [day(dt.date(2025, 9, 11))]


def test_revision_round_with_rework_in_calendar_days(trace):
    # p = 1 with max_rounds 1: exactly one revision. Review Fri 12 Sep (1 working day) ends
    # 00:00 Sat 13 Sep; 10 calendar days of rework: back 00:00 Tue 23 Sep; reviewed Tuesday.
    assert times(trace, 6) == [
        ("", "submit", 0, day(dt.date(2025, 9, 12))),
        ("owd", "arrive", 0, day(dt.date(2025, 9, 12))),
        ("owd", "start", 0, day(dt.date(2025, 9, 12))),
        ("owd", "finish", 0, day(dt.date(2025, 9, 13))),
        ("owd", "revise", 0, day(dt.date(2025, 9, 13))),
        ("owd", "arrive", 1, day(dt.date(2025, 9, 23))),
        ("owd", "start", 1, day(dt.date(2025, 9, 23))),
        ("owd", "finish", 1, day(dt.date(2025, 9, 24))),
        ("owd", "approve", 1, day(dt.date(2025, 9, 24))),
        ("", "approved", 0, day(dt.date(2025, 9, 24))),
    ]


def test_winter_break_and_level_condition(trace):
    # Submitted Mon 5 Jan 2026 in the break (20 Dec - 19 Jan); department works from Tue 20
    # Jan: Tue-Fri 4, Mon 26 5, Tue 27 6, half of Wed 28: noon 28 Jan. MC 2 days: noon Fri 30
    # Jan; first Wednesday of February is 4 Feb. OWD only reviews graduate proposals.
    assert times(trace, 7) == [
        ("", "submit", 0, day(dt.date(2026, 1, 5))),
        ("department", "arrive", 0, day(dt.date(2026, 1, 5))),
        ("department", "start", 0, day(dt.date(2026, 1, 5))),
        ("department", "finish", 0, noon(dt.date(2026, 1, 28))),
        ("department", "approve", 0, noon(dt.date(2026, 1, 28))),
        ("mc", "arrive", 0, noon(dt.date(2026, 1, 28))),
        ("mc", "start", 0, noon(dt.date(2026, 1, 28))),
        ("mc", "finish", 0, noon(dt.date(2026, 1, 30))),
        ("mc", "approve", 0, noon(dt.date(2026, 2, 4))),
        ("", "approved", 0, noon(dt.date(2026, 2, 4))),
    ]


# --- verification habits with random arrivals -----------------------------------------


def continuous_scenario(bodies: dict, pathway: list, per_year: float, years: float = 3):
    """One pathway on a continuous calendar (working time = calendar time)."""
    return small_scenario(name="habits", horizon_years=years, warmup_years=0.5,
                          per_year=per_year, bodies=bodies, pathways=pathway)


def visits(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per (proposal, step, round) with the time of each event kind as columns."""
    steps = frame[frame["step"] != ""]
    return steps.pivot_table(
        index=["proposal", "step", "round"], columns="kind", values="time", aggfunc="first"
    )


def cycle_days(frame: pd.DataFrame) -> pd.Series:
    """Approved time minus submit time, per approved proposal."""
    submitted = frame[frame["kind"] == "submit"].set_index("proposal")["time"]
    approved = frame[frame["kind"] == "approved"].set_index("proposal")["time"]
    return (approved - submitted.reindex(approved.index)).rename("cycle_days")


def test_unlimited_staff_means_no_queue_wait():
    bodies = {
        "office": {"kind": "office", "staff": 10_000,
                   "review_days": {"dist": "exponential", "mean": 20}},
        "panel": {"kind": "committee", "members": 10_000,
                  "review_days": {"dist": "lognormal", "mean": 15, "cv": 1.0},
                  "meets": {"every_weeks": 1, "weekday": "thu"}},
    }
    scenario = continuous_scenario(bodies, ["office", "panel"], per_year=400)
    table = visits(simulate(scenario, seed=5).to_frame())
    assert len(table) > 2000
    assert (table["start"] == table["arrive"]).all()


def test_fixed_times_on_continuous_calendar_sum_up():
    bodies = {
        name: {"kind": "office", "staff": 10_000, "review_days": review}
        for name, review in {"a": 2.5, "b": 1.25, "c": 4.0, "d": 0.5}.items()
    }
    pathway = [
        "a",
        {"parallel": ["b", "c"]},  # both at once: the longer one counts
        {"body": "d", "revise": {"p": 1.0, "max_rounds": 2, "rework_days": 3.0}},
    ]
    scenario = continuous_scenario(bodies, pathway, per_year=300)
    cycles = cycle_days(simulate(scenario, seed=11).to_frame())
    # a + max(b, c) + three reviews by d with two reworks between them.
    expected = 2.5 + max(1.25, 4.0) + 3 * 0.5 + 2 * 3.0
    assert len(cycles) > 500
    np.testing.assert_allclose(cycles.to_numpy(), expected, rtol=0, atol=1e-9)


def test_more_staff_never_raises_mean_cycle_beyond_noise():
    def scenario(staff: int) -> Scenario:
        body = {"kind": "office", "staff": staff,
                "review_days": {"dist": "gamma", "mean": 1.0, "cv": 1.5}}
        return continuous_scenario({"desk": body}, ["desk"], per_year=0.85 * 365, years=2)

    replications = 8
    means = np.array([
        [cycle_days(simulate(scenario(staff), seed=3, rep=rep).to_frame()).mean()
         for rep in range(replications)]
        for staff in (1, 2, 3)
    ])
    for fewer, more in ((0, 1), (1, 2)):
        differences = means[more] - means[fewer]  # paired: same seeds, same arrivals
        noise = 3.0 * differences.std(ddof=1) / math.sqrt(replications)
        assert differences.mean() <= noise
    # A second reviewer at 85% load must help a lot (M/G/1 mean cycle here is ~10 days).
    assert (means[1] < means[0]).all()


def test_submit_is_checked_and_logs_like_an_arrival():
    scenario = academic_scenario()
    model = Model(scenario, seed=1)
    with pytest.raises(ValueError, match="unknown pathway"):
        model.submit(Proposal(0, "nowhere", ""), 1.0)
    with pytest.raises(ValueError, match="must be a day >= now"):
        model.submit(Proposal(0, "office_only", ""), -1.0)
    journey = model.submit(Proposal(0, "office_only", ""), day(dt.date(2025, 9, 2)))
    model.env.run(until=journey)
    kinds = [event.kind for event in model.event_log()]
    assert kinds == ["submit", "arrive", "start", "finish", "approve", "approved"]
