"""Scenario language: YAML files validated into frozen pydantic models.

A scenario holds everything the model needs: calendar, bodies, pathways, demand and run
settings. A what-if file names its base with ``extends`` and changes values with
``set: {dotted.key.path: value}``. Every problem is reported as one line naming the file,
the key path and what to change (:class:`ScenarioError`).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from simlib.calibration_spec import Calibration as Calibration
from simlib.calibration_spec import Fit as Fit
from simlib.calibration_spec import FittedParameter as FittedParameter
from simlib.calibration_spec import FittedTarget as FittedTarget
from simlib.calibration_spec import SlaTarget as SlaTarget
from simlib.frozen import Frozen
from simlib.inputs import ScenarioError, format_validation_error, read_yaml_mapping
from simlib.keypaths import apply_scale, apply_set, value_at

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
Probability = Annotated[float, Field(ge=0.0, le=1.0)]
DISTRIBUTIONS = ("fixed", "exponential", "uniform", "triangular", "lognormal", "gamma")


def _month_day(text: Any) -> str:
    """Validate a 'MM-DD' string (a day that exists in a leap year)."""
    if not isinstance(text, str):
        raise PydanticCustomError(
            "month_day", f"must be a month-day 'MM-DD' in quotes, got {text!r}"
        )
    try:
        dt.date.fromisoformat(f"2024-{text}")
    except ValueError:
        raise PydanticCustomError(
            "month_day", f"must be a real month-day 'MM-DD', e.g. '08-25', got {text!r}"
        ) from None
    return text


MonthDay = Annotated[str, AfterValidator(_month_day), Field(json_schema_extra={"format": "MM-DD"})]


def _holiday_day(text: Any) -> str:
    """Validate one holiday day: 'MM-DD' (every year) or 'YYYY-MM-DD' (once)."""
    if isinstance(text, str) and len(text) == 5:
        return _month_day(text)
    if isinstance(text, str) and len(text) == 10:
        try:
            dt.date.fromisoformat(text)
            return text
        except ValueError:
            pass
    raise PydanticCustomError(
        "holiday", f"must be 'MM-DD' (every year) or 'YYYY-MM-DD' (once), got {text!r}"
    )


class FloatingHoliday(Frozen):
    """A holiday on the ``nth`` ``weekday`` of ``month`` every year (``nth: -1``: the last),
    lasting ``days`` days, e.g. Thanksgiving: ``{month: 11, nth: 4, weekday: thu, days: 2}``."""

    month: int = Field(ge=1, le=12)
    nth: Literal[1, 2, 3, 4, -1]
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days: int = Field(default=1, ge=1, le=31)


def _holiday(value: Any) -> str | tuple[str, str]:
    """Validate a holiday: one day, or a [first, last] range of days of the same form."""
    if not isinstance(value, list | tuple):
        return _holiday_day(value)
    if len(value) != 2:
        raise PydanticCustomError(
            "holiday", f"a holiday range needs 2 days [first, last], got {list(value)!r}"
        )
    first, last = _holiday_day(value[0]), _holiday_day(value[1])
    if len(first) != len(last):
        raise PydanticCustomError(
            "holiday", f"both ends of a range must be 'MM-DD' or both 'YYYY-MM-DD', got "
            f"{[first, last]!r}"
        )
    if len(first) == 10 and last < first:
        raise PydanticCustomError(
            "holiday", f"range ends before it starts: {[first, last]!r}; swap them"
        )
    return (first, last)


Holiday = Annotated[
    Annotated[Annotated[str | tuple[str, str], BeforeValidator(_holiday)], Tag("day")]
    | Annotated[FloatingHoliday, Tag("floating")],
    Discriminator(lambda v: "floating" if isinstance(v, dict | FloatingHoliday) else "day"),
]


class Distribution(Frozen):
    """A duration in days given by its mean (and coefficient of variation ``cv``).

    ``fixed`` and ``exponential`` need only ``mean``. ``uniform`` and ``triangular`` are
    symmetric around the mean with the given ``cv``; ``lognormal`` and ``gamma`` need ``cv > 0``.
    A bare number in a scenario file means ``fixed``.
    """

    dist: Literal["fixed", "exponential", "uniform", "triangular", "lognormal", "gamma"]
    mean: float = Field(ge=0.0)
    cv: float | None = Field(default=None, ge=0.0)

    @model_validator(mode="before")
    @classmethod
    def _number_is_fixed(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return {"dist": "fixed", "mean": value}
        return value

    @model_validator(mode="after")
    def _check_cv(self) -> Distribution:
        limits = {"uniform": 1 / math.sqrt(3), "triangular": 1 / math.sqrt(6)}
        if self.dist in ("fixed", "exponential"):
            if self.cv is not None and self.cv != (0.0 if self.dist == "fixed" else 1.0):
                raise PydanticCustomError(
                    "cv", "{dist} has no cv to set; remove cv or pick another dist",
                    {"dist": self.dist},
                )
        elif self.cv is None:
            raise PydanticCustomError("cv", "{dist} needs a cv, e.g. cv: 0.5", {"dist": self.dist})
        elif self.dist in limits and self.cv > limits[self.dist] + 1e-12:
            raise PydanticCustomError(
                "cv",
                f"cv of a {self.dist} must be <= {limits[self.dist]:.3f} "
                f"(else durations go negative), got {self.cv:g}",
            )
        elif self.dist in ("lognormal", "gamma") and self.cv <= 0:
            raise PydanticCustomError(
                "cv", "cv of a {dist} must be > 0 (use dist: fixed for no spread)",
                {"dist": self.dist},
            )
        return self

    @property
    def spread(self) -> float:
        """The coefficient of variation (0 for fixed, 1 for exponential)."""
        return {"fixed": 0.0, "exponential": 1.0}.get(self.dist, self.cv or 0.0)


# --- calendars -------------------------------------------------------------------------


class AcademicCalendar(Frozen):
    """Working weekdays, holidays and terms repeating every year from ``start``.

    ``holidays`` items are 'MM-DD' (every year), 'YYYY-MM-DD' (once), a two-item range of
    either form, or a :class:`FloatingHoliday` such as the 1st Monday of September.
    ``terms`` are ['MM-DD', 'MM-DD'] ranges (inclusive) in which committees meet.
    """

    kind: Literal["academic"]
    start: dt.date
    workdays: tuple[Weekday, ...] = Field(default=WEEKDAYS[:5], min_length=1)
    holidays: tuple[Holiday, ...] = ()
    terms: tuple[tuple[MonthDay, MonthDay], ...] = Field(min_length=1)


class ContinuousCalendar(Frozen):
    """Every day is a working day and committees meet all year (for checks against theory)."""

    kind: Literal["continuous"]
    start: dt.date = dt.date(2025, 1, 6)


Calendar = Annotated[AcademicCalendar | ContinuousCalendar, Field(discriminator="kind")]

# --- bodies ----------------------------------------------------------------------------


class Meets(Frozen):
    """When a committee meets: every N weeks on a weekday, or the Nth weekday of each month.

    ``nth: -1`` is the last such weekday of the month. Meetings fall only inside terms and
    never on holidays unless ``outside_terms: true``. ``first`` is the earliest meeting date.
    ``skip_months`` lists months (1-12) without a meeting.
    """

    weekday: Weekday
    every_weeks: int | None = Field(default=None, ge=1)
    nth: Literal[1, 2, 3, 4, -1] | None = None
    outside_terms: bool = False
    first: dt.date | None = None
    skip_months: tuple[Annotated[int, Field(ge=1, le=12)], ...] = ()

    @model_validator(mode="after")
    def _one_rule(self) -> Meets:
        if (self.every_weeks is None) == (self.nth is None):
            raise PydanticCustomError(
                "meets", "give exactly one of every_weeks (e.g. 2) or nth (1-4, or -1 for last)"
            )
        return self


class Office(Frozen):
    """An office (chair, dean, OWD): ``staff`` review in parallel on working days."""

    kind: Literal["office"]
    label: str = ""
    staff: int = Field(ge=1, strict=True)
    review_days: Distribution


class Committee(Frozen):
    """A committee: ``members`` review before a meeting; decisions happen only at meetings.

    An item is on a meeting's agenda if its review was done ``agenda_lead_days`` before the
    meeting; at most ``agenda_limit`` items per meeting (first ready, first decided); a meeting
    is cancelled with probability ``cancel_p``.
    """

    kind: Literal["committee"]
    label: str = ""
    members: int = Field(ge=1, strict=True)
    review_days: Distribution
    meets: Meets
    agenda_limit: int | None = Field(default=None, ge=1)
    agenda_lead_days: float = Field(default=0.0, ge=0.0)
    cancel_p: Probability = 0.0


Body = Annotated[Office | Committee, Field(discriminator="kind")]

# --- pathways --------------------------------------------------------------------------


class Revise(Frozen):
    """Chance ``p`` that a decision asks for revision; the proposer reworks for
    ``rework_days`` (calendar days) and the proposal returns to the same body.
    ``max_rounds`` caps the number of revision requests at this step."""

    p: Probability
    rework_days: Distribution
    max_rounds: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _can_end(self) -> Revise:
        if self.p >= 1.0 and self.max_rounds is None:
            raise PydanticCustomError(
                "revise", "p: 1 means the body never approves; lower p or set max_rounds"
            )
        return self


def _step_from_name(value: Any) -> Any:
    return {"body": value} if isinstance(value, str) else value


class Step(Frozen):
    """A visit to one body, optionally only for proposals matching ``when``."""

    body: str
    name: str = ""
    when: dict[str, str | tuple[str, ...]] = Field(default_factory=dict)
    revise: Revise | None = None
    withdraw_p: Probability = 0.0
    sla_days: float | None = Field(default=None, gt=0.0)

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

    def applies_to(self, attributes: dict[str, str]) -> bool:
        """True when the proposal's attributes satisfy ``when``."""
        for key, allowed in self.when.items():
            options = (allowed,) if isinstance(allowed, str) else allowed
            if attributes.get(key) not in options:
                return False
        return True


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
    """Poisson arrivals: ``per_year`` expected per 365 days, a ``mix`` of levels, and
    optional 12 monthly ``seasonality`` weights (January first)."""

    per_year: float = Field(ge=0.0)
    mix: dict[str, Probability] = Field(default_factory=dict)
    seasonality: tuple[Annotated[float, Field(ge=0.0)], ...] | None = None

    @field_validator("mix")
    @classmethod
    def _mix_sums_to_one(cls, mix: dict[str, float]) -> dict[str, float]:
        if mix and abs(sum(mix.values()) - 1.0) > 1e-6:
            raise PydanticCustomError(
                "mix", f"shares must add up to 1, got {sum(mix.values()):g}"
            )
        return mix

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
    """A documented figure the model should reproduce (used by calibration and reports)."""

    mean_cycle_days: float | None = Field(default=None, gt=0.0)
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
    low: float
    high: float
    note: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Assumption:
        if not self.low < self.high:
            raise PydanticCustomError(
                "range", f"low must be below high, got low {self.low:g}, high {self.high:g}"
            )
        return self


