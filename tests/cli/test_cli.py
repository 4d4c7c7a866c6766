"""The mcsim command line: outputs, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from support.scenarios import scenario_yaml, write_scenario

from simlib.cli.main import main
from simlib.engine.eventlog import COLUMNS

SCENARIO = {"title": "Tiny test office", "replications": 2, "seed": 3}  # the tiny office


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    return write_scenario(tmp_path, **SCENARIO)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit status, stdout and stderr of ``mcsim argv`` run in this process."""
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_line_error(status: int, err: str, start: str) -> None:
    assert status == 2
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith(start), err
    assert "Traceback" not in err


def test_run_prints_a_planner_table(capsys, scenario_file):
    status, out, err = run(capsys, "run", scenario_file, "--jobs", "1")
    assert status == 0 and err == ""
    assert out.startswith("Tiny test office\n")
    assert "2 replications, seed 3" in out
    for header in ("approved", "95% CI", "median", "P90", "approvals/yr", "utilization",
                   "queue wait", "meeting wait", "rework", "share met"):
        assert header in out
    pathway_line = next(line for line in out.splitlines() if line.startswith("p "))
    assert "[" in pathway_line and "." not in pathway_line.split("]")[0]  # whole days
    assert "%" in next(line for line in out.splitlines() if line.startswith("desk "))


def test_run_json_has_the_contract_keys(capsys, scenario_file):
    status, out, _ = run(capsys, "run", scenario_file, "--format", "json", "--replications",
                         "3", "--seed", "5", "--jobs", "1")
    assert status == 0
    result = json.loads(out)
    assert (result["scenario"], result["replications"], result["seed"]) == ("tiny", 3, 5)
    cycle = result["pathways"]["p"]["cycle_days"]
    assert set(cycle) == {"mean", "ci95", "median", "p90"} and len(cycle["ci95"]) == 2
    assert result["pathways"]["p"]["approved"] > 0
    assert set(result["bodies"]) == {"desk", "board"}
    assert result["sla"]["board"]["sla_days"] == 10


def test_run_prices_the_work_only_where_bodies_have_hours(capsys, tmp_path, scenario_file):
    """The text leaves hours out when no body has them (the JSON says so); with hours, the
    JSON's faculty hours a year is the text's."""
    status, out, _ = run(capsys, "run", scenario_file, "--jobs", "1")
    assert status == 0 and "person-hours" not in out
    status, out, _ = run(capsys, "run", scenario_file, "--format", "json", "--jobs", "1")
    assert json.loads(out)["hours"]["priced"] is False
    bodies = {"desk": {"kind": "office", "staff": 1, "review_days": 3,
                       "hours": {"per_review": 1.5}},
              "board": {"kind": "committee", "members": 2, "review_days": 2,
                        "meets": {"every_weeks": 1, "weekday": "wed"},
                        "hours": {"per_meeting": 2, "per_item": 0.5}}}
    priced = write_scenario(tmp_path, name="priced", bodies=bodies, **SCENARIO)
    status, out, _ = run(capsys, "run", priced, "--format", "json", "--jobs", "1")
    faculty = json.loads(out)["hours"]["faculty_per_year"]["mean"]
    status, out, _ = run(capsys, "run", priced, "--jobs", "1")
    line = next(line for line in out.splitlines() if line.startswith("faculty (committees)"))
    assert status == 0 and line.split()[2] == f"{faculty:.0f}"


def test_missing_file_is_one_line(capsys, tmp_path):
    missing = tmp_path / "nope.yaml"
    status, out, err = run(capsys, "run", missing)
    assert_one_line_error(status, err, str(missing))
    assert out == ""


def test_bad_scenario_names_file_and_key(capsys, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(scenario_yaml(**SCENARIO).replace("staff: 1", "staf: 1"))
    status, _, err = run(capsys, "run", path)
    assert_one_line_error(status, err, str(path))
    assert "bodies.desk" in err


@pytest.mark.parametrize("option", [["--replications", "0"], ["--replications", "abc"],
                                    ["--jobs", "0"], ["--seed", "-1"], ["--format", "xml"]])
def test_bad_options_are_one_line(capsys, scenario_file, option):
    status, _, err = run(capsys, "run", scenario_file, *option)
    assert_one_line_error(status, err, "mcsim: ")
    assert option[0] in err


def test_usage_errors_are_one_line(capsys):
    for argv in ([], ["frobnicate"], ["run"], ["eventlog", "x.yaml"]):
        status, _, err = run(capsys, *argv)
        assert_one_line_error(status, err, "mcsim: ")


def test_help_exits_zero(capsys):
    status, out, _ = run(capsys, "run", "--help")
    assert status == 0 and "--replications" in out


def test_validate_reports_each_file(capsys, scenario_file, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    status, out, err = run(capsys, "validate", scenario_file)
    assert status == 0 and out == f"ok  {scenario_file}  (Tiny test office)\n" and err == ""
    status, out, err = run(capsys, "validate", scenario_file, bad, tmp_path / "gone.yaml")
    assert status == 2
    assert out.count("\n") == 1
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith(str(bad)) and "gone.yaml" in lines[1]
    assert "YAML syntax error" in lines[0]


def test_eventlog_writes_csv_without_leftovers(capsys, scenario_file, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    out_file = folder / "events.csv"
    status, out, err = run(capsys, "eventlog", scenario_file, "--out", out_file, "--jobs", "1")
    assert status == 0 and err == ""
    assert [path.name for path in folder.iterdir()] == ["events.csv"]
    frame = pd.read_csv(out_file)
    assert list(frame.columns) == list(COLUMNS)
    assert set(frame["replication"]) == {0, 1}
    assert f"wrote {len(frame)} events of 2 replications" in out
    assert frame["date"].str.match(r"^\d{4}-\d\d-\d\d$").all()


def test_eventlog_refuses_a_missing_folder(capsys, scenario_file, tmp_path):
    target = tmp_path / "absent" / "events.csv"
    status, _, err = run(capsys, "eventlog", scenario_file, "--out", target)
    assert_one_line_error(status, err, "mcsim: ")
    assert "does not exist" in err and not target.parent.exists()


def test_console_script_exit_status(tmp_path):
    missing = tmp_path / "nope.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "simlib.cli.main", "run", str(missing)],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == f"{missing}: file not found; check the path\n"


def test_every_command_has_help(capsys):
    commands = ["run", "validate", "eventlog", "report", "compare", "calibrate",
                "sensitivity", "optimize"]
    assert main(["--help"]) == 0
    listing = capsys.readouterr().out
    for command in commands:
        assert command in listing
        assert main([command, "--help"]) == 0
        assert "usage: mcsim " + command in capsys.readouterr().out
