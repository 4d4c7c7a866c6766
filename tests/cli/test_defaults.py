"""What ``--help`` promises is what runs: the draws and replications per draw of
``--uncertainty`` on run, compare, plan and sensitivity, read from each command's help text
and from the ``uncertainty`` block of its JSON."""

from __future__ import annotations

import json
import re

import pytest

from simlib.cli.main import main

OFFICE = """\
name: office
calendar: {kind: continuous, start: 2024-03-04}
horizon_years: 1
warmup_years: 0.25
replications: 3
seed: 3
demand:
  p: {per_year: 12}
bodies:
  desk: {kind: office, staff: 1, review_days: {dist: exponential, mean: 3}}
pathways:
  p: [desk]
assumptions:
  - {path: bodies.desk.review_days.mean, low: 1, high: 8, note: "A: desk review"}
"""

WHATIF = "extends: office.yaml\nname: two-staff\nset:\n  bodies.desk.staff: 2\n"


def promised(capsys, command: str) -> tuple[int, int]:
    """(draws, replications per draw) that ``mcsim COMMAND --help`` states."""
    assert main([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    found = re.search(r"--draws N with --uncertainty: run N posterior draws \(default (\d+), "
                      r"with (\d+) replications each", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


@pytest.mark.parametrize("command", ["run", "compare", "plan", "sensitivity"])
def test_help_states_the_draws_the_command_runs(tmp_path, capsys, command):
    (tmp_path / "office.yaml").write_text(OFFICE)
    (tmp_path / "two-staff.yaml").write_text(WHATIF)
    draws, per_draw = promised(capsys, command)
    files = {"run": ["office.yaml"], "compare": ["office.yaml", "two-staff.yaml"],
             "plan": ["office.yaml", "--pathway", "p", "--launch", "2024-09-02"],
             "sensitivity": ["office.yaml"]}[command]
    words = [command, *(str(tmp_path / word) if word.endswith(".yaml") else word
                        for word in files), "--uncertainty", "--jobs", "1", "--format", "json"]
    assert main(words) == 0
    settings = json.loads(capsys.readouterr().out)["uncertainty"]
    assert (settings["draws"], settings["replications_per_draw"]) == (draws, per_draw)
