"""The history fit's draws: each drawn number's draws match its estimate's 95% interval, the
fitted what-if carries them, and what-ifs of it inherit them."""

from pathlib import Path

import numpy as np
import pytest

from simlib.fitting import fit_history
from simlib.fitting.draws import bootstrap_draws, drawn
from simlib.records.history import simulated_history
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def fitted(office_truth, baseline):
    fit = fit_history(simulated_history(office_truth, seed=4), baseline)
    return fit, bootstrap_draws(fit, baseline.variant(fit.changes()), count=400, seed=2)


@pytest.mark.slow
def test_each_drawn_number_spreads_as_its_interval(fitted):
    fit, posterior = fitted
    assert len(posterior.draws) >= 20
    for path, values in posterior.draws.items():
        parameter = fit.parameter(path)
        low, high = np.percentile(values, [2.5, 97.5])
        width = parameter.ci95[1] - parameter.ci95[0]
        assert abs(low - parameter.ci95[0]) < 0.25 * width, path
        assert abs(high - parameter.ci95[1]) < 0.25 * width, path


@pytest.mark.slow
def test_mixes_seasons_and_unseen_chances_are_not_drawn(fitted):
    fit, posterior = fitted
    for parameter in fit.parameters:
        if ".mix." in parameter.path or ".seasonality." in parameter.path or not parameter.value:
            assert not drawn(parameter) and parameter.path not in posterior.draws


def test_the_shipped_fitted_whatif_carries_draws_that_its_whatifs_inherit():
    fitted = load_scenario(ROOT / "examples" / "office-fitted.yaml")
    weekly = load_scenario(ROOT / "examples" / "office-mc-weekly.yaml")
    posterior = fitted.calibration.posterior
    assert posterior.count == 200 and "bootstrap" in posterior.method
    assert weekly.calibration.posterior.draws == posterior.draws
    for path, values in posterior.draws.items():  # the fitted value sits inside its draws
        assert min(values) <= fitted.value_at(path) <= max(values), path
