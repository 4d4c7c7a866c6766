"""Running one hostile input through ``mcsim`` as a user would, within the limits every case
must keep: one line on stderr, the expected exit status, no traceback, at most 15 s and
1 GB, and no file the user had replaced or changed.

A case is a file under ``tests/hostile/<kind>/``; each kind's test module says which
command reads it. Text cases may override the command on their first line::

    # args: plan {case} --pathway credit --launch 0001-06-01
    # exit: 2

``{case}`` is the case file (copied into a fresh folder first, so a case that tries to
overwrite its own input cannot damage the corpus), ``{dir}`` that folder.
"""

from __future__ import annotations

import atexit
import csv
import hashlib
import io
import json
import locale
import os
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

HOSTILE = Path(__file__).resolve().parents[1] / "hostile"
SECONDS = 15
MEMORY = 1 << 30  # bytes of address space


@dataclass(frozen=True)
class Outcome:
    status: int
    stdout: str
    stderr: str
    seconds: float


def cases(kind: str, pattern: str = "*") -> list[Path]:
    """The case files of one input kind, by name (for ``pytest.mark.parametrize``)."""
    return sorted(path for path in (HOSTILE / kind).glob(pattern)
                  if path.is_file() and not path.name.startswith((".", "_")))


def sampled(paths: list[Path], every: int = 20) -> list:
    """``paths`` as test parameters named by file, all but one in every ``every`` marked slow:
    ``pytest -m "not slow"`` runs a sample of the corpus (the first case, then every
    ``every``-th), ``pytest`` all of it."""
    return [pytest.param(path, id=path.name, marks=() if index % every == 0 else pytest.mark.slow)
            for index, path in enumerate(paths)]


def header(case: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a text case (empty for binary files)."""
    found: dict[str, str] = {}
    try:
        lines = case.read_text(encoding="utf-8").splitlines()
    except (UnicodeDecodeError, ValueError):
        return found
    for line in lines:
        if not line.startswith("# ") or ":" not in line:
            break
        key, _, value = line[2:].partition(":")
        found[key.strip()] = value.strip()
    return found


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """(kind, content hash) of every entry in ``folder``, to show nothing was replaced."""
    found = {}
    for entry in sorted(folder.rglob("*")):
        if entry.is_symlink() or not entry.is_file():
            kind = "link" if entry.is_symlink() else "other"
            found[str(entry.relative_to(folder))] = (kind, 0)
        else:
            digest = hashlib.sha256(entry.read_bytes()).hexdigest()
            found[str(entry.relative_to(folder))] = (digest, entry.stat().st_ino)
    return found


def _environment() -> dict[str, str]:
    return {**os.environ, "OPENBLAS_NUM_THREADS": "1", "MPLBACKEND": "Agg",
            "PYTHONWARNINGS": "default"}


def run_fresh(args: list[str], cwd: Path) -> Outcome:
    """Run ``mcsim ARGS`` in ``cwd`` in a fresh interpreter, under the time and memory
    limits."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from simlib.cli.main import main; "
         "sys.exit(main())", *args],
        cwd=cwd, capture_output=True, text=True, timeout=SECONDS, env=_environment(),
        preexec_fn=_limit, stdin=subprocess.DEVNULL, check=False,
    )
    return Outcome(done.returncode, done.stdout, done.stderr, time.perf_counter() - started)


class _Server:
    """This process's ``support/cli_server.py``: started at the first case, ended with the
    process (its stdin closes)."""

    process: subprocess.Popen | None = None
    files: Path | None = None

    @classmethod
    def run(cls, args: list[str], cwd: Path) -> Outcome:
        if cls.process is None or cls.process.poll() is not None:
            cls.files = Path(tempfile.mkdtemp(prefix="mcsim-cases-"))
            atexit.register(shutil.rmtree, cls.files, ignore_errors=True)
            cls.process = subprocess.Popen(
                [sys.executable, str(Path(__file__).with_name("cli_server.py"))],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=_environment())
        out, err = cls.files / "stdout", cls.files / "stderr"
        request = {"args": args, "cwd": str(cwd), "stdout": str(out), "stderr": str(err),
                   "memory": MEMORY, "seconds": SECONDS}
        started = time.perf_counter()
        cls.process.stdin.write(json.dumps(request) + "\n")
        cls.process.stdin.flush()
        answer = cls.process.stdout.readline()
        seconds = time.perf_counter() - started
        assert answer, "the case server ended (see the output above)"
        status = json.loads(answer)["status"]
        if status == -signal.SIGALRM:
            raise subprocess.TimeoutExpired(args, SECONDS)
        return Outcome(status, _text(out), _text(err), seconds)


def _text(path: Path) -> str:
    """A captured stream as ``subprocess.run(text=True)`` gives it."""
    return path.read_bytes().decode(locale.getpreferredencoding(False)) \
        .replace("\r\n", "\n").replace("\r", "\n")


