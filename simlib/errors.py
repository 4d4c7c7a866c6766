"""Every error simlib raises on purpose, in one tree under :class:`InputError`.

Each message is one line that names the file (or option), the place in it and what to
change; the command line prints it and exits with status 2 (:class:`NotebookFailed`: 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class InputError(ValueError):
    """Bad user input; the message is one line naming the file, place and problem."""


class ScenarioError(InputError):
    """A scenario file that cannot be used as written."""


class CommandError(InputError):
    """A command line that cannot be run as given (an option, a missing or unwritable file)."""


class ComparisonError(InputError):
    """Scenarios that cannot be compared as given (the message is one line)."""


class SchedulerError(InputError):
    """A Dask scheduler that cannot be used (Dask missing, or no scheduler at the address)."""


class PlanError(InputError):
    """A planning question that cannot be answered as asked (one line: what to change)."""


class PipelineError(InputError):
    """A pipeline CSV that cannot be read as given (one line naming the row and column)."""


class HistoryError(InputError):
    """A history file (an office's record of visits) that cannot be read as given: one line,
    or the lines of several problems joined by newlines, the first saying how many;
    ``problems`` holds the problem lines (each naming the file, row, column and fix)."""

    def __init__(self, message: str, problems: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems) or (message,)


class CalibrationError(InputError):
    """A calibration that cannot run as asked; the message names the key and the fix."""


class RosterError(InputError):
    """A roster that cannot be turned into an upload file; ``problems`` lists every one
    (:class:`simlib.policy.badge_files.Problem` records)."""

    def __init__(self, path: Path, problems: Sequence[Any]) -> None:
        count = len(problems)
        super().__init__(f"{path}: {count} problem{'s' * (count != 1)} in the roster; "
                         "nothing written")
        self.problems = tuple(problems)


class DateError(InputError):
    """A date that is not a real mm/dd/yy date; ``problem`` and ``fix`` say why and how."""

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(f"{problem}; {fix}")
        self.problem, self.fix = problem, fix


class YamlTextError(InputError):
    """A YAML text that cannot be edited as asked; the message names the key path and why."""


class NotebookFailed(InputError):
    """A report notebook that raised or showed an error with the parameters it was given;
    the message is the one line to print (``mcsim report`` exits with status 1)."""
