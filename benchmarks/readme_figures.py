"""Draw the figures the README and the manual show from the current code
(``make examples-check`` runs this after the example commands): the governance frontier of
``scenarios/specs/governance.yaml`` at its own replications and seed, as report 08 draws it,
into ``docs/images/frontier.png``.

    .venv/bin/python benchmarks/readme_figures.py
"""

from __future__ import annotations

import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "scenarios" / "specs" / "governance.yaml"
FRONTIER = ROOT / "docs" / "images" / "frontier.png"


def main() -> None:
    from simlib import answers
    from simlib.optimize import load_study
    from simlib.reports import governance

    began = time.perf_counter()
    answer = answers.frontier(load_study(SPEC), progress=False)
    figure = governance.frontier_figure(answer)
    FRONTIER.parent.mkdir(exist_ok=True)
    figure.savefig(FRONTIER, dpi=110, bbox_inches="tight", metadata={"Software": None})
    print(f"{FRONTIER.relative_to(ROOT)}  ({time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
