"""Per-replication summaries pooled into tables give the tables the event logs give.

Counts and cycle-time statistics must be identical (the same values pooled in the same
order); mean durations may differ only by the order of floating-point sums.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simlib.engine.eventlog import events_frame
from simlib.engine.model import simulate
from simlib.metrics import calendar as calendar_metrics
from simlib.metrics import events as metrics
from simlib.metrics import pooled
from simlib.metrics.summary import summarise
from simlib.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
REPLICATIONS = 6


def _cases():
    base = load_scenario(SCENARIOS / "baseline.yaml")
    yield "baseline", base
    yield "parallel", load_scenario(SCENARIOS / "parallel-senate-review.yaml")
    # withdrawals, and revisions so likely that some proposals are still going round when
    # the drain period ends (open visits and running reviews at the end of the log)
    yield "withdraw-open", base.variant({"pathways.noncredit.owd_initial.withdraw_p": 0.2,
                                         "pathways.credit.mc.revise.p": 0.995,
                                         "horizon_years": 2.0, "warmup_years": 0.5})


@pytest.fixture(scope="module", params=list(_cases()), ids=lambda case: case[0])
def case(request):
    _, scenario = request.param
    logs = [simulate(scenario, 11, k) for k in range(REPLICATIONS)]
    return scenario, events_frame(logs), [summarise(log, scenario) for log in logs]


def test_cycle_table_is_identical(case):
    scenario, events, summaries = case
    expected = metrics.cycle_summary(events, scenario, REPLICATIONS)
    pd.testing.assert_frame_equal(pooled.cycle_table(summaries, scenario), expected,
                                  check_exact=True)


def test_body_step_sla_and_load_tables_match(case):
    scenario, events, summaries = case
    visits = metrics.visits(events, scenario)
    bodies = metrics.utilization(events, scenario, REPLICATIONS).join(
        metrics.visit_summary(visits, scenario, "body"))
    pairs = [
        (pooled.body_table(summaries, scenario), bodies),
        (pooled.step_table(summaries, scenario), metrics.visit_summary(visits, scenario, "step")),
        (pooled.load_table(summaries, scenario),
         calendar_metrics.body_load(events, scenario, REPLICATIONS)),
    ]
    for pooled_table, expected in pairs:
        pd.testing.assert_frame_equal(pooled_table, expected, check_exact=False, rtol=1e-12)
    pd.testing.assert_frame_equal(pooled.sla_table(summaries, scenario),
                                  metrics.sla_from_visits(visits, scenario), check_exact=True)


def test_open_work_is_counted(case):
    name_is_cut = case[0].horizon_years == 2.0
    scenario, _, summaries = case
    table = pooled.cycle_table(summaries, scenario)
    if name_is_cut:
        assert table["in_progress"].sum() > 0 and table["withdrawn"].sum() > 0
    assert (table["approved"] > 0).all()
