"""Building the reports: the notebooks run with papermill, their HTML pages, the index,
the checks every page passes, where a notebook finds the project's files, and the manual
built beside them (``mcsim report``).

Nothing here computes an answer: a notebook asks :mod:`simlib.answers` and renders it with
its page module; this room runs the notebooks and turns them into pages.
"""

from simlib.reports.build._check import NEGATIVE_ZERO, page_problems, visible_text
from simlib.reports.build._config import (
    ReportEntry,
    check_out_folder,
    load_report_config,
    with_today,
)
from simlib.reports.build._html import render_html
from simlib.reports.build._index import index_page
from simlib.reports.build._manual import CONFIG as MANUAL_CONFIG
from simlib.reports.build._manual import build_manual, manual_index
from simlib.reports.build._notebooks import (
    build_report,
    checklist,
    git_commit,
    notebook_parameters,
    provenance,
    report_bottom_line,
    report_files,
    report_summary,
    report_title,
)
from simlib.reports.build._paths import project_file, project_files, project_root

__all__ = [
    "MANUAL_CONFIG", "NEGATIVE_ZERO", "ReportEntry", "build_manual", "build_report",
    "check_out_folder", "checklist", "git_commit", "index_page", "load_report_config",
    "manual_index", "notebook_parameters", "page_problems", "project_file", "project_files",
    "project_root", "provenance", "render_html", "report_bottom_line", "report_files",
    "report_summary", "report_title", "visible_text", "with_today",
]
