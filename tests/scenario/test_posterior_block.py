"""The posterior block of a scenario: written into the file with nothing else changed,
replaced when written again, validated, and inherited by what-ifs."""

import re
import time
from pathlib import Path

import numpy as np
import pytest
import yaml

from simlib.errors import ScenarioError
from simlib.scenario import load_scenario
from simlib.scenario.calibration import Posterior
from simlib.scenario.calibration_file import with_posterior

ROOT = Path(__file__).resolve().parents[2]
PATHS = ("pathways.credit.mc.revise.p", "bodies.mc.review_days.mean")


def posterior(first: float) -> Posterior:
    return Posterior(method="test", seed=4, draws={PATHS[0]: (first, 0.31, 0.33),
                                                   PATHS[1]: (2.0, 2.5, 3.1)},
                     prior={PATHS[0]: (0.2, 0.4), PATHS[1]: (1.0, 7.0)},
                     diagnostics={"ess": 150.5, "waves": 3})


def test_the_block_is_added_then_replaced_and_nothing_else_changes(tmp_path):
    text = (ROOT / "scenarios" / "baseline.yaml").read_text()
    once = with_posterior(text, posterior(0.29))
    twice = with_posterior(once, posterior(0.35))
    original, after = yaml.safe_load(text), yaml.safe_load(twice)
    drawn = after["calibration"].pop("posterior")
    original["calibration"].pop("posterior", None)
    assert after == original
    assert drawn["draws"][PATHS[0]] == [0.35, 0.31, 0.33]
    assert twice.count("posterior:") == 1
    for line in text.splitlines():  # every comment is kept
        if "#" in line and "posterior" not in line:
            assert line in twice
    (tmp_path / "baseline.yaml").write_text(twice)
    loaded = load_scenario(tmp_path / "baseline.yaml")
    assert loaded.calibration.posterior.draw(0) == {PATHS[0]: 0.35, PATHS[1]: 2.0}


def test_whatifs_inherit_the_draws_and_fix_what_they_set(tmp_path):
    text = with_posterior((ROOT / "scenarios" / "baseline.yaml").read_text(), posterior(0.3))
    (tmp_path / "baseline.yaml").write_text(text)
    (tmp_path / "weekly.yaml").write_text("extends: baseline.yaml\nset:\n"
                                          "  bodies.mc.meets.every_weeks: 1\n")
    (tmp_path / "reader.yaml").write_text("extends: baseline.yaml\nset:\n"
                                          f"  {PATHS[1]}: 4\n")
    weekly = load_scenario(tmp_path / "weekly.yaml")
    assert set(weekly.calibration.posterior.draws) == set(PATHS)
    assert weekly.calibration.free == ()  # a what-if is not fitted; its draws hold
    reader = load_scenario(tmp_path / "reader.yaml")
    assert set(reader.calibration.posterior.draws) == {PATHS[0]}


@pytest.mark.parametrize("draws, says", [
    ({PATHS[0]: [0.3, 0.2], PATHS[1]: [2.0]}, "the same number of draws"),
    ({PATHS[0]: [0.3]}, "from 2 to 10,000 draws"),
    ({"bodies.nobody.review_days.mean": [1.0, 2.0]}, "does not exist"),
    ({"bodies.mc.label": [1.0, 2.0]}, "not a number"),
])
def test_bad_draws_are_refused_with_the_place(tmp_path, draws, says):
    block = yaml.safe_dump({"calibration": {"posterior": {"method": "x", "draws": draws}}})
    (tmp_path / "bad.yaml").write_text(f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\n"
                                       + block)
    with pytest.raises(ScenarioError, match=says):
        load_scenario(tmp_path / "bad.yaml")


def _drawn_base(tmp_path: Path) -> Path:
    """The baseline with :func:`posterior` draws, in ``tmp_path``."""
    text = with_posterior((ROOT / "scenarios" / "baseline.yaml").read_text(), posterior(0.3))
    (tmp_path / "baseline.yaml").write_text(text)
    return tmp_path / "baseline.yaml"


