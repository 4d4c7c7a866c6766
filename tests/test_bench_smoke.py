"""Smoke test of benchmarks/bench_engine.py on a small tandem (no timings are checked)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_engine.py"
PROPOSALS = 200


def load_bench() -> ModuleType:
    """The benchmark module, imported from its file (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("bench_engine", BENCH_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """The benchmark module."""
    return load_bench()


@pytest.fixture(scope="module")
def both_logs(bench) -> tuple[list[tuple], list[tuple]]:
    """Engine rows and hand-written rows for the same number of proposals."""
    engine_rows = bench.run_engine(bench.tandem_scenario(PROPOSALS), seed=3)
    hand_rows = bench.run_hand(bench.count_proposals(engine_rows), seed=3)
    return engine_rows, hand_rows


def test_both_models_record_the_same_number_of_events(bench, both_logs):
    engine_rows, hand_rows = both_logs
    assert bench.count_proposals(engine_rows) > PROPOSALS // 2
    assert len(engine_rows) == len(hand_rows)
    assert len(engine_rows) == bench.count_proposals(engine_rows) * (2 + 4 * bench.STAGES)


def test_both_models_record_the_same_kinds_per_proposal(bench, both_logs):
    engine_rows, hand_rows = both_logs
    assert bench.kinds_by_proposal(engine_rows) == bench.kinds_by_proposal(hand_rows)


def test_rows_have_the_raw_field_layout(both_logs):
    engine_rows, hand_rows = both_logs
    assert {len(row) for row in engine_rows + hand_rows} == {8}
    assert {type(row[6]) for row in hand_rows} <= {float, int}
    assert {row[1] for row in engine_rows} == {row[1] for row in hand_rows}
