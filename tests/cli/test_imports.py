"""Start-up cost: a command imports only what it uses (``python -X importtime``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"simpy", "scipy"}


def imported(*args: str) -> set[str]:
    """The top-level names of every module ``python -X importtime args`` imports."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    return {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("command", [
    ["check-proposal", "examples/proposals/credit-good.yaml"],
    ["badges", "validate", "examples/badges/upload-with-errors.csv"],
], ids=lambda command: " ".join(command[:2]))
def test_policy_commands_load_neither_simpy_nor_scipy(command):
    modules = imported("-m", "simlib.cli.main", *command)
    assert "simlib.policy" in modules or "simlib.cli.check_proposal" in modules
    assert not top_level(modules) & HEAVY


def test_a_simulation_command_does_load_them():  # the check above can fail
    modules = imported("-m", "simlib.cli.main", "validate", "scenarios/baseline.yaml")
    assert "simlib.scenario" in modules
    run = imported("-c", "import simlib.cli.run")
    assert top_level(run) >= HEAVY


def test_importing_the_scenario_language_stays_light():
    modules = imported("-c", "import simlib.scenario")
    assert not top_level(modules) & HEAVY
    assert not any(name.startswith("simlib.experiments") for name in modules)
