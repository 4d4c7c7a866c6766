"""The engine against queueing theory, over seeded independent replications.

Each check runs one office (or committee) on a continuous calendar (every day works, so
working time is calendar time) with Poisson demand, and compares the mean cycle time of
proposals submitted after the warm-up with the closed-form value. The tolerance comes from
the replications themselves: theory must lie inside mean +- 3 standard errors of the
per-replication means, and that interval must be narrow enough for the check to mean
something. The distributions are checked against their requested mean and cv directly.
"""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from support.scenarios import exponential, office
from support.theory import (
    cycle_days_after_warmup,
    erlang_c_sojourn,
    feedback_sojourn,
    pollaczek_khinchine_sojourn,
)
from support.theory import one_body_scenario as theory_scenario

from simlib.engine.distributions import duration_sampler, inverse_cdf
from simlib.engine.randomness import generator
from simlib.scenario import Distribution, Scenario

SEED = 20250825
Z = 3.0  # theory must lie within Z standard errors of the simulated mean
MAX_HALF_WIDTH = 0.12  # ... and Z standard errors must be under 12% of theory (a real check)
REPLICATIONS = 16


# --- simulation -----------------------------------------------------------------------


def one_body_scenario(per_day: float, body: dict, years: float, step: dict | None = None):
    """One body on a continuous calendar; half a year of warm-up."""
    return theory_scenario(per_day, body, years, step, warmup_years=0.5)



def mean_cycle_days(job: tuple[Scenario, int, int]) -> float:
    """Mean cycle time (days) of one replication, over proposals submitted after warm-up."""
    cycle = cycle_days_after_warmup(job)
    assert len(cycle) > 100 and not cycle.isna().any()
    return float(cycle.mean())


@pytest.fixture(scope="module")
def pool():
    """Two worker processes shared by the replications of this module."""
    with ProcessPoolExecutor(2) as executor:
        yield executor


def assert_matches_theory(pool, scenario: Scenario, theory: float, replications: int) -> None:
    """Theory inside mean +- Z standard errors of independent replications' means."""
    jobs = [(scenario, SEED, rep) for rep in range(replications)]
    means = np.array(list(pool.map(mean_cycle_days, jobs)))
    mean = means.mean()
    standard_error = means.std(ddof=1) / math.sqrt(replications)
    summary = f"theory {theory:.4f}, simulated {mean:.4f} +- {Z:g} x {standard_error:.4f}"
    assert Z * standard_error < MAX_HALF_WIDTH * theory, "too noisy to test: " + summary
    assert abs(mean - theory) <= Z * standard_error, summary


# --- the checks -----------------------------------------------------------------------


def test_theory_helpers_match_textbook_values():
    # M/M/1 with lambda = 0.5, mu = 1: W = 1 / (mu - lambda) = 2.
    assert erlang_c_sojourn(0.5, 1.0, 1) == pytest.approx(2.0)
    # M/M/2 with a = 1: C(2, 1) = 1/3; W = (1/3) / (2 - 1) + 1 = 4/3.
    assert erlang_c_sojourn(1.0, 1.0, 2) == pytest.approx(4.0 / 3.0)
    # No feedback reduces to M/M/1; M/M/1 is M/G/1 with cv = 1.
    assert feedback_sojourn(0.5, 1.0, 0.0, 9.0) == pytest.approx(2.0)
    assert pollaczek_khinchine_sojourn(0.5, 1.0, 1.0) == pytest.approx(2.0)
    # M/D/1 with rho = 0.5: W = 0.5 / (2 * 0.5) + 1 = 1.5.
    assert pollaczek_khinchine_sojourn(0.5, 1.0, 0.0) == pytest.approx(1.5)


def test_mm1_mean_time_in_system(pool):
    arrival_rate, service_mean = 0.6, 1.0
    scenario = one_body_scenario(arrival_rate, office(1, exponential(service_mean)), years=8)
    theory = 1.0 / (1.0 / service_mean - arrival_rate)
    assert_matches_theory(pool, scenario, theory, REPLICATIONS)


@pytest.mark.slow
@pytest.mark.parametrize(("servers", "arrival_rate", "years"), [(2, 1.4, 4), (3, 2.1, 3)])
def test_mmc_mean_time_in_system_erlang_c(pool, servers, arrival_rate, years):
    service_mean = 1.0
    body = office(servers, exponential(service_mean))
    scenario = one_body_scenario(arrival_rate, body, years=years)
    theory = erlang_c_sojourn(arrival_rate, service_mean, servers)
    assert_matches_theory(pool, scenario, theory, REPLICATIONS)


@pytest.mark.slow
def test_revision_loop_matches_jackson_network(pool):
    arrival_rate, service_mean, p, rework = 0.4, 1.0, 0.4, 5.0
    step = {"revise": {"p": p, "rework_days": exponential(rework)}}
    body = office(1, exponential(service_mean))
    scenario = one_body_scenario(arrival_rate, body, years=8, step=step)
    theory = feedback_sojourn(arrival_rate, service_mean, p, rework)
    assert_matches_theory(pool, scenario, theory, REPLICATIONS)


def test_fortnightly_committee_wait_is_half_the_interval(pool):
    # Reviews take no time and members are unlimited, so the cycle is the wait for the next
    # meeting; Poisson submissions fall uniformly in the 14-day gap: mean wait 7 days.
    committee = {
        "kind": "committee",
        "members": 10_000,
        "review_days": 0,
        "meets": {"every_weeks": 2, "weekday": "wed", "outside_terms": True},
    }
    scenario = one_body_scenario(0.5, committee, years=4)
    assert_matches_theory(pool, scenario, 14.0 / 2.0, replications=10)


