"""``mcsim backtest FITTED.yaml HISTORY``: the table, the JSON of the issue, and bad input
as one line with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

from simlib.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
TRUTH = ROOT / "examples" / "office-truth.yaml"
HISTORY = ROOT / "examples" / "history.csv"
QUICK = ("--replications", "4", "--seed", "3", "--jobs", "1")


def run(capsys, *argv: object) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``mcsim argv`` run in this process."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_has_the_issues_keys(capsys):
    status, out, err = run(capsys, "backtest", TRUTH, HISTORY, *QUICK, "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert set(data) == {"scenario", "history", "as_of", "replications", "seed", "pathways",
                         "steps", "verdict"}
    assert data["scenario"] == "office-truth" and data["as_of"] == "2026-08-18"
    assert data["replications"] == 4 and data["seed"] == 3
    assert set(data["pathways"]) == {"credit", "noncredit"}
    credit = data["pathways"]["credit"]
    assert {"n", "completed", "open", "withdrawn", "mean", "median", "p90"} <= set(
        credit["recorded"])
    assert {"wasserstein_days", "ks", "inside_band_share", "simulated"} <= set(credit)
    assert credit["recorded"]["n"] + data["pathways"]["noncredit"]["recorded"]["n"] == 154
    assert {"reproduces", "step", "days", "sentence"} <= set(data["verdict"])
    assert data["verdict"]["sentence"].startswith("The model ")


def test_table_opens_with_the_sentence(capsys):
    status, out, err = run(capsys, "backtest", TRUTH, HISTORY, *QUICK)
    assert status == 0, err
    first = out.splitlines()[0]
    assert first.startswith("The model ") and first.endswith(".")
    assert "Dean/Unit Head" in out and "KS p-value" in out


def test_a_bad_history_is_one_line_exit_2(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("proposal,pathway,step,arrived\nP1,credit,dean,2020-01-01\n")
    status, out, err = run(capsys, "backtest", TRUTH, bad, *QUICK)
    assert status == 2 and out == "" and "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith(f"{bad}: "), err
    assert "decided" in err  # names the missing column
    missing = tmp_path / "missing.csv"
    status, out, err = run(capsys, "backtest", TRUTH, missing, *QUICK)
    assert status == 2 and out == "" and err.count("\n") == 1 and "missing.csv" in err, err
