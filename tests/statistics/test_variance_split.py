"""The split into noise and parameters, checked on numbers whose two parts are known (a
one-way random-effects model)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simlib.statistics import Z95, variance_shares, variance_split


@pytest.mark.parametrize("tau", [0.0, 2.0, 8.0])
def test_the_split_recovers_known_parts(tau):
    # m_d = 100 + tau z_d + noise with variance 4 / R (R = 5): the parameters' variance
    # is tau^2, the noise of the mean over D draws is (4 / 5) / D
    rng = np.random.default_rng(1)
    draws = 4000
    values = 100 + tau * rng.standard_normal(draws) + np.sqrt(0.8) * rng.standard_normal(draws)
    figure = variance_split(values, np.full(draws, 0.8))
    assert figure.parameter_variance == pytest.approx(tau**2, abs=0.1 + 0.05 * tau**2)
    assert figure.noise_variance == pytest.approx(0.8 / draws)
    assert figure.ci95[1] - figure.value == pytest.approx(1.96 * np.sqrt(0.8 / draws), rel=1e-4)
    half = (figure.predictive95[1] - figure.predictive95[0]) / 2
    assert half == pytest.approx(np.hypot(1.96 * tau, figure.ci95[1] - figure.value),
                                 rel=0.1, abs=0.01)


def test_noise_alone_gives_a_range_equal_to_the_ci_or_errs_wide():
    rng = np.random.default_rng(2)
    values = 50 + rng.standard_normal(400)
    fixed = variance_split(values, np.ones(400), fixed=True)
    assert fixed.predictive95 == pytest.approx(fixed.ci95, rel=1e-12)
    assert fixed.parameter_variance == pytest.approx(0.0, abs=1e-20)
    assert fixed.p_below(50 - 1) < 1e-6 and fixed.p_below(50 + 1) > 1 - 1e-6
    unknown = variance_split(values, np.ones(400))  # nothing says the draws are equal
    ci_half = fixed.ci95[1] - fixed.value
    assert ci_half <= unknown.predictive95[1] - unknown.value <= 4 * ci_half


def test_a_smoother_that_explains_the_draws_leaves_their_values():
    inputs = np.linspace(0.0, 1.0, 50)[:, None]
    values = 10 + 20 * inputs[:, 0]  # no noise: the parameter explains everything

    def exact(kept, parameters):
        return 10 + 20 * parameters[:, 0]

    figure = variance_split(values, np.zeros(50), inputs=inputs, smoother=exact)
    np.testing.assert_allclose(figure.shrunk, values)
    assert figure.parameter_variance == pytest.approx(values.var(ddof=1))
    assert figure.ci95 == pytest.approx((20.0, 20.0))
    assert figure.p_below(20.0) == pytest.approx(0.5, abs=0.02)


def test_undefined_draws_are_left_out_and_one_draw_has_no_interval():
    figure = variance_split(np.array([1.0, np.nan, 3.0]), np.array([0.5, 0.5, np.nan]))
    assert figure.value == 1.0 and all(math.isnan(bound) for bound in figure.ci95)
    assert math.isnan(variance_split(np.array([]), np.array([])).value)


def test_z95_is_the_normal_quantile():
    from scipy import stats
    assert stats.norm.ppf(0.975) == pytest.approx(Z95, rel=1e-15)


def test_variance_shares_by_the_law_of_total_variance():
    samples = [np.array([1.0, 3.0]), np.array([2.0, 6.0]), np.array([7.0])]  # var 2 and 8
    assert variance_shares(samples, 5.0) == pytest.approx({"luck": 0.5, "parameters": 0.5})
    assert math.isnan(variance_shares(samples, -5.0)["luck"])
