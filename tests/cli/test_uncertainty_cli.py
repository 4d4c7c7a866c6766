"""``--uncertainty`` on run, compare, plan and sensitivity: both intervals, said plainly.

A tiny office whose desk review time is uncertain (posterior draws in its file) and a
what-if of it; and the same office without draws, where the 95% range must be the noise CI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.scenarios import DESK_DRAWS, uncertain_office, write_scenario

from simlib.cli.main import main

TITLE = "Tiny office with an uncertain desk"
WHATIF = """\
extends: office.yaml
name: slow-board
set:
  bodies.board.meets.every_weeks: 3
"""


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "slow-board.yaml").write_text(WHATIF)
    return {"office": write_scenario(tmp_path, **uncertain_office(title=TITLE)),
            "slow-board": tmp_path / "slow-board.yaml",
            "fixed": write_scenario(tmp_path, **uncertain_office(False, title=TITLE))}


def mcsim_json(capsys, *argv) -> dict:
    status = main([str(arg) for arg in (*argv, "--format", "json", "--jobs", "1")])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return json.loads(captured.out)


def half(bounds) -> float:
    return (bounds[1] - bounds[0]) / 2


def test_run_without_draws_gives_the_noise_ci_and_says_so(files, capsys):
    result = mcsim_json(capsys, "run", files["fixed"], "--uncertainty", "--draws", "10",
                        "--replications", "3")
    cycle = result["pathways"]["p"]["cycle_days"]
    assert cycle["predictive95"] == pytest.approx(cycle["ci95"], rel=1e-12)
    assert result["uncertainty"]["fixed"] and "no posterior draws" in result["uncertainty"][
        "source"]
    status = main(["run", str(files["fixed"]), "--uncertainty", "--draws", "10",
                   "--replications", "3", "--jobs", "1"])
    text = capsys.readouterr().out
    assert status == 0 and "the range equals the noise CI" in text


def test_run_with_draws_gives_a_wider_range_and_the_split(files, capsys):
    result = mcsim_json(capsys, "run", files["office"], "--uncertainty", "--replications", "3")
    cycle = result["pathways"]["p"]["cycle_days"]
    assert result["uncertainty"]["draws"] == len(DESK_DRAWS)  # fewer than the default 50
    assert half(cycle["predictive95"]) > 3 * half(cycle["ci95"])
    assert cycle["spread"]["luck"] + cycle["spread"]["parameters"] == pytest.approx(1.0)
    assert result["replications"] == 3 * len(DESK_DRAWS)


def test_compare_a_whatif_inherits_the_draws(files, capsys):
    result = mcsim_json(capsys, "compare", files["office"], files["slow-board"],
                        "--uncertainty", "--replications", "3")
    row = result["alternatives"]["slow-board"]["pathways"]["p"]
    assert row["p_shorter"] < 0.05 and row["mean_diff_days"] > 0
    low, high = row["difference_predictive95"]
    assert low <= row["ci95"][0] <= row["ci95"][1] <= high
    assert "with what we don't know, it adds" in row["sentence"]
    assert result["uncertainty"]["paths"] == ["bodies.desk.review_days.mean"]


def test_plan_gives_a_range_of_dates_around_the_answer(files, capsys):
    result = mcsim_json(capsys, "plan", files["office"], "--pathway", "p", "--launch",
                        "2025-09-01", "--uncertainty", "--draws", "8", "--replications", "2")
    early, late = result["latest_submission_range"]
    assert early <= late <= "2025-09-01"
    assert result["uncertainty"]["draws"] == 8 and result["replications"] == 16


def test_sensitivity_gives_each_swing_a_range(files, capsys):
    result = mcsim_json(capsys, "sensitivity", files["office"], "--uncertainty", "--draws",
                        "4", "--replications", "2")
    [swing] = result["pathways"]["p"]["swings"]
    # the swung path is fixed at each end, so nothing else varies: the range is the CI
    assert swing["swing_mean_predictive95_low"] == pytest.approx(swing["swing_mean_ci95_low"])
    assert swing["swing_mean"] > 0


@pytest.mark.parametrize("argv, says", [
    (["--draws", "5"], "--draws needs --uncertainty"),
    (["--uncertainty", "--replications", "auto"], "give --replications N"),
    (["--uncertainty", "--draws", "1"], "--draws"),
])
def test_bad_options_get_one_line(files, capsys, argv, says):
    status = main(["run", str(files["office"]), *argv])
    err = capsys.readouterr().err
    assert status == 2 and says in err and err.count("\n") == 1


@pytest.mark.parametrize("argv, says", [
    (["compare", "{office}", "{office}", "--draws", "5"], "--draws needs --uncertainty"),
    (["calibrate", "{office}", "--draws", "5"], "--draws needs --posterior"),
    (["plan", "{office}", "--pathway", "p", "--launch", "2025-09-01", "--draws", "5"],
     "--draws needs --uncertainty"),
])
def test_draws_need_their_flag(files, capsys, argv, says):
    status = main([arg.format(office=files["office"]) for arg in argv])
    err = capsys.readouterr().err
    assert status == 2 and says in err and err.count("\n") == 1


def test_compare_runs_both_sides_at_as_many_draws_as_the_fewer_has(files, capsys):
    own = files["office"].parent / "own-draws.yaml"
    own.write_text("extends: office.yaml\nname: own-draws\ncalibration:\n  posterior:\n"
                   "    method: own\n    draws: {bodies.desk.review_days.mean: [2, 3, 4, 5, 6]}\n")
    result = mcsim_json(capsys, "compare", files["office"], own, "--uncertainty",
                        "--replications", "2")
    assert result["uncertainty"]["draws"] == 5
    assert "the first 5, as many as own-draws has" in result["uncertainty"]["source"]
    assert result["alternatives"]["own-draws"]["pathways"]["p"]["difference_predictive95"]
