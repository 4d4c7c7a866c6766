"""Scenarios: the files planners edit, validated into frozen models.

- :mod:`~simlib.scenario.schema`: the scenario, its bodies, pathways, demand and targets;
- :mod:`~simlib.scenario.calendars` and :mod:`~simlib.scenario.distributions`: calendars,
  meeting rules and durations;
- :mod:`~simlib.scenario.loading`: files, ``extends`` chains, ``set`` and ``scale``;
- :mod:`~simlib.scenario.governance`: conditions (``when``, ``skip_when``), committees'
  decision rules (e-vote, consent, tabling, delegation, summer authority) and ``hours``;
- :mod:`~simlib.scenario.references`: cross-checks between names;
- :mod:`~simlib.scenario.changes`: what a what-if changes (:func:`what_changed`);
- :mod:`~simlib.scenario.calibration` and :mod:`~simlib.scenario.calibration_file`: the
  ``calibration:`` block and how ``mcsim calibrate`` writes it.
"""

from simlib.scenario.calendars import (
    WEEKDAYS,
    AcademicCalendar,
    ContinuousCalendar,
    FloatingHoliday,
    Meets,
)
from simlib.scenario.changes import Change, what_changed
from simlib.scenario.distributions import Distribution
from simlib.scenario.loading import (
    inherit_from_base,
    load_scenario,
    load_scenario_text,
    source_files,
)
from simlib.scenario.schema import (
    Assumption,
    Committee,
    Office,
    Parallel,
    Proposer,
    Scenario,
    Step,
    labelled_steps,
    note_words,
    validate_scenario,
)

__all__ = [
    "WEEKDAYS", "AcademicCalendar", "Assumption", "Change", "Committee", "ContinuousCalendar",
    "Distribution", "FloatingHoliday", "Meets", "Office", "Parallel", "Proposer", "Scenario",
    "Step",
    "inherit_from_base", "labelled_steps", "load_scenario", "load_scenario_text",
    "note_words", "source_files",
    "validate_scenario", "what_changed",
]
