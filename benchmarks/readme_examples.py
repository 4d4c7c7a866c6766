"""Re-run the README's example commands and check that they print what the README shows.

Each ``sh`` block of the README that holds one ``.venv/bin/mcsim`` command and is followed
by a block of its output (or a sentence "`mcsim ...` prints" before such a block) is run
from the repository root; every non-blank line the README shows (a table may be cut with
"...") must appear in the command's output. A command that writes a file (``--out``)
writes it into a temporary folder instead, so nothing the repository holds is overwritten
(``calibrate``, which takes minutes, is skipped).
Prints one line per command with its wall time; exit status 1 if any output differs.

    .venv/bin/python benchmarks/readme_examples.py
"""

from __future__ import annotations

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


def examples(text: str) -> list[tuple[str, str]]:
    """(command, the output the README shows) for each one-command ``sh`` block."""
    blocks = [(match.group(1), match.group(2)) for match in BLOCK.finditer(text)]
    found = []
    for (language, body), (_, shown) in itertools.pairwise(blocks):
        lines = body.replace("\\\n", " ").strip().splitlines()
        if language == "sh" and len(lines) == 1 and lines[0].startswith(".venv/bin/mcsim"):
            found.append((lines[0], shown))
    found += [(f".venv/bin/{command}", shown) for command, shown in INLINE.findall(text)]
    return found


def elsewhere(words: list[str], folder: Path) -> list[str]:
    """``words`` with the file after ``--out`` moved into ``folder``, so that running the
    example changes nothing the repository holds (the output's name keeps its suffix)."""
    words = list(words)
    if "--out" in words:
        at = words.index("--out") + 1
        words[at] = str(folder / Path(words[at]).name)
    return words


def main() -> int:
    failed = 0
    for command, shown in examples((ROOT / "README.md").read_text()):
        words = shlex.split(command)
        if "--out" in words and words[1] in SLOW:
            print(f"skip         {command}  (writes a file, and takes minutes)")
            continue
        start = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            done = subprocess.run(elsewhere(words, Path(folder)), capture_output=True,
                                  text=True, cwd=ROOT)
        seconds = time.perf_counter() - start
        printed = set(done.stdout.splitlines())
        missing = [line for line in shown.splitlines()
                   if line.strip() and line.strip() != "..." and line not in printed]
        failed += bool(missing)
        print(f"{'same' if not missing else 'DIFFERS'} {seconds:6.1f} s  {command}")
        for line in missing[:5]:
            print(f"    README shows: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
