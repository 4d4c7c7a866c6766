"""Every YAML file the tool writes goes through the YAML emitter: names made of YAML's
special characters, line breaks and other scripts are quoted as they must be, and the
written file loads back with the same names and values (a fitted what-if, a calibrated
scenario, its posterior draws)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from support.scenarios import office, scenario_data

from simlib.fitting.result import HistoryFit, Setting
from simlib.formats.yamlfile import load_yaml_text
from simlib.formats.yamltext import yaml_document, yaml_flow, yaml_key, yaml_scalar
from simlib.scenario import load_scenario
from simlib.scenario.calibration import Fit, FittedParameter, FittedTarget, Posterior
from simlib.scenario.calibration_file import calibrated_text, with_posterior

# No dots: a dot separates the parts of a key path.
SPECIAL_NAMES = ["a: b", "x #y", "&anchor", "!tag", "*star", "[open", "{brace", "'quote",
                 '"double', "-lead", "yes", "no", "null", "~", "1e9", "2024-01-01",
                 "line\nbreak", "k: v\nseed: 5", "tab\there", "esc\x1b[31m", "ünï-科学",
                 "% percent", "@at", "`tick", "? what", "| pipe", "> fold", "a,b", " pad "]


@pytest.mark.parametrize("name", SPECIAL_NAMES)
def test_a_name_reads_back_as_itself_as_key_value_and_in_a_flow(name):
    for text, expected in [(f"k: {yaml_scalar(name)}", {"k": name}),
                           (f"{yaml_key(name)}: 1", {name: 1}),
                           (f"k: {yaml_flow({name: [1.0, 2.5, name]})}",
                            {"k": {name: [1, 2.5, name]}})]:
        assert "\n" not in text
        assert load_yaml_text(text + "\n", "written") == expected
        assert yaml.safe_load(text) == expected


def test_numbers_dates_and_booleans_keep_their_type():
    assert yaml_scalar(3.0) == "3" and yaml_scalar(3.0, whole_floats=False) == "3.0"
    assert load_yaml_text(f"k: {yaml_flow([1e20, 0.1, True, None, dt.date(2026, 1, 2)])}\n",
                          "x") == {"k": [1e20, 0.1, True, None, "2026-01-02"]}


def _base(tmp_path: Path) -> Path:
    """A scenario whose bodies and pathway are named with YAML's special characters."""
    bodies = {name: office(2, {"dist": "exponential", "mean": 3}) for name in SPECIAL_NAMES}
    data = scenario_data(name="specials", bodies=bodies, pathways={"p: #x": SPECIAL_NAMES},
                         assumptions=[{"path": f"bodies.{name}.review_days.mean", "low": 1,
                                       "high": 8, "note": "A"} for name in SPECIAL_NAMES[:4]],
                         targets={"p: #x": {"mean_cycle_days": 90}},
                         calibration={"free": [f"bodies.{name}.review_days.mean"
                                               for name in SPECIAL_NAMES[:4]]})
    path = tmp_path / "specials.yaml"
    path.write_text(yaml_document(data), encoding="utf-8")
    return path


def test_a_fitted_whatif_of_special_names_loads_with_its_values(tmp_path):
    base = _base(tmp_path)
    settings = tuple(Setting(f"bodies.{name}.review_days", {"dist": "gamma", "mean": 4.5,
                                                            "cv": 0.5},
                             f"95% CI for {name}, n 12") for name in SPECIAL_NAMES)
    fit = HistoryFit(source="rec\nseed: 9 #.csv", proposals=12, rows=40,
                     as_of=dt.date(2026, 1, 9), parameters=(), settings=settings, meetings={})
    posterior = Posterior(method="bootstrap", draws={
        f"bodies.{name}.review_days.mean": (4.0, 5.0) for name in SPECIAL_NAMES})
    text = fit.whatif_yaml(base.name, "rec\nseed: 9 #.csv", posterior)
    (tmp_path / "fitted.yaml").write_text(text, encoding="utf-8")
    fitted = load_scenario(tmp_path / "fitted.yaml")
    assert fitted.seed == load_scenario(base).seed  # nothing injected
    for name in SPECIAL_NAMES:
        assert fitted.bodies[name].review_days.mean == 4.5
    assert set(fitted.calibration.posterior.draws) == {
        f"bodies.{name}.review_days.mean" for name in SPECIAL_NAMES}


def test_a_calibrated_scenario_of_special_names_keeps_its_comments_and_loads(tmp_path):
    base = _base(tmp_path)
    text = "# the office's own comment\n" + base.read_text(encoding="utf-8")
    paths = [f"bodies.{name}.review_days.mean" for name in SPECIAL_NAMES[:4]]
    fit = Fit(date=dt.date(2026, 1, 9), replications=4, seed=3, evaluations=9, objective=0.1,
              parameters={path: FittedParameter(prior=3, fitted=4.25, low=1, high=8)
                          for path in paths},
              targets={"targets.p: #x.mean_cycle_days": FittedTarget(
                  target=90, simulated=88.5, ci95=(80.0, 97.0), error=-1.5)})
    calibrated = calibrated_text(text, fit)
    posterior = Posterior(method="history matching", draws={path: (2.0, 3.0) for path in paths},
                          prior={path: (1.0, 8.0) for path in paths})
    drawn = with_posterior(calibrated, posterior)
    assert drawn.startswith("# the office's own comment\n")
    (tmp_path / "calibrated.yaml").write_text(drawn, encoding="utf-8")
    loaded = load_scenario(tmp_path / "calibrated.yaml")
    assert loaded.bodies["a: b"].review_days.mean == 4.25
    assert loaded.calibration.fit.parameters == fit.parameters
    assert loaded.calibration.posterior.draws == posterior.draws
