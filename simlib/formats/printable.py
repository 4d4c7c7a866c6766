"""Text from the user's files as the tool shows it: every name, cell, header or note that
reaches a message, a table or a report passes through :func:`printable` (or :func:`quoted`).

Control characters (C0 and C1, DEL), line and paragraph separators, the invisible marks that
reorder text (bidirectional overrides) and lone surrogates are written as escapes (``\\n``,
``\\t``, ``\\x1b``, ``\\u202e``), so nothing from an input can move the cursor, colour the
terminal or forge a line of output; a text longer than its limit is cut, with a count of
what was left out (``... (1,204 more characters)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_NAME = 80  # characters of a name shown in a message or a table cell
MAX_LINE = 1000  # characters of one line of a message or note
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
                     "\ufeff\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    character = match.group(0)
    if character in _ESCAPES:
        return _ESCAPES[character]
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def cut(text: str, limit: int | None = MAX_NAME) -> str:
    """``text`` cut to ``limit`` characters, followed by how many more there were
    (``... (1,204 more characters)``); unchanged when it fits or ``limit`` is None."""
    if limit is None or len(text) <= limit:
        return text
    more = len(text) - limit
    return f"{text[:limit]}... ({more:,} more character{'' if more == 1 else 's'})"


def printable(text: object, limit: int | None = MAX_NAME) -> str:
    """``text`` (any value, as ``str``) safe to print: cut to ``limit`` characters (see
    :func:`cut`; None: whole), then every character that could act on a terminal or break
    a line written as its escape (``\\n``, ``\\x1b``, ``\\u202e``)."""
    return _UNSAFE.sub(_escape, cut(str(text), limit))


def quoted(text: object, limit: int | None = MAX_NAME) -> str:
    """``text`` in single quotes, as a message names a value from an input: ``'dean'``,
    ``'a\\nb'`` (:func:`printable`; a quote inside is escaped)."""
    return "'" + printable(text, limit).replace("'", "\\'") + "'"


def printable_lines(text: str) -> str:
    """``text`` (several lines the tool wrote) with every unsafe character escaped except
    its own line breaks: a last guard for what reaches the terminal."""
    return "\n".join(_UNSAFE.sub(_escape, line) for line in text.split("\n"))


def listed(names: Iterable[object], limit: int = MAX_LINE) -> str:
    """``names`` joined by commas, each :func:`printable`, the list cut to about ``limit``
    characters with how many were left out (``a, b, ... and 1,995 more``)."""
    names = [printable(name) for name in names]
    shown: list[str] = []
    length = 0
    for name in names:
        if shown and length + len(name) + 2 > limit:
            break
        shown.append(name)
        length += len(name) + 2
    more = len(names) - len(shown)
    return ", ".join(shown) + (f", ... and {more:,} more" if more else "")


def printable_data(value: object) -> object:
    """``value`` (an answer's dict, with lists and mappings in it) with every text and
    every key made :func:`printable` (whole, not cut): what a renderer of names from the
    user's files starts from."""
    if isinstance(value, str):
        return printable(value, None)
    if isinstance(value, dict):
        return {printable_data(key): printable_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(printable_data(item) for item in value)
    return value
