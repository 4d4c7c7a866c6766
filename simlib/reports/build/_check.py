"""Checks of a rendered report page's text, as a reader sees it (``make screenshots`` runs
them on the DOM headless Chromium builds; the tests on pages rendered from the committed
notebooks): no table cut off with "...", no "-0", a bottom line, a link back to the index,
and "today" the day it should be.

BeautifulSoup is imported inside :func:`page_problems`, so importing this module is cheap.
"""

from __future__ import annotations

import datetime as dt
import re

from simlib.formats.words import long_date

NEGATIVE_ZERO = re.compile(r"(?<![\w.,/-])[-\u2212]0(?:\.0+)?(?![\d.,])")
TRUNCATED = re.compile(r"\.\.\.|\u2026")
TODAY = re.compile(r"(?:today is taken as|counted from today,)\s+(\d{1,2} [A-Z][a-z]+ \d{4})",
                   re.IGNORECASE)


def visible_text(soup: object) -> str:
    """The text of a parsed page as a reader sees it (no scripts, styles or image data)."""
    for hidden in soup.find_all(["script", "style", "noscript", "template"]):
        hidden.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def page_problems(page: str, name: str, today: dt.date | None = None,
                  dated: bool = False, index: bool = False) -> list[str]:
    """What is wrong with the HTML ``page`` (named ``name`` in the messages), one line each:
    a table cell cut off ("..."), a "-0", no bottom line (``section.bottom-line``), no link
    to ``index.html`` (unless ``index``), a "today is taken as" date other than ``today``,
    or (``dated``) none at all."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, features="html.parser")
    problems = []
    for cell in soup.select("td, th"):
        text = cell.get_text(" ", strip=True)
        if TRUNCATED.search(text):
            problems.append(f"{name}: a table cell is cut off: {text[:80]!r}")
    if not soup.select("section.bottom-line"):
        problems.append(f"{name}: no bottom line (section.bottom-line)")
    if not index and not soup.select('a[href="index.html"]'):
        problems.append(f"{name}: no link back to index.html")
    text = visible_text(soup)
    for found in NEGATIVE_ZERO.finditer(text):
        around = text[max(0, found.start() - 40):found.end() + 40]
        problems.append(f"{name}: reads \"-0\": ...{around}...")
    days = TODAY.findall(text)
    if today is not None:
        stale = sorted({day for day in days if day != long_date(today)})
        if stale:
            problems.append(f"{name}: today is {', '.join(stale)}, not {long_date(today)}")
        if dated and not days:
            problems.append(f"{name}: does not say which day is today ({long_date(today)})")
    return problems
