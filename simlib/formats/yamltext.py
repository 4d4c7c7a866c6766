"""YAML text the tool writes, and targeted edits of a YAML file's text that keep everything
else (comments, layout, quotes) byte for byte: replace the numbers at some key paths, and
replace or add one block.

Every key and value the tool writes is made by the YAML library's emitter
(:func:`yaml_scalar`, :func:`yaml_flow`), never pasted in: a name holding ``: ``, `` #``,
``&``, ``!``, ``*``, brackets, quotes, a leading ``-``, ``yes``/``no``/``null``, a line
break or any control character is quoted and escaped, and reads back as the same text with
the reader of :mod:`simlib.formats.yamlfile` (``1e9`` included). A comment holding text
from an input passes through :func:`yaml_comment` (one line, nothing that ends it early).

Positions come from PyYAML's node tree (``yaml.compose``), so only the characters of the
edited values change. Key paths are dotted as in a what-if's ``set``; in a what-if file
(one with ``extends``) a path is looked up among the keys of its ``set`` mapping.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simlib.errors import YamlTextError
from simlib.formats.printable import printable

# Characters a plain or single-quoted scalar would carry raw: line breaks (YAML folds them)
# and everything that is not printable; such text is written double-quoted, escaped.
_NEEDS_ESCAPES = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
                            "|[\x85\u2028\u2029\ufeff]")
_FLOAT_WITHOUT_DOT = re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")  # as yamlfile reads


class _Dumper(yaml.SafeDumper):
    """The safe emitter, resolving plain scalars as the tool's reader does (``1e9`` is a
    number there, so the text "1e9" is quoted), with text that holds a line break or a
    control character double-quoted and escaped (so every scalar stays on one line)."""


_Dumper.yaml_implicit_resolvers = {
    first: list(resolvers) for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()}
_Dumper.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_WITHOUT_DOT,
                              list("-+0123456789"))


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if _NEEDS_ESCAPES.search(text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(tuple, yaml.SafeDumper.represent_list)
_WIDTH = 2**30  # never fold a line


def _plain_data(value: Any) -> Any:
    """``value`` as YAML writes it: whole floats as whole numbers below 10^15 (3, not 3.0),
    tuples as lists, numpy numbers as Python numbers."""
    if isinstance(value, dict):
        return {_plain_data(key): _plain_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain_data(item) for item in value]
    if isinstance(value, bool | str | dt.date) or value is None:
        return value
    if hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _emit(value: Any) -> str:
    text = yaml.dump(value, Dumper=_Dumper, default_flow_style=True, sort_keys=False,
                     allow_unicode=True, width=_WIDTH)
    text = text.removesuffix("\n...\n").removesuffix("\n")
    if "\n" in text:  # cannot happen: every scalar is one line (a test checks)
        raise YamlTextError(f"cannot write {printable(value)} on one line")
    return text


def yaml_scalar(value: Any, whole_floats: bool = True) -> str:
    """``value`` (text, a number, true/false, a date or None) as one line of YAML that
    reads back as the same value: text quoted when it must be, numbers as written
    (``whole_floats``: 3.0 as 3)."""
    return _emit(_plain_data(value) if whole_floats else value)


def yaml_flow(value: Any, whole_floats: bool = True) -> str:
    """A mapping or list as one line of YAML flow text (``{dist: gamma, mean: 3.2}``),
    every key and value as :func:`yaml_scalar` writes it."""
    return _emit(_plain_data(value) if whole_floats else value)


def yaml_document(value: Any) -> str:
    """A whole YAML document (block style, keys in their order) that reads back as
    ``value`` with the tool's reader: every name quoted as it must be."""
    return yaml.dump(_plain_data(value), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=_WIDTH)


MAX_KEY = 1000  # characters of a key written on one line (YAML allows 1024 in a simple key)


def yaml_key(text: str) -> str:
    """``text`` as a block mapping's key (``yaml_key(name) + ": " + value``): quoted when it
    must be; :class:`YamlTextError` when longer than :data:`MAX_KEY` characters."""
    key = yaml_scalar(str(text))
    if len(key) > MAX_KEY:
        raise YamlTextError(f"{printable(text)}: a key of {len(key):,} characters cannot be "
                            f"written (at most {MAX_KEY:,}); shorten the names in it")
    return key


def yaml_comment(text: str) -> str:
    """``text`` (which may hold names from an input) as the text of a ``#`` comment: one
    line, control characters escaped (:func:`~simlib.formats.printable.printable`)."""
    return printable(text, None)


