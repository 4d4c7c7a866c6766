"""Small hand-built event logs whose metrics are worked out by hand, and the scenario they
belong to."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from simlib.engine.eventlog import EventLog, events_frame

from .scenarios import committee, office, small_scenario

START = dt.date(2025, 1, 6)


def make_scenario(**changes):
    """A one-year continuous scenario: office ``desk`` (fixed 3-day reviews) then committee
    ``board`` (SLA 14 days, revision half the time); ``changes`` replace top-level keys.

    Warm-up is 0.1 years = 36.5 days, so the measured window is [36.5, 365], 328.5 days.
    """
    return small_scenario(**{
        "start": START.isoformat(), "warmup_years": 0.1, "per_year": 10, "sla_days": 14,
        "revise": {"p": 0.5, "rework_days": 5},
        "bodies": {"desk": office(1, 3), "board": committee(2, 2)}, **changes})


def visit(proposal, step, arrive, start, finish, decided=None, decision="approve", round_=0):
    """Raw rows of one round at a step (body = step); ``decided`` None = still open."""
    rows = [(proposal, "p", "", step, step, "arrive", arrive, round_)]
    if start is not None:
        rows.append((proposal, "p", "", step, step, "start", start, round_))
    if finish is not None:
        rows.append((proposal, "p", "", step, step, "finish", finish, round_))
    if decided is not None:
        rows.append((proposal, "p", "", step, step, decision, decided, round_))
    return rows


def edge(proposal, kind, time):
    """A submit / approved / withdrawn row."""
    return [(proposal, "p", "", "", "", kind, time, 0)]


def hand_events() -> pd.DataFrame:
    """Two replications; answers are worked out in the tests below.

    Replication 0: proposal 0 is submitted in the warm-up (day 10); proposal 1 is revised
    once by the board and approved (cycle 27.5 days); proposal 2 is withdrawn at the board;
    proposal 3 is still at the desk when the run ends. Replication 1: proposal 0 approved
    after 9.5 days.
    """
    rep0 = (
        edge(0, "submit", 10) + visit(0, "desk", 10, 10, 40, 40)
        + visit(0, "board", 40, 40, 42, 42.5) + edge(0, "approved", 42.5)
        + edge(1, "submit", 50) + visit(1, "desk", 50, 52, 55, 55)
        + visit(1, "board", 55, 56, 60, 63.5, "revise")
        + visit(1, "board", 70.5, 70.5, 75, 77.5, round_=1) + edge(1, "approved", 77.5)
        + edge(2, "submit", 100) + visit(2, "desk", 100, 100, 110, 110)
        + visit(2, "board", 110, 111, 120, 133.5, "withdraw") + edge(2, "withdrawn", 133.5)
        + edge(3, "submit", 360) + visit(3, "desk", 360, 360, 370)
    )
    rep1 = (
        edge(0, "submit", 40) + visit(0, "desk", 40, 40, 44, 44)
        + visit(0, "board", 44, 44, 46, 49.5) + edge(0, "approved", 49.5)
    )
    logs = [EventLog(tuple(rep0), 0, START, "tiny"), EventLog(tuple(rep1), 1, START, "tiny")]
    return events_frame(logs)


