"""The harness runs the corpus forked from a process that has imported the commands
(``support/cli_server.py``); a user runs a fresh interpreter. Both ways must give the same
exit status, stdout and stderr: refusals, a success, argparse's usage error, a simulation
and a fit, which imports what the server did not (pandas, scipy) and writes a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support.hostile import HOSTILE, cases, run_fresh, run_mcsim

ROOT = Path(__file__).resolve().parents[2]
BASE = HOSTILE / "whatif" / "_base.yaml"
COMMANDS = {  # name: (exit status, command line)
    "refused scenario": (2, ["validate", cases("scenario")[0].name]),
    "refused proposal": (2, ["check-proposal", cases("proposal")[0].name]),
    "valid scenario": (0, ["validate", "_base.yaml"]),
    "no command": (2, []),
    "version": (0, ["--version"]),
    "simulation": (0, ["run", "_base.yaml", "--replications", "2", "--jobs", "1", "--format",
                       "json"]),
    "a fit": (0, ["fit", "_record.csv", "--base", "baseline.yaml", "--out", "fitted.yaml"]),
}
FILES = (BASE, cases("scenario")[0], cases("proposal")[0], HOSTILE / "fit" / "_record.csv",
         ROOT / "scenarios" / "baseline.yaml")


@pytest.mark.parametrize(("status", "args"), COMMANDS.values(), ids=COMMANDS.keys())
def test_a_case_forked_from_the_server_ends_as_in_a_fresh_interpreter(status, args, tmp_path):
    ran = []
    for name, run in (("forked", run_mcsim), ("fresh", run_fresh)):
        folder = tmp_path / name
        folder.mkdir()
        for source in FILES:
            shutil.copy(source, folder / source.name)
        outcome = run(args, folder)
        written = {path.name: path.read_bytes() for path in folder.iterdir()}
        ran.append((outcome.status, outcome.stdout, outcome.stderr, written))
    assert ran[0] == ran[1]
    assert ran[1][0] == status and (ran[1][1] or ran[1][2])


def test_the_server_keeps_serving_after_a_case_fails(tmp_path):
    shutil.copy(BASE, tmp_path / BASE.name)
    first = run_mcsim(["validate", "missing.yaml"], tmp_path)
    second = run_mcsim(["validate", "_base.yaml"], tmp_path)
    assert first.status == 2 and second.status == 0, (first, second)