class Scenario(Frozen):
    """A complete, validated scenario. Times are in days; ``horizon_years`` of arrivals
    (365 days each) of which the first ``warmup_years`` are discarded by metrics."""

    name: str
    title: str = ""
    description: str = ""
    calendar: Calendar
    horizon_years: float = Field(default=6.0, gt=0.0)
    warmup_years: float = Field(default=1.0, ge=0.0)
    seed: int = Field(default=1, ge=0)
    replications: int = Field(default=30, ge=1)
    demand: dict[str, Demand]
    bodies: dict[str, Body] = Field(min_length=1)
    pathways: dict[str, Annotated[tuple[PathwayStep, ...], Field(min_length=1)]] = Field(
        min_length=1
    )
    targets: dict[str, Target] = Field(default_factory=dict)
    assumptions: tuple[Assumption, ...] = ()
    calibration: Calibration | None = None

    @model_validator(mode="after")
    def _check_references(self) -> Scenario:
        from simlib.references import reference_problems  # reads the models defined here

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

    def value_at(self, path: str) -> Any:
        """The value at dotted key ``path`` (as in ``set``), e.g. ``bodies.owd.staff``."""
        return value_at(self.model_dump(mode="json"), path)

    def variant(self, changes: dict[str, Any], name: str | None = None) -> Scenario:
        """A new scenario with ``changes`` ({dotted.key.path: value}) applied; self is unchanged.

        As for a what-if, assumptions whose paths the changes remove are dropped."""
        source = f"<variant of {self.name}>"
        data = self.model_dump(mode="json", exclude_defaults=False)
        data = apply_set(data, changes, where=source)
        data = _inherit(data, " ".join(map(str, changes)))
        if name is not None:
            data["name"] = name
        return validate_scenario(data, source)


