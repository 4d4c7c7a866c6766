"""``mcsim fit``: the fitted what-if it writes, its table and JSON, and its refusals."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simlib.cli.main import main
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history.csv"
BASE = ROOT / "scenarios" / "baseline.yaml"


def _fit(capsys, out, *extra):
    status = main(["fit", str(HISTORY), "--base", str(BASE), "--out", str(out), *extra])
    return status, capsys.readouterr()


def test_fit_writes_a_whatif_of_the_base_and_prints_json(tmp_path, capsys):
    out = tmp_path / "fitted.yaml"
    status, printed = _fit(capsys, out, "--format", "json")
    assert status == 0
    result = json.loads(printed.out)
    assert {"proposals", "rows", "as_of", "parameters", "meetings",
            "ignored_columns"} <= set(result)
    assert result["proposals"] == 154 and result["rows"] == 1004
    assert result["as_of"] == "2026-08-18"
    first = result["parameters"][0]
    assert {"path", "value", "ci95", "n", "method"} <= set(first)
    assert result["meetings"]["mc"]["rule"] == {"weekday": "tue", "nth": [1, 3]}
    text = out.read_text()
    assert "extends: " in text and "# 95% CI" in text
    assert "Fitted to history.csv (154 proposals, as of 2026-08-18)" in text
    scenario = load_scenario(out)
    assert scenario.bodies["mc"].meets.nth == (1, 3)
    # the truth behind the example: 12 credit proposals a year, UE revision chance 0.35
    assert 9 < scenario.demand["credit"].per_year < 16
    assert abs(scenario.value_at("pathways.credit.ug_education.revise.p") - 0.35) < 0.12


@pytest.mark.slow
def test_fit_prints_a_table_of_parameters_and_meetings(tmp_path, capsys):
    status, printed = _fit(capsys, tmp_path / "fitted.yaml")
    assert status == 0
    lines = printed.out.splitlines()
    row = next(line for line in lines if line.startswith("pathways.credit.mc.revise.p "))
    assert "Clopper-Pearson" in row and " to " in row
    assert any(line.startswith("  mc: ") for line in lines)
    assert "wrote the fitted what-if to" in lines[-1]


@pytest.mark.slow
def test_the_base_reference_is_relative_to_the_output(tmp_path, capsys):
    out = tmp_path / "deeper" / "fitted.yaml"
    out.parent.mkdir()
    assert _fit(capsys, out)[0] == 0
    moved = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "deeper", moved)  # same depth: the relative path still holds
    assert load_scenario(moved / "fitted.yaml").name == "fitted-history-csv"


@pytest.mark.parametrize("target", ["history", "base"])
def test_fit_never_writes_over_an_input(tmp_path, capsys, target):
    history = tmp_path / "history.csv"
    shutil.copy(HISTORY, history)
    out = history if target == "history" else BASE
    before = out.read_bytes()
    status = main(["fit", str(history), "--base", str(BASE), "--out", str(out)])
    printed = capsys.readouterr()
    assert status == 2
    assert "input" in printed.err and len(printed.err.strip().splitlines()) == 1
    assert out.read_bytes() == before


def test_fit_needs_a_base(tmp_path, capsys):
    status = main(["fit", str(HISTORY), "--out", str(tmp_path / "fitted.yaml")])
    assert status == 2
    assert "--base" in capsys.readouterr().err


@pytest.mark.slow
def test_ignored_columns_are_listed_once(tmp_path, capsys):
    history = tmp_path / "history.csv"
    lines = HISTORY.read_text().splitlines()
    history.write_text("\n".join([lines[0] + ",Notes"] + [line + ",x" for line in lines[1:]])
                       + "\n")
    status = main(["fit", str(history), "--base", str(BASE), "--out",
                   str(tmp_path / "fitted.yaml")])
    printed = capsys.readouterr()
    assert status == 0
    assert (printed.out + printed.err).count("ignored columns: Notes") == 1


def test_a_record_with_nothing_to_fit_is_refused_in_one_line(tmp_path, capsys):
    history = tmp_path / "history.csv"
    history.write_text("\n".join(HISTORY.read_text().splitlines()[:2]) + "\n")
    out = tmp_path / "fitted.yaml"
    status = main(["fit", str(history), "--base", str(BASE), "--out", str(out)])
    printed = capsys.readouterr()
    assert status == 2 and not out.exists() and printed.out == ""
    assert printed.err.strip().splitlines() == [
        f"{history}: nothing to fit: 1 proposal and 1 row from 2018-09-05 to 2018-09-10, "
        "while a rate needs 5 arrivals over 90 days, a review time 5 ended reviews and a "
        "step's chances 5 decisions; give a longer record"]


def test_a_whatif_that_would_not_load_is_not_written(tmp_path, capsys, monkeypatch):
    from simlib.fitting import result

    real = result.HistoryFit.whatif_yaml

    def broken(self, *args, **kwargs):
        return real(self, *args, **kwargs).replace("set:\n", "set:\n  pathways.credit.x.p: 1\n")

    monkeypatch.setattr(result.HistoryFit, "whatif_yaml", broken)
    out = tmp_path / "fitted.yaml"
    out.write_text("kept: the user's file\n")
    status, printed = _fit(capsys, out)
    assert status == 2 and printed.out == ""
    line, = printed.err.strip().splitlines()
    assert line.startswith(f"mcsim: --out {out}: the fitted what-if would not load (")
    assert "set.pathways.credit.x.p: path does not exist" in line
    assert "nothing was written" in line
    assert out.read_text() == "kept: the user's file\n"
