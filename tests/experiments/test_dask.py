"""Replications on a Dask cluster give the same results as a serial run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest
from support.scenarios import TINY, write_scenario  # the same small office and committee

from simlib import compare, replicate
from simlib.cli.main import main
from simlib.errors import SchedulerError
from simlib.experiments import executors as executors_module
from simlib.experiments.executors import dask_executor
from simlib.experiments.precision import replicate_until_precise
from simlib.scenario import validate_scenario


@pytest.fixture(scope="module")
def tiny():
    return validate_scenario(TINY, "<tiny>")


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def executor(cluster):
    with dask_executor(cluster.scheduler_address) as (dask_pool, workers):
        assert workers == 2
        yield dask_pool


@pytest.mark.slow
def test_replicate_on_dask_equals_serial(tiny, executor):
    remote = replicate(tiny, 6, seed=5, executor=executor, jobs=2)
    serial = replicate(tiny, 6, seed=5, jobs=1)
    assert remote.replications == 6
    pd.testing.assert_frame_equal(remote.events, serial.events)


@pytest.mark.slow
def test_compare_and_auto_count_on_dask_equal_serial(tiny, executor):
    slower = tiny.variant({"bodies.desk.review_days.mean": 4}, name="slower")
    remote = compare(tiny, [slower], replications=4, executor=executor, jobs=2)
    assert remote.to_dict() == compare(tiny, [slower], replications=4, jobs=1).to_dict()
    auto = replicate_until_precise(tiny, 0.1, executor=executor, jobs=2)
    assert auto.replications == replicate_until_precise(tiny, 0.1, jobs=1).replications


@pytest.mark.slow
def test_cli_scheduler_option(capsys, tmp_path: Path, cluster):
    path = write_scenario(tmp_path, **TINY)
    outputs = []
    for extra in (["--scheduler", cluster.scheduler_address], ["--jobs", "1"]):
        status = main(["run", str(path), "--replications", "3", "--format", "json", *extra])
        captured = capsys.readouterr()
        assert status == 0 and captured.err == ""
        outputs.append(json.loads(captured.out))
    assert outputs[0] == outputs[1]


def test_unreachable_scheduler_is_one_line(monkeypatch):
    pytest.importorskip("dask.distributed")
    monkeypatch.setattr(executors_module, "CONNECT_TIMEOUT_SECONDS", 1)
    with pytest.raises(SchedulerError, match=r"^mcsim: cannot connect to the Dask scheduler at "
                                             r"tcp://127\.0\.0\.1:9"), \
            dask_executor("tcp://127.0.0.1:9"):
        pass


def test_missing_dask_is_one_line(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if absent
    with pytest.raises(SchedulerError, match=r"pip install 'simlib\[dask\]'"), \
            dask_executor("tcp://127.0.0.1:8786"):
        pass
