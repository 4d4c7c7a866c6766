"""Is a proposal a microcredential? The policy page's eligibility rules, on a proposal file.

Each rule is defined once, in :data:`RULES`: its id, the pathway it applies to, the
requirement in plain words, the policy statement it paraphrases (with its source) and its
check. :func:`check_proposal` applies the rules of a proposal's pathway and says, for each,
``pass``, ``fail`` or ``warning`` with the reason in numbers; :func:`rules_table` lists the
rules for a report. :func:`load_proposal` reads a proposal YAML file and reports any problem
as one line naming the file and the key path (:class:`~simlib.errors.InputError`).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from simlib.errors import InputError
from simlib.formats.frozen import Frozen
from simlib.formats.numbers import bounded
from simlib.formats.validation import format_validation_error
from simlib.formats.words import fixed, pathway_words, plural
from simlib.formats.yamlfile import read_yaml_mapping
from simlib.policy.names import (
    MAX_NAME,
    NAME_SIMILARITY,
    NameMatch,
    name_matches,
    normalise_program_name,
    read_program_names,
)

__all__ = [  # the names are matched in simlib.policy.names; kept importable from here
    "NAME_SIMILARITY", "RULES", "Eligibility", "NameMatch", "Proposal", "check_proposal",
    "load_proposal", "name_matches", "normalise_program_name", "read_program_names",
    "rules_table", "validate_proposal",
]

MIN_COURSES = 2
DEFAULT_MIN_CREDITS = 6.0
MAX_CREDITS = 16.0
TOO_MANY_SEMESTERS = 3
MIN_NONCREDIT_HOURS = 127.5
MAX_COURSE_CREDITS = 100  # sane bounds: past them a number is a typo
MAX_HOURS = 100_000
MAX_SEMESTERS = 100
SOURCE = "Policy page, July 2025"

Status = Literal["pass", "fail", "warning"]


def _texts(value: Any) -> tuple:
    """Text or a list of text, as a tuple (None: empty)."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list):
        return tuple(item for item in value if not (isinstance(item, str) and not item.strip()))
    raise PydanticCustomError("texts", "must be text or a list of text, got "
                              f"{repr(value)[:60]}")


def _name(value: Any) -> Any:
    """A title that is not blank."""
    if isinstance(value, str) and not value.strip():
        raise PydanticCustomError("blank", "must not be empty; give the name")
    if isinstance(value, str) and len(value) > MAX_NAME:
        raise PydanticCustomError("long", f"must be at most {MAX_NAME} characters, got "
                                  f"{len(value)}; shorten it")
    return value


def _code(value: Any) -> Any:
    """A course code; a bare number (``101``) is taken as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Texts = Annotated[tuple[str, ...], BeforeValidator(_texts)]
Name = Annotated[str, BeforeValidator(_name)]
Credits = bounded(MAX_COURSE_CREDITS, "credits", ge=0)
Hours = bounded(MAX_HOURS, "hours", ge=0)


class Course(Frozen):
    """One course of a credit-bearing proposal; ``credits`` is required on that pathway."""

    code: Annotated[str, BeforeValidator(_code)]
    title: Name
    credits: Credits | None = None


class Proposal(Frozen):
    """A microcredential proposal as written in its YAML file."""

    title: Name
    pathway: Literal["credit", "noncredit"]
    level: Literal["undergraduate", "graduate"] | None = None
    courses: tuple[Course, ...] = ()
    semesters_to_complete: bounded(MAX_SEMESTERS, "semesters", whole=True, ge=1) | None = None
    stacks_into: Texts = ()
    total_hours: Hours | None = None
    assessments: Texts = ()
    learner_work: Texts = ()

    @property
    def total_credits(self) -> float:
        """The credits of all courses (missing credits count as 0)."""
        return round(math.fsum(course.credits or 0.0 for course in self.courses), 6)


def _unknown_keys(data: dict, source: str) -> None:
    """Raise :class:`InputError` for the first key no proposal or course has."""
    mappings = [("", data, Proposal)]
    if isinstance(data.get("courses"), list):
        mappings += [(f"courses[{index}].", course, Course)
                     for index, course in enumerate(data["courses"]) if isinstance(course, dict)]
    for where, mapping, model in mappings:
        for key in mapping:
            if key not in model.model_fields:
                close = difflib.get_close_matches(str(key), model.model_fields, n=1)
                hint = (f"did you mean {close[0]!r}?" if close
                        else "known keys: " + ", ".join(model.model_fields))
                raise InputError(f"{source}: {where}{str(key)[:60]}: unknown key; {hint}")


def _course_place(place: str, data: dict) -> str:
    """A pydantic key path in bracket form (``courses[1].credits``), with the course's code
    when it has one."""
    place = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", place)
    found = re.match(r"courses\[(\d+)\]", place)
    courses = data.get("courses")
    if found and isinstance(courses, list) and int(found[1]) < len(courses):
        course = courses[int(found[1])]
        if isinstance(course, dict) and course.get("code") is not None:
            place += f" ({course['code']})"
    return place


def validate_proposal(data: dict, source: str) -> Proposal:
    """A :class:`Proposal` from a file's mapping; :class:`InputError` (one line naming
    ``source`` and the key path) when it cannot be one."""
    _unknown_keys(data, source)
    try:
        proposal = Proposal.model_validate(data)
    except ValidationError as error:
        message = format_validation_error(error, data, source)
        place, _, problem = message[len(source) + 2:].partition(": ")
        raise InputError(f"{source}: {_course_place(place, data)}: {problem}") from None
    if proposal.pathway == "credit":
        for index, course in enumerate(proposal.courses):
            if course.credits is None:
                raise InputError(f"{source}: courses[{index}].credits ({course.code}): required "
                                 "on a credit-bearing proposal; add e.g. credits: 3")
    return proposal


def load_proposal(path: str | Path) -> Proposal:
    """Read and validate a proposal YAML file (see :class:`Proposal` for its keys)."""
    path = Path(path)
    data = read_yaml_mapping(path, ("a proposal", "title", "pathway"))
    return validate_proposal(data, str(path))


@dataclass(frozen=True)
class Verdict:
    """One rule's outcome for one proposal: ``why`` gives the numbers behind ``status``."""

    rule: str
    status: Status
    why: str


