"""Test set-up: ``tests/support`` (shared scenarios, traces and the queueing formulas) is
importable as ``support`` from every test folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_collection_modifyitems(items: list) -> None:
    """The hostile-input corpus last: hundreds of short runs of ``mcsim`` that the two xdist
    workers share out at the end (``--dist worksteal`` in the Makefile), so that both
    finish together instead of one waiting while the other runs a long test alone."""
    items.sort(key=lambda item: item.path.parent.name == "hostile")
