"""The distribution families registry: every family has what the scenario layer and the
engine's samplers ask of it, and draws with the mean and cv its spec asks for."""

from __future__ import annotations

import math
import typing

import numpy as np
import pytest
from scipy import stats

from simlib.engine.distributions import duration_sampler, inverse_cdf
from simlib.engine.randomness import generator
from simlib.scenario import Distribution
from simlib.scenario.distributions import FAMILIES, Family, Weibull, get_family

SEED = 20250825
DRAWS = 200_000

CASES = [  # (dist, mean, cv); cv None for the families whose cv is fixed
    ("fixed", 3.0, None), ("fixed", 0.5, None),
    ("exponential", 2.0, None), ("exponential", 9.0, None),
    ("uniform", 4.0, 0.2), ("uniform", 10.0, 1 / math.sqrt(3)),
    ("triangular", 4.0, 0.1), ("triangular", 6.0, 1 / math.sqrt(6)),
    ("lognormal", 3.0, 0.3), ("lognormal", 5.0, 0.6), ("lognormal", 2.0, 1.0),
    ("gamma", 3.0, 0.3), ("gamma", 5.0, 0.7), ("gamma", 8.0, 1.5),
    ("weibull", 3.0, 0.2), ("weibull", 5.0, 0.5), ("weibull", 2.0, 1.0), ("weibull", 8.0, 1.5),
]


def test_every_family_is_registered_with_what_it_needs():
    assert set(FAMILIES) >= {
        "fixed", "exponential", "uniform", "triangular", "lognormal", "gamma", "weibull",
    }
    for name, family in FAMILIES.items():
        assert issubclass(family, Family) and family.name == name
        assert get_family(name) is family
        for method in ("check", "spread", "quantile"):
            assert callable(getattr(family, method)), (name, method)
        assert family.quantile.__func__ is not Family.quantile.__func__, name
    # dist accepts exactly the registered names.
    assert typing.get_args(Distribution.model_fields["dist"].annotation) == tuple(FAMILIES)


def test_an_unregistered_family_is_a_clear_key_error():
    with pytest.raises(KeyError, match="no distribution family 'weird'; registered: fixed,"):
        get_family("weird")


@pytest.mark.parametrize(("dist", "mean", "cv"), CASES, ids=lambda v: f"{v}")
def test_sampled_mean_and_cv_match_the_spec(dist, mean, cv):
    spec = Distribution(dist=dist, mean=mean, cv=cv)
    draw = duration_sampler(spec, generator(SEED, 0, f"test.families.{dist}.{mean}"))
    values = np.array([draw() for _ in range(DRAWS)])
    assert values.min() >= 0.0
    # The standard error of the mean is cv x mean / sqrt(DRAWS); allow 5 of them.
    tolerance = 5.0 * spec.spread * mean / math.sqrt(DRAWS) + 1e-12
    assert values.mean() == pytest.approx(mean, abs=tolerance)
    assert values.std() / values.mean() == pytest.approx(spec.spread, rel=0.04, abs=1e-9)


@pytest.mark.parametrize("cv", [0.05, 0.3, 1.0, 2.5, 20.0])
def test_weibull_shape_solves_for_the_cv(cv):
    k = Weibull.shape(cv)
    assert stats.weibull_min(k).std() / stats.weibull_min(k).mean() == pytest.approx(cv, rel=1e-9)


def test_weibull_with_cv_one_is_the_exponential():
    assert Weibull.shape(1.0) == pytest.approx(1.0, rel=1e-10)
    uniforms = generator(SEED, 0, "test.weibull").random(10_000)
    weibull = inverse_cdf(Distribution(dist="weibull", mean=4.0, cv=1.0))(uniforms)
    exponential = inverse_cdf(Distribution(dist="exponential", mean=4.0))(uniforms)
    np.testing.assert_allclose(weibull, exponential, rtol=1e-9)


def test_weibull_quantile_is_scipys():
    spec = Distribution(dist="weibull", mean=5.0, cv=0.5)
    k = Weibull.shape(0.5)
    law = stats.weibull_min(k, scale=5.0 / math.gamma(1.0 + 1.0 / k))
    uniforms = np.linspace(0.0, 0.999, 101)
    np.testing.assert_allclose(inverse_cdf(spec)(uniforms), law.ppf(uniforms), rtol=1e-10)


@pytest.mark.parametrize(("value", "message"), [
    ({"dist": "weibull", "mean": 3}, "weibull needs a cv"),
    ({"dist": "weibull", "mean": 3, "cv": 0}, "cv of a weibull must be > 0"),
    ({"dist": "weibull", "mean": 3, "cv": 500}, "cv of a weibull must be <= 100"),
    ({"dist": "fixed", "mean": 3, "cv": 0.5}, "fixed has no cv to set"),
    ({"dist": "uniform", "mean": 3, "cv": 0.9}, "cv of a uniform must be <= 0.577"),
])
def test_each_family_checks_its_cv(value, message):
    with pytest.raises(ValueError, match=message):
        Distribution.model_validate(value)


def test_zero_mean_is_constant_whatever_the_family():
    for name in FAMILIES:
        cv = {"fixed": None, "exponential": None}.get(name, 0.3)
        spec = Distribution(dist=name, mean=0.0, cv=cv)
        assert spec.constant
        assert duration_sampler(spec, generator(SEED, 0, "test.zero"))() == 0.0


@pytest.mark.parametrize(("family", "cv"), [("uniform", 0.5625), ("triangular", 0.4)])
def test_a_subnormal_mean_never_gives_a_negative_duration(family, cv):
    """Found by the invariants' hypothesis search: a uniform rework of mean 5e-324 and cv
    0.5625 once drew -5e-324 days (a negative delay SimPy refuses)."""
    spec = Distribution(dist=family, mean=5e-324, cv=cv)
    draws = spec.quantile()(np.linspace(0.0, 1.0, 10_001, endpoint=False))
    assert draws.min() >= 0.0
