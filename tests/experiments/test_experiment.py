"""Replications: serial, process pool and thread pool give identical results; summaries."""

from __future__ import annotations

import concurrent.futures as cf
import json
import math

import pandas as pd
import pytest
from support.scenarios import committee, exponential, office, small_scenario

import simlib
from simlib.experiments import runner


@pytest.fixture(scope="module")
def scenario():
    """A small two-pathway scenario (office, then a committee that may ask for revision)."""
    board = committee(3, {"dist": "gamma", "mean": 3, "cv": 0.5}, every_weeks=2,
                      weekday="tue", agenda_limit=4)
    rework = {"dist": "uniform", "mean": 6, "cv": 0.3}
    return small_scenario(
        name="small", title="Small test pipeline", horizon_years=1.5, replications=6, seed=7,
        demand={"a": {"per_year": 25, "mix": {"graduate": 0.5, "undergraduate": 0.5}},
                "b": {"per_year": 10}},
        bodies={"desk": office(1, exponential(4)), "board": board},
        pathways={"a": ["desk", {"body": "board", "sla_days": 14,
                                 "revise": {"p": 0.3, "rework_days": rework}}],
                  "b": ["desk"]})


@pytest.fixture(scope="module")
def serial(scenario):
    return simlib.replicate(scenario, jobs=1, progress=False)


def test_defaults_come_from_the_scenario(serial):
    assert serial.replications == 6 and serial.seed == 7
    assert [log.replication for log in serial.logs] == list(range(6))
    assert serial.logs[3] == simlib.simulate(serial.scenario, 7, 3)


def test_process_pool_equals_serial(scenario, serial):
    parallel = simlib.replicate(scenario, jobs=2, progress=False)
    assert parallel.logs == serial.logs
    pd.testing.assert_frame_equal(parallel.events, serial.events)
    pd.testing.assert_frame_equal(parallel.summary(), serial.summary())


def test_any_executor_equals_serial(scenario, serial):
    with cf.ThreadPoolExecutor(max_workers=3) as pool:
        threaded = simlib.replicate(scenario, executor=pool, progress=False)
    pd.testing.assert_frame_equal(threaded.events, serial.events)
    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        processes = simlib.replicate(scenario, executor=pool, jobs=2, progress=False)
    pd.testing.assert_frame_equal(processes.events, serial.events)


class SubmitOnly(cf.Executor):
    """An executor offering only ``submit`` (as Dask's does), recording each batch."""

    def __init__(self):
        self.calls = []

    def submit(self, fn, /, *args, **kwargs):
        self.calls.append(args[-1])
        future = cf.Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_batches_several_replications_per_task(scenario, serial):
    executor = SubmitOnly()
    results = simlib.replicate(scenario, executor=executor, jobs=1, progress=False)
    assert executor.calls == [(0, 1), (2, 3), (4, 5)]  # 6 reps, 1 worker, 4 tasks a worker
    assert results.logs == serial.logs
    assert runner.batches(10, 2) == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]
    assert runner.batches(3, 8) == [(0,), (1,), (2,)]
    large = runner.batches(1000, 2)
    assert max(map(len, large)) == runner.MAX_BATCH
    assert [k for batch in large for k in batch] == list(range(1000))


def test_seed_and_replications_override(scenario, serial):
    results = simlib.replicate(scenario, replications=2, seed=8, jobs=1, progress=False)
    assert (results.replications, results.seed) == (2, 8)
    assert results.logs[0] != serial.logs[0]
    with pytest.raises(ValueError, match="replications must be >= 1"):
        simlib.replicate(scenario, replications=0)
    with pytest.raises(ValueError, match="jobs must be >= 1"):
        simlib.replicate(scenario, jobs=0)


def test_progress_bar_only_when_asked(scenario, capsys):
    simlib.replicate(scenario, replications=2, jobs=1, progress=False)
    assert capsys.readouterr().err == ""
    simlib.replicate(scenario, replications=2, jobs=1, progress=True)
    assert "2/2" in capsys.readouterr().err


def test_to_dict_has_the_contract_keys(serial):
    result = serial.to_dict()
    text = json.dumps(result, allow_nan=False)  # NaN became null
    assert json.loads(text) == result
    assert {"scenario", "title", "replications", "seed"} <= set(result)
    assert (result["scenario"], result["title"], result["seed"]) == (
        "small", "Small test pipeline", 7
    )
    pathway = result["pathways"]["a"]
    assert set(pathway["cycle_days"]) == {"mean", "ci95", "median", "p90"}
    low, high = pathway["cycle_days"]["ci95"]
    assert low < pathway["cycle_days"]["mean"] < high
    assert pathway["approved"] == serial.pathways.loc["a", "approved"] > 0
    assert pathway["approvals_per_year"] > 0
    body = result["bodies"]["board"]
    for key in ("utilization", "queue_wait_days", "review_days", "meeting_wait_days",
                "rework_days"):
        assert isinstance(body[key], float)
    assert result["bodies"]["desk"]["rework_days"] is None  # the desk never asks for revision
    assert result["bodies"]["desk"]["meeting_wait_days"] == 0.0
    assert set(result["sla"]) == {"board"}
    assert result["sla"]["board"]["sla_days"] == 14
    assert 0.0 <= result["sla"]["board"]["share_met"] <= 1.0


