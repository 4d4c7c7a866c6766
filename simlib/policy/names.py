"""Registered program names: reading the list and how much a proposal's title resembles
each (a microcredential's name may not resemble a NYSED-approved program's)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from simlib.errors import InputError
from simlib.formats.files import regular_input

NAME_SIMILARITY = 0.8
MAX_LIST_BYTES = 2_000_000
MAX_NAME = 300  # characters of a program name (or a proposal's title)


def read_program_names(path: str | Path) -> tuple[str, ...]:
    """The names in a list of registered programs: one a line; blank lines and lines
    starting with ``#`` are skipped."""
    path = Path(path)
    if not path.is_file():
        problem = "is a folder; give a text file" if path.is_dir() else "file not found"
        if path.exists() and not path.is_dir():
            regular_input(path, "text file")  # a pipe or device, refused by name
        raise InputError(f"{path}: {problem}; check the --programs path")
    if path.stat().st_size > MAX_LIST_BYTES:
        raise InputError(f"{path}: larger than {MAX_LIST_BYTES // 1_000_000} MB; give the "
                         "list of program names, one a line")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    names = tuple(line.strip() for line in lines
                  if line.strip() and not line.strip().startswith("#"))
    for number, line in enumerate(lines, start=1):
        if len(line.strip()) > MAX_NAME:
            raise InputError(f"{path}: line {number}: more than {MAX_NAME} characters; write "
                             "one program name a line")
    if not names:
        raise InputError(f"{path}: no program names in it; write one name a line")
    return names


_DEGREE_WORDS = frozenset({
    "ms", "ma", "msc", "mba", "mfa", "mph", "bs", "ba", "bsc", "bfa", "phd",
    "certificate", "degree", "program", "programme", "microcredential", "in", "of",
})


def normalise_program_name(name: str) -> str:
    """``name`` case-folded, without punctuation or degree words (MS, BS, certificate,
    advanced certificate, degree, program, in, of...): what is compared for resemblance."""
    words = re.sub(r"[^\w\s]", " ", re.sub(r"[.'’]", "", name.casefold())).split()
    kept = [word for index, word in enumerate(words)
            if word not in _DEGREE_WORDS
            and not (word == "advanced" and words[index + 1:index + 2] == ["certificate"])]
    return " ".join(kept)


@dataclass(frozen=True)
class NameMatch:
    """How much a title resembles one registered program name."""

    program: str
    similarity: float  # difflib ratio of the normalised names, 0 to 1
    contains: bool  # one normalised name holds the other as whole words

    @property
    def resembles(self) -> bool:
        """True when the names are too close: similarity >= 0.8 or one contains the other."""
        return self.contains or self.similarity >= NAME_SIMILARITY


def _holds(longer: str, shorter: str) -> bool:
    return bool(shorter) and f" {shorter} " in f" {longer} "


def name_matches(title: str, programs: tuple[str, ...]) -> list[NameMatch]:
    """Every program name scored against ``title``, most similar first."""
    mine = normalise_program_name(title)
    matches = []
    for program in programs:
        theirs = normalise_program_name(program)
        ratio = difflib.SequenceMatcher(None, mine, theirs).ratio() if mine and theirs else 0.0
        matches.append(NameMatch(program, round(ratio, 2),
                                 _holds(mine, theirs) or _holds(theirs, mine)))
    return sorted(matches, key=lambda match: (not match.resembles, -match.similarity))
