"""Small scenarios shared by several test folders (as mappings: validate them where used)."""

TINY = {
    "name": "tiny",
    "title": "Tiny test office",
    "calendar": {"kind": "continuous"},
    "horizon_years": 1,
    "warmup_years": 0.25,
    "replications": 8,
    "seed": 3,
    "demand": {"p": {"per_year": 20}},
    "bodies": {
        "desk": {"kind": "office", "staff": 1, "review_days": {"dist": "exponential", "mean": 3}},
        "board": {"kind": "committee", "members": 2, "review_days": 2,
                  "meets": {"every_weeks": 1, "weekday": "wed"}},
    },
    "pathways": {"p": ["desk", {"body": "board", "sla_days": 10,
                                "revise": {"p": 0.3, "rework_days": 5}}]},
}


BASE = {
    "name": "base",
    "calendar": {
        "kind": "academic",
        "start": "2025-08-25",
        "terms": [["08-25", "12-19"], ["01-20", "05-15"]],
        "holidays": ["09-01", ["11-27", "11-28"], ["12-20", "01-19"]],
    },
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
