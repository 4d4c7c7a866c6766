"""A Dask cluster as an executor for the runner (:mod:`simlib.experiments.runner`, which
takes any ``concurrent.futures.Executor`` and owns the local process pool).

:func:`dask_executor` connects to a Dask scheduler (``pip install 'simlib[dask]'``); Dask
is imported only when asked for.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Iterator
from contextlib import contextmanager

from simlib.errors import SchedulerError

CONNECT_TIMEOUT_SECONDS = 10




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
