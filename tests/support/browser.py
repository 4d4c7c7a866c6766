"""The explorer's web page in a browser, for the tests: the helpers of
``benchmarks/explorer_page.py`` (loaded from its file, as benchmarks/ is no package; the
benchmarks never import the tests), and :func:`need_chromium`."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

PAGE_HELPERS = Path(__file__).resolve().parents[2] / "benchmarks" / "explorer_page.py"


def _load_page_helpers():
    """``benchmarks/explorer_page.py`` as the module ``explorer_page`` (loaded once)."""
    if "explorer_page" not in sys.modules:
        spec = importlib.util.spec_from_file_location("explorer_page", PAGE_HELPERS)
        module = importlib.util.module_from_spec(spec)
        sys.modules["explorer_page"] = module
        spec.loader.exec_module(module)
    return sys.modules["explorer_page"]


explorer_page = _load_page_helpers()
ExplorerPage = explorer_page.ExplorerPage
browser = explorer_page.browser
serve = explorer_page.serve


def need_chromium() -> None:
    """Skip the calling test when Chromium or Playwright is missing, saying which; fail it
    instead when the environment variable ``CI`` is set (CI must run the browser tests)."""
    missing = None
    if explorer_page.chromium_path() is None:
        missing = "no chromium on the PATH (Debian: apt-get install chromium)"
    elif importlib.util.find_spec("playwright") is None:
        missing = "Playwright is not installed (pip install -e '.[dev]')"
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI is set, so the browser test must run: {missing}")
    if missing:
        pytest.skip(missing)
