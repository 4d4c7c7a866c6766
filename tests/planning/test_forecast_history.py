"""``mcsim forecast --history``: the open visits of an office's history are the pipeline, and
a history whose open visits are examples/pipeline.csv's proposals forecasts exactly what
``--pipeline examples/pipeline.csv`` does (same seed)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from simlib.cli.main import main
from simlib.errors import PipelineError
from simlib.planning.pipeline import pipeline_from_history, read_pipeline, step_names
from simlib.records.history_files import read_history
from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
EXAMPLE = ROOT / "examples" / "pipeline.csv"
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(BASELINE)


def history_rows(proposal, scenario) -> list[str]:
    """The rows an office would hold for one pipeline proposal: each earlier step that
    applies to its level approved a day after it arrived (from its submission on), then
    ``round`` revised visits at its current step, then the open visit since ``since``."""
    route = step_names(scenario, proposal.pathway)
    steps = [label for item in _applicable(scenario, proposal) for label in item]
    rows, day = [], proposal.submitted
    prefix = f"{proposal.id},{proposal.pathway},{proposal.level},"
    for step in steps[:steps.index(proposal.step)]:
        rows.append(f"{prefix}{step},{day},{day + dt.timedelta(days=1)},approve")
        day += dt.timedelta(days=1)
    for _ in range(proposal.round):
        rows.append(f"{prefix}{proposal.step},{day},{day + dt.timedelta(days=1)},revise")
        day += dt.timedelta(days=2)
    assert day <= proposal.since and proposal.step in route
    rows.append(f"{prefix}{proposal.step},{proposal.since},,")
    return rows


def _applicable(scenario, proposal):
    from simlib.scenario import labelled_steps

    return [[label for label, step in item if step.applies_to({"level": proposal.level})]
            for item in labelled_steps(scenario.pathways[proposal.pathway])]


@pytest.fixture
def history_csv(tmp_path, baseline) -> Path:
    proposals = read_pipeline(EXAMPLE, baseline, AS_OF)
    lines = ["proposal,pathway,level,step,arrived,decided,decision"]
    for proposal in proposals:
        lines += history_rows(proposal, baseline)
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_open_visits_are_the_pipeline_the_csv_gives(baseline, history_csv):
    history = read_history(history_csv, baseline, as_of=AS_OF)
    assert pipeline_from_history(history, baseline) == read_pipeline(EXAMPLE, baseline, AS_OF)
    assert any(proposal.round == 1 for proposal in pipeline_from_history(history, baseline))


def test_history_and_pipeline_give_the_same_forecast(history_csv, capsys):
    options = ["--as-of", "2026-12-01", "--replications", "4", "--jobs", "1", "--seed", "5",
               "--format", "json"]
    assert main(["forecast", str(BASELINE), "--pipeline", str(EXAMPLE), *options]) == 0
    from_pipeline = json.loads(capsys.readouterr().out)
    assert main(["forecast", str(BASELINE), "--history", str(history_csv), *options]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == from_pipeline
    assert "as of" not in captured.err  # --as-of was given


def test_the_export_date_defaults_to_the_latest_date_and_is_said(history_csv, capsys):
    assert main(["forecast", str(BASELINE), "--history", str(history_csv), "--replications",
                 "2", "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Forecast from 2026-11-25 of 7 proposals in progress")
    assert f"{history_csv}: as of 2026-11-25, its latest date" in captured.err


def test_a_history_with_nothing_open_has_nothing_to_forecast(tmp_path, baseline):
    path = tmp_path / "history.csv"
    path.write_text("proposal,pathway,level,step,arrived,decided,decision\n"
                    "A,noncredit,,department,2026-01-05,2026-01-07,withdraw\n")
    with pytest.raises(PipelineError, match="no open visits on 2026-01-07"):
        pipeline_from_history(read_history(path, baseline), baseline)


def test_an_open_credit_visit_without_level_cannot_be_forecast(tmp_path, baseline):
    path = tmp_path / "history.csv"
    path.write_text("proposal,pathway,level,step,arrived,decided,decision\n"
                    "A,credit,,department,2026-01-05,,\n")
    with pytest.raises(PipelineError, match=r"history.csv: row 2, column level: ''; pathway "
                       "'credit' needs a level"):
        pipeline_from_history(read_history(path, baseline), baseline)


@pytest.mark.slow
def test_a_bad_history_is_refused_before_the_simulation_is_imported(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("proposal,pathway,level,step,arrived,decided,decision\n"
                    "A,credit,undergraduate,senate,2026-01-05,,\n")
    code = ("import sys; from simlib.cli.main import main; status = main(sys.argv[1:]); "
            "print(status, 'simlib.engine.model' in sys.modules, 'scipy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "forecast", str(BASELINE), "--history",
                           str(path)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["2", "False", "False"]
    assert "row 2, column step: 'senate' is not a step of credit" in done.stderr


def test_the_pipeline_csvs_bounds_hold_for_a_history(tmp_path, baseline, monkeypatch):
    from simlib.planning import pipeline

    path = tmp_path / "history.csv"
    path.write_text("proposal,pathway,level,step,arrived,decided,decision\n"
                    "A,noncredit,,department,1990-01-05,1990-01-06,approve\n"
                    "A,noncredit,,dean,2026-01-05,,\nB,noncredit,,dean,2026-01-05,,\n")
    history = read_history(path, baseline)
    with pytest.raises(PipelineError, match=r"row 3, column arrived: A was submitted on "
                       "1990-01-05, more than 30 years before 2026-01-05"):
        pipeline_from_history(history, baseline)
    monkeypatch.setattr(pipeline, "MAX_PROPOSALS", 1)
    with pytest.raises(PipelineError, match="2 proposals in progress on 2026-01-05; a forecast "
                       "takes at most 1"):
        pipeline_from_history(history, baseline)


def test_forecast_history_is_the_forecast_of_its_pipeline(baseline, history_csv):
    from simlib.planning.forecast import forecast, forecast_history

    history = read_history(history_csv, baseline, as_of=AS_OF)
    from_history = forecast_history(baseline, history, replications=3, seed=9, jobs=1)
    from_csv = forecast(baseline, read_pipeline(EXAMPLE, baseline, AS_OF), AS_OF,
                        replications=3, seed=9, jobs=1)
    assert from_history.as_of == AS_OF
    assert (from_history.approved_at == from_csv.approved_at).all()
    assert from_history.table().equals(from_csv.table())
