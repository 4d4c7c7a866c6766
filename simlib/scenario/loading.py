"""Loading scenario files: ``extends`` chains, ``set`` and ``scale`` of what-ifs, overrides,
and the committees' meeting calendars (``meets: {ics: FILE}``, read here as ``dates``, so
the scenario models never read a file)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from simlib.errors import InputError, ScenarioError
from simlib.formats.files import regular_input
from simlib.formats.ics import event_dates
from simlib.formats.keypaths import apply_scale, apply_set
from simlib.formats.yamlfile import load_yaml_text, read_yaml_mapping
from simlib.scenario.calendars import FIRST_DATE, LAST_DATE, MAX_MEETING_DATES
from simlib.scenario.draws import draw_problems
from simlib.scenario.schema import Scenario, _inherit, validate_scenario

MAX_EXTENDS = 20  # what-ifs of what-ifs, at most this deep


def _resolve(path: Path, chain: tuple[Path, ...], files: list[Path] | None = None,
             raw: dict | None = None) -> dict:
    """Read ``path`` (or take its data ``raw``, as if read from it), following ``extends``
    (validating each base on the way); each file read is appended to ``files``."""
    resolved = path.resolve()
    if resolved in chain:
        names = " -> ".join(p.name for p in (*chain, resolved))
        raise ScenarioError(f"{path}: extends: cycle {names}; remove one of the extends")
    if len(chain) > MAX_EXTENDS:
        raise ScenarioError(f"{path}: extends: more than {MAX_EXTENDS} files deep from "
                            f"{chain[0].name} (what-ifs of what-ifs); extend a file nearer "
                            "the baseline")
    raw = read_yaml_mapping(path) if raw is None else raw
    if files is not None:
        files.append(path)
    raw.setdefault("name", path.stem)
    if "extends" not in raw:
        for key in ("set", "scale"):
            if key in raw:
                raise ScenarioError(
                    f"{path}: {key}: only a what-if with 'extends: BASE.yaml' can {key}"
                )
        return with_meeting_calendars(raw, path, files)
    base_name = raw.pop("extends")
    if not isinstance(base_name, str) or not base_name.strip() or "\0" in base_name:
        raise ScenarioError(f"{path}: extends: must be a file name, e.g. baseline.yaml")
    base_path = path.parent / base_name
    try:
        regular_input(base_path, "yaml")
    except InputError as error:
        problem = str(error).removeprefix(f"{base_path}: ")
        if problem.startswith("file not found"):
            problem = "not found; check the name (it is relative to this file)"
        raise ScenarioError(f"{path}: extends: base file {str(base_path)!r}: {problem}") from None
    base = _resolve(base_path, (*chain, resolved), files)
    validate_scenario(base, str(base_path))
    changes = raw.pop("set", {})
    factors = raw.pop("scale", {})
    merged = apply_set(
        apply_scale({**base, **raw}, factors, str(path)), changes, str(path)
    )
    merged = with_meeting_calendars(merged, path, files)  # the base's are dates already
    explicit = f"{' '.join(raw)} {changes}"
    if "calibration" in raw:  # the what-if's own draws hold its values; the base's do not
        return _inherit(merged, explicit, set(changes), inherited=False, factors=factors)
    return inherit_from_base(merged, explicit, set(changes), factors)


def inherit_from_base(data: dict, explicit: str, changed: set[str],
                      factors: dict | None = None) -> dict:
    """``data`` (a base with a what-if's changes applied: a what-if, or a configuration of
    ``mcsim optimize``) with what it keeps of its base's descriptive blocks unless
    ``explicit`` (the keys it sets) names them: the posterior draws of the paths it does
    not change (its base's fit is in its numbers: a what-if is not fitted) and the
    assumptions whose paths still exist. ``changed``: the paths it sets (their draws are
    dropped: the set value holds in every draw); ``factors``: those it scales by how much
    (their draws are scaled)."""
    if "calibration" not in explicit:
        posterior = (data.pop("calibration", None) or {}).get("posterior")
        if posterior:
            data["calibration"] = {"posterior": posterior}
    return _inherit(data, explicit, changed, factors=factors)


def with_meeting_calendars(data: dict, path: Path, files: list[Path] | None = None) -> dict:
    """``data`` (read from, or set by, the scenario file ``path``) with each committee's
    ``meets: {ics: FILE}`` replaced by ``meets: {dates: [...]}``, the distinct start dates of
    FILE's events (:func:`~simlib.formats.ics.event_dates`; FILE is relative to ``path``'s
    folder); each FILE read is appended to ``files``. :class:`ScenarioError` naming
    ``path``, the key path and what to change when a FILE cannot give the dates."""
    bodies = data.get("bodies")
    if not isinstance(bodies, dict):
        return data
    read = {}
    for name, body in bodies.items():
        meets = body.get("meets") if isinstance(body, dict) else None
        if isinstance(meets, dict) and "ics" in meets:
            dates = _calendar_dates(meets, path, f"bodies.{name}.meets", files)
            read[name] = {**body, "meets": {"dates": dates}}
    return {**data, "bodies": {**bodies, **read}} if read else data


def _calendar_dates(meets: dict, path: Path, place: str, files: list[Path] | None
                    ) -> list[str]:
    """The meeting dates (YYYY-MM-DD) of ``meets: {ics: FILE}`` at key path ``place`` of the
    scenario ``path``."""
    where = f"{path}: {place}.ics"
    others = [str(key) for key in meets if key != "ics"]
    if others:
        raise ScenarioError(f"{where}: the calendar file gives the meetings alone: leave out "
                            f"{', '.join(others)} (in a what-if, set the whole block: "
                            f"{place}: {{ics: FILE}})")
    name = meets["ics"]
    if not isinstance(name, str) or not name.strip() or "\0" in name:
        raise ScenarioError(f"{where}: must be a file name, e.g. mc-meetings.ics")
    calendar = path.parent / name
    try:
        dates = event_dates(calendar, MAX_MEETING_DATES)
    except InputError as error:
        problem = str(error)
        if problem.startswith("file not found"):
            problem = "not found; check the name (it is relative to this file)"
        raise ScenarioError(f"{where}: calendar file {str(calendar)!r}: {problem}") from None
    for day in (dates[0], dates[-1]):
        if not FIRST_DATE <= day <= LAST_DATE:
            raise ScenarioError(f"{where}: calendar file {str(calendar)!r}: a meeting on "
                                f"{day.isoformat()} is outside {FIRST_DATE} to {LAST_DATE}; "
                                "correct its date")
    if files is not None:
        files.append(calendar)
    return [day.isoformat() for day in dates]


def source_files(path: str | Path) -> tuple[Path, ...]:
    """The files a scenario is read from: ``path``, every file it extends and every meeting
    calendar (``meets: {ics: FILE}``) they read, in turn (an output must be none of them)."""
    files: list[Path] = []
    _resolve(Path(path), (), files)
    return tuple(files)


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, resolve ``extends``/``set``, apply ``overrides`` and validate a scenario file."""
    path = Path(path)
    data = _resolve(path, ())
    if overrides:
        data = with_meeting_calendars(apply_set(data, overrides, f"{path} (overrides)"), path)
    scenario = validate_scenario(data, str(path)).read_from(str(path))
    _check_draws(scenario, str(path))
    return scenario


