"""A simulated run exported as an office would export its record: one row per visit, open
visits at the export date, nothing from after it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from simlib.engine.model import simulate
from simlib.records.history import COLUMNS, history_from_events, simulated_history
from simlib.scenario import load_scenario

BASELINE = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml")


def test_every_arrival_is_one_row_decided_by_its_step_and_rounds_decision():
    log = simulate(BASELINE, 7, 0)
    events = log.to_frame()
    end = events["date"].max().date()
    history = history_from_events(log, end)
    visits = history.visits
    # the record is of the approval pipeline: up to each proposal's approval
    approved = (events["kind"] == "approved").groupby(events["proposal"]).cumsum()
    events = events[approved.to_numpy() == 0]
    assert len(visits) == (events["kind"] == "arrive").sum()
    assert not visits["decided"].isna().any()  # the run drains: every visit is decided
    assert (visits["decided"] >= visits["arrived"]).all()
    decisions = events[events["kind"].isin(["approve", "revise", "withdraw"])]["kind"]
    assert visits["decision"].value_counts().to_dict() == decisions.value_counts().to_dict()
    assert history.proposals == (events["kind"] == "submit").sum()
    assert list(history.to_frame().columns) == list(COLUMNS)
    assert visits["row"].tolist() == list(range(2, len(visits) + 2))


def test_nothing_after_the_export_date_is_known():
    history = simulated_history(BASELINE, 7)
    as_of = pd.Timestamp(history.as_of)
    assert history.as_of == BASELINE.calendar.start + dt.timedelta(
        days=int(BASELINE.horizon_days))
    visits = history.visits
    assert (visits["arrived"] <= as_of).all() and (visits["decided"].dropna() <= as_of).all()
    open_visits = history.open_visits
    assert len(open_visits) > 0 and (open_visits["decision"] == "").all()
    # at most one open visit per proposal on the baseline (its steps run one after another)
    assert open_visits["proposal"].is_unique


def test_a_proposals_rows_follow_its_pathway_and_ids_follow_submission():
    history = simulated_history(BASELINE, 7)
    visits = history.visits
    first = visits.groupby("proposal")["arrived"].min()
    assert first.sort_index().is_monotonic_increasing  # P00001 was submitted first
    order = {pathway: [step.name or step.body for step in steps]
             for pathway, steps in BASELINE.pathways.items()}
    for (proposal, pathway), rows in visits.groupby(["proposal", "pathway"]):
        steps = rows["step"].drop_duplicates().tolist()
        positions = [order[pathway].index(step) for step in steps]
        assert positions == sorted(positions), proposal
