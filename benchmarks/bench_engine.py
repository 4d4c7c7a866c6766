"""Engine speed against a minimal hand-written SimPy model of the same network.

The network is a tandem of ``STAGES`` offices with ``STAFF`` reviewers each, a continuous
calendar, Poisson arrivals and exponential review times (load ``LOAD`` per stage), no
revisions or withdrawals. Both models record the same raw event tuples
(:data:`simlib.eventlog.RAW_FIELDS`) to a plain list; the hand-written model gets exactly as
many proposals as the engine submitted, so both logs hold the same number of events.

Run with ``make bench``. The output is informational: nothing here asserts a time.
"""

from __future__ import annotations

import gc
import math
import statistics
import sys
import time
from collections.abc import Callable, Generator

import numpy as np
import simpy

from simlib.engine.model import simulate
from simlib.scenario import Scenario, validate_scenario

STAGES = 7
STAFF = 2
REVIEW_MEAN_DAYS = 1.0
LOAD = 0.8
ARRIVALS_PER_DAY = LOAD * STAFF / REVIEW_MEAN_DAYS
PROPOSALS = 20_000
PATHWAY = "tandem"
SEED = 2024
REPEATS = 5
TARGET_RATIO = 1.5
BATCHES = 20  # batch means for the standard error of the mean cycle time
TOLERANCE_SE = 4.0  # mean cycle times must agree within this many standard errors


def stage_names(stages: int = STAGES) -> list[str]:
    """The office names of a tandem of ``stages`` offices, in visiting order."""
    return [f"stage{index + 1}" for index in range(stages)]


def tandem_scenario(proposals: int = PROPOSALS, stages: int = STAGES) -> Scenario:
    """The engine's scenario: about ``proposals`` Poisson arrivals through ``stages`` offices."""
    names = stage_names(stages)
    review = {"dist": "exponential", "mean": REVIEW_MEAN_DAYS}
    data = {
        "name": "bench-tandem",
        "calendar": {"kind": "continuous"},
        "horizon_years": proposals / (ARRIVALS_PER_DAY * 365.0),
        "warmup_years": 0.0,
        "seed": SEED,
        "replications": 1,
        "demand": {PATHWAY: {"per_year": ARRIVALS_PER_DAY * 365.0}},
        "bodies": {name: {"kind": "office", "staff": STAFF, "review_days": review}
                   for name in names},
        "pathways": {PATHWAY: names},
    }
    return validate_scenario(data, "<bench>")


def run_engine(scenario: Scenario, seed: int = SEED) -> list[tuple]:
    """The engine's raw event rows for one replication of ``scenario``."""
    return list(simulate(scenario, seed=seed).rows)


class HandTandem:
    """A hand-written SimPy tandem: one generator per proposal, one Resource per stage.

    Arrival gaps and review times (days) are drawn up front from one numpy Generator.
    """

    def __init__(self, proposals: int, stages: int = STAGES, seed: int = SEED):
        self.env = simpy.Environment()
        rng = np.random.default_rng(seed)
        self.gaps = rng.exponential(1.0 / ARRIVALS_PER_DAY, size=proposals).tolist()
        self.reviews = rng.exponential(REVIEW_MEAN_DAYS, size=(proposals, stages)).tolist()
        self.desks = [(name, simpy.Resource(self.env, capacity=STAFF))
                      for name in stage_names(stages)]
        self.rows: list[tuple] = []

    def run(self) -> list[tuple]:
        """Simulate until every proposal is approved; returns the raw event rows."""
        self.env.process(self.source())
        self.env.run()
        return self.rows

    def source(self) -> Generator:
        """Submit proposal 0, 1, ... after exponential gaps."""
        for proposal, gap in enumerate(self.gaps):
            yield self.env.timeout(gap)
            self.env.process(self.journey(proposal, self.reviews[proposal]))

    def journey(self, proposal: int, reviews: list[float]) -> Generator:
        """Visit every stage in turn, queueing for a reviewer at each."""
        env, record = self.env, self.rows.append
        record((proposal, PATHWAY, "", "", "", "submit", env.now, 0))
        for (name, desk), review_days in zip(self.desks, reviews, strict=True):
            record((proposal, PATHWAY, "", name, name, "arrive", env.now, 0))
            with desk.request() as request:
                yield request
                record((proposal, PATHWAY, "", name, name, "start", env.now, 0))
                yield env.timeout(review_days)
                record((proposal, PATHWAY, "", name, name, "finish", env.now, 0))
            record((proposal, PATHWAY, "", name, name, "approve", env.now, 0))
        record((proposal, PATHWAY, "", "", "", "approved", env.now, 0))


def run_hand(proposals: int, stages: int = STAGES, seed: int = SEED) -> list[tuple]:
    """The hand-written model's raw event rows for ``proposals`` proposals."""
    return HandTandem(proposals, stages, seed).run()


def count_proposals(rows: list[tuple]) -> int:
    """The number of ``submit`` events in ``rows``."""
    return sum(1 for row in rows if row[5] == "submit")


