"""The board of the frontier tests: a desk, then a three-member committee priced in hours,
on a continuous calendar, and a spec of its meeting rhythm (every 2, 1, 4 or 12 weeks; the
first is today's) by its price (as is, or every price doubled: "dear")."""

from __future__ import annotations

from pathlib import Path

import yaml

from support.scenarios import committee, exponential, office, write_scenario

HOURS = {"per_meeting": 1.5, "per_item": 1.0, "per_review": 2.0}
RHYTHMS = (2, 1, 4, 12)  # weeks between meetings; the first is today's


def board_spec(**changes) -> dict:
    """Rhythm x price over the board, mean days, 20 replications, seed 7."""
    dear = {f"bodies.board.hours.{key}": 2 * value for key, value in HOURS.items()}
    data = {
        "base": "board.yaml",
        "frontier": {},
        "changes": [
            {"name": "rhythm", "path": "bodies.board.meets.every_weeks",
             "options": [{"value": weeks, "label": f"every {weeks} weeks"}
                         for weeks in RHYTHMS]},
            {"name": "price", "options": [{"label": "as is", "set": {}},
                                          {"label": "dear", "set": dear}]},
        ],
        "target": {"pathway": "p", "metric": "mean", "below_days": 12},
        "replications": 20,
        "seed": 7,
    }
    data.update(changes)
    return data


def write_board(folder: Path, data: dict | None = None) -> Path:
    """The board scenario and a spec beside it; the spec's path."""
    write_scenario(folder, name="board", seed=5, horizon_years=2, warmup_years=0.5,
                   per_year=40, bodies={"desk": office(1, exponential(1)),
                                        "board": committee(3, 1, 1, hours=HOURS)})
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(data or board_spec(), sort_keys=False))
    return path
