"""Test set-up: ``tests/support`` (shared scenarios, traces and the queueing formulas) is
importable as ``support`` from every test folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# Run first: its shared fixture (``mcsim report`` over the eight notebooks, about 100 s) is
# the longest single piece of the suite, and started late it would leave one worker idle.
LONGEST = Path(__file__).resolve().parent / "reports" / "test_notebooks.py"


def _slow(tests: list) -> int:
    return sum(bool(test.get_closest_marker("slow")) for test in tests)


def pytest_collection_modifyitems(items: list) -> None:
    """The order for ``--dist worksteal`` on two workers (the Makefile's). xdist hands the
    first worker the first half of the list and the second the rest; a worker that runs out
    takes the second half of what the other has left. So each half is whole test modules
    (their fixtures are built once), those with long tests (marked slow) first, and ends in
    the hostile-input corpus (hundreds of short runs of ``mcsim``): what is taken, and what
    is left at the end, is short runs, and both workers finish together."""
    hostile = [item for item in items if item.path.parent.name == "hostile"]
    modules: dict[Path, list] = {}
    for item in items:
        if item.path.parent.name != "hostile":
            modules.setdefault(item.path, []).append(item)
    long_first = sorted(modules.values(),
                        key=lambda tests: (tests[0].path != LONGEST, -_slow(tests)))
    halves: tuple[list, list] = ([], [])
    weights = [0, 0]  # slow tests in each half so far
    for tests in long_first:  # each module to the half with fewer
        lighter = weights.index(min(weights))
        halves[lighter].extend(tests)
        weights[lighter] += _slow(tests)
    first = max(0, min(len(hostile), len(items) // 2 - len(halves[0])))
    items[:] = halves[0] + hostile[:first] + halves[1] + hostile[first:]