def _compose(text: str) -> MappingNode:
    """The node tree of a YAML document that holds a mapping."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        raise YamlTextError("the file does not hold a mapping of keys")
    return root


def _entry(node: MappingNode, key: str) -> tuple[ScalarNode, Node] | None:
    """The (key node, value node) of ``key`` in a mapping node, or None."""
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _item_name(node: Node) -> str:
    """The name a sequence item goes by in a key path: a bare step name, or its
    ``name`` (else ``body``) key."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, MappingNode):
        for key in ("name", "body"):
            found = _entry(node, key)
            if found and isinstance(found[1], ScalarNode) and found[1].value:
                return found[1].value
    return ""


def _child(node: Node, part: str) -> Node:
    """The child of ``node`` named by one part of a key path; KeyError if none."""
    if isinstance(node, MappingNode):
        found = _entry(node, part)
        if found is None:
            raise KeyError(f"no key {part!r}")
        if found[1].start_mark.index < found[0].end_mark.index:
            raise KeyError(f"{part!r} is written through an alias (*name)")
        return found[1]
    if isinstance(node, SequenceNode):
        if part.lstrip("-").isdigit() and -len(node.value) <= int(part) < len(node.value):
            return node.value[int(part)]
        matches = [item for item in node.value if _item_name(item) == part]
        if len(matches) == 1:
            return matches[0]
    raise KeyError(f"no item {part!r}")


def value_node(root: MappingNode, path: str) -> ScalarNode:
    """The scalar node written for key ``path``; KeyError saying why there is none."""
    changes = _entry(root, "set") if _entry(root, "extends") else None
    if changes is not None:
        node: Node = _child(changes[1], path)
    else:
        node = root
        for part in path.split("."):
            node = _child(node, part)
    if not isinstance(node, ScalarNode):
        raise KeyError("not a single value")
    return node


def replace_values(text: str, values: dict[str, str]) -> str:
    """``text`` with the value written at each key path replaced by the given text.

    Raises :class:`YamlTextError` when a path is not written in the file (e.g. a default
    value, or a what-if's inherited value not under its ``set``).
    """
    root = _compose(text)
    spans = []
    for path, new in values.items():
        try:
            node = value_node(root, path)
        except KeyError as error:
            raise YamlTextError(f"{path}: cannot edit: {error.args[0]}; write the value in "
                                "the file first") from None
        spans.append((node.start_mark.index, node.end_mark.index, new))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + _keep_comment_column(text[end:], len(new) - (end - start))
    return text


def _keep_comment_column(rest: str, longer: int) -> str:
    """The text after an edited value, with the spaces before a comment on the same line
    shortened (or lengthened) by ``longer`` characters, keeping at least one space."""
    spaces = len(rest) - len(rest.lstrip(" "))
    if spaces == 0 or not rest[spaces:].startswith("#"):
        return rest
    return " " * max(1, spaces - longer) + rest[spaces:]


def _last_line(node: Node) -> int:
    """The last line (0-based) holding text of ``node``."""
    if isinstance(node, ScalarNode) or node.flow_style:
        mark = node.end_mark
        return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line
    children = [item for pair in node.value for item in pair] if isinstance(
        node, MappingNode) else node.value
    return max((_last_line(child) for child in children), default=node.start_mark.line)


def replace_block(text: str, parent: str, key: str, lines: list[str]) -> str:
    """``text`` with ``parent.key`` (a key of the top-level block mapping ``parent``)
    replaced by ``lines`` (``key:`` and its block, without indentation); added as the last
    key of ``parent`` when absent. The lines are indented like the keys of ``parent``."""
    root = _compose(text)
    found = _entry(root, parent)
    if found is None or not isinstance(found[1], MappingNode) or found[1].flow_style:
        raise YamlTextError(f"{parent}: cannot record {key}: write {parent} as a block "
                            "(one key per line) in the file")
    block = found[1]
    indent = " " * block.value[0][0].start_mark.column if block.value else "  "
    old = _entry(block, key)
    if old is None:
        first = last = _last_line(block) + 1
    else:
        first, last = old[0].start_mark.line, _last_line(old[1]) + 1
    source = text.splitlines(keepends=True)
    if source and not source[-1].endswith("\n"):
        source[-1] += "\n"
    new = [f"{indent}{line}\n" if line else "\n" for line in lines]
    return "".join(source[:first] + new + source[last:])
