"""Reports: every reader-facing word, table and figure, one module per question.

Each page module renders one answer of :mod:`simlib.answers` (its bottom line, summary,
tables and figures) and computes or simulates nothing:

- :mod:`~simlib.reports.today` (report 01): a :class:`~simlib.answers.RunAnswer`;
- :mod:`~simlib.reports.whatifs` (02): a :class:`~simlib.answers.ComparisonAnswer`;
- :mod:`~simlib.reports.staffing` (03): a :class:`~simlib.answers.SweepAnswer`;
- :mod:`~simlib.reports.growth` (04): a :class:`~simlib.answers.GrowthAnswer`;
- :mod:`~simlib.reports.assumptions` (05): a :class:`~simlib.answers.SensitivityAnswer`;
- :mod:`~simlib.reports.deadlines` (06): a :class:`~simlib.answers.PlanAnswer` and a
  pipeline forecast;
- :mod:`~simlib.reports.record` (07): a backtest;
- :mod:`~simlib.reports.governance` (08): a :class:`~simlib.answers.FrontierAnswer`.

What several pages share: :mod:`~simlib.reports.unknowns` (the sentence on what we don't
know), :mod:`~simlib.reports.words` (report wording) and :mod:`~simlib.reports.readable`
(tables shown whole, the summary block, the bottom line). The rooms inside:
:mod:`~simlib.reports.figures` (the plot style and every figure),
:mod:`~simlib.reports.console` (the command line's text, one renderer per answer) and
:mod:`~simlib.reports.build` (the notebooks run into HTML pages, the index, the page checks,
the manual). Nothing is imported here, so that a command loads only what it prints.
"""

__all__ = ["assumptions", "build", "console", "deadlines", "figures", "governance", "growth",
           "readable", "record", "staffing", "today", "unknowns", "whatifs", "words"]