@pytest.mark.parametrize(
    ("every_weeks", "p", "window"),
    [(1, 0.3, 2.0), pytest.param(3, 0.6, 5.0, marks=pytest.mark.slow),
     pytest.param(4, 0.85, 10.0, marks=pytest.mark.slow)],
)
def test_evote_committee_wait(pool, every_weeks, p, window):
    # Instant review, unlimited members: with chance p the item is decided when the e-vote
    # window closes (``window`` days on a continuous calendar); otherwise it waits for the
    # next meeting, T / 2 on average for Poisson submissions: (1 - p) T / 2 + p x window.
    interval = 7.0 * every_weeks
    committee = {
        "kind": "committee",
        "members": 10_000,
        "review_days": 0,
        "meets": {"every_weeks": every_weeks, "weekday": "thu", "outside_terms": True},
        "evote": {"p": p, "within_days": window},
    }
    scenario = one_body_scenario(0.5, committee, years=4)
    theory = (1.0 - p) * interval / 2.0 + p * window
    assert_matches_theory(pool, scenario, theory, replications=10)


@pytest.mark.slow
@pytest.mark.parametrize(
    "review_days",
    [
        1.0,  # M/D/1
        {"dist": "gamma", "mean": 1.0, "cv": 0.5},
        {"dist": "lognormal", "mean": 1.0, "cv": 1.0},
    ],
    ids=["fixed", "gamma", "lognormal"],
)
def test_mg1_mean_time_in_system_pollaczek_khinchine(pool, review_days):
    arrival_rate = 0.6
    spec = Distribution.model_validate(review_days)
    scenario = one_body_scenario(arrival_rate, office(1, review_days), years=8)
    theory = pollaczek_khinchine_sojourn(arrival_rate, spec.mean, spec.spread)
    assert_matches_theory(pool, scenario, theory, REPLICATIONS)


# --- distributions --------------------------------------------------------------------

FAMILIES = [
    {"dist": "fixed", "mean": 3.0},
    {"dist": "exponential", "mean": 3.0},
    {"dist": "uniform", "mean": 3.0, "cv": 0.4},
    {"dist": "uniform", "mean": 3.0, "cv": 1 / math.sqrt(3)},  # widest: from 0 to 2 x mean
    {"dist": "triangular", "mean": 3.0, "cv": 0.3},
    {"dist": "triangular", "mean": 3.0, "cv": 1 / math.sqrt(6)},
    {"dist": "lognormal", "mean": 3.0, "cv": 0.5},
    {"dist": "lognormal", "mean": 8.0, "cv": 1.5},
    {"dist": "gamma", "mean": 3.0, "cv": 0.5},
    {"dist": "gamma", "mean": 8.0, "cv": 2.0},  # shape 0.25
]


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f"{f['dist']}-{f.get('cv', '')}")
def test_inverse_cdf_gives_requested_mean_and_cv(family):
    spec = Distribution.model_validate(family)
    uniforms = generator(SEED, 0, "test.distributions").random(1_000_000)
    values = inverse_cdf(spec)(uniforms)
    assert values.min() >= 0.0
    mean, cv = values.mean(), values.std() / values.mean()
    # The standard error of the mean is cv x mean / sqrt(n) = cv x mean / 1000.
    assert mean == pytest.approx(spec.mean, abs=5.0 * spec.spread * spec.mean / 1000.0 + 1e-12)
    # The sample cv of heavy tails converges slowly; 3% is ~5 standard errors at cv 2.
    assert cv == pytest.approx(spec.spread, rel=0.03, abs=1e-12)


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f"{f['dist']}-{f.get('cv', '')}")
def test_duration_sampler_draws_one_at_a_time_from_the_same_law(family):
    spec = Distribution.model_validate(family)
    draw = duration_sampler(spec, generator(SEED, 1, "test.sampler"))
    values = np.array([draw() for _ in range(100_000)])
    assert values.min() >= 0.0
    assert values.mean() == pytest.approx(spec.mean, abs=5.0 * spec.spread * spec.mean / 316.0)
    if spec.spread > 0:
        assert values.std() / values.mean() == pytest.approx(spec.spread, rel=0.1)


def test_uniform_and_triangular_span_the_range_their_cv_implies():
    # uniform with cv c: mean +- mean x c x sqrt(3); triangular: mean +- mean x c x sqrt(6).
    uniforms = generator(SEED, 0, "test.range").random(200_000)
    uniform = inverse_cdf(Distribution(dist="uniform", mean=4.0, cv=0.25))(uniforms)
    triangular = inverse_cdf(Distribution(dist="triangular", mean=4.0, cv=0.25))(uniforms)
    assert uniform.min() == pytest.approx(4.0 - math.sqrt(3.0), abs=1e-3)
    assert uniform.max() == pytest.approx(4.0 + math.sqrt(3.0), abs=1e-3)
    assert triangular.min() == pytest.approx(4.0 - math.sqrt(6.0), abs=0.02)
    assert triangular.max() == pytest.approx(4.0 + math.sqrt(6.0), abs=0.02)
    assert np.median(triangular) == pytest.approx(4.0, abs=0.01)
