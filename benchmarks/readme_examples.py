"""Re-run the example commands of the README and the manual and check that they print what
the pages show (``make examples-check``).

The pages are ``README.md`` and every ``docs/*.md``. Each ``sh`` block of a page that holds
one ``.venv/bin/mcsim`` command and is followed by a block of its output (or a sentence
"`mcsim ...` prints" before such a block) is run from the repository root, with a word
holding ``*`` expanded as the shell would (``scenarios/*.yaml``); every non-blank line the
page shows (a table may be cut with "...") must appear in the command's output (standard
output or, for an example of a refusal, standard error). A command that writes a file
(``--out``) writes it into a temporary folder instead, so nothing the repository holds is
overwritten, and its output names the file as the page wrote it (``calibrate``, which takes
minutes, is skipped).
Prints one line per command with its page and wall time; exit status 1 if any output differs.

    .venv/bin/python benchmarks/readme_examples.py
"""

from __future__ import annotations

import functools
import glob
import itertools
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLOW = {"calibrate"}  # commands whose README example writes a file and takes minutes
BLOCK = re.compile(r"```(\w*)\n(.*?)```", re.S)
INLINE = re.compile(r"`(mcsim [^`]+)` prints[^\n]*:\n\n```\w*\n(.*?)```", re.S)


def pages() -> list[Path]:
    """The pages whose examples are checked: the README, then the manual's pages."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def examples(text: str) -> list[tuple[str, str]]:
    """(command, the output the page shows) for each one-command ``sh`` block."""
    blocks = [(match.group(1), match.group(2)) for match in BLOCK.finditer(text)]
    found = []
    for (language, body), (_, shown) in itertools.pairwise(blocks):
        lines = body.replace("\\\n", " ").strip().splitlines()
        if language == "sh" and len(lines) == 1 and lines[0].startswith(".venv/bin/mcsim"):
            found.append((lines[0], shown))
    found += [(f".venv/bin/{command}", shown) for command, shown in INLINE.findall(text)]
    return found


def expanded(words: list[str]) -> list[str]:
    """``words`` with each one holding ``*`` replaced by the files it matches in the
    repository, sorted (kept as written when it matches none, as the shell does)."""
    found = []
    for word in words:
        matches = sorted(glob.glob(word, root_dir=ROOT)) if "*" in word else []
        found += matches or [word]
    return found


def elsewhere(words: list[str], folder: Path) -> list[str]:
    """``words`` with the file after ``--out`` (or ``--ics``) moved into ``folder``, so that
    running the example changes nothing the repository holds (the output's name keeps its
    suffix)."""
    words = list(words)
    for option in ("--out", "--ics"):
        if option in words:
            at = words.index(option) + 1
            words[at] = str(folder / Path(words[at]).name)
    return words


def as_written(text: str, words: list[str], moved: list[str]) -> str:
    """``text`` (what the command run with the ``moved`` words printed) naming each moved
    file as ``words`` wrote it."""
    for written, ran in zip(words, moved, strict=True):
        if written != ran:
            text = text.replace(ran, written)
    return text


@functools.cache
def run(command: str) -> tuple[frozenset[str], float]:
    """The lines ``command`` prints (standard output, then standard error) and its wall
    time (s); a command shown on several pages runs once."""
    words = expanded(shlex.split(command))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        moved = elsewhere(words, Path(folder))
        done = subprocess.run(moved, capture_output=True, text=True, cwd=ROOT)
    printed = as_written(done.stdout + done.stderr, words, moved)
    return frozenset(printed.splitlines()), time.perf_counter() - start


def check(page: str, command: str, shown: str) -> str:
    """Run ``command`` and print one line saying whether it prints every line ``page``
    shows, with its wall time (and the first lines missing); "passed", "failed" or
    "skipped"."""
    words = shlex.split(command)
    if "--out" in words and words[1] in SLOW:
        print(f"skip            {page}: {command}  (writes a file, and takes minutes)")
        return "skipped"
    printed, seconds = run(command)
    missing = [line for line in shown.splitlines()
               if line.strip() and line.strip() != "..." and line not in printed]
    print(f"{'same' if not missing else 'DIFFERS'} {seconds:6.1f} s  {page}: {command}")
    for line in missing[:5]:
        print(f"    {page} shows: {line}")
    return "failed" if missing else "passed"


def main() -> int:
    results = [check(str(page.relative_to(ROOT)), command, shown)
               for page in pages() for command, shown in examples(page.read_text())]
    print(", ".join(f"{results.count(word)} {word}" for word in ("passed", "failed", "skipped")))
    return 1 if "failed" in results else 0


if __name__ == "__main__":
    sys.exit(main())
