"""Executors for replications: a local process pool shared by several runs, or a Dask cluster.

:func:`simlib.experiment.replicate` takes any ``concurrent.futures.Executor``. Comparisons
and the automatic replication count run several batches; :func:`local_pool` lets them share
one pool instead of starting one per batch. :func:`dask_executor` connects to a Dask
scheduler (``pip install 'simlib[dask]'``); Dask is imported only when asked for.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

from simlib.inputs import InputError

CONNECT_TIMEOUT_SECONDS = 10


class SchedulerError(InputError):
    """A Dask scheduler that cannot be used (Dask missing, or no scheduler at the address)."""


def _ignore_interrupts() -> None:
    """In pool workers: leave Ctrl-C to the parent, which cancels the remaining work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def local_pool(
    executor: cf.Executor | None, jobs: int | None
) -> Iterator[tuple[cf.Executor | None, int]]:
    """``(executor, workers)`` for a run of several batches.

    The given ``executor`` is passed through (``workers``: ``jobs``, else the CPU count).
    Without one: ``None`` (run in this process) when ``jobs`` is 1, else a process pool of
    ``jobs`` workers (default: the CPU count), shut down on exit.
    """
    workers = jobs or os.cpu_count() or 1
    if executor is not None or workers == 1:
        yield executor, workers
        return
    pool = cf.ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupts)
    try:
        yield pool, workers
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def dask_executor(address: str | None) -> Iterator[tuple[cf.Executor | None, int | None]]:
    """``(executor, workers)`` of the Dask scheduler at ``address`` (e.g.
    ``tcp://10.0.0.5:8786``), or ``(None, None)`` when ``address`` is None.

    Raises :class:`SchedulerError` (one line) when Dask is not installed or the scheduler
    cannot be reached within :data:`CONNECT_TIMEOUT_SECONDS` seconds.
    """
    if address is None:
        yield None, None
        return
    try:
        from dask.distributed import Client
    except ImportError:
        raise SchedulerError(
            "mcsim: --scheduler needs Dask; install it with pip install 'simlib[dask]'"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_SECONDS)
    except (OSError, TimeoutError, ValueError) as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else "no answer"
        raise SchedulerError(
            f"mcsim: cannot connect to the Dask scheduler at {address}: {reason}"
        ) from None
    try:
        workers = len(client.scheduler_info().get("workers", {})) or None
        yield client.get_executor(), workers
    finally:
        client.close()
