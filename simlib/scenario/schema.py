"""Scenario language: YAML files validated into frozen pydantic models.

A scenario holds everything the model needs: calendar, bodies, pathways, demand and run
settings. A what-if file names its base with ``extends`` and changes values with
``set: {dotted.key.path: value}``. Every problem is reported as one line naming the file,
the key path and what to change (:class:`ScenarioError`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simlib.errors import ScenarioError
from simlib.formats.frozen import Frozen
from simlib.formats.keypaths import apply_set, value_at
from simlib.formats.numbers import Probability, bounded
from simlib.formats.printable import MAX_LINE, printable
from simlib.formats.validation import format_validation_error
from simlib.scenario.calendars import Calendar, Date, Meets
from simlib.scenario.calibration import Calibration as Calibration
from simlib.scenario.calibration import Fit as Fit
from simlib.scenario.calibration import FittedParameter as FittedParameter
from simlib.scenario.calibration import FittedTarget as FittedTarget
from simlib.scenario.calibration import SlaTarget as SlaTarget
from simlib.scenario.distributions import Distribution
from simlib.scenario.draws import inherited_posterior
from simlib.scenario.governance import (
    BUILT_IN_ATTRIBUTES,
    ROUND_KEY,
    Condition,
    Consent,
    Delegate,
    EVote,
    Hours,
    SummerAuthority,
    condition_holds,
)
from simlib.scenario.references import reference_problems

# Sane bounds: a number past one is a typo, and would make a run take for ever.
MAX_YEARS = 100
MAX_PER_YEAR = 10_000
MAX_PEOPLE = 10_000
MAX_DAYS = 3650
MAX_REPLICATIONS = 100_000
MAX_SEED = 2**63 - 1

Years = bounded(MAX_YEARS, "years", ge=0.0)
People = bounded(MAX_PEOPLE, "people", whole=True, ge=1)
Days = bounded(MAX_DAYS, "days", ge=0.0)
Count = bounded(MAX_PEOPLE, "", whole=True, ge=1)  # agenda places, revision rounds
Seed = bounded(MAX_SEED, "", whole=True, ge=0)

# --- bodies ----------------------------------------------------------------------------



class Office(Frozen):
    """An office (chair, dean, OWD): ``staff`` review in parallel on working days."""

    kind: Literal["office"]
    label: str = ""
    staff: People = Field(description="people reviewing at once, each one proposal at a time")
    review_days: Distribution = Field(
        description="working days one person spends on one proposal's review")
    hours: Hours = Field(default_factory=Hours, description="person-hours the work costs")


class Committee(Frozen):
    """A committee: ``members`` review before a meeting; decisions happen only at meetings.

    An item is on a meeting's agenda if its review was done ``agenda_lead_days`` before the
    meeting; at most ``agenda_limit`` items per meeting (first ready, first decided); a meeting
    is cancelled with probability ``cancel_p``. ``evote``, ``consent``, ``table_p`` and
    ``delegate`` are its other ways of deciding (:mod:`simlib.scenario.governance`).
    """

    kind: Literal["committee"]
    label: str = ""
    members: People = Field(description="members, each reviewing one proposal at a time "
                            "before the meeting that decides it")
    review_days: Distribution = Field(
        description="working days a member spends on one proposal's review")
    meets: Meets = Field(description="when the committee meets; it decides only at meetings")
    agenda_limit: Count | None = Field(
        None, description="most proposals decided at one meeting; the rest wait for the next")
    agenda_lead_days: bounded(365, "days", ge=0.0) = Field(
        0.0, description="days before a meeting a review must be done to be on its agenda")
    cancel_p: Probability = Field(0.0, description="chance a meeting is cancelled")
    hours: Hours = Field(default_factory=Hours, description="person-hours the work costs")
    evote: EVote | None = Field(
        None, description="decide by e-mail vote between meetings, unless a member objects")
    consent: Consent | None = Field(
        None, description="decide matching proposals together as one consent item at the "
        "next meeting, without taking agenda places, unless a member pulls one")
    table_p: Probability = Field(
        0.0, description="chance a proposal discussed at a meeting is deferred to the next")
    delegate: Delegate | None = Field(
        None, description="the chair decides matching proposals alone, between meetings")

    @model_validator(mode="after")
    def _decides_at_all(self) -> Committee:
        if self.table_p >= 1.0:
            raise PydanticCustomError(
                "table_p", "table_p: 1 defers every item for ever; give a chance below 1")
        return self


class Proposer(Frozen):
    """The proposing unit (the faculty who wrote the proposal): it works on its own items in
    calendar days, all at once (no queue, no working-day calendar): a sample badge's review,
    a first offering, a bulk-issue spreadsheet."""

    kind: Literal["proposer"]
    label: str = ""
    review_days: Distribution
    hours: Hours = Field(default_factory=Hours)


Body = Annotated[Office | Committee | Proposer, Field(discriminator="kind")]

# --- pathways --------------------------------------------------------------------------


class Revise(Frozen):
    """Chance ``p`` that a decision asks for revision; the proposer reworks for
    ``rework_days`` (calendar days) and the proposal returns to the same body.
    ``max_rounds`` caps the number of revision requests at this step. With ``back_to``
    (an earlier step of an ``after_approval`` chain) the proposal goes back to that step
    instead, whose body does the rework (``rework_days`` then being that visit's review
    time, in the body's days and with its staff), and goes on from there: a proposer
    asking the badge office to change a sample badge."""

    p: Probability = Field(description="chance a decision asks for revision")
    rework_days: Distribution = Field(
        description="calendar days the proposer takes to revise and resubmit")
    max_rounds: Count | None = None
    back_to: str | None = None

    @model_validator(mode="after")
    def _can_end(self) -> Revise:
        if self.p >= 1.0 and self.max_rounds is None:
            raise PydanticCustomError(
                "revise", "p: 1 means the body never approves; lower p or set max_rounds"
            )
        return self


def _step_from_name(value: Any) -> Any:
    return {"body": value} if isinstance(value, str) else value


STEP_MARKS = ("badge_live",)  # the milestones a step's approval can mark


class Step(Frozen):
    """A visit to one body, only for proposals matching ``when`` and never for those
    matching ``skip_when`` (a fast track); conditions: :mod:`simlib.scenario.governance`.
    Here ``round_at_least`` counts the revisions the proposal has had so far, at any step.

    ``review_days`` gives the step its own review time at the body (default: the body's),
    drawn from a stream of the step's own. ``starts`` holds the step until a start date:
    ``term`` (the first term start on or after the day the proposal reaches it) or a list
    of dates (the first listed on or after that day, else the next term start): a first
    offering. ``marks: badge_live``: the step's approval publishes the badge.
    """

    body: str
    name: str = ""
    when: Condition = Field(default_factory=dict)
    skip_when: Condition = Field(
        default_factory=dict, description="proposals that skip this step (a fast track)")
    revise: Revise | None = None
    withdraw_p: Probability = Field(0.0, description="chance a decision withdraws the proposal")
    sla_days: bounded(MAX_DAYS, "days", gt=0.0) | None = None
    review_days: Distribution | None = None
    starts: Literal["term"] | tuple[Date, ...] | None = None
    marks: Literal["badge_live"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _name_only(cls, value: Any) -> Any:
        return _step_from_name(value)

    @model_validator(mode="after")
    def _chances_add_up(self) -> Step:
        revise_p = self.revise.p if self.revise else 0.0
        if self.withdraw_p + revise_p > 1.0 + 1e-9:
            raise PydanticCustomError(
                "chances",
                f"withdraw_p ({self.withdraw_p:g}) + revise.p ({revise_p:g}) must be <= 1: "
                "they are chances of the same decision",
            )
        return self

    @property
    def label(self) -> str:
        """The step's name in the event log (its body's name unless given)."""
        return self.name or self.body

    @property
    def conditional(self) -> bool:
        """True when some proposals do not visit this step."""
        return bool(self.when or self.skip_when)

    def applies_to(self, attributes: dict[str, str], revisions: int = 0) -> bool:
        """True when a proposal with ``attributes`` and ``revisions`` so far visits the
        step: it matches ``when`` and does not match a ``skip_when``."""
        if not condition_holds(self.when, attributes, revisions):
            return False
        return not (self.skip_when and condition_holds(self.skip_when, attributes, revisions))


class Parallel(Frozen):
    """Bodies reviewing at once; the proposal moves on when every branch has approved."""

    parallel: tuple[Annotated[Step, Field()], ...] = Field(min_length=2)
    name: str = ""

    @field_validator("parallel", mode="before")
    @classmethod
    def _names_to_steps(cls, value: Any) -> Any:
        return [_step_from_name(v) for v in value] if isinstance(value, list) else value

    @property
    def label(self) -> str:
        """The group's name in the event log."""
        return self.name or "+".join(step.label for step in self.parallel)


def _step_kind(value: Any) -> str:
    if isinstance(value, dict | Parallel) and (
        "parallel" in value if isinstance(value, dict) else True
    ):
        return "parallel"
    return "step"


PathwayStep = Annotated[
    Annotated[Step, Tag("step")] | Annotated[Parallel, Tag("parallel")],
    Discriminator(_step_kind),
]


def labelled_steps(items: tuple) -> list[list[tuple[str, Step]]]:
    """The steps of a pathway as (label, step) per item (one, or one per parallel branch).

    A label is the step's name (or body); a label seen earlier in the pathway gets a
    number, e.g. ``"owd (2)"``. The event log's ``step`` column uses these labels.
    """
    route, seen = [], set()
    for item in items:
        branches = item.parallel if isinstance(item, Parallel) else (item,)
        labelled = []
        for step in branches:
            label, count = step.label, 2
            while label in seen:
                label, count = f"{step.label} ({count})", count + 1
            seen.add(label)
            labelled.append((label, step))
        route.append(labelled)
    return route


class Demand(Frozen):
    """Poisson arrivals: ``per_year`` expected per 365 days, a ``mix`` of levels, named
    categorical ``attributes`` (e.g. ``{size: {minor: 0.3, major: 0.7}}``, each drawn at
    submission from a stream of its own), and optional 12 monthly ``seasonality`` weights
    (January first)."""

    per_year: bounded(MAX_PER_YEAR, "proposals a year", ge=0.0) = Field(
        description="proposals submitted a year, on average")
    mix: dict[str, Probability] = Field(default_factory=dict)
    attributes: dict[str, dict[str, Probability]] = Field(default_factory=dict)
    seasonality: tuple[bounded(1e6, "(weights are relative)", ge=0.0), ...] | None = None

    @field_validator("mix")
    @classmethod
    def _mix_sums_to_one(cls, mix: dict[str, float]) -> dict[str, float]:
        if mix and abs(sum(mix.values()) - 1.0) > 1e-6:
            raise PydanticCustomError(
                "mix", f"shares must add up to 1, got {sum(mix.values()):g}"
            )
        return mix

    @field_validator("attributes")
    @classmethod
    def _shares_sum_to_one(cls, attributes: dict) -> dict:
        for name, shares in attributes.items():
            if name in (*BUILT_IN_ATTRIBUTES, ROUND_KEY):
                raise PydanticCustomError(
                    "attribute", f"{name!r} is built in; give the attribute another name")
            if not shares or abs(sum(shares.values()) - 1.0) > 1e-6:
                raise PydanticCustomError(
                    "attribute", f"{name}: shares must add up to 1, got "
                    f"{sum(shares.values()):g}")
        return attributes

    @field_validator("seasonality")
    @classmethod
    def _twelve_months(cls, weights: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if weights is not None and len(weights) != 12:
            raise PydanticCustomError(
                "seasonality",
                f"needs 12 monthly weights (January first), got {len(weights)}",
            )
        if weights is not None and sum(weights) <= 0:
            raise PydanticCustomError(
                "seasonality", "weights are all 0; give at least one month a positive weight"
            )
        return weights


class Target(Frozen):
    """A documented figure the model should reproduce (used by calibration and reports):
    ``mean_cycle_days`` with, optionally, ``sd_days`` (its standard error) or
    ``covers_years`` (the years of proposals it averages, from which a posterior
    calibration derives its standard error)."""

    mean_cycle_days: bounded(10 * MAX_DAYS, "days", gt=0.0) | None = None
    sd_days: bounded(10 * MAX_DAYS, "days", gt=0.0) | None = None
    covers_years: bounded(MAX_YEARS, "years", gt=0.0) | None = None
    source: str = ""


SOURCE_MARKS = ("A", "D", "D/A")  # how a note says where its number comes from


def note_words(note: str) -> str:
    """An assumption's note as readers see it: without its source mark ("A: ", "D/A: ")."""
    mark, colon, rest = note.partition(": ")
    return rest if colon and mark in SOURCE_MARKS else note


class Assumption(Frozen):
    """An uncertain number of the scenario and the range it plausibly lies in.

    ``path`` is a dotted key path as in ``set`` (e.g. ``pathways.credit.mc.revise.p``).
    Sensitivity analysis swings it over [``low``, ``high``]; calibration fits it inside
    that range, pulled towards the value the scenario gives it. A what-if inherits its
    base's assumptions whose paths still exist.
    """

    path: str
    low: bounded(1e9, ge=-1e9)
    high: bounded(1e9, ge=-1e9)
    note: str = ""

    @property
    def prices(self) -> bool:
        """True for a price (a body's ``hours``): it changes what work costs, never a time."""
        parts = self.path.split(".")
        return len(parts) == 4 and parts[0] == "bodies" and parts[2] == "hours"

    @property
    def after_approval(self) -> bool:
        """True for a step after approval: it changes the journey to the first badges,
        never the time to approval."""
        return self.path.startswith("after_approval.")

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.low < self.high:
            raise PydanticCustomError(
                "range", f"low must be below high, got low {self.low:g}, high {self.high:g}"
            )
        return self


class SourceFile(str):
    """The file a scenario was read from, kept for messages: it never makes two scenarios
    unequal (the same numbers read from two files are the same scenario)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str)

    def __hash__(self) -> int:
        return 0


class Scenario(Frozen):
    """A complete, validated scenario. Times are in days; ``horizon_years`` of arrivals
    (365 days each) of which the first ``warmup_years`` are discarded by metrics. The file
    it was read from (``source``, "" when built in code) names it in the messages about
    its variants."""

    name: str
    title: str = ""
    description: str = ""
    calendar: Calendar
    horizon_years: bounded(MAX_YEARS, "years", gt=0.0) = 6.0
    warmup_years: Years = 1.0
    seed: Seed = 1
    replications: bounded(MAX_REPLICATIONS, "", whole=True, ge=1) = 30
    demand: dict[str, Demand]
    bodies: dict[str, Body] = Field(min_length=1)
    pathways: dict[str, Annotated[tuple[PathwayStep, ...], Field(min_length=1)]] = Field(
        min_length=1
    )
    after_approval: dict[str, tuple[Step, ...]] = Field(default_factory=dict)
    targets: dict[str, Target] = Field(default_factory=dict)
    assumptions: tuple[Assumption, ...] = ()
    calibration: Calibration | None = None
    summer_authority: SummerAuthority | None = Field(
        None, description="outside terms, one committee decides for committees that do not "
        "meet then")

    _source: SourceFile = PrivateAttr(default=SourceFile(""))

    @property
    def source(self) -> str:
        """The file the scenario was read from ("" when it was built in code)."""
        return str(self._source)

    def read_from(self, path: str) -> Scenario:
        """This scenario, noted as read from ``path`` (for messages); returns it."""
        self._source = SourceFile(path)
        return self

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        for path, problem in reference_problems(self):
            raise PydanticCustomError("reference", "{problem}", {"path": path, "problem": problem})
        return self

    @property
    def horizon_days(self) -> float:
        """Days during which proposals arrive."""
        return 365.0 * self.horizon_years

    @property
    def warmup_days(self) -> float:
        """Days at the start whose submissions metrics exclude."""
        return 365.0 * self.warmup_years

    def journey(self, pathway: str) -> list[list[tuple[str, Step]]]:
        """:func:`labelled_steps` of the pathway's steps followed by its ``after_approval``
        steps (one step per item), labelled together (a label seen earlier gets a number)."""
        return labelled_steps((*self.pathways[pathway], *self.after_approval.get(pathway, ())))

    def after_steps(self, pathway: str) -> list[tuple[str, Step]]:
        """(label, step) of each of the pathway's ``after_approval`` steps, in order,
        labelled as in :meth:`journey` ([] for a pathway without them)."""
        return [item for [item] in self.journey(pathway)[len(self.pathways[pathway]):]]

    def after_labels(self, pathway: str) -> list[str]:
        """The labels of :meth:`after_steps`, as the event log names them."""
        return [label for label, _ in self.after_steps(pathway)]

    def sent_back(self, pathway: str) -> dict[str, str]:
        """The labels of the pathway's steps after approval whose revisions go back to an
        earlier step (``revise.back_to``, a step's name or label) -> that step's label."""
        found, labels = {}, {}
        for label, step in self.after_steps(pathway):
            labels.setdefault(step.label, label)
            labels[label] = label
            if step.revise is not None and step.revise.back_to is not None:
                found[label] = labels[step.revise.back_to]
        return found

    def value_at(self, path: str) -> Any:
        """The value at dotted key ``path`` (as in ``set``), e.g. ``bodies.owd.staff``."""
        return value_at(self.model_dump(mode="json"), path)

    def variant(self, changes: dict[str, Any], name: str | None = None) -> Scenario:
        """A new scenario with ``changes`` ({dotted.key.path: value}) applied; self is unchanged.

        As for a what-if, assumptions whose paths the changes remove are dropped."""
        paths = [printable(path) for path in changes]
        changed = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3
                                          else "")
        source = f"{printable(self.source or self.name, MAX_LINE)} with {changed} changed"
        data = self.model_dump(mode="json", exclude_defaults=False)
        data = apply_set(data, changes, where=source)
        data = _inherit(data, " ".join(map(str, changes)), set(changes))
        if name is not None:
            data["name"] = name
        return validate_scenario(data, source).read_from(self.source)


# --- loading ---------------------------------------------------------------------------


def _inherit(data: dict, explicit: str, fixed: set[str] = frozenset(),
             inherited: bool = True, factors: dict | None = None) -> dict:
    """What a derived scenario (what-if or variant) keeps of its base's descriptive blocks
    unless ``explicit`` (the keys it sets) names them: the assumptions whose paths still
    exist, and the calibration block only while every free parameter still exists. With
    ``inherited`` (the posterior draws are the base's), those of a path at or under one in
    ``fixed`` (the paths it sets) or whose step it removes are dropped (its value holds in
    every draw), and those of a path it scales by ``factors`` are scaled
    (:func:`~simlib.scenario.draws.inherited_posterior`); its own draws hold as written."""
    posterior = (data.get("calibration") or {}).get("posterior")
    draws = posterior.get("draws") if isinstance(posterior, dict) else None
    if isinstance(draws, dict) and inherited:
        kept = inherited_posterior(posterior, data, fixed, factors)
        if kept != posterior:
            data["calibration"]["posterior"] = kept
    if "assumptions" not in explicit:
        data["assumptions"] = _still_there(data.get("assumptions", []), data)
    free = (data.get("calibration") or {}).get("free", [])
    if "calibration" not in explicit and len(_still_there(free, data)) < len(free):
        data.pop("calibration", None)
    return data


def _still_there(items: list, data: dict) -> list:
    """The items (assumption mappings with a ``path``, or paths) whose paths still exist in
    ``data`` (a change that restructures a pathway removes the paths of its old steps)."""
    kept = []
    for item in items:
        path = item.get("path", "") if isinstance(item, dict) else str(item)
        try:
            value_at(data, path)
        except KeyError:
            continue
        kept.append(item)
    return kept


def validate_scenario(data: dict, source: str) -> Scenario:
    """Validate a scenario mapping; on failure raise one-line :class:`ScenarioError`."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(format_validation_error(error, data, source)) from None