def run_mcsim(args: list[str], cwd: Path) -> Outcome:
    """Run ``mcsim ARGS`` in ``cwd`` under the time and memory limits, as :func:`run_fresh`
    does but forked from a process that has imported the commands already
    (``support/cli_server.py``: the corpus runs in half the time)."""
    return _Server.run(args, cwd)


def check_refused(outcome: Outcome, expect: int = 2, *, what: str = "") -> str:
    """Assert ``outcome`` is a clean refusal; return its one stderr line."""
    lines = outcome.stderr.strip().splitlines()
    label = f"{what}: " if what else ""
    assert "Traceback" not in outcome.stderr, f"{label}traceback:\n{outcome.stderr[-3000:]}"
    assert "Warning" not in outcome.stderr, f"{label}a warning reached the user:\n" \
        f"{outcome.stderr[-2000:]}"
    assert outcome.status == expect, (
        f"{label}exit {outcome.status}, expected {expect}; stderr: {outcome.stderr[-2000:]!r}; "
        f"stdout: {outcome.stdout[-500:]!r}")
    if expect == 2:
        assert len(lines) == 1, f"{label}expected one stderr line, got {len(lines)}: {lines[:5]}"
        assert len(lines[0]) < 500, f"{label}the message is {len(lines[0])} characters long"
    return lines[0] if lines else ""


def run_case(case: Path, tmp_path: Path, args: str, expect: int = 2,
             extra: tuple[Path, ...] = ()) -> str:
    """Copy ``case`` (and ``extra`` files) into ``tmp_path``, run the command (the case's
    ``# args:`` line, else ``args``) and check the refusal and that no file in the folder
    changed; return the stderr line."""
    return run_case_outcome(case, tmp_path, args, expect, extra)[0]


def run_case_outcome(case: Path, tmp_path: Path, args: str, expect: int = 2,
                     extra: tuple[Path, ...] = ()) -> tuple[str, Outcome]:
    """:func:`run_case`, returning the stderr line and the whole :class:`Outcome` (its
    stdout, for a case that succeeds)."""
    for source in (case, *extra):
        shutil.copy(source, tmp_path / source.name)
    given = header(case)
    line = given.get("args", args)
    expect = int(given.get("exit", expect))
    argv = [part.format(case=case.name, dir=str(tmp_path)) for part in shlex.split(line)]
    before = _fingerprint(tmp_path)
    outcome = run_mcsim(argv, tmp_path)
    message = check_refused(outcome, expect, what=case.name)
    after = _fingerprint(tmp_path)
    changed = [name for name, mark in before.items() if after.get(name) != mark]
    assert not changed, f"{case.name}: the user's files were replaced or changed: {changed}"
    return message, outcome


def built_case(case: Path, tmp_path: Path, build: Callable[[Path], None] | None) -> Path:
    """``case`` itself, or (a case too large to ship) a copy of its template in
    ``tmp_path/source`` that ``build`` rewrites in place."""
    if build is None:
        return case
    source = tmp_path / "source" / case.name
    source.parent.mkdir()
    source.write_bytes(case.read_bytes())
    build(source)
    return source


def assert_says(message: str, case: Path, words: list[str]) -> None:
    """``message`` holds each of ``words``, and (for a case that is a file of its kind, not
    a ``.txt`` command line) starts by naming the file."""
    for word in words:
        assert word in message, message
    if not case.name.endswith(".txt"):
        assert message.startswith(f"{case.name}: "), message


def replacing(placeholder: str, text: str) -> Callable[[Path], None]:
    """A ``build`` for :func:`built_case`: put ``text`` where the template says
    ``placeholder``."""
    def build(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace(placeholder, text),
                        encoding="utf-8")
    return build


Rows = list[list[str]]  # a CSV's rows below its header


def edited_csv(source: Path, edit: Callable[[Rows], Rows]) -> Callable[[Path], None]:
    """A ``build`` for :func:`built_case`: the CSV ``source`` with ``edit`` made to its rows
    (the header kept)."""
    def build(path: Path) -> None:
        header, *rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([header, *edit(rows)])
        path.write_text(text.getvalue(), encoding="utf-8")
    return build


def record_case(case: Path, tmp_path: Path, record: Path,
                edit: Callable[[Rows], Rows] | None) -> tuple[Path, Path]:
    """(the case to run, an empty folder to run it in): ``case`` itself, or the history
    ``record`` with ``edit`` made (:func:`edited_csv`) under the case's name."""
    case = built_case(case, tmp_path, edited_csv(record, edit) if edit else None)
    folder = tmp_path / "run"
    folder.mkdir()
    return case, folder


def first_visits(decision: str) -> Callable[[Rows], Rows]:
    """An edit of a history's rows: each proposal's first visit only, decided ``decision``
    on its recorded date (open, when ``decision`` is "" or the visit was open)."""
    def edit(rows: Rows) -> Rows:
        firsts: dict[str, list[str]] = {}
        for row in rows:
            firsts.setdefault(row[0], row)
        return [[*row[:5], row[5] if decision else "", decision if row[5] else ""]
                for row in firsts.values()]
    return edit
