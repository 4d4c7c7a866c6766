"""Probes (ghost proposals) and the pipeline (proposals in progress at time 0).

A probe waits behind the proposals ahead of it and delays nobody, so the real proposals'
events are bit-identical with or without probes. Exact traces use fixed durations on a
continuous calendar that starts on Monday 6 January 2025 (day 0), so a weekly Wednesday
meeting is at noon on days 2.5, 9.5, 16.5, ...; every expected time is worked out by hand.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
import simpy
from support.scenarios import BASE, exponential, office, small_scenario
from support.theory import one_body_scenario

from simlib.engine.model import InProgress, Model, Probe, Proposal, simulate
from simlib.scenario import Scenario, load_scenario, validate_scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
WEEKLY = {"every_weeks": 1, "weekday": "wed"}  # noon on days 2.5, 9.5, 16.5, ...


def continuous(bodies: dict, pathways: dict, per_year: float = 0.0) -> Scenario:
    """Fixed-duration bodies on a continuous calendar; Poisson demand on the first pathway."""
    return small_scenario(name="probes", warmup_years=0, per_year={next(iter(pathways)): per_year},
                          bodies=bodies, pathways=pathways)


def run(scenario: Scenario, real: list[tuple[float, str]] = (), probes: tuple = (),
        pipeline: tuple = ()) -> pd.DataFrame:
    """Events of one run with real proposals injected at (time, pathway), numbered after
    the pipeline's, plus ``probes`` and ``pipeline``."""
    model = Model(scenario, seed=1, probes=probes, pipeline=pipeline)
    for index, (time, pathway) in enumerate(real, start=len(pipeline)):
        model.submit(Proposal(index, pathway, ""), time)
    model.run()
    return model.event_log().to_frame()


def times(frame: pd.DataFrame, proposal: int) -> list[tuple[str, str, int, float]]:
    """(step, kind, round, time) of one proposal's events, in order."""
    rows = frame[frame["proposal"] == proposal]
    return list(zip(rows["step"], rows["kind"], rows["round"], rows["time"], strict=True))


def real_rows(rows: tuple) -> tuple:
    """The raw rows of real proposals (ids >= 0)."""
    return tuple(row for row in rows if row[0] >= 0)


def every(days: float, until: float, pathways: list[tuple[str, str]]) -> tuple[Probe, ...]:
    """Probes of each (pathway, level) every ``days`` days from day 0 to ``until``."""
    count = int(until / days)
    return tuple(Probe(k * days, pathway, level)
                 for k in range(count) for pathway, level in pathways)


# --- no probes, no pipeline: the plain engine --------------------------------------------


def test_without_probes_or_pipeline_the_run_is_the_plain_one():
    scenario = load_scenario(BASELINE)
    plain = simulate(scenario, 5, 2).rows
    assert simulate(scenario, 5, 2, probes=(), pipeline=()).rows == plain
    model = Model(scenario, 5, 2)
    assert tuple(model.run()) == plain
    # No ghost machinery and no probe stream at all when there are no probes; the office
    # that also works after approval queues by priority.
    queues = {name: type(body.reviewers) for name, body in model.bodies.items()
              if hasattr(body, "reviewers")}
    assert queues.pop("owd") is simpy.PreemptiveResource
    assert all(queue is simpy.Resource for queue in queues.values())
    assert not [name for name in model.streams._issued if name.startswith("probe.")]


# --- probes change nothing for real proposals --------------------------------------------


@pytest.mark.slow
def test_probes_leave_the_baseline_real_events_bit_identical():
    scenario = load_scenario(BASELINE)
    probes = every(5.0, 6 * 365, [("credit", "graduate"), ("credit", "undergraduate"),
                                  ("noncredit", "")])
    for rep in range(2):
        plain = simulate(scenario, rep=rep).rows
        with_probes = simulate(scenario, rep=rep, probes=probes).rows
        assert real_rows(with_probes) == plain
        assert len(with_probes) > len(plain)


