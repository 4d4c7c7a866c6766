"""Names from the user's files as the tool prints them: terminal escape codes, line breaks
and other control characters in a proposal id, a body or pathway name, a key or a file
name are shown escaped in every message, table and note (never raw: a line break in an id
cannot forge a line of output), long names and notes are cut with a count, and errors name
the file and place, one line each, exit status 2, no traceback and no warning.

Each case writes its inputs into a fresh folder and runs one command line (within the
harness's 15 s and 1 GB)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from support.hostile import check_refused, run_mcsim
from support.scenarios import office, scenario_data

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (Path(__file__).parent / "history" / "_sample.csv").read_text()
FORGED = "0 problems; the file is fine"
EVIL = f"A\x1b[31mRED\x1b[0m\n{FORGED}"
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202e]")


def _record(folder: Path, proposal: str = EVIL, step: str = "", extra: int = 0) -> None:
    """The sample record with its proposal's id (and, given, one step) replaced and
    ``extra`` long columns added."""
    lines = SAMPLE.splitlines()
    quoted = '"' + proposal.replace('"', '""') + '"'
    rows = [lines[0] + "".join(f",{'note ' * 30}{n}" for n in range(extra))]
    rows += [quoted + line[1:] + "," * extra for line in lines[1:]]
    if step:
        rows[2] = rows[2].replace(",dean,", f",{step},")
    (folder / "record.csv").write_text("\n".join(rows) + "\n")
    (folder / "baseline.yaml").write_text((ROOT / "scenarios" / "baseline.yaml").read_text())


def _scenario(folder: Path, body: str, bad: bool = False) -> None:
    """A one-office scenario whose body and pathway are named ``body`` (its staff 0 when
    ``bad``)."""
    data = scenario_data(name="names", bodies={body: office(0 if bad else 2, 3)},
                         pathways={body: [body]}, horizon_years=0.5, warmup_years=0.1,
                         replications=1)
    (folder / "names.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))


def _folder_notebook(folder: Path) -> None:
    (folder / "nb.ipynb").mkdir()
    (folder / "reports.yaml").write_text("notebooks:\n  - notebook: nb.ipynb\n")


CASES = {  # name: (write the inputs, command line, exit status, what the output must say)
    "record-id-forges-a-line": (_record, ["forecast", "baseline.yaml", "--history",
                                          "record.csv", "--replications", "2", "--jobs", "1"],
                                0, "A\\x1b[31mRED\\x1b[0m\\n0 problems"),
    "record-id-in-a-problem": (lambda folder: _record(folder, step="senate\x1b[2J"),
                               ["forecast", "baseline.yaml", "--history", "record.csv",
                                "--replications", "2"], 2, "'senate\\x1b[2J' is not a step"),
    "record-columns-note-is-cut": (lambda folder: _record(folder, "A", extra=150),
                                   ["forecast", "baseline.yaml", "--history", "record.csv",
                                    "--replications", "2", "--jobs", "1"], 0, "more"),
    "scenario-names-in-tables": (lambda folder: _scenario(folder, EVIL),
                                 ["run", "names.yaml", "--jobs", "1"], 0, "A\\x1b[31mRED"),
    "scenario-long-name-is-cut": (lambda folder: _scenario(folder, "desk" * 500),
                                  ["run", "names.yaml", "--jobs", "1"], 0,
                                  "more characters)"),
    "scenario-key-in-an-error": (lambda folder: _scenario(folder, EVIL, bad=True),
                                 ["validate", "names.yaml"], 2,
                                 "must be >= 1, got 0"),
    "file-name-with-a-line-break": (lambda folder: None,
                                    ["validate", f"what\n{FORGED}.yaml"], 2,
                                    "what\\n0 problems; the file is fine.yaml: file not "
                                    "found"),
    "report-notebook-is-a-folder": (_folder_notebook, ["report", "--config", "reports.yaml",
                                                       "--out", "out"], 2,
                                    "nb.ipynb: not a regular file (a folder)"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_names_from_inputs_are_printed_escaped_and_short(name, tmp_path):
    write, args, status, says = CASES[name]
    write(tmp_path)
    outcome = run_mcsim(args, tmp_path)
    if status == 2:
        check_refused(outcome, what=name)
    else:
        assert outcome.status == 0, outcome.stderr[-2000:]
        assert "Traceback" not in outcome.stderr and "Warning" not in outcome.stderr
    printed = outcome.stdout + outcome.stderr
    assert not RAW.search(printed), f"{name}: a raw control character: {printed[-500:]!r}"
    assert not any(line.startswith(FORGED) for line in printed.splitlines()), printed
    assert all(len(line) < 1500 for line in printed.splitlines()), name
    assert says in printed, f"{name}: {says!r} not in {printed[-1500:]!r}"
