"""Shared truths for the fitting tests: scenarios whose parameters are known, and records
simulated from them."""

from pathlib import Path

import pytest

from simlib.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


@pytest.fixture(scope="session")
def office_truth():
    return load_scenario(ROOT / "examples" / "office-truth.yaml")


@pytest.fixture(scope="session")
def irregular_truth():
    return load_scenario(HERE / "irregular-committee.yaml")