def test_probes_leave_a_busy_single_office_bit_identical():
    # M/M/1 at load 0.9: long queues, so the probes really do wait behind real proposals.
    scenario = one_body_scenario(0.9, office(1, exponential(1.0)), years=2)
    probes = every(0.7, 2 * 365, [("p", "")])
    plain = simulate(scenario, 3).rows
    log = simulate(scenario, 3, probes=probes)
    assert real_rows(log.rows) == plain
    frame = log.to_frame()
    ghosts = frame[frame["proposal"] < 0].pivot_table(
        index="proposal", columns="kind", values="time")
    assert (ghosts["start"] - ghosts["arrive"]).mean() > 2.0  # they queued


@pytest.mark.slow
def test_probes_never_reorder_real_events_at_the_same_instant():
    # Fixed durations on an academic calendar with agenda limits, cancellations, revisions
    # and withdrawals: many events share a time, so any reordering would show (decision
    # streams are drawn in event order).
    data = copy.deepcopy(BASE)
    data["horizon_years"] = 2
    for name, days in {"department": 1, "dean": 2, "mc": 1, "owd": 0.5}.items():
        data["bodies"][name]["review_days"] = days
    data["bodies"]["owd"]["staff"] = 1
    data["bodies"]["mc"].update(agenda_limit=2, cancel_p=0.2)
    data["demand"]["credit"]["per_year"] = 60
    data["pathways"]["credit"][0] = {"body": "department", "withdraw_p": 0.05,
                                     "revise": {"p": 0.3, "rework_days": 7}}
    scenario = validate_scenario(data, "<ties>")
    probes = every(0.5, 700, [("credit", "graduate"), ("noncredit", "")])
    plain = simulate(scenario, 3, 1).rows
    assert len(plain) - len({row[6] for row in plain}) > 1000  # many tied times
    assert real_rows(simulate(scenario, 3, 1, probes=probes).rows) == plain


def test_probe_ids_are_negative_and_every_probe_leaves():
    scenario = validate_scenario(copy.deepcopy(BASE), "<base>")  # MC withdraws 5%
    probes = every(3.0, 700, [("credit", "graduate"), ("credit", "undergraduate"),
                              ("noncredit", "")])
    frame = simulate(scenario, 8, probes=probes).to_frame()
    ghosts = frame[frame["proposal"] < 0]
    submitted = ghosts[ghosts["kind"] == "submit"]
    assert sorted(submitted["proposal"]) == list(range(-len(probes), 0))
    assert list(submitted["pathway"]) == [probe.pathway for probe in probes]
    assert list(submitted["time"]) == [probe.time for probe in probes]
    outcomes = ghosts[ghosts["kind"].isin(["approved", "withdrawn"])]
    assert sorted(outcomes["proposal"]) == sorted(submitted["proposal"])
    assert {"approved", "withdrawn"} <= set(outcomes["kind"])
    assert set(ghosts["kind"]) >= {"arrive", "start", "finish", "approve", "revise"}


# --- exact traces --------------------------------------------------------------------------


def test_probe_queues_at_an_office_but_delays_nobody():
    # One reviewer, 2 days: real 0 holds it 0-2. The probe (at 1) and real 1 (at 1.5) both
    # get it at 2, when 0 is done: the probe's turn comes first, but it holds nothing.
    scenario = continuous({"desk": office(1, 2.0)}, {"p": ["desk"]})
    probe = (Probe(1.0, "p"),)
    frame = run(scenario, [(0.0, "p"), (1.5, "p")], probes=probe)
    kinds = ["submit", "arrive", "start", "finish", "approve", "approved"]
    expected = {-1: [1.0, 1.0, 2.0, 4.0, 4.0, 4.0], 1: [1.5, 1.5, 2.0, 4.0, 4.0, 4.0]}
    for proposal, event_times in expected.items():
        logged = [(kind, time) for _, kind, _, time in times(frame, proposal)]
        assert logged == list(zip(kinds, event_times, strict=True))
    plain = run(scenario, [(0.0, "p"), (1.5, "p")])
    pd.testing.assert_frame_equal(
        frame[frame["proposal"] >= 0].reset_index(drop=True), plain.reset_index(drop=True))


