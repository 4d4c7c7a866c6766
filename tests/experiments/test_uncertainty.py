"""Propagation of parameter uncertainty: a scenario run at each of its posterior draws.

The split of each figure into luck and parameters (checked on known parts in
tests/statistics) with the draws' metamodel, then on simulations: without draws the 95%
range is the noise CI; with draws of a parameter that moves the answer the range is wider
and holds the answers the draws' values give; what-ifs inherit the draws, and a what-if
that sets a drawn path holds its own value in every draw.
"""


import numpy as np
import pytest

from simlib.experiments.compare import compare
from simlib.experiments.results import replicate
from simlib.experiments.uncertainty import (
    difference,
    run_uncertain,
    scenario_draws,
    split,
)
from tests.support.scenarios import DESK, TINY, small_scenario


def tiny(**posterior):
    """The tiny office over two years, with ``posterior`` (draws, prior) when given."""
    return small_scenario(**{**TINY, "horizon_years": 2}, posterior=posterior or None)


def uniform_draws(low, high, count=30, seed=5):
    values = np.random.default_rng(seed).uniform(low, high, count)
    return {"draws": {DESK: [round(float(v), 3) for v in values]}, "prior": {DESK: [low, high]}}


def test_the_metamodel_takes_the_noise_out_of_the_draws():
    # the known parts of the split are checked in tests/statistics; here the smoother:
    # draws whose figure is a line in their parameter, plus noise of variance 9
    rng = np.random.default_rng(3)
    inputs = rng.uniform(0, 1, (200, 1))
    truth = 100 + 30 * inputs[:, 0]
    figure = split(truth + rng.normal(0, 3, 200), np.full(200, 9.0), inputs=inputs)
    assert figure.parameter_variance == pytest.approx(truth.var(ddof=1), rel=0.1)
    assert np.abs(figure.shrunk - truth).mean() < 0.5  # the noise alone is about 2.4


def test_without_draws_the_range_is_the_noise_ci_and_says_so():
    [found] = run_uncertain([tiny()], draws=20, replications=4, jobs=1)
    result = found.to_dict()
    assert result["uncertainty"]["fixed"] and "no posterior draws" in result["uncertainty"][
        "source"]
    cycle = result["pathways"]["p"]["cycle_days"]
    ci_half = (cycle["ci95"][1] - cycle["ci95"][0]) / 2
    range_half = (cycle["predictive95"][1] - cycle["predictive95"][0]) / 2
    assert range_half == pytest.approx(ci_half, rel=1e-9)
    assert cycle["spread"]["parameters"] == 0.0


@pytest.mark.slow
def test_draws_that_move_the_answer_widen_the_range_to_hold_their_answers():
    scenario = tiny(**uniform_draws(1.0, 8.0))
    [found] = run_uncertain([scenario], draws=30, replications=4, jobs=1)
    cycle = found.to_dict()["pathways"]["p"]["cycle_days"]
    assert not found.draws.fixed and found.draws.paths == (DESK,)
    ci_half = (cycle["ci95"][1] - cycle["ci95"][0]) / 2
    assert cycle["predictive95"][1] - cycle["predictive95"][0] > 4 * ci_half
    assert cycle["spread"]["parameters"] > 0.05
    # the long-run means at the 5% and 95% points of the draws lie inside the range
    values = sorted(scenario.calibration.posterior.draws[DESK])
    for value in (values[2], values[-3]):
        mean = replicate(scenario.variant({DESK: value}), 40, 99, jobs=1).pathways.loc[
            "p", "cycle_days_mean"]
        assert cycle["predictive95"][0] <= mean <= cycle["predictive95"][1]


def test_same_seed_same_answer_serial_or_parallel():
    scenario = tiny(**uniform_draws(1.0, 8.0, count=8))
    serial = run_uncertain([scenario], replications=3, seed=4, jobs=1)[0].to_dict()
    parallel = run_uncertain([scenario], replications=3, seed=4, jobs=2)[0].to_dict()
    assert serial == parallel


def test_a_whatif_inherits_the_draws_and_a_path_it_sets_is_fixed():
    scenario = tiny(**uniform_draws(1.0, 8.0, count=10))
    faster = scenario.variant({"bodies.board.meets.every_weeks": 2})
    assert scenario_draws(faster).paths == (DESK,)
    fixed_desk = scenario.variant({DESK: 2.0})
    assert scenario_draws(fixed_desk).fixed


@pytest.mark.slow
def test_compare_pairs_the_draws_and_gives_the_chance_it_is_faster():
    scenario = tiny(**uniform_draws(1.0, 8.0, count=20))
    slower_board = scenario.variant({"bodies.board.meets.every_weeks": 3}, name="slow")
    result = compare(scenario, [slower_board], replications=4, jobs=1, uncertainty=True,
                     draws=20).to_dict()
    row = result["alternatives"]["slow"]["pathways"]["p"]
    assert row["mean_diff_days"] > 0 and row["p_shorter"] < 0.01
    low, high = row["difference_predictive95"]
    assert low <= row["ci95"][0] and row["ci95"][1] <= high
    assert result["uncertainty"]["draws"] == 20
    # identical scenarios: every difference is exactly 0
    base, same = run_uncertain([scenario, scenario], draws=5, replications=2, jobs=1)
    assert difference(base, same, "p").predictive95 == (0.0, 0.0)
