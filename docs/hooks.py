"""MkDocs hook (mkdocs.yml: ``hooks``): the docstrings' Sphinx roles, e.g. :func:`name` or
:class:`~simlib.scenario.Scenario`, shown as code without the role, and ``~a.b.Name`` as
``Name`` (what Sphinx would show)."""

from __future__ import annotations

import re

ROLE = re.compile(r":(?:func|class|mod|meth|attr|data|exc|obj):(?=<code>)")
SHORT = re.compile(r"<code>~(?:\w+\.)*(\w+)</code>")


def on_page_content(html: str, **_: object) -> str:
    """The page's HTML with the roles removed and ``~``-paths shortened."""
    return SHORT.sub(r"<code>\1</code>", ROLE.sub("", html))
