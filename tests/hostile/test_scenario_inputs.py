"""Hostile scenarios, what-ifs and proposals: each case is refused in one line (exit 2) that
says what to change, within the harness's time and memory limits, and no file is replaced.

Scenario cases go to ``mcsim validate``, what-if cases (which extend ``_base.yaml``) too, and
proposal cases to ``mcsim check-proposal``; a case may give its own command line (``# args:``).
Each case file says on a ``# says:`` line what its message must contain (the bound, the
allowed range, what to write instead). Cases that need a big or special file (a file over
the size limit, a 1,100-deep ``extends`` chain, named pipes) are made here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support.hostile import HOSTILE, cases, check_refused, header, run_case, run_mcsim, sampled

BASE = HOSTILE / "whatif" / "_base.yaml"


def _says(case: Path) -> list[str]:
    return [part.strip() for part in header(case).get("says", "").split("|") if part.strip()]


def _check(case: Path, tmp_path: Path, args: str, extra: tuple[Path, ...] = ()) -> str:
    message = run_case(case, tmp_path, args, extra=extra)
    assert case.name in message or "mcsim" in message or "/dev/" in message \
        or str(tmp_path) in message, message
    for words in _says(case):
        assert words in message, f"{case.name}: {words!r} not in {message!r}"
    return message


@pytest.mark.parametrize("case", sampled(cases("scenario")))
def test_hostile_scenario(case, tmp_path):
    _check(case, tmp_path, "validate {case}")


@pytest.mark.parametrize("case", sampled(cases("whatif")))
def test_hostile_whatif(case, tmp_path):
    _check(case, tmp_path, "validate {case}", extra=(BASE,))


@pytest.mark.parametrize("case", sampled(cases("proposal")))
def test_hostile_proposal(case, tmp_path):
    _check(case, tmp_path, "check-proposal {case}")


def test_every_case_says_what_the_message_must_contain():
    for kind in ("scenario", "whatif", "proposal"):
        for case in cases(kind):
            assert _says(case), f"{kind}/{case.name} has no '# says:' line"


def test_the_base_of_the_whatifs_is_valid(tmp_path):
    outcome = run_mcsim(["validate", str(BASE)], tmp_path)
    assert outcome.status == 0, outcome.stderr


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(BASE.read_text() + "description: " + "x" * 1_100_000 + "\n")
    message = check_refused(run_mcsim(["validate", "big.yaml"], tmp_path))
    assert message.startswith("big.yaml: larger than 1 MB"), message


@pytest.mark.slow
def test_many_values_without_aliases_are_refused_before_they_are_built(tmp_path):
    many = tmp_path / "many.yaml"
    many.write_text(BASE.read_text() + "notes: [" + ", ".join(["1"] * 120_000) + "]\n")
    message = check_refused(run_mcsim(["validate", "many.yaml"], tmp_path))
    assert "more than 100000 values" in message, message


@pytest.mark.slow
def test_an_extends_chain_1100_deep_is_refused_at_the_cap(tmp_path):
    (tmp_path / "what-0.yaml").write_text(BASE.read_text())
    for number in range(1, 1101):
        (tmp_path / f"what-{number}.yaml").write_text(
            f"extends: what-{number - 1}.yaml\nname: what-{number}\n")
    message = check_refused(run_mcsim(["validate", "what-1100.yaml"], tmp_path))
    assert "extends: more than 20 files deep" in message, message
    ok = run_mcsim(["validate", "what-20.yaml"], tmp_path)
    assert ok.status == 0, ok.stderr


def test_a_cycle_of_two_whatifs_is_refused(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n")
    message = check_refused(run_mcsim(["validate", "a.yaml"], tmp_path))
    assert "extends: cycle a.yaml -> b.yaml -> a.yaml" in message, message


@pytest.mark.slow
def test_named_pipes_are_refused_by_name_never_read_or_replaced(tmp_path):
    os.mkfifo(tmp_path / "pipe.yaml")
    os.mkfifo(tmp_path / "pipe.csv")
    (tmp_path / "what.yaml").write_text("extends: pipe.yaml\nname: what\n")
    (tmp_path / "base.yaml").write_text(BASE.read_text())
    for args, says in [
        (["validate", "pipe.yaml"], "pipe.yaml: not a regular file (a named pipe)"),
        (["validate", "what.yaml"], "extends: base file 'pipe.yaml': not a regular file "
                                    "(a named pipe)"),
        (["check-proposal", "pipe.yaml"], "pipe.yaml: not a regular file (a named pipe)"),
        (["eventlog", "base.yaml", "--replications", "1", "--out", "pipe.csv"],
         "--out pipe.csv: is a named pipe"),
    ]:
        message = check_refused(run_mcsim(args, tmp_path), what=" ".join(args))
        assert says in message, message
    assert (tmp_path / "pipe.csv").is_fifo()


@pytest.mark.slow
def test_eventlog_refuses_every_file_of_the_extends_chain_as_output(tmp_path):
    (tmp_path / "base.yaml").write_text(BASE.read_text())
    (tmp_path / "middle.yaml").write_text("extends: base.yaml\nname: middle\n")
    (tmp_path / "top.yaml").write_text("extends: middle.yaml\nname: top\n")
    texts = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    for out in ("top.yaml", "middle.yaml", "./base.yaml"):
        message = check_refused(run_mcsim(["eventlog", "top.yaml", "--replications", "1",
                                           "--out", out], tmp_path))
        assert message == f"mcsim: --out {Path(out)}: is also an input of this command; give a " \
                          "different output file", message
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == texts
