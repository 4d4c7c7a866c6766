"""The one table of defaults: how many posterior draws each question runs with
``--uncertainty``, how many replications per draw, and the confidence level of every interval.

Every command, its ``--help`` and the Python API read :data:`DEFAULTS`, so the number a
help text promises is the number the command runs. The counts differ by question because
the work per draw differs: a plan probes every candidate date in every draw, and a
sensitivity study runs two settings per assumption in every draw.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVEL = 0.95  # the confidence level of every interval (a CI, or a range over the draws)
PLAN_CONFIDENCE = 0.9  # the chance of approval in time a plan asks for (mcsim plan)


@dataclass(frozen=True)
class Defaults:
    """One question's defaults: ``draws`` (posterior draws run by ``--uncertainty``) and
    ``replications_per_draw`` (replications of each draw unless ``--replications`` says
    otherwise)."""

    draws: int
    replications_per_draw: int | None  # None: the draws are written, not run

    def help_text(self) -> str:
        """How ``--draws`` describes its default, e.g. "default 50, with 6 replications
        each unless --replications says otherwise"."""
        if self.replications_per_draw is None:
            return f"default {self.draws}"
        return (f"default {self.draws}, with {self.replications_per_draw} replications each "
                "unless --replications says otherwise")


_RUN = Defaults(draws=50, replications_per_draw=6)
DEFAULTS = {
    "run": _RUN,
    "compare": _RUN,  # a comparison runs every scenario as run does
    "plan": Defaults(draws=40, replications_per_draw=4),
    "sensitivity": Defaults(draws=10, replications_per_draw=4),
    "optimize": Defaults(draws=40, replications_per_draw=4),  # each point of a frontier
    "calibrate": Defaults(draws=200, replications_per_draw=None),  # draws written
    # the explorer's range over what we don't know, shown within about 20 s of Run
    "explore": Defaults(draws=20, replications_per_draw=4),
}
# The explorer's first answer: paired runs of the base and the what-if, within about 5 s of
# Run on two cores for the baseline (make bench measures it).
EXPLORE_REPLICATIONS = 40


def defaults(question: str) -> Defaults:
    """The defaults of ``question`` (a key of :data:`DEFAULTS`, e.g. ``"plan"``)."""
    return DEFAULTS[question]
