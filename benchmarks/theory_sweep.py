"""Check the engine against queueing theory on configurations the test suite does not use.

Runs independent seeded replications of one-body scenarios on a continuous calendar (M/M/c
at several staff counts and loads, M/M/1 with Bernoulli feedback through a rework delay,
M/G/1 with each service family, committees meeting every 1, 3 or 4 weeks) and prints, per
configuration: the closed-form mean cycle time, the simulated mean, its 95% confidence
interval (Student t over replication means) and whether the theory lies inside it.
With 95% intervals about one configuration in twenty is expected to miss by chance; the
``z`` column (distance in standard errors) shows by how much.

Usage: ``python benchmarks/theory_sweep.py [--replications 30] [--years 20] [--workers 2]``
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import stats

from simlib.scenario import Scenario

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the formulas
from support.theory import (
    cycle_days_after_warmup,
    erlang_c_sojourn,
    exponential,
    feedback_sojourn,
    office,
    one_body_scenario,
    pollaczek_khinchine_sojourn,
)


@dataclass(frozen=True)
class Check:
    """One configuration: its label, scenario and the theoretical mean cycle (days)."""

    label: str
    scenario: Scenario
    theory: float


def mmc_checks(years: float) -> list[Check]:
    """M/M/c at staff counts 1-4 and loads 0.5-0.85 (service mean 1 day)."""
    checks = []
    for servers, load in [(1, 0.5), (1, 0.85), (2, 0.5), (2, 0.85), (3, 0.6), (3, 0.85),
                          (4, 0.5), (4, 0.75)]:
        rate = load * servers
        scenario = one_body_scenario(rate, office(servers, exponential(1.0)), years)
        checks.append(Check(f"M/M/{servers} rho={load}", scenario,
                            erlang_c_sojourn(rate, 1.0, servers)))
    return checks


def feedback_checks(years: float) -> list[Check]:
    """M/M/1 with revision probability p up to 0.5 (office load 0.7 or 0.8)."""
    checks = []
    for p, rework, load in [(0.1, 3.0, 0.7), (0.25, 10.0, 0.8), (0.5, 3.0, 0.7),
                            (0.5, 20.0, 0.5)]:
        rate = load * (1.0 - p)
        step = {"revise": {"p": p, "rework_days": exponential(rework)}}
        scenario = one_body_scenario(rate, office(1, exponential(1.0)), years, step)
        checks.append(Check(f"feedback p={p} r={rework:g} rho={load}", scenario,
                            feedback_sojourn(rate, 1.0, p, rework)))
    return checks


def service_family_checks(years: float) -> list[Check]:
    """M/G/1 with each service family (Pollaczek-Khinchine)."""
    families = [
        ({"dist": "uniform", "mean": 1.0, "cv": 0.5}, 0.8),
        ({"dist": "triangular", "mean": 1.0, "cv": 0.4}, 0.8),
        ({"dist": "gamma", "mean": 1.0, "cv": 1.5}, 0.5),
        ({"dist": "lognormal", "mean": 1.0, "cv": 0.5}, 0.85),
        ({"dist": "lognormal", "mean": 1.0, "cv": 2.0}, 0.5),
        ({"dist": "weibull", "mean": 1.0, "cv": 0.6}, 0.8),
        ({"dist": "weibull", "mean": 1.0, "cv": 1.8}, 0.5),
    ]
    checks = []
    for review, load in families:
        scenario = one_body_scenario(load, office(1, review), years)
        label = f"M/G/1 {review['dist']} cv={review['cv']} rho={load}"
        checks.append(Check(label, scenario,
                            pollaczek_khinchine_sojourn(load, 1.0, review["cv"])))
    return checks


def meeting_checks(years: float) -> list[Check]:
    """Committees meeting every 1, 3 and 4 weeks: mean wait is half the interval.

    The measured window (warm-up to horizon) is a whole number of 12-week cycles, so its
    two partial meeting intervals add up to whole ones (else the window's ends bias the
    mean by up to ~0.03 days at 4 weeks).
    """
    cycles = round((years / 2 - 1) * 365 / 84)
    horizon_years = (365 + 84 * cycles) / 365
    checks = []
    for weeks in (1, 3, 4):
        committee = {"kind": "committee", "members": 10_000, "review_days": 0,
                     "meets": {"every_weeks": weeks, "weekday": "tue", "outside_terms": True}}
        scenario = one_body_scenario(0.5, committee, horizon_years)
        checks.append(Check(f"meets every {weeks} weeks", scenario, 3.5 * weeks))
    return checks


def mean_cycle_days(job: tuple[Scenario, int, int]) -> float:
    """Mean cycle time (days) of one replication over proposals submitted after warm-up."""
    return float(cycle_days_after_warmup(job).mean())


def confidence_interval(means: np.ndarray) -> tuple[float, float, float]:
    """Mean, 95% half-width (Student t) and standard error of replication means."""
    standard_error = means.std(ddof=1) / math.sqrt(len(means))
    half_width = stats.t.ppf(0.975, len(means) - 1) * standard_error
    return float(means.mean()), float(half_width), float(standard_error)


def main(argv: list[str] | None = None) -> int:
    """Run every check and print the table; exit status 1 if more than 10% miss."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=30)
    parser.add_argument("--years", type=float, default=20.0, help="horizon of M/M/c runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=314159)
    args = parser.parse_args(argv)
    checks = (mmc_checks(args.years) + feedback_checks(args.years)
              + service_family_checks(args.years) + meeting_checks(args.years))
    print(f"{'config':38s} {'theory':>8s} {'simulated':>9s} {'95% CI':>19s} {'z':>6s}  inside")
    started, misses = time.perf_counter(), 0
    with ProcessPoolExecutor(args.workers) as pool:
        for index, check in enumerate(checks):
            # A seed per check, so the checks are independent (one seed would give every
            # check the same arrivals, and their errors would share a sign).
            seed = args.seed + index
            jobs = [(check.scenario, seed, rep) for rep in range(args.replications)]
            means = np.array(list(pool.map(mean_cycle_days, jobs)))
            mean, half_width, standard_error = confidence_interval(means)
            inside = abs(mean - check.theory) <= half_width
            misses += not inside
            interval = f"[{mean - half_width:.3f}, {mean + half_width:.3f}]"
            z = (mean - check.theory) / standard_error
            print(f"{check.label:38s} {check.theory:8.3f} {mean:9.3f} {interval:>19s} "
                  f"{z:+6.2f}  {'yes' if inside else 'NO'}", flush=True)
    print(f"{len(checks) - misses}/{len(checks)} inside their 95% CI "
          f"({args.replications} replications each, {time.perf_counter() - started:.0f} s)")
    return 1 if misses > 0.1 * len(checks) else 0


if __name__ == "__main__":
    sys.exit(main())