def test_summary_is_tidy_and_matches_tables(serial):
    summary = serial.summary()
    assert list(summary.columns) == ["scenario", "section", "name", "metric", "value"]
    assert set(summary["section"]) == {"pathway", "body", "step", "sla"}
    assert not summary.duplicated(["section", "name", "metric"]).any()
    indexed = summary.set_index(["section", "name", "metric"])["value"]
    for metric in ("cycle_days_mean", "cycle_days_ci95_low", "cycle_days_ci95_high",
                   "cycle_days_p90", "approved", "approvals_per_year"):
        expected = float(serial.pathways.loc["a", metric])
        assert indexed[("pathway", "a", metric)] == pytest.approx(expected)
    assert indexed[("body", "desk", "utilization")] == pytest.approx(
        serial.bodies.loc["desk", "utilization"]
    )
    assert ("step", "a/board", "rework_days") in indexed.index
    assert 0.0 <= indexed[("sla", "board", "share_met")] <= 1.0
    assert math.isnan(indexed[("body", "desk", "rework_days")])


def test_results_cache_the_events_frame(serial):
    assert serial.events is serial.events
    assert len(serial.events) == sum(len(log) for log in serial.logs)
    assert repr(serial) == "Results(scenario='small', replications=6, seed=7)"


def test_workers_return_summaries_and_the_log_is_simulated_only_when_asked(scenario, serial):
    kept = simlib.replicate(scenario, jobs=1, progress=False, keep_events=True)
    assert serial.kept_logs is None and kept.kept_logs is not None
    assert serial.logs == kept.logs  # simulated again: the same replications, bit for bit
    pd.testing.assert_frame_equal(serial.pathways, kept.pathways, check_exact=True)
    pd.testing.assert_frame_equal(serial.events, kept.events)


def test_the_runner_keeps_the_order_of_variants_and_replications(scenario):
    other = scenario.variant({"seed": 8}, name="other")

    def on(executor, jobs):
        return runner.run([(scenario, [4, 1, 3]), (other, range(2))],
                          lambda s, seed, k: (s.name, seed, k), 5, executor, jobs,
                          progress=False)

    expected = [[("small", 5, 4), ("small", 5, 1), ("small", 5, 3)],
                [("other", 5, 0), ("other", 5, 1)]]
    assert on(None, 1) == expected
    with cf.ThreadPoolExecutor(2) as threads:
        assert on(threads, 2) == expected


def test_the_runner_cancels_what_is_left_when_a_task_fails(scenario):
    def fail_on_two(s, seed, k):
        if k == 2:
            raise RuntimeError("boom")
        return k

    with cf.ThreadPoolExecutor(1) as threads, pytest.raises(RuntimeError, match="boom"):
        runner.run([(scenario, range(40))], fail_on_two, 1, threads, 1, progress=False)


def seed_and_number(scenario, seed: int, replication: int) -> tuple[str, int, int]:
    """A measure a process pool can send: what the runner asked for."""
    return scenario.name, seed, replication


def test_results_in_order_come_one_at_a_time_as_the_runner_gives_them(scenario):
    """:func:`run_in_order` hands over replication k in order, serially or on a pool, and
    is read as it goes (a generator, never a list of every result)."""
    expected = [("small", 5, k) for k in range(20)]
    for jobs in (1, 2):
        stream = runner.run_in_order(scenario, 20, seed_and_number, 5, jobs=jobs,
                                     progress=False)
        assert not isinstance(stream, list | tuple)
        assert list(stream) == expected


def test_a_progress_function_hears_every_replication_and_can_stop_the_run(scenario):
    """``progress`` as a function: called with (0, total) first, then after each batch with
    the replications done so far (rising to the total), serially and on a pool; what it
    raises stops the run and reaches the caller, and what had not started is cancelled."""
    for executor_jobs in ((None, 1), (None, 2)):
        heard = []
        found = runner.run([(scenario, range(12))], seed_and_number, 5, *executor_jobs,
                           progress=lambda done, total, heard=heard: heard.append((done, total)))
        assert found == [[("small", 5, k) for k in range(12)]]
        assert heard[0] == (0, 12) and heard[-1] == (12, 12)
        assert [done for done, _ in heard] == sorted(done for done, _ in heard)

    class Stop(Exception):
        pass

    started = []

    def measure(s, seed, k):
        started.append(k)
        return k

    def stop_after_first(done, total):
        if done:
            raise Stop

    with cf.ThreadPoolExecutor(1) as threads, pytest.raises(Stop):
        runner.run([(scenario, range(40))], measure, 1, threads, 1, progress=stop_after_first)
    assert len(started) < 40  # the batches not started were cancelled
    heard = []
    stream = runner.run_in_order(scenario, 6, seed_and_number, 5, jobs=1,
                                 progress=lambda done, total: heard.append(done))
    assert len(list(stream)) == 6 and heard[0] == 0 and heard[-1] == 6
