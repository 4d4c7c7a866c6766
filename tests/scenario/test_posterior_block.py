"""The posterior block of a scenario: written into the file with nothing else changed,
replaced when written again, validated, and inherited by what-ifs."""

from pathlib import Path

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
