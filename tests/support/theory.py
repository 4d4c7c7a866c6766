"""Closed-form queueing results the engine is checked against (tests and theory sweep).

All times are days; rates are per day. Each function is the textbook formula, written out:
M/M/c mean time in system via Erlang C, M/G/1 via Pollaczek-Khinchine, and a single
M/M/1 office with Bernoulli feedback through a rework delay via a Jackson network.
"""

from __future__ import annotations

import math

import pandas as pd

from simlib.engine.model import simulate
from simlib.scenario import Scenario

from .scenarios import small_scenario


def erlang_c_sojourn(arrival_rate: float, service_mean: float, servers: int) -> float:
    """Mean time in system (days) of an M/M/c queue (Erlang C waiting + service)."""
    offered = arrival_rate * service_mean
    if offered >= servers:
        raise ValueError(f"unstable queue: offered load {offered:g} >= {servers} servers")
    head = sum(offered**k / math.factorial(k) for k in range(servers))
    tail = offered**servers / math.factorial(servers) / (1.0 - offered / servers)
    wait_probability = tail / (head + tail)
    return wait_probability / (servers / service_mean - arrival_rate) + service_mean


def feedback_sojourn(arrival_rate: float, service_mean: float, p: float, rework: float) -> float:
    """Mean time (days) through an M/M/1 office with Bernoulli feedback via a rework delay.

    Jackson network: the office sees lambda / (1 - p); a proposal visits it 1 / (1 - p)
    times on average and is reworked (infinite-server delay of mean ``rework``) between
    consecutive visits.
    """
    visits = 1.0 / (1.0 - p)
    effective_rate = arrival_rate * visits
    if effective_rate * service_mean >= 1.0:
        raise ValueError("unstable queue: effective load >= 1")
    per_visit = 1.0 / (1.0 / service_mean - effective_rate)
    return visits * per_visit + (visits - 1.0) * rework


def pollaczek_khinchine_sojourn(arrival_rate: float, service_mean: float, cv: float) -> float:
    """Mean time in system (days) of an M/G/1 queue with service mean and cv."""
    load = arrival_rate * service_mean
    if load >= 1.0:
        raise ValueError(f"unstable queue: load {load:g} >= 1")
    return load * service_mean * (1.0 + cv * cv) / (2.0 * (1.0 - load)) + service_mean


def one_body_scenario(
    per_day: float, body: dict, years: float, step: dict | None = None, warmup_years: float = 1.0
) -> Scenario:
    """One pathway visiting one body ``desk`` on a continuous calendar, Poisson demand."""
    return small_scenario(name="theory", horizon_years=years, warmup_years=warmup_years,
                          per_year=per_day * 365.0, bodies={"desk": body},
                          pathways=[{"body": "desk", **(step or {})}])


def cycle_days_after_warmup(job: tuple[Scenario, int, int]) -> pd.Series:
    """Cycle days of each proposal submitted after warm-up in replication ``(scenario, seed,
    rep)``, indexed by proposal (NaN for one that did not finish); picklable for pools."""
    scenario, seed, rep = job
    frame = simulate(scenario, seed, rep).to_frame()
    submitted = frame[frame["kind"] == "submit"].set_index("proposal")["time"]
    approved = frame[frame["kind"] == "approved"].set_index("proposal")["time"]
    kept = submitted[submitted >= scenario.warmup_days]
    return approved.reindex(kept.index) - kept
