"""The one experiment runner: variants x replications on any executor.

Every experiment (replicate, the automatic replication count, compare, sensitivity, the
studies, calibrate, optimize, the deadline planner and the forecast) hands :func:`run` a list
of (scenario variant, replication numbers) and a *measure*: a picklable function of
``(scenario, seed, replication)`` that simulates one replication and returns what the
experiment needs of it (a :class:`~simlib.metrics.summary.Replication`, cycle days, probe
approval times, or, where a caller asks for it, the whole event log). Workers send back only
that, so memory does not grow with the event logs.

:func:`run` owns batching (:func:`batches`), the progress bar (tqdm) or a caller's progress
function (:data:`Progress`: the explorer's bar, which cancels a run by raising), Ctrl-C (pool
workers ignore it; the parent cancels what is left), cancellation on any error and the
in-process fallback. :func:`run_in_order` is its streaming form for one scenario: results
handed over in order of replication as they finish, with a few batches in flight, so that a
caller that writes each one out (the event-log exports) runs in constant memory whatever the count.
Replication ``k`` of a variant is always ``measure(scenario, seed, k)``, so the
answer is the same serially, on a local process pool, on threads or on a Dask cluster
(``client.get_executor()``): only ``Executor.submit`` and the futures it returns are used.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from tqdm import tqdm

from simlib.errors import InputError
from simlib.scenario import Scenario

MAX_REPLICATIONS = 100_000  # per variant; the command line's --replications has the same cap
TASKS_PER_WORKER = 4  # batches per worker: few enough to amortise overhead, enough to balance
MAX_BATCH = 8  # replications per task at most, so progress and Ctrl-C stay responsive

T = TypeVar("T")
Measure = Callable[[Scenario, int, int], T]
Variant = tuple[Scenario, Sequence[int]]
# How a run reports progress: True/False (a tqdm bar on stderr or none), None (a bar when
# stderr is a terminal), or a function called with (replications done, replications in all)
# before the first and after each batch; whatever it raises stops the run (what has not
# started is cancelled) and reaches the caller.
Progress = bool | None | Callable[[int, int], None]


def run_settings(
    scenario: Scenario, replications: int | None = None, seed: int | None = None,
    jobs: int | None = None,
) -> tuple[int, int]:
    """(replications, seed): the given ones, else the scenario's. ValueError for fewer than
    one replication or job; :class:`InputError` for more than :data:`MAX_REPLICATIONS`."""
    count = scenario.replications if replications is None else int(replications)
    seed = scenario.seed if seed is None else int(seed)
    if count < 1:
        raise ValueError(f"replications must be >= 1, got {count}")
    check_replications(count)
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be >= 1, got {jobs}")
    return count, seed


def check_replications(count: int, what: str = "replications") -> int:
    """``count`` if at most :data:`MAX_REPLICATIONS`; else :class:`InputError` with the cap
    (checked before anything is simulated or any list of replication numbers is built)."""
    if count > MAX_REPLICATIONS:
        shown = f"{count:,}" if count < 10**30 else "a number with more than 30 digits"
        raise InputError(f"mcsim: {what}: at most {MAX_REPLICATIONS:,}, got {shown}; "
                         "ask for fewer")
    return count


def show_progress(progress: Progress) -> bool:
    """Show a bar on stderr when asked, or by default when stderr is a terminal (never
    when ``progress`` is a function: the caller shows its own)."""
    if callable(progress):
        return False
    if progress is None:
        return sys.stderr.isatty()
    return bool(progress)


def _ignore_interrupts() -> None:
    """In pool workers: leave Ctrl-C to the parent, which cancels the remaining work."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def local_pool(
    executor: cf.Executor | None, jobs: int | None
) -> Iterator[tuple[cf.Executor | None, int]]:
    """``(executor, workers)`` for a run of several batches (one pool serves them all).

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


def batches(replications: int | Sequence[int], workers: int) -> list[tuple[int, ...]]:
    """Replication numbers (``0..replications-1``, or the given ones) split into consecutive
    batches, about :data:`TASKS_PER_WORKER` per worker and at most :data:`MAX_BATCH` each."""
    return list(iter_batches(replications, workers))


def iter_batches(replications: int | Sequence[int], workers: int) -> Iterator[tuple[int, ...]]:
    """:func:`batches`, one at a time (a ``range`` is never expanded into a list)."""
    if isinstance(replications, int):
        check_replications(replications)
    numbers = range(replications) if isinstance(replications, int) else replications
    if not isinstance(numbers, range):
        numbers = tuple(numbers)
    check_replications(_count(numbers))
    size = math.ceil(len(numbers) / (max(1, workers) * TASKS_PER_WORKER))
    size = min(max(1, size), MAX_BATCH)
    for i in range(0, len(numbers), size):
        yield tuple(numbers[i : i + size])


def _count(numbers: Sequence[int]) -> int:
    """How many replication numbers (a huge ``range`` too, whose ``len`` would overflow)."""
    if isinstance(numbers, range):
        return max(0, -(-(numbers.stop - numbers.start) // numbers.step))
    return len(numbers)


def run_batch(measure: Measure, scenario: Scenario, seed: int,
              replications: Sequence[int]) -> list[Any]:
    """``measure(scenario, seed, k)`` for each replication ``k`` (one task on a worker)."""
    return [measure(scenario, seed, k) for k in replications]


class _Bar:
    """A run's progress: a tqdm bar on stderr (when :func:`show_progress`) and, when
    ``progress`` is a function, that function called with (done, total)."""

    def __init__(self, total: int, desc: str, progress: Progress) -> None:
        self.done, self.total = 0, total
        self.report = progress if callable(progress) else None
        self.bar = tqdm(total=total, unit="rep", desc=desc, disable=not show_progress(progress))
        if self.report is not None:
            self.report(0, total)

    def update(self, count: int) -> None:
        self.done += count
        self.bar.update(count)
        if self.report is not None:
            self.report(self.done, self.total)

    def __enter__(self) -> _Bar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.close()


def run(
    variants: Sequence[Variant], measure: Measure, seed: int,
    executor: cf.Executor | None = None, jobs: int | None = None,
    progress: Progress = None, desc: str = "replications",
) -> list[list[Any]]:
    """Per variant (in order), ``measure(scenario, seed, k)`` for each of its replication
    numbers ``k`` (in the order given).

    ``executor``: any ``concurrent.futures.Executor`` (``jobs``: how many workers to plan
    batches for). Without one: a local process pool of ``jobs`` workers (default: the CPU
    count), or this process alone when ``jobs`` is 1 or there is a single batch.
    ``progress``: a tqdm bar on stderr (default: when stderr is a terminal) or a function
    of (done, total) (:data:`Progress`).
    """
    total = sum(check_replications(_count(numbers)) for _, numbers in variants)
    found: list[dict[int, Any]] = [{} for _ in variants]
    with _Bar(total, desc, progress) as bar:
        workers = jobs or os.cpu_count() or 1
        tasks = [(index, part) for index, (_, numbers) in enumerate(variants)
                 for part in iter_batches(numbers, min(workers, max(1, len(numbers))))]
        if executor is None and (workers == 1 or len(tasks) <= 1):
            for index, part in tasks:
                _collect(found[index], part, run_batch(measure, variants[index][0], seed, part))
                bar.update(len(part))
        else:
            with local_pool(executor, jobs) as (pool, _):
                _gather(pool, variants, measure, seed, tasks, found, bar)
    return [[mine[k] for k in numbers] for mine, (_, numbers) in zip(found, variants,
                                                                      strict=True)]


def _collect(into: dict[int, Any], part: Sequence[int], values: list[Any]) -> None:
    into.update(zip(part, values, strict=True))


def _gather(pool: cf.Executor, variants: Sequence[Variant], measure: Measure, seed: int,
            tasks: list[tuple[int, tuple[int, ...]]], found: list[dict[int, Any]],
            bar: Any) -> None:
    """Submit every task to ``pool``; file each result as its future finishes; on any
    error or Ctrl-C cancel what has not started and re-raise."""
    futures = {pool.submit(run_batch, measure, variants[index][0], seed, part): (index, part)
               for index, part in tasks}
    try:
        for future in cf.as_completed(futures):
            index, part = futures[future]
            _collect(found[index], part, future.result())
            bar.update(len(part))
    except BaseException:
        for future in futures:
            future.cancel()
        raise


def run_in_order(scenario: Scenario, replications: int, measure: Measure, seed: int,
                 jobs: int | None = None, progress: Progress = None,
                 desc: str = "replications") -> Iterator[Any]:
    """``measure(scenario, seed, k)`` for ``k`` = 0, 1, ..., ``replications`` - 1, yielded
    in that order. On a local pool of ``jobs`` workers (default: the CPU count; this process
    alone for 1) at most :data:`TASKS_PER_WORKER` batches per worker are in flight, and a
    result is dropped once yielded: memory does not grow with ``replications``. Closing the
    generator (or an error) cancels what has not started."""
    count = check_replications(replications)
    workers = jobs or os.cpu_count() or 1
    parts = iter_batches(count, workers)
    with _Bar(count, desc, progress) as bar, \
            local_pool(None, workers if count > MAX_BATCH else 1) as (pool, _):
        if pool is None:
            for part in parts:
                yield from run_batch(measure, scenario, seed, part)
                bar.update(len(part))
            return
        pending: deque[tuple[cf.Future, int]] = deque()
        try:
            for part in parts:
                pending.append((pool.submit(run_batch, measure, scenario, seed, part),
                                len(part)))
                if len(pending) >= workers * TASKS_PER_WORKER:
                    yield from _oldest(pending, bar)
            while pending:
                yield from _oldest(pending, bar)
        finally:
            for future, _ in pending:
                future.cancel()


def _oldest(pending: deque, bar: Any) -> list[Any]:
    """The results of the oldest batch in ``pending`` (waiting for it), removed."""
    future, size = pending.popleft()
    values = future.result()
    bar.update(size)
    return values