@pytest.mark.parametrize("changes", [
    "set:\n  bodies.mc.review_days: {dist: gamma, mean: 9, cv: 0.5}\n",  # a block above it
    "set:\n  pathways.credit.2.revise.p: 0.5\n",  # the step by its index, drawn by its name
    "set:\n  pathways.credit.mc.revise: {p: 0.5, rework_days: 10}\n",
])
def test_a_value_the_whatif_sets_wins_over_the_inherited_draws(tmp_path, changes):
    _drawn_base(tmp_path)
    (tmp_path / "fixed.yaml").write_text(f"extends: baseline.yaml\n{changes}")
    fixed = load_scenario(tmp_path / "fixed.yaml")
    drawn = fixed.calibration.posterior.draws
    assert len(drawn) == 1  # the other path keeps its draws
    set_path = changes.split("\n")[1].strip().split(":")[0]
    assert all(not path.startswith(set_path) for path in drawn)
    assert fixed.value_at(PATHS[0] if PATHS[0] not in drawn else PATHS[1]) in (0.5, 9.0)


def test_scale_multiplies_the_inherited_draws_and_their_prior(tmp_path):
    _drawn_base(tmp_path)
    (tmp_path / "slower.yaml").write_text(
        f"extends: baseline.yaml\nscale:\n  {PATHS[1]}: 2\n")
    slower = load_scenario(tmp_path / "slower.yaml").calibration.posterior
    assert slower.draws[PATHS[1]] == (4.0, 5.0, 6.2)
    assert slower.prior[PATHS[1]] == (2.0, 14.0)
    assert slower.draws[PATHS[0]] == (0.3, 0.31, 0.33)


def test_a_whatifs_own_draws_hold_as_written(tmp_path):
    _drawn_base(tmp_path)
    block = yaml.safe_dump({"calibration": {"posterior": {
        "method": "own", "draws": {PATHS[1]: [7.0, 7.5]}}}})
    (tmp_path / "own.yaml").write_text(f"extends: baseline.yaml\nset:\n  {PATHS[1]}: 3\n"
                                       + block)
    own = load_scenario(tmp_path / "own.yaml").calibration.posterior
    assert own.draws == {PATHS[1]: (7.0, 7.5)} and own.method == "own"


@pytest.mark.parametrize("draws, prior, says", [
    ({"bodies.dean.staff": [1, 1.5, 2]}, {}, "draws.bodies.dean.staff: draw 2: must be a "
                                             "whole number, got 1.5"),
    ({"bodies.mc.meets.every_weeks": [2, 1.5, 3]}, {}, "draw 2: must be a whole number"),
    ({PATHS[1]: [2.0, True, 3.0]}, {}, "draw 2 is true, not a number"),
    ({PATHS[0]: [0.2, 0.3], "pathways.credit.2.revise.p": [0.2, 0.3]}, {},
     "(drawn twice); keep one of the two"),
    ({PATHS[1]: [2.0, 900.0, 3.0]}, {PATHS[1]: [1, 8]},
     "draw 2 is 900, outside its prior range 1 to 8"),
    ({"demand.credit.mix.graduate": [0.4, 0.5]}, {}, "shares must add up to 1"),
])
def test_every_draw_is_checked_not_only_the_ends(tmp_path, draws, prior, says):
    block = yaml.safe_dump({"calibration": {"posterior": {
        "method": "x", "draws": draws, **({"prior": prior} if prior else {})}}})
    (tmp_path / "bad.yaml").write_text(f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\n"
                                       + block)
    with pytest.raises(ScenarioError, match=re.escape(says)):
        load_scenario(tmp_path / "bad.yaml")


def test_ten_thousand_draws_are_checked_in_seconds(tmp_path):
    from simlib.scenario.draws import draw_problems

    rng = np.random.default_rng(3)
    draws = {PATHS[1]: rng.uniform(1.0, 7.0, 10_000).tolist(),
             PATHS[0]: rng.uniform(0.2, 0.4, 10_000).tolist(),
             "bodies.dean.staff": [2] * 10_000}
    draws["bodies.dean.staff"][6_123] = 2.5
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    drawn = scenario.model_copy(update={"calibration": scenario.calibration.model_copy(
        update={"posterior": Posterior(method="x", draws=draws)})})
    started = time.perf_counter()
    problems = draw_problems(drawn)
    assert time.perf_counter() - started < 15
    assert problems == [("calibration.posterior.draws.bodies.dean.staff",
                         "draw 6124: must be a whole number, got 2.5; correct or remove the "
                         "draws")]
