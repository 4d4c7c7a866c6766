"""An unknown distribution family is an error when the scenario loads, never a fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from simlib.errors import ScenarioError
from simlib.scenario import load_scenario
from simlib.scenario.distributions import FAMILIES

BASELINE = Path(__file__).parents[2] / "scenarios" / "baseline.yaml"


def test_unknown_family_is_rejected_at_load_naming_the_valid_ones(tmp_path):
    text = BASELINE.read_text()
    assert "{dist: lognormal, mean: 3, cv: 0.6}" in text
    path = tmp_path / "weird.yaml"
    path.write_text(text.replace("{dist: lognormal, mean: 3, cv: 0.6}",
                                 "{dist: weird, mean: 3, cv: 0.6}", 1))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert "\n" not in message
    assert ".review_days.dist: must be one of " in message and "got 'weird'" in message
    for name in FAMILIES:
        assert f"'{name}'" in message, message


def test_weibull_is_accepted_in_a_scenario_file(tmp_path):
    text = BASELINE.read_text()
    path = tmp_path / "weibull.yaml"
    path.write_text(text.replace("{dist: lognormal, mean: 3, cv: 0.6}",
                                 "{dist: weibull, mean: 3, cv: 0.6}", 1))
    scenario = load_scenario(path)
    dists = {body.review_days.dist for body in scenario.bodies.values()}
    assert "weibull" in dists
