"""Hostile output paths of the commands that write files (``badges build``, ``badges
template``, ``calibrate --out``, ``fit --out``, ``eventlog --out``): a device, a named pipe,
a folder, one of the command's own inputs, a missing folder, an existing file of another
kind (a CSV where YAML would go); each refused in one line naming the option and what to
change, exit status 2, before any work, and nothing the user had replaced (the harness
checks every file in the folder, the pipe and the link to the device included). A symbolic
link to a file is followed (the file is written, the link kept), ``/dev/stdout`` included.

Each case is a file holding only its ``# args:``, ``# exit:`` and ``# says:`` lines; the
test makes ``pipe.csv``/``pipe.yaml`` (named pipes), ``full.csv`` (a link to /dev/full) and
``folder.csv``/``folder.yaml`` (folders) beside the inputs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.hostile import SECONDS, cases, check_refused, header, run_case, run_mcsim, sampled

ROOT = Path(__file__).resolve().parents[2]
EXTRA = (ROOT / "scenarios" / "baseline.yaml", ROOT / "scenarios" / "mc-weekly.yaml",
         ROOT / "examples" / "badges" / "roster.csv", ROOT / "examples" / "history.csv",
         ROOT / "examples" / "badges" / "published-badges.csv")


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


@pytest.mark.parametrize("format_, out", [("events", "log.csv"), ("xes", "log.xes")])
def test_a_link_to_a_file_is_followed_and_kept(tmp_path, format_, out):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / out
    target.write_text("")
    (tmp_path / out).symlink_to(target)
    outcome = run_mcsim(["eventlog", str(EXTRA[0]), "--format", format_, "--replications",
                         "1", "--out", out], tmp_path)
    assert outcome.status == 0, outcome.stderr
    assert (tmp_path / out).is_symlink() and target.stat().st_size > 1000
    assert sorted(path.name for path in target.parent.iterdir()) == [out]


def test_dev_stdout_sent_to_a_file_is_refused_and_the_file_kept(tmp_path):
    """``--out /dev/stdout`` with standard output sent to a file: writing through the link
    would replace the file the shell opened (``>>`` appends to it) or mix the log with the
    command's own line, so it is refused in one line, and /dev/stdout stays a link."""
    (tmp_path / "log.csv").write_text("kept\n")
    with (tmp_path / "log.csv").open("a") as stream:
        done = subprocess.run(
            [sys.executable, "-c", "import sys; from simlib.cli.main import main; "
             "sys.exit(main())", "eventlog", str(EXTRA[0]), "--replications", "1", "--out",
             "/dev/stdout"], stdout=stream, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
            timeout=SECONDS, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("mcsim: --out /dev/stdout: is a stream this command has "
                                  "open"), done.stderr
    assert Path("/dev/stdout").is_symlink() and (tmp_path / "log.csv").read_text() == "kept\n"


def test_force_replaces_a_file_of_another_kind(tmp_path):
    (tmp_path / "notes.xes").write_text("name,note\na,b\n")
    refused = check_refused(run_mcsim(["eventlog", str(EXTRA[0]), "--format", "xes",
                                       "--replications", "1", "--out", "notes.xes"],
                                      tmp_path))
    assert refused == ("mcsim: --out notes.xes: exists and holds a CSV table, not an XML "
                       "document (e.g. XES); give another file name, or add --force to "
                       "replace it"), refused
    forced = run_mcsim(["eventlog", str(EXTRA[0]), "--format", "xes", "--replications", "1",
                        "--out", "notes.xes", "--force"], tmp_path)
    assert forced.status == 0 and (tmp_path / "notes.xes").read_text().startswith("<?xml")
