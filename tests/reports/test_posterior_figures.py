"""Notebook 01's view of the posterior: the table, the two figures and the sentence, on
the shipped baseline's draws and on a scenario without draws."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from simlib.answers import RunAnswer
from simlib.experiments.uncertainty import run_uncertain
from simlib.reports import today
from simlib.reports.figures._posterior import ridge_pair
from simlib.scenario import load_scenario, validate_scenario
from tests.support.scenarios import TINY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


def test_the_table_gives_each_drawn_assumption_its_prior_and_its_draws(baseline):
    table = today.posterior_table(SimpleNamespace(scenario=baseline))
    posterior = baseline.calibration.posterior
    assert len(table) == len(posterior.draws)
    reading = table.loc["MC member reading, working days"]
    assert reading["assumed range"] == "1 to 7"
    assert table.loc["credit MC revision chance", "assumed range"] == "20% to 40%"
    # the figures pin down the reading time, not the credit revision chance
    narrowed = table["narrowed to"].str.extract(r"(\d+)%")[0].astype(int)
    assert narrowed["MC member reading, working days"] < 50
    assert narrowed["credit MC revision chance"] > 85
    low, high = np.percentile(posterior.draws["bodies.mc.review_days.mean"], [2.5, 97.5])
    assert reading["95% of the draws"] == f"{low:.3g} to {high:.3g}"


def test_the_figures_draw_one_panel_per_assumption_and_the_strongest_pair(baseline):
    figure = today.posterior_figure(SimpleNamespace(scenario=baseline))
    visible = [ax for ax in figure.axes if ax.get_visible()]
    assert len(visible) == len(baseline.calibration.posterior.draws)
    first, second, rho = ridge_pair(baseline)
    assert {first, second} == {"bodies.mc.review_days.mean", "bodies.mc.agenda_lead_days"}
    assert rho < -0.3
    ridge = today.ridge_figure(SimpleNamespace(scenario=baseline))
    assert "correlation" in ridge.legends[0].texts[0].get_text()


def test_the_sentence_names_an_assumption_and_both_intervals(baseline):
    [run] = run_uncertain([baseline], draws=12, replications=2, jobs=1)
    text = str(today.what_we_dont_know(RunAnswer(run.pooled, run)))
    assert text.startswith("The documented averages leave the ")
    assert "95% range" in text and "95% CI" in text and "non-credit mean's 95% range" in text


def test_without_draws_the_page_says_it_shows_luck_only():
    [run] = run_uncertain([validate_scenario(TINY, "tiny")], draws=3, replications=2, jobs=1)
    assert "luck alone" in str(today.what_we_dont_know(RunAnswer(run.pooled, run)))