def test_probe_gets_the_meeting_it_would_have_had_as_a_real_item():
    # Agenda limit 1. Reals 0 and 1 (day 0) are read by day 1; the probe (day 0.5) by 1.5,
    # after both; real 2 (day 1) by day 2, after the probe. Meeting 2.5 decides 0 with 2
    # reals ahead of the probe, 9.5 decides 1 with 1 still ahead, 16.5 has none ahead: the
    # probe is decided there. It never counted against the limit: real 2 is decided at 16.5
    # too, as without the probe.
    panel = {"kind": "committee", "members": 3, "review_days": 1, "meets": WEEKLY,
             "agenda_limit": 1}
    scenario = continuous({"panel": panel}, {"p": ["panel"]})
    real = [(0.0, "p"), (0.0, "p"), (1.0, "p")]
    frame = run(scenario, real, probes=(Probe(0.5, "p"),))
    decided = frame[frame["kind"] == "approve"].set_index("proposal")["time"]
    assert decided.to_dict() == {0: 2.5, 1: 9.5, -1: 16.5, 2: 16.5}
    assert times(frame, -1)[2:4] == [("panel", "start", 0, 0.5), ("panel", "finish", 0, 1.5)]
    plain = run(scenario, real)
    assert plain[plain["kind"] == "approve"].set_index("proposal")["time"].to_dict() == {
        0: 2.5, 1: 9.5, 2: 16.5}


def test_probe_alone_takes_the_sum_of_its_fixed_times_and_meeting_waits():
    # Office a 2 days (0-2), panel read 1 day (2-3) misses the 2.5 meeting and waits 6.5
    # days for 9.5, office b 0.5 (9.5-10) asks for a revision, 3 days of rework (10-13), b
    # again 0.5: approved at 13.5 = 2 + 1 + 6.5 + 0.5 + 3 + 0.5.
    bodies = {"a": office(1, 2.0), "b": office(1, 0.5),
              "panel": {"kind": "committee", "members": 1, "review_days": 1, "meets": WEEKLY}}
    pathway = ["a", "panel",
               {"body": "b", "revise": {"p": 1.0, "max_rounds": 1, "rework_days": 3.0}}]
    scenario = continuous(bodies, {"p": pathway})
    frame = run(scenario, probes=(Probe(0.0, "p"),))
    assert [(step, kind, time) for step, kind, _, time in times(frame, -1)] == [
        ("", "submit", 0.0),
        ("a", "arrive", 0.0), ("a", "start", 0.0), ("a", "finish", 2.0), ("a", "approve", 2.0),
        ("panel", "arrive", 2.0), ("panel", "start", 2.0), ("panel", "finish", 3.0),
        ("panel", "approve", 9.5),
        ("b", "arrive", 9.5), ("b", "start", 9.5), ("b", "finish", 10.0), ("b", "revise", 10.0),
        ("b", "arrive", 13.0), ("b", "start", 13.0), ("b", "finish", 13.5),
        ("b", "approve", 13.5),
        ("", "approved", 13.5),
    ]
    assert frame[frame["kind"] == "approved"]["time"].item() == 2 + 1 + 6.5 + 0.5 + 3 + 0.5
    assert times(run(scenario, [(0.0, "p")]), 0)[1:] == times(frame, -1)[1:]  # as a real one


def test_probes_draw_only_from_their_own_streams():
    scenario = load_scenario(BASELINE)
    model = Model(scenario, 1, probes=(Probe(10.0, "credit", "graduate"),) * 2)
    model.run()
    probe_streams = {name for name in model.streams._issued if name.startswith("probe.")}
    assert probe_streams == {"probe.credit.graduate.10.0"}  # one stream per submission time


