"""The one builder of small test scenarios, and the few scenarios several test folders share.

:func:`scenario_data` builds a scenario mapping from a few keyword arguments (by default the
tiny office: a desk, then a weekly committee, one pathway ``p`` on a continuous calendar);
:func:`small_scenario` validates it, :func:`scenario_yaml` writes it as YAML text and
:func:`write_scenario` as a file named after it, for the command-line tests.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import yaml

from simlib.scenario import Scenario, validate_scenario

# The calendar of :data:`BASE`: two terms, Labor Day, Thanksgiving and the winter break.
ACADEMIC = {
    "kind": "academic",
    "start": "2025-08-25",
    "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
    "holidays": ["09-01", ["11-27", "11-28"], ["12-20", "01-19"]],
}


def exponential(mean: float) -> dict:
    """An exponential duration spec (days)."""
    return {"dist": "exponential", "mean": mean}


def office(staff: int, review_days: dict | float, **more) -> dict:
    """An office body spec: ``staff`` reviewers; ``review_days`` a number (fixed) or a spec."""
    return {"kind": "office", "staff": staff, "review_days": review_days, **more}


def committee(members: int, review_days: dict | float, every_weeks: int = 1,
              weekday: str = "wed", **more) -> dict:
    """A committee body spec meeting every ``every_weeks`` weeks on ``weekday``."""
    return {"kind": "committee", "members": members, "review_days": review_days,
            "meets": {"every_weeks": every_weeks, "weekday": weekday}, **more}


def scenario_data(*, name: str = "tiny", calendar: str | dict = "continuous",
                  start: str | None = None, horizon_years: float = 1,
                  warmup_years: float = 0.25, per_year: float | dict = 20,
                  sla_days: float = 10, revise: dict | None = None, bodies: dict | None = None,
                  pathways: dict | list | None = None, posterior: dict | None = None,
                  **fields) -> dict:
    """A scenario mapping, by default the tiny office.

    The tiny office: ``desk`` (one reviewer, exponential reviews of 3 days) then ``board`` (two
    members, 2-day reviews, meeting every Wednesday) with an SLA of ``sla_days`` and, when
    given, ``revise``. ``bodies`` and ``pathways`` replace it (a list is the one pathway
    ``p``); ``calendar`` is "continuous", "academic" (:data:`ACADEMIC`) or a mapping, starting
    on ``start`` when given; ``per_year`` is each pathway's demand (a number, or one per
    pathway) unless ``demand`` is given; ``posterior`` is the posterior block (draws, prior)
    of method "test draws". Other keywords (title, seed, replications, demand, assumptions,
    targets, calibration) are copied as they are, so a mapping this returns, passed back as
    keywords with some of them changed, builds that changed scenario.
    """
    if pathways is None:
        pathways = ["desk", {"body": "board", "sla_days": sla_days,
                             **({"revise": revise} if revise else {})}]
    pathways = {"p": pathways} if isinstance(pathways, list) else pathways
    if not isinstance(per_year, dict):
        per_year = dict.fromkeys(pathways, per_year)
    data = {"name": name, "title": fields.pop("title", None),
            "calendar": _calendar(calendar, start),
            "horizon_years": horizon_years, "warmup_years": warmup_years,
            "replications": fields.pop("replications", None), "seed": fields.pop("seed", None),
            "demand": {key: {"per_year": value} for key, value in per_year.items()},
            "bodies": bodies or {"desk": office(1, exponential(3)), "board": committee(2, 2)},
            "pathways": pathways, **fields}
    if posterior is not None:
        data["calibration"] = {"posterior": {"method": "test draws", **posterior}}
    return copy.deepcopy({key: value for key, value in data.items() if value is not None})


def _calendar(calendar: str | dict, start: str | None) -> dict:
    """The calendar mapping named (or given) by ``calendar``, from ``start`` when given."""
    if isinstance(calendar, str):
        calendar = {"continuous": {"kind": "continuous"}, "academic": ACADEMIC}[calendar]
    return {**calendar, "start": start} if start is not None else calendar


def small_scenario(**keywords) -> Scenario:
    """The validated :func:`scenario_data` scenario of ``keywords``."""
    data = scenario_data(**keywords)
    return validate_scenario(data, f"<{data['name']}>")


def scenario_yaml(**keywords) -> str:
    """The :func:`scenario_data` scenario of ``keywords`` as YAML text (keys in their order)."""
    return yaml.safe_dump(scenario_data(**keywords), sort_keys=False)


def write_scenario(folder: Path, **keywords) -> Path:
    """Write the :func:`scenario_data` scenario of ``keywords`` to ``folder/<name>.yaml``;
    return the path."""
    data = scenario_data(**keywords)
    path = folder / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


# Posterior draws of the desk's mean review days: 12, uniform on 1 to 8 days.
DESK = "bodies.desk.review_days.mean"
DESK_DRAWS = [round(float(value), 3) for value in np.random.default_rng(8).uniform(1.0, 8.0, 12)]


def uncertain_office(drawn: bool = True, **changes) -> dict:
    """The tiny office over two years (from Monday 4 March 2024) with an assumption on the
    desk's review time and, when ``drawn``, :data:`DESK_DRAWS` of it as its posterior: named
    "office", or "fixed" without draws. ``changes`` are :func:`scenario_data` keywords."""
    return scenario_data(**{
        "name": "office" if drawn else "fixed", "start": "2024-03-04", "horizon_years": 2,
        "warmup_years": 0.5, "replications": 4, "seed": 3,
        "assumptions": [{"path": DESK, "low": 1, "high": 8, "note": "A: desk review"}],
        "posterior": {"draws": {DESK: DESK_DRAWS}} if drawn else None, **changes})


# The tiny office of several folders: 8 replications of one year; the board asks for a
# revision 30% of the time.
TINY = scenario_data(title="Tiny test office", replications=8, seed=3,
                     revise={"p": 0.3, "rework_days": 5})


BASE = {
    "name": "base",
    "calendar": copy.deepcopy(ACADEMIC),
    "horizon_years": 3,
    "warmup_years": 1,
    "demand": {
        "credit": {"per_year": 25, "mix": {"graduate": 0.4, "undergraduate": 0.6}},
        "noncredit": {"per_year": 15, "seasonality": [1, 1, 2, 2, 1, 0.5, 0.5, 1, 2, 2, 1, 1]},
    },
    "bodies": {
        "department": {"kind": "office", "staff": 1,
                       "review_days": {"dist": "lognormal", "mean": 8, "cv": 0.6}},
        "dean": {"kind": "office", "staff": 1,
                 "review_days": {"dist": "gamma", "mean": 5, "cv": 0.8}},
        "mc": {"kind": "committee", "members": 5, "agenda_limit": 6,
               "meets": {"every_weeks": 2, "weekday": "wed"},
               "review_days": {"dist": "triangular", "mean": 6, "cv": 0.3}},
        "grad_council": {"kind": "committee", "members": 3,
                         "meets": {"nth": 2, "weekday": "thu"}, "review_days": 4},
        "owd": {"kind": "office", "staff": 2, "review_days": {"dist": "exponential", "mean": 3}},
    },
    "pathways": {
        "credit": [
            "department",
            "dean",
            {"body": "mc", "withdraw_p": 0.05,
             "revise": {"p": 0.3, "rework_days": {"dist": "uniform", "mean": 15, "cv": 0.4}}},
            {"body": "grad_council", "when": {"level": "graduate"}},
            "owd",
        ],
        "noncredit": [
            "department",
            {"parallel": ["dean", {"body": "owd", "revise": {"p": 0.2, "rework_days": 10}}]},
            "mc",
        ],
    },
}




# A small office with one committee, for the event-log exports (text: the tests write it).
SMALL_OFFICE = """\
name: small
title: Small office for export tests
calendar: {kind: continuous, start: 2024-03-04}
horizon_years: 1
warmup_years: 0
replications: 2
seed: 11
demand:
  credit: {per_year: 30, mix: {graduate: 0.5, undergraduate: 0.5}}
  noncredit: {per_year: 10}
bodies:
  desk: {kind: office, label: Front Desk, staff: 50, review_days: 3}
  board:
    kind: committee
    label: Review Board
    members: 3
    review_days: 2
    meets: {every_weeks: 1, weekday: wed}
pathways:
  credit:
    - desk
    - {body: board, revise: {p: 0.3, rework_days: 5}, withdraw_p: 0.05}
  noncredit: [desk, board]
"""