def load_scenario_text(text: str, path: str | Path) -> Scenario:
    """The scenario ``text`` would be as the file ``path`` (its ``extends`` relative to
    that folder), loaded and checked as :func:`load_scenario` does, without writing it:
    :class:`ScenarioError` naming ``path`` when it would not load."""
    path = Path(path)
    raw = load_yaml_text(text, str(path))
    if not isinstance(raw, dict):
        raise ScenarioError(f"{path}: must be a mapping of keys (name: ..., bodies: ...)")
    scenario = validate_scenario(_resolve(path, (), raw=raw), str(path)).read_from(str(path))
    _check_draws(scenario, str(path))
    return scenario


def _check_draws(scenario: Scenario, source: str) -> None:
    """Every posterior draw must be valid (:func:`~simlib.scenario.draws.draw_problems`:
    each checked, all at once), and the lowest and the highest draws of every path, set
    together, must give a valid scenario (so no draw can be a negative time or a chance
    above 1, whatever the rules across bodies and pathways)."""
    posterior = scenario.calibration.posterior if scenario.calibration else None
    if posterior is None:
        return
    problems = draw_problems(scenario)
    if problems:
        place, problem = problems[0]
        more = (f" (and {len(problems) - 1} more problem{'s' * (len(problems) > 2)})"
                if len(problems) > 1 else "")
        raise ScenarioError(f"{source}: {place}: {problem}{more}")
    for end, pick in (("lowest", min), ("highest", max)):
        try:
            scenario.variant({p: pick(values) for p, values in posterior.draws.items()})
        except ScenarioError as error:
            reason = str(error).split(": ", 1)[-1]
            raise ScenarioError(f"{source}: calibration.posterior.draws: the {end} draws give "
                                f"an invalid scenario ({reason}); correct or remove them"
                                ) from None
