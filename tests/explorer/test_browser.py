"""The explorer as a planner meets it: the web page ``mcsim explore`` serves, in headless
Chromium. Choosing "every week" for the Microcredential Committee and pressing Run shows
the very number ``mcsim compare`` gives for ``scenarios/mc-weekly.yaml`` (the same
what-if), in the same words, and the page asks nothing of any other host.

Skipped without Chromium on the PATH, unless the environment variable CI is set (then it
fails): see :func:`support.browser.need_chromium`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from support.browser import ExplorerPage, browser, need_chromium, serve

from simlib.formats.words import change

ROOT = Path(__file__).resolve().parents[2]
REPLICATIONS, SEED = 8, 20250825  # few replications, to keep the test short; the page's seed


def start_compare() -> subprocess.Popen:
    """``mcsim compare`` of the baseline and mc-weekly as JSON, started in the background
    (it runs while the page loads)."""
    command = [sys.executable, "-m", "simlib.cli.main", "compare", "scenarios/baseline.yaml",
               "scenarios/mc-weekly.yaml", "--replications", str(REPLICATIONS), "--seed",
               str(SEED), "--jobs", "1", "--format", "json"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)


def credit_comparison(compare: subprocess.Popen) -> dict:
    """The credit pathway's paired comparison, from the output of :func:`start_compare`."""
    out, _ = compare.communicate(timeout=120)
    assert compare.returncode == 0
    return json.loads(out)["alternatives"]["mc-weekly"]["pathways"]["credit"]


def test_mc_weekly_in_the_browser_matches_mcsim_compare(tmp_path):
    need_chromium()
    with start_compare() as compare, serve() as address, browser() as chromium:
        page = ExplorerPage.open(chromium, address)
        assert "import" not in page.page.inner_text("body")  # served without its code
        page.set_replications(REPLICATIONS)
        page.choose("bodies.mc.meets", "every week")
        page.run()
        page.wait_first_answer()
        shown, words = page.difference("credit")
        page.page.screenshot(path=tmp_path / "explorer.png", full_page=True)
        outside = list(page.outside)
        expected = credit_comparison(compare)
    assert shown == expected["mean_diff_days"]
    assert words == change(expected["mean_diff_days"], *expected["ci95"])
    assert outside == [], f"the page asked other hosts for {outside}"
