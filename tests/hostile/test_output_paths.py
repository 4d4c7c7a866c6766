"""Hostile output paths of the commands that write files (``badges build``, ``badges
template``, ``calibrate --out``): a device, a named pipe, a folder, one of the command's own
inputs, a missing folder; each refused in one line naming the option and what to change,
exit status 2, before any work, and nothing the user had replaced (the harness checks every
file in the folder, the pipe and the link to the device included).

Each case is a file holding only its ``# args:``, ``# exit:`` and ``# says:`` lines; the
test makes ``pipe.csv``/``pipe.yaml`` (named pipes), ``full.csv`` (a link to /dev/full) and
``folder.csv``/``folder.yaml`` (folders) beside the inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.hostile import cases, header, run_case, sampled

ROOT = Path(__file__).resolve().parents[2]
EXTRA = (ROOT / "scenarios" / "baseline.yaml", ROOT / "scenarios" / "mc-weekly.yaml",
         ROOT / "examples" / "badges" / "roster.csv")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("case", sampled(cases("outputs")))
def test_hostile_output(case, tmp_path):
    for name in ("pipe.csv", "pipe.yaml"):
        os.mkfifo(tmp_path / name)
    (tmp_path / "full.csv").symlink_to("/dev/full")
    for name in ("folder.csv", "folder.yaml"):
        (tmp_path / name).mkdir()
    message = run_case(case, tmp_path, "", extra=EXTRA)
    assert message.startswith("mcsim: --out "), message
    assert header(case)["says"] in message, message
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [case.name, "pipe.csv", "pipe.yaml", "full.csv", "folder.csv", "folder.yaml",
         *(path.name for path in EXTRA)]), "a file was written"
    for name in ("folder.csv", "folder.yaml"):
        assert not list((tmp_path / name).iterdir()), f"something was written into {name}"
