"""The automatic replication count (Hoad, Robinson and Davies 2010): rule, precision met,
determinism, and ``--replications auto`` on the command line."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from support.scenarios import committee, exponential, office, scenario_data, write_scenario

from simlib import compare, replicate
from simlib.cli import options
from simlib.cli.main import main
from simlib.errors import InputError
from simlib.experiments import runner
from simlib.experiments.precision import (
    cycle_totals,
    look_ahead,
    replicate_until_precise,
    replications_needed,
)
from simlib.scenario import validate_scenario
from simlib.statistics import ratio_interval, relative_half_widths

# Two pathways through a desk of four reviewers, one of them on to the weekly board.
TINY = scenario_data(title="Tiny test office", horizon_years=2, seed=3, per_year=40,
                     bodies={"desk": office(4, exponential(3)), "board": committee(2, 2)},
                     pathways={"p": ["desk", "board"], "q": ["desk"]})
PRECISION = 0.04


@pytest.fixture(scope="module")
def tiny():
    return validate_scenario(TINY, "<tiny>")


@pytest.fixture(scope="module")
def precise(tiny):
    return replicate_until_precise(tiny, PRECISION, jobs=1)


def test_look_ahead_grows_past_100_replications():
    assert [look_ahead(n) for n in (3, 50, 100, 101, 150, 199, 200, 1000)] == \
        [5, 5, 5, 5, 7, 9, 10, 50]


def test_rule_needs_the_precision_to_hold_through_the_look_ahead():
    widths = [np.nan, 0.5, 0.01, 0.01, 0.3, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.2]
    # n = 3 meets 0.02 but n = 5 breaks it; n = 6 holds for 6..11
    assert replications_needed(widths, 0.02) == 6
    assert replications_needed(widths[:10], 0.02) is None  # 6's look-ahead not run yet
    assert replications_needed([np.nan] * 20, 0.02) is None
    assert replications_needed([0.0] * 8, 0.02) == 3  # HRD's minimum of 3 replications


def test_relative_half_widths_match_the_printed_interval(tiny):
    results = replicate(tiny, 12, jobs=1)
    sums, counts = cycle_totals(results)
    widths = relative_half_widths(sums.to_numpy(), counts.to_numpy())
    assert np.isnan(widths[0]).all()
    for m in (2, 7, 12):
        totals = pd.concat({name: pd.DataFrame({"sum": sums[name][:m], "count": counts[name][:m]})
                            for name in sums}, names=["pathway"])
        interval = ratio_interval(totals, "pathway", m)
        expected = (interval["high"] - interval["mean"]) / interval["mean"]
        assert widths[m - 1] == pytest.approx(expected.reindex(sums.columns).to_numpy())


def test_auto_count_meets_its_precision(tiny, precise):
    assert precise.converged and precise.achieved <= PRECISION
    assert precise.replications >= 3 and precise.simulated >= precise.replications + 5
    table = precise.results[0].pathways
    half = (table["cycle_days_ci95_high"] - table["cycle_days_ci95_low"]) / 2.0
    assert (half / table["cycle_days_mean"]).max() <= PRECISION + 1e-12
    assert precise.results[0].replications == precise.replications == len(precise.results[0].logs)


@pytest.mark.slow
def test_auto_count_is_deterministic_for_a_seed(tiny, precise):
    again = replicate_until_precise(tiny, PRECISION, jobs=2)
    assert again.replications == precise.replications
    pd.testing.assert_frame_equal(again.results[0].events, precise.results[0].events)


def test_cap_reached_is_reported(tiny):
    run = replicate_until_precise(tiny, 0.001, max_replications=6, jobs=1)
    assert not run.converged and run.replications == 6 and run.achieved > 0.001
    assert run.auto_dict()["converged"] is False


@pytest.mark.slow
def test_compare_auto_uses_one_count_for_every_scenario(tiny):
    faster = tiny.variant({"bodies.desk.review_days.mean": 2}, name="faster")
    result = compare(tiny, [faster], replications="auto", precision=0.06, jobs=1)
    assert result.base.replications == result.alternatives[0].replications == result.replications
    auto = result.to_dict()["replications_auto"]
    assert auto["precision"] == 0.06 and auto["achieved"] <= 0.06


# --- command line ------------------------------------------------------------------------


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    return write_scenario(tmp_path, **TINY)


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_run_auto_json(capsys, scenario_file, precise):
    status, out, err = run(capsys, "run", scenario_file, "--replications", "auto",
                           "--precision", str(PRECISION), "--jobs", "1", "--format", "json")
    assert status == 0 and err == ""
    result = json.loads(out)
    assert result["replications"] == precise.replications
    assert result["replications_auto"]["precision"] == PRECISION
    assert result["replications_auto"]["achieved"] == pytest.approx(precise.achieved)


def test_cli_run_auto_table_says_how_the_count_was_chosen(capsys, scenario_file, precise):
    status, out, _ = run(capsys, "run", scenario_file, "--replications", "auto",
                         "--precision", str(PRECISION), "--jobs", "1")
    assert status == 0
    assert f"{precise.replications} replications (chosen automatically" in out.splitlines()[1]


def test_cli_run_auto_cap_notes_on_stderr(capsys, scenario_file):
    status, _, err = run(capsys, "run", scenario_file, "--replications", "auto", "--precision",
                         "0.001", "--max-replications", "4", "--jobs", "1", "--format", "json")
    assert status == 0 and err.startswith("mcsim: note: after 4 replications")


@pytest.mark.parametrize("argv", [
    ["--replications", "sometimes"], ["--precision", "0"], ["--precision", "two"],
    ["--replications", "auto", "--max-replications", "2"],
])
def test_cli_bad_auto_options(capsys, scenario_file, argv):
    status, out, err = run(capsys, "run", scenario_file, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and err.startswith("mcsim: ")


def test_other_commands_keep_whole_replication_counts(capsys, scenario_file, tmp_path):
    status, _, err = run(capsys, "eventlog", scenario_file, "--out", tmp_path / "e.csv",
                         "--replications", "auto")
    assert status == 2 and "--replications" in err


# --- what cannot be estimated, and bounded replication counts ----------------------------


def test_auto_without_any_approval_is_not_estimable(tiny, capsys, tmp_path):
    idle = validate_scenario({**TINY, "demand": {"p": {"per_year": 0}, "q": {"per_year": 0}}},
                             "<idle>")
    with pytest.raises(InputError) as raised:
        replicate_until_precise(idle, PRECISION, max_replications=4, jobs=1)
    assert "not estimable: no proposal of tiny was approved after warm-up in 4 " \
           "replications" in str(raised.value)
    path = write_scenario(tmp_path, **{**TINY, "name": "idle",
                                       "demand": {"p": {"per_year": 0}, "q": {"per_year": 0}}})
    for extra in ([], ["--format", "json"]):
        status, out, err = run(capsys, "run", str(path), "--replications", "auto",
                               "--max-replications", "3", "--jobs", "1", *extra)
        assert (status, out) == (2, "") and err.count("\n") == 1
        assert "not estimable" in err and "nan" not in err


def test_replication_counts_are_capped_before_anything_is_built(tiny):
    assert options.MAX_REPLICATIONS == runner.MAX_REPLICATIONS
    huge = 10**23
    for attempt in (lambda: runner.batches(huge, 2), lambda: runner.batches(range(huge), 2),
                    lambda: runner.run_settings(tiny, huge),
                    lambda: runner.run([(tiny, range(huge))], None, 1)):
        with pytest.raises(InputError, match="at most 100,000"):
            attempt()
    assert runner.run_settings(tiny, runner.MAX_REPLICATIONS)[0] == 100_000
    assert runner.batches(range(5, 12), 1) == [(5, 6), (7, 8), (9, 10), (11,)]


@pytest.mark.parametrize(("text", "ok"), [("100000", True), ("100001", False), ("+3", True),
                                          ("0", False), ("1e3", False), ("1_000", False),
                                          ("９", False), ("9" * 5000, False)])
def test_replication_option_bounds(text, ok):
    parse = options.replications_int
    if ok:
        assert parse(text) == int(text)
    else:
        with pytest.raises(argparse.ArgumentTypeError) as raised:
            parse(text)
        assert "from 1 to 100,000" in str(raised.value) and len(str(raised.value)) < 120


@pytest.mark.parametrize("argv", [
    ["run", "{s}", "--replications", "1", "--format", "json"],
    ["run", "{s}", "--replications", "auto", "--max-replications", "3"],
    ["compare", "{s}", "{s}", "--replications", "1"],
    ["sensitivity", "{s}", "--replications", "1"],
])
@pytest.mark.slow
def test_edge_cases_raise_no_warnings(tmp_path, argv):
    """One replication and a pathway without demand: every figure is computed or shown as
    unknown, never through a numpy RuntimeWarning (warnings are errors here)."""
    data = {**TINY, "name": "edge", "demand": {"p": {"per_year": 40}, "q": {"per_year": 0}},
            "assumptions": [{"path": "bodies.desk.review_days.mean", "low": 2, "high": 4}]}
    path = write_scenario(tmp_path, **data)
    done = subprocess.run([sys.executable, "-W", "error", "-m", "simlib.cli.main",
                           *(part.format(s=path) for part in argv), "--jobs", "1"],
                          capture_output=True, text=True, env={**os.environ,
                                                               "PYTHONWARNINGS": "error"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Warning" not in done.stderr and "nan%" not in done.stdout + done.stderr
