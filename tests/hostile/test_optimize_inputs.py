"""Hostile optimizer specs (``mcsim optimize``): too many combinations or replications,
costs and targets that are not finite or far too large, ``yes`` for a number, and a spec,
base or what-if that is a device, folder or named pipe; each refused in one line naming the
file and the key, exit status 2, before anything is simulated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.hostile import cases, run_case, sampled

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"
SAYS = {
    "sixteen-million-combinations.yaml": ["changes: 16,777,216 combinations",
                                          "at most 2,000"],
    "replications-1e11.yaml": ["replications: must be at most 10000 replications"],
    "replications-1e11-as-float.yaml": ["replications: must be at most 10000 replications"],
    "replications-yes.yaml": ["replications: must be a whole number, got true"],
    "first-stage-replications-huge.yaml": ["screening.first_stage_replications: must be at "
                                           "most 10000"],
    "cost-1e308.yaml": ["changes.0.options.1.cost: must be at most 1e+09"],
    "cost-inf.yaml": ["changes.0.options.1.cost: must be a finite number"],
    "below-days-inf.yaml": ["target.below_days: must be a finite number"],
    "seed-huge.yaml": ["seed: must be at most"],
    "base-is-dev-zero.yaml": ["base: scenario file '/dev/zero': not a regular file (a device)"],
    "base-is-a-folder.yaml": ["base: scenario file '.': not a regular file (a folder)"],
    "what-if-is-dev-zero.yaml": ["changes.0.options.1.what_if: file '/dev/zero': not a "
                                 "regular file (a device)"],
    "replications-option-over-the-cap.yaml": ["mcsim: argument --replications: at most 10,000"],
    "spec-is-a-folder.txt": ["not a regular file (a folder)"],
    "spec-is-dev-zero.txt": ["/dev/zero: not a regular file (a device)"],
    "spec-is-a-fifo.txt": ["pipe.yaml: not a regular file (a named pipe)"],
}


def test_every_case_says_what_to_change():
    assert {case.name for case in cases("optimize")} == set(SAYS)


@pytest.mark.parametrize("case", sampled(cases("optimize")))
def test_hostile_spec(case, tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    message = run_case(case, tmp_path, "optimize {case} --jobs 1", extra=(SCENARIO,))
    for words in SAYS[case.name]:
        assert words in message, message
    if case.suffix == ".yaml" and not case.name.startswith("replications-option"):
        assert message.startswith(f"{case.name}: ")
