"""Paired comparisons with common random numbers: exact zeros, narrow intervals, signs, CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from support.scenarios import TINY, write_scenario

from simlib import compare, load_scenario, replicate
from simlib.cli.main import main
from simlib.errors import ComparisonError
from simlib.experiments.compare import check_alternatives, paired_p90_interval
from simlib.reports.words import sentence
from simlib.scenario import validate_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


@pytest.fixture(scope="module")
def tiny():
    return validate_scenario(TINY, "<tiny>")


def test_identical_copy_gives_exact_zeros(tiny):
    copy = tiny.variant({}, name="copy")
    result = compare(tiny, [copy], replications=8, jobs=1).to_dict()
    row = result["alternatives"]["copy"]["pathways"]["p"]
    assert row["mean_diff_days"] == 0.0 and row["ci95"] == [0.0, 0.0]
    assert row["p90_diff_days"] == 0.0 and row["p90_ci95"] == [0.0, 0.0]
    assert row["base_mean_days"] == row["alt_mean_days"] > 0
    assert row["verdict"] == "no clear change"
    assert result["alternatives"]["copy"]["sla"]["board"]["share_diff"] == 0.0
    assert "sentence" not in row  # words are the reports' (simlib.reports.words)
    assert "no clear change" in sentence("copy", "p", row)


def test_paired_interval_is_much_narrower_than_unpaired():
    """A 5% slower dean: with common random numbers the interval of the difference is at
    most half as wide as the one from independent runs (measured: about a tenth)."""
    base = load_scenario(SCENARIOS / "baseline.yaml")
    mean = base.value_at("bodies.dean.review_days.mean")
    slower = base.variant({"bodies.dean.review_days.mean": 1.05 * mean}, name="slower-dean")
    paired = compare(base, [slower], replications=20, jobs=1)
    independent = replicate(slower, 20, seed=base.seed + 1, jobs=1)
    for pathway, row in paired.to_dict()["alternatives"]["slower-dean"]["pathways"].items():
        halves = [(table.loc[pathway, "cycle_days_ci95_high"]
                   - table.loc[pathway, "cycle_days_ci95_low"]) / 2.0
                  for table in (paired.base.pathways, independent.pathways)]
        unpaired_width = 2.0 * math.hypot(*halves)
        paired_width = row["ci95"][1] - row["ci95"][0]
        assert 0.0 < paired_width <= 0.5 * unpaired_width, (pathway, paired_width, unpaired_width)


@pytest.mark.slow
def test_weekly_meetings_shorten_and_triple_demand_lengthens():
    base = load_scenario(SCENARIOS / "baseline.yaml")
    weekly = load_scenario(SCENARIOS / "mc-weekly.yaml")
    demand = load_scenario(SCENARIOS / "demand-3x.yaml")
    result = compare(base, [weekly, demand], replications=15, jobs=1)
    rows = result.to_dict()["alternatives"]
    credit_weekly, credit_demand = rows["mc-weekly"]["pathways"]["credit"], \
        rows["demand-3x"]["pathways"]["credit"]
    assert credit_weekly["ci95"][1] < 0 and credit_weekly["verdict"] == "shorter"
    assert credit_demand["ci95"][0] > 0 and credit_demand["verdict"] == "longer"
    weekly_words = sentence(weekly.title, "credit", credit_weekly)
    assert weekly_words.startswith(weekly.title + ": the credit-bearing mean")
    assert "falls by" in weekly_words
    assert "rises by" in sentence(demand.title, "credit", credit_demand)
    assert rows["mc-weekly"]["sla"]["mc"]["share_diff"] > 0  # weekly meetings answer sooner
    summary = result.summary()
    assert {"baseline", "alternative", "section", "name", "metric", "value"} <= set(summary)
    assert set(summary["alternative"]) == {"mc-weekly", "demand-3x"}


def test_json_keys(tiny):
    slower = tiny.variant({"bodies.desk.review_days.mean": 4}, name="slower")
    result = compare(tiny, [slower], replications=5, seed=11, jobs=1).to_dict()
    assert (result["baseline"], result["replications"], result["seed"]) == ("tiny", 5, 11)
    row = result["alternatives"]["slower"]["pathways"]["p"]
    assert {"mean_diff_days", "ci95", "p90_diff_days", "base_mean_days",
            "alt_mean_days"} <= set(row)
    assert row["mean_diff_days"] == pytest.approx(row["alt_mean_days"] - row["base_mean_days"])
    assert set(result["alternatives"]["slower"]["sla"]["board"]) >= {"share_diff"}
    json.dumps(result, allow_nan=False)


def test_pooled_means_match_the_run_table(tiny):
    result = compare(tiny, [tiny.variant({}, name="copy")], replications=6, jobs=1)
    row = result.to_dict()["alternatives"]["copy"]["pathways"]["p"]
    table = result.base.pathways.loc["p"]
    assert row["base_mean_days"] == pytest.approx(table["cycle_days_mean"])
    assert row["base_p90_days"] == pytest.approx(table["cycle_days_p90"])


def test_p90_interval_of_identical_samples_is_zero():
    rng = np.random.default_rng(1)
    cycles = (rng.exponential(10.0, 50), rng.integers(0, 5, 50))
    assert paired_p90_interval(cycles, cycles, 5, np.random.default_rng(2)) == (0.0, 0.0)


def test_bad_alternatives_are_rejected(tiny):
    with pytest.raises(ComparisonError, match="at least one"):
        check_alternatives(tiny, [])
    copy = tiny.variant({}, name="copy")
    with pytest.raises(ComparisonError, match="'copy' is given twice"):
        check_alternatives(tiny, [copy, copy])


# --- command line ------------------------------------------------------------------------


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    base = write_scenario(tmp_path, **TINY)
    alt = tmp_path / "slower.yaml"
    alt.write_text("extends: tiny.yaml\nname: slower\ntitle: A slower desk\n"
                   "set:\n  bodies.desk.review_days.mean: 4\n")
    return base, alt


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_table(capsys, files):
    status, out, err = run(capsys, "compare", *files, "--replications", "4", "--jobs", "1")
    assert status == 0 and err == ""
    assert out.startswith("Paired comparison with Tiny test office (tiny)\n")
    assert "4 replications of each scenario, seed 3" in out
    for header in ("base mean", "alt mean", "difference", "95% CI", "P90 difference", "verdict"):
        assert header in out
    assert "- A slower desk: " in out
    changes = out.index("What each alternative changes (baseline -> alternative)\nslower\n"
                        "  bodies.desk.review_days.mean: 3 -> 4\n\n")
    assert changes < out.index("Time from submission to approval")


def test_cli_json(capsys, files):
    status, out, _ = run(capsys, "compare", *files, "--replications", "3", "--seed", "9",
                         "--jobs", "1", "--format", "json")
    assert status == 0
    result = json.loads(out)
    assert (result["baseline"], result["replications"], result["seed"]) == ("tiny", 3, 9)
    assert set(result["alternatives"]["slower"]["pathways"]["p"]) >= {
        "mean_diff_days", "ci95", "p90_diff_days", "base_mean_days", "alt_mean_days",
        "sentence"}
    assert "share_diff" in result["alternatives"]["slower"]["sla"]["board"]
    assert result["alternatives"]["slower"]["changes"] == [
        {"path": "bodies.desk.review_days.mean", "base": 3.0, "new": 4.0}]


def test_comparison_lists_what_each_alternative_changes(tiny):
    staff = tiny.variant({"bodies.desk.staff": 3, "bodies.board.meets.every_weeks": 2},
                         name="more-staff")
    result = compare(tiny, [staff, tiny.variant({}, name="copy")], replications=2, jobs=1)
    assert [str(change) for change in result.changes["more-staff"]] == [
        "bodies.desk.staff: 1 -> 3", "bodies.board.meets.every_weeks: 1 -> 2"]
    assert result.changes["copy"] == ()
    entries = result.to_dict()["alternatives"]
    assert entries["more-staff"]["changes"][0] == {"path": "bodies.desk.staff", "base": 1,
                                                   "new": 3}
    assert entries["copy"]["changes"] == []


def test_cli_table_says_when_an_alternative_changes_nothing(capsys, files, tmp_path):
    same = tmp_path / "same.yaml"
    same.write_text("extends: tiny.yaml\nname: same\ntitle: Renamed only\n")
    status, out, _ = run(capsys, "compare", files[0], same, "--replications", "2", "--jobs", "1")
    assert status == 0
    assert "same\n  nothing the simulation sees (the same as the baseline)\n" in out


@pytest.mark.parametrize("argv, start", [
    (["compare", "{base}"], "mcsim: compare needs at least one what-if"),
    (["compare", "{base}", "{alt}", "{alt}"], "mcsim: compare: alternatives need distinct"),
    (["compare", "{base}", "missing.yaml"], "missing.yaml: file not found"),
    (["compare", "{base}", "{alt}", "--replications", "0"], "mcsim: argument --replications"),
    (["compare", "{base}", "{alt}", "--replications", "many"], "mcsim: argument --replications"),
    (["compare", "{base}", "{alt}", "--precision", "5"], "mcsim: argument --precision"),
])
def test_cli_bad_input_is_one_line_and_status_2(capsys, files, argv, start):
    base, alt = files
    status, out, err = run(capsys, *[arg.format(base=base, alt=alt) for arg in argv])
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(start), err


def test_where_the_time_goes_of_each_side_whether_the_logs_were_kept_or_not(tiny):
    """:meth:`ComparisonAnswer.time_breakdown`: the base's rows then the what-if's, each
    scenario's own table; the same from the kept logs as from logs simulated again."""
    from simlib import answers

    slower = tiny.variant({"bodies.desk.review_days.mean": 6}, name="slower")
    kept = answers.compare(tiny, [slower], 4, 3, jobs=1, progress=False, keep_events=True)
    again = answers.compare(tiny, [slower], 4, 3, jobs=1, progress=False)
    table = kept.time_breakdown()
    assert list(table["scenario"].unique()) == ["tiny", "slower"]
    assert table.equals(again.time_breakdown())
    desk = table[table["step"] == "desk"].set_index("scenario")["review_days"]
    assert desk["slower"] > desk["tiny"]