def test_a_probes_journey_does_not_depend_on_the_other_probes():
    """Common random numbers across plans: the probes submitted at one time travel exactly
    as they would alone, whichever other probes (earlier, later, other pathways) ride
    along, so two plans sharing a date agree on it."""
    scenario = load_scenario(BASELINE)
    mine = (Probe(400.375, "credit", "graduate"),) * 3
    others = (Probe(380.375, "credit", "graduate"), Probe(401.375, "noncredit", ""),
              Probe(500.375, "credit", "undergraduate"))

    def journeys(probes):
        rows = simulate(scenario, 7, 2, probes=probes).rows
        ids = {-(index + 1) for index, probe in enumerate(probes) if probe in mine}
        return sorted(row[1:] for row in rows if row[0] in ids)

    alone = journeys(mine)
    assert len(alone) > 3 * 10  # arrive, start, finish, decision at several steps
    assert journeys(others + mine) == alone
    assert journeys(mine + others) == alone


# --- the pipeline ---------------------------------------------------------------------------


def three_offices(per_year: float = 0.0) -> Scenario:
    """department (5 days) -> dean (3) -> owd (1), one reviewer each, continuous calendar."""
    bodies = {"department": office(1, 5.0), "dean": office(1, 3.0), "owd": office(1, 1.0)}
    return continuous(bodies, {"credit": ["department", "dean", "owd"]}, per_year)


def test_pipeline_entry_at_the_last_step_finishes_first():
    pipeline = (
        InProgress("credit", "", -40.0, "department", -10.0),
        InProgress("credit", "", -60.0, "dean", -3.0),
        InProgress("credit", "", -90.0, "owd", -1.0),
    )
    frame = simulate(three_offices(per_year=100), 4, pipeline=pipeline).to_frame()
    left = frame[frame["kind"] == "approved"]
    assert list(left["proposal"][:3]) == [2, 1, 0]
    # owd 0-1; dean 0-3 then owd 3-4; department 0-5, dean 5-8, owd 8-9.
    assert list(left["time"][:3]) == [1.0, 4.0, 9.0]
    assert times(frame, 1)[:3] == [("", "submit", 0, -60.0), ("dean", "arrive", 0, 0.0),
                                   ("dean", "start", 0, 0.0)]
    submitted = frame[frame["kind"] == "submit"]
    assert list(submitted["time"][:3]) == [-40.0, -60.0, -90.0]
    arrivals = submitted[submitted["time"] > 0]
    assert len(arrivals) > 50 and arrivals["proposal"].min() == 3  # numbered after the pipeline
    first_arrival = frame[frame["proposal"] == 3]
    assert first_arrival[first_arrival["kind"] == "start"]["time"].iloc[0] >= 5.0  # behind 0


def test_pipeline_entries_queue_in_order_of_since():
    pipeline = tuple(InProgress("credit", "", since - 1.0, "department", since)
                     for since in (-2.0, -8.0, -5.0))
    frame = run(three_offices(), pipeline=pipeline)
    starts = frame[(frame["kind"] == "start") & (frame["step"] == "department")]
    assert list(zip(starts["proposal"], starts["time"], strict=True)) == [
        (1, 0.0), (2, 5.0), (0, 10.0)]


def test_pipeline_entry_keeps_its_revision_round():
    bodies = {"desk": office(1, 1.0)}
    pathway = [{"body": "desk", "revise": {"p": 1.0, "max_rounds": 1, "rework_days": 2.0}}]
    scenario = continuous(bodies, {"p": pathway})
    pipeline = (InProgress("p", "", -5.0, "desk", -1.0, round=1),
                InProgress("p", "", -5.0, "desk", -0.5))
    frame = run(scenario, pipeline=pipeline)
    # Round 1 is the last allowed: approved. Round 0 (queued second): 1-2, revise, rework
    # 2-4, round 1 4-5, approved.
    assert times(frame, 0) == [
        ("", "submit", 0, -5.0),
        ("desk", "arrive", 1, 0.0),
        ("desk", "start", 1, 0.0),
        ("desk", "finish", 1, 1.0),
        ("desk", "approve", 1, 1.0),
        ("", "approved", 0, 1.0),
    ]
    assert [(kind, round_, time) for _, kind, round_, time in times(frame, 1)[1:]] == [
        ("arrive", 0, 0.0), ("start", 0, 1.0), ("finish", 0, 2.0), ("revise", 0, 2.0),
        ("arrive", 1, 4.0), ("start", 1, 4.0), ("finish", 1, 5.0), ("approve", 1, 5.0),
        ("approved", 0, 5.0),
    ]


