"""Start-up cost: a command imports only what it uses (``python -X importtime``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"simpy", "scipy"}


def imported(*args: str) -> set[str]:
    """The name of every module ``python -X importtime args`` imports (from its stderr)."""
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
    assert "simlib.policy" in modules
    assert not top_level(modules) & (HEAVY | {"pandas"})


def test_the_simulation_does_load_them():  # so the checks here can fail
    assert top_level(imported("-c", "import simlib.experiments.results")) >= HEAVY


def test_command_modules_import_their_work_in_the_handler():
    """``mcsim --help`` imports every command module: their tops stay light. (Modules
    loaded by ``importlib.import_module`` are not in the ``-X importtime`` lines; what
    ``main``, ``check_proposal`` and ``report`` import at their tops is.)"""
    modules = imported("-m", "simlib.cli.main", "--help")
    assert {"simlib.policy.eligibility", "simlib.cli.options",
            "simlib.reports.build"} <= modules
    assert not top_level(modules) & (HEAVY | {"numpy", "pandas"})
    assert not any(name.startswith(("simlib.engine", "simlib.experiments", "simlib.planning"))
                   for name in modules)


def test_validate_loads_the_scenario_language_only():
    modules = imported("-m", "simlib.cli.main", "validate", "scenarios/baseline.yaml")
    assert "simlib.scenario" in modules
    assert not top_level(modules) & HEAVY


def test_importing_the_scenario_language_stays_light():
    modules = imported("-c", "import simlib.scenario")
    assert not top_level(modules) & HEAVY
    assert not any(name.startswith("simlib.experiments") for name in modules)