def kinds_by_proposal(rows: list[tuple]) -> dict[int, list[tuple[str, str]]]:
    """Each proposal's (step, kind) sequence, in log order."""
    sequences: dict[int, list[tuple[str, str]]] = {}
    for row in rows:
        sequences.setdefault(row[0], []).append((row[3], row[5]))
    return sequences


def cycle_days(rows: list[tuple]) -> np.ndarray:
    """Cycle times (days, submit to approved) of approved proposals, by proposal id."""
    submitted, left = {}, {}
    for row in rows:
        if row[5] == "submit":
            submitted[row[0]] = row[6]
        elif row[5] == "approved":
            left[row[0]] = row[6]
    return np.array([left[p] - submitted[p] for p in sorted(left)])


def mean_and_se(values: np.ndarray, batches: int = BATCHES) -> tuple[float, float]:
    """The mean of ``values`` and its standard error by batch means (in arrival order)."""
    batch_means = [batch.mean() for batch in np.array_split(values, batches)]
    return float(values.mean()), float(np.std(batch_means, ddof=1) / math.sqrt(batches))


def time_call(run: Callable[[], list[tuple]]) -> tuple[float, list[tuple]]:
    """Seconds (``time.perf_counter``) taken by ``run()`` and what it returned."""
    gc.collect()
    began = time.perf_counter()
    rows = run()
    return time.perf_counter() - began, rows


def race(scenario: Scenario, repeats: int) -> dict[str, tuple[list[float], list[tuple]]]:
    """Alternate engine and hand-written runs after one warm-up each.

    Returns, per model, the timed runs' seconds and the last run's rows.
    """
    _, engine_rows = time_call(lambda: run_engine(scenario))
    proposals = count_proposals(engine_rows)
    models = {"engine": lambda: run_engine(scenario), "hand-written": lambda: run_hand(proposals)}
    time_call(models["hand-written"])
    results: dict[str, tuple[list[float], list[tuple]]] = {name: ([], []) for name in models}
    for _ in range(repeats):
        for name, run in models.items():
            seconds, rows = time_call(run)
            results[name] = ([*results[name][0], seconds], rows)
    return results


def theory_cycle_days() -> float:
    """Mean cycle time (days) of the tandem in steady state: STAGES times the M/M/c sojourn."""
    offered = ARRIVALS_PER_DAY * REVIEW_MEAN_DAYS
    top = offered**STAFF / math.factorial(STAFF) / (1.0 - LOAD)
    below = sum(offered**k / math.factorial(k) for k in range(STAFF))
    wait = top / (below + top) / (STAFF / REVIEW_MEAN_DAYS - ARRIVALS_PER_DAY)
    return STAGES * (wait + REVIEW_MEAN_DAYS)


def report(results: dict[str, tuple[list[float], list[tuple]]]) -> bool:
    """Print counts, cycle times, medians, ratio and verdict; True when the models agree."""
    counts, cycles, medians = {}, {}, {}
    for name, (seconds, rows) in results.items():
        counts[name] = len(rows)
        cycles[name] = mean_and_se(cycle_days(rows))
        medians[name] = statistics.median(seconds)
        runs = ", ".join(f"{s:.3f}" for s in seconds)
        print(f"{name:>12}: {counts[name]:,} events, mean cycle {cycles[name][0]:.2f} d "
              f"(SE {cycles[name][1]:.2f}), median {medians[name]:.3f} s  [runs: {runs}]")
    (engine_mean, engine_se), (hand_mean, hand_se) = cycles["engine"], cycles["hand-written"]
    allowed = TOLERANCE_SE * math.hypot(engine_se, hand_se)
    same_count = counts["engine"] == counts["hand-written"]
    same_cycle = abs(engine_mean - hand_mean) <= allowed
    print(f"event counts equal: {same_count}; mean cycle difference "
          f"{engine_mean - hand_mean:+.2f} d (allowed +/-{allowed:.2f} d; "
          f"M/M/{STAFF} theory {theory_cycle_days():.2f} d): {'ok' if same_cycle else 'MISMATCH'}")
    ratio = medians["engine"] / medians["hand-written"]
    paired = statistics.median(
        e / h for e, h in zip(results["engine"][0], results["hand-written"][0], strict=True)
    )
    print(f"ratio engine/hand-written (median time): {ratio:.2f} "
          f"(median of the {len(results['engine'][0])} paired ratios: {paired:.2f})")
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"verdict: engine {verdict} the target ratio {TARGET_RATIO} ({ratio:.2f})")
    return same_count and same_cycle


def main(repeats: int = REPEATS) -> int:
    """Run the benchmark; exit status 1 if the two models disagree (never for timings)."""
    scenario = tandem_scenario()
    print(f"bench_engine: {STAGES}-stage tandem, {STAFF} staff per stage, load {LOAD}, "
          f"~{PROPOSALS:,} proposals, {repeats} alternating repeats after 1 warm-up each")
    return 0 if report(race(scenario, repeats)) else 1


if __name__ == "__main__":
    sys.exit(main())