def test_pipeline_entry_in_a_parallel_group_runs_the_whole_group_in_its_turn():
    # Entry 0 (since -5) is in the parallel group at c; entry 1 (since -3) at the final c
    # step. Both queue for c at time 0, entry 0 first although its branch starts in a
    # process of its own: c 0-4 for entry 0 (b 0-2 alongside), 4-8 for entry 1.
    bodies = {name: office(1, days) for name, days in {"a": 1.0, "b": 2.0, "c": 4.0}.items()}
    pathway = ["a", {"parallel": ["b", "c"]}, {"body": "c", "name": "c_final"}]
    scenario = continuous(bodies, {"p": pathway})
    pipeline = (InProgress("p", "", -9.0, "c", -5.0), InProgress("p", "", -9.0, "c_final", -3.0))
    frame = run(scenario, pipeline=pipeline)
    arrived = frame[(frame["kind"] == "arrive") & (frame["time"] == 0.0)]
    assert sorted(zip(arrived["proposal"], arrived["step"], strict=True)) == [
        (0, "b"), (0, "c"), (1, "c_final")]
    starts = frame[(frame["kind"] == "start") & (frame["body"] == "c")]
    assert list(zip(starts["proposal"], starts["step"], starts["time"], strict=True)) == [
        (0, "c", 0.0), (1, "c_final", 4.0), (0, "c_final", 8.0)]
    left = frame[frame["kind"] == "approved"].set_index("proposal")["time"]
    assert left.to_dict() == {1: 8.0, 0: 12.0}


def test_pipeline_and_probe_inputs_are_checked():
    scenario = load_scenario(BASELINE)
    with pytest.raises(ValueError, match=r"unknown step 'owd_last'.*owd_initial, mc, owd_final"):
        Model(scenario, 1, pipeline=(InProgress("noncredit", "", -9.0, "owd_last", -1.0),))
    with pytest.raises(ValueError, match=r"unknown pathway 'badges'.*credit, noncredit"):
        simulate(scenario, pipeline=(InProgress("badges", "", -9.0, "mc", -1.0),))
    with pytest.raises(ValueError, match=r"unknown pathway 'crdit'"):
        simulate(scenario, probes=(Probe(3.0, "crdit", "graduate"),))
    with pytest.raises(ValueError, match=r"unknown level 'grad'.*graduate, undergraduate"):
        simulate(scenario, probes=(Probe(3.0, "credit", "grad"),))
    with pytest.raises(ValueError, match=r"'grad_council' is not for level 'undergraduate'"):
        simulate(scenario, pipeline=(
            InProgress("credit", "undergraduate", -9.0, "grad_council", -1.0),))
    with pytest.raises(ValueError, match="submitted <= since <= 0"):
        InProgress("credit", "graduate", -1.0, "mc", -5.0)
    with pytest.raises(ValueError, match="day >= 0"):
        Probe(-1.0, "credit", "graduate")


def test_same_seed_same_rows_with_probes_and_pipeline():
    scenario = load_scenario(BASELINE)
    probes = every(30.0, 700, [("credit", "graduate"), ("noncredit", "")])
    pipeline = (InProgress("credit", "graduate", -80.0, "mc", -6.0, round=1),
                InProgress("noncredit", "", -20.0, "owd_initial", -2.0),
                InProgress("credit", "undergraduate", -200.0, "ug_education", -30.0))
    first = simulate(scenario, 12, 1, probes=probes, pipeline=pipeline).rows
    assert first == simulate(scenario, 12, 1, probes=probes, pipeline=pipeline).rows
    assert {row[0] for row in first if row[5] == "approved"} >= {0, 1, 2}


