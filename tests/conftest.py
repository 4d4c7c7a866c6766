"""Test set-up: ``tests/support`` (shared scenarios, traces and the queueing formulas) is
importable as ``support`` from every test folder."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