# --- loading ---------------------------------------------------------------------------

def _resolve(path: Path, chain: tuple[Path, ...]) -> dict:
    """Read ``path``, following ``extends`` (validating each base on the way)."""
    resolved = path.resolve()
    if resolved in chain:
        names = " -> ".join(p.name for p in (*chain, resolved))
        raise ScenarioError(f"{path}: extends: cycle {names}; remove one of the extends")
    raw = read_yaml_mapping(path)
    raw.setdefault("name", path.stem)
    if "extends" not in raw:
        for key in ("set", "scale"):
            if key in raw:
                raise ScenarioError(
                    f"{path}: {key}: only a what-if with 'extends: BASE.yaml' can {key}"
                )
        return raw
    base_name = raw.pop("extends")
    if not isinstance(base_name, str):
        raise ScenarioError(f"{path}: extends: must be a file name, e.g. baseline.yaml")
    base_path = path.parent / base_name
    if not base_path.exists():
        raise ScenarioError(f"{path}: extends: base file {str(base_path)!r} not found")
    base = _resolve(base_path, (*chain, resolved))
    validate_scenario(base, str(base_path))
    changes = raw.pop("set", {})
    factors = raw.pop("scale", {})
    merged = apply_set(
        apply_scale({**base, **raw}, factors, str(path)), changes, str(path)
    )
    if "calibration" not in raw and "calibration" not in str(changes):
        merged.pop("calibration", None)  # the base's fit is in its numbers; a what-if is not fitted
    return _inherit(merged, f"{' '.join(raw)} {changes}")


def _inherit(data: dict, explicit: str) -> dict:
    """What a derived scenario (what-if or variant) keeps of its base's descriptive blocks
    unless ``explicit`` (the keys it sets) names them: the assumptions whose paths still
    exist, and the calibration block only while every free parameter still exists."""
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


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, resolve ``extends``/``set``, apply ``overrides`` and validate a scenario file."""
    path = Path(path)
    data = _resolve(path, ())
    if overrides:
        data = apply_set(data, overrides, f"{path} (overrides)")
    return validate_scenario(data, str(path))
