"""Hostile command-line options: huge, negative, fractional, ``yes``, ``inf`` and ``nan``
numbers for every numeric option, and badge dates whose century two-digit years cannot say;
each refused by the option parser in one line naming the option and the allowed range, exit
status 2, before any file is read. Each case is a file holding only its ``# args:`` and
``# exit:`` lines and an ``# option:`` line naming the option it is about."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.hostile import cases, header, run_case, sampled

ROOT = Path(__file__).resolve().parents[2]
EXTRA = (ROOT / "scenarios" / "baseline.yaml", ROOT / "examples" / "badges" / "roster.csv",
         ROOT / "examples" / "pipeline.csv")
BOUNDS = {  # option -> words the message must hold (the allowed range)
    "--replications": "from 1 to 100,000", "--max-replications": "from 3 to 100,000",
    "--seed": "from 0 to 9,223,372,036,854,775,807", "--jobs": "from 1 to 1,024",
    "--max-evaluations": "from 1 to 100,000", "--precision": "between 0 and 1",
    "--confidence": "between 0 and 1", "--issued-at": "give a date in 2000-2099",
    "--draws": "from 2 to 10,000", "--launch": "between 1950-01-01 and 2200-12-31",
}


def refused_option(case: Path) -> str:
    """The option a case is about (its ``# option:`` line, which its ``# args:`` give)."""
    given = header(case)
    assert given["option"] in given["args"].split()
    return given["option"]


def test_cases_exist_for_every_bound():
    assert {refused_option(case) for case in cases("options")} == set(BOUNDS)


@pytest.mark.parametrize("case", sampled(cases("options")))
def test_hostile_option(case, tmp_path):
    message = run_case(case, tmp_path, "", extra=EXTRA)
    option = refused_option(case)
    assert message.startswith(f"mcsim: argument {option}: "), message
    assert BOUNDS[option] in message, message
    assert len(message) < 300 and not (tmp_path / "events.csv").exists()