@dataclass(frozen=True)
class CheckSettings:
    """What the policy leaves to the program: the minimum credits (six or eight) and the
    registered program names (None: the name rule is not checked)."""

    min_credits: float = DEFAULT_MIN_CREDITS
    programs: tuple[str, ...] | None = None


Check = Callable[[Proposal, CheckSettings], tuple[Status, str]]


@dataclass(frozen=True)
class Rule:
    """One eligibility rule: ``pathway`` is credit, noncredit or both."""

    rule_id: str
    pathway: Literal["credit", "noncredit", "both"]
    requirement: str
    source: str
    check: Check


def _two_courses(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
    count = plural(len(proposal.courses), "course", exact=True)
    if len(proposal.courses) >= MIN_COURSES:
        return "pass", f"{count}: at least {MIN_COURSES}"
    return "fail", f"{count}: needs at least {MIN_COURSES}"


def _credit_range(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
    credits, low = proposal.total_credits, settings.min_credits
    counts = (f"{plural(len(proposal.courses), 'course', exact=True)}, "
              f"{plural(credits, 'credit', exact=True)}")
    if credits < low:
        return "fail", f"{counts}: below the minimum of {low:g}"
    if credits > MAX_CREDITS:
        return "fail", f"{counts}: above the maximum of {MAX_CREDITS:g}"
    return "pass", f"{counts}: within {low:g} to {MAX_CREDITS:g}"


def _semesters(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
    semesters = proposal.semesters_to_complete
    if semesters is None:
        return "warning", (f"semesters_to_complete not given; add it (fewer than "
                           f"{TOO_MANY_SEMESTERS} semesters are expected)")
    if semesters >= TOO_MANY_SEMESTERS:
        return "fail", (f"{plural(semesters, 'semester', exact=True)}: a credit-bearing "
                        "microcredential that takes three semesters to complete is likely not a "
                        "microcredential")
    return "pass", f"{plural(semesters, 'semester', exact=True)}: fewer than {TOO_MANY_SEMESTERS}"


def _stacks(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
    if not proposal.stacks_into:
        return "fail", ("stacks_into is empty: name the certificate or degree it stacks into")
    return "pass", "stacks into " + "; ".join(proposal.stacks_into)


def _assessed_work(missing_status: Status) -> Check:
    """A check that assessments and learner work are listed; ``missing_status`` if not."""

    def check(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
        listed = {"assessments": proposal.assessments, "learner_work": proposal.learner_work}
        missing = [key for key, items in listed.items() if not items]
        if missing:
            return missing_status, " and ".join(missing) + " not listed; add them"
        return "pass", (f"{plural(len(proposal.assessments), 'assessment', exact=True)}, "
                        f"{plural(len(proposal.learner_work), 'learner work item', exact=True)}")

    return check


def _hours(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
    hours = proposal.total_hours
    if hours is None:
        return "fail", f"total_hours not given; at least {MIN_NONCREDIT_HOURS:g} are needed"
    if hours < MIN_NONCREDIT_HOURS:
        return "fail", (f"{plural(hours, 'hour', exact=True)}: below {MIN_NONCREDIT_HOURS:g}; "
                        "training of a few hours or days is continuing education, not a "
                        "microcredential")
    return "pass", f"{plural(hours, 'hour', exact=True)}: at least {MIN_NONCREDIT_HOURS:g}"


def _distinct_name(proposal: Proposal, settings: CheckSettings) -> tuple[Status, str]:
    if settings.programs is None:
        return "warning", ("not checked: give --programs FILE, the registered (NYSED-approved) "
                           "program names one a line, e.g. examples/programs.txt")
    matches = name_matches(proposal.title, settings.programs)
    best = matches[0]
    if not best.resembles:
        return "pass", (f"no close match among {len(matches)} registered names (closest: "
                        f"{best.program!r}, similarity {fixed(best.similarity, 2)})")
    how = ("the same once degree words are dropped, " if best.similarity == 1
           else "one name contains the other, " if best.contains else "")
    others = sum(match.resembles for match in matches) - 1
    more = f"; and {others} more" if others else ""
    return "fail", (f"resembles registered program {best.program!r} ({how}similarity "
                    f"{fixed(best.similarity, 2)}){more}; rename it")


RULES: tuple[Rule, ...] = (
    Rule("two-courses", "credit", f"at least {MIN_COURSES} courses",
         f"{SOURCE}: a credit-bearing microcredential is a minimum of two courses.",
         _two_courses),
    Rule("credit-range", "credit",
         f"at least {DEFAULT_MIN_CREDITS:g} credits (8 where a program asks for eight) and "
         f"at most {MAX_CREDITS:g} in total",
         f"{SOURCE}: a minimum of six/eight credits and no more than 16.", _credit_range),
    Rule("under-three-semesters", "credit",
         f"completed in fewer than {TOO_MANY_SEMESTERS} semesters (warning if not given)",
         f"{SOURCE}: one that takes three semesters to complete is likely not a "
         "microcredential.", _semesters),
    Rule("stacks", "credit", "stacks into a certificate or degree (stacks_into not empty)",
         f"{SOURCE}: it stacks into an existing certificate and/or degree, alone or in a "
         "series of microcredentials.", _stacks),
    Rule("assessed-work", "credit",
         "assessments and learner work listed (warning if not)",
         f"{SOURCE}: credit-bearing microcredentials have learning outcomes, assessments "
         "and learner work product.", _assessed_work("warning")),
    Rule("substantial-hours", "noncredit", f"at least {MIN_NONCREDIT_HOURS:g} total hours",
         f"{SOURCE}: a substantial learning experience of at least 127.5 hours; training of "
         "a few hours or days is continuing or executive education.", _hours),
    Rule("assessed-work", "noncredit", "assessments and learner work listed",
         f"{SOURCE}: it consists of learning experiences and assessments, and produces "
         "learner work.", _assessed_work("fail")),
    Rule("distinct-name", "both",
         "title does not resemble a registered program name (similarity below "
         f"{NAME_SIMILARITY:g}, neither name containing the other; warning if no list given)",
         f"{SOURCE}: names may not resemble certificate or degree program names approved by "
         "NYSED.", _distinct_name),
)


@dataclass(frozen=True)
class Eligibility:
    """The verdicts of every rule of a proposal's pathway, in :data:`RULES` order."""

    proposal: Proposal
    settings: CheckSettings
    verdicts: tuple[Verdict, ...]

    @property
    def eligible(self) -> bool:
        """True when no rule fails (warnings allowed)."""
        return all(verdict.status != "fail" for verdict in self.verdicts)

    def to_dict(self) -> dict:
        """``{title, pathway, level, min_credits, eligible, rules: [{rule, status, why}]}``."""
        return {"title": self.proposal.title, "pathway": self.proposal.pathway,
                "level": self.proposal.level, "min_credits": self.settings.min_credits,
                "eligible": self.eligible,
                "rules": [vars(verdict).copy() for verdict in self.verdicts]}


def check_proposal(proposal: Proposal, min_credits: float = DEFAULT_MIN_CREDITS,
                   programs: tuple[str, ...] | None = None) -> Eligibility:
    """Apply the rules of ``proposal``'s pathway. ``min_credits``: six or eight (some
    programs); ``programs``: registered program names (None: the name rule is a warning)."""
    if not 0 < min_credits <= MAX_CREDITS:
        raise ValueError(f"min_credits must be above 0 and at most {MAX_CREDITS:g}, "
                         f"got {min_credits}")
    settings = CheckSettings(min_credits, programs)
    verdicts = tuple(Verdict(rule.rule_id, *rule.check(proposal, settings))
                     for rule in RULES if rule.pathway in (proposal.pathway, "both"))
    return Eligibility(proposal, settings, verdicts)


def rules_table() -> Any:
    """The rules as a DataFrame, one row each: pathway words, rule id, requirement, source
    (pandas is imported here: checking a proposal does not need it)."""
    import pandas as pd

    return pd.DataFrame(
        [(pathway_words(rule.pathway), rule.rule_id, rule.requirement, rule.source)
         for rule in RULES],
        columns=["pathway", "rule", "requirement", "source"],
    )
