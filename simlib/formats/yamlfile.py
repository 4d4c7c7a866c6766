"""Reading user input files and turning every problem into one line the user can act on.

Each message names the file, the place in it, and what is wrong, e.g.
``my-scenario.yaml: bodies.mc.meets.every_weeks: must be >= 1, got 0``.

Before a document is built its events are checked against fixed limits, so a hostile file
costs bounded time and memory: at most :data:`MAX_BYTES` bytes, :data:`MAX_DEPTH` levels of
nesting, :data:`MAX_ALIASES` aliases (``*name``) and :data:`MAX_VALUES` values once the
aliases are expanded ("billion laughs" refused before anything expands); every key is
text; no number has more than :data:`MAX_DIGITS` digits; no text holds a lone surrogate.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from simlib.errors import InputError, ScenarioError
from simlib.formats.files import regular_input

MAX_BYTES = 1_000_000  # scenario files are a few kilobytes
MAX_DEPTH = 64  # levels of nested mappings and lists
MAX_ALIASES = 100  # uses of *name
MAX_VALUES = 100_000  # values (keys, scalars, mappings, lists) after aliases expand
MAX_DIGITS = 100  # digits of a whole number
MAX_SHOWN = 80  # characters of a YAML problem quoted in a message

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed
_TEXT_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:merge"}
_KEY_KINDS = {"int": "a number", "float": "a number", "bool": "true or false",
              "null": "empty (null)"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_FLOAT_WITHOUT_DOT = re.compile(r"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")  # 1e9, as YAML 1.2


class _PlainLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that leaves dates as text, so a bad date is reported at its key path,
    reads ``1e9`` as a number (YAML 1.2; PyYAML's 1.1 rules want ``1.0e+9``), and rejects a
    key given twice in one mapping (YAML would silently keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str | int | float | bool) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {_brief(key)} is given twice; keep one", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlainLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_WITHOUT_DOT,
                                   list("-+0123456789"))


class _Resolver(yaml.resolver.Resolver):
    """The tags :class:`_PlainLoader` gives plain scalars (to check keys and numbers)."""


_Resolver.yaml_implicit_resolvers = _PlainLoader.yaml_implicit_resolvers
_RESOLVER = _Resolver()


def _escaped(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udXXX`` escapes (printable)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _brief(value: object) -> str:
    """``repr(value)``, cut to :data:`MAX_SHOWN` characters (lone surrogates escaped)."""
    text = _escaped(repr(value))
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


class _TooMuch(Exception):
    """A limit of the event check was broken: (mark, problem)."""


def _tag(event: yaml.ScalarEvent) -> str:
    if event.tag and event.tag != "!":
        return event.tag
    if event.implicit[0]:
        return _RESOLVER.resolve(yaml.ScalarNode, event.value, (True, False))
    return "tag:yaml.org,2002:str"


def _check_scalar(event: yaml.ScalarEvent, is_key: bool) -> None:
    """Refuse a key that is not text, a whole number too long to be a setting, and a lone
    surrogate (a ``\\uD800`` escape: not a character, cannot be printed)."""
    tag = _tag(event)
    if is_key and tag not in _TEXT_TAGS:
        kind = _KEY_KINDS.get(tag.rsplit(":", 1)[-1], "not text")
        key = _escaped(event.value[:20])
        raise _TooMuch(event.start_mark, f"key {key} is read as {kind}; keys are names: put "
                       f"it in quotes, e.g. '{key}', or rename it")
    if tag == "tag:yaml.org,2002:int" and sum(c.isdigit() for c in event.value) > MAX_DIGITS:
        raise _TooMuch(event.start_mark, f"a number with more than {MAX_DIGITS} digits is too "
                       "large for any setting; give a smaller number")
    found = _SURROGATE.search(event.value)
    if found:
        raise _TooMuch(event.start_mark, f"text holds \\u{ord(found[0]):04x}, a lone "
                       "surrogate: not a character; remove that \\u escape")


def _check_events(text: str) -> None:
    """Walk the parser's events (no document is built) and raise :class:`_TooMuch` at the
    first broken limit (see the module docstring); syntax errors are left to the loader."""
    frames: list[list] = []  # open collections: [is mapping, next is a key, anchor, start]
    sizes: dict[str, int] = {}  # anchor -> values of its node, aliases expanded
    aliases = values = 0
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionEndEvent):
                _, _, anchor, start = frames.pop()
                if anchor is not None:
                    sizes[anchor] = values - start
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            is_key = bool(frames) and frames[-1][0] and frames[-1][1]
            if frames and frames[-1][0]:
                frames[-1][1] = not frames[-1][1]
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise _TooMuch(event.start_mark, f"more than {MAX_ALIASES} aliases (*name); "
                                   "write the values out")
                if is_key:
                    raise _TooMuch(event.start_mark, "a key cannot be an alias (*name); "
                                   "write the key out")
                if event.anchor in (frame[2] for frame in frames):
                    raise _TooMuch(event.start_mark, f"alias *{event.anchor[:40]} refers to a "
                                   "value that contains it; remove the alias")
                values += sizes.get(event.anchor, 1)
            elif isinstance(event, yaml.ScalarEvent):
                _check_scalar(event, is_key)
                values += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            else:
                if is_key:
                    raise _TooMuch(event.start_mark, "a key must be text, not a list or "
                                   "mapping; write a name")
                frames.append([isinstance(event, yaml.MappingStartEvent), True, event.anchor,
                               values])
                values += 1
                if len(frames) > MAX_DEPTH:
                    raise _TooMuch(event.start_mark, f"nested more than {MAX_DEPTH} levels "
                                   "deep; flatten it")
            if values > MAX_VALUES:
                raise _TooMuch(event.start_mark, f"more than {MAX_VALUES} values once aliases "
                               "(*name) are expanded; write less, or use fewer aliases")
    except yaml.YAMLError:
        return  # reported, with its place, when the document is loaded


SCENARIO_KEYS = ("a scenario", "name", "bodies")


def _read_text(path: Path) -> str:
    """The UTF-8 text of a regular file of at most :data:`MAX_BYTES` bytes."""
    try:
        regular_input(path, "yaml")
    except InputError as error:
        raise ScenarioError(str(error)) from None
    with path.open("rb") as stream:
        data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ScenarioError(f"{path}: larger than {MAX_BYTES // 1_000_000} MB; a scenario, "
                            "proposal or badge record is a few kilobytes: check it is the right "
                            "file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text; save it as UTF-8") from None


def load_yaml_text(text: str, source: str) -> object:
    """The data of one YAML document, checked against the limits of the module docstring;
    :class:`ScenarioError` naming ``source``, the line and column, and the problem."""
    try:
        _check_events(text)
    except _TooMuch as error:
        mark, problem = error.args
        raise ScenarioError(f"{source}: line {mark.line + 1}, column {mark.column + 1}: "
                            f"{problem}") from None
    try:
        return yaml.load(text, Loader=_PlainLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        problem = _escaped(problem)[:200]
        if "escape" in problem:
            problem += " (\\uD800 to \\uDFFF are surrogates, not a character; remove it)"
        elif "nesting depth" in problem:
            problem += f"; nest at most {MAX_DEPTH} levels"
        elif mark and mark.column > 1000 and ("':'" in problem or "mapping values" in problem):
            problem += "; a key (the text before ':') can be at most 1024 characters"
        raise ScenarioError(f"{source}: {place}YAML syntax error: {problem}") from None
    except (ValueError, OverflowError, RecursionError) as error:  # past the event check
        raise ScenarioError(f"{source}: cannot be read as YAML: {str(error)[:200]}") from None


def read_yaml(path: Path) -> object:
    """The data of the YAML file ``path`` (None when it is empty): a regular file of at most
    :data:`MAX_BYTES` bytes of UTF-8 text, within the limits of the module docstring;
    :class:`ScenarioError` naming the file (and the line and column) otherwise."""
    path = Path(path)
    return load_yaml_text(_read_text(path), str(path))


def read_yaml_mapping(path: Path, what: tuple[str, str, str] = SCENARIO_KEYS) -> dict:
    """Read a YAML file that must hold a mapping; raise :class:`ScenarioError` otherwise.

    ``what``: (what the file is, and two keys it needs) for the messages about an empty file
    or one that is not a mapping, e.g. ("a proposal", "title", "pathway"). The file must be
    a regular file (not a folder, pipe or device) within the limits of the module docstring.
    """
    kind, first, second = what
    path = Path(path)
    data = read_yaml(path)
    if data is None:
        raise ScenarioError(f"{path}: file is empty; {kind} needs at least {first} and {second}")
    if not isinstance(data, dict):
        raise ScenarioError(
            f"{path}: must be a mapping of keys ({first}: ..., {second}: ...), "
            f"got a {type(data).__name__}"
        )
    return data