GOVERNED = {  # every governance lever at once, on the baseline
    "demand.credit.attributes": {"size": {"minor": 0.4, "major": 0.6}},
    "demand.noncredit.attributes": {"size": {"minor": 0.5, "major": 0.5}},
    "bodies.mc.evote": {"p": 0.5, "within_days": 5, "when": {"size": "minor"}},
    "bodies.mc.delegate": {"when": {"round_at_least": 1}, "review_days": 2},
    "bodies.fs_program_review.consent": {"when": {"size": "minor"}, "pull_p": 0.2},
    "bodies.grad_council.table_p": 0.2,
    "bodies.fs_executive.meets.outside_terms": True,
    "summer_authority": {"body": "fs_executive", "for": ["fs_program_review"]},
    "pathways.credit.fs_executive.skip_when": {"size": "minor"},
}


def test_probes_leave_a_governed_pipeline_bit_identical():
    # E-votes, delegation, consent, tabling, summer authority and a fast track all decide
    # probes with the probes' own draws: the real events and the work done stay the same.
    scenario = load_scenario(BASELINE).variant(GOVERNED)
    probes = every(7.0, 6 * 365, [("credit", "graduate"), ("noncredit", "")])
    for rep in range(2):
        plain = Model(scenario, 1, rep)
        plain.run()
        probed = Model(scenario, 1, rep, probes=probes)
        probed.run()
        assert real_rows(tuple(probed.rows)) == tuple(plain.rows)
        # the probes keep the run going after the last real proposal has left
        assert [w for w in probed.work if w[2] <= plain.env.now] == plain.work
        ghosts = {row[0] for row in probed.rows if row[0] < 0 and row[5] == "approved"}
        assert len(ghosts) > 0.9 * len(probes)


def test_probe_on_consent_passes_at_the_meeting_a_real_consent_item_would():
    # Agenda limit 1, consent for minor items that nobody pulls. Two real major items fill
    # the agenda of 2.5 and 9.5; a minor probe ready by 2.5 passes on consent at 2.5.
    panel = {"kind": "committee", "members": 3, "review_days": 1, "meets": WEEKLY,
             "agenda_limit": 1, "consent": {"when": {"size": "minor"}, "pull_p": 0.0}}
    scenario = small_scenario(
        name="probes", warmup_years=0, per_year={"p": 0.0}, bodies={"panel": panel},
        pathways={"p": ["panel"]},
        demand={"p": {"per_year": 0, "attributes": {"size": {"minor": 1.0}}}})
    model = Model(scenario, seed=1, probes=(Probe(0.5, "p"),))
    for index in range(2):
        model.submit(Proposal(index, "p", "", {"size": "major"}), 0.0)
    model.run()
    frame = model.event_log().to_frame()
    decided = frame[frame["kind"] == "approve"].set_index("proposal")["time"]
    assert decided.to_dict() == {0: 2.5, -1: 2.5, 1: 9.5}


def test_probe_decided_with_real_items_follows_them_to_the_next_desk():
    # Real 0 (day 0) and the probe (day 0.5) are read by 1.0 and 1.5 and decided at the
    # meeting of 2.5; the real item joined the agenda first, so it reaches the one-reviewer
    # desk first (2.5 to 3.5) and the probe waits behind it, as a real item would: 3.5 to 4.5.
    panel = {"kind": "committee", "members": 3, "review_days": 1, "meets": WEEKLY}
    scenario = continuous({"panel": panel, "desk": office(1, 1.0)}, {"p": ["panel", "desk"]})
    frame = run(scenario, [(0.0, "p")], probes=(Probe(0.5, "p"),))
    assert times(frame, 0)[-4:-1] == [("desk", "start", 0, 2.5), ("desk", "finish", 0, 3.5),
                                      ("desk", "approve", 0, 3.5)]
    assert times(frame, -1)[-4:-1] == [("desk", "start", 0, 3.5), ("desk", "finish", 0, 4.5),
                                       ("desk", "approve", 0, 4.5)]
